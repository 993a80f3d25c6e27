//! Bringing another catalogue's supply chain in (`import-catalogue`, docs/exchange.md): its
//! organisations, supply links, weapon producers, trace requests with their responses, and
//! shipment records. Each row keeps its stable uid, so a row whose uid is here already is not
//! added again and a second run adds nothing.
//!
//! What a row names is found here as import-catalogue finds a finding's entities: an
//! organisation by uid, else by its spellings (exact text, else key), else it is added with its
//! uid, name, country and spellings; a part or weapon by uid, else through a finding of the
//! other catalogue that names it and was recorded here; a finding through the findings just
//! recorded; a source by uid, else by its key, else it is added. A row whose references cannot
//! be found here (or would resolve to several organisations) is not taken and is listed.
//!
//! Links and producers a finding states (a maker label's supplier, a row's `weapon_producer`)
//! are not copied: recording the finding here derives them again, and copying them too would
//! double them.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::exchange::Refused;
use super::query::find_organisations;
use crate::normalize::company_key;

/// How many rows of each kind came in, and the rows not taken.
#[derive(Debug, Default)]
pub struct SupplyCarried {
    pub organisations: usize,
    pub links: usize,
    pub producers: usize,
    pub requests: usize,
    pub responses: usize,
    pub shipments: usize,
    pub refused: Vec<Refused>,
    /// organisations of theirs that one of ours answers to by spelling, registered in another
    /// country: listed, ours never overwritten
    pub conflicts: Vec<super::exchange::Conflict>,
}

/// Maps rows of the other catalogue to rows here, remembering each answer.
struct Mapper<'a> {
    theirs: &'a Connection,
    ours: &'a Connection,
    /// their observation uid -> our observation uid, for the findings just recorded
    findings: &'a HashMap<String, String>,
    now: &'a str,
    organisations: HashMap<i64, Option<i64>>,
    sources: HashMap<i64, Option<i64>>,
    requests: HashMap<i64, i64>,
    shipments: HashMap<i64, i64>,
    added_organisations: usize,
    conflicts: Vec<super::exchange::Conflict>,
}

/// Brings every supply row of `theirs` that is not here yet into `ours`. `findings` pairs the
/// other catalogue's observation uids with ours (the same finding, recorded or already here).
pub fn carry(
    theirs: &Connection,
    ours: &Connection,
    findings: &HashMap<String, String>,
    now: &str,
) -> Result<SupplyCarried> {
    let mut m = Mapper {
        theirs,
        ours,
        findings,
        now,
        organisations: HashMap::new(),
        sources: HashMap::new(),
        requests: HashMap::new(),
        shipments: HashMap::new(),
        added_organisations: 0,
        conflicts: Vec::new(),
    };
    let mut out = SupplyCarried::default();
    out.requests = m.carry_requests(&mut out.refused)?;
    out.responses = m.carry_responses(&mut out.refused)?;
    out.shipments = m.carry_shipments(&mut out.refused)?;
    out.links = m.carry_unstated(
        "supply_link",
        "supply link",
        &mut out.refused,
        Mapper::add_link,
    )?;
    out.producers = m.carry_unstated(
        "weapon_producer",
        "weapon producer",
        &mut out.refused,
        Mapper::add_producer,
    )?;
    out.organisations = m.added_organisations;
    out.conflicts = m.conflicts;
    Ok(out)
}

fn refuse(refused: &mut Vec<Refused>, kind: &'static str, uid: &str, reason: String) {
    refused.push(Refused {
        kind,
        uid: uid.to_string(),
        reason,
    });
}

fn uid_here(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    // `table` is one of this module's literals, never input
    let sql = format!("SELECT id FROM {table} WHERE uid = ?1");
    Ok(conn.query_row(&sql, [uid], |r| r.get(0)).optional()?)
}

