//! Recording findings: resolve each named thing to an entity (exact text, then normalised key,
//! never fuzzy similarity), create what is new, and add the observation and its evidence once.
//!
//! An `Ingester` works inside a transaction the caller owns, so an import is all-or-nothing.
//! It caches the entities it has met (parts, makers, weapons: these grow with the catalogue,
//! not with the file) and looks up per-row things (units, sources, observations) through their
//! unique indexes — units also through a bounded cache — so memory stays flat however long the
//! file is. What needs no catalogue (keys, fingerprint) is worked out beforehand by `Prepared`,
//! on another thread during a bulk import.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension, Statement};
use sha2::{Digest, Sha256};

use super::new_uid;
use crate::finding::{Citation, Finding};
use crate::matching::labels::{self, WeaponLabel};
use crate::matching::reference::Reference;
use crate::normalize::{code_key, company_key, split_parenthesised, weapon_key};

/// A piece of evidence to link to an observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The stable id another catalogue gave this source (import-catalogue), kept if free here.
    pub uid: Option<String>,
    pub kind: &'static str,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub sha256: Option<String>,
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

impl Evidence {
    /// The evidence a finding's source_* fields describe, if any.
    pub fn from_citation(c: &Citation) -> Option<Evidence> {
        (!c.is_empty()).then(|| Evidence {
            uid: None,
            kind: if c.publisher.is_some() || c.title.is_some() {
                "report"
            } else {
                "webpage"
            },
            url: c.url.clone(),
            file_name: None,
            sha256: None,
            publisher: c.publisher.clone(),
            title: c.title.clone(),
            date: c.date.clone(),
        })
    }

    /// What makes two mentions the same source: the URL, else the file's hash, else the citation.
    pub fn key(&self) -> String {
        if let Some(url) = &self.url {
            format!("url:{url}")
        } else if let Some(sha) = &self.sha256 {
            format!("sha256:{sha}")
        } else {
            let f = |o: &Option<String>| o.clone().unwrap_or_default();
            format!(
                "cite:{}\u{1f}{}\u{1f}{}",
                f(&self.publisher),
                f(&self.title),
                f(&self.date)
            )
        }
    }
}

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
    /// Rows set aside by `import --skip-invalid`.
    pub rejected: u64,
    /// Rows whose stable id another finding of the catalogue already has: they got a new one.
    pub uids_reassigned: u64,
    /// Rows whose maker country differs from the one the catalogue holds (the catalogue's is kept).
    pub country_conflicts: u64,
}

/// The result of recording one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub observation_id: i64,
    pub observation_uid: String,
    pub was_new: bool,
}

/// A finding with what can be worked out without the catalogue: its evidence, the normalised
/// keys of its part and maker, and its fingerprint. Pure, so a bulk import computes it on a
/// second thread while the first writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub finding: Finding,
    evidence: Vec<Evidence>,
    part_key: String,
    maker_key: String,
    fingerprint: [u8; 16],
}

impl Prepared {
    pub fn new(finding: Finding, extra: Vec<Evidence>) -> Prepared {
        Prepared::with_maker_keys(finding, extra, company_key)
    }

    /// As `new`, with the maker's key from `maker_key` (a bulk import remembers the keys of the
    /// makers it has met: a maker is named by many rows, and its key takes long to work out).
    pub fn with_maker_keys(
        finding: Finding,
        extra: Vec<Evidence>,
        mut maker_key: impl FnMut(&str) -> String,
    ) -> Prepared {
        let evidence: Vec<Evidence> = Evidence::from_citation(&finding.citation())
            .into_iter()
            .chain(extra)
            .collect();
        let part_text = finding
            .part_number()
            .or(finding.component())
            .unwrap_or_default();
        Prepared {
            part_key: code_key(part_text),
            maker_key: finding
                .manufacturer()
                .map(&mut maker_key)
                .unwrap_or_default(),
            fingerprint: fingerprint(&finding, &evidence, 0),
            evidence,
            finding,
        }
    }
}

type PartLookup = (Option<i64>, String);

