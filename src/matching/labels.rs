//! Weapon labels as publishers write them, taken apart: the model, the recovered unit (serial
//! or tail number, date, notes) and the sub-assembly, by rules on the shape of the label, not
//! a list of labels. `UAV "GERAN-2" (Shahed-136) Ы-954` is the model GERAN-2 (by the
//! designation list, the Shahed-136) and the unit Ы-954; `Electronic computing machine
//! "Baget-62-037" of the Kh-101 missile` is a sub-assembly of a Kh-101. What cannot be split
//! with confidence is kept whole, and says so.

use super::reference::Reference;
use super::text::lowercase_aligned;
use super::weapons;
use crate::dates::Produced;

/// A weapon label taken apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeaponLabel {
    /// The model as named in the label, without quotes, notes, serials or the sub-assembly.
    pub model: String,
    /// Serial, tail or board number(s) of the recovered unit ("; " between several).
    pub serial: Option<String>,
    /// When and where the unit was recovered (ISO 8601 at the precision given): a note that
    /// says captured, downed or found, a bare date ("May 2022"), or a place and a date
    /// ("Chernihiv, 19.08.2023").
    pub found_on: Option<String>,
    pub found_at: Option<String>,
    /// When the unit was built ("produced 1Q2023", "produced not earlier than 2021").
    pub produced: Option<Produced>,
    /// When the unit was used ("used on 02.01.2024").
    pub used_on: Option<String>,
    /// Everything else the label says: notes in parentheses (dated or not: "researched in
    /// December 2024"), the sub-assembly.
    pub note: Option<String>,
    /// Nothing identifying was left after taking the label apart: kept whole.
    pub kept_whole: bool,
}

impl WeaponLabel {
    /// Whether the label named a recovered unit: a serial, or when or where that unit was
    /// recovered, built or used.
    pub fn names_a_unit(&self) -> bool {
        self.serial.is_some()
            || self.found_on.is_some()
            || self.found_at.is_some()
            || self.produced.is_some()
            || self.used_on.is_some()
    }
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words before a number that say it is a serial, tail or board number.
const SERIAL_MARKERS: &[&str] = &[
    "№",
    "no.",
    "no",
    "nr.",
    "#",
    "tail number",
    "serial number",
    "serial",
    "board number",
    "s/n",
];

/// Words a sub-assembly's parent may start with that are not part of its name.
const LEAD_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "other",
    "russian-made",
    "russian",
    "iranian",
    "iranian-made",
];

const TYPE_WORDS: &[&str] = &[
    "uav",
    "drone",
    "missile",
    "missiles",
    "munition",
    "system",
    "complex",
    "rocket",
    "bomb",
    "helicopter",
];

fn is_designation(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    let has_letter = t.chars().any(char::is_alphabetic);
    has_digit && has_letter && t.chars().count() >= 3
}

fn unquote(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A day written day first: "19.08.2023" -> 2023-08-19, when the calendar has that day.
fn day_month_year(word: &str) -> Option<String> {
    let parts: Vec<&str> = word.split('.').collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !(digits(d) && digits(m) && digits(y) && y.len() == 4) {
        return None;
    }
    checked(format!("{y}-{m:0>2}-{d:0>2}"))
}

/// A month named in full and its year: "may 2022" -> 2022-05.
fn month_year(month: &str, year: Option<&&str>) -> Option<String> {
    let m = MONTHS.iter().position(|name| *name == month)?;
    let y = year.filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))?;
    checked(format!("{y}-{:02}", m + 1))
}

/// A year of this century or the last ("2025").
fn year(word: &str) -> Option<String> {
    let recent = word.starts_with("19") || word.starts_with("20");
    (word.len() == 4 && recent && word.chars().all(|c| c.is_ascii_digit()))
        .then(|| checked(word.to_string()))
        .flatten()
}

/// The date when it is a real ISO 8601 date (2023-02-29 is not), else None.
fn checked(iso: String) -> Option<String> {
    crate::dates::parse_partial_date(&iso).ok()
}

