//! Revisions of a finding (schema v9): each amendment keeps what the finding stated before and
//! after, with who, when and why. The observation row holds the latest revision; the
//! `revision` table holds every revision of an amended finding as a snapshot of the row's
//! columns (STATE_COLUMNS) and the sources it cited, so `--as-of` can show the finding as it
//! stood and `check` can prove the row equals its latest revision.
//!
//! A finding with no revision is its first revision, as logged. Its first amendment writes
//! revision 1 (the row before, dated when the finding was logged) and revision 2.

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::new_uid;
use crate::finding::Citation;

/// The observation's columns a revision keeps: everything an amendment may change. Not its
/// id, uid, logging time, import or the retraction flag (the retraction log's).
pub const STATE_COLUMNS: &[&str] = &[
    "part_spelling_id",
    "organisation_spelling_id",
    "weapon_spelling_id",
    "unit_id",
    "component_text",
    "marking",
    "date_code",
    "lot",
    "production_country",
    "manufacturer_country",
    "observed_on",
    "confidence",
    "notes",
    "stated_part_number",
    "stated_unit_serial",
    "stated_found_on",
    "quantity",
    "stated_found_at",
    "stated_unit_produced",
    "stated_unit_used_on",
    "marking_date_code",
    "stated_category",
    "stated_hs_code",
    "stated_eccn",
];

/// `json_object(...)` of the STATE_COLUMNS of the observation aliased `o` (column names are
/// the constants above, never input).
pub fn state_sql() -> String {
    let pairs: Vec<String> = STATE_COLUMNS
        .iter()
        .map(|c| format!("'{c}', o.{c}"))
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// The ids of the sources observation `o` cites, as a JSON array in id order.
const SOURCES_SQL: &str =
    "(SELECT coalesce(json_group_array(x.source_id ORDER BY x.source_id), '[]')
      FROM observation_source x WHERE x.observation_id = o.id)";

/// How many revisions a finding has on record (0: it is as logged).
pub fn count(conn: &Connection, observation: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM revision WHERE observation_id = ?1",
        [observation],
        |r| r.get(0),
    )?)
}

/// Who made and why: the author, reason and time of one revision.
#[derive(Debug, Clone)]
pub struct Made<'a> {
    pub author: &'a str,
    pub reason: &'a str,
    pub at: &'a str,
}

/// Writes revision 1 of a finding: the row as it is (as logged), dated when it was logged,
/// under whoever logged it. Called before its first amendment changes the row.
pub fn record_as_logged(conn: &Connection, observation: i64) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO revision (uid, observation_id, number, state, sources, fingerprint, changes,
                                   author, reason, recorded_at)
             SELECT ?2, o.id, 1, {state}, {SOURCES_SQL}, o.fingerprint, NULL,
                    coalesce(nullif(trim(o.investigator), ''), '(not recorded)'),
                    CASE WHEN o.import_id IS NULL THEN 'as logged'
                         ELSE 'as imported from ' || (SELECT file_name FROM import_batch WHERE id = o.import_id) END,
                    o.logged_at
               FROM observation o WHERE o.id = ?1",
            state = state_sql()
        ),
        params![observation, new_uid()],
    )
    .context("recording a finding's first revision")?;
    Ok(())
}

/// Appends revision `number` of a finding: the row as it is now (after the amendment), with the
/// fields it changed (`changes`, {field: [before, after]} as JSON); returns its uid.
pub fn record(
    conn: &Connection,
    observation: i64,
    number: i64,
    changes: &str,
    made: &Made,
) -> Result<String> {
    let uid = new_uid();
    conn.execute(
        &format!(
            "INSERT INTO revision (uid, observation_id, number, state, sources, fingerprint, changes,
                                   author, reason, recorded_at)
             SELECT ?2, o.id, ?3, {state}, {SOURCES_SQL}, o.fingerprint, ?4, ?5, ?6, ?7
               FROM observation o WHERE o.id = ?1",
            state = state_sql()
        ),
        params![
            observation,
            uid,
            number,
            changes,
            made.author,
            made.reason.trim(),
            made.at
        ],
    )?;
    Ok(uid)
}

