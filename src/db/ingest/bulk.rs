//! Whole-table passes over what ingest writes: deferring secondary indexes for a bulk load,
//! recomputing every spelling's key when the key functions change, and reading candidate date
//! codes from the texts already recorded (migration steps).
//!
//! Each runs inside a transaction its caller owns; nothing here records a finding.

use anyhow::{Context, Result};
use rusqlite::{params, Connection};

use super::caches::EmptyAtStart;
use super::prepared::UNIDENTIFIED;
use crate::normalize::{code_key, company_key, part_identity, weapon_key, PartIdentity};
use crate::report::datecode::finding_candidate;

/// The tables an ingest run writes to.
const WRITTEN_TABLES: &[&str] = &[
    "organisation",
    "organisation_spelling",
    "weapon",
    "weapon_spelling",
    "weapon_unit",
    "part",
    "part_spelling",
    "source",
    "observation",
    "observation_source",
];

/// Secondary indexes dropped for a bulk load, to be built again from their own SQL once the
/// rows are in: SQLite builds an index from sorted keys several times faster than it keeps one
/// up to date through a million inserts in random key order. Dropping and building happen in
/// the import's transaction, so an import that fails or is killed leaves every index as it was.
#[derive(Debug, Default)]
pub struct DeferredIndexes {
    create_sql: Vec<String>,
}

/// Drops the non-unique indexes of the tables an ingest writes, except those the ingest itself
/// reads: the key indexes of entity families that already hold rows.
pub fn defer_indexes(conn: &Connection) -> Result<DeferredIndexes> {
    let empty = EmptyAtStart::read(conn)?;
    let read_by_ingest = [
        ("organisation_spelling_key", !empty.organisations),
        ("weapon_spelling_key", !empty.weapons),
        ("part_spelling_key", !empty.parts),
    ];
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
           AND tbl_name IN (SELECT value FROM json_each(?1))
         ORDER BY name",
    )?;
    let indexes: Vec<(String, String)> = stmt
        .query_map([serde_json::to_string(WRITTEN_TABLES)?], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut deferred = DeferredIndexes::default();
    for (name, sql) in indexes {
        if read_by_ingest.iter().any(|(n, used)| *n == name && *used) {
            continue;
        }
        // the name comes from sqlite_schema; quoted, it cannot be read as anything but a name
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        deferred.create_sql.push(sql);
    }
    Ok(deferred)
}

impl DeferredIndexes {
    /// Builds again every index `defer_indexes` dropped.
    pub fn rebuild(self, conn: &Connection) -> Result<()> {
        for sql in self.create_sql {
            conn.execute_batch(&sql)
                .with_context(|| format!("rebuilding an index: {sql}"))?;
        }
        Ok(())
    }
}

/// Recomputes every spelling's normalised key with the current key functions (run by the
/// migration that changed them).
pub fn rekey(conn: &Connection) -> Result<()> {
    type KeyOf = fn(&str) -> String;
    let families: [(&str, KeyOf); 2] = [
        ("organisation_spelling", company_key),
        ("weapon_spelling", weapon_key),
    ];
    for (table, key_of) in families {
        // table names are the constants above
        let rows: Vec<(i64, String, String)> = conn
            .prepare(&format!("SELECT id, text, key FROM {table}"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = conn.prepare(&format!("UPDATE {table} SET key = ?2 WHERE id = ?1"))?;
        for (id, text, old) in rows {
            let key = key_of(&text);
            if key != old {
                update.execute(params![id, key])?;
            }
        }
    }
    rekey_parts(conn)
}

/// Part spellings are rekeyed as an import keys them: a part number that names a family
/// ("GNSS") is keyed by the code of its component text (its first finding's), and a part known
/// for one finding alone keeps its own key (`prepared::unidentified_key`). Reads only columns
/// every schema version has: migrations 2 and 3 run this on old catalogues.
fn rekey_parts(conn: &Connection) -> Result<()> {
    /// id, text, key, kind, and the component text and maker spelling of its first finding
    type Row = (i64, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT s.id, s.text, s.key, s.kind,
                    (SELECT o.component_text FROM observation o WHERE o.part_spelling_id = s.id ORDER BY o.id LIMIT 1),
                    (SELECT os.text FROM observation o JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
                      WHERE o.part_spelling_id = s.id ORDER BY o.id LIMIT 1)
             FROM part_spelling s WHERE substr(s.key, 1, length(?1)) <> ?1",
        )?
        .query_map([UNIDENTIFIED], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare("UPDATE part_spelling SET key = ?2 WHERE id = ?1")?;
    for (id, text, old, kind, component, maker) in rows {
        let key = if kind == "part_number" {
            match part_identity(Some(&text), component.as_deref(), maker.as_deref()) {
                PartIdentity::Stated(key)
                | PartIdentity::InText { key, .. }
                | PartIdentity::Truncated { key, .. } => key,
                PartIdentity::Unidentified => continue,
            }
        } else {
            code_key(&text)
        };
        if key != old {
            update.execute(params![id, key])?;
        }
    }
    Ok(())
}

/// Reads a candidate date code from the marking or component text of every observation that
/// states no date code, as ingest now does for each new one (schema v7).
pub fn fill_marking_date_codes(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare(
        "SELECT id, marking, component_text, observed_on FROM observation
         WHERE date_code IS NULL AND (marking IS NOT NULL OR component_text IS NOT NULL)",
    )?;
    let mut found: Vec<(i64, String)> = Vec::new();
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (marking, component, seen): (Option<String>, Option<String>, Option<String>) =
            (r.get(1)?, r.get(2)?, r.get(3)?);
        if let Some(code) =
            finding_candidate(marking.as_deref(), component.as_deref(), seen.as_deref())
        {
            found.push((r.get(0)?, code));
        }
    }
    let mut write = conn.prepare("UPDATE observation SET marking_date_code = ?2 WHERE id = ?1")?;
    for (id, code) in found {
        write.execute(params![id, code])?;
    }
    Ok(())
}
