//! Reading another investigator's catalogue for `import-catalogue`: its findings as stated,
//! with the stable ids of what they name and all their sources; its spellings of entities both
//! catalogues share; the facts that differ under one stable id; and its decisions (the live
//! judgements of its merge log) by stable id, to be offered for review, never applied blindly.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::ingest::{Carried, Evidence};
use super::merge::{self, Family};
use super::{Catalogue, SCHEMA_VERSION};
use crate::dates::now;
use crate::finding::{Finding, FIELDS};
use crate::normalize::{code_key, company_key, weapon_key};

/// Opens the other catalogue as a snapshot (`Catalogue::snapshot`: nothing is written beside
/// it, and it reads on read-only media); it must be at this version's schema, by structure
/// (`schema::verify`), before anything else is read from it.
pub fn open_other(path: &Path) -> Result<Catalogue> {
    let conn = Catalogue::snapshot(path)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not a comptrace catalogue (not an SQLite database)",
                path.display()
            )
        })?;
    if version > SCHEMA_VERSION {
        bail!(
            "{} has schema version {version}, newer than this comptrace understands ({SCHEMA_VERSION}); upgrade comptrace",
            path.display()
        );
    }
    if version != SCHEMA_VERSION {
        bail!(
            "{} has schema version {version}, this catalogue {SCHEMA_VERSION}; open it once with this comptrace (any command) to migrate it",
            path.display()
        );
    }
    super::schema::verify(&conn, version).map_err(|e| super::refused(e, path))?;
    Ok(conn)
}

/// One finding of the other catalogue, ready to record here.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub finding: Finding,
    pub evidence: Vec<Evidence>,
    pub carried: Carried,
}

/// A row of the other catalogue that is not taken, and why: listed for review, so nothing is
/// dropped without a word.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// what the row is: finding, source, evidence file, spelling
    pub kind: &'static str,
    /// its stable id there
    pub uid: String,
    pub reason: String,
}

/// What can be taken from the other catalogue, and what cannot.
#[derive(Debug, Default)]
pub struct Taken {
    pub findings: Vec<Incoming>,
    pub refused: Vec<Refused>,
}

/// Every observation of the other catalogue as a finding, with all its evidence (paired with
/// its observation by id, never by position). Whatever cannot be taken is listed with the
/// reason, never dropped without a word: a finding whose references do not hold (a spelling,
/// part, weapon, unit or source row that is not in the file), whose fields the checks refuse,
/// or which cites a source that cannot be taken (taken without it, a finding would be another
/// finding, since its sources are part of what it states, and the next run would add it again).
pub fn findings_of(other: &Connection) -> Result<Taken> {
    let Sources {
        mut by_observation,
        refused: RefusedSources {
            rows: mut refused,
            mut citing,
        },
    } = sources_by_observation(other)?;
    other.execute_batch(
        "DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY);",
    )?;
    let mut not_taken = Vec::new();
    // the observations selected, by id, until the findings query gives each back
    let mut unread: HashMap<i64, String> = HashMap::new();
    {
        let mut select = other.prepare("INSERT INTO temp.selected (id) VALUES (?1)")?;
        for o in observations(other)? {
            let uid = o.uid.unwrap_or_default();
            match o.broken.or_else(|| citing.remove(&o.id)) {
                Some(reason) => not_taken.push(Refused {
                    kind: "finding",
                    uid,
                    reason,
                }),
                None => {
                    select.execute([o.id])?;
                    unread.insert(o.id, uid);
                }
            }
        }
    }
    let mut findings = Vec::new();
    let mut parties = super::export::label_parties(other)?;
    super::export::stated_findings(other, |id, row, mut carried| {
        carried.parties = parties.remove(&id).unwrap_or_default();
        let uid = unread.remove(&id).unwrap_or_default();
        let fields: HashMap<&str, Option<String>> =
            FIELDS.iter().map(|f| f.name).zip(row).collect();
        let finding = Finding::from_fields(|c| fields.get(c).and_then(|v| v.as_deref()))
            .map_err(|e| format!("field {}: {}", e.column, e.message))
            .and_then(|f| carried_uids_hold(&carried).map(|()| f));
        match finding {
            Ok(finding) => findings.push(Incoming {
                finding,
                evidence: by_observation.remove(&id).unwrap_or_default(),
                carried,
            }),
            Err(reason) => not_taken.push(Refused {
                kind: "finding",
                uid,
                reason,
            }),
        }
        Ok(())
    })?;
    // what the findings query did not give back (nothing, while the checks above are whole)
    let mut unread: Vec<(i64, String)> = unread.into_iter().collect();
    unread.sort();
    not_taken.extend(unread.into_iter().map(|(id, uid)| Refused {
        kind: "finding",
        uid,
        reason: format!("observation row {id} could not be read as a finding"),
    }));
    refused.extend(not_taken);
    Ok(Taken { findings, refused })
}

