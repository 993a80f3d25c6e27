//! Embargoes (schema v9): a finding or a source withheld from public output until a date. The
//! `embargo` table is a log; an item's latest entry says until when it is withheld (none: the
//! embargo was lifted). A finding is withheld on a day when its own embargo or that of any
//! source it cites runs past that day: a finding citing an unpublished source would publish it.

use anyhow::Result;
use rusqlite::{params, Connection};

use super::new_uid;

/// The ids of the findings withheld on day `?1` (YYYY-MM-DD): under an embargo of their own, or
/// citing a source under one, by each item's latest entry.
const WITHHELD: &str = "
    SELECT e.observation_id FROM embargo e
     WHERE e.observation_id IS NOT NULL AND e.until > ?1
       AND e.id = (SELECT max(q.id) FROM embargo q WHERE q.observation_id = e.observation_id)
    UNION
    SELECT x.observation_id FROM embargo e JOIN observation_source x ON x.source_id = e.source_id
     WHERE e.source_id IS NOT NULL AND e.until > ?1
       AND e.id = (SELECT max(q.id) FROM embargo q WHERE q.source_id = e.source_id)";

/// What an embargo entry is about.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Finding(i64),
    Source(i64),
}

/// Appends an entry: the item is withheld until `until` (None lifts its embargo). Returns the
/// entry's uid.
pub fn record(
    conn: &Connection,
    target: Target,
    until: Option<&str>,
    reason: &str,
    author: &str,
    at: &str,
) -> Result<String> {
    let uid = new_uid();
    let (observation, source) = match target {
        Target::Finding(id) => (Some(id), None),
        Target::Source(id) => (None, Some(id)),
    };
    conn.execute(
        "INSERT INTO embargo (uid, observation_id, source_id, until, reason, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![uid, observation, source, until, reason.trim(), author, at],
    )?;
    Ok(uid)
}

/// Until when an item is withheld by its latest entry (None: never embargoed, or lifted).
pub fn current(conn: &Connection, target: Target) -> Result<Option<String>> {
    let (column, id) = match target {
        Target::Finding(id) => ("observation_id", id),
        Target::Source(id) => ("source_id", id),
    };
    // the column name is one of the two constants above
    Ok(conn
        .query_row(
            &format!("SELECT until FROM embargo WHERE {column} = ?1 ORDER BY id DESC LIMIT 1"),
            [id],
            |r| r.get::<_, Option<String>>(0),
        )
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?)
}

/// Leaves the findings withheld on `day` out of `temp.observation` and `temp.observation_source`
/// (the shadow `as_of` makes); returns how many standing findings were left out.
pub fn withhold_shadowed(conn: &Connection, day: &str) -> Result<i64> {
    // the ids first: the links are part of what says which findings are withheld
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.withheld; CREATE TEMP TABLE withheld (id INTEGER PRIMARY KEY);",
    )?;
    conn.execute(
        &format!("INSERT OR IGNORE INTO temp.withheld (id) {WITHHELD}"),
        [day],
    )?;
    let withheld: i64 = conn.query_row(
        "SELECT count(*) FROM temp.observation WHERE retracted = 0 AND id IN (SELECT id FROM temp.withheld)",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch(
        "DELETE FROM temp.observation_source WHERE observation_id IN (SELECT id FROM temp.withheld);
         DELETE FROM temp.observation WHERE id IN (SELECT id FROM temp.withheld);
         DROP TABLE temp.withheld;",
    )?;
    Ok(withheld)
}

/// Leaves the findings withheld on `day` out of an export's selection (`temp.selected`);
/// returns how many were left out.
pub fn withhold_selected(conn: &Connection, day: &str) -> Result<i64> {
    Ok(conn.execute(
        &format!("DELETE FROM temp.selected WHERE id IN ({WITHHELD})"),
        [day],
    )? as i64)
}

/// The embargo log as history events (see `correction::history`): `embargo` or `lift`, of a
/// finding or a source.
pub const EMBARGO_EVENT: &str = "
    SELECT e.recorded_at AS at, 5 AS rank, e.id AS seq,
           CASE WHEN e.until IS NULL THEN 'lift embargo' ELSE 'embargo' END
             || CASE WHEN e.source_id IS NULL THEN '' ELSE ' source' END AS event,
           o.uid AS finding, e.author AS author, e.reason AS reason,
           trim(coalesce('until ' || e.until, '') || ' '
                || coalesce('source ' || coalesce(s.url, s.title, s.file_name, s.uid), '')) AS detail,
           e.uid AS uid
    FROM embargo e LEFT JOIN observation o ON o.id = e.observation_id
    LEFT JOIN source s ON s.id = e.source_id";
