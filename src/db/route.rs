//! What `report route` reads: parts (their identity after merges) with their maker, their supply
//! links and the weapons they were found in; and the links that name only a maker's brand.
//! A link joins findings only through its part, or its lot or date code where it states one.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::report::route::{End, LinkRow, PartRoutes};

/// The parts (merge roots) among `part_ids`, or that a maker in `makers` made, that have a
/// supply link; only those found in a weapon of `weapons` when given.
pub fn parts(
    conn: &Connection,
    part_ids: &[i64],
    makers: &[i64],
    weapons: Option<&[i64]>,
) -> Result<Vec<PartRoutes>> {
    let ids = serde_json::to_string(part_ids)?;
    let makers = serde_json::to_string(makers)?;
    let weapons_json = weapons.map(serde_json::to_string).transpose()?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, coalesce(p.part_number, p.name), m.id, m.name, m.country FROM part p
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         WHERE p.merged_into IS NULL
           -- a union, not an OR, so each side is found through its index
           AND p.id IN (SELECT value FROM json_each(?1)
                        UNION SELECT id FROM part WHERE manufacturer_id IN (SELECT value FROM json_each(?2)))
           AND (?3 IS NULL OR EXISTS (
                 SELECT 1 FROM part_spelling ps JOIN observation o ON o.part_spelling_id = ps.id
                 JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
                 WHERE ps.part_id = p.id AND o.retracted = 0
                   AND ws.weapon_id IN (SELECT value FROM json_each(?3))))
         ORDER BY m.name COLLATE NOCASE, 2, p.id",
    )?;
    let heads: Vec<(i64, PartRoutes)> = stmt
        .query_map(params![ids, makers, weapons_json], |r| {
            Ok((
                r.get(0)?,
                PartRoutes {
                    part: r.get(1)?,
                    maker: r.get(2)?,
                    maker_name: r.get(3)?,
                    maker_country: r.get(4)?,
                    ..PartRoutes::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let absorbed = absorbed_parts(conn)?;
    let mut out = Vec::new();
    for (id, mut p) in heads {
        // a link names the part it was recorded with: this root, or a part merged into it
        let mut ids = vec![id];
        ids.extend(absorbed.get(&id).into_iter().flatten());
        p.links = links(
            conn,
            "l.part_id IN (SELECT value FROM json_each(?1))",
            &serde_json::to_string(&ids)?,
        )?;
        if p.links.is_empty() {
            continue;
        }
        let found_in = weapons_of(conn, id, &p.links, weapons)?;
        p.producers = producers_of(conn, id, &found_in)?;
        p.weapons = found_in.into_iter().map(|(_, name)| name).collect();
        out.push(p);
    }
    Ok(out)
}

/// The parts merged into each root (few: merges are decisions people make).
fn absorbed_parts(conn: &Connection) -> Result<std::collections::HashMap<i64, Vec<i64>>> {
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT id, merged_into FROM part WHERE merged_into IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(1)?).or_default().push(r.get(0)?);
    }
    Ok(out)
}

/// Links whose part is a maker's brand alone (`brand_id`), for makers in `makers`.
pub fn brand_links(conn: &Connection, makers: &[i64]) -> Result<Vec<LinkRow>> {
    let mut out = Vec::new();
    for &m in makers {
        out.extend(links(
            conn,
            "l.part_id IS NULL AND l.brand_id IN (SELECT id FROM organisation WHERE id = ?1 OR merged_into = ?1)",
            &m,
        )?);
    }
    Ok(out)
}

/// Links matching `condition` (a constant of this file, with ?1 bound to `id`), oldest first.
fn links(conn: &Connection, condition: &str, id: &dyn rusqlite::ToSql) -> Result<Vec<LinkRow>> {
    // the condition is one of this file's constants: no text from outside reaches the SQL
    let sql = format!(
        "SELECT l.uid, coalesce(f.merged_into, f.id), f.name, l.from_role, coalesce(l.from_country, f.country),
                coalesce(t.merged_into, t.id), t.name, l.to_role, coalesce(l.to_country, t.country),
                l.lot, l.date_code, l.moved_on, l.how_known, l.confidence,
                (SELECT json_group_array(coalesce(s.url, s.title, s.file_name) ORDER BY s.id)
                   FROM supply_link_source x JOIN source s ON s.id = x.source_id WHERE x.supply_link_id = l.id)
         FROM supply_link l
         LEFT JOIN organisation f0 ON f0.id = l.from_organisation_id
         LEFT JOIN organisation f ON f.id = coalesce(f0.merged_into, f0.id)
         LEFT JOIN organisation t0 ON t0.id = l.to_organisation_id
         LEFT JOIN organisation t ON t.id = coalesce(t0.merged_into, t0.id)
         WHERE {condition} AND (l.from_role IS NOT 'involved')
         ORDER BY l.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id], |r| {
        let sources: String = r.get(14)?;
        Ok(LinkRow {
            uid: r.get(0)?,
            from: End {
                organisation: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                country: r.get(4)?,
            },
            to: End {
                organisation: r.get(5)?,
                name: r.get(6)?,
                role: r.get(7)?,
                country: r.get(8)?,
            },
            lot: r.get(9)?,
            date_code: r.get(10)?,
            moved_on: r.get(11)?,
            how_known: r.get(12)?,
            confidence: r.get(13)?,
            sources: serde_json::from_str(&sources).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The weapons findings of the part were seen in (findings that stand). When every link
/// states a lot or date code, only findings with one of them count: a link joins findings only
/// through the same part, or the same lot or date code where one is stated.
fn weapons_of(
    conn: &Connection,
    part: i64,
    links: &[LinkRow],
    only: Option<&[i64]>,
) -> Result<Vec<(i64, String)>> {
    let marks: Vec<&str> = links
        .iter()
        .filter_map(|l| l.lot.as_deref().or(l.date_code.as_deref()))
        .collect();
    let every_link_marked = !links.is_empty() && marks.len() == links.len();
    let marks = every_link_marked
        .then(|| serde_json::to_string(&marks))
        .transpose()?;
    let only = only.map(serde_json::to_string).transpose()?;
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT w.id, w.name FROM part_spelling ps
         JOIN observation o ON o.part_spelling_id = ps.id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
         WHERE ps.part_id = ?1 AND o.retracted = 0
           AND (?2 IS NULL OR o.lot IN (SELECT value FROM json_each(?2)) OR o.date_code IN (SELECT value FROM json_each(?2)))
           AND (?3 IS NULL OR w.id IN (SELECT value FROM json_each(?3)))
         ORDER BY w.name",
    )?;
    let rows = stmt.query_map(params![part, marks, only], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who built the weapons (merge roots) the part was found in: (organisation, weapon name). A
/// producer of one recovered unit counts only for a unit the part was found in; a producer of
/// the model, for every unit.
fn producers_of(
    conn: &Connection,
    part: i64,
    weapons: &[(i64, String)],
) -> Result<Vec<(i64, String)>> {
    if weapons.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = weapons.iter().map(|(id, _)| *id).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT coalesce(o.merged_into, o.id), w.name FROM weapon_producer wp
         JOIN weapon w0 ON w0.id = wp.weapon_id JOIN weapon w ON w.id = coalesce(w0.merged_into, w0.id)
         JOIN organisation o ON o.id = wp.organisation_id
         WHERE w.id IN (SELECT value FROM json_each(?1))
           AND (wp.unit_id IS NULL OR wp.unit_id IN (
                 SELECT o.unit_id FROM part_spelling ps JOIN observation o ON o.part_spelling_id = ps.id
                 WHERE ps.part_id = ?2 AND o.retracted = 0 AND o.unit_id IS NOT NULL))
         ORDER BY 1, 2",
    )?;
    let rows = stmt.query_map(params![serde_json::to_string(&ids)?, part], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the latest supply link was recorded: the catalogue as a route report saw it.
pub fn latest_link(conn: &Connection) -> Result<Option<String>> {
    // the last row written, found by its key: a max() over recorded_at would read every link
    Ok(conn
        .query_row(
            "SELECT recorded_at FROM supply_link ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}