/// A fingerprint for a shipment record that came from another catalogue: derived from its
/// stable uid, so re-running adds nothing. The other file's own fingerprint is not read (no
/// derived value of the other file is trusted), so the same customs record imported in both
/// catalogues separately stays two records here (a missed merge, never a wrong one).
fn carried_shipment_fingerprint(uid: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"import-catalogue shipment\x1f");
    h.update(uid.as_bytes());
    h.finalize()[..16].to_vec()
}

impl Mapper<'_> {
    /// Our organisation for theirs (following their merges), added here when no uid or
    /// spelling names one; None when their spellings name several of ours.
    fn organisation(&mut self, theirs: i64) -> Result<Option<i64>> {
        if let Some(known) = self.organisations.get(&theirs) {
            return Ok(*known);
        }
        let found = self.resolve_organisation(theirs)?;
        self.organisations.insert(theirs, found);
        Ok(found)
    }

    fn resolve_organisation(&mut self, theirs: i64) -> Result<Option<i64>> {
        let (root, uid, name, country): (i64, String, String, Option<String>) =
            self.theirs.query_row(
                "SELECT r.id, r.uid, r.name, r.country FROM organisation o
                 JOIN organisation r ON r.id = coalesce(o.merged_into, o.id) WHERE o.id = ?1",
                [theirs],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
        let spellings = self.their_spellings(root)?;
        let mut here: Vec<i64> = Vec::new();
        for text in std::iter::once(&uid).chain(&spellings) {
            for n in find_organisations(self.ours, text)? {
                if !here.contains(&n.id) {
                    here.push(n.id);
                }
            }
        }
        match here.as_slice() {
            [one] => {
                self.note_country_conflict(*one, &uid, country)?;
                Ok(Some(*one))
            }
            [] => Ok(Some(
                self.add_organisation(&uid, &name, country, &spellings)?,
            )),
            _ => Ok(None),
        }
    }

    /// Lists our organisation `ours`, which their organisation (`their_uid`) was joined to by
    /// spelling, when the two are registered in different countries. Ours keeps its country.
    /// The same uid on both sides is compared with every entity (`exchange::conflicts`).
    fn note_country_conflict(
        &mut self,
        ours: i64,
        their_uid: &str,
        theirs: Option<String>,
    ) -> Result<()> {
        let (uid, here): (String, Option<String>) = self.ours.query_row(
            "SELECT uid, country FROM organisation WHERE id = ?1",
            [ours],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if uid == their_uid {
            return Ok(());
        }
        if let (Some(here), Some(there)) = (here, theirs) {
            if here != there {
                self.conflicts.push(super::exchange::Conflict {
                    kind: "organisation",
                    uid,
                    field: "country",
                    here,
                    there,
                });
            }
        }
        Ok(())
    }

    fn their_spellings(&self, organisation: i64) -> Result<Vec<String>> {
        let mut stmt = self.theirs.prepare(
            "SELECT text FROM organisation_spelling WHERE organisation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([organisation], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_organisation(
        &mut self,
        uid: &str,
        name: &str,
        country: Option<String>,
        spellings: &[String],
    ) -> Result<i64> {
        self.ours.execute(
            "INSERT INTO organisation (uid, name, role, country, created_at) VALUES (?1, ?2, 'other', ?3, ?4)",
            params![uid, name, country, self.now],
        )?;
        let id = self.ours.last_insert_rowid();
        for text in spellings {
            self.ours.execute(
                "INSERT INTO organisation_spelling (organisation_id, text, key, created_at, origin_organisation_id)
                 VALUES (?1, ?2, ?3, ?4, ?1) ON CONFLICT (text) DO NOTHING",
                params![id, text, company_key(text), self.now],
            )?;
        }
        self.added_organisations += 1;
        Ok(id)
    }

    fn optional_organisation(&mut self, theirs: Option<i64>) -> Result<Result<Option<i64>, ()>> {
        match theirs {
            None => Ok(Ok(None)),
            Some(t) => Ok(self.organisation(t)?.map(Some).ok_or(())),
        }
    }

    /// Our observation for one of theirs, among the findings recorded by this run (or shared).
    fn observation(&self, theirs: i64) -> Result<Option<i64>> {
        let uid: String =
            self.theirs
                .query_row("SELECT uid FROM observation WHERE id = ?1", [theirs], |r| {
                    r.get(0)
                })?;
        match self.findings.get(&uid) {
            Some(ours) => uid_here(self.ours, "observation", ours),
            None => Ok(None),
        }
    }

    /// Our part (or weapon) for theirs: by uid, else through one of their findings that
    /// names it and is recorded here. `family` is "part" or "weapon".
    fn entity(&self, family: &str, theirs: i64) -> Result<Option<i64>> {
        let uid: String = self.theirs.query_row(
            &format!("SELECT uid FROM {family} WHERE id = ?1"),
            [theirs],
            |r| r.get(0),
        )?;
        if let Some(here) = self
            .ours
            .query_row(
                &format!("SELECT coalesce(merged_into, id) FROM {family} WHERE uid = ?1"),
                [&uid],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
        {
            return Ok(Some(here));
        }
        let sql = format!(
            "SELECT o.uid FROM observation o JOIN {family}_spelling s ON s.id = o.{family}_spelling_id
             JOIN {family} e ON e.id = s.{family}_id
             WHERE coalesce(e.merged_into, e.id) = (SELECT coalesce(merged_into, id) FROM {family} WHERE id = ?1)
             ORDER BY o.id"
        );
        let mut stmt = self.theirs.prepare(&sql)?;
        let uids: Vec<String> = stmt
            .query_map([theirs], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for u in uids {
            let Some(ours) = self.findings.get(&u) else {
                continue;
            };
            let sql = format!(
                "SELECT coalesce(e.merged_into, e.id) FROM observation o
                 JOIN {family}_spelling s ON s.id = o.{family}_spelling_id JOIN {family} e ON e.id = s.{family}_id
                 WHERE o.uid = ?1"
            );
            if let Some(id) = self.ours.query_row(&sql, [ours], |r| r.get(0)).optional()? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    fn optional_entity(
        &self,
        family: &str,
        theirs: Option<i64>,
    ) -> Result<Result<Option<i64>, ()>> {
        match theirs {
            None => Ok(Ok(None)),
            Some(t) => Ok(self.entity(family, t)?.map(Some).ok_or(())),
        }
    }

    /// Our source for theirs: by uid, else by key, else added with their uid. A source whose
    /// hash is not 64 lower-case hex digits is not taken (as for findings' sources).
    fn source(&mut self, theirs: i64) -> Result<Option<i64>> {
        if let Some(known) = self.sources.get(&theirs) {
            return Ok(*known);
        }
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let (uid, kind, url, file_name, sha256, publisher, title, date): Row = self.theirs.query_row(
            "SELECT uid, kind, url, file_name, sha256, publisher, title, published_on FROM source WHERE id = ?1",
            [theirs],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )?;
        let hash_holds = sha256.as_deref().is_none_or(|s| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        let found = if !hash_holds {
            None
        } else if let Some(id) = uid_here(self.ours, "source", &uid)? {
            Some(id)
        } else {
            let evidence = super::ingest::Evidence {
                uid: None,
                kind: "other",
                url: url.clone(),
                file_name: file_name.clone(),
                sha256: sha256.clone(),
                publisher: publisher.clone(),
                title: title.clone(),
                date: date.clone(),
            };
            let key = evidence.key();
            self.ours.execute(
                "INSERT INTO source (uid, kind, url, file_name, sha256, publisher, title, published_on, key, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (key) DO NOTHING",
                params![uid, kind, url, file_name, sha256, publisher, title, date, key, self.now],
            )?;
            self.ours
                .query_row("SELECT id FROM source WHERE key = ?1", [key], |r| r.get(0))
                .optional()?
        };
        self.sources.insert(theirs, found);
        Ok(found)
    }

    /// Our sources for the ones `sql` lists (ids of theirs for the row `id`), or the uid of the
    /// first that cannot be taken.
    fn sources_of(&mut self, sql: &str, id: i64) -> Result<Result<Vec<i64>, String>> {
        let mut stmt = self.theirs.prepare(sql)?;
        let theirs: Vec<(i64, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (s, uid) in theirs {
            match self.source(s)? {
                Some(here) => out.push(here),
                None => return Ok(Err(uid)),
            }
        }
        Ok(Ok(out))
    }

    fn carry_requests(&mut self, refused: &mut Vec<Refused>) -> Result<usize> {
        type Row = (
            i64,
            String,
            i64,
            String,
            String,
            Option<String>,
            String,
            String,
        );
        let rows: Vec<Row> = {
            let mut stmt = self.theirs.prepare(
                "SELECT id, uid, organisation_id, sent_on, due_on, subject, author, recorded_at
                 FROM trace_request ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut added = 0;
        for (id, uid, org, sent, due, subject, author, recorded) in rows {
            if let Some(here) = uid_here(self.ours, "trace_request", &uid)? {
                self.requests.insert(id, here);
                continue;
            }
            let Some(org) = self.organisation(org)? else {
                refuse(
                    refused,
                    "trace request",
                    &uid,
                    "its organisation names several organisations here".into(),
                );
                continue;
            };
            self.ours.execute(
                "INSERT INTO trace_request (uid, organisation_id, sent_on, due_on, subject, author, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![uid, org, sent, due, subject, author, recorded],
            )?;
            let here = self.ours.last_insert_rowid();
            self.requests.insert(id, here);
            self.carry_request_findings(id, here)?;
            added += 1;
        }
        Ok(added)
    }

    fn carry_request_findings(&self, theirs: i64, ours: i64) -> Result<()> {
        let asked: Vec<i64> = {
            let mut stmt = self.theirs.prepare(
                "SELECT observation_id FROM trace_request_finding WHERE trace_request_id = ?1 ORDER BY observation_id",
            )?;
            let rows = stmt.query_map([theirs], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for o in asked {
            if let Some(here) = self.observation(o)? {
                self.ours.execute(
                    "INSERT OR IGNORE INTO trace_request_finding (trace_request_id, observation_id) VALUES (?1, ?2)",
                    params![ours, here],
                )?;
            }
        }
        Ok(())
    }

    fn carry_responses(&mut self, refused: &mut Vec<Refused>) -> Result<usize> {
        type Row = (
            String,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        let rows: Vec<Row> = {
            let mut stmt = self.theirs.prepare(
                "SELECT uid, trace_request_id, status, received_on, answer, evidence_url, evidence_file,
                        evidence_sha256, author, recorded_at FROM trace_response ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut added = 0;
        for (uid, request, status, received, answer, url, file, sha, author, recorded) in rows {
            if uid_here(self.ours, "trace_response", &uid)?.is_some() {
                continue;
            }
            let Some(&request) = self.requests.get(&request) else {
                refuse(
                    refused,
                    "trace response",
                    &uid,
                    "its trace request was not taken".into(),
                );
                continue;
            };
            self.ours.execute(
                "INSERT INTO trace_response (uid, trace_request_id, status, received_on, answer, evidence_url,
                                             evidence_file, evidence_sha256, author, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![uid, request, status, received, answer, url, file, sha, author, recorded],
            )?;
            added += 1;
        }
        Ok(added)
    }

    fn carry_shipments(&mut self, refused: &mut Vec<Refused>) -> Result<usize> {
        let ids: Vec<(i64, String)> = {
            let mut stmt = self
                .theirs
                .prepare("SELECT id, uid FROM shipment ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut added = 0;
        for (id, uid) in ids {
            if let Some(here) = uid_here(self.ours, "shipment", &uid)? {
                self.shipments.insert(id, here);
                continue;
            }
            match self.add_shipment(id, &uid)? {
                Ok(here) => {
                    self.shipments.insert(id, here);
                    added += 1;
                }
                Err(why) => refuse(refused, "shipment", &uid, why),
            }
        }
        Ok(added)
    }

    fn add_shipment(&mut self, id: i64, uid: &str) -> Result<Result<i64, String>> {
        let (exporter, importer, source): (i64, i64, Option<i64>) = self.theirs.query_row(
            "SELECT exporter_id, importer_id, source_id FROM shipment WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (Some(exporter), Some(importer)) =
            (self.organisation(exporter)?, self.organisation(importer)?)
        else {
            return Ok(Err(
                "its exporter or importer names several organisations here".into(),
            ));
        };
        let source = match source {
            None => None,
            Some(s) => match self.source(s)? {
                Some(here) => Some(here),
                None => {
                    return Ok(Err(
                        "its source's hash is not 64 lower-case hex digits".into()
                    ))
                }
            },
        };
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<f64>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        );
        let r: Row = self.theirs.query_row(
            "SELECT shipped_on, hs_code, description, part_number, brand, quantity, value, currency,
                    exporter_country, importer_country, recorded_at FROM shipment WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?)),
        )?;
        self.ours.execute(
            "INSERT INTO shipment (uid, shipped_on, hs_code, description, part_number, brand, quantity, value,
                                   currency, exporter_id, exporter_country, importer_id, importer_country,
                                   source_id, fingerprint, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![uid, r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, exporter, r.8, importer, r.9, source,
                    carried_shipment_fingerprint(uid), r.10],
        )?;
        Ok(Ok(self.ours.last_insert_rowid()))
    }

    /// Their rows of `table` that no finding states, each added by `add` unless its uid is
    /// here already; a row `add` cannot take is refused as `what`. Rows a finding states (a
    /// maker label's supplier, a row's producer) come back with the finding (module comment).
    fn carry_unstated(
        &mut self,
        table: &str,
        what: &'static str,
        refused: &mut Vec<Refused>,
        add: fn(&mut Self, i64, &str) -> Result<Result<(), String>>,
    ) -> Result<usize> {
        // `table` is one of this module's literals, never input
        let ids: Vec<(i64, String)> = {
            let mut stmt = self.theirs.prepare(&format!(
                "SELECT id, uid FROM {table} WHERE observation_id IS NULL ORDER BY id"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut added = 0;
        for (id, uid) in ids {
            if uid_here(self.ours, table, &uid)?.is_some() {
                continue;
            }
            match add(self, id, &uid)? {
                Ok(()) => added += 1,
                Err(why) => refuse(refused, what, &uid, why),
            }
        }
        Ok(added)
    }

    fn add_link(&mut self, id: i64, uid: &str) -> Result<Result<(), String>> {
        type Refs = (
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let (from, to, part, brand, request, shipment): Refs = self.theirs.query_row(
            "SELECT from_organisation_id, to_organisation_id, part_id, brand_id, trace_request_id, shipment_id
             FROM supply_link WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        let (Ok(from), Ok(to), Ok(brand)) = (
            self.optional_organisation(from)?,
            self.optional_organisation(to)?,
            self.optional_organisation(brand)?,
        ) else {
            return Ok(Err(
                "an organisation it names names several organisations here".into(),
            ));
        };
        let Ok(part) = self.optional_entity("part", part)? else {
            return Ok(Err(
                "its part is not here (no finding of it was taken)".into()
            ));
        };
        let request = match request {
            None => None,
            Some(r) => match self.requests.get(&r) {
                Some(&here) => Some(here),
                None => return Ok(Err("its trace request was not taken".into())),
            },
        };
        let shipment = match shipment {
            None => None,
            Some(s) => match self.shipments.get(&s) {
                Some(&here) => Some(here),
                None => return Ok(Err("its shipment was not taken".into())),
            },
        };
        let sources = match self.sources_of(
            "SELECT s.id, s.uid FROM supply_link_source x JOIN source s ON s.id = x.source_id
             WHERE x.supply_link_id = ?1 ORDER BY s.id",
            id,
        )? {
            Ok(s) => s,
            Err(source) => {
                return Ok(Err(format!(
                    "its source {source} has a hash that is not 64 lower-case hex digits"
                )))
            }
        };
        let values = self.their_link_values(id)?;
        let refs: [rusqlite::types::Value; 7] = [
            uid.to_string().into(),
            from.into(),
            to.into(),
            part.into(),
            brand.into(),
            request.into(),
            shipment.into(),
        ];
        self.ours.execute(
            "INSERT INTO supply_link (uid, from_organisation_id, to_organisation_id, part_id, brand_id,
                                      trace_request_id, shipment_id, from_role, from_country, to_role,
                                      to_country, lot, date_code, quantity, value, currency, moved_on,
                                      how_known, confidence, note, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            rusqlite::params_from_iter(refs.into_iter().chain(values)),
        )?;
        let here = self.ours.last_insert_rowid();
        for s in sources {
            self.ours.execute(
                "INSERT OR IGNORE INTO supply_link_source (supply_link_id, source_id) VALUES (?1, ?2)",
                params![here, s],
            )?;
        }
        Ok(Ok(()))
    }

    /// The facts of one of their links, as stored (the columns that name no row).
    fn their_link_values(&self, id: i64) -> Result<Vec<rusqlite::types::Value>> {
        Ok(self.theirs.query_row(
            "SELECT from_role, from_country, to_role, to_country, lot, date_code, quantity, value, currency,
                    moved_on, how_known, confidence, note, recorded_at FROM supply_link WHERE id = ?1",
            [id],
            |r| (0..14).map(|i| r.get(i)).collect(),
        )?)
    }

    fn add_producer(&mut self, id: i64, uid: &str) -> Result<Result<(), String>> {
        type Row = (
            i64,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        );
        let (weapon, unit, org, stated_as, site, country, confidence, recorded): Row = self.theirs.query_row(
            "SELECT wp.weapon_id, u.uid, wp.organisation_id, wp.stated_as, wp.site, wp.country, wp.confidence, wp.recorded_at
             FROM weapon_producer wp LEFT JOIN weapon_unit u ON u.id = wp.unit_id WHERE wp.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )?;
        let Some(weapon) = self.entity("weapon", weapon)? else {
            return Ok(Err(
                "its weapon is not here (no finding of it was taken)".into()
            ));
        };
        let unit = match unit {
            None => None,
            Some(u) => match uid_here(self.ours, "weapon_unit", &u)? {
                Some(here) => Some(here),
                None => return Ok(Err(format!("its unit {u} is not here"))),
            },
        };
        let Ok(org) = self.optional_organisation(org)? else {
            return Ok(Err(
                "its organisation names several organisations here".into()
            ));
        };
        let sources = match self.sources_of(
            "SELECT s.id, s.uid FROM weapon_producer_source x JOIN source s ON s.id = x.source_id
             WHERE x.weapon_producer_id = ?1 ORDER BY s.id",
            id,
        )? {
            Ok(s) => s,
            Err(source) => {
                return Ok(Err(format!(
                    "its source {source} has a hash that is not 64 lower-case hex digits"
                )))
            }
        };
        self.ours.execute(
            "INSERT INTO weapon_producer (uid, weapon_id, unit_id, organisation_id, stated_as, site, country,
                                          confidence, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![uid, weapon, unit, org, stated_as, site, country, confidence, recorded],
        )?;
        let here = self.ours.last_insert_rowid();
        for s in sources {
            self.ours.execute(
                "INSERT OR IGNORE INTO weapon_producer_source (weapon_producer_id, source_id) VALUES (?1, ?2)",
                params![here, s],
            )?;
        }
        Ok(Ok(()))
    }
}
