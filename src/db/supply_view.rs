//! Listings of the supply chain for `report third-countries`, `report suppliers` and `show
//! organisation` (docs/supply-chain.md). Organisations and parts are read through their merge
//! roots; links with role `involved` state no supply and are left out of the reports.

use anyhow::Result;
use rusqlite::{params, Connection};

use super::query::{fields, listing};
use crate::table::{Document, Listing};

/// Each link with its part's root, its maker (the part's, else the brand's) and the ends'
/// countries (as stated, else where the organisation is registered).
const LINKS: &str = "
  WITH lk AS (
    SELECT l.id, l.uid, l.value, l.currency, l.moved_on, l.how_known, l.from_role, l.to_role,
           coalesce(f0.merged_into, f0.id) AS from_org, coalesce(t0.merged_into, t0.id) AS to_org,
           coalesce(l.from_country, f0.country) AS from_country, coalesce(l.to_country, t0.country) AS to_country,
           coalesce(p0.merged_into, p0.id) AS part,
           coalesce(p.manufacturer_id, coalesce(b0.merged_into, b0.id)) AS maker
    FROM supply_link l
    LEFT JOIN organisation f0 ON f0.id = l.from_organisation_id
    LEFT JOIN organisation t0 ON t0.id = l.to_organisation_id
    LEFT JOIN part p0 ON p0.id = l.part_id
    LEFT JOIN part p ON p.id = coalesce(p0.merged_into, p0.id)
    LEFT JOIN organisation b0 ON b0.id = l.brand_id
    WHERE l.from_role IS NOT 'involved')";

/// Countries that link ends lie in other than the maker's headquarters country, counted by
/// link and by value per currency; `in_weapon_country` says whether it is the origin country
/// of a weapon one of its parts was found in.
pub fn third_countries(
    conn: &Connection,
    makers: Option<&[i64]>,
    since: Option<&str>,
) -> Result<Listing> {
    let makers = makers.map(serde_json::to_string).transpose()?;
    listing(
        conn,
        &["country", "country_name", "links", "as_sender", "as_recipient", "manufacturers", "value", "currency", "in_weapon_country"],
        &format!(
            "{LINKS},
             ends AS (
               SELECT lk.*, lk.from_country AS country, 1 AS sender FROM lk
               UNION ALL SELECT lk.*, lk.to_country, 0 FROM lk),
             third AS (
               SELECT e.*, m.name AS maker_name FROM ends e JOIN organisation m ON m.id = e.maker
               WHERE e.country IS NOT NULL AND e.country IS NOT m.country
                 AND (?1 IS NULL OR e.maker IN (SELECT value FROM json_each(?1)))
                 AND (?2 IS NULL OR e.moved_on >= ?2))
             SELECT t.country, c.name, count(DISTINCT t.id), sum(t.sender), sum(1 - t.sender),
                    json_group_array(DISTINCT t.maker_name ORDER BY t.maker_name),
                    (SELECT sum(x.value) FROM (SELECT DISTINCT id, value, currency FROM third WHERE country = t.country) x),
                    (SELECT group_concat(DISTINCT currency ORDER BY currency) FROM third WHERE country = t.country),
                    CASE WHEN EXISTS (
                      SELECT 1 FROM third u JOIN part_spelling ps ON ps.part_id = u.part
                      JOIN observation o ON o.part_spelling_id = ps.id AND o.retracted = 0
                      JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
                      WHERE u.country = t.country AND w.origin_country = t.country) THEN 'yes' ELSE 'no' END
             FROM third t LEFT JOIN country c ON c.code = t.country
             GROUP BY t.country ORDER BY count(DISTINCT t.id) DESC, t.country"
        ),
        params![makers, since],
    )
}

/// Organisations in links in any role but maker: their roles, country, the parts, makers and
/// weapons they are linked to, and the evidence; only links to parts found in `weapons` when
/// given.
pub fn suppliers(conn: &Connection, weapons: Option<&[i64]>) -> Result<Listing> {
    let weapons = weapons.map(serde_json::to_string).transpose()?;
    listing(
        conn,
        &["organisation", "country", "roles", "links", "linked_parts", "manufacturers", "weapons", "ways_known", "sources"],
        &format!(
            "{LINKS},
             part_weapons AS (
               SELECT DISTINCT ps.part_id AS part, w.id AS weapon, w.name AS weapon_name FROM part_spelling ps
               JOIN observation o ON o.part_spelling_id = ps.id AND o.retracted = 0
               JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id),
             kept AS (
               SELECT * FROM lk WHERE ?1 IS NULL OR EXISTS (
                 SELECT 1 FROM part_weapons pw WHERE pw.part = lk.part AND pw.weapon IN (SELECT value FROM json_each(?1)))),
             ends AS (
               SELECT kept.id, kept.from_org AS org, kept.from_role AS role, kept.part, kept.maker, kept.how_known FROM kept
               UNION ALL SELECT kept.id, kept.to_org, kept.to_role, kept.part, kept.maker, kept.how_known FROM kept)
             SELECT o.name, o.country, json_group_array(DISTINCT e.role ORDER BY e.role), count(DISTINCT e.id),
                    (SELECT json_group_array(DISTINCT coalesce(p.part_number, p.name) ORDER BY coalesce(p.part_number, p.name)) FROM ends e2 JOIN part p ON p.id = e2.part WHERE e2.org = o.id),
                    (SELECT json_group_array(DISTINCT m.name ORDER BY m.name) FROM ends e2 JOIN organisation m ON m.id = e2.maker WHERE e2.org = o.id),
                    (SELECT json_group_array(DISTINCT pw.weapon_name ORDER BY pw.weapon_name) FROM ends e2 JOIN part_weapons pw ON pw.part = e2.part
                      WHERE e2.org = o.id AND (?1 IS NULL OR pw.weapon IN (SELECT value FROM json_each(?1)))),
                    json_group_array(DISTINCT e.how_known ORDER BY e.how_known),
                    (SELECT json_group_array(DISTINCT coalesce(s.url, s.title, s.file_name) ORDER BY coalesce(s.url, s.title, s.file_name)) FROM ends e2
                      JOIN supply_link_source x ON x.supply_link_id = e2.id JOIN source s ON s.id = x.source_id WHERE e2.org = o.id)
             FROM ends e JOIN organisation o ON o.id = e.org
             WHERE e.role IS NOT NULL AND e.role <> 'manufacturer'
             GROUP BY o.id ORDER BY count(DISTINCT e.id) DESC, o.name COLLATE NOCASE, o.id"
        ),
        params![weapons],
    )
}