/// Every statement an ingest run uses, prepared once: a run executes them millions of times,
/// and looking each up by its text in a statement cache costs as much as running it.
struct Statements<'c> {
    org_spelling_by_text: Statement<'c>,
    org_by_key: Statement<'c>,
    insert_org: Statement<'c>,
    insert_org_spelling: Statement<'c>,
    org_country: Statement<'c>,
    set_org_country: Statement<'c>,
    weapon_spelling_by_text: Statement<'c>,
    weapon_by_key: Statement<'c>,
    insert_weapon: Statement<'c>,
    insert_weapon_spelling: Statement<'c>,
    fill_weapon_facts: Statement<'c>,
    insert_unit: Statement<'c>,
    unit_by_key: Statement<'c>,
    part_spelling_by_text: Statement<'c>,
    part_by_key: Statement<'c>,
    insert_part: Statement<'c>,
    insert_part_spelling: Statement<'c>,
    fill_category: Statement<'c>,
    insert_source: Statement<'c>,
    source_by_key: Statement<'c>,
    insert_observation: Statement<'c>,
    observation_by_fingerprint: Statement<'c>,
    insert_link: Statement<'c>,
}

impl<'c> Statements<'c> {
    fn prepare(conn: &'c Connection) -> Result<Statements<'c>> {
        Ok(Statements {
            org_spelling_by_text: conn.prepare(
                "SELECT id, origin_organisation_id FROM organisation_spelling WHERE text = ?1",
            )?,
            org_by_key: conn.prepare(
                "SELECT origin_organisation_id FROM organisation_spelling WHERE key = ?1 ORDER BY id LIMIT 1",
            )?,
            insert_org: conn.prepare(
                "INSERT INTO organisation (uid, name, country, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?,
            insert_org_spelling: conn.prepare(
                "INSERT INTO organisation_spelling (organisation_id, text, key, created_at, origin_organisation_id)
                 VALUES (?5, ?2, ?3, ?4, ?1)",
            )?,
            org_country: conn.prepare("SELECT country FROM organisation WHERE id = ?1")?,
            set_org_country: conn.prepare("UPDATE organisation SET country = ?2 WHERE id = ?1")?,
            weapon_spelling_by_text: conn
                .prepare("SELECT id, origin_weapon_id FROM weapon_spelling WHERE text = ?1")?,
            weapon_by_key: conn.prepare(
                "SELECT origin_weapon_id FROM weapon_spelling WHERE key = ?1 ORDER BY id LIMIT 1",
            )?,
            insert_weapon: conn.prepare(
                "INSERT INTO weapon (uid, name, origin_country, type, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            insert_weapon_spelling: conn.prepare(
                "INSERT INTO weapon_spelling (weapon_id, text, key, created_at, origin_weapon_id)
                 VALUES (?5, ?2, ?3, ?4, ?1)",
            )?,
            fill_weapon_facts: conn.prepare(
                "UPDATE weapon SET origin_country = coalesce(origin_country, ?2), type = coalesce(type, ?3)
                 WHERE id = ?1 AND (origin_country IS NULL OR type IS NULL)",
            )?,
            // insert first, look up only on a clash: most units and sources in a file are new
            insert_unit: conn.prepare(
                "INSERT INTO weapon_unit (uid, weapon_id, serial, found_on, found_at, key, created_at, origin_weapon_id, label, note)
                 VALUES (?1, ?10, ?3, ?4, ?5, ?6, ?7, ?2, ?8, ?9)
                 ON CONFLICT (key) DO NOTHING",
            )?,
            unit_by_key: conn.prepare("SELECT id FROM weapon_unit WHERE key = ?1")?,
            // the same text always has the same key, so the key index finds exact spellings too
            part_spelling_by_text: conn.prepare(
                "SELECT s.id, p.id FROM part_spelling s JOIN part p ON p.id = s.origin_part_id
                 WHERE s.key = ?3 AND s.text = ?1 AND p.origin_manufacturer_id IS ?2",
            )?,
            part_by_key: conn.prepare(
                "SELECT p.id FROM part_spelling s JOIN part p ON p.id = s.origin_part_id
                 WHERE s.key = ?1 AND p.origin_manufacturer_id IS ?2 ORDER BY p.id LIMIT 1",
            )?,
            insert_part: conn.prepare(
                "INSERT INTO part (uid, manufacturer_id, part_number, name, category, created_at, origin_manufacturer_id)
                 VALUES (?1, ?7, ?3, ?4, ?5, ?6, ?2)",
            )?,
            insert_part_spelling: conn.prepare(
                "INSERT INTO part_spelling (part_id, text, key, kind, created_at, origin_part_id)
                 VALUES (?6, ?2, ?3, ?4, ?5, ?1)",
            )?,
            fill_category: conn
                .prepare("UPDATE part SET category = ?2 WHERE id = ?1 AND category IS NULL")?,
            insert_source: conn.prepare(
                "INSERT INTO source (uid, kind, url, file_name, sha256, publisher, title, published_on, key, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (key) DO NOTHING",
            )?,
            source_by_key: conn.prepare("SELECT id FROM source WHERE key = ?1")?,
            // a plain insert (no RETURNING): SQLite needs no statement journal for it, which
            // matters a million times over
            insert_observation: conn.prepare(
                "INSERT INTO observation (uid, part_spelling_id, organisation_spelling_id,
                    weapon_spelling_id, unit_id, component_text, marking, date_code, lot,
                    production_country, manufacturer_country, observed_on, confidence, investigator,
                    notes, logged_at, import_id, fingerprint, stated_part_number, stated_unit_serial, stated_found_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
                 ON CONFLICT DO NOTHING",
            )?,
            observation_by_fingerprint: conn
                .prepare("SELECT id, uid FROM observation WHERE fingerprint = ?1")?,
            insert_link: conn.prepare(
                "INSERT INTO observation_source (observation_id, source_id) VALUES (?1, ?2)",
            )?,
        })
    }
}

/// Units met in this run, by a 128-bit hash of their key (two independently keyed SipHashes):
/// a drone whose forty parts are forty rows is looked up once. Bounded, so memory stays flat:
/// when full it starts over and the unique index on `weapon_unit.key` answers.
#[derive(Default)]
struct UnitCache {
    hashers: (
        std::collections::hash_map::RandomState,
        std::collections::hash_map::RandomState,
    ),
    ids: HashMap<u128, i64>,
}

impl UnitCache {
    // 400,000 entries fit a 2^19-bucket table: about 13 MB at most
    const CAPACITY: usize = 400_000;

    fn key_of(&self, key: &str) -> u128 {
        use std::hash::BuildHasher;
        let (a, b) = &self.hashers;
        (u128::from(a.hash_one(key)) << 64) | u128::from(b.hash_one(key))
    }

    fn get(&self, key: u128) -> Option<i64> {
        self.ids.get(&key).copied()
    }

    fn remember(&mut self, key: u128, id: i64) {
        if self.ids.len() >= Self::CAPACITY {
            self.ids.clear();
        }
        self.ids.insert(key, id);
    }
}

/// Which entity families held nothing when the run began. For those, the run's own caches
/// know every entity there is, so a name they do not hold is new without asking the catalogue.
#[derive(Debug, Clone, Copy, Default)]
struct EmptyAtStart {
    organisations: bool,
    weapons: bool,
    parts: bool,
}

impl EmptyAtStart {
    fn read(conn: &Connection) -> Result<EmptyAtStart> {
        let empty = |table: &str| -> Result<bool> {
            // table names are the constants below
            Ok(conn.query_row(
                &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
                [],
                |r| r.get(0),
            )?)
        };
        Ok(EmptyAtStart {
            organisations: empty("organisation_spelling")?,
            weapons: empty("weapon_spelling")?,
            parts: empty("part_spelling")?,
        })
    }
}

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
    units: UnitCache,
    /// Parts known to have a category, so a row naming one asks nothing of the catalogue.
    categorised: HashSet<i64>,
    labels: HashMap<String, Rc<WeaponLabel>>,
    /// How many times each finding met more than once has occurred so far in this run.
    copies: HashMap<[u8; 16], u32>,
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
    pub stats: Stats,
}

/// The stable ids another catalogue gave the entities a finding names (each the entity its
/// text resolves to on its own there, not a merge root).
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub organisation: Option<String>,
    pub weapon: Option<String>,
    pub part: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Carry {
    Organisation,
    Weapon,
    Part,
    Unit,
}

/// Where the live merges send each merged entity, per family, read once per run.
#[derive(Debug, Default)]
struct Roots {
    organisations: HashMap<i64, i64>,
    weapons: HashMap<i64, i64>,
    parts: HashMap<i64, i64>,
}

impl Roots {
    fn read(conn: &Connection) -> Result<Roots> {
        use super::merge::{live, roots, Family};
        Ok(Roots {
            organisations: roots(&live(conn, Family::Manufacturer)?),
            weapons: roots(&live(conn, Family::Weapon)?),
            parts: roots(&live(conn, Family::Part)?),
        })
    }

