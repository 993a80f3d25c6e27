//! Date codes printed on parts: the year and week a part was made, decoded from the common
//! forms — YYWW ("2214"), YY-WW / YY WW, YYYYWW ("202214") and YWW ("214") — or not at all.
//! A one-digit year names a decade only relative to when the part was found: it is the latest
//! such year not after the observation; without an observation date it is not decoded. A code
//! that fits no form, or names a week its year does not have (week 53 of 2022), is reported as
//! undecodable with the reason, never guessed. The ISO week calendar is jiff's.
//!
//! Neither published catalogue has a date code column, so a second, separate rule reads a
//! candidate from the text of a component or its marking (`marking_candidate`): a four-digit
//! group after a part code, as in `CY62157EV30L – 45ZSXI 1813`. It is a guess with a basis of
//! its own ("read from the marking"), kept and reported apart from stated date codes.

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

/// Words that, just before a four-digit group, say it is something else: a record, lot, serial
/// or model number, a count, a version, a year of copyright, the start of a range.
const NOT_BEFORE_A_DATE_CODE: &[&str] = &[
    "no",
    "no.",
    "nr",
    "nr.",
    "№",
    "s/n",
    "serial",
    "record",
    "lot",
    "batch",
    "qty",
    "quantity",
    "pcs",
    "x",
    "×",
    "rev",
    "rev.",
    "ver",
    "ver.",
    "version",
    "v",
    "type",
    "model",
    "series",
    "index",
    "sample",
    "part",
    "p/n",
    "pn",
    "©",
    "(c)",
    "copyright",
    "since",
    "from",
    "to",
    "-",
    "–",
    "—",
    "of",
    "and",
    "or",
];

/// Units that, just after a four-digit group (or after the number of a token), make it a
/// quantity: "1500 mAh", "2300 MHz", "50MHz", "16-bit".
const UNITS: &[&str] = &[
    "hz", "khz", "mhz", "ghz", "v", "mv", "kv", "w", "kw", "mw", "a", "ma", "mah", "ah", "k", "kb",
    "mb", "gb", "kbit", "mbit", "bit", "bits", "ns", "us", "µs", "ms", "mm", "cm", "m", "g", "kg",
    "pin", "pins", "ohm", "ω", "ppm", "pf", "nf", "uf", "µf", "mkf", "мкф", "db", "dbm", "sps",
    "ksps", "msps", "rpm", "pcs", "x", "×", "-", "–", "—", "to", "mb/s", "kbps", "mbps",
];

/// Whether a token is a part code: four characters or more, letters and digits, and not a
/// quantity (a number followed by a unit or a word: "50MHz", "16-bit", "3.3V").
fn is_part_code(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    let letters = t.chars().any(char::is_alphabetic);
    let digits = t.chars().any(|c| c.is_ascii_digit());
    if t.chars().count() < 4 || !letters || !digits {
        return false;
    }
    let rest =
        t.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '/'));
    let quantity = rest.len() < t.len()
        && (UNITS.contains(&rest.to_lowercase().as_str())
            || rest.chars().all(|c| c.is_lowercase()));
    !quantity
}

/// The year and week a four-digit group spells as YYWW (90–99 are the 1990s), when the
/// calendar has that week.
pub fn decode_marking(code: &str) -> Option<YearWeek> {
    let digits = code.trim().trim_start_matches('#');
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: i32 = digits[..2].parse().ok()?;
    let week: i8 = digits[2..].parse().ok()?;
    let year = if yy >= 90 { 1900 + yy } else { 2000 + yy };
    let monday = ISOWeekDate::new(i16::try_from(year).ok()?, week, Weekday::Monday).ok()?;
    Some(YearWeek(monday))
}

/// A candidate date code in a component text or marking: the first four-digit group (ADI's
/// "#2135" form included) that follows a part code, is not part of that code, is neither
/// preceded by a word that makes it another number (record, lot, No., ©, a range) nor followed
/// by a unit ("1650 mAh"), is not one group of a number written in groups ("0001 241 016"),
/// and reads as an ISO year-week from 1990 to `latest_year` (the year the part was found, else
/// the current year). The group as printed, without "#".
pub fn marking_candidate(text: &str, latest_year: i32) -> Option<String> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut codes: Vec<&str> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let digits = token.strip_prefix('#').unwrap_or(token);
        let a_group = digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit());
        if !a_group {
            if is_part_code(token) {
                codes.push(token);
            }
            continue;
        }
        let before = i
            .checked_sub(1)
            .map(|j| tokens[j].to_lowercase())
            .unwrap_or_default();
        let after = tokens
            .get(i + 1)
            .map(|t| t.to_lowercase())
            .unwrap_or_default();
        // "0001 241 016", "234 0724": one number written in groups, not a date code beside a
        // number ("1811 313" is one)
        let short_number =
            |t: &str| (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
        let fits = !codes.is_empty()
            && !codes.iter().any(|c| c.contains(digits))
            && !NOT_BEFORE_A_DATE_CODE.contains(&before.as_str())
            && !before.ends_with(':')
            && !UNITS.contains(&after.as_str())
            && !short_number(&before)
            && !(short_number(&after) && tokens.get(i + 2).is_some_and(|t| short_number(t)))
            && decode_marking(digits).is_some_and(|w| (1990..=latest_year).contains(&w.year()));
        if fits {
            return Some(digits.to_string());
        }
    }
    None
}

