//! One finding as an investigator states it (a CSV row of the import format, or the flags of
//! `comptrace log`), checked field by field before anything touches the catalogue.
//! Checking is pure: a bad field yields a `FieldError` naming the column, and callers add the
//! file and line.

use crate::country;
use crate::dates::parse_partial_date;
use crate::normalize::non_empty;

/// The import format's columns, in their documented order. Header names are case-insensitive.
pub const COLUMNS: &[&str] = &[
    "weapon",
    "weapon_origin_country",
    "weapon_type",
    "unit_serial",
    "component",
    "part_number",
    "category",
    "manufacturer",
    "manufacturer_country",
    "production_country",
    "marking",
    "date_code",
    "lot",
    "found_on",
    "found_at",
    "source_publisher",
    "source_title",
    "source_url",
    "source_date",
    "confidence",
    "investigator",
    "notes",
];

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

/// A checked finding. Countries are ISO alpha-2 codes, dates ISO 8601 text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Finding {
    pub weapon: String,
    pub weapon_origin_country: Option<&'static str>,
    pub weapon_type: Option<String>,
    pub unit_serial: Option<String>,
    pub component: Option<String>,
    pub part_number: Option<String>,
    pub category: Option<String>,
    pub manufacturer: Option<String>,
    pub manufacturer_country: Option<&'static str>,
    pub production_country: Option<&'static str>,
    pub marking: Option<String>,
    pub date_code: Option<String>,
    pub lot: Option<String>,
    pub found_on: Option<String>,
    pub found_at: Option<String>,
    pub citation: Citation,
    pub confidence: Option<&'static str>,
    pub investigator: Option<String>,
    pub notes: Option<String>,
}

impl Finding {
    /// Builds a finding from raw field values; `get(column)` returns the raw text of a column
    /// (None or empty when absent). Fields are checked in column order, so the first error
    /// reported is the leftmost one.
    pub fn from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Finding, FieldError> {
        let text = |c: &str| get(c).and_then(non_empty).map(str::to_string);
        let country = |c: &'static str| {
            country::resolve(get(c).and_then(non_empty))
                .map_err(|message| FieldError { column: c, message })
        };
        let date = |c: &'static str| match get(c).and_then(non_empty) {
            None => Ok(None),
            Some(d) => parse_partial_date(d)
                .map(Some)
                .map_err(|message| FieldError { column: c, message }),
        };
        let weapon = text("weapon").ok_or_else(|| FieldError {
            column: "weapon",
            message: "is required and empty".into(),
        })?;
        let f = Finding {
            weapon,
            weapon_origin_country: country("weapon_origin_country")?,
            weapon_type: text("weapon_type"),
            unit_serial: text("unit_serial"),
            component: text("component"),
            part_number: text("part_number"),
            category: text("category"),
            manufacturer: text("manufacturer"),
            manufacturer_country: country("manufacturer_country")?,
            production_country: country("production_country")?,
            marking: text("marking"),
            date_code: text("date_code"),
            lot: text("lot"),
            found_on: date("found_on")?,
            found_at: text("found_at"),
            citation: Citation {
                publisher: text("source_publisher"),
                title: text("source_title"),
                url: text("source_url"),
                date: date("source_date")?,
            },
            confidence: confidence(get("confidence").and_then(non_empty))?,
            investigator: text("investigator"),
            notes: text("notes"),
        };
        if f.component.is_none() && f.part_number.is_none() {
            return Err(FieldError {
                column: "component",
                message: "a finding needs a component or a part_number; both are empty".into(),
            });
        }
        Ok(f)
    }

    /// The date this finding was made: when the unit was recovered, else when the source says.
    pub fn observed_on(&self) -> Option<&str> {
        self.found_on.as_deref().or(self.citation.date.as_deref())
    }
}

fn confidence(value: Option<&str>) -> Result<Option<&'static str>, FieldError> {
    match value.map(str::to_lowercase).as_deref() {
        None => Ok(None),
        Some("high") => Ok(Some("high")),
        Some("medium") => Ok(Some("medium")),
        Some("low") => Ok(Some("low")),
        Some(other) => Err(FieldError {
            column: "confidence",
            message: format!("'{other}' is not one of high, medium, low"),
        }),
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
        assert_eq!(f.weapon, "Gerbera");
        assert_eq!(f.manufacturer, None);
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
        assert_eq!(f.manufacturer_country, Some("CN"));
        assert_eq!(f.production_country, Some("MY"));
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
