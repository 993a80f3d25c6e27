//! What the web pages (`comptrace serve`) read beyond the commands' queries: the evidence
//! files behind each part of a weapon or each finding of a part (for photo thumbnails), one
//! stored file by its hash (for its content type), and a recovered unit.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use super::query::{fields, listing};
use crate::table::Document;

/// A file in the evidence store, as a source names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    /// the name it had when logged (shown, never used as a path)
    pub file_name: Option<String>,
    /// photo, video, document, ... (`evidence::kind_of`)
    pub kind: String,
}

fn stored_file(r: &rusqlite::Row, at: usize) -> rusqlite::Result<StoredFile> {
    Ok(StoredFile {
        sha256: r.get(at)?,
        file_name: r.get(at + 1)?,
        kind: r.get(at + 2)?,
    })
}

/// The stored files behind the standing findings of each part found in a weapon, by part uid.
pub fn files_by_part_of_weapon(
    conn: &Connection,
    weapon_id: i64,
) -> Result<HashMap<String, Vec<StoredFile>>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT p.uid, s.sha256, s.file_name, s.kind
         FROM observation o
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         JOIN observation_source x ON x.observation_id = o.id
         JOIN source s ON s.id = x.source_id
         WHERE ws.weapon_id = ?1 AND o.retracted = 0 AND s.sha256 IS NOT NULL
         ORDER BY p.uid, s.id",
    )?;
    let rows = stmt.query_map(params![weapon_id], |r| {
        Ok((r.get::<_, String>(0)?, stored_file(r, 1)?))
    })?;
    group_by_first(rows)
}

/// The stored files behind each finding of a part (retracted ones too: the page says which
/// are retracted), by finding uid.
pub fn files_by_finding_of_part(
    conn: &Connection,
    part_id: i64,
) -> Result<HashMap<String, Vec<StoredFile>>> {
    let mut stmt = conn.prepare(
        "SELECT o.uid, s.sha256, s.file_name, s.kind
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN observation_source x ON x.observation_id = o.id
         JOIN source s ON s.id = x.source_id
         WHERE ps.part_id = ?1 AND s.sha256 IS NOT NULL
         ORDER BY o.uid, s.id",
    )?;
    let rows = stmt.query_map(params![part_id], |r| {
        Ok((r.get::<_, String>(0)?, stored_file(r, 1)?))
    })?;
    group_by_first(rows)
}

fn group_by_first(
    rows: impl Iterator<Item = rusqlite::Result<(String, StoredFile)>>,
) -> Result<HashMap<String, Vec<StoredFile>>> {
    let mut out: HashMap<String, Vec<StoredFile>> = HashMap::new();
    for row in rows {
        let (key, file) = row?;
        out.entry(key).or_default().push(file);
    }
    Ok(out)
}

/// The source that names a stored file (the first, when several name the same bytes); None
/// when no source names it, so the store's other files are never served.
pub fn stored_file_by_hash(conn: &Connection, sha256: &str) -> Result<Option<StoredFile>> {
    Ok(conn
        .query_row(
            "SELECT sha256, file_name, kind FROM source WHERE sha256 = ?1 ORDER BY id LIMIT 1",
            params![sha256],
            |r| stored_file(r, 0),
        )
        .optional()?)
}

/// The row id of the recovered unit with this uid.
pub fn unit_id(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM weapon_unit WHERE uid = ?1",
            params![uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// One recovered unit: its weapon, serial, where and when it was found, and every finding in
/// it with its part and maker.
pub fn unit(conn: &Connection, id: i64) -> Result<Document> {
    let facts = fields(
        conn,
        &[
            "uid", "weapon", "serial", "found_on", "found_at", "label", "note", "produced",
            "used_on",
        ],
        "SELECT u.uid, w.name, u.serial, u.found_on, u.found_at, u.label, u.note, u.produced_as,
                u.used_on
         FROM weapon_unit u JOIN weapon w ON w.id = u.weapon_id WHERE u.id = ?1",
        [id],
    )?;
    let findings = listing(
        conn,
        &[
            "uid",
            "part_uid",
            "part",
            "manufacturer",
            "country",
            "marking",
            "date_code",
            "retracted",
        ],
        "SELECT o.uid, p.uid, coalesce(p.part_number, p.name), m.name,
                coalesce(o.manufacturer_country, m.country), o.marking, o.date_code,
                CASE o.retracted WHEN 1 THEN 'retracted' END
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         WHERE o.unit_id = ?1
         ORDER BY m.name COLLATE NOCASE, coalesce(p.part_number, p.name) COLLATE NOCASE, o.id",
        [id],
    )?;
    let title = facts
        .iter()
        .find(|(name, _)| *name == "serial")
        .map(|(_, c)| c.text())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "without serial".to_string());
    Ok(Document {
        title: format!("unit {title}"),
        fields: facts,
        sections: vec![("findings", findings)],
    })
}

/// What a finding's names resolved to, for the page that confirms a finding was logged.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub part_uid: String,
    pub part: String,
    pub maker: Option<String>,
    pub weapon_uid: String,
    pub weapon: String,
}

pub fn finding_resolved(conn: &Connection, uid: &str) -> Result<Option<Resolved>> {
    Ok(conn
        .query_row(
            "SELECT p.uid, coalesce(p.part_number, p.name), m.name, w.uid, w.name
             FROM observation o
             JOIN part_spelling ps ON ps.id = o.part_spelling_id
             JOIN part p ON p.id = ps.part_id
             LEFT JOIN organisation m ON m.id = p.manufacturer_id
             JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
             JOIN weapon w ON w.id = ws.weapon_id
             WHERE o.uid = ?1",
            params![uid],
            |r| {
                Ok(Resolved {
                    part_uid: r.get(0)?,
                    part: r.get(1)?,
                    maker: r.get(2)?,
                    weapon_uid: r.get(3)?,
                    weapon: r.get(4)?,
                })
            },
        )
        .optional()?)
}
