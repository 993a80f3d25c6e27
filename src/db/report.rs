//! The rows reports are built from. Every filter is bound; the SQL fragments chosen here are
//! constants.

use anyhow::Result;
use rusqlite::Connection;

pub use crate::report::rows::{
    BillLine, DateCodeRow, MakerLine, OriginRow, ReportRows, Scope, SourceRow, UnitProducedRow,
};

impl ReportRows for Connection {
    fn origin(&self, scope: &Scope, production: bool) -> Result<Vec<OriginRow>> {
        origin(self, scope, production)
    }
    fn publishers(&self, scope: &Scope) -> Result<Vec<(Option<String>, i64, i64)>> {
        publishers(self, scope)
    }
    fn maker_sources(&self, maker: i64) -> Result<Vec<SourceRow>> {
        sources(self, "p.manufacturer_id = ?1", maker)
    }
    fn weapon_sources(&self, weapon: i64) -> Result<Vec<SourceRow>> {
        sources(self, "ws.weapon_id = ?1", weapon)
    }
    fn maker_lines(&self, makers: &[i64]) -> Result<Vec<MakerLine>> {
        maker_lines(self, makers)
    }
    fn bill(&self, weapon: i64) -> Result<Vec<BillLine>> {
        bill(self, weapon)
    }
    fn date_codes(&self, scope: &Scope) -> Result<Vec<DateCodeRow>> {
        date_codes(self, scope, "o.date_code")
    }
    fn marking_date_codes(&self, scope: &Scope) -> Result<Vec<DateCodeRow>> {
        date_codes(self, scope, "o.marking_date_code")
    }
    fn units_produced(&self, scope: &Scope) -> Result<Vec<UnitProducedRow>> {
        units_produced(self, scope)
    }
    fn as_of(&self) -> Result<Option<String>> {
        as_of(self)
    }
    fn part_facts(&self) -> Result<Vec<crate::classification::PartFacts>> {
        super::classification::part_facts(self)
    }
    fn designations(&self) -> Result<std::collections::BTreeMap<i64, Vec<String>>> {
        super::screening::designations(self)
    }
}

impl Scope {
    /// SQL conditions on `o` (observation) and `ws` (weapon_spelling), and their values in order.
    /// A retracted finding is never in scope.
    fn conditions(&self) -> (String, Vec<String>) {
        let mut sql = vec![STANDS];
        let mut values = Vec::new();
        if let Some(w) = &self.weapons {
            sql.push("ws.weapon_id IN (SELECT value FROM json_each(?))");
            values.push(serde_json::to_string(w).expect("ids serialise"));
        }
        if let Some(s) = &self.since {
            sql.push("substr(o.observed_on, 1, length(?)) >= ?");
            values.extend([s.clone(), s.clone()]);
        }
        if let Some(u) = &self.until {
            sql.push("substr(o.observed_on, 1, length(?)) <= ?");
            values.extend([u.clone(), u.clone()]);
        }
        (format!("WHERE {}", sql.join(" AND ")), values)
    }
}

/// An observation `o` that counts: not retracted (src/db/correction.rs).
const STANDS: &str = "o.retracted = 0";

/// 1 for an observation `o` linked to no source, else 0 (a seek on observation_source's key).
const UNSOURCED: &str =
    "NOT EXISTS (SELECT 1 FROM observation_source x0 WHERE x0.observation_id = o.id)";

const BASE: &str = "FROM observation o
    JOIN part_spelling ps ON ps.id = o.part_spelling_id
    JOIN part p ON p.id = ps.part_id
    JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
    LEFT JOIN organisation m ON m.id = p.manufacturer_id";

/// BASE without the weapon join, for scopes that do not filter by weapon.
const BASE_NO_WEAPON: &str = "FROM observation o
    JOIN part_spelling ps ON ps.id = o.part_spelling_id
    JOIN part p ON p.id = ps.part_id
    LEFT JOIN organisation m ON m.id = p.manufacturer_id";