/// The lower-case words of a note, split at spaces, commas and brackets.
fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A text that is one date and nothing else: "19.08.2023", "May 2022", "2025" (as ISO 8601).
/// Only dates the calendar has: "29.02.2023", "May 0999" and "5Q2023" are not dates.
pub fn date_alone(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    match words(&lower).as_slice() {
        [one] => day_month_year(one).or_else(|| year(one)),
        [month, y] => month_year(month, Some(y)),
        _ => None,
    }
}

/// A production statement after "produced" ("1Q2023", "in March 2023", "not earlier than
/// 2021"): its interval, and as written (without a leading "in").
fn production(statement: &str) -> Option<Produced> {
    let stated = statement.trim();
    let stated = strip_word(stated, "in").unwrap_or(stated);
    let lower = stated.to_lowercase();
    let (bound, when) = match ["not earlier than", "no earlier than"]
        .iter()
        .find_map(|b| strip_word(&lower, b))
    {
        Some(rest) => ("not earlier than ", rest),
        None => ("", lower.as_str()),
    };
    // the label's forms, in the import's spelling: a quarter and ISO dates pass as they are
    let iso = date_alone(when).unwrap_or_else(|| when.trim().to_string());
    let mut p = crate::dates::produced(&format!("{bound}{iso}")).ok()?;
    p.stated = stated.to_string();
    Some(p)
}

/// `text` after `word` and a space (case as given), when it starts with that word.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(' ')).then(|| rest.trim_start())
}

/// What a dated note says of the unit.
#[derive(Debug, PartialEq)]
enum Dated {
    Produced(Produced),
    UsedOn(String),
    Recovered { on: String, at: Option<String> },
}

/// Words that say a unit was recovered, as a note starts.
const RECOVERED: &[&str] = &["captured", "downed", "shot down", "recovered", "found"];

/// Reads a parenthesised note as a date with a meaning, or None (it stays a note):
/// "produced ..." is production, "used on/in ..." is use, "captured in April 2022", a bare date
/// and "Chernihiv, 19.08.2023" are recovery (with the place). Anything else, dated or not
/// ("researched in December 2024", "usage from June 2022"), says nothing this reads.
fn dated(note: &str) -> Option<Dated> {
    let note = note.trim();
    if let Some(rest) = strip_word(note, "produced") {
        return production(rest).map(Dated::Produced);
    }
    if let Some(rest) = strip_word(note, "used on").or_else(|| strip_word(note, "used in")) {
        return date_alone(rest).map(Dated::UsedOn);
    }
    if let Some(on) = date_alone(note) {
        return Some(Dated::Recovered { on, at: None });
    }
    // "Chernihiv, 19.08.2023", "downed near Sumy, 12.03.2024", "captured in April 2022"
    let lower = lowercase_aligned(note);
    let verb = RECOVERED.iter().find(|v| strip_word(&lower, v).is_some());
    let (place, date) = match note.rsplit_once(',') {
        Some((place, date)) => (place, date),
        None if verb.is_some() => {
            // the date is the last words: two ("April 2022") or one ("2024", "19.08.2023")
            let starts: Vec<usize> = note
                .char_indices()
                .filter(|&(i, c)| {
                    !c.is_whitespace() && (i == 0 || note[..i].ends_with(char::is_whitespace))
                })
                .map(|(i, _)| i)
                .collect();
            let cut = (1..=2)
                .rev()
                .filter(|n| starts.len() > *n)
                .map(|n| starts[starts.len() - n])
                .find(|&at| date_alone(&note[at..]).is_some())?;
            note.split_at(cut)
        }
        None => return None,
    };
    let on = date_alone(date)?;
    let place = match verb {
        Some(v) => &place[v.len()..],
        None => place,
    };
    let place = place.trim().trim_end_matches(',').trim();
    let place = ["in", "on", "at"]
        .iter()
        .fold(place, |p, w| {
            if p.eq_ignore_ascii_case(w) {
                ""
            } else {
                p.strip_suffix(&format!(" {w}")).unwrap_or(p)
            }
        })
        .trim();
    // a place is a few words without digits; without a verb before it, a name ("Chernihiv")
    let a_place = !place.is_empty()
        && !place.chars().any(|c| c.is_ascii_digit())
        && place.split_whitespace().count() <= if verb.is_some() { 4 } else { 3 }
        && (verb.is_some() || place.starts_with(char::is_uppercase));
    match (verb, a_place) {
        (_, true) => Some(Dated::Recovered {
            on,
            at: Some(place.to_string()),
        }),
        (Some(_), false) if place.is_empty() => Some(Dated::Recovered { on, at: None }),
        _ => None,
    }
}

