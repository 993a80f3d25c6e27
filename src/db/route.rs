//! What `report route` reads: parts (their identity after merges) with their maker, their supply
//! links and the weapons they were found in; and the links that name only a maker's brand.
//! A link joins findings only through its part, or its lot or date code where it states one.

use anyhow::Result;
use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::report::route::{End, LinkRow, PartRoutes};

/// The parts (merge roots) among `part_ids`, or that a maker in `makers` made, that have a
/// supply link; only those found in a weapon of `weapons` when given.
///
/// Set-based: a fixed handful of queries for the whole set of parts (their links, the findings
/// of them that stand, the producers of those weapons), grouped per part here, so a maker with
/// thousands of linked parts costs a few index walks rather than three queries per part.
pub fn parts(
    conn: &Connection,
    part_ids: &[i64],
    makers: &[i64],
    weapons: Option<&[i64]>,
) -> Result<Vec<PartRoutes>> {
    let heads = part_heads(conn, part_ids, makers, weapons)?;
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let roots: Vec<i64> = heads.iter().map(|(id, _)| *id).collect();
    let mut links = links_of_parts(conn, &roots)?;
    let linked: Vec<i64> = roots
        .iter()
        .copied()
        .filter(|id| links.contains_key(id))
        .collect();
    let sightings = sightings_of(conn, &linked)?;
    let mut out = Vec::new();
    let mut found: Vec<(i64, Vec<(i64, String)>)> = Vec::new();
    for (id, mut p) in heads {
        let Some(part_links) = links.remove(&id) else {
            continue;
        };
        p.links = part_links;
        let seen = sightings.get(&id).map_or(&[][..], |v| v.as_slice());
        let found_in = weapons_of(seen, &p.links, weapons);
        p.weapons = found_in.iter().map(|(_, name)| name.clone()).collect();
        found.push((id, found_in));
        out.push(p);
    }
    let producers = producers_of_weapons(conn, found.iter().flat_map(|(_, w)| w))?;
    for (p, (id, found_in)) in out.iter_mut().zip(&found) {
        let seen = sightings.get(id).map_or(&[][..], |v| v.as_slice());
        p.producers = producers_for_part(&producers, seen, found_in);
    }
    Ok(out)
}

/// The parts in scope with their maker, before their links are read: (root id, part).
fn part_heads(
    conn: &Connection,
    part_ids: &[i64],
    makers: &[i64],
    weapons: Option<&[i64]>,
) -> Result<Vec<(i64, PartRoutes)>> {
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
    let heads = stmt
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
    Ok(heads)
}

/// The parts merged into each root (few: merges are decisions people make).
fn absorbed_parts(conn: &Connection) -> Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT id, merged_into FROM part WHERE merged_into IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(1)?).or_default().push(r.get(0)?);
    }
    Ok(out)
}

/// The links of each root part in `roots`, oldest first: a link names the part it was
/// recorded with, the root or a part merged into it. Roots with no link are absent.
fn links_of_parts(conn: &Connection, roots: &[i64]) -> Result<HashMap<i64, Vec<LinkRow>>> {
    let absorbed = absorbed_parts(conn)?;
    let mut root_of: HashMap<i64, i64> = HashMap::new();
    for &root in roots {
        root_of.insert(root, root);
        for &part in absorbed.get(&root).into_iter().flatten() {
            root_of.insert(part, root);
        }
    }
    let parts: Vec<i64> = root_of.keys().copied().collect();
    let ids = link_ids(
        conn,
        "SELECT id FROM supply_link WHERE part_id IN (SELECT value FROM json_each(?1))",
        &serde_json::to_string(&parts)?,
    )?;
    let mut out: HashMap<i64, Vec<LinkRow>> = HashMap::new();
    for (part, link) in links(conn, &ids)? {
        if let Some(root) = part.and_then(|p| root_of.get(&p)) {
            out.entry(*root).or_default().push(link);
        }
    }
    Ok(out)
}

/// Links whose part is a maker's brand alone (`brand_id`), for makers in `makers`.
pub fn brand_links(conn: &Connection, makers: &[i64]) -> Result<Vec<LinkRow>> {
    let ids = link_ids(
        conn,
        "SELECT id FROM supply_link WHERE part_id IS NULL AND brand_id IN (
           SELECT id FROM organisation WHERE id IN (SELECT value FROM json_each(?1))
           UNION SELECT id FROM organisation WHERE merged_into IN (SELECT value FROM json_each(?1)))",
        &serde_json::to_string(makers)?,
    )?;
    Ok(links(conn, &ids)?.into_iter().map(|(_, l)| l).collect())
}