/// The finding's first cited source that is a reference rather than a stored file: what its
/// source_* fields describe, which an amendment of them starts from.
pub fn citation(conn: &Connection, observation: i64) -> Result<Citation> {
    Ok(conn
        .query_row(
            "SELECT s.publisher, s.title, s.url, s.published_on
               FROM observation_source x JOIN source s ON s.id = x.source_id
              WHERE x.observation_id = ?1 AND s.sha256 IS NULL ORDER BY s.id LIMIT 1",
            [observation],
            |r| {
                Ok(Citation {
                    publisher: r.get(0)?,
                    title: r.get(1)?,
                    url: r.get(2)?,
                    date: r.get(3)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// `check`: each amended finding's row equals its latest revision (columns, sources,
/// fingerprint), and its revisions are numbered 1, 2, ... without a gap.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let sql = format!(
        "SELECT o.uid, r.number FROM observation o
           JOIN revision r ON r.observation_id = o.id
            AND r.number = (SELECT max(number) FROM revision q WHERE q.observation_id = o.id)
          WHERE r.state IS NOT {state} OR r.sources IS NOT {SOURCES_SQL} OR r.fingerprint IS NOT o.fingerprint
          ORDER BY o.id",
        state = state_sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (uid, number) = row?;
        out.push(format!(
            "revision: finding {uid} differs from its latest revision ({number}): the row was changed outside `amend`"
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT o.uid, count(*), max(r.number), min(r.number) FROM revision r
           JOIN observation o ON o.id = r.observation_id
          GROUP BY r.observation_id HAVING count(*) <> max(r.number) OR min(r.number) <> 1 OR count(*) < 2
          ORDER BY r.observation_id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (uid, n, max) = row?;
        out.push(format!(
            "revision: finding {uid} has {n} revisions numbered up to {max}; they should run 1, 2, ... from its state as logged"
        ));
    }
    Ok(out)
}

/// What finding `observation` states now, in FIELDS order (its sources left out: `citation`
/// gives the one its source_* fields describe), as `export` writes it.
pub fn stated_fields(conn: &Connection, observation: i64) -> Result<Vec<Option<String>>> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY);",
    )?;
    conn.execute("INSERT INTO temp.selected (id) VALUES (?1)", [observation])?;
    let mut found = None;
    super::export::stated_findings(conn, |_, fields, _| {
        found = Some(fields);
        Ok(())
    })?;
    conn.execute_batch("DROP TABLE temp.selected")?;
    found.ok_or_else(|| anyhow::anyhow!("finding {observation} is not in the catalogue"))
}

/// A standing finding citing a source under a dataset's URL: its row id, uid and the URL of
/// its record (the first of its sources under the dataset's URL).
#[derive(Debug, Clone)]
pub struct UnderSource {
    pub id: i64,
    pub uid: String,
    pub record_url: String,
}

/// The standing findings that cite `url` or a record under it (a URL that continues it with
/// `/`, `?` or `#`, or any that continues it when it ends with `/`), oldest first.
pub fn findings_under_source(conn: &Connection, url: &str) -> Result<Vec<UnderSource>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.uid, min(s.url) FROM observation o
           JOIN observation_source x ON x.observation_id = o.id
           JOIN source s ON s.id = x.source_id
          WHERE o.retracted = 0 AND s.url IS NOT NULL
            AND (s.url = ?1 OR (instr(s.url, ?1) = 1
                 AND (substr(?1, -1) = '/' OR substr(s.url, length(?1) + 1, 1) = '/'
                      OR substr(s.url, length(?1) + 1, 1) = '?' OR substr(s.url, length(?1) + 1, 1) = '#')))
          GROUP BY o.id ORDER BY o.id",
    )?;
    let rows = stmt.query_map([url], |r| {
        Ok(UnderSource {
            id: r.get(0)?,
            uid: r.get(1)?,
            record_url: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a catalogue's revisions say of one amended finding: the fingerprints of all its
/// revisions, and who made the latest, when and why.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub fingerprints: Vec<Vec<u8>>,
    pub latest_author: String,
    pub latest_reason: String,
    pub latest_at: String,
}

/// The revision history of every amended finding, by its uid.
pub fn histories(conn: &Connection) -> Result<std::collections::HashMap<String, History>> {
    let mut out: std::collections::HashMap<String, History> = std::collections::HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT o.uid, r.fingerprint, r.author, r.reason, r.recorded_at FROM revision r
           JOIN observation o ON o.id = r.observation_id ORDER BY r.observation_id, r.number",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let h = out.entry(r.get(0)?).or_default();
        h.fingerprints.push(r.get(1)?);
        h.latest_author = r.get(2)?;
        h.latest_reason = r.get(3)?;
        h.latest_at = r.get(4)?;
    }
    Ok(out)
}

/// A finding of this catalogue by uid: its row id and current fingerprint.
pub fn by_uid(conn: &Connection, uid: &str) -> Result<Option<(i64, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT id, fingerprint FROM observation WHERE uid = ?1",
            [uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The revisions of the selected findings (`export::select`) as JSON objects of type
/// `revision`, in order: what an export carries so a reader sees what was corrected, by whom,
/// when and why. Their states name this catalogue's row ids and are not carried.
pub fn exported(conn: &Connection) -> Result<Vec<serde_json::Value>> {
    let mut stmt = conn.prepare(
        "SELECT r.uid, o.uid, r.number, r.changes, lower(hex(r.fingerprint)), r.author, r.reason, r.recorded_at
           FROM revision r JOIN observation o ON o.id = r.observation_id
          WHERE r.observation_id IN (SELECT id FROM temp.selected)
          ORDER BY r.observation_id, r.number",
    )?;
    let rows = stmt.query_map([], |r| {
        let changes: Option<String> = r.get(3)?;
        Ok(
            serde_json::json!({"type": "revision", "uid": r.get::<_, String>(0)?,
            "finding": r.get::<_, String>(1)?, "number": r.get::<_, i64>(2)?,
            "changes": changes.and_then(|c| serde_json::from_str::<serde_json::Value>(&c).ok()),
            "fingerprint": r.get::<_, String>(4)?, "author": r.get::<_, String>(5)?,
            "reason": r.get::<_, String>(6)?, "recorded_at": r.get::<_, String>(7)?}),
        )
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Findings by row id, each with its stated fields (FIELDS order) and its citation.
pub type StatedMany = std::collections::HashMap<i64, (Vec<Option<String>>, Citation)>;

/// What each of the findings `ids` states now (`stated_fields` and `citation` for many at once,
/// in one pass rather than one query each), by row id.
pub fn stated_many(conn: &Connection, ids: &[i64]) -> Result<StatedMany> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY);",
    )?;
    {
        let mut insert = conn.prepare("INSERT OR IGNORE INTO temp.selected (id) VALUES (?1)")?;
        for id in ids {
            insert.execute([id])?;
        }
    }
    let mut out = std::collections::HashMap::new();
    super::export::stated_findings(conn, |id, fields, _| {
        out.insert(id, (fields, Citation::default()));
        Ok(())
    })?;
    let mut stmt = conn.prepare(
        "SELECT x.observation_id, s.publisher, s.title, s.url, s.published_on
           FROM temp.selected sel JOIN observation_source x ON x.observation_id = sel.id
           JOIN source s ON s.id = x.source_id
          WHERE s.sha256 IS NULL ORDER BY x.observation_id, s.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut seen = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !seen.insert(id) {
            continue; // the first source by id, as `citation` takes
        }
        if let Some((_, c)) = out.get_mut(&id) {
            *c = Citation {
                publisher: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                date: r.get(4)?,
            };
        }
    }
    drop(rows);
    drop(stmt);
    conn.execute_batch("DROP TABLE temp.selected")?;
    Ok(out)
}