/// The serial after a marker in `text` ("No.9504514305003 and No.9504513406014"), if any.
fn serial_in(text: &str) -> Option<String> {
    // offsets found in `lower` are char boundaries of `text` (see lowercase_aligned)
    let lower = lowercase_aligned(text);
    let mut found = Vec::new();
    for marker in SERIAL_MARKERS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at;
            let end = start + marker.len();
            from = end;
            // a marker is a word of its own ("No" not inside "Novgorod")
            let before_ok = start == 0
                || !lower[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            let after = text[end..].trim_start_matches([' ', '.', ':']);
            let value: String = after
                .split([',', ')', ';'])
                .next()
                .unwrap_or("")
                .split(" and ")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let word_ends = !marker.ends_with(char::is_alphanumeric)
                || !lower[end..].starts_with(char::is_alphanumeric);
            if before_ok
                && word_ends
                && value.chars().any(|c| c.is_ascii_digit())
                && !found.contains(&value)
            {
                found.push(value);
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

/// Splits `text` into what is outside parentheses and the parenthesised notes.
fn parentheses(text: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut notes = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    notes.push(current.trim().to_string());
                    current.clear();
                    outside.push(' ');
                } else {
                    current.push(c);
                }
            }
            _ if depth > 0 => current.push(c),
            _ => outside.push(c),
        }
    }
    if depth > 0 {
        outside.push('(');
        outside.push_str(&current);
    }
    (outside, notes)
}

/// Whether a tail after "of"/"from" names a weapon: it starts with a designation, a quoted
/// name or a name the designation list knows, or it is a short name ending in a type word.
fn names_a_weapon(tail: &str, refs: &Reference) -> bool {
    let words: Vec<&str> = tail.split_whitespace().collect();
    let first = match words.first() {
        Some(f) => *f,
        None => return false,
    };
    if is_designation(first) || first.starts_with(['"', '“', '«']) {
        return true;
    }
    let known = |n: usize| {
        words.len() >= n
            && weapons::plain_keys(&words[..n].join(" "))
                .iter()
                .any(|k| refs.weapon_alias(k).is_some())
    };
    if known(1) || known(2) {
        return true;
    }
    let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    words.len() <= 4 && TYPE_WORDS.contains(&last.trim_end_matches(|c: char| !c.is_alphanumeric()))
}

/// Adds a serial to the ones found so far ("; " between several).
fn add_serial(out: &mut WeaponLabel, serial: String) {
    out.serial = Some(match out.serial.take() {
        Some(before) => format!("{before}; {serial}"),
        None => serial,
    });
}

/// What follows the last "number" in a note that says "serial number" ("chassis serial number
/// ХТС 639680H1353076"): the serial is all of it, spaces included.
fn after_serial_number(note: &str) -> Option<&str> {
    let lower = lowercase_aligned(note);
    lower.contains("serial number").then_some(())?;
    let at = lower.rfind("number")? + "number".len();
    Some(note[at..].trim())
}

/// Files one parenthesised note: a serial, a date with its meaning, another name of the
/// model, or a note.
fn take_note(note: &str, out: &mut WeaponLabel, extra_notes: &mut Vec<String>, refs: &Reference) {
    if let Some(s) = serial_in(note) {
        let s = after_serial_number(note).map_or(s, str::to_string);
        add_serial(out, s);
        return;
    }
    match dated(note) {
        Some(Dated::Produced(p)) if out.produced.is_none() => out.produced = Some(p),
        Some(Dated::UsedOn(d)) if out.used_on.is_none() => out.used_on = Some(d),
        Some(Dated::Recovered { on, at }) if out.found_on.is_none() => {
            out.found_on = Some(on);
            out.found_at = at;
        }
        // a second date of the same kind: kept as written rather than chosen between
        Some(_) => extra_notes.push(note.to_string()),
        None if weapons::plain_keys(note)
            .iter()
            .any(|k| refs.weapon_alias(k).is_some()) =>
        {
            // another name of the model: it resolves through the designation list anyway
        }
        None if !note.is_empty() => extra_notes.push(note.to_string()),
        None => {}
    }
}

