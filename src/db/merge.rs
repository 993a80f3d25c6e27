//! Merges as decisions on record. A merge appends "same" judgements; `distinct` appends a
//! "different"; an unmerge appends "unsure" judgements that supersede a merge's. Nothing is
//! edited or deleted. Which entity each spelling (and each part's maker, each unit's weapon)
//! currently belongs to is then *derived*: the origin recorded when it was first written, mapped
//! through the live "same" judgements, oldest first, each absorbing into the entity it names.

use std::collections::HashMap;

use anyhow::{bail, Result};
use rusqlite::{params, Connection};

use super::new_uid;
use crate::dates::now;
use crate::entity::merged_roots;

// the family is a pure type; this path is kept for the files that name it here
pub use crate::entity::Family;

/// (table, column, origin column) of every reference a merge of this family redirects.
struct Redirect {
    table: &'static str,
    column: &'static str,
    origin: &'static str,
}

// The store's knowledge of each family: its table and the references a merge redirects. An
// inherent impl may sit in any module of the crate, so the SQL names stay here, out of the
// pure type, while callers keep writing `family.table()`.
impl Family {
    /// The table holding the family's entities.
    pub fn table(self) -> &'static str {
        match self {
            Family::Part => "part",
            Family::Manufacturer => "organisation",
            Family::Weapon => "weapon",
        }
    }

    fn redirects(self) -> &'static [Redirect] {
        match self {
            Family::Part => &[Redirect {
                table: "part_spelling",
                column: "part_id",
                origin: "origin_part_id",
            }],
            Family::Manufacturer => &[
                Redirect {
                    table: "organisation_spelling",
                    column: "organisation_id",
                    origin: "origin_organisation_id",
                },
                Redirect {
                    table: "part",
                    column: "manufacturer_id",
                    origin: "origin_manufacturer_id",
                },
            ],
            Family::Weapon => &[
                Redirect {
                    table: "weapon_spelling",
                    column: "weapon_id",
                    origin: "origin_weapon_id",
                },
                Redirect {
                    table: "weapon_unit",
                    column: "weapon_id",
                    origin: "origin_weapon_id",
                },
            ],
        }
    }
}

/// One judgement as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub id: i64,
    pub left: i64,
    pub right: i64,
    pub verdict: String,
    pub batch: Option<i64>,
}

/// The latest judgement on each pair of entities: the live decisions.
pub fn live(conn: &Connection, family: Family) -> Result<Vec<Judgement>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, left_id, right_id, verdict, batch_id FROM judgement WHERE kind = ?1 ORDER BY id",
    )?;
    let mut latest: HashMap<(i64, i64), Judgement> = HashMap::new();
    let rows = stmt.query_map([family.name()], |r| {
        Ok(Judgement {
            id: r.get(0)?,
            left: r.get(1)?,
            right: r.get(2)?,
            verdict: r.get(3)?,
            batch: r.get(4)?,
        })
    })?;
    for j in rows {
        let j = j?;
        latest.insert((j.left.min(j.right), j.left.max(j.right)), j);
    }
    let mut out: Vec<Judgement> = latest.into_values().collect();
    out.sort_by_key(|j| j.id);
    Ok(out)
}

/// The root each merged entity belongs to, from the live "same" judgements (entities not in
/// the map are their own root).
pub fn roots(live: &[Judgement]) -> HashMap<i64, i64> {
    // `live` is oldest first, the order the rule needs
    merged_roots(
        live.iter()
            .filter(|j| j.verdict == "same")
            .map(|j| (j.left, j.right)),
    )
}

/// Rewrites the derived columns of a family from origins and live judgements. The roots go
/// into a temporary table so each derived column is rewritten in one pass over its table,
/// however many entities were merged.
pub fn rederive(conn: &Connection, family: Family) -> Result<()> {
    let map = roots(&live(conn, family)?);
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.root_of; CREATE TEMP TABLE root_of (id INTEGER PRIMARY KEY, root INTEGER NOT NULL);",
    )?;
    {
        let mut insert = conn.prepare("INSERT INTO temp.root_of (id, root) VALUES (?1, ?2)")?;
        for (entity, root) in &map {
            insert.execute(params![entity, root])?;
        }
    }
    // table and column names come from the constant list in Family
    conn.execute(
        &format!(
            "UPDATE {t} SET merged_into = (SELECT root FROM temp.root_of WHERE id = {t}.id)
             WHERE merged_into IS NOT (SELECT root FROM temp.root_of WHERE id = {t}.id)",
            t = family.table()
        ),
        [],
    )?;
    for r in family.redirects() {
        let derived = format!(
            "coalesce((SELECT root FROM temp.root_of WHERE id = {t}.{o}), {t}.{o})",
            t = r.table,
            o = r.origin
        );
        conn.execute(
            &format!(
                "UPDATE {t} SET {c} = {derived} WHERE {o} IS NOT NULL AND {c} IS NOT {derived}",
                t = r.table,
                c = r.column,
                o = r.origin
            ),
            [],
        )?;
    }
    conn.execute_batch("DROP TABLE temp.root_of")?;
    Ok(())
}

