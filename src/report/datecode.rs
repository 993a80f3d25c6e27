//! Date codes printed on parts: the year and week a part was made, decoded from the common
//! forms — YYWW ("2214"), YY-WW / YY WW, YYYYWW ("202214") and YWW ("214") — or not at all.
//! A one-digit year names a decade only relative to when the part was found: it is the latest
//! such year not after the observation; without an observation date it is not decoded. A code
//! that fits no form, or names a week its year does not have (week 53 of 2022), is reported as
//! undecodable with the reason, never guessed. The ISO week calendar is jiff's.

use jiff::civil::{Date, ISOWeekDate, Weekday};

/// A decoded date code: an ISO week its year really has (valid by construction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearWeek(ISOWeekDate);

/// Why a date code could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecoded {
    Empty,
    Unrecognised,
    WeekOutOfRange,
    /// Week 53 of a year with 52 ISO weeks ("2253": 2022 has 52).
    NoSuchWeek {
        year: i32,
        week: i32,
    },
    DecadeUnknown,
    AfterObservation,
}

impl Undecoded {
    pub fn reason(&self) -> String {
        match self {
            Undecoded::Empty => "no date code".into(),
            Undecoded::Unrecognised => "not a YYWW, YY-WW, YYYYWW or YWW code".into(),
            Undecoded::WeekOutOfRange => "week is not between 01 and 53".into(),
            Undecoded::NoSuchWeek { year, week } => {
                format!("week {week} does not exist in {year}")
            }
            Undecoded::DecadeUnknown => {
                "one-digit year and no observation date to place its decade".into()
            }
            Undecoded::AfterObservation => "decodes to a date after the part was observed".into(),
        }
    }
}

/// The year and week a code spells, before the calendar is asked whether that week exists.
fn year_and_week(compact: &str, observed_year: Option<i32>) -> Result<(i32, i32), Undecoded> {
    let n = |s: &str| s.parse::<i32>().expect("all digits");
    match compact.len() {
        4 => Ok((2000 + n(&compact[..2]), n(&compact[2..]))),
        6 if compact.starts_with("19") || compact.starts_with("20") => {
            Ok((n(&compact[..4]), n(&compact[4..])))
        }
        3 => {
            let seen = observed_year.ok_or(Undecoded::DecadeUnknown)?;
            let digit = n(&compact[..1]);
            let mut year = seen - (seen - digit).rem_euclid(10);
            if year > seen {
                year -= 10;
            }
            Ok((year, n(&compact[1..])))
        }
        _ => Err(Undecoded::Unrecognised),
    }
}

/// Decodes a date code; `observed_year` (when the part was found) places one-digit years and
/// rejects codes from the future.
pub fn decode(code: &str, observed_year: Option<i32>) -> Result<YearWeek, Undecoded> {
    let compact: String = code
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '/' | '.'))
        .collect();
    if compact.is_empty() {
        return Err(Undecoded::Empty);
    }
    if !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(Undecoded::Unrecognised);
    }
    let (year, week) = year_and_week(&compact, observed_year)?;
    if !(1..=53).contains(&week) {
        return Err(Undecoded::WeekOutOfRange);
    }
    // the calendar decides whether the year has a week 53 (it does when it starts on a
    // Thursday, or on a Wednesday in a leap year)
    let monday = i16::try_from(year)
        .ok()
        .and_then(|y| ISOWeekDate::new(y, week as i8, Weekday::Monday).ok())
        .ok_or(Undecoded::NoSuchWeek { year, week })?;
    if observed_year.is_some_and(|seen| year > seen) {
        return Err(Undecoded::AfterObservation);
    }
    Ok(YearWeek(monday))
}

impl YearWeek {
    pub fn year(&self) -> i32 {
        i32::from(self.0.year())
    }

    pub fn week(&self) -> u32 {
        self.0.week().unsigned_abs().into()
    }

    /// Where this week falls against a cut-off day: after it, before it, or containing it.
    /// Comparing ISO weeks is comparing days a week at a time.
    pub fn against(&self, cutoff: Date) -> Ordering3 {
        let c = cutoff.iso_week_date();
        match (self.0.year(), self.0.week()).cmp(&(c.year(), c.week())) {
            std::cmp::Ordering::Greater => Ordering3::After,
            std::cmp::Ordering::Equal => Ordering3::Straddles,
            std::cmp::Ordering::Less => Ordering3::Before,
        }
    }

    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year(), self.week())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordering3 {
    Before,
    Straddles,
    After,
}

