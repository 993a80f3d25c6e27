//! ISO 8601 calendar dates at the precision a source gave (YYYY, YYYY-MM, YYYY-MM-DD), and the
//! clock. Dates stay text so they sort, compare and round-trip exactly; this module only checks
//! them, with jiff's calendar. The clock honours COMPTRACE_NOW so tests and reproducible runs
//! get a fixed time.

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::civil::Date;
use jiff::Timestamp;

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
            if civil_date(year, month, day).is_none() {
                return Err(format!(
                    "'{t}': day {day} does not exist in {year}-{month:02}"
                ));
            }
        }
    }
    Ok(t.to_string())
}

/// The calendar date, when it exists (2024-02-29 does, 2023-02-29 does not).
fn civil_date(year: u32, month: u32, day: u32) -> Option<Date> {
    let (y, m, d) = (
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    );
    Date::new(y, m, d).ok()
}

/// The first day of a date checked by `parse_partial_date` (a year or a month starts on its
/// first day); None for anything else.
pub fn first_day(text: &str) -> Option<Date> {
    let checked = parse_partial_date(text).ok()?;
    let mut parts = checked.split('-').map(str::parse::<u32>);
    let year = parts.next()?.ok()?;
    let month = parts.next().transpose().ok()?.unwrap_or(1);
    let day = parts.next().transpose().ok()?.unwrap_or(1);
    civil_date(year, month, day)
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

/// Formats seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_unix(secs: i64) -> String {
    // jiff's range ends in 9999: a clock outside it is wrong anyway, and shown at the limit
    let secs = secs.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(secs)
        .expect("clamped into jiff's range")
        .to_string()
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
        assert_eq!(parse_partial_date("2000-02-29").unwrap(), "2000-02-29");
        assert_eq!(parse_partial_date("2024-12-31").unwrap(), "2024-12-31");
    }

    #[test]
    fn a_day_its_month_does_not_have_is_refused_with_the_reason() {
        for (bad, why) in [
            ("2023-02-29", "day 29 does not exist in 2023-02"),
            ("1900-02-29", "day 29 does not exist in 1900-02"),
            ("2024-02-30", "day 30 does not exist in 2024-02"),
            ("2024-06-31", "day 31 does not exist in 2024-06"),
            ("2024-01-00", "day 0 does not exist in 2024-01"),
        ] {
            let err = parse_partial_date(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn a_partial_date_starts_on_its_first_day() {
        assert_eq!(first_day("2022"), Some(jiff::civil::date(2022, 1, 1)));
        assert_eq!(first_day("2022-02"), Some(jiff::civil::date(2022, 2, 1)));
        assert_eq!(
            first_day("2022-02-24"),
            Some(jiff::civil::date(2022, 2, 24))
        );
        assert_eq!(first_day("2023-02-29"), None);
        assert_eq!(first_day("24.02.2022"), None);
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
        // the end of jiff's range (it keeps room for any offset), not a panic
        assert_eq!(format_unix(i64::MAX), "9999-12-30T22:00:00Z");
    }
}
