//! Date codes printed on parts: the year and week a part was made, decoded from the common
//! forms — YYWW ("2214"), YY-WW / YY WW, YYYYWW ("202214") and YWW ("214") — or not at all.
//! A one-digit year names a decade only relative to when the part was found: it is the latest
//! such year not after the observation; without an observation date it is not decoded. A code
//! that fits no form is reported as undecodable, never guessed.

/// A decoded date code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearWeek {
    pub year: i32,
    pub week: u32,
}

/// Why a date code could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecoded {
    Empty,
    Unrecognised,
    WeekOutOfRange,
    DecadeUnknown,
    AfterObservation,
}

impl Undecoded {
    pub fn reason(&self) -> &'static str {
        match self {
            Undecoded::Empty => "no date code",
            Undecoded::Unrecognised => "not a YYWW, YY-WW, YYYYWW or YWW code",
            Undecoded::WeekOutOfRange => "week is not between 01 and 53",
            Undecoded::DecadeUnknown => {
                "one-digit year and no observation date to place its decade"
            }
            Undecoded::AfterObservation => "decodes to a date after the part was observed",
        }
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
    let n = |s: &str| s.parse::<i32>().expect("all digits");
    let (year, week) = match compact.len() {
        4 => (2000 + n(&compact[..2]), n(&compact[2..])),
        6 if compact.starts_with("19") || compact.starts_with("20") => {
            (n(&compact[..4]), n(&compact[4..]))
        }
        3 => {
            let Some(seen) = observed_year else {
                return Err(Undecoded::DecadeUnknown);
            };
            let digit = n(&compact[..1]);
            let mut year = seen - (seen - digit).rem_euclid(10);
            if year > seen {
                year -= 10;
            }
            (year, n(&compact[1..]))
        }
        _ => return Err(Undecoded::Unrecognised),
    };
    if !(1..=53).contains(&week) {
        return Err(Undecoded::WeekOutOfRange);
    }
    if observed_year.is_some_and(|seen| year > seen) {
        return Err(Undecoded::AfterObservation);
    }
    Ok(YearWeek {
        year,
        week: week as u32,
    })
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl YearWeek {
    /// The Monday that starts this ISO week, as days since 1970.
    pub fn monday(&self) -> i64 {
        let jan4 = days_from_civil(self.year, 1, 4);
        let weekday = (jan4 + 3).rem_euclid(7); // 0 = Monday
        jan4 - weekday + 7 * (i64::from(self.week) - 1)
    }

    /// Where this week falls against a cut-off day: after it, before it, or containing it.
    pub fn against(&self, cutoff: i64) -> Ordering3 {
        let start = self.monday();
        if start > cutoff {
            Ordering3::After
        } else if start + 6 < cutoff {
            Ordering3::Before
        } else {
            Ordering3::Straddles
        }
    }

    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordering3 {
    Before,
    Straddles,
    After,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_common_forms() {
        assert_eq!(
            decode("2214", None),
            Ok(YearWeek {
                year: 2022,
                week: 14
            })
        );
        assert_eq!(
            decode("22-14", None),
            Ok(YearWeek {
                year: 2022,
                week: 14
            })
        );
        assert_eq!(
            decode("202214", None),
            Ok(YearWeek {
                year: 2022,
                week: 14
            })
        );
        assert_eq!(
            decode("314", Some(2024)),
            Ok(YearWeek {
                year: 2023,
                week: 14
            })
        );
        assert_eq!(
            decode("514", Some(2024)),
            Ok(YearWeek {
                year: 2015,
                week: 14
            })
        );
        assert_eq!(
            decode("414", Some(2024)),
            Ok(YearWeek {
                year: 2024,
                week: 14
            })
        );
    }

    #[test]
    fn says_why_instead_of_guessing() {
        assert_eq!(decode("", None), Err(Undecoded::Empty));
        assert_eq!(decode("GH23Q", None), Err(Undecoded::Unrecognised));
        assert_eq!(decode("2260", None), Err(Undecoded::WeekOutOfRange));
        assert_eq!(decode("314", None), Err(Undecoded::DecadeUnknown));
        assert_eq!(decode("2514", Some(2023)), Err(Undecoded::AfterObservation));
        assert_eq!(decode("12345", None), Err(Undecoded::Unrecognised));
    }

    #[test]
    fn weeks_are_placed_against_the_cutoff() {
        let cutoff = days_from_civil(2022, 2, 24);
        assert_eq!(
            YearWeek {
                year: 2022,
                week: 8
            }
            .against(cutoff),
            Ordering3::Straddles
        );
        assert_eq!(
            YearWeek {
                year: 2022,
                week: 9
            }
            .against(cutoff),
            Ordering3::After
        );
        assert_eq!(
            YearWeek {
                year: 2022,
                week: 7
            }
            .against(cutoff),
            Ordering3::Before
        );
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            YearWeek {
                year: 2021,
                week: 1
            }
            .monday(),
            days_from_civil(2021, 1, 4)
        );
    }
}
