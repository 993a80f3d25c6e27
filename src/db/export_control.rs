//! What `export` writes of export control (issue 18; docs/exchange.md) and what a carried log
//! becomes here: the classification log (`classify` statements), the designation lists (every
//! version, with its entries) and the screening decisions, each with its stable uid and naming
//! parts and organisations by theirs. All SQL of carrying them.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

pub const CLASSIFICATION_COLUMNS: &[&str] = &[
    "uid",
    "part",
    "hs_code",
    "eccn",
    "source",
    "note",
    "author",
    "recorded_at",
];
pub const DESIGNATION_LIST_COLUMNS: &[&str] = &[
    "uid",
    "name",
    "file_name",
    "sha256",
    "format",
    "entries",
    "recorded_at",
];
pub const DESIGNATION_COLUMNS: &[&str] = &[
    "list",
    "entry_id",
    "schema",
    "name",
    "aliases",
    "countries",
    "programs",
    "listed_on",
    "source_url",
    "recorded_at",
];
pub const SCREENING_DECISION_COLUMNS: &[&str] = &[
    "uid",
    "organisation",
    "list",
    "entry",
    "verdict",
    "score",
    "reasons",
    "note",
    "author",
    "supersedes",
    "recorded_at",
];

/// Columns stored as JSON arrays, written as arrays.
const ARRAY_COLUMNS: &[&str] = &["aliases", "countries", "programs"];

/// Which rows: those of the exported findings (`temp.selected`, filled by `export::select`),
/// or every row (another catalogue, read whole by `import-catalogue`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope {
    Selected,
    Whole,
}

const CLASSIFICATIONS: &str = "SELECT c.uid, p.uid, c.hs_code, c.eccn, c.source, c.note, c.author, c.recorded_at
     FROM classification c JOIN part p ON p.id = c.part_id
     WHERE ?1 = 0 OR coalesce(p.merged_into, p.id) IN
        (SELECT coalesce(sp.merged_into, sp.id) FROM temp.selected s JOIN observation o ON o.id = s.id
           JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part sp ON sp.id = ps.part_id)
     ORDER BY c.id";
const LISTS: &str =
    "SELECT uid, name, file_name, sha256, format, entries, recorded_at FROM designation_list ORDER BY id";
const DESIGNATIONS: &str =
    "SELECT l.uid, d.entry_id, d.schema, d.name, d.aliases, d.countries, d.programs,
            d.listed_on, d.source_url, d.recorded_at
     FROM designated_party d JOIN designation_list l ON l.id = d.list_id ORDER BY d.id";
/// Decisions on the organisations named (JSON array of uids, merges followed both ways), or all.
const DECISIONS: &str = "SELECT d.uid, o.uid, d.list_name, d.entry_id, d.verdict, d.score, d.reasons, d.note, d.author,
            (SELECT uid FROM screening_decision WHERE id = d.supersedes), d.recorded_at
     FROM screening_decision d JOIN organisation o ON o.id = d.organisation_id
     WHERE ?1 IS NULL OR coalesce(o.merged_into, o.id) IN
        (SELECT coalesce(merged_into, id) FROM organisation WHERE uid IN (SELECT value FROM json_each(?1)))
     ORDER BY d.id";

/// Every export-control object in scope: classifications, lists with their entries, and the
/// screening decisions on `organisations` (uids; None: all).
pub fn objects(
    conn: &Connection,
    scope: Scope,
    organisations: Option<&[String]>,
) -> Result<Vec<Value>> {
    let selected = scope == Scope::Selected;
    let mut out = rows(
        conn,
        "classification",
        CLASSIFICATION_COLUMNS,
        CLASSIFICATIONS,
        params![selected],
    )?;
    out.extend(rows(
        conn,
        "designation_list",
        DESIGNATION_LIST_COLUMNS,
        LISTS,
        [],
    )?);
    out.extend(rows(
        conn,
        "designation",
        DESIGNATION_COLUMNS,
        DESIGNATIONS,
        [],
    )?);
    let named = organisations.map(serde_json::to_string).transpose()?;
    out.extend(rows(
        conn,
        "screening_decision",
        SCREENING_DECISION_COLUMNS,
        DECISIONS,
        params![named],
    )?);
    Ok(out)
}

