//! Units from weapon labels, read again when the reading of labels changes (a migration step,
//! schema v7: dates in labels keep their meaning). Before v7 `(produced 1Q2023)` gave a unit
//! the recovery date 2023, `(Chernihiv, 19.08.2023)` no place, and a label that said only when
//! its unit was built named no unit at all; a catalogue migrated without this pass would keep
//! those readings, and importing its file again would add units beside them.
//!
//! Every observation whose unit came from a label, or that has no unit, is given the unit its
//! row as stated and its label now name, exactly as ingest would: a label unit is corrected in
//! place (it keeps its stable id) when nothing else holds its new key, and label units no
//! observation names any more are removed. Units a row named itself are not touched.

use std::collections::HashSet;

use anyhow::{Context, Result};
use rusqlite::{params, Connection};

use super::resolve::UnitFacts;
use super::Ingester;
use crate::finding::Finding;

/// An observation to read again: its id and unit, its weapon label and that label's model
/// (origin), and the serial, recovery date and place its own row stated.
type Row = (
    i64,
    Option<i64>,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Gives every observation the unit its stated row and its weapon label now name.
pub fn relabel_units(conn: &Connection) -> Result<()> {
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT o.id, o.unit_id, ws.text, ws.origin_weapon_id, o.stated_unit_serial,
                    o.stated_found_on, o.stated_found_at
             FROM observation o JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
             LEFT JOIN weapon_unit u ON u.id = o.unit_id
             WHERE o.unit_id IS NULL OR u.label IS NOT NULL
             ORDER BY o.id",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut ingest = Ingester::new(conn, crate::dates::now(), None)?;
    let mut correct = conn.prepare(
        "UPDATE weapon_unit SET serial = ?2, found_on = ?3, found_at = ?4, produced_from = ?5,
                produced_to = ?6, produced_as = ?7, used_on = ?8, note = ?9, key = ?10
         WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM weapon_unit WHERE key = ?10 AND id <> ?1)",
    )?;
    let mut point = conn.prepare("UPDATE observation SET unit_id = ?2 WHERE id = ?1")?;
    let mut corrected: HashSet<i64> = HashSet::new();
    for (id, unit, text, weapon, serial, found_on, found_at) in rows {
        let label = ingest.label(&text);
        if unit.is_none() && !label.names_a_unit() {
            continue;
        }
        let f = Finding::from_fields(|name| match name {
            "weapon" => Some(text.as_str()),
            // a finding needs one; only the unit is worked out from it here
            "component" => Some("-"),
            "unit_serial" => serial.as_deref(),
            "found_on" => found_on.as_deref(),
            "found_at" => found_at.as_deref(),
            _ => None,
        })
        .map_err(|e| anyhow::anyhow!("{}: {}", e.column, e.message))
        .with_context(|| format!("reading observation {id} again"))?;
        let facts = UnitFacts::of(&f, &label);
        if let (Some(u), Some(facts)) = (unit, &facts) {
            if corrected.insert(u) {
                let produced = facts.produced.as_ref();
                correct.execute(params![
                    u,
                    facts.serial,
                    facts.found_on,
                    facts.found_at,
                    produced.map(|p| &p.from),
                    produced.and_then(|p| p.to.as_ref()),
                    produced.map(|p| &p.stated),
                    facts.used_on,
                    label.note,
                    facts.key(weapon),
                ])?;
            }
        }
        let now = match facts {
            Some(_) => ingest.unit(&f, weapon)?,
            None => None,
        };
        if now != unit {
            point.execute(params![id, now])?;
        }
    }
    conn.execute(
        "DELETE FROM weapon_unit WHERE label IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.unit_id = weapon_unit.id)",
        [],
    )?;
    Ok(())
}
