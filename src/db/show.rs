//! The full record of one part, weapon or manufacturer: its facts, every spelling it was logged
//! under, and what hangs on it, down to each observation's sources.

use anyhow::Result;
use rusqlite::Connection;

use super::query::{fields, listing, UNIT_COUNTS};
use super::source_archive::{ACCESSED_ON, ARCHIVE_FILE, ARCHIVE_SHA256};
use crate::table::Document;

/// Everything about one part: facts, spellings, each observation with its sources, and the sources.
pub fn part(conn: &Connection, id: i64) -> Result<Document> {
    // "identified" says whether the part is known by a code, or only as the family word its
    // one finding named (docs/matching.md, "Family words")
    let facts = fields(
        conn,
        &["uid", "part_number", "name", "category", "manufacturer", "manufacturer_country", "spellings", "identified"],
        "SELECT p.uid, p.part_number, p.name, p.category, m.name, m.country,
                (SELECT json_group_array(text ORDER BY text) FROM part_spelling WHERE part_id = p.id),
                CASE p.unidentified WHEN 1 THEN 'no: the part number names a family, technology or package and the component text carries no code' ELSE 'yes' END
         FROM part p LEFT JOIN organisation m ON m.id = p.manufacturer_id WHERE p.id = ?1",
        [id],
    )?;
    let observations = listing(
        conn,
        &[
            "uid",
            "weapon",
            "weapon_as_logged",
            "unit_serial",
            "found_on",
            "found_at",
            "logged_as",
            "manufacturer_as_logged",
            "marking",
            "date_code",
            "lot",
            "production_country",
            "confidence",
            "investigator",
            "notes",
            "logged_at",
            "retracted",
            "sources",
        ],
        // a retracted finding is shown, and says so: when, by whom and why
        "SELECT o.uid, w.name, ws.text, u.serial, u.found_on, u.found_at, ps.text, os.text,
                o.marking, o.date_code, o.lot, o.production_country, o.confidence, o.investigator,
                o.notes, o.logged_at,
                CASE o.retracted WHEN 1 THEN
                  (SELECT 'retracted ' || r.created_at || ' by ' || r.author || ': ' || r.reason FROM retraction r
                    WHERE r.observation_id = o.id ORDER BY r.id DESC LIMIT 1) END,
                (SELECT json_group_array(s.uid ORDER BY s.uid) FROM observation_source x
                  JOIN source s ON s.id = x.source_id WHERE x.observation_id = o.id)
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id
         LEFT JOIN weapon_unit u ON u.id = o.unit_id
         LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
         WHERE ps.part_id = ?1
         ORDER BY o.observed_on, o.id",
        [id],
    )?;
    let sources = sources_of(conn, "ps.part_id = ?1", id)?;
    Ok(Document {
        title: format!(
            "part {}",
            text_of(&facts, 1)
                .or(text_of(&facts, 2))
                .unwrap_or_default()
        ),
        fields: facts,
        sections: vec![("observations", observations), ("sources", sources)],
    })
}

