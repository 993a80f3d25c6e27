//! `comptrace check`: what SQLite can verify, and the catalogue's own invariants.

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;

use crate::evidence::{is_sha256, open_regular, sha256_hex, store_dir};

/// One check of `problems`: it adds what it finds to the list, and may fail part-way (on a
/// damaged file), keeping what it found until then.
type Check = fn(&Connection, &Path, &mut Vec<String>) -> Result<()>;

/// Every check, in order: each runs whatever the others found or failed on, so a catalogue
/// damaged in one table is still checked everywhere else.
const CHECKS: [(&str, Check); 8] = [
    ("integrity", integrity),
    ("foreign key", foreign_keys),
    ("merges", merges),
    ("retractions", retractions),
    ("evidence", evidence),
    ("classification", classification),
    ("screening", screening),
    ("supply chain", supply_chain),
];

/// What every check finds; a check that cannot run (a damaged page under what it reads) is
/// reported as a problem with SQLite's reason, and the next check runs.
pub fn problems(conn: &Connection, catalogue: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (name, check) in CHECKS {
        if let Err(e) = check(conn, catalogue, &mut out) {
            out.push(format!("{name}: this check could not finish: {e:#}"));
        }
    }
    out
}

/// What the catalogue file holds besides a catalogue (tables and views someone added):
/// comptrace never reads them.
pub fn extras(conn: &Connection) -> Result<Vec<String>> {
    Ok(super::schema::verify(conn, super::SCHEMA_VERSION)?.0)
}

/// SQLite's own check of every page, index and constraint.
fn integrity(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            out.push(format!("integrity: {row}"));
        }
    }
    Ok(())
}

fn foreign_keys(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
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
    Ok(())
}

fn merges(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    out.extend(super::merge::check(conn)?);
    Ok(())
}

/// The retraction log replayed against each finding's derived flag, the revisions against each
/// amended finding, and the entity corrections against each corrected fact.
fn retractions(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    out.extend(super::correction::check(conn)?);
    out.extend(super::revision::check(conn)?);
    out.extend(super::entity_revision::check(conn)?);
    Ok(())
}

/// Stated HS codes and ECCNs well-formed (docs/classification.md).
fn classification(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    out.extend(super::check_export_control::malformed_codes(conn)?);
    Ok(())
}

/// Screening decisions on entries their list holds, superseding decisions on the same pair.
fn screening(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    out.extend(super::check_export_control::decisions(conn)?);
    Ok(())
}

/// The supply chain's own rules (src/db/supply_check.rs).
fn supply_chain(conn: &Connection, _: &Path, out: &mut Vec<String>) -> Result<()> {
    out.extend(super::supply_check::check(conn)?);
    Ok(())
}

fn evidence(conn: &Connection, catalogue: &Path, out: &mut Vec<String>) -> Result<()> {
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
        let name = name.unwrap_or_default();
        if !is_sha256(&sha) {
            out.push(format!(
                "evidence {uid} ({name}): its sha256 {sha:?} is not 64 lower-case hex digits; no file was read"
            ));
            continue;
        }
        let path = store.join(&sha);
        // only a regular file is read: a symbolic link to /dev/zero would be hashed forever
        let hashed = open_regular(&path).map(|file| file.map(sha256_hex));
        match hashed {
            Ok(Some(Ok(actual))) if actual == sha => {}
            Ok(Some(Ok(actual))) => out.push(format!(
                "evidence {uid} ({name}): stored file now hashes to {actual}, not {sha}"
            )),
            Ok(Some(Err(e))) => out.push(format!(
                "evidence {uid} ({name}): {} cannot be read: {e}",
                path.display()
            )),
            Ok(None) => out.push(format!(
                "evidence {uid} ({name}): {} is missing",
                path.display()
            )),
            Err(e) => out.push(format!("evidence {uid} ({name}): {e:#}")),
        }
    }
    Ok(())
}

/// Groups of observations that state one finding (same stated fields, same sources): written
/// by versions that counted identical rows as separate findings. They stay (a copy cannot be
/// told from a second chip after the fact); `check` lists them for review. Each group is the
/// observations' uids, oldest first.
pub fn identical_findings(conn: &Connection) -> Result<Vec<Vec<String>>> {
    use std::collections::HashMap;
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY);
         INSERT INTO temp.selected SELECT id FROM observation;",
    )?;
    let mut keys = super::export::source_keys(conn)?;
    let mut groups: HashMap<[u8; 16], Vec<(i64, String)>> = HashMap::new();
    super::export::stated_findings(conn, |id, row, _| {
        let fields: HashMap<&str, Option<String>> = crate::finding::FIELDS
            .iter()
            .map(|f| f.name)
            .zip(row)
            .collect();
        let uid = fields.get("uid").cloned().flatten().unwrap_or_default();
        // a row the checks refuse today cannot be compared; it is not a copy of anything
        if let Ok(f) =
            crate::finding::Finding::from_fields(|c| fields.get(c).and_then(|v| v.as_deref()))
        {
            let fp =
                super::ingest::fingerprint_with_keys(&f, keys.remove(&id).unwrap_or_default(), 0);
            groups.entry(fp).or_default().push((id, uid));
        }
        Ok(())
    })?;
    let mut out: Vec<Vec<(i64, String)>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort();
    }
    out.sort();
    Ok(out
        .into_iter()
        .map(|g| g.into_iter().map(|(_, uid)| uid).collect())
        .collect())
}
