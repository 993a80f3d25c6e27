//! What `comptrace export` writes: the findings in the import format (so an export re-imports
//! into an empty catalogue with the same counts) and every entity family with its stable uid.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::db::ingest::Carried;
use crate::db::report::Scope;
use crate::db::source_archive::{ACCESSED_ON, ARCHIVE_FILE, ARCHIVE_SHA256};
use crate::finding::FIELDS;

/// One entity file of a CSV export: the JSON lines `type` it holds, its name, and its columns
/// in order (the keys of that type's objects, without `type`). A file with no rows still has
/// its header, so a reader can tell "none" from "not exported" (docs/exchange.md lists them).
pub struct EntityFile {
    pub kind: &'static str,
    pub file: &'static str,
    pub columns: &'static [&'static str],
}

/// Every entity file of a CSV export, in the order written.
/// The columns of a source, wherever one is exported (findings' sources and those only supply
/// facts cite: `export_supply`).
pub(super) const SOURCE_COLUMNS: &[&str] = &[
    "uid",
    "kind",
    "url",
    "file_name",
    "sha256",
    "publisher",
    "title",
    "date",
    "accessed_on",
    "archive_file",
    "archive_sha256",
];

pub const ENTITY_FILES: &[EntityFile] = &[
    EntityFile {
        kind: "manufacturer",
        file: "manufacturers.csv",
        columns: &["uid", "name", "role", "country", "spellings"],
    },
    EntityFile {
        kind: "weapon",
        file: "weapons.csv",
        columns: &["uid", "name", "origin_country", "weapon_type", "spellings"],
    },
    EntityFile {
        kind: "part",
        file: "parts.csv",
        columns: &[
            "uid",
            "part_number",
            "name",
            "category",
            "manufacturer",
            "spellings",
        ],
    },
    EntityFile {
        kind: "unit",
        file: "units.csv",
        columns: &[
            "uid",
            "weapon",
            "serial",
            "found_on",
            "found_at",
            "label",
            "note",
            "produced_from",
            "produced_to",
            "produced_as",
            "used_on",
        ],
    },
    EntityFile {
        kind: "source",
        file: "sources.csv",
        columns: SOURCE_COLUMNS,
    },
    EntityFile {
        kind: "observation",
        file: "observations.csv",
        columns: &[
            "uid",
            "part",
            "part_as_logged",
            "manufacturer",
            "manufacturer_as_logged",
            "weapon",
            "weapon_as_logged",
            "unit",
            "marking",
            "date_code",
            "lot",
            "production_country",
            "manufacturer_country",
            "observed_on",
            "confidence",
            "investigator",
            "notes",
            "logged_at",
            "sources",
            "retracted",
        ],
    },
    EntityFile {
        kind: "merged",
        file: "merged.csv",
        columns: &["kind", "uid", "name", "merged_into", "spellings"],
    },
    EntityFile {
        kind: "judgement",
        file: "judgements.csv",
        columns: &[
            "uid",
            "kind",
            "left",
            "right",
            "verdict",
            "score",
            "reasons",
            "note",
            "author",
            "created_at",
            "supersedes",
            "merge",
        ],
    },
    EntityFile {
        kind: "retraction",
        file: "retractions.csv",
        columns: &[
            "uid",
            "finding",
            "source",
            "action",
            "reason",
            "evidence_url",
            "evidence_file",
            "evidence_sha256",
            "author",
            "created_at",
        ],
    },
    // corrections of facts about an entity itself (schema v12, db/entity_revision.rs)
    EntityFile {
        kind: "entity_revision",
        file: "entity_revisions.csv",
        columns: &[
            "uid",
            "entity_kind",
            "entity",
            "entity_name",
            "field",
            "old_value",
            "new_value",
            "author",
            "reason",
            "evidence_url",
            "evidence_file",
            "evidence_sha256",
            "recorded_at",
        ],
    },
    // the supply chain (schema v9, db/export_supply.rs)
    EntityFile {
        kind: "organisation",
        file: "organisations.csv",
        columns: super::export_supply::ORGANISATION_COLUMNS,
    },
    EntityFile {
        kind: "supply_link",
        file: "supply_links.csv",
        columns: super::export_supply::SUPPLY_LINK_COLUMNS,
    },
    EntityFile {
        kind: "weapon_producer",
        file: "weapon_producers.csv",
        columns: super::export_supply::WEAPON_PRODUCER_COLUMNS,
    },
    EntityFile {
        kind: "trace_request",
        file: "trace_requests.csv",
        columns: super::export_supply::TRACE_REQUEST_COLUMNS,
    },
    EntityFile {
        kind: "trace_response",
        file: "trace_responses.csv",
        columns: super::export_supply::TRACE_RESPONSE_COLUMNS,
    },
    EntityFile {
        kind: "shipment",
        file: "shipments.csv",
        columns: super::export_supply::SHIPMENT_COLUMNS,
    },
    // export control (issue 18, db/export_control.rs)
    EntityFile {
        kind: "classification",
        file: "classifications.csv",
        columns: super::export_control::CLASSIFICATION_COLUMNS,
    },
    EntityFile {
        kind: "designation_list",
        file: "designation_lists.csv",
        columns: super::export_control::DESIGNATION_LIST_COLUMNS,
    },
    EntityFile {
        kind: "designation",
        file: "designations.csv",
        columns: super::export_control::DESIGNATION_COLUMNS,
    },
    EntityFile {
        kind: "screening_decision",
        file: "screening_decisions.csv",
        columns: super::export_control::SCREENING_DECISION_COLUMNS,
    },
];

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
/// finding stated it (the unit's serial, recovery date and place, production date and date of
/// use its own row gave, not those a weapon label supplied), one row per source, rows of one
/// finding sharing its `uid` and standing together, so the file imports back into the same
/// findings.
pub fn findings(
    conn: &Connection,
    mut row: impl FnMut(Vec<Option<String>>) -> Result<()>,
) -> Result<()> {
    read_stated(
        conn,
        "LEFT JOIN observation_source x ON x.observation_id = o.id
         LEFT JOIN source s ON s.id = x.source_id
         ORDER BY o.id, s.id",
        |_, fields| row(fields),
    )
}

