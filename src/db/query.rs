//! Read-only questions to the catalogue: resolving names given on the command line, listings
//! with filters, and the full record of one entity. Names are matched through the same
//! normalisation as stored spellings (see src/normalize.rs); an id or exact spelling also works.

use anyhow::{bail, Result};
use rusqlite::{params, Connection, Row};

use crate::normalize::{code_key, company_key, names_a_family, weapon_key};
use crate::table::{Cell, Listing};

/// Filters of `comptrace parts`, already resolved to ids and codes.
#[derive(Debug, Default, Clone)]
pub struct PartFilter {
    pub manufacturers: Option<Vec<i64>>,
    pub country: Option<String>,
    pub weapons: Option<Vec<i64>>,
    pub category: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// organisations (merge roots) a supply link of the part names, at either end
    pub suppliers: Option<Vec<i64>>,
}

/// A named entity as found by a name given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub id: i64,
    pub uid: String,
    pub name: String,
    /// For parts: the maker's name, to tell apart parts with one number from two makers.
    pub detail: Option<String>,
}

fn named(r: &Row) -> rusqlite::Result<Named> {
    Ok(Named {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        detail: r.get(3)?,
    })
}

/// Runs a name lookup whose parameters are ?1 uid, ?2 exact text, ?3 normalised key.
fn find(conn: &Connection, sql: &str, name: &str, key: &str) -> Result<Vec<Named>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![name.trim(), name.trim(), key], named)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Organisations named by `name`: its uid, an exact spelling, or a spelling with the same key.
pub fn find_organisations(conn: &Connection, name: &str) -> Result<Vec<Named>> {
    find(
        conn,
        "SELECT o.id, o.uid, o.name, o.country FROM organisation o
         WHERE o.id IN (SELECT coalesce(merged_into, id) FROM organisation WHERE uid = ?1
                        UNION SELECT organisation_id FROM organisation_spelling WHERE text = ?2
                        UNION SELECT organisation_id FROM organisation_spelling WHERE key = ?3 AND ?3 <> '')
         ORDER BY o.name, o.id",
        name,
        &company_key(name),
    )
}

/// Weapon models named by `name` (uid, exact spelling or key).
pub fn find_weapons(conn: &Connection, name: &str) -> Result<Vec<Named>> {
    find(
        conn,
        "SELECT w.id, w.uid, w.name, w.origin_country FROM weapon w
         WHERE w.id IN (SELECT coalesce(merged_into, id) FROM weapon WHERE uid = ?1
                        UNION SELECT weapon_id FROM weapon_spelling WHERE text = ?2
                        UNION SELECT weapon_id FROM weapon_spelling WHERE key = ?3 AND ?3 <> '')
         ORDER BY w.name, w.id",
        name,
        &weapon_key(name),
    )
}