/// Everything about one weapon model: its bill of parts, countries, units and sources.
pub fn weapon(conn: &Connection, id: i64) -> Result<Document> {
    let facts = fields(
        conn,
        &["uid", "name", "origin_country", "type", "spellings", "units", "observations"],
        &format!("SELECT w.uid, w.name, w.origin_country, w.type,
                (SELECT json_group_array(text ORDER BY text) FROM weapon_spelling WHERE weapon_id = w.id),
                (SELECT count(*) FROM weapon_unit u WHERE u.weapon_id = w.id AND {UNIT_COUNTS}),
                (SELECT count(*) FROM observation o JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
                  WHERE ws.weapon_id = w.id AND o.retracted = 0)
         FROM weapon w WHERE w.id = ?1"),
        [id],
    )?;
    let parts = listing(
        conn,
        &["part_uid", "part_number", "name", "category", "manufacturer", "country", "observations", "units"],
        "SELECT p.uid, p.part_number, p.name, p.category, m.name,
                coalesce(m.country, min(o.manufacturer_country)), count(*), count(DISTINCT o.unit_id)
         FROM observation o
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         WHERE ws.weapon_id = ?1 AND o.retracted = 0
         GROUP BY p.id
         ORDER BY m.name IS NULL, m.name COLLATE NOCASE, coalesce(p.part_number, p.name) COLLATE NOCASE, p.id",
        [id],
    )?;
    let countries = listing(
        conn,
        &[
            "country",
            "country_name",
            "manufacturers",
            "parts",
            "observations",
        ],
        "SELECT coalesce(o.manufacturer_country, m.country) AS hq, coalesce(c.name, 'unknown'),
                count(DISTINCT m.id), count(DISTINCT p.id), count(*)
         FROM observation o
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         LEFT JOIN country c ON c.code = coalesce(o.manufacturer_country, m.country)
         WHERE ws.weapon_id = ?1 AND o.retracted = 0
         GROUP BY hq
         ORDER BY count(*) DESC, hq IS NULL, hq",
        [id],
    )?;
    let units = listing(
        conn,
        &[
            "unit_uid",
            "serial",
            "found_on",
            "found_at",
            "produced",
            "used_on",
            "observations",
        ],
        "SELECT u.uid, u.serial, u.found_on, u.found_at, u.produced_as, u.used_on, count(o.id)
         FROM weapon_unit u LEFT JOIN observation o ON o.unit_id = u.id AND o.retracted = 0
         WHERE u.weapon_id = ?1 GROUP BY u.id ORDER BY u.found_on, u.serial, u.id",
        [id],
    )?;
    let sources = sources_of(conn, "ws.weapon_id = ?1", id)?;
    Ok(Document {
        title: format!("weapon {}", text_of(&facts, 1).unwrap_or_default()),
        fields: facts,
        sections: vec![
            ("parts", parts),
            ("countries", countries),
            ("units", units),
            ("sources", sources),
        ],
    })
}

/// Everything about one manufacturer: its parts and the weapons they were found in.
pub fn manufacturer(conn: &Connection, id: i64) -> Result<Document> {
    let facts = fields(
        conn,
        &["uid", "name", "role", "country", "country_name", "spellings"],
        "SELECT m.uid, m.name, m.role, m.country, c.name,
                (SELECT json_group_array(text ORDER BY text) FROM organisation_spelling WHERE organisation_id = m.id)
         FROM organisation m LEFT JOIN country c ON c.code = m.country WHERE m.id = ?1",
        [id],
    )?;
    let parts = listing(
        conn,
        &["part_uid", "part_number", "name", "category", "observations", "weapons", "first_seen", "last_seen"],
        "SELECT p.uid, p.part_number, p.name, p.category, count(o.id),
                json_group_array(DISTINCT w.name ORDER BY w.name), min(o.observed_on), max(o.observed_on)
         FROM part p
         JOIN part_spelling ps ON ps.part_id = p.id
         JOIN observation o ON o.part_spelling_id = ps.id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id
         WHERE p.manufacturer_id = ?1 AND o.retracted = 0
         GROUP BY p.id ORDER BY coalesce(p.part_number, p.name) COLLATE NOCASE, p.id",
        [id],
    )?;
    let weapons = listing(
        conn,
        &["weapon_uid", "weapon", "parts", "observations", "first_seen", "last_seen"],
        "SELECT w.uid, w.name, count(DISTINCT p.id), count(*), min(o.observed_on), max(o.observed_on)
         FROM part p
         JOIN part_spelling ps ON ps.part_id = p.id
         JOIN observation o ON o.part_spelling_id = ps.id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id
         WHERE p.manufacturer_id = ?1 AND o.retracted = 0
         GROUP BY w.id ORDER BY count(*) DESC, w.name COLLATE NOCASE, w.id",
        [id],
    )?;
    Ok(Document {
        title: format!("manufacturer {}", text_of(&facts, 1).unwrap_or_default()),
        fields: facts,
        sections: vec![("parts", parts), ("weapons", weapons)],
    })
}

/// The sources behind the observations selected by `condition` (on ps: part_spelling, ws:
/// weapon_spelling) that stand (not retracted), with how many of those observations each
/// supports.
fn sources_of(conn: &Connection, condition: &str, id: i64) -> Result<crate::table::Listing> {
    // `condition` is one of two constants above, never user text: the id is bound.
    let sql = format!(
        "SELECT s.uid, s.kind, s.publisher, s.title, s.published_on, s.url, s.file_name, s.sha256,
                {ACCESSED_ON}, {ARCHIVE_FILE}, {ARCHIVE_SHA256}, count(*)
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN observation_source x ON x.observation_id = o.id
         JOIN source s ON s.id = x.source_id
         WHERE o.retracted = 0 AND {condition}
         GROUP BY s.id ORDER BY s.published_on, s.publisher, s.title, s.id"
    );
    listing(
        conn,
        &[
            "uid",
            "kind",
            "publisher",
            "title",
            "date",
            "url",
            "file_name",
            "sha256",
            "accessed_on",
            "archive_file",
            "archive_sha256",
            "observations",
        ],
        &sql,
        [id],
    )
}

fn text_of(facts: &[(&'static str, crate::table::Cell)], i: usize) -> Option<String> {
    facts
        .get(i)
        .map(|(_, c)| c.text())
        .filter(|t| !t.is_empty())
}