/// Every selected finding as stated, with its sources left out (the caller reads them by
/// observation id), the stable ids of the entities its texts resolve to on their own, and
/// its observation id.
pub fn stated_findings(
    conn: &Connection,
    mut row: impl FnMut(i64, Vec<Option<String>>, Carried) -> Result<()>,
) -> Result<()> {
    read_stated(
        conn,
        "LEFT JOIN source s ON 0 ORDER BY o.id",
        |r, fields| {
            let carried = Carried {
                organisation: r.get("maker_uid")?,
                weapon: r.get("weapon_uid")?,
                part: r.get("part_uid")?,
                unit: r.get("unit_uid")?,
                parties: Vec::new(),
            };
            row(r.get("observation_id")?, fields, carried)
        },
    )
}

/// Runs STATED_FINDING with `tail` (the join on `s` and the order), handing each row over
/// with its fields in FIELDS order.
fn read_stated(
    conn: &Connection,
    tail: &str,
    mut each: impl FnMut(&rusqlite::Row, Vec<Option<String>>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!("{STATED_FINDING} {tail}"))?;
    let positions = field_positions(&stmt)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let fields = positions
            .iter()
            .map(|&i| r.get(i))
            .collect::<rusqlite::Result<_>>()?;
        each(r, fields)?;
    }
    Ok(())
}