/// Problems between the log and the derived state, for `comptrace check`.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for family in Family::all() {
        let map = roots(&live(conn, family)?);
        let root = |id: i64| map.get(&id).copied().unwrap_or(id);
        let mut stmt = conn.prepare(&format!("SELECT id, merged_into FROM {} WHERE merged_into IS NOT NULL OR id IN (SELECT value FROM json_each(?1)) ORDER BY id", family.table()))?;
        let ids = serde_json::to_string(&map.keys().collect::<Vec<_>>())?;
        let rows: Vec<(i64, Option<i64>)> = stmt
            .query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, merged) in rows {
            let expected = (root(id) != id).then(|| root(id));
            if merged != expected {
                problems.push(format!(
                    "{} {id}: merged_into is {merged:?} but the merge log says {expected:?}",
                    family.table()
                ));
            }
        }
        for r in family.redirects() {
            let mut stmt = conn.prepare(&format!(
                "SELECT id, {c}, {o} FROM {t} WHERE {o} IS NOT NULL ORDER BY id",
                t = r.table,
                c = r.column,
                o = r.origin
            ))?;
            let rows = stmt.query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?;
            for row in rows {
                let (id, current, origin) = row?;
                if current != Some(root(origin)) {
                    problems.push(format!(
                        "{} {id}: {} is {current:?} but its origin {origin} and the merge log give {}",
                        r.table, r.column, root(origin)
                    ));
                }
            }
        }
        let missing: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM judgement j WHERE kind = ?1 AND (
                   NOT EXISTS (SELECT 1 FROM {t} WHERE id = j.left_id) OR NOT EXISTS (SELECT 1 FROM {t} WHERE id = j.right_id))",
                t = family.table()
            ),
            [family.name()],
            |r| r.get(0),
        )?;
        if missing > 0 {
            problems.push(format!(
                "{missing} {} judgements name entities that do not exist",
                family.name()
            ));
        }
    }
    Ok(problems)
}

/// The group (all entity ids sharing a root) of each given entity's root.
fn group_of(map: &HashMap<i64, i64>, root: i64) -> Vec<i64> {
    let mut g: Vec<i64> = map
        .iter()
        .filter(|(_, r)| **r == root)
        .map(|(e, _)| *e)
        .collect();
    g.push(root);
    g
}

/// A live "different" judgement between the groups of a and b, if any.
fn kept_apart(live: &[Judgement], a: i64, b: i64) -> Option<i64> {
    let map = roots(live);
    let root = |id: i64| map.get(&id).copied().unwrap_or(id);
    let (ga, gb) = (group_of(&map, root(a)), group_of(&map, root(b)));
    live.iter()
        .find(|j| {
            j.verdict == "different"
                && ((ga.contains(&j.left) && gb.contains(&j.right))
                    || (gb.contains(&j.left) && ga.contains(&j.right)))
        })
        .map(|j| j.id)
}

/// One pair to record in a merge: the entity absorbed, with the matcher's score and reasons.
#[derive(Debug, Clone)]
pub struct Absorb {
    pub id: i64,
    pub score: Option<f64>,
    pub reasons: Option<String>,
}

/// Records a merge of `others` into `into` and rederives; returns the batch uid. Refuses a pair
/// that a live "different" keeps apart unless `override_reason` is given.
pub fn merge(
    conn: &Connection,
    family: Family,
    into: i64,
    others: &[Absorb],
    author: &str,
    note: Option<&str>,
    override_reason: Option<&str>,
) -> Result<String> {
    let decisions = live(conn, family)?;
    for o in others {
        if let Some(j) = kept_apart(&decisions, into, o.id) {
            if override_reason.is_none() {
                bail!(
                    "these {}s were judged different (judgement {j}); pass --override \"why\" to merge them anyway",
                    family.name()
                );
            }
        }
    }
    let stamp = now();
    let uid = new_uid();
    let note = match (note, override_reason) {
        (Some(n), Some(o)) => Some(format!("{n} (overrides a 'different' judgement: {o})")),
        (None, Some(o)) => Some(format!("overrides a 'different' judgement: {o}")),
        (n, None) => n.map(str::to_string),
    };
    let batch: i64 = conn.query_row(
        "INSERT INTO merge_batch (uid, kind, into_id, author, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![uid, family.name(), into, author, note, stamp],
        |r| r.get(0),
    )?;
    for o in others {
        record(
            conn,
            family,
            into,
            o.id,
            "same",
            o.score,
            o.reasons.as_deref(),
            note.as_deref(),
            author,
            Some(batch),
        )?;
    }
    rederive(conn, family)?;
    Ok(uid)
}

/// Records that two entities are different, so they are never suggested or merged again.
pub fn distinct(
    conn: &Connection,
    family: Family,
    a: i64,
    b: i64,
    author: &str,
    note: Option<&str>,
) -> Result<()> {
    record(
        conn,
        family,
        a,
        b,
        "different",
        None,
        None,
        note,
        author,
        None,
    )?;
    rederive(conn, family)?;
    Ok(())
}