/// Rows of `sql` as JSON objects of `kind`, keys in `columns` order.
fn rows(
    conn: &Connection,
    kind: &str,
    columns: &[&str],
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let mapped = stmt.query_map(params, |r| {
        let mut o = serde_json::Map::new();
        o.insert("type".into(), Value::from(kind));
        for (i, c) in columns.iter().enumerate() {
            let v = match r.get_ref(i)? {
                rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                rusqlite::types::ValueRef::Real(x) => Value::from(x),
                rusqlite::types::ValueRef::Text(t) => {
                    let s = String::from_utf8_lossy(t).into_owned();
                    if ARRAY_COLUMNS.contains(c) {
                        serde_json::from_str(&s).unwrap_or(Value::from(s))
                    } else {
                        Value::from(s)
                    }
                }
                _ => Value::Null,
            };
            o.insert((*c).to_string(), v);
        }
        Ok(Value::Object(o))
    })?;
    Ok(mapped.collect::<rusqlite::Result<_>>()?)
}

/// The live id of the part with this stable uid (merges followed), if it is here.
pub fn part_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT coalesce(merged_into, id) FROM part WHERE uid = ?1",
            [uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// The organisation with this stable uid, live (merges followed): (id, name).
pub fn organisation_by_uid(conn: &Connection, uid: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT r.id, r.name FROM organisation o JOIN organisation r ON r.id = coalesce(o.merged_into, o.id)
             WHERE o.uid = ?1",
            [uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether a row with this uid is in `table` (one of this module's tables).
pub fn has_uid(conn: &Connection, table: &str, uid: &str) -> Result<bool> {
    let table = ["classification", "designation_list", "screening_decision"]
        .into_iter()
        .find(|t| *t == table)
        .expect("a table of this module");
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE uid = ?1"),
            [uid],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A classification statement carried from another catalogue, recorded with its own uid.
pub struct CarriedClassification<'a> {
    pub uid: &'a str,
    pub part: i64,
    pub hs_code: Option<&'a str>,
    pub eccn: Option<&'a str>,
    pub source: &'a str,
    pub note: Option<&'a str>,
    pub author: &'a str,
    pub recorded_at: &'a str,
}

pub fn record_classification(conn: &Connection, c: &CarriedClassification) -> Result<()> {
    conn.execute(
        "INSERT INTO classification (uid, part_id, hs_code, eccn, source, note, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![c.uid, c.part, c.hs_code, c.eccn, c.source, c.note, c.author, c.recorded_at],
    )?;
    Ok(())
}

/// The latest version here of the list named: (recorded_at, sha256).
pub fn latest_list(conn: &Connection, name: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT recorded_at, sha256 FROM designation_list WHERE name = ?1 ORDER BY id DESC LIMIT 1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Records a carried version of a list under its own uid, with its entries (as exported).
pub fn record_list(conn: &Connection, list: &Value, entries: &[&Value]) -> Result<()> {
    let text = |v: &Value, k: &str| v[k].as_str().map(str::to_string);
    let array = |v: &Value, k: &str| {
        serde_json::to_string(v[k].as_array().unwrap_or(&Vec::new())).expect("JSON serialises")
    };
    conn.execute(
        "INSERT INTO designation_list (uid, name, file_name, sha256, format, entries, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            text(list, "uid"),
            text(list, "name"),
            text(list, "file_name").unwrap_or_default(),
            text(list, "sha256"),
            text(list, "format"),
            entries.len() as i64,
            text(list, "recorded_at"),
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare(
        "INSERT INTO designated_party (list_id, entry_id, schema, name, aliases, countries, programs, listed_on, source_url, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for e in entries {
        insert.execute(params![
            id,
            text(e, "entry_id"),
            text(e, "schema").unwrap_or_else(|| "LegalEntity".into()),
            text(e, "name"),
            array(e, "aliases"),
            array(e, "countries"),
            array(e, "programs"),
            text(e, "listed_on"),
            text(e, "source_url"),
            text(e, "recorded_at").or_else(|| text(list, "recorded_at")),
        ])?;
    }
    Ok(())
}

/// The latest verdict here on an organisation (merges followed) and a list's entry.
pub fn verdict_here(
    conn: &Connection,
    organisation: i64,
    list: &str,
    entry: &str,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT d.verdict FROM screening_decision d JOIN organisation o ON o.id = d.organisation_id
             WHERE coalesce(o.merged_into, o.id) = ?1 AND d.list_name = ?2 AND d.entry_id = ?3
             ORDER BY d.id DESC LIMIT 1",
            params![organisation, list, entry],
            |r| r.get(0),
        )
        .optional()?)
}