/// A finding's fields as stated, each column named after the field it fills (sources from a
/// join on `s` the caller adds), and the stable ids of the entities its texts name before
/// any merge.
const STATED_FINDING: &str = "
    SELECT ws.text AS weapon, w.origin_country AS weapon_origin_country, w.type AS weapon_type,
           o.stated_unit_serial AS unit_serial,
           coalesce(o.component_text, CASE WHEN o.stated_part_number IS NULL THEN ps.text END) AS component,
           o.stated_part_number AS part_number,
           o.stated_category AS category, o.stated_hs_code AS hs_code, o.stated_eccn AS eccn,
           os.text AS manufacturer,
           o.manufacturer_country AS manufacturer_country, o.production_country AS production_country,
           o.marking AS marking, o.date_code AS date_code, o.lot AS lot,
           o.stated_found_on AS found_on, o.stated_found_at AS found_at,
           CASE WHEN o.quantity > 1 THEN CAST(o.quantity AS TEXT) END AS quantity,
           o.stated_unit_produced AS unit_produced, o.stated_unit_used_on AS unit_used_on,
           (SELECT wp.stated_as FROM weapon_producer wp WHERE wp.observation_id = o.id ORDER BY wp.id LIMIT 1) AS weapon_producer,
           (SELECT wp.site FROM weapon_producer wp WHERE wp.observation_id = o.id ORDER BY wp.id LIMIT 1) AS weapon_production_site,
           s.publisher AS source_publisher, s.title AS source_title, s.url AS source_url,
           s.published_on AS source_date, o.confidence AS confidence,
           o.investigator AS investigator, o.notes AS notes, o.uid AS uid,
           o.id AS observation_id,
           (SELECT uid FROM part WHERE id = ps.origin_part_id) AS part_uid,
           (SELECT uid FROM organisation WHERE id = os.origin_organisation_id) AS maker_uid,
           (SELECT uid FROM weapon WHERE id = ws.origin_weapon_id) AS weapon_uid,
           u.uid AS unit_uid
    FROM temp.selected sel
    JOIN observation o ON o.id = sel.id
    JOIN part_spelling ps ON ps.id = o.part_spelling_id
    JOIN part p ON p.id = ps.part_id
    JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
    JOIN weapon w ON w.id = ws.weapon_id
    LEFT JOIN weapon_unit u ON u.id = o.unit_id
    LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id";

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
        "SELECT DISTINCT u.uid, w.uid, u.serial, u.found_on, u.found_at, u.label, u.note,
                u.produced_from, u.produced_to, u.produced_as, u.used_on FROM temp.selected sel
         JOIN observation o ON o.id = sel.id JOIN weapon_unit u ON u.id = o.unit_id JOIN weapon w ON w.id = u.weapon_id
         ORDER BY u.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(json!({"type": "unit", "uid": r.get::<_, String>(0)?, "weapon": r.get::<_, String>(1)?,
            "serial": r.get::<_, Option<String>>(2)?, "found_on": r.get::<_, Option<String>>(3)?,
            "found_at": r.get::<_, Option<String>>(4)?, "label": r.get::<_, Option<String>>(5)?, "note": r.get::<_, Option<String>>(6)?,
            "produced_from": r.get::<_, Option<String>>(7)?, "produced_to": r.get::<_, Option<String>>(8)?,
            "produced_as": r.get::<_, Option<String>>(9)?, "used_on": r.get::<_, Option<String>>(10)?}));
    }
    let mut stmt = conn.prepare(
        &format!("SELECT DISTINCT s.uid, s.kind, s.url, s.file_name, s.sha256, s.publisher, s.title, s.published_on,
                {ACCESSED_ON}, {ARCHIVE_FILE}, {ARCHIVE_SHA256} FROM temp.selected sel
         JOIN observation_source x ON x.observation_id = sel.id JOIN source s ON s.id = x.source_id ORDER BY s.id"),
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(json!({"type": "source", "uid": r.get::<_, String>(0)?, "kind": r.get::<_, String>(1)?,
            "url": r.get::<_, Option<String>>(2)?, "file_name": r.get::<_, Option<String>>(3)?, "sha256": r.get::<_, Option<String>>(4)?,
            "publisher": r.get::<_, Option<String>>(5)?, "title": r.get::<_, Option<String>>(6)?, "date": r.get::<_, Option<String>>(7)?,
            "accessed_on": r.get::<_, Option<String>>(8)?, "archive_file": r.get::<_, Option<String>>(9)?,
            "archive_sha256": r.get::<_, Option<String>>(10)?}));
    }
    let mut stmt = conn.prepare(
        "SELECT o.uid, p.uid, ps.text, m.uid, os.text, w.uid, ws.text, u.uid, o.marking, o.date_code, o.lot,
                o.production_country, o.manufacturer_country, o.observed_on, o.confidence, o.investigator, o.notes, o.logged_at,
                (SELECT json_group_array(s.uid ORDER BY s.id) FROM observation_source x JOIN source s ON s.id = x.source_id WHERE x.observation_id = o.id),
                o.id, o.retracted
         FROM temp.selected sel JOIN observation o ON o.id = sel.id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id ORDER BY o.id",
    )?;
    let mut stated = stated_by_observation(conn)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let sources: Option<String> = r.get(18)?;
        let (fields, origins) = stated.remove(&r.get::<_, i64>(19)?).unwrap_or_default();
        out.push(json!({"type": "observation", "uid": r.get::<_, String>(0)?,
            "part": r.get::<_, String>(1)?, "part_as_logged": r.get::<_, String>(2)?,
            "manufacturer": r.get::<_, Option<String>>(3)?, "manufacturer_as_logged": r.get::<_, Option<String>>(4)?,
            "weapon": r.get::<_, String>(5)?, "weapon_as_logged": r.get::<_, String>(6)?, "unit": r.get::<_, Option<String>>(7)?,
            "marking": r.get::<_, Option<String>>(8)?, "date_code": r.get::<_, Option<String>>(9)?, "lot": r.get::<_, Option<String>>(10)?,
            "production_country": r.get::<_, Option<String>>(11)?, "manufacturer_country": r.get::<_, Option<String>>(12)?,
            "observed_on": r.get::<_, Option<String>>(13)?, "confidence": r.get::<_, Option<String>>(14)?,
            "investigator": r.get::<_, Option<String>>(15)?, "notes": r.get::<_, Option<String>>(16)?, "logged_at": r.get::<_, String>(17)?,
            "sources": sources.and_then(|s| serde_json::from_str::<Value>(&s).ok()),
            "retracted": r.get::<_, bool>(20)?,
            "stated": fields, "origins": origins}));
    }
    Ok(out)
}

