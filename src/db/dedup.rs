//! Loading what `comptrace dedup` compares: current (unmerged) entities with their spellings,
//! observation counts, and the pairs judged different.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use rusqlite::Connection;

use super::merge::{live, roots, Family};
use crate::matching::dedup::Entity;
use crate::normalize::code_key;

/// Every current entity of a family with its spellings and observation count.
pub fn entities(conn: &Connection, family: Family) -> Result<Vec<Entity>> {
    let counts_sql = match family {
        Family::Manufacturer => {
            "SELECT p.manufacturer_id, count(*) FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
             JOIN part p ON p.id = ps.part_id WHERE p.manufacturer_id IS NOT NULL GROUP BY p.manufacturer_id"
        }
        Family::Weapon => {
            "SELECT ws.weapon_id, count(*) FROM observation o JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
             GROUP BY ws.weapon_id"
        }
        Family::Part => {
            "SELECT ps.part_id, count(*) FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
             GROUP BY ps.part_id"
        }
    };
    let counts: HashMap<i64, i64> = conn
        .prepare(counts_sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = named(conn, family)?;
    for e in &mut out {
        e.observations = counts.get(&e.id).copied().unwrap_or(0);
    }
    Ok(out)
}

/// Every current entity of a family with its spellings, without counting observations (the
/// look-alike hint after an import needs no counts, and counting reads every observation).
pub fn named(conn: &Connection, family: Family) -> Result<Vec<Entity>> {
    let names_sql = match family {
        Family::Manufacturer => {
            "SELECT o.id, s.text, NULL, NULL, NULL, o.country FROM organisation o JOIN organisation_spelling s ON s.organisation_id = o.id
             WHERE o.merged_into IS NULL ORDER BY o.id, s.id"
        }
        Family::Weapon => {
            "SELECT w.id, s.text, NULL, NULL, NULL, NULL FROM weapon w JOIN weapon_spelling s ON s.weapon_id = w.id
             WHERE w.merged_into IS NULL ORDER BY w.id, s.id"
        }
        // a part known for one finding alone has nothing to compare by; the key only where it
        // may not be the text's: a part number logged for a part that has another (the rest
        // need no key worked out)
        Family::Part => {
            "SELECT p.id, s.text, p.manufacturer_id,
                    CASE WHEN s.kind = 'part_number' AND s.text <> p.part_number THEN s.key END,
                    p.part_number, m.name
             FROM part p JOIN part_spelling s ON s.part_id = p.id
             LEFT JOIN organisation m ON m.id = p.manufacturer_id
             WHERE p.merged_into IS NULL AND p.unidentified = 0 ORDER BY p.id, s.id"
        }
    };
    let mut out: Vec<Entity> = Vec::new();
    let mut stmt = conn.prepare(names_sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in rows {
        let (id, text, maker, key, part_number, about) = row?;
        // a family word a row gave ("GNSS") found its part by the code of its text: the part
        // is compared by that code, never by the word
        let name = match (key, part_number) {
            (Some(key), Some(code)) if code_key(&text) != key => code,
            _ => text,
        };
        match out.last_mut() {
            Some(e) if e.id == id => e.names.push(name),
            _ => out.push(Entity {
                id,
                names: vec![name],
                maker,
                about,
                observations: 0,
            }),
        }
    }
    Ok(out)
}

/// Pairs of current entities that a live "different" judgement keeps apart.
pub fn apart(conn: &Connection, family: Family) -> Result<HashSet<(i64, i64)>> {
    let live = live(conn, family)?;
    let map = roots(&live);
    let root = |id: i64| map.get(&id).copied().unwrap_or(id);
    Ok(live
        .iter()
        .filter(|j| j.verdict == "different")
        .map(|j| {
            let (a, b) = (root(j.left), root(j.right));
            (a.min(b), a.max(b))
        })
        .collect())
}

/// uid and display name of entities, for output.
pub fn labels(
    conn: &Connection,
    family: Family,
    ids: &[i64],
) -> Result<HashMap<i64, (String, String)>> {
    let sql = match family {
        Family::Part => "SELECT p.id, p.uid, coalesce(p.part_number, p.name) || coalesce(' (' || m.name || ')', '') FROM part p
                         LEFT JOIN organisation m ON m.id = p.manufacturer_id WHERE p.id IN (SELECT value FROM json_each(?1))",
        Family::Manufacturer => "SELECT id, uid, name || coalesce(' (' || country || ')', '') FROM organisation WHERE id IN (SELECT value FROM json_each(?1))",
        Family::Weapon => "SELECT id, uid, name FROM weapon WHERE id IN (SELECT value FROM json_each(?1))",
    };
    let ids = serde_json::to_string(ids)?;
    Ok(conn
        .prepare(sql)?
        .query_map([ids], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The highest maker and weapon ids: what is written after is above them.
pub fn newest_ids(conn: &Connection) -> Result<[i64; 2]> {
    let max = |table: &str| -> Result<i64> {
        // table names are the constants below
        Ok(conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?)
    };
    Ok([max("organisation")?, max("weapon")?])
}
