//! What `comptrace export` writes: the findings in the import format (so an export re-imports
//! into an empty catalogue with the same counts) and every entity family with its stable uid.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::db::report::Scope;
use crate::finding::FIELDS;

/// Marks the observations in scope in a temporary table `selected(id)`.
pub fn select(conn: &Connection, scope: &Scope, makers: Option<&[i64]>) -> Result<i64> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY);",
    )?;
    let mut sql = vec!["1 = 1"];
    let mut values: Vec<String> = Vec::new();
    if let Some(w) = &scope.weapons {
        sql.push("ws.weapon_id IN (SELECT value FROM json_each(?))");
        values.push(serde_json::to_string(w)?);
    }
    if let Some(m) = makers {
        sql.push("p.manufacturer_id IN (SELECT value FROM json_each(?))");
        values.push(serde_json::to_string(m)?);
    }
    if let Some(s) = &scope.since {
        sql.push("substr(o.observed_on, 1, length(?)) >= ?");
        values.extend([s.clone(), s.clone()]);
    }
    if let Some(u) = &scope.until {
        sql.push("substr(o.observed_on, 1, length(?)) <= ?");
        values.extend([u.clone(), u.clone()]);
    }
    let n = conn.execute(
        &format!(
            "INSERT INTO temp.selected (id) SELECT o.id FROM observation o
             JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
             JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id WHERE {}",
            sql.join(" AND ")
        ),
        rusqlite::params_from_iter(values),
    )?;
    Ok(n as i64)
}

/// The selected findings as rows of the import format, in FIELDS order: each field as the
/// finding stated it (the unit serial and recovery date its own row gave, not those a weapon
/// label supplied), one row per source, rows of one finding sharing its `uid` and standing
/// together, so the file imports back into the same findings.
pub fn findings(
    conn: &Connection,
    mut row: impl FnMut(Vec<Option<String>>) -> Result<()>,
) -> Result<()> {
    // each column is named after the field it fills
    let mut stmt = conn.prepare(
        "SELECT ws.text AS weapon, w.origin_country AS weapon_origin_country, w.type AS weapon_type,
                o.stated_unit_serial AS unit_serial,
                coalesce(o.component_text, CASE WHEN o.stated_part_number IS NULL THEN ps.text END) AS component,
                o.stated_part_number AS part_number,
                p.category AS category, os.text AS manufacturer,
                o.manufacturer_country AS manufacturer_country, o.production_country AS production_country,
                o.marking AS marking, o.date_code AS date_code, o.lot AS lot,
                o.stated_found_on AS found_on, u.found_at AS found_at,
                s.publisher AS source_publisher, s.title AS source_title, s.url AS source_url,
                s.published_on AS source_date, o.confidence AS confidence,
                o.investigator AS investigator, o.notes AS notes, o.uid AS uid
         FROM temp.selected sel
         JOIN observation o ON o.id = sel.id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         LEFT JOIN observation_source x ON x.observation_id = o.id
         LEFT JOIN source s ON s.id = x.source_id
         ORDER BY o.id, s.id",
    )?;
    let positions = field_positions(&stmt)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let fields = positions
            .iter()
            .map(|&i| r.get(i))
            .collect::<rusqlite::Result<_>>()?;
        row(fields)?;
    }
    Ok(())
}

/// Where each field of FIELDS is among a statement's columns.
fn field_positions(stmt: &rusqlite::Statement) -> Result<Vec<usize>> {
    let names = stmt.column_names();
    FIELDS
        .iter()
        .map(|f| {
            names.iter().position(|n| *n == f.name).ok_or_else(|| {
                anyhow::anyhow!("the export query has no column for field {}", f.name)
            })
        })
        .collect()
}

