//! `comptrace check`'s rules for the supply chain (docs/supply-chain.md): what the tables'
//! own constraints cannot say. Each rule is a query naming the rows that break it.

use anyhow::Result;
use rusqlite::Connection;

/// (what is wrong, SQL giving the uid of each row it is wrong of). Constants: no outside text
/// reaches the SQL.
const RULES: [(&str, &str); 8] = [
    (
        "a supply link names an organisation merged into one that is itself merged away (readers follow one step)",
        "SELECT l.uid FROM supply_link l JOIN organisation o ON o.id IN (l.from_organisation_id, l.to_organisation_id)
         JOIN organisation r ON r.id = o.merged_into WHERE r.merged_into IS NOT NULL",
    ),
    (
        "a supply link names both a part and a brand (a brand-only link has no part)",
        "SELECT uid FROM supply_link WHERE part_id IS NOT NULL AND brand_id IS NOT NULL",
    ),
    (
        "a link from a trace answer names no trace request, or one with no answered response",
        "SELECT l.uid FROM supply_link l WHERE l.how_known = 'trace_answer' AND NOT EXISTS (
           SELECT 1 FROM trace_response x WHERE x.trace_request_id = l.trace_request_id AND x.status = 'answered')",
    ),
    (
        "a link from a customs record names no shipment",
        "SELECT uid FROM supply_link WHERE how_known = 'customs' AND shipment_id IS NULL",
    ),
    (
        "a link from a maker label names no finding",
        "SELECT uid FROM supply_link WHERE how_known = 'label' AND observation_id IS NULL",
    ),
    (
        "a value's currency is not three capital letters (ISO 4217)",
        "SELECT uid FROM supply_link WHERE currency GLOB '*[^A-Z]*' OR length(currency) <> 3
         UNION ALL SELECT uid FROM shipment WHERE currency GLOB '*[^A-Z]*' OR length(currency) <> 3",
    ),
    (
        "a trace request is due before it was sent",
        "SELECT uid FROM trace_request WHERE due_on < sent_on",
    ),
    (
        "a trace response names a request to another organisation than the links it established leave from",
        "SELECT l.uid FROM supply_link l JOIN trace_request r ON r.id = l.trace_request_id
         JOIN organisation a ON a.id = r.organisation_id JOIN organisation f ON f.id = l.from_organisation_id
         WHERE coalesce(a.merged_into, a.id) <> coalesce(f.merged_into, f.id)",
    ),
];

/// The problems found, one line per rule broken: how many rows and the first few uids.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (what, sql) in RULES {
        let mut stmt = conn.prepare(sql)?;
        let uids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(problem) = problem(what, &uids) {
            out.push(problem);
        }
    }
    Ok(out)
}

/// "supply chain: WHAT: N rows (uid, uid, ...)", the first five uids named.
fn problem(what: &str, uids: &[String]) -> Option<String> {
    const SHOWN: usize = 5;
    if uids.is_empty() {
        return None;
    }
    let mut named = uids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if uids.len() > SHOWN {
        named.push_str(", ...");
    }
    Some(format!(
        "supply chain: {what}: {} rows ({named})",
        uids.len()
    ))
}
