//! One finding as an investigator states it (a CSV row of the import format, or the flags of
//! `comptrace log`), checked field by field before anything touches the catalogue.
//! Checking is pure: a bad field yields a `FieldError` naming the column, and callers add the
//! file and line.

use crate::country;
use crate::dates::{self, parse_partial_date};
use crate::normalize::non_empty;

/// How a field's text is checked, and what it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Free text, required
    Required,
    /// Free text
    Text,
    /// An ISO 3166-1 country by code or name, kept as alpha-2
    Country,
    /// An ISO 8601 date at year, month or day precision
    Date,
    /// When a unit was built: an ISO 8601 date or a quarter (2023-Q1, 1Q2023), or either as a
    /// lower bound (">=2021", "not earlier than 2021"); kept as written
    Produced,
    /// high, medium or low
    Confidence,
    /// A comptrace stable id (UUID), carried by exports so identity survives the round trip
    Uid,
    /// A count of at least 1; 1 is the default and is kept as no value
    Quantity,
    /// An HS code: 6 to 10 digits, dots and spaces dropped (src/classification.rs)
    HsCode,
    /// An Export Control Classification Number (3A001, EAR99)
    Eccn,
}

/// One field of a finding. This table is the only list of them: it is the import format's
/// header, the `log` command's flags, the columns `export` writes and, through `identifies`,
/// what makes two statements one finding (the fingerprint).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub check: Check,
    /// Part of the finding's identity: two rows that agree on every identifying field (and
    /// cite the same sources) state one finding.
    pub identifies: bool,
    /// Environment variable the `log` flag falls back to.
    pub env: Option<&'static str>,
    /// What the field holds: the `log` flag's help.
    pub help: &'static str,
}

const fn field(name: &'static str, check: Check, identifies: bool, help: &'static str) -> Field {
    Field {
        name,
        check,
        identifies,
        env: None,
        help,
    }
}

/// Every field of a finding, in the import format's documented order.
pub const FIELDS: &[Field] = &[
    field("weapon", Check::Required, true, "Weapon model the part was found in (required)"),
    field("weapon_origin_country", Check::Country, false, "Country the weapon model comes from (code or name)"),
    field("weapon_type", Check::Text, false, "Kind of weapon (UAV, cruise missile ...)"),
    field("unit_serial", Check::Text, true, "Serial or tail number of the recovered unit"),
    field("component", Check::Text, true, "What the part is, as named in the teardown"),
    field("part_number", Check::Text, true, "Part number or model as printed"),
    field("category", Check::Text, false, "Category (microcontroller, camera, engine ...)"),
    field("hs_code", Check::HsCode, false, "The part's HS code as stated, six digits or more (8542.31); see docs/classification.md"),
    field("eccn", Check::Eccn, false, "The part's Export Control Classification Number as stated (3A001, EAR99); never inferred"),
    field("manufacturer", Check::Text, true, "The maker; leave out when unknown"),
    field("manufacturer_country", Check::Country, true, "The maker's headquarters country"),
    field("production_country", Check::Country, true, "Where this unit was produced, if marked (\"Made in Malaysia\": MY)"),
    field("marking", Check::Text, true, "The marking text as read off the part"),
    field("date_code", Check::Text, true, "The date code as printed (for example 2214)"),
    field("lot", Check::Text, true, "Lot number as printed"),
    field("found_on", Check::Date, true, "When the weapon was recovered (ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY)"),
    field("found_at", Check::Text, true, "Where the weapon was recovered"),
    field("quantity", Check::Quantity, true, "How many identical parts of this kind the unit held (default 1): two identical chips are one row with quantity 2, never two rows"),
    field("unit_produced", Check::Produced, true, "When the recovered unit was built: 2023, 2023-03, 2023-03-15, a quarter (2023-Q1 or 1Q2023), or a lower bound (>=2021, \"not earlier than 2021\")"),
    field("unit_used_on", Check::Date, true, "When the recovered unit was used, launched or fired (ISO 8601)"),
    // who built the weapon: a fact about the weapon the row's sources state, not part of the
    // finding's identity (adding it to a row already imported adds no finding)
    field("weapon_producer", Check::Text, false, "Who built the weapon or unit (organisation), as the sources state"),
    field("weapon_production_site", Check::Text, false, "Where it was built (\"Alabuga SEZ, Yelabuga\")"),
    // sources count in a finding's identity through their keys (all of them, not only these)
    field("source_publisher", Check::Text, false, "Who published the source"),
    field("source_title", Check::Text, false, "Title of the source"),
    field("source_url", Check::Text, false, "URL of the source"),
    field("source_date", Check::Date, false, "Date of the source (ISO 8601)"),
    field("confidence", Check::Confidence, false, "high, medium or low"),
    Field {
        env: Some("COMPTRACE_INVESTIGATOR"),
        ..field("investigator", Check::Text, false, "Who logged the finding")
    },
    field("notes", Check::Text, false, "Free notes"),
    field("uid", Check::Uid, false, "The finding's stable id, as an export wrote it (rows of one finding with several sources share it)"),
];