    fn of(map: &HashMap<i64, i64>, id: i64) -> i64 {
        map.get(&id).copied().unwrap_or(id)
    }
}

impl<'c> Ingester<'c> {
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
            categorised: HashSet::new(),
            units: UnitCache::default(),
            copies: HashMap::new(),
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
            stats: Stats::default(),
        })
    }

    /// Records one finding with its evidence; a finding already in the catalogue is not added twice.
    pub fn record(&mut self, f: &Finding, extra: &[Evidence]) -> Result<Recorded> {
        self.record_prepared(&Prepared::new(f.clone(), extra.to_vec()))
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

    /// The stable id a new entity gets: the one carried from another catalogue, unless this
    /// catalogue already uses it, else a new one.
    fn uid_for(&self, table: &str, which: Carry) -> Result<String> {
        let carried = match which {
            Carry::Organisation => &self.carried.organisation,
            Carry::Weapon => &self.carried.weapon,
            Carry::Unit => &self.carried.unit,
            Carry::Part => &self.carried.part,
        };
        Ok(match carried {
            Some(u) if !self.uid_in_use(table, u)? => u.clone(),
            _ => new_uid(),
        })
    }

    fn uid_in_use(&self, table: &str, uid: &str) -> Result<bool> {
        // table names are the constants of the callers
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE uid = ?1)"
            ))?
            .query_row([uid], |r| r.get(0))?)
    }

    /// Records a finding whose keys and fingerprint were worked out beforehand (by `Prepared::new`,
    /// which a bulk import runs on another thread).
    pub fn record_prepared(&mut self, p: &Prepared) -> Result<Recorded> {
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
        let maker = match f.manufacturer() {
            Some(name) => Some(self.organisation(name, &p.maker_key, f.manufacturer_country())?),
            None => None,
        };
        let (weapon_spelling, weapon_id) = self.weapon(f)?;
        let unit = self.unit(f, weapon_id)?;
        let (part_spelling, _) = self.part(f, &p.part_key, maker.map(|(_, org)| org))?;
        let evidence = &p.evidence;
        // identical rows in one file are separate findings (two identical chips in one drone):
        // the k-th copy gets its own fingerprint, and the same file imported again gets the
        // same ones, so nothing is doubled. Only findings met more than once are counted, so
        // the count costs no memory for the rest.
        let mut copy = self.copies.get(&p.fingerprint).copied().unwrap_or(0);
        let mut uid_taken = false;
        let uid = loop {
            let fingerprint = match copy {
                0 => p.fingerprint,
                k => fingerprint(f, evidence, k),
            };
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
                f.get("marking"),
                f.get("date_code"),
                f.get("lot"),
                f.production_country(),
                f.manufacturer_country(),
                f.observed_on(),
                f.get("confidence"),
                f.get("investigator"),
                f.get("notes"),
                self.now,
                self.import_id,
                &fingerprint[..],
                f.part_number(),
                f.unit_serial(),
                f.found_on(),
            ])?;
            if added == 1 {
                if copy > 0 {
                    self.copies.insert(p.fingerprint, copy + 1);
                }
                break uid;
            }
            let Some((observation_id, observation_uid)): Option<(i64, String)> = self
                .sql
                .observation_by_fingerprint
                .query_row([&fingerprint[..]], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            else {
                // not this finding: another one holds the carried stable id
                uid_taken = true;
                self.stats.uids_reassigned += 1;
                continue;
            };
            if observation_id > self.last_observation_before {
                copy += 1; // written earlier in this run: this row is the next copy
                continue;
            }
            self.copies.insert(p.fingerprint, copy + 1);
            self.stats.already_present += 1;
            return Ok(Recorded {
                observation_id,
                observation_uid,
                was_new: false,
            });
        };
        let observation_id = self.conn.last_insert_rowid();
        self.stats.observations_added += 1;
        let mut sources = Vec::with_capacity(evidence.len());
        for e in evidence {
            sources.push(self.source(e)?);
        }
        // two mentions of one source in a finding link it once
        sources.sort_unstable();
        sources.dedup();
        for source in sources {
            self.sql
                .insert_link
                .execute(params![observation_id, source])?;
        }
        Ok(Recorded {
            observation_id,
            observation_uid: uid,
            was_new: true,
        })
    }

    /// Resolves a maker spelling to (spelling id, organisation id), creating what is new.
    fn organisation(&mut self, text: &str, key: &str, country: Option<&str>) -> Result<(i64, i64)> {
        let found = match self.orgs_by_text.get(text) {
            Some(&hit) => hit,
            None => {
                let hit = self.organisation_spelling(text, key, country)?;
                self.orgs_by_text.insert(text.to_string(), hit);
                hit
            }
        };
        self.reconcile_country(found.1, country)?;
        Ok(found)
    }

    fn organisation_spelling(
        &mut self,
        text: &str,
        key: &str,
        country: Option<&str>,
    ) -> Result<(i64, i64)> {
        if !self.empty.organisations {
            if let Some(hit) = self
                .sql
                .org_spelling_by_text
                .query_row([text], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                return Ok(hit);
            }
        }
        let org = match self.organisation_by_key(key)? {
            Some(org) => {
                self.stats.spellings_matched += 1;
                org
            }
            None => {
                self.stats.new_manufacturers += 1;
                // the brand as printed is the maker's name; a parenthesis ("Maxim Integrated
                // Products (Analog Devices)") names owners or aliases and stays in the spelling
                let uid = self.uid_for("organisation", Carry::Organisation)?;
                self.sql.insert_org.execute(params![
                    uid,
                    split_parenthesised(text).0,
                    country,
                    self.now
                ])?;
                let id = self.conn.last_insert_rowid();
                self.org_country.insert(id, country.map(str::to_string));
                if !key.is_empty() {
                    self.orgs_by_key.insert(key.to_string(), id);
                }
                id
            }
        };
        self.sql.insert_org_spelling.execute(params![
            org,
            text,
            key,
            self.now,
            Roots::of(&self.roots.organisations, org)
        ])?;
        Ok((self.conn.last_insert_rowid(), org))
    }

    fn organisation_by_key(&mut self, key: &str) -> Result<Option<i64>> {
        if key.is_empty() {
            return Ok(None); // a name that normalises to nothing never matches anything
        }
        if let Some(&org) = self.orgs_by_key.get(key) {
            return Ok(Some(org));
        }
        if self.empty.organisations {
            return Ok(None);
        }
        let org: Option<i64> = self
            .sql
            .org_by_key
            .query_row([key], |r| r.get(0))
            .optional()?;
        if let Some(org) = org {
            self.orgs_by_key.insert(key.to_string(), org);
        }
        Ok(org)
    }

    /// Fills in a maker's unknown country; a different country is counted, never overwritten.
    fn reconcile_country(&mut self, org: i64, country: Option<&str>) -> Result<()> {
        let Some(country) = country else {
            return Ok(());
        };
        let known = match self.org_country.get(&org) {
            Some(known) => known.clone(),
            None => {
                let known: Option<String> = self.sql.org_country.query_row([org], |r| r.get(0))?;
                self.org_country.insert(org, known.clone());
                known
            }
        };
        match known.as_deref() {
            Some(k) if k == country => {}
            Some(_) => self.stats.country_conflicts += 1,
            None => {
                self.sql.set_org_country.execute(params![org, country])?;
                self.org_country.insert(org, Some(country.to_string()));
            }
        }
        Ok(())
    }

    /// Resolves the weapon model of a finding to (spelling id, weapon id).
    fn weapon(&mut self, f: &Finding) -> Result<(i64, i64)> {
        let text = f.weapon();
        let hit = match self.weapons_by_text.get(text) {
            Some(&hit) => hit,
            None => {
                let hit = self.weapon_spelling(f)?;
                self.weapons_by_text.insert(text.to_string(), hit);
                hit
            }
        };
        let brings_news = (f.weapon_origin_country().is_some() || f.weapon_type().is_some())
            && self.weapons_facts_filled.insert((
                hit.1,
                f.weapon_origin_country().map(str::to_string),
                f.weapon_type().map(str::to_string),
            ));
        if brings_news {
            // fill in what the catalogue does not know yet; never overwrite what it does
            self.sql.fill_weapon_facts.execute(params![
                hit.1,
                f.weapon_origin_country(),
                f.weapon_type()
            ])?;
        }
        Ok(hit)
    }

    fn weapon_spelling(&mut self, f: &Finding) -> Result<(i64, i64)> {
        let text = f.weapon();
        if !self.empty.weapons {
            if let Some(hit) = self
                .sql
                .weapon_spelling_by_text
                .query_row([text], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                return Ok(hit);
            }
        }
        let key = weapon_key(text);
        let existing = if key.is_empty() {
            None
        } else if let Some(&w) = self.weapons_by_key.get(&key) {
            Some(w)
        } else if self.empty.weapons {
            None
        } else {
            self.sql
                .weapon_by_key
                .query_row([&key], |r| r.get(0))
                .optional()?
        };
        let weapon = match existing {
            Some(w) => {
                self.stats.spellings_matched += 1;
                w
            }
            None => {
                self.stats.new_weapons += 1;
                let name = self.weapon_display_name(text);
                let uid = self.uid_for("weapon", Carry::Weapon)?;
                self.sql.insert_weapon.execute(params![
                    uid,
                    name,
                    f.weapon_origin_country(),
                    f.weapon_type(),
                    self.now
                ])?;
                self.conn.last_insert_rowid()
            }
        };
        if !key.is_empty() {
            self.weapons_by_key.insert(key.clone(), weapon);
        }
        self.sql.insert_weapon_spelling.execute(params![
            weapon,
            text,
            key,
            self.now,
            Roots::of(&self.roots.weapons, weapon)
        ])?;
        Ok((self.conn.last_insert_rowid(), weapon))
    }

    /// The recovered unit a finding describes, when it names a serial, a date or a place.
    fn unit(&mut self, f: &Finding, weapon: i64) -> Result<Option<i64>> {
        // the row's own columns first, then what the published label says
        let label = self.label(f.weapon());
        let serial = f.unit_serial().or(label.serial.as_deref());
        let found_on = f
            .found_on()
            .or(label.date.as_deref().filter(|_| label.date_is_recovery));
        let from_label = label.names_a_unit();
        if serial.is_none() && found_on.is_none() && f.found_at().is_none() && !from_label {
            return Ok(None);
        }
        let key = format!(
            "{weapon}\u{1f}{}\u{1f}{}\u{1f}{}",
            serial.unwrap_or_default(),
            found_on.unwrap_or_default(),
            f.found_at().unwrap_or_default()
        );
        let known = self.units.key_of(&key);
        if let Some(id) = self.units.get(known) {
            return Ok(Some(id));
        }
        let label_text = from_label.then_some(f.weapon());
        let note = label
            .note
            .as_deref()
            .or(label.date.as_deref().filter(|_| !label.date_is_recovery));
        let uid = self.uid_for("weapon_unit", Carry::Unit)?;
        let added = self.sql.insert_unit.execute(params![
            uid,
            weapon,
            serial,
            found_on,
            f.found_at(),
            key,
            self.now,
            label_text,
            note,
            Roots::of(&self.roots.weapons, weapon)
        ])?;
        let id = if added == 0 {
            self.sql.unit_by_key.query_row([&key], |r| r.get(0))?
        } else {
            self.stats.new_units += 1;
            if from_label {
                self.stats.units_from_labels += 1;
            }
            self.conn.last_insert_rowid()
        };
        self.units.remember(known, id);
        Ok(Some(id))
    }

    /// A weapon label taken apart, once per distinct label.
    fn label(&mut self, text: &str) -> Rc<WeaponLabel> {
        if let Some(l) = self.labels.get(text) {
            return Rc::clone(l);
        }
        let l = Rc::new(labels::parse(text, Reference::get()));
        if l.kept_whole {
            self.stats.labels_kept_whole += 1;
        }
        self.labels.insert(text.to_string(), Rc::clone(&l));
        l
    }

    /// The name a new weapon model gets: the designation list's name for it, else the model
    /// its label names.
    fn weapon_display_name(&mut self, text: &str) -> String {
        let refs = Reference::get();
        let model = self.label(text).model.clone();
        let w = crate::matching::weapons::analyse(&model, refs);
        match w.aliases.as_slice() {
            [one] => refs.weapon_name(*one).to_string(),
            _ => model,
        }
    }

    /// Resolves the part of a finding (by its part number, else its component name, and its
    /// maker) to (spelling id, part id).
    fn part(&mut self, f: &Finding, key: &str, maker: Option<i64>) -> Result<(i64, i64)> {
        let (text, kind) = match (f.part_number(), f.component()) {
            (Some(pn), _) => (pn, "part_number"),
            (None, Some(name)) => (name, "name"),
            (None, None) => {
                unreachable!("Finding::from_fields requires a component or part number")
            }
        };
        let by_text = (maker, text.to_string());
        if let Some(&hit) = self.parts_by_text.get(&by_text) {
            self.fill_category(hit.1, f.category())?;
            return Ok(hit);
        }
        let hit = self.part_spelling(f, maker, text, key, kind)?;
        self.parts_by_text.insert(by_text, hit);
        Ok(hit)
    }

    fn part_spelling(
        &mut self,
        f: &Finding,
        maker: Option<i64>,
        text: &str,
        key: &str,
        kind: &str,
    ) -> Result<(i64, i64)> {
        if !self.empty.parts {
            if let Some(hit) = self
                .sql
                .part_spelling_by_text
                .query_row(params![text, maker, key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                self.fill_category(hit.1, f.category())?;
                return Ok(hit);
            }
        }
        let part = match self.part_by_key(maker, key)? {
            Some(p) => {
                self.stats.spellings_matched += 1;
                self.fill_category(p, f.category())?;
                p
            }
            None => {
                self.stats.new_parts += 1;
                let name = f.component().unwrap_or(text);
                let uid = self.uid_for("part", Carry::Part)?;
                self.sql.insert_part.execute(params![
                    uid,
                    maker,
                    f.part_number(),
                    name,
                    f.category(),
                    self.now,
                    maker.map(|m| Roots::of(&self.roots.organisations, m))
                ])?;
                let id = self.conn.last_insert_rowid();
                if f.category().is_some() {
                    self.categorised.insert(id);
                }
                if !key.is_empty() {
                    self.parts_by_key.insert((maker, key.to_string()), id);
                }
                id
            }
        };
        self.sql.insert_part_spelling.execute(params![
            part,
            text,
            key,
            kind,
            self.now,
            Roots::of(&self.roots.parts, part)
        ])?;
        Ok((self.conn.last_insert_rowid(), part))
    }

    fn part_by_key(&mut self, maker: Option<i64>, key: &str) -> Result<Option<i64>> {
        if key.is_empty() {
            return Ok(None);
        }
        let lookup = (maker, key.to_string());
        if let Some(&p) = self.parts_by_key.get(&lookup) {
            return Ok(Some(p));
        }
        if self.empty.parts {
            return Ok(None);
        }
        let found: Option<i64> = self
            .sql
            .part_by_key
            .query_row(params![key, maker], |r| r.get(0))
            .optional()?;
        if let Some(p) = found {
            self.parts_by_key.insert(lookup, p);
        }
        Ok(found)
    }

    /// Gives a part the category a finding names when it has none; never overwrites one.
    fn fill_category(&mut self, part: i64, category: Option<&str>) -> Result<()> {
        if let Some(c) = category {
            if self.categorised.insert(part) {
                self.sql.fill_category.execute(params![part, c])?;
            }
        }
        Ok(())
    }

    fn source(&mut self, e: &Evidence) -> Result<i64> {
        let key = e.key();
        let uid = match &e.uid {
            Some(u) if !self.uid_in_use("source", u)? => u.clone(),
            _ => new_uid(),
        };
        let added = self
            .sql
            .insert_source
            .execute(params![
                uid,
                e.kind,
                e.url,
                e.file_name,
                e.sha256,
                e.publisher,
                e.title,
                e.date,
                key,
                self.now
            ])
            .context("recording a source")?;
        if added == 0 {
            return Ok(self.sql.source_by_key.query_row([&key], |r| r.get(0))?);
        }
        self.stats.new_sources += 1;
        Ok(self.conn.last_insert_rowid())
    }
}