/// Each selected observation's finding as stated (its fields but the sources, by name) and the
/// stable ids of the entities its texts name before any merge: what JSON lines carry so an
/// import gives back every finding field for field and every entity its uid.
fn stated_by_observation(conn: &Connection) -> Result<HashMap<i64, (Value, Value)>> {
    let mut out = HashMap::new();
    let mut parties = label_parties(conn)?;
    stated_findings(conn, |id, row, carried| {
        let fields: serde_json::Map<String, Value> = FIELDS
            .iter()
            .zip(row)
            .filter(|(f, v)| v.is_some() && !f.name.starts_with("source_") && f.name != "uid")
            .map(|(f, v)| (f.name.to_string(), Value::from(v)))
            .collect();
        let mut origins = json!({"part": carried.part, "manufacturer": carried.organisation,
            "weapon": carried.weapon, "unit": carried.unit});
        if let Some(named) = parties.remove(&id) {
            origins["parties"] = json!(named);
        }
        out.insert(id, (Value::Object(fields), origins));
        Ok(())
    })?;
    Ok(out)
}

/// For each selected finding whose maker label names suppliers or importers (docs/supply-chain.md):
/// every spelling of each such company with its stable id, so an import gives it the same id.
pub(crate) fn label_parties(conn: &Connection) -> Result<HashMap<i64, Vec<(String, String)>>> {
    let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT l.observation_id, s.text, org.uid FROM supply_link l
         JOIN temp.selected sel ON sel.id = l.observation_id
         JOIN organisation org ON org.id = l.from_organisation_id
         JOIN organisation_spelling s ON s.origin_organisation_id = org.id
         WHERE l.how_known = 'label' ORDER BY l.id, s.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

/// The version of what `export` writes (the findings.csv columns, the JSON lines objects).
/// A reader refuses a newer one; bump it when a change would mislead an older reader.
pub const EXPORT_FORMAT_VERSION: i64 = 1;

/// What an export says of itself: the first line of JSON lines, `export.json` in a CSV folder.
pub fn header(conn: &Connection) -> Result<Value> {
    Ok(json!({
        "type": "export",
        "format": "comptrace-export",
        "format_version": EXPORT_FORMAT_VERSION,
        "comptrace": env!("CARGO_PKG_VERSION"),
        "schema_version": super::SCHEMA_VERSION,
        "catalogue_uid": super::exchange::catalogue_uid(conn)?,
    }))
}

/// The decisions behind the selected findings' entities, so merges survive an exchange: every
/// entity a merge absorbed into an exported one (with its own spellings and the uid it was
/// merged into), and every judgement between such entities, by stable id, in log order.
pub fn decisions(conn: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut ids: HashMap<(&str, i64), String> = HashMap::new();
    for (kind, table, spelling, fk, roots) in [
        (
            "manufacturer",
            "organisation",
            "organisation_spelling",
            "organisation_id",
            "SELECT p.manufacturer_id FROM temp.selected sel JOIN observation o ON o.id = sel.id
            JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id",
        ),
        (
            "weapon",
            "weapon",
            "weapon_spelling",
            "weapon_id",
            "SELECT ws.weapon_id FROM temp.selected sel JOIN observation o ON o.id = sel.id
            JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id",
        ),
        (
            "part",
            "part",
            "part_spelling",
            "part_id",
            "SELECT ps.part_id FROM temp.selected sel JOIN observation o ON o.id = sel.id
            JOIN part_spelling ps ON ps.id = o.part_spelling_id",
        ),
    ] {
        // names and SQL come from the constant list above
        let mut stmt = conn.prepare(&format!(
            "SELECT e.id, e.uid, e.name, r.uid,
                    (SELECT json_group_array(text) FROM (SELECT text FROM {spelling} WHERE origin_{fk} = e.id ORDER BY id))
             FROM {table} e LEFT JOIN {table} r ON r.id = e.merged_into
             WHERE coalesce(e.merged_into, e.id) IN ({roots})
             ORDER BY e.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, uid): (i64, String) = (r.get(0)?, r.get(1)?);
            ids.insert((kind, id), uid.clone());
            let merged_into: Option<String> = r.get(3)?;
            if let Some(root) = merged_into {
                let spellings: String = r.get(4)?;
                out.push(json!({"type": "merged", "kind": kind, "uid": uid, "name": r.get::<_, String>(2)?,
                    "merged_into": root, "spellings": serde_json::from_str::<Value>(&spellings)?}));
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT j.uid, j.kind, j.left_id, j.right_id, j.verdict, j.score, j.reasons, j.note, j.author,
                j.created_at, (SELECT uid FROM judgement WHERE id = j.supersedes),
                (SELECT uid FROM merge_batch WHERE id = j.batch_id)
         FROM judgement j ORDER BY j.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        let kind = ["manufacturer", "weapon", "part"]
            .into_iter()
            .find(|k| *k == kind)
            .unwrap_or("part");
        let (Some(left), Some(right)) = (ids.get(&(kind, r.get(2)?)), ids.get(&(kind, r.get(3)?)))
        else {
            continue;
        };
        out.push(
            json!({"type": "judgement", "uid": r.get::<_, String>(0)?, "kind": kind,
            "left": left, "right": right, "verdict": r.get::<_, String>(4)?,
            "score": r.get::<_, Option<f64>>(5)?, "reasons": r.get::<_, Option<String>>(6)?,
            "note": r.get::<_, Option<String>>(7)?, "author": r.get::<_, Option<String>>(8)?,
            "created_at": r.get::<_, String>(9)?, "supersedes": r.get::<_, Option<String>>(10)?,
            "merge": r.get::<_, Option<String>>(11)?}),
        );
    }
    Ok(out)
}

/// The keys of every observation's sources, by observation id: what a fingerprint needs
/// besides the stated fields.
pub fn source_keys(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut keys: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT x.observation_id, s.key FROM observation_source x JOIN source s ON s.id = x.source_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        keys.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(keys)
}

/// The evidence files (SHA-256 and name as logged) the selected findings cite, each once, in
/// hash order: what `export --with-evidence` copies out of the store.
pub fn evidence_files(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT s.sha256, min(s.file_name) FROM temp.selected sel
           JOIN observation_source x ON x.observation_id = sel.id JOIN source s ON s.id = x.source_id
          WHERE s.sha256 IS NOT NULL GROUP BY s.sha256 ORDER BY s.sha256",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
