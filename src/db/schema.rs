//! Whether a file's schema is a catalogue's: compared by structure with the schema its version
//! has when the migrations build it from scratch in memory (once per process and version).
//!
//! A catalogue file may come from anyone (`--db` on a file someone sent, `import-catalogue`),
//! and SQLite runs what its schema says: a view in place of a table is computed on every read
//! (a recursive one forever), a trigger fires on our next write. So before any other statement
//! reads the file, every table, column, type, constraint and index of ours, and the SQL of every
//! view and trigger, normalised, must be what ours would be. A missing or replaced table, a
//! changed view, an index on our tables or any trigger that is not ours refuses the file, saying
//! what differs. SQLite's own tables (FTS5 shadow tables, sqlite_stat1, sqlite_sequence) are
//! expected; tables and views someone added (Datasette users do) are allowed, never read by
//! comptrace, and listed by `check`.
//!
//! Only sqlite_schema rows and PRAGMA table_xinfo / foreign_key_list / index_list / index_xinfo
//! of our own tables are read: nothing the file defines is run.

use std::collections::BTreeMap;
use std::sync::Mutex;

use anyhow::{bail, Result};
use rusqlite::Connection;

/// What a schema is made of, by structure: for each object (by kind and lower-case name), the
/// lines that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    objects: BTreeMap<(String, String), Vec<String>>,
}