/// The import format's column names, in order (the names of FIELDS).
pub static COLUMNS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| FIELDS.iter().map(|f| f.name).collect());

/// A field that failed its check: which column, and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub column: &'static str,
    pub message: String,
}

/// Where a finding's evidence is: a report or page named by URL and/or publisher and title.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Citation {
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

impl Citation {
    pub fn is_empty(&self) -> bool {
        self.publisher.is_none() && self.title.is_none() && self.url.is_none()
    }
}

/// A checked finding: the value of each field of FIELDS as stated, checked (countries as ISO
/// alpha-2 codes, dates as ISO 8601 text, confidence in lower case), None where empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    values: Vec<Option<String>>,
}

/// The position of a field in FIELDS; a name not in the table is a programming error.
fn position(name: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("'{name}' is not a field of a finding"))
}

/// `position`, worked out while compiling: the accessors below cost an index, not a search
/// through the table (the import reads them millions of times).
const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < FIELDS.len() {
        if same_text(FIELDS[i].name, name) {
            return i;
        }
        i += 1;
    }
    panic!("not a field of a finding")
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Accessors by field name, each an index fixed at compile time.
macro_rules! accessors {
    ($($name:ident),* $(,)?) => {
        impl Finding {
            $(
                pub fn $name(&self) -> Option<&str> {
                    self.values[const { index_of(stringify!($name)) }].as_deref()
                }
            )*
        }
    };
}

accessors!(
    weapon_origin_country,
    weapon_type,
    unit_serial,
    component,
    part_number,
    category,
    hs_code,
    eccn,
    manufacturer,
    manufacturer_country,
    production_country,
    marking,
    date_code,
    lot,
    found_on,
    found_at,
    quantity,
    unit_produced,
    unit_used_on,
    source_date,
    confidence,
    investigator,
    notes,
    uid,
);

