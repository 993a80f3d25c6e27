//! The import log (`import_batch`: which file brought which observations) and the connection
//! settings a bulk import runs under.

use anyhow::Result;
use rusqlite::{params, Connection};

use super::new_uid;
use crate::dates::now;

/// The page cache of an import, in KiB as `PRAGMA cache_size` takes it (negative): 64 MiB.
const BULK_CACHE_KIB: i64 = -65536;

/// What `enter_bulk` changed, to put back.
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    cache: i64,
}

/// Settings for a bulk import. Random inserts into a million-row catalogue's indexes want
/// their pages kept (64 MiB of cache). SQLite's foreign-key enforcement is off: checking the
/// parents of every row cost a sixth of a bulk import, and every reference the import writes
/// is an id SQLite has just handed it in the same transaction, with every country checked
/// against the catalogue's own table (`Ingester`); `comptrace check` runs the full check.
pub fn enter_bulk(conn: &Connection) -> Result<Saved> {
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    Ok(Saved { cache })
}

/// Puts back what `enter_bulk` changed: what runs on the connection afterwards is a query.
pub fn leave_bulk(conn: &Connection, saved: Saved) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", saved.cache)?;
    Ok(())
}

/// Whether a file is large next to the catalogue, so that building the secondary indexes again
/// afterwards costs less than keeping them up to date row by row. Findings average 150 to 250
/// bytes a row; the estimate only decides speed, never what is written.
pub fn is_bulk_load(conn: &Connection, file_bytes: u64) -> Result<bool> {
    let observations = observation_count(conn)?;
    Ok(observations == 0 || file_bytes / 200 >= observations as u64)
}

pub fn observation_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM observation", [], |r| r.get(0))?)
}

pub fn batch_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM import_batch", [], |r| r.get(0))?)
}

/// Logs the start of an import of `label`; returns its id.
pub fn start(conn: &Connection, label: &str, stamp: &str) -> Result<i64> {
    Ok(conn.query_row(
        "INSERT INTO import_batch (uid, file_name, sha256, started_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![new_uid(), label, "0".repeat(64), stamp],
        |r| r.get(0),
    )?)
}

/// Logs the end of an import: the file's SHA-256, rows read and observations added.
pub fn finish(conn: &Connection, id: i64, sha256: &str, rows: u64, added: u64) -> Result<()> {
    conn.execute(
        "UPDATE import_batch SET sha256 = ?2, finished_at = ?3, rows_read = ?4, observations_added = ?5 WHERE id = ?1",
        params![id, sha256, now(), rows as i64, added as i64],
    )?;
    Ok(())
}
