//! Recording findings: resolve each named thing to an entity (exact text, then normalised key,
//! never fuzzy similarity), create what is new, and add the observation and its evidence once.
//!
//! An `Ingester` works inside a transaction the caller owns, so an import is all-or-nothing.
//! It caches the entities it has met (parts, makers, weapons: these grow with the catalogue,
//! not with the file) and looks up per-row things (units, sources, observations) through their
//! unique indexes — units also through a bounded cache — so memory stays flat however long the
//! file is. What needs no catalogue (keys, fingerprint) is worked out beforehand by `Prepared`,
//! on another thread during a bulk import.
//!
//! This file holds the ingester's state and records an observation: its fingerprint, its
//! copies, its source links. The rest sits beside it:
//! - `resolve`: a finding's names to entities (maker, weapon, unit, part, source);
//! - `statements`: the per-row statements, prepared once per run;
//! - `caches`: the units met, the families empty at start, the merge roots;
//! - `uids`: the stable id a new entity gets, carried from another catalogue or new;
//! - `prepared`, `evidence`: pure per-finding work (keys, fingerprint) for the reading thread;
//! - `bulk`: whole-table passes (index deferral for a bulk load, rekeying for a migration);
//! - `relabel`: units from weapon labels read again when the reading of labels changes;
//! - `parties`: the suppliers and importers a published maker label names, as supply links.
//!
//! Other modules use only the paths re-exported here. The per-row path runs a million times in
//! a bulk import: it must not allocate or ask the catalogue what a cache already knows.

mod bulk;
mod caches;
mod conflicts;
mod evidence;
mod parties;
mod prepared;
mod relabel;
mod resolve;
mod statements;
mod uids;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension};

pub use bulk::{defer_indexes, fill_marking_date_codes, rekey, DeferredIndexes};
use caches::{EmptyAtStart, Roots, UnitCache};
pub use conflicts::{CountryConflict, CountryConflicts};
pub use evidence::Evidence;
pub use parties::split_maker_labels;
pub use prepared::{
    fingerprint, fingerprint_with_keys, finish_fingerprint, marking_date_code, Prepared,
};
pub use relabel::relabel_units;
use statements::Statements;
pub use uids::Carried;

use super::new_uid;
use crate::finding::Finding;
use crate::matching::labels::WeaponLabel;

/// What an ingest run did, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    pub rows: u64,
    pub observations_added: u64,
    pub already_present: u64,
    pub new_parts: u64,
    pub new_manufacturers: u64,
    pub new_weapons: u64,
    pub new_units: u64,
    pub new_sources: u64,
    /// New spellings that joined an existing entity through its normalised key.
    pub spellings_matched: u64,
    /// Recovered units a weapon label named ("Orlan-10 UAV No. 14662").
    pub units_from_labels: u64,
    /// Distinct weapon labels that could not be taken apart and were kept whole.
    pub labels_kept_whole: u64,
    /// Rows that stated again a finding an earlier row of this run stated: counted once.
    pub repeated_in_run: u64,
    /// The finding stated most often in this run, when any was stated more than once:
    /// (times stated, its observation's uid).
    pub most_repeated: Option<(u32, String)>,
    /// Lines of the first few repeated rows (filled by the caller, which knows lines).
    pub repeat_lines: Vec<u64>,
    /// Rows set aside by `import --skip-invalid`.
    pub rejected: u64,
    /// Rows whose stable id another finding of the catalogue already has: they got a new one.
    pub uids_reassigned: u64,
    /// Findings that cite no source (accepted; every report says how many of its findings
    /// rest on none).
    pub unsourced: u64,
    /// Rows whose maker country differs from the one the catalogue holds (the catalogue's is
    /// kept), with the first makers and lines where it happened.
    pub country_conflicts: CountryConflicts,
    /// Rows whose part number named a family, a technology or a package ("GNSS", "TQFP44"):
    /// those whose component text carried a code the part was identified by, and the rest,
    /// each kept as a part of its own.
    pub identified_in_text: u64,
    pub kept_unidentified: u64,
    /// Rows whose part number was the tail of a longer code of the component text ("2411WI"
    /// of "TEN 8-2411WI"), which identified the part.
    pub truncated_part_numbers: u64,
    /// Names holding invisible or direction characters (zero-width space, soft hyphen, bidi
    /// controls), which look like another spelling: how many, and the first few as (line,
    /// field, the name as written); filled by the caller, which knows lines.
    pub invisible_names: u64,
    pub invisible_examples: Vec<(u64, &'static str, String)>,
}

