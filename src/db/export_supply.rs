//! What `export` writes of the supply chain (docs/exchange.md, docs/supply-chain.md): the
//! organisations links name, supply links, weapon producers, trace requests with their
//! responses, and shipment records, each with its stable uid and naming others by theirs.
//!
//! In scope: links stated by a selected finding, of a selected finding's part or of its maker's
//! brand, or established by a trace request about one; shipments behind those links; trace
//! requests about selected findings; producers of the selected findings' weapons.

use super::source_archive::{ACCESSED_ON, ARCHIVE_FILE, ARCHIVE_SHA256};
use anyhow::Result;
use rusqlite::Connection;
use serde_json::Value;

use super::query::listing;

/// (JSON lines `type`, SQL giving that type's columns in ENTITY_FILES order). Every statement
/// reads `temp.selected`, filled by `export::select`.
const SUPPLY: &[(&str, &str)] = &[
    (
        "supply_link",
        "WITH sel_parts AS (SELECT DISTINCT coalesce(p.merged_into, p.id) AS id FROM temp.selected s
                              JOIN observation o ON o.id = s.id JOIN part_spelling ps ON ps.id = o.part_spelling_id
                              JOIN part p ON p.id = ps.part_id),
              sel_makers AS (SELECT DISTINCT p.manufacturer_id AS id FROM sel_parts sp JOIN part p ON p.id = sp.id)
         SELECT l.uid, f.uid, l.from_role, l.from_country, t.uid, l.to_role, l.to_country, p.uid, b.uid,
                l.lot, l.date_code, l.quantity, CAST(l.value AS TEXT), l.currency, l.moved_on, l.how_known, l.confidence,
                o.uid, r.uid, sh.uid, l.note, l.recorded_at,
                (SELECT json_group_array(s.uid ORDER BY s.id) FROM supply_link_source x JOIN source s ON s.id = x.source_id
                  WHERE x.supply_link_id = l.id)
         FROM supply_link l
         LEFT JOIN organisation f ON f.id = l.from_organisation_id
         LEFT JOIN organisation t ON t.id = l.to_organisation_id
         LEFT JOIN part p ON p.id = l.part_id
         LEFT JOIN organisation b ON b.id = l.brand_id
         LEFT JOIN observation o ON o.id = l.observation_id
         LEFT JOIN trace_request r ON r.id = l.trace_request_id
         LEFT JOIN shipment sh ON sh.id = l.shipment_id
         WHERE l.observation_id IN (SELECT id FROM temp.selected)
            OR coalesce(p.merged_into, p.id) IN (SELECT id FROM sel_parts)
            OR coalesce(b.merged_into, b.id) IN (SELECT id FROM sel_makers)
            OR l.trace_request_id IN (SELECT trace_request_id FROM trace_request_finding
                                      WHERE observation_id IN (SELECT id FROM temp.selected))
         ORDER BY l.id",
    ),
    (
        "trace_request",
        "SELECT r.uid, o.uid, r.sent_on, r.due_on, r.subject, r.author, r.recorded_at,
                (SELECT json_group_array(ob.uid ORDER BY ob.id) FROM trace_request_finding f
                  JOIN observation ob ON ob.id = f.observation_id WHERE f.trace_request_id = r.id)
         FROM trace_request r JOIN organisation o ON o.id = r.organisation_id
         WHERE r.id IN (SELECT trace_request_id FROM trace_request_finding WHERE observation_id IN (SELECT id FROM temp.selected))
         ORDER BY r.id",
    ),
    (
        "trace_response",
        "SELECT x.uid, r.uid, x.status, x.received_on, x.answer, x.evidence_url, x.author, x.recorded_at
         FROM trace_response x JOIN trace_request r ON r.id = x.trace_request_id
         WHERE r.id IN (SELECT trace_request_id FROM trace_request_finding WHERE observation_id IN (SELECT id FROM temp.selected))
         ORDER BY x.id",
    ),
    (
        "weapon_producer",
        "SELECT wp.uid, w.uid, o.uid, wp.site, wp.country, ob.uid, wp.confidence, wp.recorded_at,
                (SELECT json_group_array(s.uid ORDER BY s.id) FROM weapon_producer_source x JOIN source s ON s.id = x.source_id
                  WHERE x.weapon_producer_id = wp.id)
         FROM weapon_producer wp JOIN weapon w ON w.id = wp.weapon_id
         LEFT JOIN organisation o ON o.id = wp.organisation_id
         LEFT JOIN observation ob ON ob.id = wp.observation_id
         WHERE wp.weapon_id IN (SELECT DISTINCT ws.origin_weapon_id FROM temp.selected s JOIN observation o ON o.id = s.id
                                JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id)
            OR wp.weapon_id IN (SELECT DISTINCT ws.weapon_id FROM temp.selected s JOIN observation o ON o.id = s.id
                                JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id)
         ORDER BY wp.id",
    ),
];

