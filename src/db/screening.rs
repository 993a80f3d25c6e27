//! Lists of designated parties (versions, entries) and screening decisions: all SQL of
//! screening. Lists are kept apart from findings; decisions are appended, never edited.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rusqlite::{params, OptionalExtension};

use super::{new_uid, Store};
use crate::screening::{Decision, Org, Party, Role};
use crate::table::{Cell, Listing};

/// A list version to record.
pub struct NewList<'a> {
    pub name: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub format: &'a str,
    pub recorded_at: &'a str,
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).expect("strings serialise")
}

fn from_json(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

/// The id of the latest version of a list, if any.
pub fn latest_version(store: &Store, name: &str) -> Result<Option<i64>> {
    Ok(store
        .query_row(
            "SELECT id FROM designation_list WHERE name = ?1 ORDER BY id DESC LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// The entries of one version of a list, in entry id order.
pub fn parties(store: &Store, version: i64) -> Result<Vec<Party>> {
    let mut stmt = store.prepare(
        "SELECT entry_id, schema, name, aliases, countries, programs, listed_on, source_url
         FROM designated_party WHERE list_id = ?1 ORDER BY entry_id",
    )?;
    let rows = stmt.query_map([version], |r| {
        Ok(Party {
            entry_id: r.get(0)?,
            schema: r.get(1)?,
            name: r.get(2)?,
            aliases: from_json(r.get(3)?),
            countries: from_json(r.get(4)?),
            programs: from_json(r.get(5)?),
            listed_on: r.get(6)?,
            source_url: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a new version of a list with its entries; returns its uid.
pub fn record_list(store: &Store, list: &NewList, entries: &[Party]) -> Result<String> {
    let uid = new_uid();
    store.execute(
        "INSERT INTO designation_list (uid, name, file_name, sha256, format, entries, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            uid,
            list.name,
            list.file_name,
            list.sha256,
            list.format,
            entries.len() as i64,
            list.recorded_at
        ],
    )?;
    let id = store.last_insert_rowid();
    let mut insert = store.prepare(
        "INSERT INTO designated_party (list_id, entry_id, schema, name, aliases, countries, programs, listed_on, source_url, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for p in entries {
        insert.execute(params![
            id,
            p.entry_id,
            p.schema,
            p.name,
            json(&p.aliases),
            json(&p.countries),
            json(&p.programs),
            p.listed_on,
            p.source_url,
            list.recorded_at
        ])?;
    }
    Ok(uid)
}

/// The current version of every list (or of the one named): (list name, its entries).
pub fn current_lists(store: &Store, only: Option<&str>) -> Result<Vec<(String, Vec<Party>)>> {
    let mut stmt = store.prepare(
        "SELECT name, max(id) FROM designation_list WHERE ?1 IS NULL OR name = ?1 GROUP BY name ORDER BY name",
    )?;
    let versions: Vec<(String, i64)> = stmt
        .query_map([only], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    versions
        .into_iter()
        .map(|(name, id)| Ok((name, parties(store, id)?)))
        .collect()
}

/// Every version of every list, newest first.
pub fn list_versions(store: &Store) -> Result<Listing> {
    let mut out = Listing::new(&[
        "list",
        "uid",
        "file",
        "format",
        "entries",
        "recorded_at",
        "current",
    ]);
    let mut stmt = store.prepare(
        "SELECT name, uid, file_name, format, entries, recorded_at,
                id = (SELECT max(id) FROM designation_list d2 WHERE d2.name = d.name)
         FROM designation_list d ORDER BY name, id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(vec![
            Cell::from(r.get::<_, String>(0)?),
            Cell::from(r.get::<_, String>(1)?),
            Cell::from(r.get::<_, String>(2)?),
            Cell::from(r.get::<_, String>(3)?),
            Cell::Int(r.get(4)?),
            Cell::from(r.get::<_, String>(5)?),
            Cell::from(if r.get::<_, bool>(6)? { "yes" } else { "no" }),
        ])
    })?;
    for row in rows {
        out.rows.push(row?);
    }
    Ok(out)
}

/// The organisations a screening covers (merges followed: only live ones), in id order.
pub fn organisations(store: &Store, role: Role) -> Result<Vec<Org>> {
    let mut stmt = store.prepare(
        "SELECT id, name, country, role FROM organisation WHERE merged_into IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            Org {
                id: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
            },
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (org, r) = row?;
        if role.covers(&r) {
            out.push(org);
        }
    }
    Ok(out)
}

/// An organisation and a listed entry: (organisation id, list name, entry id).
pub type ScreenedPair = (i64, String, String);

/// The latest decision on each (organisation, list, entry): (its id, verdict).
pub fn latest_decisions(store: &Store) -> Result<HashMap<ScreenedPair, (i64, String)>> {
    let mut stmt = store.prepare(
        "SELECT organisation_id, list_name, entry_id, id, verdict FROM screening_decision ORDER BY id",
    )?;
    let mut out = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.insert((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?));
    }
    Ok(out)
}

/// A decision to append.
pub struct NewDecision<'a> {
    pub organisation: i64,
    pub list: &'a str,
    pub entry: &'a str,
    pub decision: Decision,
    pub score: Option<f64>,
    pub reasons: Option<&'a str>,
    pub note: Option<&'a str>,
    pub author: &'a str,
    pub recorded_at: &'a str,
}

/// Appends a decision, superseding the latest one on the same pair; returns its uid.
pub fn record_decision(store: &Store, d: &NewDecision) -> Result<String> {
    let previous: Option<i64> = store
        .query_row(
            "SELECT max(id) FROM screening_decision WHERE organisation_id = ?1 AND list_name = ?2 AND entry_id = ?3",
            params![d.organisation, d.list, d.entry],
            |r| r.get(0),
        )?;
    let uid = new_uid();
    store.execute(
        "INSERT INTO screening_decision (uid, organisation_id, list_name, entry_id, verdict, score, reasons, note, author, supersedes, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![uid, d.organisation, d.list, d.entry, d.decision.stored(), d.score, d.reasons, d.note, d.author, previous, d.recorded_at],
    )?;
    Ok(uid)
}

/// Organisations whose latest decision is a match with an entry of the current version of its
/// list, each with "LIST: name (programs, listed DATE)"; merged organisations count under
/// the organisation they were merged into.
pub fn designations(store: &Store) -> Result<BTreeMap<i64, Vec<String>>> {
    let mut stmt = store.prepare(
        "SELECT coalesce(o.merged_into, o.id), d.list_name, p.name, p.programs, p.listed_on
         FROM screening_decision d
         JOIN organisation o ON o.id = d.organisation_id
         JOIN designated_party p ON p.entry_id = d.entry_id
          AND p.list_id = (SELECT max(id) FROM designation_list l WHERE l.name = d.list_name)
         WHERE d.verdict = 'match'
           AND d.id = (SELECT max(id) FROM screening_decision d2
                        WHERE d2.organisation_id = d.organisation_id AND d2.list_name = d.list_name AND d2.entry_id = d.entry_id)
         ORDER BY 1, 2, 3",
    )?;
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let programs = from_json(r.get(3)?);
        let listed: Option<String> = r.get(4)?;
        let mut detail = programs.join(", ");
        if let Some(d) = listed {
            if !detail.is_empty() {
                detail.push_str(", ");
            }
            detail.push_str(&format!("listed {d}"));
        }
        let name: String = r.get(2)?;
        let list: String = r.get(1)?;
        out.entry(r.get(0)?)
            .or_default()
            .push(if detail.is_empty() {
                format!("{list}: {name}")
            } else {
                format!("{list}: {name} ({detail})")
            });
    }
    Ok(out)
}