/// Whether any finding of the catalogue has been amended (false before schema v9, whose
/// migration an older step's ingester runs before).
fn any_revision(conn: &Connection) -> Result<bool> {
    // two statements: one naming a missing table would not compile
    let table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'revision')",
        [],
        |r| r.get(0),
    )?;
    Ok(table && conn.query_row("SELECT EXISTS (SELECT 1 FROM revision)", [], |r| r.get(0))?)
}

/// The result of recording one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub observation_id: i64,
    pub observation_uid: String,
    pub was_new: bool,
    /// When an earlier row of this run stated the same finding: how many times it has been
    /// stated in this run so far (2 for its first repeat).
    pub repeat: Option<u32>,
}

type PartLookup = (Option<i64>, String);
/// (maker, text, key): a family word's spellings, told apart by the key of their part.
type FamilySpelling = (Option<i64>, String, String);

pub struct Ingester<'c> {
    conn: &'c Connection,
    sql: Statements<'c>,
    empty: EmptyAtStart,
    now: String,
    import_id: Option<i64>,
    orgs_by_text: HashMap<String, (i64, i64)>,
    orgs_by_key: HashMap<String, i64>,
    org_country: HashMap<i64, Option<String>>,
    weapons_by_text: HashMap<String, (i64, i64)>,
    weapons_by_key: HashMap<String, i64>,
    /// (weapon, origin, type) facts already applied, so each is written once per run.
    weapons_facts_filled: HashSet<(i64, Option<String>, Option<String>)>,
    parts_by_text: HashMap<PartLookup, (i64, i64)>,
    parts_by_key: HashMap<PartLookup, i64>,
    family_spellings: HashMap<FamilySpelling, (i64, i64)>,
    units: UnitCache,
    /// Parts known to have a category, so a row naming one asks nothing of the catalogue.
    categorised: HashSet<i64>,
    labels: HashMap<String, Rc<WeaponLabel>>,
    /// How many times each finding met more than once has occurred so far in this run.
    repeats: HashMap<[u8; 16], u32>,
    /// The last observation written before this run: those above it are this run's.
    last_observation_before: i64,
    /// The catalogue's country codes: every country written is checked against them here, so
    /// a bulk import may run without SQLite's per-row foreign-key checks.
    countries: HashSet<String>,
    /// The merge roots of each family when the run began: rows record the entity their text
    /// resolves to on its own (the origin) and are written with the root the live merges give.
    roots: Roots,
    /// Stable ids carried from another catalogue for the finding being recorded.
    carried: Carried,
    /// The line of the file the finding being recorded was read from, for the summary.
    line: Option<u64>,
    /// Whether any finding has been amended: only then are earlier revisions' fingerprints
    /// looked up, so a file stating a finding as it was before an amendment adds nothing.
    revised: bool,
    pub stats: Stats,
}

impl<'c> Ingester<'c> {
    /// The HS code and ECCN a row stated (schema v10), written apart from the observation's
    /// insert: that statement is prepared for every run, including the v7 migration step that
    /// records findings before these columns exist; few rows state a code, so the cached
    /// statement's lookup costs nothing that matters.
    fn stated_classification(&self, observation: i64, f: &Finding) -> Result<()> {
        if f.hs_code().is_some() || f.eccn().is_some() {
            self.conn
                .prepare_cached(
                    "UPDATE observation SET stated_hs_code = ?2, stated_eccn = ?3 WHERE id = ?1",
                )?
                .execute(params![observation, f.hs_code(), f.eccn()])?;
        }
        Ok(())
    }