/// A serial outside parentheses ("No. 14662", "№13678", "Tail Number ЫЫ 748"): the text before
/// its marker and the serial, when one is there.
fn serial_outside(rest: &str) -> Option<(String, String)> {
    // offsets found in `lower` are char boundaries of `rest` (see lowercase_aligned)
    let lower = lowercase_aligned(rest);
    let (at, len) = SERIAL_MARKERS
        .iter()
        .filter_map(|m| {
            let i = lower.find(m)?;
            let before_ok = i == 0 || lower[..i].ends_with([' ', ',']);
            let after = &lower[i + m.len()..];
            let after_ok = m.ends_with(|c: char| !c.is_alphanumeric())
                || after.starts_with([' ', '.', ':'])
                || after.starts_with(|c: char| c.is_ascii_digit());
            (before_ok
                && after_ok
                && after
                    .chars()
                    .any(|c| c.is_ascii_digit() || c.is_alphabetic()))
            .then_some((i, m.len()))
        })
        .min_by_key(|(i, _)| *i)?;
    let value = rest[at + len..]
        .trim_start_matches([' ', '.', ':'])
        .trim()
        .to_string();
    value.chars().any(char::is_alphanumeric).then(|| {
        let before = rest[..at].trim_end_matches([' ', ',']).to_string();
        (before, value)
    })
}

/// A trailing board number in Cyrillic letters ("Ы-954"), or a code after a designation
/// ("MS001"): the words before it and the number.
fn trailing_number(rest: &str) -> Option<(String, String)> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (last, before) = words
        .split_last()
        .filter(|(_, before)| !before.is_empty())?;
    let cyrillic_board = last.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.chars().all(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
            && b.chars().all(|c| c.is_ascii_digit())
            && !b.is_empty()
    });
    let code_after_designation = before.iter().any(|w| is_designation(w))
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && last.chars().filter(|c| c.is_ascii_digit()).count() >= 3
        && last.len() >= 5;
    (cyrillic_board || code_after_designation).then(|| (before.join(" "), last.to_string()))
}

/// `text` without the words a sub-assembly's parent may start with ("the", "Russian-made").
fn without_lead_words(text: &str) -> &str {
    let mut text = text.trim();
    for lead in LEAD_WORDS {
        if let Some(t) = text.strip_prefix(lead).filter(|t| t.starts_with(' ')) {
            text = t.trim_start();
        }
    }
    text
}

/// A sub-assembly "of the Kh-101 missile": the rightmost split whose tail names a weapon, as
/// (sub-assembly, weapon).
fn sub_assembly(rest: &str, refs: &Reference) -> Option<(String, String)> {
    // offsets found in `lower` are char boundaries of `rest` (see lowercase_aligned)
    let lower = lowercase_aligned(rest);
    let mut cut: Option<(usize, usize)> = None;
    for sep in [" of the ", " from the ", " of ", " from "] {
        for (at, _) in lower.match_indices(sep) {
            let tail = without_lead_words(&rest[at + sep.len()..]);
            if names_a_weapon(tail, refs) && cut.is_none_or(|(c, _)| at > c) {
                cut = Some((at, at + sep.len()));
            }
        }
    }
    let (head_end, tail_start) = cut?;
    Some((
        rest[..head_end].trim().to_string(),
        without_lead_words(&rest[tail_start..]).to_string(),
    ))
}