/// A row of sqlite_schema.
struct Row {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

/// SQLite's own tables, which it may add to any catalogue (ANALYZE, AUTOINCREMENT); what
/// they hold steers only how queries are planned.
const SQLITE_OWN_TABLES: [&str; 4] = [
    "sqlite_stat1",
    "sqlite_stat4",
    "sqlite_sequence",
    "sqlite_stat3",
];

fn rows(conn: &Connection) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Row {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn is_virtual(sql: Option<&str>) -> bool {
    normalise(sql.unwrap_or("")).starts_with("create virtual table")
}

/// The structure of every object in `conn`'s schema.
pub fn shape(conn: &Connection) -> Result<Shape> {
    shape_of(conn, |_| true)
}

/// The structure of the objects `wanted` names (by kind and lower-case name); the others are
/// only listed by name, so nothing someone else defined is ever asked about.
fn shape_of(conn: &Connection, wanted: impl Fn(&(String, String)) -> bool) -> Result<Shape> {
    let mut objects = BTreeMap::new();
    for row in rows(conn)? {
        let key = (row.kind.clone(), row.name.to_lowercase());
        let lines = if wanted(&key) {
            describe(conn, &row)?
        } else {
            vec![format!("on {}", row.table.to_lowercase())]
        };
        objects.insert(key, lines);
    }
    Ok(Shape { objects })
}

fn describe(conn: &Connection, row: &Row) -> Result<Vec<String>> {
    let sql = row.sql.as_deref();
    let mut lines = vec![format!("on {}", row.table.to_lowercase())];
    match row.kind.as_str() {
        "table" if !is_virtual(sql) => {
            lines.extend(table_lines(conn, &row.name)?);
            lines.extend(definition_lines(sql.unwrap_or("")));
        }
        "index" => lines.extend(index_lines(conn, &row.table, &row.name, sql)?),
        // views, triggers and virtual tables are their SQL
        _ => lines.push(normalise(sql.unwrap_or(""))),
    }
    Ok(lines)
}

/// Columns (in order, with type, NOT NULL, default, key) and foreign keys, as SQLite read them.
fn table_lines(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT cid, name, type, \"notnull\", coalesce(dflt_value, ''), pk, hidden FROM pragma_table_xinfo(?1)",
    )?;
    for line in stmt.query_map([table], |r| {
        Ok(format!(
            "column {} {} {} notnull={} default={} pk={} hidden={}",
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?.to_lowercase(),
            r.get::<_, String>(2)?.to_lowercase(),
            r.get::<_, i64>(3)?,
            normalise(&r.get::<_, String>(4)?),
            r.get::<_, i64>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })? {
        lines.push(line?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, seq, \"table\", \"from\", coalesce(\"to\", ''), on_update, on_delete, match FROM pragma_foreign_key_list(?1)",
    )?;
    for line in stmt.query_map([table], |r| {
        Ok(format!(
            "foreign key {} {}: {} -> {}({}) on update {} on delete {} match {}",
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?.to_lowercase(),
            r.get::<_, String>(2)?.to_lowercase(),
            r.get::<_, String>(4)?.to_lowercase(),
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
        ))
    })? {
        lines.push(line?);
    }
    Ok(lines)
}

/// An index: unique or not, what made it, partial or not, its columns with order and collation,
/// and its SQL (NULL for the indexes SQLite makes for UNIQUE and PRIMARY KEY).
fn index_lines(
    conn: &Connection,
    table: &str,
    index: &str,
    sql: Option<&str>,
) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut stmt = conn
        .prepare("SELECT \"unique\", origin, partial FROM pragma_index_list(?1) WHERE name = ?2")?;
    for line in stmt.query_map([table, index], |r| {
        Ok(format!(
            "unique={} origin={} partial={}",
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?
        ))
    })? {
        lines.push(line?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT seqno, cid, coalesce(name, ''), \"desc\", coll, key FROM pragma_index_xinfo(?1)",
    )?;
    for line in stmt.query_map([index], |r| {
        Ok(format!(
            "key {} {} {} desc={} collate {} key={}",
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?.to_lowercase(),
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?.to_lowercase(),
            r.get::<_, i64>(5)?,
        ))
    })? {
        lines.push(line?);
    }
    lines.push(normalise(sql.unwrap_or("")));
    Ok(lines)
}

/// A table's definition as written, item by item: each column's definition (its constraints,
/// collation and checks, which no pragma reports), each table constraint, and the options after
/// the list (STRICT, WITHOUT ROWID). Sorted, since `ALTER TABLE ADD COLUMN` appends a column
/// after the table constraints where a fresh definition has it before them; column order is
/// compared by `table_lines`.
fn definition_lines(sql: &str) -> Vec<String> {
    let tokens = tokens(sql);
    let Some(open) = tokens.iter().position(|t| t == "(") else {
        return vec![format!("definition {}", tokens.join(" "))];
    };
    let mut items = vec![Vec::new()];
    let mut depth = 0usize;
    let mut end = tokens.len();
    for (i, t) in tokens.iter().enumerate().skip(open + 1) {
        match t.as_str() {
            "(" => depth += 1,
            ")" if depth == 0 => {
                end = i;
                break;
            }
            ")" => depth -= 1,
            "," if depth == 0 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        items.last_mut().expect("one item at least").push(t.clone());
    }
    let mut lines: Vec<String> = items
        .into_iter()
        .map(|item| {
            let first = item.first().map(String::as_str).unwrap_or("");
            let what = match first {
                "constraint" | "primary" | "unique" | "check" | "foreign" => "constraint",
                _ => "column",
            };
            format!("{what}: {}", item.join(" "))
        })
        .collect();
    lines.sort();
    lines.push(format!(
        "options: {}",
        tokens.get(end + 1..).unwrap_or_default().join(" ")
    ));
    lines
}

/// SQL as tokens: comments and white space dropped, words and identifiers (quoted or not) in
/// lower case, string literals as written. Two spellings of one definition come out the same.
fn tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if let Some(close) = match c {
            '\'' => Some('\''),
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        } {
            // a quoted run; a doubled closing quote stands for itself
            let mut text = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == close && chars.get(i + 1) == Some(&close) && close != ']' {
                    text.push(close);
                    i += 2;
                } else if chars[i] == close {
                    i += 1;
                    break;
                } else {
                    text.push(chars[i]);
                    i += 1;
                }
            }
            out.push(if c == '\'' {
                format!("'{}'", text.replace('\'', "''"))
            } else {
                text.to_lowercase()
            });
        } else if word(c) {
            let start = i;
            while i < chars.len() && word(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// SQL normalised for comparison (see `tokens`).
pub fn normalise(sql: &str) -> String {
    tokens(sql).join(" ")
}

/// The schema a catalogue of `version` has, built in memory once per process and version: by
/// the migrations from version 1 (`db::build_schema`) for an older version, and by schema.sql
/// for the current one, which a test proves to be the same by structure
/// (`a_fresh_catalogue_has_the_schema_the_migrations_build`) and which costs a tenth as much
/// (the table rebuilds of migrations 5 and 7 make SQLite read the whole schema again each time):
/// every command pays it.
pub fn reference(version: i64) -> Result<Shape> {
    static BUILT: Mutex<BTreeMap<i64, Shape>> = Mutex::new(BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(shape) = built.get(&version) {
        return Ok(shape.clone());
    }
    let conn = Connection::open_in_memory()?;
    super::harden(&conn)?;
    if version == super::SCHEMA_VERSION {
        conn.execute_batch(super::SCHEMA_SQL)?;
    } else {
        super::build_schema(&conn, version)?;
    }
    let shape = shape(&conn)?;
    built.insert(version, shape.clone());
    Ok(shape)
}

/// What a catalogue file holds besides a catalogue: tables and views someone added, which
/// comptrace never reads (`check` lists them).
#[derive(Debug, Default)]
pub struct Extras(pub Vec<String>);

/// Compares `conn`'s schema with the one its `version` has; refuses it, saying what differs,
/// unless every object of ours is as ours would be and nothing else can run (no trigger, no
/// index on our tables). Returns what else the file holds.
pub fn verify(conn: &Connection, version: i64) -> Result<Extras> {
    let expected = reference(version)?;
    let found = shape_of(conn, |key| expected.objects.contains_key(key))?;
    let ours = |table: &str| {
        expected
            .objects
            .contains_key(&("table".to_string(), table.to_string()))
    };
    let mut differences = Vec::new();
    for ((kind, name), lines) in &expected.objects {
        let same_name: Vec<&String> = found
            .objects
            .keys()
            .filter(|(_, n)| n == name)
            .map(|(k, _)| k)
            .collect();
        match found.objects.get(&(kind.clone(), name.clone())) {
            Some(have) if have == lines => {}
            Some(have) => differences.push(format!(
                "{kind} {name} differs: {}",
                what_differs(lines, have)
            )),
            None if !same_name.is_empty() => {
                differences.push(format!("{kind} {name} is a {} in this file", same_name[0]))
            }
            None => differences.push(format!("{kind} {name} is missing")),
        }
    }
    let mut extras = Vec::new();
    for ((kind, name), lines) in &found.objects {
        if expected.objects.contains_key(&(kind.clone(), name.clone())) {
            continue;
        }
        let table = lines[0].trim_start_matches("on ");
        match kind.as_str() {
            "table" if SQLITE_OWN_TABLES.contains(&name.as_str()) => {}
            _ if expected.objects.keys().any(|(_, n)| n == name) => {}
            "trigger" => differences.push(format!("trigger {name} on {table} is not comptrace's")),
            "index" if ours(table) => {
                differences.push(format!("index {name} on {table} is not comptrace's"))
            }
            _ if name.starts_with("sqlite_") => {
                differences.push(format!("{kind} {name} is not SQLite's own"))
            }
            "index" => {}
            _ => extras.push(format!("{kind} {name}")),
        }
    }
    if !differences.is_empty() {
        bail!(
            "its schema is not a comptrace catalogue's (version {version}), so it is not read: {}",
            differences.join("; ")
        );
    }
    Ok(Extras(extras))
}

/// The first lines one description has and the other has not, both ways.
fn what_differs(expected: &[String], found: &[String]) -> String {
    let missing: Vec<&String> = expected.iter().filter(|l| !found.contains(l)).collect();
    let added: Vec<&String> = found.iter().filter(|l| !expected.contains(l)).collect();
    let mut parts = Vec::new();
    if let Some(l) = missing.first() {
        parts.push(format!("expected `{l}`"));
    }
    if let Some(l) = added.first() {
        parts.push(format!("found `{l}`"));
    }
    if parts.is_empty() {
        parts.push("its columns are in another order".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_definition_normalise_alike() {
        assert_eq!(
            normalise("CREATE TABLE \"a\" (x TEXT -- note\n CHECK (x IN ('a''b')))"),
            normalise("create table a(x text check(x in ('a''b')))")
        );
        assert_ne!(normalise("CHECK (x = 'A')"), normalise("CHECK (x = 'a')"));
    }

    #[test]
    fn a_fresh_catalogue_has_the_schema_the_migrations_build() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = super::super::create(&dir.path().join("c.db")).unwrap();
        let built = Connection::open_in_memory().unwrap();
        super::super::build_schema(&built, super::super::SCHEMA_VERSION).unwrap();
        let migrated = shape(&built).unwrap();
        let fresh = shape(&fresh).unwrap();
        assert!(migrated.objects.len() > 40, "{:?}", migrated.objects.keys());
        assert_eq!(reference(super::super::SCHEMA_VERSION).unwrap(), migrated);
        for (key, lines) in &migrated.objects {
            assert_eq!(fresh.objects.get(key), Some(lines), "{key:?}");
        }
        assert_eq!(fresh, migrated);
    }
}