    pub fn new(conn: &'c Connection, now: String, import_id: Option<i64>) -> Result<Ingester<'c>> {
        Ok(Ingester {
            conn,
            sql: Statements::prepare(conn)?,
            empty: EmptyAtStart::read(conn)?,
            now,
            import_id,
            orgs_by_text: HashMap::new(),
            orgs_by_key: HashMap::new(),
            org_country: HashMap::new(),
            weapons_by_text: HashMap::new(),
            weapons_by_key: HashMap::new(),
            weapons_facts_filled: HashSet::new(),
            parts_by_text: HashMap::new(),
            parts_by_key: HashMap::new(),
            family_spellings: HashMap::new(),
            categorised: HashSet::new(),
            units: UnitCache::default(),
            repeats: HashMap::new(),
            countries: conn
                .prepare("SELECT code FROM country")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            last_observation_before: conn.query_row(
                "SELECT coalesce(max(id), 0) FROM observation",
                [],
                |r| r.get(0),
            )?,
            labels: HashMap::new(),
            roots: Roots::read(conn)?,
            carried: Carried::default(),
            line: None,
            revised: any_revision(conn)?,
            stats: Stats::default(),
        })
    }

    /// Records one finding with its evidence; a finding already in the catalogue is not added twice.
    pub fn record(&mut self, f: &Finding, extra: &[Evidence]) -> Result<Recorded> {
        self.record_prepared(&Prepared::new(f.clone(), extra.to_vec()), None)
    }

    /// Records a finding from another catalogue: the entities it creates take the stable ids
    /// that catalogue gave them, so identity survives the exchange.
    pub fn record_carried(
        &mut self,
        f: &Finding,
        extra: &[Evidence],
        carried: Carried,
    ) -> Result<Recorded> {
        self.carried = carried;
        let recorded = self.record(f, extra);
        self.carried = Carried::default();
        recorded
    }

    /// Records a finding whose keys and fingerprint were worked out beforehand (by `Prepared::new`,
    /// which a bulk import runs on another thread); `line` is where a file stated it.
    pub fn record_prepared(&mut self, p: &Prepared, line: Option<u64>) -> Result<Recorded> {
        self.line = line;
        let f = &p.finding;
        self.stats.rows += 1;
        for code in [
            f.production_country(),
            f.manufacturer_country(),
            f.weapon_origin_country(),
        ]
        .into_iter()
        .flatten()
        {
            if !self.countries.contains(code) {
                bail!("country {code} is not in this catalogue's country table");
            }
        }
        if let Some(earlier) = self.earlier_revision(&p.fingerprint)? {
            return Ok(earlier);
        }
        let maker = match f.manufacturer() {
            Some(name) => Some(self.organisation(name, &p.maker_key, f.manufacturer_country())?),
            None => None,
        };
        let (weapon_spelling, weapon_id) = self.weapon(f)?;
        let unit = self.unit(f, weapon_id)?;
        let (part_spelling, part_id) =
            self.part(f, &p.part_key, &p.part_basis, maker.map(|(_, org)| org))?;
        let evidence = &p.evidence;
        if evidence.is_empty() {
            self.stats.unsourced += 1;
        }
        // identical rows are one finding stated twice (two identical chips are one row with a
        // quantity): a repeat is counted once. Only findings met more than once are remembered,
        // so the count costs no memory for the rest.
        let mut uid_taken = false;
        let uid = loop {
            // a stable id the row carries (an export's) is kept unless another finding has it
            let uid = match f.uid() {
                Some(carried) if !uid_taken => carried.to_string(),
                _ => new_uid(),
            };
            let added = self.sql.insert_observation.execute(params![
                uid,
                part_spelling,
                maker.map(|(spelling, _)| spelling),
                weapon_spelling,
                unit,
                f.component(),
                f.marking(),
                f.date_code(),
                f.lot(),
                f.production_country(),
                f.manufacturer_country(),
                // recovered on, else the date of its first source (a finding from another
                // catalogue or an export brings its sources apart from its fields)
                f.observed_on()
                    .or_else(|| evidence.first().and_then(|e| e.date.as_deref())),
                f.confidence(),
                f.investigator(),
                f.notes(),
                self.now,
                self.import_id,
                &p.fingerprint[..],
                f.part_number(),
                f.unit_serial(),
                f.found_on(),
                f.quantity_count(),
                f.found_at(),
                f.unit_produced(),
                f.unit_used_on(),
                p.marking_date_code,
                f.category(),
            ])?;
            if added == 1 {
                break uid;
            }
            let Some((observation_id, observation_uid)): Option<(i64, String)> = self
                .sql
                .observation_by_fingerprint
                .query_row([&p.fingerprint[..]], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            else {
                // not this finding: another one holds the carried stable id
                uid_taken = true;
                self.stats.uids_reassigned += 1;
                continue;
            };
            if observation_id <= self.last_observation_before {
                self.stats.already_present += 1;
                return Ok(Recorded {
                    observation_id,
                    observation_uid,
                    was_new: false,
                    repeat: None,
                });
            }
            return Ok(self.repeated(p.fingerprint, observation_id, observation_uid));
        };
        let observation_id = self.conn.last_insert_rowid();
        self.stats.observations_added += 1;
        self.stated_classification(observation_id, f)?;
        let mut sources = Vec::with_capacity(evidence.len());
        for e in evidence {
            sources.push(self.source(e)?);
        }
        // two mentions of one source in a finding link it once
        sources.sort_unstable();
        sources.dedup();
        for &source in &sources {
            self.sql
                .insert_link
                .execute(params![observation_id, source])?;
        }
        if let Some(label) = f.manufacturer() {
            self.record_parties(label, observation_id, part_id, f.confidence(), &sources)?;
        }
        self.record_producer(f, observation_id, weapon_id, unit, &sources)?;
        Ok(Recorded {
            observation_id,
            observation_uid: uid,
            was_new: true,
            repeat: None,
        })
    }

    /// The finding a fingerprint names through one of its earlier revisions (a file stating it
    /// as it was before it was amended): already present, nothing to add.
    fn earlier_revision(&mut self, fingerprint: &[u8; 16]) -> Result<Option<Recorded>> {
        if !self.revised {
            return Ok(None);
        }
        // prepared through the cache, not with the per-row statements: it runs only in a
        // catalogue where something was amended, and the table is missing while older
        // migrations (v7's relabelling) run an ingester
        let found: Option<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT o.id, o.uid FROM revision r JOIN observation o ON o.id = r.observation_id
                  WHERE r.fingerprint = ?1 LIMIT 1",
            )?
            .query_row([&fingerprint[..]], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(found.map(|(observation_id, observation_uid)| {
            self.stats.already_present += 1;
            Recorded {
                observation_id,
                observation_uid,
                was_new: false,
                repeat: None,
            }
        }))
    }

    /// Rewrites finding `id` to state `f` (an amendment): its names are resolved as a new
    /// row's are, so a corrected maker, weapon or part text points the finding at the entity
    /// that text names (created if new) and no shared entity is edited. With `citation`, the
    /// sources it cites by reference (those with no stored file) become that one; its files
    /// stay. Returns its new fingerprint; refuses when another finding already states the
    /// amended finding (in any revision).
    pub fn restate(
        &mut self,
        id: i64,
        f: &Finding,
        citation: Option<&Evidence>,
    ) -> Result<[u8; 16]> {
        self.revised = true;
        if let Some(e) = citation {
            let source = self.source(e)?;
            self.conn.execute(
                "DELETE FROM observation_source WHERE observation_id = ?1
                   AND source_id IN (SELECT id FROM source WHERE sha256 IS NULL)",
                [id],
            )?;
            self.sql.insert_link.execute(params![id, source])?;
        }
        let keys: Vec<String> = self
            .conn
            .prepare(
                "SELECT s.key FROM observation_source x JOIN source s ON s.id = x.source_id
                  WHERE x.observation_id = ?1",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let fingerprint = fingerprint_with_keys(f, keys, 0);
        let other: Option<String> = self
            .conn
            .query_row(
                "SELECT uid FROM observation WHERE fingerprint = ?1 AND id <> ?2
                 UNION ALL
                 SELECT o.uid FROM revision r JOIN observation o ON o.id = r.observation_id
                  WHERE r.fingerprint = ?1 AND r.observation_id <> ?2
                 LIMIT 1",
                params![&fingerprint[..], id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            bail!("the finding as amended is what finding {other} states (now or in an earlier revision); retract this one instead; nothing was changed");
        }
        let mut p = Prepared::new(f.clone(), Vec::new());
        p.fingerprint = fingerprint;
        if p.part_basis == prepared::PartBasis::Unidentified {
            p.part_key = prepared::unidentified_key(&fingerprint);
        }
        let maker = match f.manufacturer() {
            Some(name) => Some(self.organisation(name, &p.maker_key, f.manufacturer_country())?),
            None => None,
        };
        let (weapon_spelling, weapon_id) = self.weapon(f)?;
        let unit = self.unit(f, weapon_id)?;
        let (part_spelling, part_id) =
            self.part(f, &p.part_key, &p.part_basis, maker.map(|(_, org)| org))?;
        // before the row changes: the supply facts compare the text it stated with the new
        self.restate_parties(f, id, part_id, weapon_id, unit)?;
        let first_source_date: Option<String> = self
            .conn
            .query_row(
                "SELECT s.published_on FROM observation_source x JOIN source s ON s.id = x.source_id
                  WHERE x.observation_id = ?1 AND s.published_on IS NOT NULL ORDER BY s.id LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        self.conn.execute(
            "UPDATE observation SET part_spelling_id = ?2, organisation_spelling_id = ?3,
                weapon_spelling_id = ?4, unit_id = ?5, component_text = ?6, marking = ?7,
                date_code = ?8, lot = ?9, production_country = ?10, manufacturer_country = ?11,
                observed_on = ?12, confidence = ?13, notes = ?14, fingerprint = ?15,
                stated_part_number = ?16, stated_unit_serial = ?17, stated_found_on = ?18,
                quantity = ?19, stated_found_at = ?20, stated_unit_produced = ?21,
                stated_unit_used_on = ?22, marking_date_code = ?23, stated_category = ?24
             WHERE id = ?1",
            params![
                id,
                part_spelling,
                maker.map(|(spelling, _)| spelling),
                weapon_spelling,
                unit,
                f.component(),
                f.marking(),
                f.date_code(),
                f.lot(),
                f.production_country(),
                f.manufacturer_country(),
                f.observed_on().map(str::to_string).or(first_source_date),
                f.confidence(),
                f.notes(),
                &fingerprint[..],
                f.part_number(),
                f.unit_serial(),
                f.found_on(),
                f.quantity_count(),
                f.found_at(),
                f.unit_produced(),
                f.unit_used_on(),
                p.marking_date_code,
                f.category(),
            ],
        )?;
        // the classification it states, cleared when the amendment clears it
        self.conn.execute(
            "UPDATE observation SET stated_hs_code = ?2, stated_eccn = ?3 WHERE id = ?1",
            params![id, f.hs_code(), f.eccn()],
        )?;
        Ok(fingerprint)
    }

    /// A row that states again a finding an earlier row of this run stated.
    fn repeated(&mut self, fingerprint: [u8; 16], id: i64, uid: String) -> Recorded {
        let times = self.repeats.entry(fingerprint).or_insert(1);
        *times += 1;
        let times = *times;
        self.stats.repeated_in_run += 1;
        if self
            .stats
            .most_repeated
            .as_ref()
            .is_none_or(|(most, _)| times > *most)
        {
            self.stats.most_repeated = Some((times, uid.clone()));
        }
        Recorded {
            observation_id: id,
            observation_uid: uid,
            was_new: false,
            repeat: Some(times),
        }
    }
}
