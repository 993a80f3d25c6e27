//! Resolving a finding's names to entities: maker, weapon model, recovered unit, part and
//! source, each by its exact text, then its normalised key, creating what is new.
//!
//! Never by fuzzy similarity: a spelling joins an entity only when its text or key is already
//! known (merges are judgements made later, db/merge.rs). Nothing here writes an observation.

use std::rc::Rc;

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension};

use super::caches::Roots;
use super::prepared::PartBasis;
use super::uids::Carry;
use super::{Evidence, Ingester};
use crate::dates::{self, Produced};
use crate::db::new_uid;
use crate::finding::Finding;
use crate::matching::labels::{self, WeaponLabel};
use crate::matching::parties::{maker_of, readable_name};
use crate::matching::reference::Reference;
use crate::normalize::{company_key, split_parenthesised, unidentified_name, weapon_key};

/// What a finding says of the recovered unit it was seen in: each of its row's own columns,
/// else what its weapon label says; None when neither names a unit.
pub(super) struct UnitFacts<'a> {
    pub(super) serial: Option<&'a str>,
    pub(super) found_on: Option<&'a str>,
    pub(super) found_at: Option<&'a str>,
    pub(super) produced: Option<Produced>,
    pub(super) used_on: Option<&'a str>,
}

impl<'a> UnitFacts<'a> {
    pub(super) fn of(f: &'a Finding, label: &'a WeaponLabel) -> Option<UnitFacts<'a>> {
        let facts = UnitFacts {
            serial: f.unit_serial().or(label.serial.as_deref()),
            found_on: f.found_on().or(label.found_on.as_deref()),
            found_at: f.found_at().or(label.found_at.as_deref()),
            // checked when the finding was read; a value that no longer reads is left out
            produced: f
                .unit_produced()
                .and_then(|t| dates::produced(t).ok())
                .or_else(|| label.produced.clone()),
            used_on: f.unit_used_on().or(label.used_on.as_deref()),
        };
        let any = facts.serial.is_some()
            || facts.found_on.is_some()
            || facts.found_at.is_some()
            || facts.produced.is_some()
            || facts.used_on.is_some();
        any.then_some(facts)
    }

    /// What makes two units one: the model (its origin) and these facts.
    pub(super) fn key(&self, weapon: i64) -> String {
        let mut key = format!(
            "{weapon}\u{1f}{}\u{1f}{}\u{1f}{}",
            self.serial.unwrap_or_default(),
            self.found_on.unwrap_or_default(),
            self.found_at.unwrap_or_default()
        );
        if self.produced.is_some() || self.used_on.is_some() {
            // only then: units keyed before schema v7 keep their keys. The interval, not the
            // wording, so "2023-Q1" in a row and "1Q2023" in a label name one unit
            let (from, to) = self.produced.as_ref().map_or(("", ""), |p| {
                (p.from.as_str(), p.to.as_deref().unwrap_or_default())
            });
            key.push_str(&format!(
                "\u{1f}{from}/{to}\u{1f}{}",
                self.used_on.unwrap_or_default()
            ));
        }
        key
    }
}

