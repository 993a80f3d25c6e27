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

/// When a unit was built, at the precision stated: the first and last day the statement allows
/// (`to` is None when it is open-ended, "not earlier than 2021"), and the statement as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Produced {
    pub from: String,
    pub to: Option<String>,
    pub stated: String,
}

/// Reads a production date as an import states it: an ISO 8601 date at year, month or day
/// precision (2023, 2023-03, 2023-03-15), a quarter (2023-Q1, or 1Q2023 as labels write it), or
/// either as a lower bound (">=2021", "not earlier than 2021").
pub fn produced(text: &str) -> Result<Produced, String> {
    let stated = text.trim();
    let lower = stated.to_lowercase();
    let (open, inner) = match lower
        .strip_prefix(">=")
        .or_else(|| lower.strip_prefix("not earlier than"))
    {
        Some(rest) => (true, rest.trim()),
        None => (false, lower.as_str()),
    };
    let (first, last) = period(inner).ok_or_else(|| {
        format!(
            "'{stated}' is not a production date (2023, 2023-03, 2023-03-15, 2023-Q1 or 1Q2023, \
             optionally after '>=' or 'not earlier than')"
        )
    })?;
    Ok(Produced {
        from: first.to_string(),
        to: (!open).then(|| last.to_string()),
        stated: stated.to_string(),
    })
}

/// The first and last day of an ISO partial date or a quarter (2023-Q1, 1Q2023), when the
/// calendar has them.
pub fn period(text: &str) -> Option<(Date, Date)> {
    let t = text.trim().to_lowercase();
    if let Some((year, quarter)) = quarter(&t) {
        let first = civil_date(year, quarter * 3 - 2, 1)?;
        let last = civil_date(year, quarter * 3, 1)?.last_of_month();
        return Some((first, last));
    }
    let first = first_day(&t)?;
    let last = match t.len() {
        4 => civil_date(first.year().unsigned_abs().into(), 12, 31)?,
        7 => first.last_of_month(),
        _ => first,
    };
    Some((first, last))
}

/// A quarter written 2023-Q1 or 1Q2023 (lower case), as (year, quarter), from 1900 on.
fn quarter(t: &str) -> Option<(u32, u32)> {
    let (year, q) = match (t.split_once("-q"), t.split_once('q')) {
        (Some((y, q)), _) => (y, q),
        (None, Some((q, y))) => (y, q),
        _ => return None,
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(q, 1)) {
        return None;
    }
    let (year, q): (u32, u32) = (year.parse().ok()?, q.parse().ok()?);
    ((1..=4).contains(&q) && year >= 1900).then_some((year, q))
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

/// The current year by `now()`, read once per process (a bulk import asks for every row).
pub fn this_year() -> i32 {
    static YEAR: std::sync::LazyLock<i32> =
        std::sync::LazyLock::new(|| now().get(..4).and_then(|y| y.parse().ok()).unwrap_or(9999));
    *YEAR
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
    fn a_production_date_is_the_interval_its_precision_allows() {
        let p = |t: &str| {
            let p = produced(t).expect(t);
            (p.from, p.to, p.stated)
        };
        let s = |t: &str| t.to_string();
        assert_eq!(
            p("1Q2023"),
            (s("2023-01-01"), Some(s("2023-03-31")), s("1Q2023"))
        );
        assert_eq!(
            p("2023-Q4"),
            (s("2023-10-01"), Some(s("2023-12-31")), s("2023-Q4"))
        );
        assert_eq!(p("2022").1, Some(s("2022-12-31")));
        assert_eq!(p("2024-02").1, Some(s("2024-02-29")));
        assert_eq!(p("2023-03-15").0, s("2023-03-15"));
        assert_eq!(p("2023-03-15").1, Some(s("2023-03-15")));
        assert_eq!(p(">=2021"), (s("2021-01-01"), None, s(">=2021")));
        assert_eq!(
            p(" Not earlier than 2021-06 "),
            (s("2021-06-01"), None, s("Not earlier than 2021-06"))
        );
        for bad in [
            "",
            "5Q2023",
            "2023-Q5",
            "Q12023",
            "2023-Q",
            "March 2023",
            "2023-02-29",
            ">=",
            "1899",
            "not earlier than",
            "<=2021",
        ] {
            assert!(produced(bad).is_err(), "{bad} accepted");
        }
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