/// An observation of the other catalogue: its row id, stable id, and the first of its
/// references that does not hold, if one does not.
struct Observation {
    id: i64,
    uid: Option<String>,
    broken: Option<String>,
}

/// Every observation of the other catalogue, in row order, each checked for references to
/// rows that are not in the file (a file written with foreign keys off, or edited by hand).
fn observations(other: &Connection) -> Result<Vec<Observation>> {
    let mut stmt = other.prepare(
        "SELECT o.id, o.uid,
                o.part_spelling_id, ps.id IS NULL, ps.part_id, ps.id IS NOT NULL AND p.id IS NULL,
                o.weapon_spelling_id, ws.id IS NULL, ws.weapon_id, ws.id IS NOT NULL AND w.id IS NULL,
                o.organisation_spelling_id, o.organisation_spelling_id IS NOT NULL AND os.id IS NULL,
                o.unit_id, o.unit_id IS NOT NULL AND u.id IS NULL
         FROM observation o
         LEFT JOIN part_spelling ps ON ps.id = o.part_spelling_id
         LEFT JOIN part p ON p.id = ps.part_id
         LEFT JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         LEFT JOIN weapon w ON w.id = ws.weapon_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id
         ORDER BY o.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let references = [
            (2, "part spelling"),
            (4, "part"),
            (6, "weapon spelling"),
            (8, "weapon"),
            (10, "manufacturer spelling"),
            (12, "unit"),
        ];
        let mut broken = None;
        for (at, name) in references {
            if r.get::<_, bool>(at + 1)? {
                let row: Option<i64> = r.get(at)?;
                broken = Some(format!(
                    "its {name} (row {}) is not in the file",
                    row.map_or("null".into(), |n| n.to_string())
                ));
                break;
            }
        }
        Ok(Observation {
            id: r.get(0)?,
            uid: r.get(1)?,
            broken,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stable ids a finding carries for its entities are UUIDs, as this program writes them.
fn carried_uids_hold(carried: &Carried) -> std::result::Result<(), String> {
    let named = [
        ("manufacturer", &carried.organisation),
        ("weapon", &carried.weapon),
        ("part", &carried.part),
        ("unit", &carried.unit),
    ];
    if let Some((name, _)) = carried
        .parties
        .iter()
        .find(|(_, uid)| uuid::Uuid::try_parse(uid).is_err())
    {
        return Err(format!(
            "the stable id of {name:?} its maker label names is not a UUID"
        ));
    }
    for (what, uid) in named {
        if let Some(uid) = uid.as_deref().filter(|u| uuid::Uuid::try_parse(u).is_err()) {
            return Err(format!("its {what}'s stable id {uid:?} is not a UUID"));
        }
    }
    Ok(())
}

/// The other catalogue's sources by the observation citing them, and those refused.
struct Sources {
    by_observation: HashMap<i64, Vec<Evidence>>,
    refused: RefusedSources,
}

#[derive(Default)]
struct RefusedSources {
    rows: Vec<Refused>,
    /// observation id -> why a source it cites cannot be taken
    citing: HashMap<i64, String>,
}

/// Why a source of another catalogue cannot be taken, if it cannot. Its hash names a file in
/// the evidence store, so anything but 64 lower-case hex digits (`../x`, `/dev/zero`) is
/// refused before it comes near a path.
fn source_refusal(e: &Evidence) -> Option<String> {
    let sha = e.sha256.as_deref()?;
    (!crate::evidence::is_sha256(sha))
        .then(|| format!("its sha256 {sha:?} is not 64 lower-case hex digits"))
}

fn sources_by_observation(other: &Connection) -> Result<Sources> {
    let mut sources = Sources {
        by_observation: HashMap::new(),
        refused: RefusedSources::default(),
    };
    let mut stmt = other.prepare(
        "SELECT x.observation_id, s.uid, s.kind, s.url, s.file_name, s.sha256, s.publisher, s.title, s.published_on,
                x.source_id, s.id IS NULL
         FROM observation_source x LEFT JOIN source s ON s.id = x.source_id ORDER BY x.observation_id, x.source_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut listed = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        let observation: i64 = r.get(0)?;
        if r.get::<_, bool>(10)? {
            let row: i64 = r.get(9)?;
            sources
                .refused
                .citing
                .entry(observation)
                .or_insert_with(|| format!("it cites source row {row}, which is not in the file"));
            continue;
        }
        let kind: String = r.get(2)?;
        let kind = ["photo", "video", "document", "report", "webpage", "other"]
            .into_iter()
            .find(|k| *k == kind)
            .unwrap_or("other");
        let evidence = Evidence {
            uid: r.get(1)?,
            kind,
            url: r.get(3)?,
            file_name: r.get(4)?,
            sha256: r.get(5)?,
            publisher: r.get(6)?,
            title: r.get(7)?,
            date: r.get(8)?,
        };
        if let Some(reason) = source_refusal(&evidence) {
            let uid = evidence.uid.clone().unwrap_or_default();
            if listed.insert(uid.clone()) {
                sources.refused.rows.push(Refused {
                    kind: "source",
                    uid: uid.clone(),
                    reason,
                });
            }
            sources
                .refused
                .citing
                .entry(observation)
                .or_insert_with(|| format!("it cites source {uid}, which is not taken"));
            continue;
        }
        sources
            .by_observation
            .entry(observation)
            .or_default()
            .push(evidence);
    }
    Ok(sources)
}

/// Spellings of entities whose stable id both catalogues share join that entity here first;
/// returns how many were added, and the spellings refused. Each is written as its entity's own
/// spelling, with the root the merges here give it, and with its key worked out here from its
/// text: the other file's key is never read, so a spelling planted with the key of another
/// name (`muratamanufacturing` on NXP) cannot send that name's findings to its entity.
pub fn adopt_spellings_by_uid(
    other: &Connection,
    ours: &Connection,
) -> Result<(usize, Vec<Refused>)> {
    type KeyOf = fn(&str) -> String;
    let mut added = 0;
    let mut refused = Vec::new();
    let families: [(Family, &str, &str, &str, &str, KeyOf); 3] = [
        (
            Family::Manufacturer,
            "organisation",
            "organisation_spelling",
            "organisation_id",
            "",
            company_key,
        ),
        (
            Family::Weapon,
            "weapon",
            "weapon_spelling",
            "weapon_id",
            "",
            weapon_key,
        ),
        (
            Family::Part,
            "part",
            "part_spelling",
            "part_id",
            ", s.kind",
            code_key,
        ),
    ];
    for (family, table, spelling, fk, extra, key_of) in families {
        // names come from the constant list above
        let rows: Vec<(String, String, Option<String>)> = other
            .prepare(&format!("SELECT e.uid, s.text{extra} FROM {spelling} s JOIN {table} e ON e.id = s.origin_{fk} ORDER BY s.id"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, if extra.is_empty() { None } else { r.get(2)? })))?
            .collect::<rusqlite::Result<_>>()?;
        let mut touched = 0;
        for (uid, text, kind) in rows {
            let Some(id) = id_of(ours, table, &uid)? else {
                continue;
            };
            let key = key_of(&text);
            touched += match (extra.is_empty(), kind.as_deref()) {
                (true, _) => ours.execute(
                    &format!("INSERT OR IGNORE INTO {spelling} ({fk}, text, key, created_at, origin_{fk}) VALUES (?1, ?2, ?3, ?4, ?1)"),
                    params![id, text, key, now()],
                )?,
                (false, Some(k @ ("part_number" | "name"))) => ours.execute(
                    "INSERT OR IGNORE INTO part_spelling (part_id, text, key, kind, created_at, origin_part_id) VALUES (?1, ?2, ?3, ?5, ?4, ?1)",
                    params![id, text, key, now(), k],
                )?,
                (false, k) => {
                    refused.push(Refused {
                        kind: "spelling",
                        uid,
                        reason: format!(
                            "part spelling {text:?} is of kind {k:?}, neither part_number nor name"
                        ),
                    });
                    0
                }
            };
        }
        if touched > 0 {
            // the new spellings point at their own entity; the merges here may send it elsewhere
            merge::rederive(ours, family)?;
        }
        added += touched;
    }
    Ok((added, refused))
}

fn id_of(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    // table names come from constant lists in this module
    Ok(conn
        .query_row(
            &format!("SELECT id FROM {table} WHERE uid = ?1"),
            [uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// A fact an entity of both catalogues (one stable id) states differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub kind: &'static str,
    pub uid: String,
    pub field: &'static str,
    pub here: String,
    pub there: String,
}

/// Entities with one stable id whose facts differ between the catalogues.
pub fn conflicts(other: &Connection, ours: &Connection) -> Result<Vec<Conflict>> {
    let mut out = Vec::new();
    for (kind, table, fields) in [
        ("manufacturer", "organisation", &["name", "country"][..]),
        ("weapon", "weapon", &["name", "origin_country", "type"][..]),
        ("part", "part", &["part_number", "name", "category"][..]),
    ] {
        let theirs: Vec<Vec<Option<String>>> = other
            .prepare(&format!(
                "SELECT uid, {} FROM {table} ORDER BY id",
                fields.join(", ")
            ))?
            .query_map([], |r| (0..=fields.len()).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = ours.prepare(&format!(
            "SELECT {} FROM {table} WHERE uid = ?1",
            fields.join(", ")
        ))?;
        for t in theirs {
            let uid = t[0].clone().unwrap_or_default();
            let here: Option<Vec<Option<String>>> = stmt
                .query_row([&uid], |r| (0..fields.len()).map(|i| r.get(i)).collect())
                .optional()?;
            let Some(here) = here else { continue };
            for (i, field) in fields.iter().enumerate() {
                if let (Some(h), Some(th)) = (&here[i], &t[i + 1]) {
                    if h != th {
                        out.push(Conflict {
                            kind,
                            uid: uid.clone(),
                            field,
                            here: h.clone(),
                            there: th.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A decision of the other catalogue on two entities this one also holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub family: Family,
    /// the judgement's stable id there
    pub uid: String,
    pub verdict: String,
    /// the two entities here: ids and names
    pub left: (i64, String),
    pub right: (i64, String),
    /// this catalogue's live verdict on the pair, if it has one
    pub here: Option<String>,
    pub author: Option<String>,
    pub note: Option<String>,
    pub decided_at: String,
}

/// A judgement another catalogue (or an export) offers, by the stable ids of its entities.
#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub family: Family,
    pub uid: String,
    pub left: String,
    pub right: String,
    pub verdict: String,
    pub author: Option<String>,
    pub note: Option<String>,
    pub decided_at: String,
}

/// The live judgements of the other catalogue, by stable id.
pub fn offered_by(other: &Connection) -> Result<Vec<Offered>> {
    let mut out = Vec::new();
    for family in Family::all() {
        let table = family.table();
        for j in merge::live(other, family)? {
            let row: Option<Offered> = other
                .query_row(
                    &format!(
                        "SELECT j.uid, l.uid, r.uid, j.author, j.note, j.created_at FROM judgement j
                         JOIN {table} l ON l.id = j.left_id JOIN {table} r ON r.id = j.right_id
                         WHERE j.id = ?1"
                    ),
                    [j.id],
                    |r| {
                        Ok(Offered {
                            family,
                            uid: r.get(0)?,
                            left: r.get(1)?,
                            right: r.get(2)?,
                            verdict: j.verdict.clone(),
                            author: r.get(3)?,
                            note: r.get(4)?,
                            decided_at: r.get(5)?,
                        })
                    },
                )
                .optional()?;
            out.extend(row);
        }
    }
    Ok(out)
}

/// The offered judgements whose two entities (by stable id) are both here and on which this
/// catalogue has not reached the same verdict.
pub fn decisions_from(ours: &Connection, offered: &[Offered]) -> Result<Vec<Decision>> {
    let mut out = Vec::new();
    for family in Family::all() {
        let table = family.table();
        let ours_live = merge::live(ours, family)?;
        for o in offered.iter().filter(|o| o.family == family) {
            let (Some(left), Some(right)) =
                (id_of(ours, table, &o.left)?, id_of(ours, table, &o.right)?)
            else {
                continue;
            };
            let here = ours_live
                .iter()
                .find(|j| (j.left, j.right) == (left, right) || (j.left, j.right) == (right, left))
                .map(|j| j.verdict.clone());
            if here.as_deref() == Some(o.verdict.as_str()) {
                continue;
            }
            let name = |id: i64| -> Result<String> {
                Ok(ours.query_row(
                    &format!("SELECT name FROM {table} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )?)
            };
            out.push(Decision {
                family,
                uid: o.uid.clone(),
                verdict: o.verdict.clone(),
                left: (left, name(left)?),
                right: (right, name(right)?),
                here,
                author: o.author.clone(),
                note: o.note.clone(),
                decided_at: o.decided_at.clone(),
            });
        }
    }
    Ok(out)
}

/// The other catalogue's decisions on entities this one also holds (see `decisions_from`).
pub fn decisions(other: &Connection, ours: &Connection) -> Result<Vec<Decision>> {
    decisions_from(ours, &offered_by(other)?)
}

/// The stable id of this catalogue itself (meta.catalogue_uid).
pub fn catalogue_uid(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'catalogue_uid'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}
