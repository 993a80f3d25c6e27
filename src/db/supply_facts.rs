//! Published supply facts (`data/public-supply.csv`, loaded by `demo`): who built a weapon and
//! where, and links a report states, each with the page it came from. Organisations are
//! resolved as makers are (exact spelling or key) and added when new; a weapon or brand must
//! already be in the catalogue.

use anyhow::{bail, Result};
use rusqlite::{params, Connection};

use super::new_uid;
use super::query::{find_organisations, find_weapons};
use super::shipment::cited_source;
use super::trace::organisation_stated;
use crate::finding::Citation;

/// Who built a weapon model and where, as a source states it.
pub struct Producer<'a> {
    pub weapon: &'a str,
    pub organisation: &'a str,
    pub site: Option<&'a str>,
    pub country: Option<&'a str>,
    pub citation: &'a Citation,
}

pub fn record_producer(conn: &Connection, p: &Producer, now: &str) -> Result<()> {
    let weapon = match find_weapons(conn, p.weapon)?.as_slice() {
        [one] => one.id,
        _ => bail!("weapon '{}' is not one model of the catalogue", p.weapon),
    };
    let org = organisation_stated(conn, p.organisation, p.country, now)?;
    conn.execute(
        "INSERT INTO weapon_producer (uid, weapon_id, organisation_id, site, country, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_uid(), weapon, org, p.site, p.country, now],
    )?;
    let id = conn.last_insert_rowid();
    if let Some(source) = cited_source(conn, p.citation, now)? {
        conn.execute(
            "INSERT INTO weapon_producer_source (weapon_producer_id, source_id) VALUES (?1, ?2)",
            params![id, source],
        )?;
    }
    Ok(())
}

/// One end of a stated link: the organisation (None when the source does not name it), its
/// role and country.
pub struct StatedEnd<'a> {
    pub organisation: Option<&'a str>,
    pub role: Option<&'a str>,
    pub country: Option<&'a str>,
}

/// A link a published report states, of a maker's brand.
pub struct StatedLink<'a> {
    pub from: StatedEnd<'a>,
    pub to: StatedEnd<'a>,
    pub brand: &'a str,
    pub value: Option<f64>,
    pub currency: Option<&'a str>,
    pub note: Option<&'a str>,
    pub citation: &'a Citation,
}

pub fn record_link(conn: &Connection, l: &StatedLink, now: &str) -> Result<()> {
    let brand = match find_organisations(conn, l.brand)?.as_slice() {
        [one] => one.id,
        _ => bail!("brand '{}' is not one maker of the catalogue", l.brand),
    };
    let end = |e: &StatedEnd| -> Result<Option<i64>> {
        e.organisation
            .map(|name| organisation_stated(conn, name, e.country, now))
            .transpose()
    };
    let (from, to) = (end(&l.from)?, end(&l.to)?);
    conn.execute(
        "INSERT INTO supply_link (uid, from_organisation_id, from_role, from_country, to_organisation_id, to_role,
            to_country, brand_id, value, currency, how_known, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'report', ?11, ?12)",
        params![
            new_uid(), from, l.from.role, l.from.country, to, l.to.role, l.to.country, brand,
            l.value, l.currency, l.note, now
        ],
    )?;
    let id = conn.last_insert_rowid();
    if let Some(source) = cited_source(conn, l.citation, now)? {
        conn.execute(
            "INSERT INTO supply_link_source (supply_link_id, source_id) VALUES (?1, ?2)",
            params![id, source],
        )?;
    }
    Ok(())
}

/// (weapon, producer, site, country, sources) of a weapon producer on record.
pub type ProducerLine = (String, String, String, String, String);

/// Every weapon producer on record, by weapon: one line per weapon, producer and site, however
/// many findings or facts state it.
pub fn weapon_producers(conn: &Connection) -> Result<Vec<ProducerLine>> {
    let mut stmt = conn.prepare(
        "SELECT w.name, o.name, coalesce(p.site, ''), coalesce(p.country, o.country, ''),
                coalesce((SELECT group_concat(DISTINCT coalesce(s.url, s.title)) FROM weapon_producer p2
                          JOIN weapon_producer_source x ON x.weapon_producer_id = p2.id JOIN source s ON s.id = x.source_id
                          WHERE p2.weapon_id = p.weapon_id AND p2.organisation_id IS p.organisation_id AND p2.site IS p.site), '')
         FROM weapon_producer p JOIN weapon w0 ON w0.id = p.weapon_id
         JOIN weapon w ON w.id = coalesce(w0.merged_into, w0.id)
         LEFT JOIN organisation o ON o.id = p.organisation_id
         GROUP BY w.id, p.organisation_id, p.site
         ORDER BY w.name, min(p.id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