/// Every entity the selected findings rest on, as JSON objects with their stable uids.
pub fn entities(conn: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let spellings = |sql: &str| -> Result<HashMap<i64, Vec<String>>> {
        let mut m: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            m.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(m)
    };
    let org_spellings =
        spellings("SELECT organisation_id, text FROM organisation_spelling ORDER BY id")?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT m.id, m.uid, m.name, m.role, m.country FROM temp.selected sel
         JOIN observation o ON o.id = sel.id JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id JOIN organisation m ON m.id = p.manufacturer_id ORDER BY m.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(json!({"type": "manufacturer", "uid": r.get::<_, String>(1)?, "name": r.get::<_, String>(2)?,
            "role": r.get::<_, String>(3)?, "country": r.get::<_, Option<String>>(4)?, "spellings": org_spellings.get(&id)}));
    }
    let weapon_spellings = spellings("SELECT weapon_id, text FROM weapon_spelling ORDER BY id")?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT w.id, w.uid, w.name, w.origin_country, w.type FROM temp.selected sel
         JOIN observation o ON o.id = sel.id JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id ORDER BY w.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(json!({"type": "weapon", "uid": r.get::<_, String>(1)?, "name": r.get::<_, String>(2)?,
            "origin_country": r.get::<_, Option<String>>(3)?, "weapon_type": r.get::<_, Option<String>>(4)?,
            "spellings": weapon_spellings.get(&id)}));
    }
    let part_spellings = spellings("SELECT part_id, text FROM part_spelling ORDER BY id")?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT p.id, p.uid, p.part_number, p.name, p.category, m.uid FROM temp.selected sel
         JOIN observation o ON o.id = sel.id JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id LEFT JOIN organisation m ON m.id = p.manufacturer_id ORDER BY p.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(json!({"type": "part", "uid": r.get::<_, String>(1)?, "part_number": r.get::<_, Option<String>>(2)?,
            "name": r.get::<_, String>(3)?, "category": r.get::<_, Option<String>>(4)?,
            "manufacturer": r.get::<_, Option<String>>(5)?, "spellings": part_spellings.get(&id)}));
    }
    let mut stmt = conn.prepare(
        "SELECT DISTINCT u.uid, w.uid, u.serial, u.found_on, u.found_at, u.label, u.note FROM temp.selected sel
         JOIN observation o ON o.id = sel.id JOIN weapon_unit u ON u.id = o.unit_id JOIN weapon w ON w.id = u.weapon_id
         ORDER BY u.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(json!({"type": "unit", "uid": r.get::<_, String>(0)?, "weapon": r.get::<_, String>(1)?,
            "serial": r.get::<_, Option<String>>(2)?, "found_on": r.get::<_, Option<String>>(3)?,
            "found_at": r.get::<_, Option<String>>(4)?, "label": r.get::<_, Option<String>>(5)?, "note": r.get::<_, Option<String>>(6)?}));
    }
    let mut stmt = conn.prepare(
        "SELECT DISTINCT s.uid, s.kind, s.url, s.file_name, s.sha256, s.publisher, s.title, s.published_on FROM temp.selected sel
         JOIN observation_source x ON x.observation_id = sel.id JOIN source s ON s.id = x.source_id ORDER BY s.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(json!({"type": "source", "uid": r.get::<_, String>(0)?, "kind": r.get::<_, String>(1)?,
            "url": r.get::<_, Option<String>>(2)?, "file_name": r.get::<_, Option<String>>(3)?, "sha256": r.get::<_, Option<String>>(4)?,
            "publisher": r.get::<_, Option<String>>(5)?, "title": r.get::<_, Option<String>>(6)?, "date": r.get::<_, Option<String>>(7)?}));
    }
    let mut stmt = conn.prepare(
        "SELECT o.uid, p.uid, ps.text, m.uid, os.text, w.uid, ws.text, u.uid, o.marking, o.date_code, o.lot,
                o.production_country, o.manufacturer_country, o.observed_on, o.confidence, o.investigator, o.notes, o.logged_at,
                (SELECT json_group_array(s.uid ORDER BY s.id) FROM observation_source x JOIN source s ON s.id = x.source_id WHERE x.observation_id = o.id)
         FROM temp.selected sel JOIN observation o ON o.id = sel.id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id ORDER BY o.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let sources: Option<String> = r.get(18)?;
        out.push(json!({"type": "observation", "uid": r.get::<_, String>(0)?,
            "part": r.get::<_, String>(1)?, "part_as_logged": r.get::<_, String>(2)?,
            "manufacturer": r.get::<_, Option<String>>(3)?, "manufacturer_as_logged": r.get::<_, Option<String>>(4)?,
            "weapon": r.get::<_, String>(5)?, "weapon_as_logged": r.get::<_, String>(6)?, "unit": r.get::<_, Option<String>>(7)?,
            "marking": r.get::<_, Option<String>>(8)?, "date_code": r.get::<_, Option<String>>(9)?, "lot": r.get::<_, Option<String>>(10)?,
            "production_country": r.get::<_, Option<String>>(11)?, "manufacturer_country": r.get::<_, Option<String>>(12)?,
            "observed_on": r.get::<_, Option<String>>(13)?, "confidence": r.get::<_, Option<String>>(14)?,
            "investigator": r.get::<_, Option<String>>(15)?, "notes": r.get::<_, Option<String>>(16)?, "logged_at": r.get::<_, String>(17)?,
            "sources": sources.and_then(|s| serde_json::from_str::<Value>(&s).ok())}));
    }
    Ok(out)
}
