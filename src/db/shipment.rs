//! Shipment records (`shipments import`): each kept as its file stated it, and a supply link
//! from its exporter to its importer. Part numbers and brands are resolved to catalogue parts
//! and makers by exact normalised keys only; a number that matches no part, or several, is
//! left unjoined and listed for review with the parts whose keys begin alike. Never joined on
//! similarity.

use std::collections::HashMap;

use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::ingest::Evidence;
use super::new_uid;
use super::query::find_organisations;
use crate::finding::Citation;
use crate::normalize::{code_key, company_key};
use crate::shipment::Shipment;

/// How a record's part number was resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum PartMatch {
    /// One part has this key (with the brand's maker, when a brand was given)
    One(i64),
    /// No part number stated
    None,
    /// No part has the key; the parts whose keys begin alike, for review
    Unknown(Vec<String>),
    /// Several parts have the key (the brand does not tell them apart)
    Several(Vec<String>),
}

/// What a run did, for the summary.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    pub rows: u64,
    pub added: u64,
    pub already_present: u64,
    pub joined_to_parts: u64,
    pub brand_only: u64,
    pub unlinked: u64,
    /// (line, part number as stated, what it resembles or collides with), the first few
    pub review: Vec<(u64, String, String)>,
    pub review_total: u64,
}

/// Rows to review that a summary names; past these only the count grows.
const REVIEW_SHOWN: usize = 10;