impl Finding {
    /// Builds a finding from raw field values; `get(column)` returns the raw text of a column
    /// (None or empty when absent). Fields are checked in column order, so the first error
    /// reported is the leftmost one.
    pub fn from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Finding, FieldError> {
        let values = FIELDS
            .iter()
            .map(|f| {
                check(f, get(f.name).and_then(non_empty)).map_err(|message| FieldError {
                    column: f.name,
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let f = Finding { values };
        if f.component().is_none() && f.part_number().is_none() {
            return Err(FieldError {
                column: "component",
                message: "a finding needs a component or a part_number; both are empty".into(),
            });
        }
        Ok(f)
    }

    /// The checked text of a field, by its name in FIELDS.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values[position(name)].as_deref()
    }

    /// Sets a field to an already checked value (used when a caller rebuilds a finding).
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.values[position(name)] = value;
    }

    /// Every field with its value, in FIELDS order.
    pub fn values(&self) -> impl Iterator<Item = (&'static Field, Option<&str>)> {
        FIELDS.iter().zip(self.values.iter().map(Option::as_deref))
    }

    pub fn weapon(&self) -> &str {
        self.values[const { index_of("weapon") }]
            .as_deref()
            .expect("checked: weapon is required")
    }

    /// How many identical parts the finding states (1 unless stated).
    pub fn quantity_count(&self) -> i64 {
        self.quantity().and_then(|q| q.parse().ok()).unwrap_or(1)
    }

    /// The source the source_* fields describe.
    pub fn citation(&self) -> Citation {
        let text = |n: &str| self.get(n).map(str::to_string);
        Citation {
            publisher: text("source_publisher"),
            title: text("source_title"),
            url: text("source_url"),
            date: text("source_date"),
        }
    }

    /// The same finding without its source_* fields (its evidence travels separately).
    pub fn without_citation(mut self) -> Finding {
        for name in [
            "source_publisher",
            "source_title",
            "source_url",
            "source_date",
        ] {
            self.set(name, None);
        }
        self
    }

    /// Whether two findings state the same thing apart from their sources.
    pub fn same_apart_from_sources(&self, other: &Finding) -> bool {
        self.values()
            .zip(other.values())
            .all(|((f, a), (_, b))| f.name.starts_with("source_") || a == b)
    }

    /// The date this finding was made: when the unit was recovered, else when the source says.
    pub fn observed_on(&self) -> Option<&str> {
        self.found_on().or(self.source_date())
    }
}

/// Checks one field's text; returns what is kept.
fn check(field: &Field, value: Option<&str>) -> Result<Option<String>, String> {
    match (field.check, value) {
        (Check::Required, None) => Err("is required and empty".into()),
        (_, None) => Ok(None),
        (Check::Required | Check::Text, Some(t)) => Ok(Some(t.to_string())),
        (Check::Country, Some(t)) => Ok(country::resolve(Some(t))?.map(str::to_string)),
        (Check::Date, Some(t)) => parse_partial_date(t).map(Some),
        (Check::Produced, Some(t)) => dates::produced(t).map(|p| Some(p.stated)),
        (Check::Confidence, Some(t)) => confidence(t).map(|c| Some(c.to_string())),
        (Check::Quantity, Some(t)) => quantity(t),
        (Check::HsCode, Some(t)) => crate::classification::parse_hs_code(t).map(Some),
        (Check::Eccn, Some(t)) => crate::classification::parse_eccn(t).map(Some),
        (Check::Uid, Some(t)) => uuid::Uuid::try_parse(t)
            .map(|u| Some(u.hyphenated().to_string()))
            .map_err(|_| format!("'{t}' is not a comptrace stable id (a UUID)")),
    }
}

/// A count of identical parts; 1, the default, is kept as no value so that stating it or not
/// is one finding.
fn quantity(value: &str) -> Result<Option<String>, String> {
    match value.trim().parse::<u32>() {
        Ok(0) | Err(_) => Err(format!(
            "'{value}' is not a whole number of parts (1 or more)"
        )),
        Ok(1) => Ok(None),
        Ok(n) => Ok(Some(n.to_string())),
    }
}

fn confidence(value: &str) -> Result<&'static str, String> {
    match value.to_lowercase().as_str() {
        "high" => Ok("high"),
        "medium" => Ok("medium"),
        "low" => Ok("low"),
        other => Err(format!("'{other}' is not one of high, medium, low")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn finding(pairs: &[(&str, &str)]) -> Result<Finding, FieldError> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        Finding::from_fields(|c| map.get(c).copied())
    }

    #[test]
    fn minimal_finding_is_weapon_and_component() {
        let f = finding(&[("weapon", "Gerbera"), ("component", "camera")]).unwrap();
        assert_eq!(f.weapon(), "Gerbera");
        assert_eq!(f.manufacturer(), None);
    }

    #[test]
    fn countries_resolve_to_alpha2() {
        let f = finding(&[
            ("weapon", "Gerbera"),
            ("part_number", "A40 Pro"),
            ("manufacturer", "Viewpro"),
            ("manufacturer_country", "People's Republic of China"),
            ("production_country", "MYS"),
        ])
        .unwrap();
        assert_eq!(f.manufacturer_country(), Some("CN"));
        assert_eq!(f.production_country(), Some("MY"));
    }

    #[test]
    fn each_bad_field_names_its_column() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("component", "x")], "weapon"),
            (&[("weapon", "w")], "component"),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("found_on", "2023-02-30"),
                ],
                "found_on",
            ),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("source_date", "yesterday"),
                ],
                "source_date",
            ),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("manufacturer", "m"),
                    ("manufacturer_country", "Atlantis"),
                ],
                "manufacturer_country",
            ),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("confidence", "certain"),
                ],
                "confidence",
            ),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("unit_produced", "spring 2023"),
                ],
                "unit_produced",
            ),
            (
                &[
                    ("weapon", "w"),
                    ("component", "x"),
                    ("unit_used_on", "02.01.2024"),
                ],
                "unit_used_on",
            ),
            (
                &[("weapon", "w"), ("component", "x"), ("hs_code", "8542")],
                "hs_code",
            ),
            (
                &[("weapon", "w"), ("component", "x"), ("eccn", "3Z001")],
                "eccn",
            ),
        ];
        for (pairs, column) in cases {
            assert_eq!(finding(pairs).unwrap_err().column, *column, "{pairs:?}");
        }
    }

    #[test]
    fn observed_on_prefers_recovery_date() {
        let f = finding(&[
            ("weapon", "w"),
            ("component", "x"),
            ("source_date", "2024-01"),
            ("found_on", "2023-12-30"),
        ])
        .unwrap();
        assert_eq!(f.observed_on(), Some("2023-12-30"));
        let f = finding(&[
            ("weapon", "w"),
            ("component", "x"),
            ("source_date", "2024-01"),
        ])
        .unwrap();
        assert_eq!(f.observed_on(), Some("2024-01"));
    }
}