/// Parts named by `name` (uid, exact spelling, or a spelling or name with the same code key).
/// A family word ("GNSS", "TQFP44") is no part's key, nor is a part number cut from a longer
/// code ("2411WI" of "TEN 8-2411WI"): the spelling as typed finds every part a row logged under
/// it, so `show part GNSS` lists them and asks which.
pub fn find_parts(conn: &Connection, name: &str) -> Result<Vec<Named>> {
    const BY_KEY: &str = "SELECT p.id, p.uid, coalesce(p.part_number, p.name), m.name FROM part p
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         WHERE p.id IN (SELECT coalesce(merged_into, id) FROM part WHERE uid = ?1
                        UNION SELECT part_id FROM part_spelling WHERE key = ?3 AND (?3 <> '' OR text = ?2))
         ORDER BY m.name, p.id";
    // no index leads by text: read only for a family word, or when the key found nothing
    const BY_TEXT: &str = "SELECT p.id, p.uid, coalesce(p.part_number, p.name), m.name FROM part p
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         WHERE p.id IN (SELECT coalesce(merged_into, id) FROM part WHERE uid = ?1
                        UNION SELECT part_id FROM part_spelling WHERE text = ?2 COLLATE NOCASE
                        UNION SELECT part_id FROM part_spelling WHERE key = ?3 AND ?3 <> '')
         ORDER BY m.name, p.id";
    let key = code_key(name);
    if !names_a_family(name) {
        let found = find(conn, BY_KEY, name, &key)?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    find(conn, BY_TEXT, name, &key)
}

/// Exactly one match, or an error that lists the candidates and how to pick one.
pub fn exactly_one(found: Vec<Named>, what: &str, name: &str) -> Result<i64> {
    match found.len() {
        0 => bail!("no {what} named '{name}' in the catalogue (try `comptrace search '{name}'`)"),
        1 => Ok(found[0].id),
        n => {
            let list: Vec<String> = found
                .iter()
                .map(|f| match &f.detail {
                    Some(d) => format!("  {}  {} ({d})", f.uid, f.name),
                    None => format!("  {}  {}", f.uid, f.name),
                })
                .collect();
            let hint = if what == "part" {
                "add --manufacturer or give a uid"
            } else {
                "give a uid"
            };
            bail!("'{name}' names {n} {what}s; {hint}:\n{}", list.join("\n"))
        }
    }
}

/// Resolves a filter name to ids, or explains that nothing matched.
pub fn require(found: Vec<Named>, what: &str, name: &str, flag: &str) -> Result<Vec<i64>> {
    if found.is_empty() {
        bail!(
            "{flag}: no {what} named '{name}' in the catalogue (try `comptrace search '{name}'`)"
        );
    }
    Ok(found.into_iter().map(|n| n.id).collect())
}

fn ids_json(ids: &Option<Vec<i64>>) -> Option<String> {
    ids.as_ref()
        .map(|v| serde_json::to_string(v).expect("a list of integers serialises"))
}

/// Parses a JSON array of strings from SQLite's json_group_array into a list cell.
fn list(json: Option<String>) -> Cell {
    let items: Vec<String> = json
        .and_then(|j| serde_json::from_str::<Vec<Option<String>>>(&j).ok())
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    Cell::List(items)
}

fn text(r: &Row, i: usize) -> rusqlite::Result<Cell> {
    Ok(Cell::from(r.get::<_, Option<String>>(i)?))
}

fn int(r: &Row, i: usize) -> rusqlite::Result<Cell> {
    Ok(Cell::Int(r.get(i)?))
}

/// `comptrace parts`: each part seen, with its maker, where it was seen and when.
pub fn parts(conn: &Connection, f: &PartFilter) -> Result<Listing> {
    // Only the active filters go into the SQL, each a constant fragment with bound values:
    // `?1 IS NULL OR ...` would keep SQLite from using the indexes.
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut add = |condition: &'static str, value: &Option<String>, uses: usize| {
        if let Some(v) = value {
            conditions.push(condition);
            values.extend(std::iter::repeat_n(v.clone(), uses));
        }
    };
    add(
        "p.manufacturer_id IN (SELECT value FROM json_each(?))",
        &ids_json(&f.manufacturers),
        1,
    );
    add(
        "coalesce(o.manufacturer_country, m.country) = ?",
        &f.country,
        1,
    );
    add(
        "w.id IN (SELECT value FROM json_each(?))",
        &ids_json(&f.weapons),
        1,
    );
    add("p.category = ? COLLATE NOCASE", &f.category, 1);
    // dates compare at the precision given: --until 2023 keeps 2023-12-31
    add("substr(o.observed_on, 1, length(?)) >= ?", &f.since, 2);
    add("substr(o.observed_on, 1, length(?)) <= ?", &f.until, 2);
    // a link names the part it was recorded with (this root or one merged into it) and the
    // organisation its record named (this one or one merged into it)
    add(
        "p.id IN (SELECT coalesce(lp.merged_into, lp.id) FROM supply_link l JOIN part lp ON lp.id = l.part_id
                  JOIN organisation s ON s.id IN (l.from_organisation_id, l.to_organisation_id)
                  WHERE coalesce(s.merged_into, s.id) IN (SELECT value FROM json_each(?)))",
        &ids_json(&f.suppliers),
        1,
    );
    // a retracted finding counts nowhere (src/db/correction.rs)
    conditions.push("o.retracted = 0");
    let filter = format!("WHERE {}", conditions.join(" AND "));
    let sql = format!(
        "SELECT p.uid, p.part_number, p.name, p.category, m.name,
                coalesce(m.country, min(o.manufacturer_country)),
                count(*), count(DISTINCT w.id),
                json_group_array(DISTINCT w.name ORDER BY w.name),
                min(o.observed_on), max(o.observed_on),
                (SELECT json_group_array(DISTINCT s.name ORDER BY s.name) FROM supply_link l
                   JOIN organisation s0 ON s0.id IN (l.from_organisation_id, l.to_organisation_id)
                   JOIN organisation s ON s.id = coalesce(s0.merged_into, s0.id)
                  -- the part's own links and those of parts merged into it (their spellings moved here)
                  WHERE l.part_id IN (SELECT coalesce(x.origin_part_id, x.part_id) FROM part_spelling x WHERE x.part_id = p.id)
                    AND l.from_role IS NOT 'involved' AND s.id IS NOT p.manufacturer_id)
         FROM part p
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         JOIN part_spelling ps ON ps.part_id = p.id
         JOIN observation o ON o.part_spelling_id = ps.id
         JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         JOIN weapon w ON w.id = ws.weapon_id
         {filter}
         GROUP BY p.id
         ORDER BY m.name IS NULL, m.name COLLATE NOCASE, coalesce(p.part_number, p.name) COLLATE NOCASE, p.id"
    );
    listing(
        conn,
        &[
            "uid",
            "part_number",
            "name",
            "category",
            "manufacturer",
            "country",
            "observations",
            "weapon_count",
            "weapons",
            "first_seen",
            "last_seen",
            "suppliers",
        ],
        &sql,
        rusqlite::params_from_iter(values),
    )
}