/// The columns of each supply type, as ENTITY_FILES lists them.
pub const SUPPLY_LINK_COLUMNS: &[&str] = &[
    "uid",
    "from",
    "from_role",
    "from_country",
    "to",
    "to_role",
    "to_country",
    "part",
    "brand",
    "lot",
    "date_code",
    "quantity",
    "value",
    "currency",
    "moved_on",
    "how_known",
    "confidence",
    "finding",
    "trace_request",
    "shipment",
    "note",
    "recorded_at",
    "sources",
];
pub const TRACE_REQUEST_COLUMNS: &[&str] = &[
    "uid",
    "organisation",
    "sent_on",
    "due_on",
    "subject",
    "author",
    "recorded_at",
    "findings",
];
pub const TRACE_RESPONSE_COLUMNS: &[&str] = &[
    "uid",
    "request",
    "status",
    "received_on",
    "answer",
    "evidence_url",
    "author",
    "recorded_at",
];
pub const WEAPON_PRODUCER_COLUMNS: &[&str] = &[
    "uid",
    "weapon",
    "organisation",
    "site",
    "country",
    "finding",
    "confidence",
    "recorded_at",
    "sources",
];
pub const SHIPMENT_COLUMNS: &[&str] = &[
    "uid",
    "date",
    "hs_code",
    "description",
    "part_number",
    "brand",
    "quantity",
    "value",
    "currency",
    "exporter",
    "exporter_country",
    "importer",
    "importer_country",
    "source",
    "recorded_at",
];
pub const ORGANISATION_COLUMNS: &[&str] = &["uid", "name", "country", "spellings"];

fn columns_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "supply_link" => SUPPLY_LINK_COLUMNS,
        "trace_request" => TRACE_REQUEST_COLUMNS,
        "trace_response" => TRACE_RESPONSE_COLUMNS,
        "weapon_producer" => WEAPON_PRODUCER_COLUMNS,
        _ => unreachable!("a supply type of this file"),
    }
}

/// Every supply object in scope, then the shipments behind the exported links, the sources
/// they cite that no selected finding cites, and the organisations they name. A value is
/// exported as text, exactly as stored.
pub fn supply(conn: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for &(kind, sql) in SUPPLY {
        out.extend(objects(conn, kind, columns_of(kind), sql, [])?);
    }
    let links: Vec<String> = out
        .iter()
        .filter(|v| v["type"] == "supply_link")
        .map(|v| v["uid"].as_str().unwrap_or_default().to_string())
        .collect();
    let links = serde_json::to_string(&links)?;
    out.extend(objects(
        conn,
        "shipment",
        SHIPMENT_COLUMNS,
        "SELECT sh.uid, sh.shipped_on, sh.hs_code, sh.description, sh.part_number, sh.brand, sh.quantity, CAST(sh.value AS TEXT),
                sh.currency, e.uid, sh.exporter_country, i.uid, sh.importer_country, s.uid, sh.recorded_at
         FROM shipment sh JOIN organisation e ON e.id = sh.exporter_id JOIN organisation i ON i.id = sh.importer_id
         LEFT JOIN source s ON s.id = sh.source_id
         WHERE sh.id IN (SELECT shipment_id FROM supply_link WHERE uid IN (SELECT value FROM json_each(?1)))
         ORDER BY sh.id",
        [&links],
    )?);
    let cited: Vec<&str> = out
        .iter()
        .flat_map(|v| {
            let listed = v["sources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            listed.chain(v["source"].as_str())
        })
        .collect();
    out.extend(objects(
        conn,
        "source",
        super::export::SOURCE_COLUMNS,
        &format!(
            "SELECT s.uid, s.kind, s.url, s.file_name, s.sha256, s.publisher, s.title, s.published_on,
                {ACCESSED_ON}, {ARCHIVE_FILE}, {ARCHIVE_SHA256}
         FROM source s WHERE s.uid IN (SELECT value FROM json_each(?1))
           AND s.id NOT IN (SELECT x.source_id FROM temp.selected sel JOIN observation_source x ON x.observation_id = sel.id)
         ORDER BY s.id"
        ),
        [&serde_json::to_string(&cited)?],
    )?);
    let named: Vec<&str> = out
        .iter()
        .flat_map(|v| {
            [
                "from",
                "to",
                "brand",
                "organisation",
                "exporter",
                "importer",
            ]
            .map(|k| v[k].as_str())
        })
        .flatten()
        .collect();
    let named = serde_json::to_string(&named)?;
    out.extend(objects(
        conn,
        "organisation",
        ORGANISATION_COLUMNS,
        "SELECT o.uid, o.name, o.country,
                (SELECT json_group_array(s.text ORDER BY s.id) FROM organisation_spelling s WHERE s.organisation_id = o.id)
         FROM organisation o WHERE o.uid IN (SELECT value FROM json_each(?1)) ORDER BY o.id",
        [&named],
    )?);
    Ok(out)
}

/// Rows of `sql` as JSON objects of `kind`, keys in `columns` order; the columns named
/// `sources`, `findings` and `spellings` hold JSON arrays.
fn objects(
    conn: &Connection,
    kind: &str,
    columns: &'static [&'static str],
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Value>> {
    let rows = listing(conn, columns, sql, params)?;
    Ok(rows
        .rows
        .iter()
        .map(|row| {
            let mut o = serde_json::Map::new();
            o.insert("type".into(), Value::from(kind));
            for (c, cell) in columns.iter().zip(row) {
                let v = match (*c, cell) {
                    ("findings", crate::table::Cell::Text(t)) => {
                        serde_json::from_str(t).unwrap_or(Value::Null)
                    }
                    _ => cell.json(),
                };
                o.insert((*c).to_string(), v);
            }
            Value::Object(o)
        })
        .collect())
}
