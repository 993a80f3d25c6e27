//! Corrections on the record: findings addressed by their uid, the retraction log (read and
//! appended, never edited), the `retracted` flag derived from it, and the history of a finding
//! or of the whole catalogue.
//!
//! `observation.retracted` is derived: 1 while a finding's latest entry in the log is a
//! retraction. Every write here sets it in the same statement group that appends the entry,
//! and `check` replays the log to prove it (`check`). Listings and reports read only findings
//! with 0, as they read merge-derived columns rather than the merge log.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::embargo::EMBARGO_EVENT;
use super::new_uid;
use super::query::listing;
use super::source_archive::ARCHIVE_EVENT;
use crate::table::Listing;

/// A finding found by its id: its row id and its stable uid.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRef {
    pub id: i64,
    pub uid: String,
}

/// Findings whose uid is `needle`, else those whose uid contains it (case folded), oldest
/// first, at most `limit`; and how many contain it in all. An exact uid is one match even
/// where it is also part of another (it cannot be: uids have one length).
pub fn findings_matching(
    conn: &Connection,
    needle: &str,
    limit: i64,
) -> Result<(Vec<FindingRef>, i64)> {
    let needle = needle.trim().to_lowercase();
    let exact = conn
        .query_row(
            "SELECT id, uid FROM observation WHERE uid = ?1",
            [&needle],
            |r| {
                Ok(FindingRef {
                    id: r.get(0)?,
                    uid: r.get(1)?,
                })
            },
        )
        .optional()?;
    if let Some(f) = exact {
        return Ok((vec![f], 1));
    }
    // instr, not LIKE: the needle is matched as typed, `%` and `_` included
    let mut stmt = conn.prepare(
        "SELECT id, uid FROM observation WHERE instr(lower(uid), ?1) > 0 ORDER BY id LIMIT ?2",
    )?;
    let found = stmt
        .query_map(params![needle, limit], |r| {
            Ok(FindingRef {
                id: r.get(0)?,
                uid: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = if (found.len() as i64) < limit {
        found.len() as i64
    } else {
        conn.query_row(
            "SELECT count(*) FROM observation WHERE instr(lower(uid), ?1) > 0",
            [&needle],
            |r| r.get(0),
        )?
    };
    Ok((found, total))
}

/// Whether an entry of the log takes a finding out of the count or puts it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Retract,
    Unretract,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Retract => "retract",
            Action::Unretract => "unretract",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        match name {
            "retract" => Some(Action::Retract),
            "unretract" => Some(Action::Unretract),
            _ => None,
        }
    }
}

/// One entry to append to the retraction log.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// a uid carried from another catalogue (JSON lines import), else a new one is made
    pub uid: Option<&'a str>,
    pub action: Action,
    pub reason: &'a str,
    pub evidence_url: Option<&'a str>,
    pub evidence_file: Option<&'a str>,
    pub evidence_sha256: Option<&'a str>,
    pub author: &'a str,
    pub at: &'a str,
}

/// The latest entry of a finding's log, when it has one: what it did, who, when and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    pub action: Action,
    pub author: String,
    pub at: String,
    pub reason: String,
}