/// The ids `sql` (a constant of this file, ?1 bound to `arg`) selects, ascending: read from an
/// index alone, so the rows can then be fetched in the order they lie in the table.
fn link_ids(conn: &Connection, sql: &str, arg: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut ids: Vec<i64> = stmt
        .query_map([arg], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A link as stored: its organisations as recorded (maybe merged since), before their names.
struct StoredLink {
    id: i64,
    part: Option<i64>,
    from: Option<i64>,
    to: Option<i64>,
    link: LinkRow,
}

/// The links with these ids (ascending), oldest first, each with the part it names; roles
/// `involved` are never part of a route. Rows, sources and organisations are each read in one
/// pass in key order: jumping from each link to its organisations and sources in turn cost a
/// maker with 250,000 links seconds of scattered page reads.
fn links(conn: &Connection, ids: &[i64]) -> Result<Vec<(Option<i64>, LinkRow)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids_json = serde_json::to_string(ids)?;
    let mut stored = stored_links(conn, &ids_json, ids.len())?;
    attach_sources(conn, &ids_json, &mut stored)?;
    let orgs: BTreeSet<i64> = stored
        .iter()
        .flat_map(|s| [s.from, s.to])
        .flatten()
        .collect();
    let named = organisations_named(conn, &orgs)?;
    let end = |org: Option<i64>, role: Option<String>, country: Option<String>| {
        let found = org.and_then(|o| named.get(&o));
        End {
            organisation: found.map(|(root, _, _)| *root),
            name: found.map(|(_, name, _)| name.clone()),
            role,
            country: country.or_else(|| found.and_then(|(_, _, c)| c.clone())),
        }
    };
    Ok(stored
        .into_iter()
        .map(|mut s| {
            s.link.from = end(s.from, s.link.from.role, s.link.from.country);
            s.link.to = end(s.to, s.link.to.role, s.link.to.country);
            (s.part, s.link)
        })
        .collect())
}

/// The rows of the links in `ids_json` (a JSON array), by id; the ends hold the stated role and
/// country only.
fn stored_links(conn: &Connection, ids_json: &str, count: usize) -> Result<Vec<StoredLink>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.part_id, l.from_organisation_id, l.to_organisation_id, l.uid,
                l.from_role, l.from_country, l.to_role, l.to_country,
                l.lot, l.date_code, l.moved_on, l.how_known, l.confidence
         FROM supply_link l
         WHERE l.id IN (SELECT value FROM json_each(?1)) AND (l.from_role IS NOT 'involved')
         ORDER BY l.id",
    )?;
    let rows = stmt.query_map([ids_json], |r| {
        Ok(StoredLink {
            id: r.get(0)?,
            part: r.get(1)?,
            from: r.get(2)?,
            to: r.get(3)?,
            link: LinkRow {
                uid: r.get(4)?,
                from: End {
                    role: r.get(5)?,
                    country: r.get(6)?,
                    ..End::default()
                },
                to: End {
                    role: r.get(7)?,
                    country: r.get(8)?,
                    ..End::default()
                },
                lot: r.get(9)?,
                date_code: r.get(10)?,
                moved_on: r.get(11)?,
                how_known: r.get(12)?,
                confidence: r.get(13)?,
                sources: Vec::new(),
            },
        })
    })?;
    // sized once: growing a vector of a quarter of a million links step by step copied it
    let mut out = Vec::with_capacity(count);
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Adds to each link (ascending by id, as `ids_json`) what cites it: URL, else title, else
/// file name, in source order. Both sides are in link order, so they are walked side by side.
fn attach_sources(conn: &Connection, ids_json: &str, links: &mut [StoredLink]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.supply_link_id, coalesce(s.url, s.title, s.file_name)
         FROM supply_link_source x JOIN source s ON s.id = x.source_id
         WHERE x.supply_link_id IN (SELECT value FROM json_each(?1))
         ORDER BY x.supply_link_id, s.id",
    )?;
    let mut rows = stmt.query([ids_json])?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let link: i64 = r.get(0)?;
        while at < links.len() && links[at].id < link {
            at += 1;
        }
        // a link of role `involved` was not read: its sources are skipped with it
        let Some(l) = links.get_mut(at).filter(|l| l.id == link) else {
            continue;
        };
        // a source with none of the three has nothing to show
        if let Some(text) = r.get::<_, Option<String>>(1)? {
            l.link.sources.push(text);
        }
    }
    Ok(())
}

/// An organisation as a link's end shows it: its merge root, that one's name and country.
type NamedOrganisation = (i64, String, Option<String>);

