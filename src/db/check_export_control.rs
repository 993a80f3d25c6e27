//! The invariants `check` verifies on classifications and screening (issue 18): stated HS
//! codes and ECCNs are well-formed, screening decisions name an entry a list holds and
//! supersede a decision on the same pair; and, for review only, stated codes the current
//! inference rules disagree with.
//!
//! Inferred codes are never stored: every report infers them from the bundled rules it was
//! built with (and names those rules' SHA-256 in its basis), so within a catalogue they cannot
//! drift. What can disagree is a statement and the rules, and that is listed for review, not
//! as a problem: a statement beats inference, but a difference means one of them is wrong.

use anyhow::Result;
use rusqlite::Connection;

use crate::classification::{classify, parse_eccn, parse_hs_code, subheading, Basis, Chpl, Rules};

/// Stated HS codes and ECCNs, in findings and in the `classify` log, that the parsers refuse.
pub fn malformed_codes(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT 'finding ' || uid, stated_hs_code, stated_eccn FROM observation
          WHERE stated_hs_code IS NOT NULL OR stated_eccn IS NOT NULL
         UNION ALL
         SELECT 'classification ' || uid, hs_code, eccn FROM classification
         ORDER BY 1",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let what: String = r.get(0)?;
        if let Some(Err(e)) = r.get::<_, Option<String>>(1)?.map(|c| parse_hs_code(&c)) {
            out.push(format!("classification: {what}: {e}"));
        }
        if let Some(Err(e)) = r.get::<_, Option<String>>(2)?.map(|c| parse_eccn(&c)) {
            out.push(format!("classification: {what}: {e}"));
        }
    }
    Ok(out)
}

/// Screening decisions whose entry no version of their list holds, or whose `supersedes`
/// points at a decision on another pair, or a later one.
pub fn decisions(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT d.uid, d.list_name, d.entry_id FROM screening_decision d
          WHERE NOT EXISTS (SELECT 1 FROM designated_party p JOIN designation_list l ON l.id = p.list_id
                             WHERE l.name = d.list_name AND p.entry_id = d.entry_id)
          ORDER BY d.id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (uid, list, entry) = row?;
        out.push(format!(
            "screening: decision {uid} is on entry '{entry}' of list '{list}', which no loaded version of that list holds"
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT d.uid, s.uid FROM screening_decision d JOIN screening_decision s ON s.id = d.supersedes
          JOIN organisation od ON od.id = d.organisation_id JOIN organisation os ON os.id = s.organisation_id
          WHERE s.id >= d.id OR s.list_name <> d.list_name OR s.entry_id <> d.entry_id
             OR coalesce(od.merged_into, od.id) <> coalesce(os.merged_into, os.id)
          ORDER BY d.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (uid, superseded) = row?;
        out.push(format!(
            "screening: decision {uid} supersedes {superseded}, which is not an earlier decision on the same organisation and list entry"
        ));
    }
    Ok(out)
}

/// Parts whose stated code and the code the current rules infer from their category and
/// texts differ in their six-digit subheading: for review (a statement wins, but one of the
/// two is wrong).
pub fn stated_against_inferred(conn: &Connection) -> Result<Vec<String>> {
    let rules = Rules::bundled();
    let chpl = Chpl::bundled();
    let mut out = Vec::new();
    for facts in super::classification::part_facts(conn)? {
        let class = classify(&facts, rules, chpl);
        if class.basis != Basis::Stated {
            continue;
        }
        let (Some(stated), Some(inferred)) = (
            class.code.as_deref(),
            rules.infer(facts.category.as_deref(), &facts.texts),
        ) else {
            continue;
        };
        if subheading(stated) != subheading(&inferred.code) {
            let name: String = conn.query_row(
                "SELECT coalesce(part_number, name) FROM part WHERE id = ?1",
                [facts.part],
                |r| r.get(0),
            )?;
            out.push(format!(
                "part '{name}': stated {} but the current rules infer {} ({})",
                crate::classification::display_hs(stated),
                crate::classification::display_hs(&inferred.code),
                inferred.rule
            ));
        }
    }
    Ok(out)
}