/// Counts by country (headquarters, or production when `production`) and part, in one pass:
/// everything the origin report shows (shares, distinct parts, top makers, totals) is summed
/// from these rows.
pub fn origin(conn: &Connection, scope: &Scope, production: bool) -> Result<Vec<OriginRow>> {
    let country = if production {
        "o.production_country"
    } else {
        "coalesce(o.manufacturer_country, m.country)"
    };
    let (filter, values) = scope.conditions();
    let base = if scope.weapons.is_some() {
        BASE
    } else {
        BASE_NO_WEAPON
    };
    let sql = format!(
        "SELECT {country} AS c, p.id, m.name, p.manufacturer_id IS NOT NULL, count(*), sum({UNSOURCED}), p.manufacturer_id
         {base} {filter} GROUP BY c, p.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok(OriginRow {
            country: r.get(0)?,
            part: r.get(1)?,
            maker: r.get(2)?,
            maker_known: r.get(3)?,
            observations: r.get(4)?,
            unsourced: r.get(5)?,
            maker_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sources behind the observations in scope, by publisher: (publisher, sources, observations).
pub fn publishers(conn: &Connection, scope: &Scope) -> Result<Vec<(Option<String>, i64, i64)>> {
    let (filter, values) = scope.conditions();
    let sql = format!(
        "SELECT s.publisher, count(DISTINCT s.id), count(DISTINCT o.id)
         {BASE} JOIN observation_source x ON x.observation_id = o.id JOIN source s ON s.id = x.source_id
         {filter} GROUP BY s.publisher ORDER BY count(DISTINCT o.id) DESC, s.publisher"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every source behind observations matching `condition` (a constant fragment over o, p, ws).
fn sources(conn: &Connection, condition: &str, id: i64) -> Result<Vec<SourceRow>> {
    let sql = format!(
        "SELECT DISTINCT s.uid, s.kind, s.publisher, s.title, s.published_on, s.url, s.sha256
         {BASE} JOIN observation_source x ON x.observation_id = o.id JOIN source s ON s.id = x.source_id
         WHERE {STANDS} AND {condition} ORDER BY s.published_on, s.publisher, s.title, s.uid"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([id], |r| {
        Ok(SourceRow {
            uid: r.get(0)?,
            kind: r.get(1)?,
            publisher: r.get(2)?,
            title: r.get(3)?,
            date: r.get(4)?,
            url: r.get(5)?,
            sha256: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every (weapon, part) of the given makers.
pub fn maker_lines(conn: &Connection, makers: &[i64]) -> Result<Vec<MakerLine>> {
    let sql = format!(
        "SELECT w.name, coalesce(p.part_number, p.name), p.category, m.name, count(DISTINCT o.id),
                count(DISTINCT o.unit_id), min(o.observed_on), max(o.observed_on),
                (SELECT count(DISTINCT x.source_id) FROM observation_source x JOIN observation o2 ON o2.id = x.observation_id
                  JOIN part_spelling ps2 ON ps2.id = o2.part_spelling_id JOIN weapon_spelling ws2 ON ws2.id = o2.weapon_spelling_id
                  WHERE ps2.part_id = p.id AND ws2.weapon_id = w.id AND o2.retracted = 0),
                sum({UNSOURCED})
         {BASE} JOIN weapon w ON w.id = ws.weapon_id
         WHERE p.manufacturer_id IN (SELECT value FROM json_each(?1)) AND {STANDS}
         GROUP BY w.id, p.id
         ORDER BY w.name COLLATE NOCASE, coalesce(p.part_number, p.name) COLLATE NOCASE, p.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([serde_json::to_string(makers)?], |r| {
        Ok(MakerLine {
            weapon: r.get(0)?,
            part: r.get(1)?,
            category: r.get(2)?,
            brand: r.get(3)?,
            observations: r.get(4)?,
            units: r.get(5)?,
            first: r.get(6)?,
            last: r.get(7)?,
            sources: r.get(8)?,
            unsourced: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The bill of components of one weapon model.
pub fn bill(conn: &Connection, weapon: i64) -> Result<Vec<BillLine>> {
    let sql = format!(
        "SELECT coalesce(p.part_number, p.name), p.category, m.name, coalesce(m.country, min(o.manufacturer_country)),
                count(DISTINCT o.unit_id), count(DISTINCT o.id),
                (SELECT json_group_array(DISTINCT coalesce(s.publisher || ': ', '') || coalesce(s.title, s.url, s.sha256)
                                         ORDER BY coalesce(s.publisher || ': ', '') || coalesce(s.title, s.url, s.sha256))
                   FROM observation_source x JOIN source s ON s.id = x.source_id
                   JOIN observation o2 ON o2.id = x.observation_id
                   JOIN part_spelling ps2 ON ps2.id = o2.part_spelling_id
                   JOIN weapon_spelling ws2 ON ws2.id = o2.weapon_spelling_id
                  WHERE ps2.part_id = p.id AND ws2.weapon_id = ?1 AND o2.retracted = 0),
                sum({UNSOURCED}), p.id, p.manufacturer_id
         {BASE}
         WHERE ws.weapon_id = ?1 AND {STANDS}
         GROUP BY p.id
         ORDER BY m.name IS NULL, m.name COLLATE NOCASE, coalesce(p.part_number, p.name) COLLATE NOCASE, p.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([weapon], |r| {
        let evidence: Option<String> = r.get(6)?;
        Ok(BillLine {
            part_id: r.get(8)?,
            maker_id: r.get(9)?,
            part: r.get(0)?,
            category: r.get(1)?,
            maker: r.get(2)?,
            country: r.get(3)?,
            units: r.get(4)?,
            observations: r.get(5)?,
            unsourced: r.get(7)?,
            evidence: evidence
                .and_then(|e| serde_json::from_str(&e).ok())
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Observations in scope whose `column` (a constant: the stated or the read date code) is set,
/// with that code.
pub fn date_codes(conn: &Connection, scope: &Scope, column: &str) -> Result<Vec<DateCodeRow>> {
    let (filter, values) = scope.conditions();
    let filter = format!("{filter} AND {column} IS NOT NULL");
    let sql = format!(
        "SELECT coalesce(p.part_number, p.name), m.name, coalesce(o.manufacturer_country, m.country), w.name, {column}, o.observed_on,
                NOT {UNSOURCED}, p.id
         {BASE} JOIN weapon w ON w.id = ws.weapon_id {filter}
         ORDER BY m.name IS NULL, m.name, coalesce(p.part_number, p.name), o.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok(DateCodeRow {
            part_id: r.get(7)?,
            part: r.get(0)?,
            maker: r.get(1)?,
            country: r.get(2)?,
            weapon: r.get(3)?,
            date_code: r.get(4)?,
            observed_on: r.get(5)?,
            sourced: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Recovered units with a production date, with how many observations in scope were seen in
/// each; in order of the first day they may have been built.
pub fn units_produced(conn: &Connection, scope: &Scope) -> Result<Vec<UnitProducedRow>> {
    let (filter, values) = scope.conditions();
    let filter = format!("{filter} AND u.produced_from IS NOT NULL");
    let sql = format!(
        "SELECT w.name, coalesce(u.serial, u.label, u.uid), coalesce(u.produced_as, u.produced_from), u.produced_from, u.produced_to, count(*)
         FROM observation o
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon_unit u ON u.id = o.unit_id
         JOIN weapon w ON w.id = u.weapon_id
         {filter}
         GROUP BY u.id
         ORDER BY u.produced_from, u.produced_to IS NULL, u.produced_to, w.name, u.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok(UnitProducedRow {
            weapon: r.get(0)?,
            unit: r.get(1)?,
            produced_as: r.get(2)?,
            produced_from: r.get(3)?,
            produced_to: r.get(4)?,
            observations: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the catalogue last changed what reports count: the latest observation logged (ids grow
/// with time), entry of the retraction log, amendment or judgement, whichever is latest.
pub fn as_of(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT max(t) FROM (SELECT (SELECT logged_at FROM observation ORDER BY id DESC LIMIT 1) AS t
                                 UNION ALL SELECT max(created_at) FROM retraction
                                 UNION ALL SELECT max(recorded_at) FROM revision
                                 UNION ALL SELECT max(created_at) FROM judgement)
              WHERE t IS NOT NULL HAVING count(*) > 0",
            [],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| {
            if matches!(e, rusqlite::Error::QueryReturnedNoRows) {
                Ok(None)
            } else {
                Err(e)
            }
        })?)
}