impl Ingester<'_> {
    /// Resolves a maker spelling to (spelling id, organisation id), creating what is new.
    pub(super) fn organisation(
        &mut self,
        text: &str,
        key: &str,
        country: Option<&str>,
    ) -> Result<(i64, i64)> {
        let found = match self.orgs_by_text.get(text) {
            Some(&hit) => hit,
            None => {
                let hit = self.organisation_spelling(text, key, country, None)?;
                self.orgs_by_text.insert(text.to_string(), hit);
                hit
            }
        };
        self.reconcile_country(found.1, text, country)?;
        Ok(found)
    }

    /// Resolves a company a maker label names besides its maker (a supplier, an importer) to
    /// (spelling id, organisation id): one organisation table for every role, so the same
    /// exact-key rules; a new one is named readably and is not counted as a maker.
    pub(super) fn party_organisation(&mut self, text: &str) -> Result<(i64, i64)> {
        if let Some(&hit) = self.orgs_by_text.get(text) {
            return Ok(hit);
        }
        let hit =
            self.organisation_spelling(text, &company_key(text), None, Some(&readable_name(text)))?;
        self.orgs_by_text.insert(text.to_string(), hit);
        Ok(hit)
    }

    /// `party_name` is the name a new organisation gets when it is not a maker (None: the
    /// maker named by the label, counted as a new manufacturer).
    fn organisation_spelling(
        &mut self,
        text: &str,
        key: &str,
        country: Option<&str>,
        party_name: Option<&str>,
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
                // the brand as printed is the maker's name; a parenthesis ("Maxim Integrated
                // Products (Analog Devices)") names owners or aliases and stays in the spelling,
                // as do the suppliers a published label names after the maker
                let name = match party_name {
                    Some(name) => name,
                    None => {
                        self.stats.new_manufacturers += 1;
                        split_parenthesised(maker_of(text)).0
                    }
                };
                // a stable id carried from another catalogue is its maker's, never a party's
                let uid = match party_name {
                    Some(_) => self.party_uid(text)?,
                    None => self.uid_for("organisation", Carry::Organisation)?,
                };
                self.sql
                    .insert_org
                    .execute(params![uid, name, country, self.now])?;
                let id = self.conn.last_insert_rowid();
                if party_name.is_some() {
                    // first met in a chain, not as a maker: its roles are on its links
                    self.conn
                        .execute("UPDATE organisation SET role = 'other' WHERE id = ?1", [id])?;
                }
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

    /// Fills in a maker's unknown country; a different country is counted (with the spelling
    /// and line for the summary), never overwritten.
    fn reconcile_country(&mut self, org: i64, text: &str, country: Option<&str>) -> Result<()> {
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
            Some(kept) => {
                let conn = self.conn;
                self.stats
                    .country_conflicts
                    .add(org, country, self.line, || {
                        let maker: String = conn.query_row(
                            "SELECT name FROM organisation WHERE id = ?1",
                            [org],
                            |r| r.get(0),
                        )?;
                        Ok((text.to_string(), maker, kept.to_string()))
                    })?
            }
            None => {
                self.sql.set_org_country.execute(params![org, country])?;
                self.org_country.insert(org, Some(country.to_string()));
            }
        }
        Ok(())
    }

    /// Resolves the weapon model of a finding to (spelling id, weapon id).
    pub(super) fn weapon(&mut self, f: &Finding) -> Result<(i64, i64)> {
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

    /// The recovered unit a finding describes, when its row or its weapon label names a serial,
    /// or when or where the unit was recovered, built or used.
    pub(super) fn unit(&mut self, f: &Finding, weapon: i64) -> Result<Option<i64>> {
        let label = self.label(f.weapon());
        let Some(facts) = UnitFacts::of(f, &label) else {
            return Ok(None);
        };
        let key = facts.key(weapon);
        let known = self.units.key_of(&key);
        if let Some(id) = self.units.get(known) {
            return Ok(Some(id));
        }
        let from_label = label.names_a_unit();
        let label_text = from_label.then_some(f.weapon());
        let uid = self.uid_for("weapon_unit", Carry::Unit)?;
        let produced = facts.produced.as_ref();
        let added = self.sql.insert_unit.execute(params![
            uid,
            weapon,
            facts.serial,
            facts.found_on,
            facts.found_at,
            key,
            self.now,
            label_text,
            label.note,
            Roots::of(&self.roots.weapons, weapon),
            produced.map(|p| &p.from),
            produced.and_then(|p| p.to.as_ref()),
            produced.map(|p| &p.stated),
            facts.used_on,
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
    pub(super) fn label(&mut self, text: &str) -> Rc<WeaponLabel> {
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
    /// maker) to (spelling id, part id). A part number that names a family resolves by the
    /// code its component text carries, or to a part of the finding's own (`basis`); its
    /// spelling is still the text the row stated.
    pub(super) fn part(
        &mut self,
        f: &Finding,
        key: &str,
        basis: &PartBasis,
        maker: Option<i64>,
    ) -> Result<(i64, i64)> {
        let (text, kind) = match (f.part_number(), f.component()) {
            (Some(pn), _) => (pn, "part_number"),
            (None, Some(name)) => (name, "name"),
            (None, None) => {
                unreachable!("Finding::from_fields requires a component or part number")
            }
        };
        if *basis != PartBasis::Stated {
            // one family word (or one cut code) names many parts: its spellings are told
            // apart by their keys
            match basis {
                PartBasis::InText(_) => self.stats.identified_in_text += 1,
                PartBasis::Truncated(_) => self.stats.truncated_part_numbers += 1,
                _ => self.stats.kept_unidentified += 1,
            }
            let by_key = (maker, text.to_string(), key.to_string());
            if let Some(&hit) = self.family_spellings.get(&by_key) {
                self.fill_category(hit.1, f.category())?;
                return Ok(hit);
            }
            let hit = self.part_spelling(f, maker, text, key, kind, basis)?;
            self.family_spellings.insert(by_key, hit);
            return Ok(hit);
        }
        let by_text = (maker, text.to_string());
        if let Some(&hit) = self.parts_by_text.get(&by_text) {
            self.fill_category(hit.1, f.category())?;
            return Ok(hit);
        }
        let hit = self.part_spelling(f, maker, text, key, kind, basis)?;
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
        basis: &PartBasis,
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
                let (part_number, name) = match basis {
                    PartBasis::Stated => {
                        (f.part_number(), f.component().unwrap_or(text).to_string())
                    }
                    PartBasis::InText(code) | PartBasis::Truncated(code) => (
                        Some(code.as_str()),
                        f.component().unwrap_or(text).to_string(),
                    ),
                    PartBasis::Unidentified => (None, unidentified_name(text, f.manufacturer())),
                };
                let uid = self.uid_for("part", Carry::Part)?;
                self.sql.insert_part.execute(params![
                    uid,
                    maker,
                    part_number,
                    name,
                    f.category(),
                    self.now,
                    maker.map(|m| Roots::of(&self.roots.organisations, m)),
                    *basis == PartBasis::Unidentified
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

    pub(super) fn source(&mut self, e: &Evidence) -> Result<i64> {
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