/// The candidate of a finding that states no date code: from its marking, else its component
/// text, no later than the year it was found (`observed_on`, else the current year).
pub fn finding_candidate(
    marking: Option<&str>,
    component: Option<&str>,
    observed_on: Option<&str>,
) -> Option<String> {
    let latest = observed_on
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(crate::dates::this_year);
    [marking, component]
        .into_iter()
        .flatten()
        .find_map(|text| marking_candidate(text, latest))
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

    #[test]
    fn a_date_code_is_read_from_a_marking_only_after_a_part_code() {
        let c = |t: &str| marking_candidate(t, 2024);
        // GUR's component texts
        assert_eq!(
            c("Microcircuit CY62157EV30L – 45ZSXI 1813 614000 04 PHI F 04").as_deref(),
            Some("1813")
        );
        assert_eq!(
            c("High-speed two-channel transceiver ADM3202 ARNZ #2135").as_deref(),
            Some("2135")
        );
        assert_eq!(
            c("Transceiver Maxim MAX3221 EAE 2128").as_deref(),
            Some("2128")
        );
        assert_eq!(
            c("12-bit ADC with differential input AD7450  BR  0205").as_deref(),
            Some("0205")
        );
        assert_eq!(c("Transistor MRF177 1802").as_deref(), Some("1802"));
        // the group is the code, or comes before any code
        assert_eq!(c("Microcontroller ATMEGA 2560"), None);
        assert_eq!(c("Frequency synthesiser ADF 4112 BRUZ"), None);
        assert_eq!(c("Schottky diode 2386 MBR30150PT"), None);
        assert_eq!(c("unidentified part, record 7183"), None);
        assert_eq!(
            c("Synchronous step-down voltage regulator TPS565208 5208"),
            None
        );
        assert_eq!(c("LCT3783 driver 3783"), None, "part of the code itself");
        // not a year-week, or in the future
        assert_eq!(
            c("Communication cable E249743 AWM 2464 22A WG"),
            None,
            "week 64"
        );
        assert_eq!(c("PHD 13005 PJd2149 B6 3135"), None, "2031");
        assert_eq!(c("SC4216 396069 2205").as_deref(), Some("2205"));
        assert_eq!(
            marking_candidate("SC4216 396069 2205", 2021),
            None,
            "after the find"
        );
        assert_eq!(c("TPS54331 9812").as_deref(), Some("9812"), "the 1990s");
        assert_eq!(c("TPS54331 8912"), None, "before 1990");
        // a quantity, a lot, a range, a label before it
        assert_eq!(c("Battery INR18650-35E 1650 mAh"), None);
        assert_eq!(c("Splitter XP1234 1210 - 1710 MHz"), None);
        assert_eq!(c("Motor X2820-5 KV: 1100"), None);
        assert_eq!(c("Chip AD8402 lot 1236"), None);
        assert_eq!(c("Chip AD8402 © 2012"), None);
        assert_eq!(
            c("Starter HEF 95-L24V(0001 241 016)"),
            None,
            "a Bosch part number"
        );
        assert_eq!(
            c("Connector X234B 234 0724 02021602301"),
            None,
            "a number in groups"
        );
        assert_eq!(
            c("Clock oscillator CTS23CB3 50M0000 1811 313").as_deref(),
            Some("1811")
        );
        // a number with a unit is not a part code
        assert_eq!(c("Quartz 50MHz 2226"), None);
        assert_eq!(c("16-bit converter 2018"), None);
    }

    #[test]
    fn a_marking_group_decodes_as_a_year_and_week() {
        let yw = |code| decode_marking(code).map(|w| (w.year(), w.week()));
        assert_eq!(yw("1813"), Some((2018, 13)));
        assert_eq!(yw("#2135"), Some((2021, 35)));
        assert_eq!(yw("9953"), None, "1999 has 52 weeks");
        assert_eq!(yw("9853"), Some((1998, 53)));
        assert_eq!(yw("2200"), None);
        assert_eq!(yw("221"), None);
    }
}