impl Ordering3 {
    /// Where a period (a unit's production date: its first day and its last, None when
    /// open-ended) falls against a cut-off day: after it only when its first day is, before it
    /// when its last day is; a period that contains the cut-off, or may (the year 2022, "not
    /// earlier than 2021"), straddles it.
    pub fn of_period(from: Date, to: Option<Date>, cutoff: Date) -> Ordering3 {
        if from > cutoff {
            Ordering3::After
        } else if to.is_some_and(|to| to < cutoff) {
            Ordering3::Before
        } else {
            Ordering3::Straddles
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn yw(code: &str, seen: Option<i32>) -> Result<(i32, u32), Undecoded> {
        decode(code, seen).map(|w| (w.year(), w.week()))
    }

    #[test]
    fn decodes_the_common_forms() {
        assert_eq!(yw("2214", None), Ok((2022, 14)));
        assert_eq!(yw("22-14", None), Ok((2022, 14)));
        assert_eq!(yw("202214", None), Ok((2022, 14)));
        assert_eq!(yw("314", Some(2024)), Ok((2023, 14)));
        assert_eq!(yw("514", Some(2024)), Ok((2015, 14)));
        assert_eq!(yw("414", Some(2024)), Ok((2024, 14)));
    }

    #[test]
    fn says_why_instead_of_guessing() {
        assert_eq!(yw("", None), Err(Undecoded::Empty));
        assert_eq!(yw("GH23Q", None), Err(Undecoded::Unrecognised));
        assert_eq!(yw("2260", None), Err(Undecoded::WeekOutOfRange));
        assert_eq!(yw("2200", None), Err(Undecoded::WeekOutOfRange));
        assert_eq!(yw("314", None), Err(Undecoded::DecadeUnknown));
        assert_eq!(yw("2514", Some(2023)), Err(Undecoded::AfterObservation));
        assert_eq!(yw("12345", None), Err(Undecoded::Unrecognised));
    }

    #[test]
    fn a_week_53_is_decoded_only_in_a_year_that_has_one() {
        let no_such = |year, week| Err(Undecoded::NoSuchWeek { year, week });
        assert_eq!(yw("2253", None), no_such(2022, 53));
        assert_eq!(
            Undecoded::NoSuchWeek {
                year: 2022,
                week: 53
            }
            .reason(),
            "week 53 does not exist in 2022"
        );
        assert_eq!(yw("22-53", None), no_such(2022, 53));
        assert_eq!(yw("202153", None), no_such(2021, 53));
        assert_eq!(yw("153", Some(2024)), no_such(2021, 53));
        // 2020 starts on a Wednesday and is a leap year; 2015 and 2026 start on a Thursday
        assert_eq!(yw("2053", None), Ok((2020, 53)));
        assert_eq!(yw("201553", None), Ok((2015, 53)));
        assert_eq!(yw("1553", None), Ok((2015, 53)));
        assert_eq!(yw("653", Some(2026)), Ok((2026, 53)));
        assert_eq!(yw("199853", None), Ok((1998, 53)));
        assert_eq!(yw("199953", None), no_such(1999, 53));
    }

    #[test]
    fn weeks_are_placed_against_the_cutoff() {
        let cutoff = date(2022, 2, 24);
        let week = |code| decode(code, None).expect("a valid week");
        assert_eq!(week("2208").against(cutoff), Ordering3::Straddles);
        assert_eq!(week("2209").against(cutoff), Ordering3::After);
        assert_eq!(week("2207").against(cutoff), Ordering3::Before);
        // week 1 of 2021 starts on 4 January: 3 January is in week 53 of 2020
        assert_eq!(week("2101").against(date(2021, 1, 4)), Ordering3::Straddles);
        assert_eq!(week("2101").against(date(2021, 1, 3)), Ordering3::After);
        assert_eq!(week("2053").against(date(2021, 1, 3)), Ordering3::Straddles);
        assert_eq!(week("2053").label(), "2020-W53");
    }

    #[test]
    fn a_period_is_after_the_cutoff_only_when_all_of_it_is() {
        let cutoff = date(2022, 2, 24);
        let of = |from, to| Ordering3::of_period(from, to, cutoff);
        assert_eq!(
            of(date(2023, 1, 1), Some(date(2023, 3, 31))),
            Ordering3::After
        );
        assert_eq!(
            of(date(2022, 1, 1), Some(date(2022, 12, 31))),
            Ordering3::Straddles
        );
        assert_eq!(
            of(date(2021, 1, 1), None),
            Ordering3::Straddles,
            "not earlier than 2021"
        );
        assert_eq!(
            of(date(2023, 1, 1), None),
            Ordering3::After,
            "not earlier than 2023"
        );
        assert_eq!(
            of(date(2022, 2, 24), Some(date(2022, 2, 24))),
            Ordering3::Straddles
        );
        assert_eq!(
            of(date(2022, 2, 25), Some(date(2022, 2, 25))),
            Ordering3::After
        );
        assert_eq!(
            of(date(2021, 1, 1), Some(date(2021, 12, 31))),
            Ordering3::Before
        );
    }
}