/// Undoes a merge: its still-live "same" judgements are superseded by "unsure" ones in a new
/// batch that names the merge it undoes. Returns (kind, the new batch uid, pairs undone).
pub fn unmerge(
    conn: &Connection,
    batch_uid: &str,
    author: &str,
    note: Option<&str>,
) -> Result<(Family, String, usize)> {
    let found: Option<(i64, String, i64, Option<i64>)> = conn
        .query_row(
            "SELECT id, kind, into_id, undoes FROM merge_batch WHERE uid = ?1 OR CAST(id AS TEXT) = ?1",
            [batch_uid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map(Some)
        .or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })?;
    let Some((batch, kind, into, undoes)) = found else {
        bail!("no merge '{batch_uid}' in the log (see `comptrace merges`)");
    };
    if undoes.is_some() {
        bail!("'{batch_uid}' is itself an unmerge; merge the entities again instead");
    }
    let family = Family::from_name(&kind).unwrap_or(Family::Weapon);
    let live_same: Vec<Judgement> = live(conn, family)?
        .into_iter()
        .filter(|j| j.batch == Some(batch) && j.verdict == "same")
        .collect();
    if live_same.is_empty() {
        bail!("merge '{batch_uid}' is already undone (or superseded by later decisions)");
    }
    let uid = new_uid();
    let new_batch: i64 = conn.query_row(
        "INSERT INTO merge_batch (uid, kind, into_id, undoes, author, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![uid, family.name(), into, batch, author, note, now()],
        |r| r.get(0),
    )?;
    for j in &live_same {
        // record() links the new judgement to the one it supersedes
        record(
            conn,
            family,
            j.left,
            j.right,
            "unsure",
            None,
            None,
            note,
            author,
            Some(new_batch),
        )?;
    }
    rederive(conn, family)?;
    Ok((family, uid, live_same.len()))
}

#[allow(clippy::too_many_arguments)]
fn record(
    conn: &Connection,
    family: Family,
    left: i64,
    right: i64,
    verdict: &str,
    score: Option<f64>,
    reasons: Option<&str>,
    note: Option<&str>,
    author: &str,
    batch: Option<i64>,
) -> Result<i64> {
    let previous: Option<i64> = conn
        .query_row(
            "SELECT max(id) FROM judgement WHERE kind = ?1 AND ((left_id = ?2 AND right_id = ?3) OR (left_id = ?3 AND right_id = ?2))",
            params![family.name(), left, right],
            |r| r.get(0),
        )?;
    Ok(conn.query_row(
        "INSERT INTO judgement (uid, kind, left_id, right_id, verdict, score, reasons, note, author, batch_id, supersedes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
        params![new_uid(), family.name(), left, right, verdict, score, reasons, note, author, batch, previous, now()],
        |r| r.get(0),
    )?)
}

/// The judgement log for people: every merge and unmerge, and every screening decision, oldest
/// first, with the entity kept, how many became one (for a decision: the list entry), what
/// undid (superseded) it, who, why and when.
pub fn merge_log(conn: &Connection) -> Result<crate::table::Listing> {
    // screening decisions are judgements of the same log for the reader (docs/screening.md):
    // one row each, in time order with the merges; they have no batch id to unmerge by
    super::query::listing(
        conn,
        &["id", "uid", "action", "kind", "into", "members", "undone_by", "author", "note", "created_at"],
        "SELECT id, uid, action, kind, into_name, members, undone_by, author, note, created_at FROM (
           SELECT b.id, b.uid, CASE WHEN b.undoes IS NULL THEN 'merge' ELSE 'unmerge of ' || u.uid END AS action, b.kind,
                CASE b.kind WHEN 'part' THEN (SELECT coalesce(part_number, name) FROM part WHERE id = b.into_id)
                            WHEN 'manufacturer' THEN (SELECT name FROM organisation WHERE id = b.into_id)
                            ELSE (SELECT name FROM weapon WHERE id = b.into_id) END AS into_name,
                (SELECT count(*) + 1 FROM judgement j WHERE j.batch_id = b.id) AS members,
                (SELECT group_concat(x.uid) FROM merge_batch x WHERE x.undoes = b.id) AS undone_by,
                b.author, b.note, b.created_at, 0 AS rank, b.id AS seq
           FROM merge_batch b LEFT JOIN merge_batch u ON u.id = b.undoes
           UNION ALL
           SELECT NULL, d.uid, 'screening: ' || d.verdict, 'organisation', o.name,
                d.list_name || ' entry ' || d.entry_id,
                (SELECT x.uid FROM screening_decision x WHERE x.supersedes = d.id),
                d.author, d.note, d.recorded_at, 1, d.id
           FROM screening_decision d JOIN organisation o ON o.id = d.organisation_id)
         ORDER BY created_at, rank, seq",
        [],
    )
}
