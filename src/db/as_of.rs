//! `--as-of DATE`: the catalogue as it stood at the end of that day (UTC), by when each row
//! entered this catalogue.
//!
//! Every table a report or listing reads is shadowed, for the one connection, by a TEMP table
//! of the same name holding the rows that had entered by then: SQLite resolves an unqualified
//! name in the temp schema first, so every query of `db::report` and `db::query` runs unchanged
//! on the past state. Then what is derived is derived again from the logs as they stood: each
//! amended finding's columns and sources from its latest revision by then, each corrected
//! entity fact (a maker's country ...) from the entity corrections by then, the retraction flag
//! from the retraction log, the merge-derived columns from the judgements
//! (`merge::rederive`). Nothing is written to the catalogue.
//!
//! `TIMED` is the one list of which table is filtered by which timestamp: a new table whose
//! rows are facts entered over time (supply links, classifications, screening decisions) adds
//! one line there, with its `recorded_at`.

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::merge::rederive;
use super::revision::STATE_COLUMNS;
use crate::entity::Family;

/// Each table whose rows entered the catalogue over time, with the column saying when (UTC
/// RFC 3339). A row counts as of DATE when that column's first characters are <= DATE, so a
/// day is its end, a month its last day.
pub const TIMED: &[(&str, &str)] = &[
    ("import_batch", "started_at"),
    ("organisation", "created_at"),
    ("organisation_spelling", "created_at"),
    ("weapon", "created_at"),
    ("weapon_spelling", "created_at"),
    ("weapon_unit", "created_at"),
    ("part", "created_at"),
    ("part_spelling", "created_at"),
    ("source", "created_at"),
    ("observation", "logged_at"),
    ("merge_batch", "created_at"),
    ("judgement", "created_at"),
    ("retraction", "created_at"),
    ("revision", "recorded_at"),
    ("embargo", "recorded_at"),
    ("source_archive", "recorded_at"),
    ("classification", "recorded_at"),
    ("designation_list", "recorded_at"),
    ("designated_party", "recorded_at"),
    ("screening_decision", "recorded_at"),
    ("trace_request", "recorded_at"),
    ("trace_response", "recorded_at"),
    ("shipment", "recorded_at"),
    ("supply_link", "recorded_at"),
    ("weapon_producer", "recorded_at"),
    ("entity_revision", "recorded_at"),
];

/// Shadows the catalogue, for this connection, with its state at the end of `day` (checked
/// ISO 8601 date text). Call inside the read transaction the report or listing runs in.
pub fn shadow(conn: &Connection, day: &str) -> Result<()> {
    for (table, column) in TIMED {
        copy_until(conn, table, column, day)
            .with_context(|| format!("reading {table} as of {day}"))?;
    }
    links_as_they_stood(conn, day)?;
    revisions_as_they_stood(conn, day)?;
    // a maker's country, a weapon's origin and type, a part's category as corrected by then
    super::entity_revision::as_they_stood(conn, day)?;
    // the flag is derived from the log as it stood: the latest entry by then
    conn.execute(
        "UPDATE observation SET retracted = coalesce((SELECT r.action = 'retract' FROM retraction r
                WHERE r.observation_id = observation.id ORDER BY r.id DESC LIMIT 1), 0)",
        [],
    )?;
    for family in Family::all() {
        rederive(conn, family)?;
    }
    Ok(())
}

/// A TEMP table `table` with the main table's columns (types, defaults, checks: its own
/// definition, references to other tables dropped, which a temp table cannot hold) and indexes,
/// filled with the rows entered by the end of `day`.
fn copy_until(conn: &Connection, table: &str, column: &str, day: &str) -> Result<()> {
    let definition: String = conn.query_row(
        "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    let body = &definition[definition.find('(').unwrap_or(0)..];
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.{table}; CREATE TEMP TABLE {table} {};",
        without_references(body)
    ))?;
    // table and column names are the constants of TIMED; the day is a parameter
    conn.execute(
        &format!(
            "INSERT INTO temp.{table} SELECT * FROM main.{table}
              WHERE substr({column}, 1, length(?1)) <= ?1"
        ),
        [day],
    )?;
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT sql FROM main.sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for sql in indexes {
        // CREATE [UNIQUE] INDEX name ON ... -> the same in the temp schema
        if let Some(at) = sql.find("INDEX ") {
            let (head, tail) = sql.split_at(at + "INDEX ".len());
            conn.execute_batch(&format!("{head}temp.{tail}"))?;
        }
    }
    Ok(())
}

