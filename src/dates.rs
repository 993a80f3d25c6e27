//! ISO 8601 calendar dates at the precision a source gave (YYYY, YYYY-MM, YYYY-MM-DD), and the
//! clock. Dates stay text so they sort, compare and round-trip exactly; this module only checks
//! them. The clock honours COMPTRACE_NOW so tests and reproducible runs get a fixed time.

use std::time::{SystemTime, UNIX_EPOCH};

/// Checks an ISO 8601 date of year, month or day precision; returns it unchanged when valid.
pub fn parse_partial_date(text: &str) -> Result<String, String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let bad = || format!("'{t}' is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)");
    let number = |s: &str, len: usize| -> Result<u32, String> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    if parts.is_empty() || parts.len() > 3 {
        return Err(bad());
    }
    let year = number(parts[0], 4)?;
    if year < 1900 {
        return Err(format!("'{t}': year {year} is before 1900"));
    }
    if let Some(m) = parts.get(1) {
        let month = number(m, 2)?;
        if !(1..=12).contains(&month) {
            return Err(format!("'{t}': month {month} does not exist"));
        }
        if let Some(d) = parts.get(2) {
            let day = number(d, 2)?;
            if day == 0 || day > days_in_month(year, month) {
                return Err(format!(
                    "'{t}': day {day} does not exist in {year}-{month:02}"
                ));
            }
        }
    }
    Ok(t.to_string())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The current time as UTC RFC 3339 text (second precision), or COMPTRACE_NOW when set.
pub fn now() -> String {
    if let Ok(fixed) = std::env::var("COMPTRACE_NOW") {
        if !fixed.trim().is_empty() {
            return fixed.trim().to_string();
        }
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    format_unix(secs)
}

/// Formats seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days, proleptic Gregorian).
pub fn format_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_each_precision() {
        assert_eq!(parse_partial_date("2024").unwrap(), "2024");
        assert_eq!(parse_partial_date("2024-09").unwrap(), "2024-09");
        assert_eq!(parse_partial_date(" 2024-09-01 ").unwrap(), "2024-09-01");
        assert_eq!(parse_partial_date("2024-02-29").unwrap(), "2024-02-29");
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-00",
            "24-09-01",
            "2024/09/01",
            "01.09.2024",
            "2024-9-1",
            "",
            "0999",
        ] {
            assert!(parse_partial_date(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn formats_unix_time() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(1_709_210_096), "2024-02-29T12:34:56Z");
    }
}