/// `comptrace manufacturers`: each maker with its country and how much of it was seen.
pub fn manufacturers(conn: &Connection, country: Option<&str>) -> Result<Listing> {
    let mut stmt = conn.prepare(
        "SELECT m.uid, m.name, m.country, c.name,
                count(DISTINCT p.id), count(o.id), count(DISTINCT ws.weapon_id),
                (SELECT json_group_array(s.text ORDER BY s.text) FROM organisation_spelling s
                  WHERE s.organisation_id = m.id AND s.text <> m.name)
         FROM organisation m
         LEFT JOIN country c ON c.code = m.country
         LEFT JOIN part p ON p.manufacturer_id = m.id
         LEFT JOIN part_spelling ps ON ps.part_id = p.id
         LEFT JOIN observation o ON o.part_spelling_id = ps.id AND o.retracted = 0
         LEFT JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
         WHERE m.merged_into IS NULL AND (?1 IS NULL OR m.country = ?1)
         GROUP BY m.id
         ORDER BY m.name COLLATE NOCASE, m.id",
    )?;
    let mut listing = Listing::new(&[
        "uid",
        "name",
        "country",
        "country_name",
        "parts",
        "observations",
        "weapons",
        "other_spellings",
    ]);
    let rows = stmt.query_map(params![country], |r| {
        Ok(vec![
            text(r, 0)?,
            text(r, 1)?,
            text(r, 2)?,
            text(r, 3)?,
            int(r, 4)?,
            int(r, 5)?,
            int(r, 6)?,
            list(r.get(7)?),
        ])
    })?;
    listing.rows = rows.collect::<rusqlite::Result<_>>()?;
    Ok(listing)
}

/// `comptrace weapons`: each weapon model with its units, parts and makers.
pub fn weapons(conn: &Connection) -> Result<Listing> {
    let mut stmt = conn.prepare(&format!(
        "SELECT w.uid, w.name, w.origin_country, w.type,
                (SELECT count(*) FROM weapon_unit u WHERE u.weapon_id = w.id AND {UNIT_COUNTS}),
                count(o.id), count(DISTINCT ps.part_id), count(DISTINCT p.manufacturer_id),
                (SELECT json_group_array(s.text ORDER BY s.text) FROM weapon_spelling s
                  WHERE s.weapon_id = w.id AND s.text <> w.name)
         FROM weapon w
         JOIN weapon_spelling ws ON ws.weapon_id = w.id
         LEFT JOIN observation o ON o.weapon_spelling_id = ws.id AND o.retracted = 0
         LEFT JOIN part_spelling ps ON ps.id = o.part_spelling_id
         LEFT JOIN part p ON p.id = ps.part_id
         GROUP BY w.id
         ORDER BY w.name COLLATE NOCASE, w.id"
    ))?;
    let mut listing = Listing::new(&[
        "uid",
        "name",
        "origin_country",
        "type",
        "units",
        "observations",
        "parts",
        "manufacturers",
        "other_spellings",
    ]);
    let rows = stmt.query_map([], |r| {
        Ok(vec![
            text(r, 0)?,
            text(r, 1)?,
            text(r, 2)?,
            text(r, 3)?,
            int(r, 4)?,
            int(r, 5)?,
            int(r, 6)?,
            int(r, 7)?,
            list(r.get(8)?),
        ])
    })?;
    listing.rows = rows.collect::<rusqlite::Result<_>>()?;
    Ok(listing)
}