/// Writes a run's records inside the caller's transaction, caching what names resolve to.
pub struct Writer<'c> {
    conn: &'c Connection,
    now: String,
    import_id: i64,
    organisations: HashMap<String, i64>,
    brands: HashMap<String, Option<i64>>,
    parts: HashMap<(String, Option<i64>), PartMatch>,
    pub stats: Stats,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, now: String, import_id: i64) -> Writer<'c> {
        Writer {
            conn,
            now,
            import_id,
            organisations: HashMap::new(),
            brands: HashMap::new(),
            parts: HashMap::new(),
            stats: Stats::default(),
        }
    }

    /// Records one shipment (once: a record already here adds nothing) and its link.
    pub fn record(&mut self, s: &Shipment, line: u64) -> Result<()> {
        self.stats.rows += 1;
        let exporter = self.organisation(s, "exporter", line)?;
        let importer = self.organisation(s, "importer", line)?;
        let source = self.source(s)?;
        let uid = new_uid();
        let added = self.conn.prepare_cached(
            "INSERT INTO shipment (uid, shipped_on, hs_code, description, part_number, brand, quantity, value,
                currency, exporter_id, exporter_country, importer_id, importer_country, source_id, import_id,
                fingerprint, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (fingerprint) DO NOTHING",
        )?
        .execute(params![
            uid, s.get("date"), s.get("hs_code"), s.get("description"), s.get("part_number"),
            s.get("brand"), s.quantity(), s.value(), s.get("currency"), exporter,
            s.get("exporter_country"), importer, s.get("importer_country"), source, self.import_id,
            &s.fingerprint()[..], self.now
        ])?;
        if added == 0 {
            self.stats.already_present += 1;
            return Ok(());
        }
        self.stats.added += 1;
        let shipment = self.conn.last_insert_rowid();
        let brand = match s.get("brand") {
            Some(b) => self.brand(b)?,
            None => None,
        };
        let part = match s.get("part_number") {
            Some(pn) => self.part(pn, brand)?,
            None => PartMatch::None,
        };
        let part_id = match &part {
            PartMatch::One(id) => Some(*id),
            PartMatch::Unknown(like) | PartMatch::Several(like) => {
                self.note_review(line, s.get("part_number").unwrap_or_default(), &part, like);
                None
            }
            PartMatch::None => None,
        };
        match (part_id, brand) {
            (Some(_), _) => self.stats.joined_to_parts += 1,
            (None, Some(_)) => self.stats.brand_only += 1,
            (None, None) => {
                // a link must say what moved: a part or a maker's brand
                self.stats.unlinked += 1;
                return Ok(());
            }
        }
        self.link(s, shipment, exporter, importer, part_id, brand, source)
    }

    #[allow(clippy::too_many_arguments)]
    fn link(
        &self,
        s: &Shipment,
        shipment: i64,
        exporter: i64,
        importer: i64,
        part: Option<i64>,
        brand: Option<i64>,
        source: Option<i64>,
    ) -> Result<()> {
        self.conn.prepare_cached(
            "INSERT INTO supply_link (uid, from_organisation_id, from_role, from_country, to_organisation_id,
                to_role, to_country, part_id, brand_id, quantity, value, currency, moved_on, how_known,
                shipment_id, recorded_at)
             VALUES (?1, ?2, 'exporter', ?3, ?4, 'importer', ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'customs', ?12, ?13)",
        )?
        .execute(params![
            new_uid(), exporter, s.get("exporter_country"), importer, s.get("importer_country"),
            part, if part.is_some() { None } else { brand }, s.quantity(), s.value(),
            s.get("currency"), s.get("date"), shipment, self.now
        ])?;
        if let Some(source) = source {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO supply_link_source (supply_link_id, source_id) VALUES (?1, ?2)")?
                .execute(params![self.conn.last_insert_rowid(), source])?;
        }
        Ok(())
    }

    fn note_review(&mut self, line: u64, stated: &str, m: &PartMatch, like: &[String]) {
        self.stats.review_total += 1;
        if self.stats.review.len() < REVIEW_SHOWN {
            let what = match m {
                PartMatch::Several(_) => format!("several parts: {}", like.join(", ")),
                _ if like.is_empty() => "no part in the catalogue".to_string(),
                _ => format!("no part; similar: {}", like.join(", ")),
            };
            self.stats.review.push((line, stated.to_string(), what));
        }
    }

    /// The exporter or importer, resolved as makers are (exact spelling or key), else added;
    /// of a merge, the organisation its spelling was written for.
    fn organisation(&mut self, s: &Shipment, column: &str, line: u64) -> Result<i64> {
        let name = s.get(column).expect("checked: required");
        if let Some(&id) = self.organisations.get(name) {
            return Ok(id);
        }
        let found = find_organisations(self.conn, name)?;
        let id = match found.as_slice() {
            // the link keeps the organisation the name was written for, so an unmerge moves it back
            [one] => super::trace::stated_organisation(self.conn, name, one.id)?,
            [] => self.new_organisation(name, s.get(&format!("{column}_country")), "other")?,
            many => bail!(
                "{line}: column '{column}': '{name}' names {} organisations ({}); merge them or write the name as one of them is spelled; nothing was imported",
                many.len(),
                many.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        self.organisations.insert(name.to_string(), id);
        Ok(id)
    }

    /// A brand's maker by exact spelling or key; a brand new to the catalogue is added as a
    /// maker; one that names several is left out (None).
    fn brand(&mut self, brand: &str) -> Result<Option<i64>> {
        if let Some(&hit) = self.brands.get(brand) {
            return Ok(hit);
        }
        let found = find_organisations(self.conn, brand)?;
        let hit = match found.as_slice() {
            [one] => Some(one.id),
            [] => Some(self.new_organisation(brand, None, "manufacturer")?),
            _ => None,
        };
        self.brands.insert(brand.to_string(), hit);
        Ok(hit)
    }

    fn new_organisation(&self, name: &str, country: Option<&str>, role: &str) -> Result<i64> {
        self.conn.prepare_cached(
            "INSERT INTO organisation (uid, name, role, country, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![new_uid(), name, role, country, self.now])?;
        let id = self.conn.last_insert_rowid();
        self.conn.prepare_cached(
            "INSERT INTO organisation_spelling (organisation_id, text, key, created_at, origin_organisation_id)
             VALUES (?1, ?2, ?3, ?4, ?1)",
        )?
        .execute(params![id, name, company_key(name), self.now])?;
        Ok(id)
    }

    /// The part a part number names by its exact key (among the brand's maker's parts when
    /// a brand resolved).
    fn part(&mut self, number: &str, brand: Option<i64>) -> Result<PartMatch> {
        let cache_key = (number.to_string(), brand);
        if let Some(hit) = self.parts.get(&cache_key) {
            return Ok(hit.clone());
        }
        let key = code_key(number);
        let hit = if key.is_empty() {
            PartMatch::Unknown(Vec::new())
        } else {
            let roots: Vec<(i64, String)> = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT r.id, coalesce(r.part_number, r.name) FROM part_spelling s
                     JOIN part p ON p.id = s.part_id JOIN part r ON r.id = coalesce(p.merged_into, p.id)
                     WHERE s.key = ?1 AND (?2 IS NULL OR r.manufacturer_id = ?2) ORDER BY r.id LIMIT 6",
                )?
                .query_map(params![key, brand], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            match roots.as_slice() {
                [(one, _)] => PartMatch::One(*one),
                [] => PartMatch::Unknown(self.alike(&key)?),
                many => PartMatch::Several(many.iter().map(|(_, n)| n.clone()).collect()),
            }
        };
        self.parts.insert(cache_key, hit.clone());
        Ok(hit)
    }

    /// Part spellings whose key begins with the first six characters of `key` (or all of a
    /// shorter one): candidates for a person to look at, never joined.
    fn alike(&self, key: &str) -> Result<Vec<String>> {
        let prefix: String = key.chars().take(6).collect();
        let rows = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT text FROM part_spelling WHERE key >= ?1 AND key < ?1 || char(1114111)
                 ORDER BY text LIMIT 5",
            )?
            .query_map([prefix], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The record's source, found or added by the key findings' sources have.
    fn source(&self, s: &Shipment) -> Result<Option<i64>> {
        let citation = Citation {
            publisher: s.get("source_publisher").map(str::to_string),
            title: s.get("source_title").map(str::to_string),
            url: s.get("source_url").map(str::to_string),
            date: s.get("source_date").map(str::to_string),
        };
        cited_source(self.conn, &citation, &self.now)
    }
}

/// The source a citation names, found by the key findings' sources have, else added; None
/// when the citation is empty.
pub(crate) fn cited_source(
    conn: &Connection,
    citation: &Citation,
    now: &str,
) -> Result<Option<i64>> {
    let Some(e) = Evidence::from_citation(citation) else {
        return Ok(None);
    };
    let key = e.key();
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM source WHERE key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?
    {
        return Ok(Some(id));
    }
    conn.prepare_cached(
        "INSERT INTO source (uid, kind, url, publisher, title, published_on, key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new_uid(),
        e.kind,
        e.url,
        e.publisher,
        e.title,
        e.date,
        key,
        now
    ])?;
    Ok(Some(conn.last_insert_rowid()))
}
