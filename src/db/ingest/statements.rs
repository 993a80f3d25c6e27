//! The SQL statements an ingest run executes per row, prepared once when the run begins.
//!
//! Only the statement texts and their preparation live here: nothing here runs one. What is
//! bound to them, and in what order they run, is the ingester's (mod.rs, resolve.rs); the
//! parameter numbers are each statement's contract with its caller, so change both together.

use anyhow::Result;
use rusqlite::{Connection, Statement};

/// Every statement an ingest run uses, prepared once: a run executes them millions of times,
/// and looking each up by its text in a statement cache costs as much as running it.
pub(super) struct Statements<'c> {
    pub(super) org_spelling_by_text: Statement<'c>,
    pub(super) org_by_key: Statement<'c>,
    pub(super) insert_org: Statement<'c>,
    pub(super) insert_org_spelling: Statement<'c>,
    pub(super) org_country: Statement<'c>,
    pub(super) set_org_country: Statement<'c>,
    pub(super) weapon_spelling_by_text: Statement<'c>,
    pub(super) weapon_by_key: Statement<'c>,
    pub(super) insert_weapon: Statement<'c>,
    pub(super) insert_weapon_spelling: Statement<'c>,
    pub(super) fill_weapon_facts: Statement<'c>,
    pub(super) insert_unit: Statement<'c>,
    pub(super) unit_by_key: Statement<'c>,
    pub(super) part_spelling_by_text: Statement<'c>,
    pub(super) part_by_key: Statement<'c>,
    pub(super) insert_part: Statement<'c>,
    pub(super) insert_part_spelling: Statement<'c>,
    pub(super) fill_category: Statement<'c>,
    pub(super) insert_source: Statement<'c>,
    pub(super) source_by_key: Statement<'c>,
    pub(super) insert_observation: Statement<'c>,
    pub(super) observation_by_fingerprint: Statement<'c>,
    pub(super) insert_link: Statement<'c>,
}

impl<'c> Statements<'c> {
    pub(super) fn prepare(conn: &'c Connection) -> Result<Statements<'c>> {
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
                "INSERT INTO weapon_unit (uid, weapon_id, serial, found_on, found_at, key, created_at, origin_weapon_id, label, note,
                    produced_from, produced_to, produced_as, used_on)
                 VALUES (?1, ?10, ?3, ?4, ?5, ?6, ?7, ?2, ?8, ?9, ?11, ?12, ?13, ?14)
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
                "INSERT INTO part (uid, manufacturer_id, part_number, name, category, created_at, origin_manufacturer_id, unidentified)
                 VALUES (?1, ?7, ?3, ?4, ?5, ?6, ?2, ?8)",
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
                    notes, logged_at, import_id, fingerprint, stated_part_number, stated_unit_serial, stated_found_on,
                    quantity, stated_found_at, stated_unit_produced, stated_unit_used_on, marking_date_code,
                    stated_category)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                    ?22, ?23, ?24, ?25, ?26, ?27)
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