/// The tables an ingest run writes to.
const WRITTEN_TABLES: &[&str] = &[
    "organisation",
    "organisation_spelling",
    "weapon",
    "weapon_spelling",
    "weapon_unit",
    "part",
    "part_spelling",
    "source",
    "observation",
    "observation_source",
];

/// Secondary indexes dropped for a bulk load, to be built again from their own SQL once the
/// rows are in: SQLite builds an index from sorted keys several times faster than it keeps one
/// up to date through a million inserts in random key order. Dropping and building happen in
/// the import's transaction, so an import that fails or is killed leaves every index as it was.
#[derive(Debug, Default)]
pub struct DeferredIndexes {
    create_sql: Vec<String>,
}

/// Drops the non-unique indexes of the tables an ingest writes, except those the ingest itself
/// reads: the key indexes of entity families that already hold rows.
pub fn defer_indexes(conn: &Connection) -> Result<DeferredIndexes> {
    let empty = EmptyAtStart::read(conn)?;
    let read_by_ingest = [
        ("organisation_spelling_key", !empty.organisations),
        ("weapon_spelling_key", !empty.weapons),
        ("part_spelling_key", !empty.parts),
    ];
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
           AND tbl_name IN (SELECT value FROM json_each(?1))
         ORDER BY name",
    )?;
    let indexes: Vec<(String, String)> = stmt
        .query_map([serde_json::to_string(WRITTEN_TABLES)?], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut deferred = DeferredIndexes::default();
    for (name, sql) in indexes {
        if read_by_ingest.iter().any(|(n, used)| *n == name && *used) {
            continue;
        }
        // the name comes from sqlite_schema; quoted, it cannot be read as anything but a name
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        deferred.create_sql.push(sql);
    }
    Ok(deferred)
}