/// A table definition without `REFERENCES parent(column)` clauses.
fn without_references(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("REFERENCES ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find(')').map_or(after.len(), |i| i + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The links between findings and sources of the findings that stood: as now for a finding
/// never amended since, else as its latest revision by then cites them.
fn links_as_they_stood(conn: &Connection, day: &str) -> Result<()> {
    create_links(conn)?;
    conn.execute(
        "INSERT INTO temp.observation_source
         SELECT x.observation_id, x.source_id FROM main.observation_source x
          WHERE x.observation_id IN (SELECT id FROM temp.observation)
            AND NOT EXISTS (SELECT 1 FROM main.revision r WHERE r.observation_id = x.observation_id
                              AND substr(r.recorded_at, 1, length(?1)) > ?1)",
        [day],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO temp.observation_source
         SELECT r.observation_id, j.value FROM temp.revision r, json_each(r.sources) j
          WHERE r.number = (SELECT max(q.number) FROM temp.revision q WHERE q.observation_id = r.observation_id)
            AND EXISTS (SELECT 1 FROM main.revision l WHERE l.observation_id = r.observation_id
                          AND substr(l.recorded_at, 1, length(?1)) > ?1)",
        [day],
    )?;
    Ok(())
}

/// An empty TEMP `observation_source`, shaped as the main one.
fn create_links(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.observation_source;
         CREATE TEMP TABLE observation_source (observation_id INTEGER NOT NULL, source_id INTEGER NOT NULL,
             PRIMARY KEY (observation_id, source_id)) WITHOUT ROWID;
         CREATE INDEX temp.observation_source_source ON observation_source(source_id);",
    )?;
    Ok(())
}

/// Each finding amended after `day` takes back the columns of its latest revision by then.
fn revisions_as_they_stood(conn: &Connection, day: &str) -> Result<()> {
    let sets: Vec<String> = STATE_COLUMNS
        .iter()
        .map(|c| format!("{c} = json_extract(r.state, '$.{c}')"))
        .collect();
    conn.execute(
        &format!(
            "UPDATE observation SET {}, fingerprint = r.fingerprint
               FROM (SELECT q.observation_id, q.state, q.fingerprint FROM temp.revision q
                      WHERE q.number = (SELECT max(n.number) FROM temp.revision n
                                         WHERE n.observation_id = q.observation_id)) r
              WHERE observation.id = r.observation_id
                AND EXISTS (SELECT 1 FROM main.revision l WHERE l.observation_id = r.observation_id
                              AND substr(l.recorded_at, 1, length(?1)) > ?1)",
            sets.join(", ")
        ),
        [day],
    )?;
    Ok(())
}

/// `--public`: leaves out, for this connection, every finding withheld on `day` (under an
/// embargo, or citing a source under one: `db::embargo`), shadowing the findings and their
/// links first when `shadow` has not; returns how many standing findings were left out.
pub fn shadow_public(conn: &Connection, day: &str) -> Result<i64> {
    let shadowed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM temp.sqlite_schema WHERE type = 'table' AND name = 'observation')",
        [],
        |r| r.get(0),
    )?;
    if !shadowed {
        // every row: the catalogue as it is now, to take the withheld findings out of
        copy_until(conn, "observation", "logged_at", "9999")?;
        create_links(conn)?;
        conn.execute_batch(
            "INSERT INTO temp.observation_source SELECT observation_id, source_id FROM main.observation_source",
        )?;
    }
    super::embargo::withhold_shadowed(conn, day)
}
