//! One customs-style shipment record as a file states it (`comptrace shipments import`), checked
//! field by field before anything touches the catalogue (docs/supply-chain.md). Pure: a bad
//! field names its column; callers add the file and line.

use sha2::{Digest, Sha256};

use crate::country;
use crate::dates::parse_partial_date;
use crate::normalize::non_empty;

/// The columns of a shipments file, in their documented order, with what each holds.
pub const COLUMNS: &[(&str, &str)] = &[
    (
        "date",
        "When it was shipped or declared (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    (
        "hs_code",
        "The Harmonized System code as declared (digits, dots allowed: 8542.31)",
    ),
    ("description", "The product description as declared"),
    ("part_number", "The part number as declared"),
    ("brand", "The brand (maker) as declared"),
    ("quantity", "How many units (a whole number)"),
    ("value", "The declared value (a decimal number)"),
    (
        "currency",
        "The value's currency (ISO 4217, three letters: USD)",
    ),
    ("exporter", "Who shipped it (required)"),
    ("exporter_country", "The exporter's country (code or name)"),
    ("importer", "Who received it (required)"),
    ("importer_country", "The importer's country (code or name)"),
    ("source_publisher", "Who published the record"),
    ("source_title", "Title of the source"),
    ("source_url", "URL of the source"),
    ("source_date", "Date of the source (ISO 8601)"),
];

/// A checked record: each column's text as checked (countries as alpha-2, dates as ISO 8601),
/// None where empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    values: Vec<Option<String>>,
}

/// A field that failed its check.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub column: &'static str,
    pub message: String,
}

fn index(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|(c, _)| *c == name)
        .unwrap_or_else(|| panic!("'{name}' is not a shipment column"))
}

impl Shipment {
    /// Checks a record; `get(column)` gives a column's raw text. The leftmost error comes first.
    pub fn from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Shipment, FieldError> {
        let values = COLUMNS
            .iter()
            .map(|&(name, _)| {
                check(name, get(name).and_then(non_empty)).map_err(|message| FieldError {
                    column: name,
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let s = Shipment { values };
        for required in ["exporter", "importer"] {
            if s.get(required).is_none() {
                return Err(FieldError {
                    column: required,
                    message: format!("{required} is required"),
                });
            }
        }
        if s.get("part_number").is_none()
            && s.get("brand").is_none()
            && s.get("description").is_none()
        {
            return Err(FieldError {
                column: "part_number",
                message: "a shipment needs a part_number, a brand or a description; all are empty"
                    .into(),
            });
        }
        Ok(s)
    }

    /// A column's checked text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values[index(name)].as_deref()
    }

    pub fn quantity(&self) -> Option<i64> {
        self.get("quantity").and_then(|q| q.parse().ok())
    }

    pub fn value(&self) -> Option<f64> {
        self.get("value").and_then(|v| v.parse().ok())
    }

    /// What makes two rows one record: every column as checked. 128 bits of SHA-256.
    pub fn fingerprint(&self) -> [u8; 16] {
        let mut h = Sha256::new();
        for v in &self.values {
            h.update(v.as_deref().unwrap_or_default().as_bytes());
            h.update([0x1f]);
        }
        let digest = h.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }
}

fn check(column: &str, text: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = text else { return Ok(None) };
    let text = text.trim();
    let checked = match column {
        "date" | "source_date" => parse_partial_date(text)?,
        "exporter_country" | "importer_country" => match country::lookup(text) {
            Some(c) => c.alpha2.clone(),
            None => return Err(format!("unknown country '{text}' (use an ISO 3166-1 code such as CN or HKG, or an English name)")),
        },
        "hs_code" => hs_code(text)?,
        "quantity" => match text.parse::<i64>() {
            Ok(q) if q >= 0 => q.to_string(),
            _ => return Err(format!("'{text}' is not a whole number of units")),
        },
        "value" => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => text.to_string(),
            _ => return Err(format!("'{text}' is not a value (a decimal number such as 1250.50)")),
        },
        "currency" => {
            if text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()) {
                text.to_ascii_uppercase()
            } else {
                return Err(format!("'{text}' is not a currency code (three letters: USD, EUR, CNY)"));
            }
        }
        _ => text.to_string(),
    };
    Ok(Some(checked))
}

/// An HS code as declared: 2 to 10 digits, dots and spaces between them allowed; kept as digits.
fn hs_code(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(|c| *c != '.' && *c != ' ').collect();
    if (2..=10).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(format!(
            "'{text}' is not an HS code (2 to 10 digits, such as 8542.31)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn record(pairs: &[(&str, &str)]) -> Result<Shipment, FieldError> {
        let m: HashMap<&str, &str> = pairs.iter().copied().collect();
        Shipment::from_fields(|c| m.get(c).copied())
    }

    #[test]
    fn a_record_is_checked_field_by_field() {
        let s = record(&[
            ("date", "2023-05"),
            ("hs_code", "8542.31"),
            ("part_number", "TPS54331"),
            ("exporter", "X Ltd"),
            ("exporter_country", "Hong Kong"),
            ("importer", "Y LLC"),
            ("importer_country", "RUS"),
            ("currency", "usd"),
            ("value", "1250.50"),
        ])
        .unwrap();
        assert_eq!(s.get("hs_code"), Some("854231"));
        assert_eq!(s.get("exporter_country"), Some("HK"));
        assert_eq!(s.get("importer_country"), Some("RU"));
        assert_eq!(s.get("currency"), Some("USD"));
        assert_eq!(s.value(), Some(1250.5));
        for (column, bad) in [
            ("hs_code", "85A2"),
            ("quantity", "-1"),
            ("value", "lots"),
            ("currency", "dollars"),
            ("date", "2023-13"),
            ("exporter_country", "Atlantis"),
        ] {
            let e = record(&[
                ("part_number", "X"),
                ("exporter", "a"),
                ("importer", "b"),
                (column, bad),
            ])
            .unwrap_err();
            assert_eq!(e.column, column, "{bad}");
        }
        assert_eq!(
            record(&[("part_number", "X"), ("importer", "b")])
                .unwrap_err()
                .column,
            "exporter"
        );
        assert_eq!(
            record(&[("exporter", "a"), ("importer", "b")])
                .unwrap_err()
                .column,
            "part_number"
        );
    }

    #[test]
    fn the_fingerprint_is_the_record_as_checked() {
        let a = record(&[
            ("part_number", "X"),
            ("exporter", "a"),
            ("importer", "b"),
            ("currency", "usd"),
        ]);
        let b = record(&[
            ("part_number", "X"),
            ("exporter", "a"),
            ("importer", "b"),
            ("currency", "USD"),
        ]);
        let c = record(&[("part_number", "X"), ("exporter", "a"), ("importer", "c")]);
        assert_eq!(a.clone().unwrap().fingerprint(), b.unwrap().fingerprint());
        assert_ne!(a.unwrap().fingerprint(), c.unwrap().fingerprint());
    }
}