/// Takes a weapon label apart (see the module comment).
pub fn parse(label: &str, refs: &Reference) -> WeaponLabel {
    let (outside, notes) = parentheses(label.trim());
    let mut out = WeaponLabel::default();
    let mut extra_notes: Vec<String> = Vec::new();
    for n in &notes {
        take_note(n, &mut out, &mut extra_notes, refs);
    }
    let mut rest = unquote(&outside);
    if let Some((before, serial)) = serial_outside(&rest) {
        add_serial(&mut out, serial);
        rest = before;
    }
    if let Some((before, serial)) = trailing_number(&rest) {
        add_serial(&mut out, serial);
        rest = before;
    }
    if let Some((head, weapon)) = sub_assembly(&rest, refs) {
        extra_notes.insert(0, format!("sub-assembly: {head}"));
        rest = weapon;
    }
    out.model = rest.trim_matches([' ', ',', '-']).to_string();
    if weapons::whole_key(&out.model).is_empty() {
        // nothing identifying left: keep the label whole rather than guess
        return WeaponLabel {
            model: unquote(label),
            kept_whole: true,
            ..WeaponLabel::default()
        };
    }
    out.note = (!extra_notes.is_empty()).then(|| extra_notes.join("; "));
    out
}

/// Weapon labels for property tests, as publishers write them and worse.
#[cfg(test)]
pub(crate) mod strategies {
    use proptest::prelude::*;

