//! `comptrace check`: what SQLite can verify, and the catalogue's own invariants.

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;

use crate::evidence::{sha256_hex, store_dir};

pub fn problems(conn: &Connection, catalogue: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            out.push(format!("integrity: {row}"));
        }
    }
    let mut stmt = conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (table, rowid, parent) = row?;
        out.push(format!(
            "foreign key: {table} row {rowid:?} points at a missing {parent}"
        ));
    }
    out.extend(super::merge::check(conn)?);
    let store = store_dir(catalogue);
    let mut stmt = conn.prepare(
        "SELECT uid, sha256, file_name FROM source WHERE sha256 IS NOT NULL ORDER BY id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })? {
        let (uid, sha, name) = row?;
        let path = store.join(&sha);
        match std::fs::File::open(&path).map(sha256_hex) {
            Ok(Ok(actual)) if actual == sha => {}
            Ok(Ok(actual)) => out.push(format!(
                "evidence {uid} ({}): stored file now hashes to {actual}, not {sha}",
                name.unwrap_or_default()
            )),
            _ => out.push(format!(
                "evidence {uid} ({}): {} is missing",
                name.unwrap_or_default(),
                path.display()
            )),
        }
    }
    Ok(out)
}