/// The latest entry of the retraction log for a finding.
pub fn latest(conn: &Connection, observation: i64) -> Result<Option<Latest>> {
    Ok(conn
        .query_row(
            "SELECT action, author, created_at, reason FROM retraction
              WHERE observation_id = ?1 ORDER BY id DESC LIMIT 1",
            [observation],
            |r| {
                Ok(Latest {
                    action: Action::from_name(&r.get::<_, String>(0)?).unwrap_or(Action::Unretract),
                    author: r.get(1)?,
                    at: r.get(2)?,
                    reason: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Appends an entry for a finding and sets its derived flag to match; returns the entry's uid.
/// The caller has checked that the entry changes the finding's state.
pub fn record_for_finding(conn: &Connection, observation: i64, e: &Entry) -> Result<String> {
    let uid = insert(conn, Some(observation), None, e)?;
    conn.execute(
        "UPDATE observation SET retracted = ?2 WHERE id = ?1",
        params![observation, e.action == Action::Retract],
    )?;
    Ok(uid)
}

/// Appends a retraction of a source: it changes no finding by itself.
pub fn record_for_source(conn: &Connection, source: i64, e: &Entry) -> Result<String> {
    insert(conn, None, Some(source), e)
}

fn insert(
    conn: &Connection,
    observation: Option<i64>,
    source: Option<i64>,
    e: &Entry,
) -> Result<String> {
    let uid = e.uid.map_or_else(new_uid, str::to_string);
    conn.execute(
        "INSERT INTO retraction (uid, observation_id, source_id, action, reason, evidence_url,
                                 evidence_file, evidence_sha256, author, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            uid,
            observation,
            source,
            e.action.name(),
            e.reason.trim(),
            e.evidence_url,
            e.evidence_file,
            e.evidence_sha256,
            e.author,
            e.at
        ],
    )?;
    Ok(uid)
}

/// The findings import batch `batch` added that stand now (row id and uid), oldest first; None
/// when there is no such batch.
pub fn standing_from_import(conn: &Connection, batch: i64) -> Result<Option<Vec<FindingRef>>> {
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM import_batch WHERE id = ?1)",
        [batch],
        |r| r.get(0),
    )?;
    if !known {
        return Ok(None);
    }
    let mut stmt = conn.prepare(
        "SELECT id, uid FROM observation WHERE import_id = ?1 AND retracted = 0 ORDER BY id",
    )?;
    let found = stmt
        .query_map([batch], |r| {
            Ok(FindingRef {
                id: r.get(0)?,
                uid: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(found))
}

/// Whether a retraction uid is already in the log (a JSON lines import read twice).
pub fn has_entry(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM retraction WHERE uid = ?1)",
        [uid],
        |r| r.get(0),
    )?)
}

/// A source named on the command line: by its uid, its URL, or the SHA-256 of its file.
/// Returns (id, uid) of each match.
pub fn find_sources(
    conn: &Connection,
    uid_or_url: &str,
    sha256: Option<&str>,
) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid FROM source WHERE uid = ?1 OR url = ?1 OR (?2 IS NOT NULL AND sha256 = ?2)
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![uid_or_url.trim(), sha256], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The findings a source supports: each with its weapon, part, maker, whether it is
/// retracted, and how many other sources it has (0: it rests on this source alone). Those
/// resting on it alone come first.
pub fn findings_citing(conn: &Connection, source: i64) -> Result<Listing> {
    listing(
        conn,
        &[
            "finding",
            "weapon",
            "part",
            "manufacturer",
            "retracted",
            "other_sources",
        ],
        "SELECT o.uid, w.name, coalesce(p.part_number, p.name), m.name,
                CASE o.retracted WHEN 1 THEN 'yes' ELSE 'no' END,
                (SELECT count(*) FROM observation_source y WHERE y.observation_id = o.id AND y.source_id <> ?1) AS others
         FROM observation_source x
         JOIN observation o ON o.id = x.observation_id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
         WHERE x.source_id = ?1
         ORDER BY others > 0, o.id",
        [source],
    )
}

/// `check`: every finding's flag equals its log replayed (its latest entry a retraction), and
/// the log alternates (no finding retracted twice running, or unretracted when it stood).
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT o.uid, o.retracted FROM observation o
          WHERE o.retracted <> coalesce((SELECT r.action = 'retract' FROM retraction r
                                          WHERE r.observation_id = o.id ORDER BY r.id DESC LIMIT 1), 0)
          ORDER BY o.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (uid, flag) = row?;
        out.push(format!(
            "retraction: finding {uid} is marked {} but its retraction log says {}",
            if flag == 1 { "retracted" } else { "standing" },
            if flag == 1 {
                "it stands"
            } else {
                "it is retracted"
            }
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT o.uid, r.uid, r.action FROM retraction r JOIN observation o ON o.id = r.observation_id
          WHERE r.action = coalesce((SELECT q.action FROM retraction q WHERE q.observation_id = r.observation_id
                                       AND q.id < r.id ORDER BY q.id DESC LIMIT 1), 'unretract')
          ORDER BY r.id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (finding, entry, action) = row?;
        out.push(format!(
            "retraction: entry {entry} would {action} finding {finding}, which its previous entry already left so"
        ));
    }
    Ok(out)
}

/// The columns of a history, one finding's or the catalogue's.
const HISTORY_COLUMNS: &[&str] = &[
    "at", "event", "finding", "author", "reason", "detail", "uid",
];

/// The name of entity `id` of kind `kind` (SQL columns of a judgement row `j`).
fn entity_name(id: &str) -> String {
    format!(
        "CASE j.kind WHEN 'part' THEN (SELECT coalesce(part_number, name) FROM part WHERE id = {id})
                     WHEN 'manufacturer' THEN (SELECT name FROM organisation WHERE id = {id})
                     ELSE (SELECT name FROM weapon WHERE id = {id}) END"
    )
}

/// A judgement as an event: a merge, an unmerge, "different" or "unsure", by whom and why,
/// and the two entities it names.
fn judgement_event() -> String {
    format!(
        "SELECT j.created_at AS at, 2 AS rank, j.id AS seq,
                CASE WHEN b.undoes IS NOT NULL THEN 'unmerge' WHEN j.verdict = 'same' THEN 'merge' ELSE j.verdict END AS event,
                NULL AS finding, j.author AS author, j.note AS reason,
                j.kind || ': ' || {} || ' / ' || {} AS detail, j.uid AS uid
         FROM judgement j LEFT JOIN merge_batch b ON b.id = j.batch_id",
        entity_name("j.left_id"),
        entity_name("j.right_id")
    )
}

/// A screening decision as an event, ranked with the merge judgements: decisions are
/// judgements too (an organisation is, or is not, a listed party), kept in their own table
/// because they pair an organisation with a list entry rather than two entities
/// (docs/screening.md).
pub const SCREENING_EVENT: &str = "
    SELECT d.recorded_at AS at, 2 AS rank, d.id AS seq, 'screening: ' || d.verdict AS event,
           NULL AS finding, d.author AS author, d.note AS reason,
           'organisation: ' || o.name || ' / ' || d.list_name || ' entry ' || d.entry_id
             || coalesce(' (score ' || printf('%.2f', d.score) || ')', '') AS detail,
           d.uid AS uid
    FROM screening_decision d JOIN organisation o ON o.id = d.organisation_id";

/// A retraction entry as an event: what it retracted (a finding or a source), who, why, and
/// what shows it wrong.
const RETRACTION_EVENT: &str = "
    SELECT r.created_at AS at, 4 AS rank, r.id AS seq,
           CASE WHEN r.source_id IS NULL THEN r.action ELSE r.action || ' source' END AS event,
           o.uid AS finding, r.author AS author, r.reason AS reason,
           trim(coalesce('source ' || coalesce(s.url, s.title, s.file_name, s.uid), '') || ' '
                || coalesce('evidence ' || r.evidence_url, '') || ' '
                || coalesce('evidence file ' || r.evidence_file || ' sha256:' || r.evidence_sha256, '')) AS detail,
           r.uid AS uid
    FROM retraction r LEFT JOIN observation o ON o.id = r.observation_id
    LEFT JOIN source s ON s.id = r.source_id";

/// An amendment as an event: revision N of a finding (revision 1 is its logging, shown as
/// such), who, why, and each field it changed as `field: before -> after`.
const REVISION_EVENT: &str = "
    SELECT r.recorded_at AS at, 3 AS rank, r.id AS seq, 'amend' AS event,
           o.uid AS finding, r.author AS author, r.reason AS reason,
           'revision ' || r.number || ': ' ||
           (SELECT group_concat(c.key || ': ' || coalesce(json_extract(c.value, '$[0]'), '(none)')
                                || ' -> ' || coalesce(json_extract(c.value, '$[1]'), '(none)'), '; ')
              FROM json_each(r.changes) c) AS detail,
           r.uid AS uid
    FROM revision r JOIN observation o ON o.id = r.observation_id
    WHERE r.number > 1";

/// Everything that touched one finding, in order: when it was logged (or imported), every
/// judgement on an entity it names (the entity its text named, the entity that is now its
/// root, and every entity merged into that root), every correction of a fact about one of
/// those entities (`correct`: a maker's country ...), every retraction of it and of its
/// sources. Events at the same time are ordered logging, judgements, amendments and entity
/// corrections, retractions, each in log order (then by uid, so the order is always the same).
pub fn history(conn: &Connection, observation: i64) -> Result<Listing> {
    let sql = format!(
        "WITH f AS (
            SELECT o.id, ps.origin_part_id AS po, ps.part_id AS pr,
                   os.origin_organisation_id AS mo, coalesce(os.organisation_id, p.manufacturer_id) AS mr,
                   ws.origin_weapon_id AS wo, ws.weapon_id AS wr
              FROM observation o
              JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
              JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
              LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
             WHERE o.id = ?1),
         ent(kind, id) AS (
            SELECT 'part', id FROM part WHERE id IN (SELECT po FROM f UNION SELECT pr FROM f) OR merged_into IN (SELECT pr FROM f)
            UNION SELECT 'manufacturer', id FROM organisation WHERE id IN (SELECT mo FROM f UNION SELECT mr FROM f) OR merged_into IN (SELECT mr FROM f)
            UNION SELECT 'weapon', id FROM weapon WHERE id IN (SELECT wo FROM f UNION SELECT wr FROM f) OR merged_into IN (SELECT wr FROM f)),
         events AS (
            SELECT o.logged_at AS at, 1 AS rank, o.id AS seq,
                   CASE WHEN o.import_id IS NULL THEN 'logged' ELSE 'imported' END AS event,
                   o.uid AS finding, o.investigator AS author, NULL AS reason,
                   (SELECT 'from ' || file_name FROM import_batch WHERE id = o.import_id) AS detail, o.uid AS uid
              FROM observation o WHERE o.id = ?1
            UNION ALL
            SELECT * FROM ({judgements}) je
             WHERE EXISTS (SELECT 1 FROM judgement j JOIN ent ON ent.kind = j.kind AND (ent.id = j.left_id OR ent.id = j.right_id)
                            WHERE j.uid = je.uid)
            UNION ALL
            SELECT * FROM ({REVISION_EVENT}) ve
             WHERE ve.uid IN (SELECT uid FROM revision WHERE observation_id = ?1)
            UNION ALL
            SELECT * FROM ({corrections}) ce
             WHERE ce.uid IN (SELECT uid FROM entity_revision r
                               WHERE (r.entity_kind = 'organisation' AND r.entity_id IN (SELECT id FROM ent WHERE kind = 'manufacturer'))
                                  OR (r.entity_kind = 'weapon' AND r.entity_id IN (SELECT id FROM ent WHERE kind = 'weapon'))
                                  OR (r.entity_kind = 'part' AND r.entity_id IN (SELECT id FROM ent WHERE kind = 'part')))
            UNION ALL
            SELECT * FROM ({ARCHIVE_EVENT}) ae
             WHERE ae.uid IN (SELECT uid FROM source_archive
                               WHERE source_id IN (SELECT source_id FROM observation_source WHERE observation_id = ?1))
            UNION ALL
            SELECT * FROM ({EMBARGO_EVENT}) ee
             WHERE ee.uid IN (SELECT uid FROM embargo WHERE observation_id = ?1
                              OR source_id IN (SELECT source_id FROM observation_source WHERE observation_id = ?1))
            UNION ALL
            SELECT * FROM ({RETRACTION_EVENT}) re
             WHERE re.uid IN (SELECT uid FROM retraction WHERE observation_id = ?1
                              OR source_id IN (SELECT source_id FROM observation_source WHERE observation_id = ?1))
            UNION ALL
            SELECT * FROM ({SCREENING_EVENT}) se
             WHERE se.uid IN (SELECT uid FROM screening_decision
                               WHERE organisation_id IN (SELECT id FROM ent WHERE kind = 'manufacturer')))
         SELECT at, event, (SELECT uid FROM observation WHERE id = ?1), author, reason, detail, uid
           FROM events ORDER BY at, rank, seq, uid",
        judgements = judgement_event(),
        corrections = super::entity_revision::event_sql()
    );
    listing(conn, HISTORY_COLUMNS, &sql, [observation])
}

/// Everything recorded in the catalogue since `since` (a date at any precision, or all when
/// None), in order: each import as one event (its file and how many findings it added), each
/// finding logged on its own, every judgement (screening decisions among them), amendment, entity
/// correction and retraction.
pub fn history_since(conn: &Connection, since: Option<&str>) -> Result<Listing> {
    let sql = format!(
        "WITH events AS (
            SELECT b.started_at AS at, 0 AS rank, b.id AS seq, 'import' AS event, NULL AS finding,
                   NULL AS author, NULL AS reason,
                   'import ' || b.id || ': ' || b.file_name || ': ' || b.observations_added || ' findings added' AS detail, b.uid AS uid
              FROM import_batch b
            UNION ALL
            SELECT o.logged_at, 1, o.id, 'logged', o.uid, o.investigator, NULL, NULL, o.uid
              FROM observation o WHERE o.import_id IS NULL
            UNION ALL
            SELECT * FROM ({judgements})
            UNION ALL
            SELECT * FROM ({REVISION_EVENT})
            UNION ALL
            SELECT * FROM ({corrections})
            UNION ALL
            SELECT * FROM ({EMBARGO_EVENT})
            UNION ALL
            SELECT * FROM ({ARCHIVE_EVENT})
            UNION ALL
            SELECT * FROM ({RETRACTION_EVENT})
            UNION ALL
            SELECT * FROM ({SCREENING_EVENT}))
         SELECT at, event, finding, author, reason, detail, uid FROM events
          WHERE ?1 IS NULL OR substr(at, 1, length(?1)) >= ?1
          ORDER BY at, rank, seq, uid",
        judgements = judgement_event(),
        corrections = super::entity_revision::event_sql()
    );
    listing(conn, HISTORY_COLUMNS, &sql, [since])
}

/// The retraction log of the selected findings (`export::select`) and of the sources they
/// cite, as JSON objects of type `retraction`, in log order: what an export carries so a
/// retraction survives a round trip.
pub fn exported(conn: &Connection) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare(
        "SELECT r.uid, o.uid, s.uid, r.action, r.reason, r.evidence_url, r.evidence_file,
                r.evidence_sha256, r.author, r.created_at
         FROM retraction r LEFT JOIN observation o ON o.id = r.observation_id
         LEFT JOIN source s ON s.id = r.source_id
         WHERE r.observation_id IN (SELECT id FROM temp.selected)
            OR r.source_id IN (SELECT x.source_id FROM observation_source x JOIN temp.selected sel ON sel.id = x.observation_id)
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(json!({"type": "retraction", "uid": r.get::<_, String>(0)?,
            "finding": r.get::<_, Option<String>>(1)?, "source": r.get::<_, Option<String>>(2)?,
            "action": r.get::<_, String>(3)?, "reason": r.get::<_, String>(4)?,
            "evidence_url": r.get::<_, Option<String>>(5)?, "evidence_file": r.get::<_, Option<String>>(6)?,
            "evidence_sha256": r.get::<_, Option<String>>(7)?, "author": r.get::<_, String>(8)?,
            "created_at": r.get::<_, String>(9)?}))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The row id of a finding by its exact uid (for entries read from an export).
pub fn finding_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM observation WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .optional()?)
}