/// A recovered unit `u` that counts: one not known through retracted findings alone (a unit
/// of no finding, which a migration may leave, still counts, as it did before retractions).
/// The units to leave out are found once, from the retraction log (short), not by probing the
/// findings of every unit (0.7 s more for `weapons` on 143,000 units).
pub(crate) const UNIT_COUNTS: &str =
    "u.id NOT IN (SELECT o.unit_id FROM retraction r JOIN observation o ON o.id = r.observation_id
                   WHERE o.retracted = 1 AND o.unit_id IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM observation s WHERE s.unit_id = o.unit_id AND s.retracted = 0))";

/// Columns whose text is a JSON array (from json_group_array) and is shown as a list.
const LIST_COLUMNS: &[&str] = &[
    "spellings",
    "other_spellings",
    "weapons",
    "sources",
    "manufacturers",
    // the supply chain's listings (db/supply_view.rs)
    "roles",
    "linked_parts",
    "ways_known",
    // `parts`: the organisations a part's supply links name
    "suppliers",
];

/// Runs a query into a listing: integers stay numbers, NULL is unknown, and text in a
/// LIST_COLUMNS column is a JSON array shown as a list.
pub fn listing(
    conn: &Connection,
    columns: &[&'static str],
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Listing> {
    let mut stmt = conn.prepare_cached(sql)?;
    let n = columns.len();
    let rows = stmt.query_map(params, |r| {
        (0..n)
            .map(|i| match r.get_ref(i)? {
                rusqlite::types::ValueRef::Integer(v) => Ok(Cell::Int(v)),
                rusqlite::types::ValueRef::Real(v) => Ok(Cell::Float(v)),
                rusqlite::types::ValueRef::Null => Ok(Cell::Null),
                rusqlite::types::ValueRef::Text(t) => {
                    let s = String::from_utf8_lossy(t).into_owned();
                    if LIST_COLUMNS.contains(&columns[i]) {
                        Ok(list(Some(s)))
                    } else {
                        Ok(Cell::Text(s))
                    }
                }
                rusqlite::types::ValueRef::Blob(_) => Ok(Cell::Null),
            })
            .collect::<rusqlite::Result<Vec<Cell>>>()
    })?;
    let mut out = Listing::new(columns);
    out.rows = rows.collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// Reads one row of named fields into (label, cell) pairs.
pub fn fields(
    conn: &Connection,
    labels: &[&'static str],
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(&'static str, Cell)>> {
    let l = listing(conn, labels, sql, params)?;
    let row = l.rows.into_iter().next().unwrap_or_default();
    Ok(labels.iter().copied().zip(row).collect())
}

/// `comptrace search`: spellings of parts, makers and weapons (through the trigram index), and
/// the texts read or written about findings: markings and notes, recovered units' serials,
/// labels and notes, source titles. These are scanned rather than indexed: indexing markings
/// and source titles cost a sixth more time on a bulk import, a scan about 0.15 s per table on
/// a million findings (docs/benchmarks.md).
pub fn search(conn: &Connection, needle: &str, limit: i64) -> Result<Listing> {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    listing(
        conn,
        &["kind", "matched", "name", "detail", "uid"],
        "WITH obs AS MATERIALIZED (
            SELECT o.part_spelling_id, o.marking, o.notes, o.retracted FROM observation o
             WHERE o.marking LIKE ?1 ESCAPE '\\' OR o.notes LIKE ?1 ESCAPE '\\'
         ), units AS MATERIALIZED (
            SELECT u.uid, u.weapon_id, u.serial, u.label, u.note FROM weapon_unit u
             WHERE u.serial LIKE ?1 ESCAPE '\\' OR u.label LIKE ?1 ESCAPE '\\'
                OR u.note LIKE ?1 ESCAPE '\\'
         )
         SELECT DISTINCT kind, matched, name, detail, uid FROM (
            SELECT 'part' AS kind, ns.text AS matched, coalesce(p.part_number, p.name) AS name,
                   m.name AS detail, p.uid AS uid
              FROM name_search ns
              JOIN part_spelling s ON s.id = ns.ref JOIN part p ON p.id = s.part_id
              LEFT JOIN organisation m ON m.id = p.manufacturer_id
             WHERE ns.text LIKE ?1 ESCAPE '\\' AND ns.kind = 'part'
            UNION ALL
            SELECT 'part', p.name, coalesce(p.part_number, p.name), m.name, p.uid
              FROM part p LEFT JOIN organisation m ON m.id = p.manufacturer_id
             WHERE p.name LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT 'manufacturer', ns.text, o.name, o.country, o.uid
              FROM name_search ns
              JOIN organisation_spelling s ON s.id = ns.ref JOIN organisation o ON o.id = s.organisation_id
             WHERE ns.text LIKE ?1 ESCAPE '\\' AND ns.kind = 'manufacturer'
            UNION ALL
            SELECT 'weapon', ns.text, w.name, w.origin_country, w.uid
              FROM name_search ns
              JOIN weapon_spelling s ON s.id = ns.ref JOIN weapon w ON w.id = s.weapon_id
             WHERE ns.text LIKE ?1 ESCAPE '\\' AND ns.kind = 'weapon'
            UNION ALL
            SELECT CASE o.retracted WHEN 1 THEN 'marking (retracted finding)' ELSE 'marking' END, o.marking, coalesce(p.part_number, p.name), m.name, p.uid
              FROM obs o
              JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
              LEFT JOIN organisation m ON m.id = p.manufacturer_id
             WHERE o.marking LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT CASE o.retracted WHEN 1 THEN 'note (retracted finding)' ELSE 'note' END, o.notes, coalesce(p.part_number, p.name), m.name, p.uid
              FROM obs o
              JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
              LEFT JOIN organisation m ON m.id = p.manufacturer_id
             WHERE o.notes LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT 'unit', u.serial, w.name, u.serial, u.uid
              FROM units u JOIN weapon w ON w.id = u.weapon_id WHERE u.serial LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT 'unit', u.label, w.name, u.serial, u.uid
              FROM units u JOIN weapon w ON w.id = u.weapon_id WHERE u.label LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT 'unit', u.note, w.name, u.serial, u.uid
              FROM units u JOIN weapon w ON w.id = u.weapon_id WHERE u.note LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT 'source', s.title, s.title, s.publisher, s.uid
              FROM source s
             WHERE s.title LIKE ?1 ESCAPE '\\')
         ORDER BY kind, name COLLATE NOCASE, matched, uid
         LIMIT ?2",
        params![pattern, limit],
    )
}

/// Share of observations and distinct parts by the maker's headquarters country, unknowns
/// included as a row of their own (country NULL).
pub fn origin_by_hq(conn: &Connection) -> Result<Listing> {
    listing(
        conn,
        &[
            "country",
            "country_name",
            "manufacturers",
            "parts",
            "observations",
            "share_of_observations",
        ],
        "SELECT coalesce(o.manufacturer_country, m.country) AS hq, coalesce(c.name, 'unknown'),
                count(DISTINCT m.id), count(DISTINCT p.id),
                count(*), round(100.0 * count(*) / (SELECT count(*) FROM observation WHERE retracted = 0), 1)
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id
         LEFT JOIN country c ON c.code = coalesce(o.manufacturer_country, m.country)
         WHERE o.retracted = 0
         GROUP BY hq
         ORDER BY count(*) DESC, hq IS NULL, hq",
        [],
    )
}

/// How many of each thing the catalogue holds.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (label, table) in [
        ("observations", "observation"),
        ("parts", "part"),
        ("manufacturers", "organisation"),
        ("weapon models", "weapon"),
        ("recovered units", "weapon_unit"),
        ("sources", "source"),
    ] {
        // table names are constants above, never user input
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        out.push((label, n));
    }
    Ok(out)
}

/// Every current maker with each of its spellings: (id, name, spelling), for finding the
/// brands a maker owns.
pub fn makers_with_spellings(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.name, s.text FROM organisation o
         JOIN organisation_spelling s ON s.organisation_id = o.id
         WHERE o.merged_into IS NULL ORDER BY o.id, s.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