    /// Letters whose case mapping changes their length (İ, ẞ, ﬀ, the Kelvin, Ohm and Ångström
    /// signs), Greek, Cyrillic and CJK, every serial marker, brackets, quotes, dates and the
    /// words a sub-assembly is split at, glued together with random text.
    pub fn weapon_labels() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "İ",
            "ẞ",
            "ﬀ",
            "ﬃ",
            "\u{212A}",
            "\u{2126}",
            "\u{212B}",
            "Ǆ",
            "ΐ",
            "Σ",
            "Ы",
            "Ж",
            "Орлан",
            "無人機",
            "ｳ",
            "№",
            "No.",
            "no",
            "NR.",
            "#",
            "s/n",
            "S/N",
            "Serial Number",
            "Tail Number",
            "board number",
            " ",
            " ",
            "(",
            ")",
            "\"",
            "«",
            "»",
            "-",
            ",",
            ".",
            ":",
            ";",
            "5",
            "954",
            "2022",
            "May 2022",
            "19.08.2023",
            "1Q2023",
            " of the ",
            " from ",
            "Kh-101",
            "Shahed-136",
            "UAV",
            " and ",
            "captured",
        ];
        proptest::collection::vec(
            prop_oneof![
                4 => proptest::sample::select(PIECES).prop_map(str::to_string),
                1 => "[^\r\n]{0,3}",
            ],
            0..14,
        )
        .prop_map(|pieces| pieces.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str) -> WeaponLabel {
        parse(label, Reference::get())
    }

    #[test]
    fn models_and_units_come_apart() {
        let l = p("UAV \"GERAN-2\" (Shahed-136) Ы-954");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("UAV GERAN-2", Some("Ы-954"))
        );
        let l = p("Orlan-10 UAV No. 14662");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("Orlan-10 UAV", Some("14662"))
        );
        let l = p("Orlan-10 UAV №11333 (May 2022)");
        assert_eq!(
            (l.serial.as_deref(), l.found_on.as_deref(), l.note),
            (Some("11333"), Some("2022-05"), None)
        );
        let l = p("\"Supercam S350\" UAV №2212S350SP19017");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("Supercam S350 UAV", Some("2212S350SP19017"))
        );
        let l = p("Missile Kh-69 (No.9504514305003 and No.9504513406014)");
        assert_eq!(l.serial.as_deref(), Some("9504514305003; 9504513406014"));
        let l = p("KamAZ-63968 \"Typhoon-K\" (chassis serial number ХТС 639680H1353076)");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("KamAZ-63968 Typhoon-K", Some("ХТС 639680H1353076"))
        );
        let l = p("Zala 421-16E UAV (captured in April 2022)");
        assert_eq!(
            (
                l.model.as_str(),
                l.found_on.as_deref(),
                l.found_at.as_deref()
            ),
            ("Zala 421-16E UAV", Some("2022-04"), None)
        );
        let l = p("Shahed-136 (GERAN-2) MS001");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("Shahed-136", Some("MS001"))
        );
        let l = p("Gerbera UAV, Tail Number ЫЫ 748");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("Gerbera UAV", Some("ЫЫ 748"))
        );
    }

    #[test]
    fn labels_written_here_in_the_same_styles_parse_too() {
        let l = p("UAV \"Orion\" №A-1234 (downed near Sumy, 12.03.2024)");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("UAV Orion", Some("A-1234"))
        );
        let l = p("Lancet-3 loitering munition No. 77123 (June 2023)");
        assert_eq!(
            (l.serial.as_deref(), l.found_on.as_deref()),
            (Some("77123"), Some("2023-06"))
        );
        let l = p("Guidance unit of the Kh-555 missile");
        assert_eq!(l.model, "Kh-555 missile");
        assert_eq!(l.note.as_deref(), Some("sub-assembly: Guidance unit"));
        let l = p("Portable detector of non-contact explosive devices");
        assert_eq!(
            l.model, "Portable detector of non-contact explosive devices",
            "no weapon after 'of': not split"
        );
        let l = p("Zala421-16E UAV");
        assert_eq!((l.model.as_str(), l.serial), ("Zala421-16E UAV", None));
        let l = p("Missile Kh-101 (usage from June 2022)");
        assert_eq!(
            (l.found_on.clone(), l.used_on.clone(), l.note.as_deref()),
            (None, None, Some("usage from June 2022"))
        );
        assert!(!l.names_a_unit(), "a model in use since, not a unit");
    }

    #[test]
    fn a_label_whose_case_mapping_changes_its_length_parses_without_panicking() {
        // "İ" is two bytes and lowercases to three: offsets in its lowercase missed "Ы"
        let l = p("İ No.Ы5");
        assert_eq!((l.model.as_str(), l.serial.as_deref()), ("İ", Some("Ы5")));
        let l = p("STRAẞE-7 UAV №\u{2126}-12");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("STRAẞE-7 UAV", Some("\u{2126}-12"))
        );
        let l = p("ﬀ-3 İİ Serial Number \u{212A} 7 (captured in May 2022)");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref(), l.found_on.as_deref()),
            ("ﬀ-3 İİ", Some("\u{212A} 7"), Some("2022-05"))
        );
        let l = p("Блок наведения İ-1 of the Kh-101 missile");
        assert_eq!(l.model, "Kh-101 missile");
        assert_eq!(l.note.as_deref(), Some("sub-assembly: Блок наведения İ-1"));
        let l = p("無人機 İ S/N 無7 (ẞ SERIAL NUMBER ЖК 55)");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("無人機 İ", Some("ЖК 55; 無7"))
        );
        let l = p("Орлан-10 Ω\u{212A} (Tail Number İ 9) Ы-954");
        assert_eq!(
            (l.model.as_str(), l.serial.as_deref()),
            ("Орлан-10 Ω\u{212A}", Some("İ 9; Ы-954"))
        );
    }

    /// The words of each piece of a parsed label (model, serials, notes), which must all come
    /// from the label: quotes and spacing go, notes come out of their brackets, nothing is made up.
    fn words_of_pieces(l: &WeaponLabel) -> Vec<String> {
        let mut pieces = vec![l.model.clone()];
        for joined in [&l.serial, &l.note, &l.found_at].into_iter().flatten() {
            pieces.extend(joined.split("; ").map(str::to_string));
        }
        pieces
            .iter()
            .map(|p| p.strip_prefix("sub-assembly: ").unwrap_or(p))
            .flat_map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn parsing_never_panics_and_every_piece_comes_from_the_label(
            label in strategies::weapon_labels()
        ) {
            let l = p(&label);
            let unquoted: String = label
                .chars()
                .filter(|c| !matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
                .collect();
            for word in words_of_pieces(&l) {
                proptest::prop_assert!(
                    label.contains(&word) || unquoted.contains(&word),
                    "{word:?} is not in {label:?}: {l:?}"
                );
            }
        }
    }

    #[test]
    fn only_dates_the_calendar_has_are_taken_from_a_label() {
        assert_eq!(date_alone("29.02.2024").as_deref(), Some("2024-02-29"));
        assert_eq!(date_alone("1.3.2024").as_deref(), Some("2024-03-01"));
        assert_eq!(date_alone("May 2022").as_deref(), Some("2022-05"));
        assert_eq!(date_alone("2025").as_deref(), Some("2025"));
        for not_a_date in [
            "29.02.2023",
            "31.04.2024",
            "19.13.2023",
            "May 0999",
            "1Q2023",
            "5Q2023",
            "xq2023",
            "2x25",
            "1899",
            "researched in December 2024",
        ] {
            assert_eq!(date_alone(not_a_date), None, "{not_a_date}");
        }
        let l = p("Orlan-10 UAV №11333 (captured 29.02.2023)");
        assert_eq!((l.serial.as_deref(), l.found_on), (Some("11333"), None));
        let l = p("Missile Kh-101 (produced 5Q2023)");
        assert_eq!(
            (l.produced, l.note.as_deref()),
            (None, Some("produced 5Q2023"))
        );
    }

    #[test]
    fn dates_in_labels_keep_their_meaning() {
        let l = p("Missile Kh-101 №3152631314019 (produced 1Q2023)");
        let produced = l.produced.clone().expect("a production date");
        assert_eq!(
            (
                produced.from.as_str(),
                produced.to.as_deref(),
                produced.stated.as_str()
            ),
            ("2023-01-01", Some("2023-03-31"), "1Q2023")
        );
        assert_eq!((l.found_on, l.note), (None, None), "not a recovery date");
        let l = p("Missile 3M-14 Kalibr (produced not earlier than 2021)");
        let produced = l.produced.clone().expect("a lower bound");
        assert_eq!(
            (
                produced.from.as_str(),
                produced.to,
                produced.stated.as_str()
            ),
            ("2021-01-01", None, "not earlier than 2021")
        );
        assert!(l.names_a_unit(), "the unit the label describes");
        let l = p("Navigation system SN-99 (produced in March 2023)");
        let produced = l.produced.expect("a month");
        assert_eq!(
            (
                produced.from.as_str(),
                produced.to.as_deref(),
                produced.stated.as_str()
            ),
            ("2023-03-01", Some("2023-03-31"), "March 2023")
        );
        let l = p("Missile Kh-101 №3152638829015 (used on 02.01.2024)");
        assert_eq!(
            (l.used_on.as_deref(), l.found_on, l.note),
            (Some("2024-01-02"), None, None)
        );
        let l = p("Missile 9M727 \"Iskander-K\" (Chernihiv, 19.08.2023)");
        assert_eq!(
            (l.found_on.as_deref(), l.found_at.as_deref(), l.note),
            (Some("2023-08-19"), Some("Chernihiv"), None)
        );
        let l = p("Missile \"Iskander-K\" (April 2022)");
        assert_eq!((l.found_on.as_deref(), l.found_at), (Some("2022-04"), None));
        let l = p("UAV \"Orion\" №A-1234 (downed near Sumy, 12.03.2024)");
        assert_eq!(
            (l.found_on.as_deref(), l.found_at.as_deref()),
            (Some("2024-03-12"), Some("near Sumy"))
        );
        for (label, note) in [
            (
                "\"Tornado-C\" 9M549 MLRS guided missile (researched in December 2024)",
                "researched in December 2024",
            ),
            (
                "Missile Kh-59MK (used from March 2022)",
                "used from March 2022",
            ),
            ("UAV \"Shahed-136\" (use in 2025)", "use in 2025"),
            (
                "Geran-2 UAV (series \"Э\", with R-60 missile)",
                "series \"Э\", with R-60 missile",
            ),
        ] {
            let l = p(label);
            assert_eq!(l.note.as_deref(), Some(note), "{label}");
            assert!(!l.names_a_unit(), "{label}: {l:?}");
        }
    }

    #[test]
    fn a_label_with_nothing_identifying_is_kept_whole() {
        let l = p("UAV (No. 5)");
        assert!(l.kept_whole, "{l:?}");
        assert_eq!(l.model, "UAV (No. 5)");
    }
}