/// For each organisation id: the organisation it is now (its merge root), that one's name and
/// country.
fn organisations_named(
    conn: &Connection,
    ids: &BTreeSet<i64>,
) -> Result<HashMap<i64, NamedOrganisation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o0.id, o.id, o.name, o.country FROM organisation o0
         JOIN organisation o ON o.id = coalesce(o0.merged_into, o0.id)
         WHERE o0.id IN (SELECT value FROM json_each(?1))",
    )?;
    let ids: Vec<i64> = ids.iter().copied().collect();
    let rows = stmt.query_map([serde_json::to_string(&ids)?], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A finding of a part that stands: the weapon it was seen in, its lot, date code and unit.
struct Sighting {
    weapon: i64,
    weapon_name: String,
    lot: Option<String>,
    date_code: Option<String>,
    unit: Option<i64>,
}

/// The findings that stand of each part in `parts` (roots: a merge moves the spellings), in
/// one pass over their spellings.
fn sightings_of(conn: &Connection, parts: &[i64]) -> Result<HashMap<i64, Vec<Sighting>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ps.part_id, w.id, w.name, o.lot, o.date_code, o.unit_id
         FROM part_spelling ps
         JOIN observation o ON o.part_spelling_id = ps.id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
         WHERE ps.part_id IN (SELECT value FROM json_each(?1)) AND o.retracted = 0",
    )?;
    let mut out: HashMap<i64, Vec<Sighting>> = HashMap::new();
    let mut rows = stmt.query([serde_json::to_string(parts)?])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(Sighting {
            weapon: r.get(1)?,
            weapon_name: r.get(2)?,
            lot: r.get(3)?,
            date_code: r.get(4)?,
            unit: r.get(5)?,
        });
    }
    Ok(out)
}

/// The weapons findings of the part were seen in (findings that stand), by name. When every
/// link states a lot or date code, only findings with one of them count: a link joins findings
/// only through the same part, or the same lot or date code where one is stated.
fn weapons_of(seen: &[Sighting], links: &[LinkRow], only: Option<&[i64]>) -> Vec<(i64, String)> {
    let marks: HashSet<&str> = links
        .iter()
        .filter_map(|l| l.lot.as_deref().or(l.date_code.as_deref()))
        .collect();
    let every_link_marked = !links.is_empty()
        && links
            .iter()
            .all(|l| l.lot.is_some() || l.date_code.is_some());
    let marked = |s: &Sighting| {
        [s.lot.as_deref(), s.date_code.as_deref()]
            .into_iter()
            .flatten()
            .any(|m| marks.contains(m))
    };
    let found: BTreeSet<(&str, i64)> = seen
        .iter()
        .filter(|s| !every_link_marked || marked(s))
        .filter(|s| only.is_none_or(|w| w.contains(&s.weapon)))
        .map(|s| (s.weapon_name.as_str(), s.weapon))
        .collect();
    found
        .into_iter()
        .map(|(name, id)| (id, name.to_string()))
        .collect()
}

/// A recorded producer: (organisation root, weapon root, its name, the unit it built if one).
type ProducerRow = (i64, i64, String, Option<i64>);

/// Who built the weapons (merge roots) in `found`, in one query.
fn producers_of_weapons<'a>(
    conn: &Connection,
    found: impl Iterator<Item = &'a (i64, String)>,
) -> Result<Vec<ProducerRow>> {
    let ids: BTreeSet<i64> = found.map(|(id, _)| *id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(o.merged_into, o.id), w.id, w.name, wp.unit_id FROM weapon_producer wp
         JOIN weapon w0 ON w0.id = wp.weapon_id JOIN weapon w ON w.id = coalesce(w0.merged_into, w0.id)
         JOIN organisation o ON o.id = wp.organisation_id
         WHERE w.id IN (SELECT value FROM json_each(?1))",
    )?;
    let ids: Vec<i64> = ids.into_iter().collect();
    let rows = stmt.query_map([serde_json::to_string(&ids)?], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who built the weapons the part was found in: (organisation, weapon name), in order. A
/// producer of one recovered unit counts only for a unit the part was found in; a producer of
/// the model, for every unit.
fn producers_for_part(
    producers: &[ProducerRow],
    seen: &[Sighting],
    found_in: &[(i64, String)],
) -> Vec<(i64, String)> {
    let weapons: HashSet<i64> = found_in.iter().map(|(id, _)| *id).collect();
    let units: HashSet<i64> = seen.iter().filter_map(|s| s.unit).collect();
    let out: BTreeSet<(i64, &str)> = producers
        .iter()
        .filter(|(_, weapon, _, _)| weapons.contains(weapon))
        .filter(|(_, _, _, unit)| unit.is_none_or(|u| units.contains(&u)))
        .map(|(org, _, name, _)| (*org, name.as_str()))
        .collect();
    out.into_iter()
        .map(|(org, name)| (org, name.to_string()))
        .collect()
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