impl DeferredIndexes {
    /// Builds again every index `defer_indexes` dropped.
    pub fn rebuild(self, conn: &Connection) -> Result<()> {
        for sql in self.create_sql {
            conn.execute_batch(&sql)
                .with_context(|| format!("rebuilding an index: {sql}"))?;
        }
        Ok(())
    }
}

/// Recomputes every spelling's normalised key with the current key functions (run by the
/// migration that changed them).
pub fn rekey(conn: &Connection) -> Result<()> {
    type KeyOf = fn(&str) -> String;
    let families: [(&str, KeyOf); 3] = [
        ("organisation_spelling", company_key),
        ("weapon_spelling", weapon_key),
        ("part_spelling", code_key),
    ];
    for (table, key_of) in families {
        // table names are the constants above
        let rows: Vec<(i64, String, String)> = conn
            .prepare(&format!("SELECT id, text, key FROM {table}"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = conn.prepare(&format!("UPDATE {table} SET key = ?2 WHERE id = ?1"))?;
        for (id, text, old) in rows {
            let key = key_of(&text);
            if key != old {
                update.execute(params![id, key])?;
            }
        }
    }
    Ok(())
}

/// What makes two findings the same observation: what was seen, in what, and per which sources
/// — the identifying fields of FIELDS as stated (before any label is taken apart), with runs of
/// white space read as one space, and the keys of all its sources. Notes, confidence and the
/// investigator's name may be edited between imports and do not count.
pub fn fingerprint(f: &Finding, evidence: &[Evidence], copy: u32) -> [u8; 16] {
    fingerprint_with_keys(f, evidence.iter().map(Evidence::key).collect(), copy)
}

/// `fingerprint`, given the keys of the finding's sources.
pub fn fingerprint_with_keys(f: &Finding, mut keys: Vec<String>, copy: u32) -> [u8; 16] {
    let mut h = Sha256::new();
    let identifying = f.values().filter(|(field, _)| field.identifies);
    for value in identifying.map(|(_, value)| value) {
        for (i, word) in value.unwrap_or("").split_whitespace().enumerate() {
            if i > 0 {
                h.update(b" ");
            }
            h.update(word.as_bytes());
        }
        h.update([0x1f]);
    }
    keys.sort();
    for k in keys {
        h.update(k.as_bytes());
        h.update([0x1e]);
    }
    if copy > 0 {
        h.update(format!("\u{1d}copy {copy}").as_bytes());
    }
    let digest = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}