/// An organisation in full: names, the roles it plays in links (with sources), the parts it
/// makes, the trace requests sent to it.
pub fn organisation(conn: &Connection, id: i64) -> Result<Document> {
    let mut doc = Document {
        title: String::new(),
        fields: fields(
            conn,
            &["uid", "name", "country", "country_name", "spellings"],
            "SELECT o.uid, o.name, o.country, c.name,
                    (SELECT json_group_array(s.text ORDER BY s.text) FROM organisation_spelling s WHERE s.organisation_id = o.id)
             FROM organisation o LEFT JOIN country c ON c.code = o.country WHERE o.id = ?1",
            [id],
        )?,
        sections: Vec::new(),
    };
    doc.title = format!(
        "Organisation {}",
        doc.fields.get(1).map(|(_, c)| c.text()).unwrap_or_default()
    );
    doc.sections.push((
        "roles",
        listing(
            conn,
            &["role", "links", "sources"],
            &format!(
                "{LINKS},
                 ends AS (SELECT id, from_org AS org, from_role AS role FROM lk UNION ALL SELECT id, to_org, to_role FROM lk
                          UNION ALL SELECT l.id, coalesce(f.merged_into, f.id), l.from_role FROM supply_link l
                            JOIN organisation f ON f.id = l.from_organisation_id WHERE l.from_role = 'involved')
                 SELECT coalesce(e.role, '(unstated)'), count(DISTINCT e.id),
                        (SELECT count(DISTINCT x.source_id) FROM ends e2 JOIN supply_link_source x ON x.supply_link_id = e2.id
                          WHERE e2.org = ?1 AND e2.role IS e.role)
                 FROM ends e WHERE e.org = ?1 GROUP BY e.role ORDER BY e.role"
            ),
            [id],
        )?,
    ));
    doc.sections.push(("links", organisation_links(conn, id)?));
    doc.sections.push((
        "trace requests",
        listing(
            conn,
            &["uid", "sent_on", "due_on", "subject"],
            "SELECT t.uid, t.sent_on, t.due_on, t.subject FROM trace_request t
             JOIN organisation o ON o.id = t.organisation_id
             WHERE coalesce(o.merged_into, o.id) = ?1 ORDER BY t.sent_on, t.uid",
            [id],
        )?,
    ));
    Ok(doc)
}

fn organisation_links(conn: &Connection, id: i64) -> Result<Listing> {
    listing(
        conn,
        &["link", "role", "direction", "counterpart", "part", "brand", "lot", "moved_on", "how_known", "confidence", "sources"],
        "WITH ends AS (
           SELECT l.id, l.from_role AS role, 'to' AS direction, l.to_organisation_id AS other FROM supply_link l
             JOIN organisation f ON f.id = l.from_organisation_id WHERE coalesce(f.merged_into, f.id) = ?1
           UNION ALL
           SELECT l.id, l.to_role, 'from', l.from_organisation_id FROM supply_link l
             JOIN organisation t ON t.id = l.to_organisation_id WHERE coalesce(t.merged_into, t.id) = ?1)
         SELECT l.uid, e.role, e.direction, c.name, coalesce(p.part_number, p.name), b.name, l.lot, l.moved_on,
                l.how_known, l.confidence,
                (SELECT json_group_array(coalesce(s.url, s.title, s.file_name) ORDER BY s.id)
                   FROM supply_link_source x JOIN source s ON s.id = x.source_id WHERE x.supply_link_id = l.id)
         FROM ends e JOIN supply_link l ON l.id = e.id
         LEFT JOIN organisation c ON c.id = e.other
         LEFT JOIN part p ON p.id = l.part_id
         LEFT JOIN organisation b ON b.id = l.brand_id
         ORDER BY l.id, e.direction",
        [id],
    )
}
