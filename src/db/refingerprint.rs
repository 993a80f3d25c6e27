//! Schema v6: every observation's fingerprint recomputed from what its row stated.
//!
//! Versions before 6 hashed the row's fields in another order, without reading runs of white
//! space as one, and did not keep which unit serial and recovery date the row itself gave (a
//! unit's may have come from its weapon label). Both are recovered here by trying the few
//! possible readings against the stored fingerprint: the one that reproduces it is what the
//! row stated, and its copy number (identical rows of one file were separate findings) is
//! kept. An observation no reading reproduces (written by hand, outside comptrace) keeps the
//! unit's values as stated.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

use super::ingest::{fingerprint_with_keys, finish_fingerprint};
use crate::finding::Finding;

/// The fingerprint as versions 1 to 5 computed it.
fn legacy_fingerprint(fields: &[Option<&str>; 12], keys: &[String], copy: u32) -> [u8; 16] {
    let mut h = Sha256::new();
    for field in fields {
        h.update(field.unwrap_or("").as_bytes());
        h.update([0x1f]);
    }
    finish_fingerprint(h, keys, copy)
}

/// One observation as stored, with what its row may have stated.
struct Stored {
    id: i64,
    fingerprint: Vec<u8>,
    /// the stated text of each field, by name (unit serial and date filled in below)
    text: HashMap<&'static str, Option<String>>,
    /// the text of its part spelling: its part number, or another row's where it named only
    /// the component
    part_text: String,
    unit_serial: Option<String>,
    unit_found_on: Option<String>,
    keys: Vec<String>,
}

/// What an observation's row stated where the catalogue keeps it elsewhere.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    part_number: Option<String>,
    unit_serial: Option<String>,
    found_on: Option<String>,
}

/// How far identical rows of one file are tried as copies (a published scrape repeats single
/// records over 300 times); an observation past this keeps the unit's values as stated.
const MAX_COPIES: u32 = 10_000;

/// Finds which reading of the part number, the unit's serial and date, and which copy
/// number, reproduce the stored fingerprint.
fn stated_reading(s: &Stored) -> (Reading, u32) {
    let t = |n: &str| s.text.get(n).and_then(|v| v.as_deref());
    let mut readings = Vec::new();
    for part_number in [Some(s.part_text.as_str()), None] {
        for unit_serial in [None, s.unit_serial.as_deref()] {
            for found_on in [None, s.unit_found_on.as_deref()] {
                readings.push((part_number, unit_serial, found_on));
            }
        }
    }
    for copy in 0..=MAX_COPIES {
        for &(part_number, serial, found_on) in &readings {
            let fields = [
                t("weapon"),
                serial,
                found_on,
                t("found_at"),
                t("component"),
                part_number,
                t("manufacturer"),
                t("marking"),
                t("date_code"),
                t("lot"),
                t("production_country"),
                t("manufacturer_country"),
            ];
            if legacy_fingerprint(&fields, &s.keys, copy)[..] == s.fingerprint[..] {
                let own = |v: Option<&str>| v.map(str::to_string);
                let reading = Reading {
                    part_number: own(part_number),
                    unit_serial: own(serial),
                    found_on: own(found_on),
                };
                return (reading, copy);
            }
        }
    }
    // not written by comptrace: the spelling is the part number unless it is the component
    let named_only = t("component") == Some(s.part_text.as_str());
    let reading = Reading {
        part_number: (!named_only).then(|| s.part_text.clone()),
        unit_serial: s.unit_serial.clone(),
        found_on: s.unit_found_on.clone(),
    };
    (reading, 0)
}

fn stored(conn: &Connection) -> Result<Vec<Stored>> {
    let mut keys = super::export::source_keys(conn)?;
    let mut stmt = conn.prepare(
        "SELECT o.id, o.fingerprint, ws.text, u.serial, u.found_on, u.found_at, o.component_text,
                ps.text, os.text, o.marking, o.date_code,
                o.lot, o.production_country, o.manufacturer_country
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         ORDER BY o.id",
    )?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text = HashMap::from([
            ("weapon", r.get(2)?),
            ("found_at", r.get(5)?),
            ("component", r.get(6)?),
            ("manufacturer", r.get(8)?),
            ("marking", r.get(9)?),
            ("date_code", r.get(10)?),
            ("lot", r.get(11)?),
            ("production_country", r.get(12)?),
            ("manufacturer_country", r.get(13)?),
        ]);
        let mut k = keys.remove(&id).unwrap_or_default();
        k.sort();
        out.push(Stored {
            id,
            fingerprint: r.get(1)?,
            text,
            part_text: r.get(7)?,
            unit_serial: r.get(3)?,
            unit_found_on: r.get(4)?,
            keys: k,
        });
    }
    Ok(out)
}

/// Recomputes every observation's fingerprint and fills its stated unit serial and date.
pub fn refingerprint(conn: &Connection) -> Result<()> {
    let all = stored(conn)?;
    // fingerprints are unique: park every row on a value no fingerprint can take (its id as
    // text, shorter than 16 bytes) so the new ones can be written in any order
    conn.execute_batch("UPDATE observation SET fingerprint = CAST(CAST(id AS TEXT) AS BLOB)")?;
    let mut taken: HashSet<[u8; 16]> = HashSet::new();
    let mut update = conn.prepare(
        "UPDATE observation SET fingerprint = ?2, stated_part_number = ?3, stated_unit_serial = ?4,
                stated_found_on = ?5 WHERE id = ?1",
    )?;
    for s in all {
        let (stated, mut copy) = stated_reading(&s);
        let get = |n: &str| match n {
            "part_number" => stated.part_number.as_deref(),
            "unit_serial" => stated.unit_serial.as_deref(),
            "found_on" => stated.found_on.as_deref(),
            _ => s.text.get(n).and_then(|v| v.as_deref()),
        };
        let finding = Finding::from_fields(get)
            .map_err(|e| anyhow::anyhow!("observation {}: {}: {}", s.id, e.column, e.message))?;
        // two findings that differed only in white space are now one finding stated twice;
        // both stay, as copies
        let fingerprint = loop {
            let f = fingerprint_with_keys(&finding, s.keys.clone(), copy);
            if taken.insert(f) {
                break f;
            }
            copy += 1;
        };
        update.execute(params![
            s.id,
            &fingerprint[..],
            stated.part_number,
            stated.unit_serial,
            stated.found_on
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legacy_fingerprint_is_read_back_with_its_reading_and_copy() {
        let keys = vec!["url:https://e.org/1".to_string()];
        let text = HashMap::from([("weapon", Some("Orlan-10 UAV No. 14662".to_string()))]);
        let fields = [
            Some("Orlan-10 UAV No. 14662"),
            Some("14662"),
            None,
            None,
            None,
            Some("A1"),
            None,
            None,
            None,
            None,
            None,
            None,
        ];
        let s = Stored {
            id: 1,
            fingerprint: legacy_fingerprint(&fields, &keys, 2).to_vec(),
            text,
            part_text: "A1".into(),
            unit_serial: Some("14662".into()),
            unit_found_on: Some("2023-05-01".into()),
            keys,
        };
        let expected = Reading {
            part_number: Some("A1".into()),
            unit_serial: Some("14662".into()),
            found_on: None,
        };
        assert_eq!(stated_reading(&s), (expected, 2));
    }
}
