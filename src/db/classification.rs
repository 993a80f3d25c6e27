//! Classifications on record: the `classify` log (appended, never edited) and what reports need
//! to classify each part (its category, texts and every HS code stated for it).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::params;

use super::{new_uid, Store};
use crate::classification::PartFacts;
use crate::table::{Cell, Listing};

/// One statement for `classify`.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    pub part: i64,
    pub hs_code: Option<&'a str>,
    pub eccn: Option<&'a str>,
    pub source: &'a str,
    pub note: Option<&'a str>,
    pub author: &'a str,
    pub recorded_at: &'a str,
}

/// Appends a statement; returns its uid.
pub fn record(store: &Store, s: &Statement) -> Result<String> {
    let uid = new_uid();
    store.execute(
        "INSERT INTO classification (uid, part_id, hs_code, eccn, source, note, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![uid, s.part, s.hs_code, s.eccn, s.source, s.note, s.author, s.recorded_at],
    )?;
    Ok(uid)
}

/// Most component texts read per part: the first rule that matches decides, and a part's texts
/// beyond these are spellings of the same thing.
const TEXTS_PER_PART: usize = 20;

/// Every live part (merges followed) seen in a standing finding, with what classifies it.
pub fn part_facts(store: &Store) -> Result<Vec<PartFacts>> {
    let mut facts: BTreeMap<i64, PartFacts> = BTreeMap::new();
    let mut stmt = store.prepare(
        "SELECT p.id, p.category, p.name, p.part_number,
                json_group_array(DISTINCT o.component_text) FILTER (WHERE o.component_text IS NOT NULL),
                json_group_array(DISTINCT o.stated_hs_code) FILTER (WHERE o.stated_hs_code IS NOT NULL)
         FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         WHERE o.retracted = 0
         GROUP BY p.id ORDER BY p.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let mut texts: Vec<String> = [r.get::<_, Option<String>>(2)?, r.get(3)?]
            .into_iter()
            .flatten()
            .collect();
        let components: Vec<String> = serde_json::from_str(&r.get::<_, String>(4)?)?;
        texts.extend(components.into_iter().take(TEXTS_PER_PART));
        facts.insert(
            id,
            PartFacts {
                part: id,
                category: r.get(1)?,
                texts,
                stated: serde_json::from_str(&r.get::<_, String>(5)?)?,
            },
        );
    }
    // statements by `classify`, on the part named or on one merged into it since
    let mut stmt = store.prepare(
        "SELECT coalesce(p.merged_into, p.id), c.hs_code FROM classification c
         JOIN part p ON p.id = c.part_id WHERE c.hs_code IS NOT NULL ORDER BY c.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(f) = facts.get_mut(&r.get::<_, i64>(0)?) {
            f.stated.push(r.get(1)?);
        }
    }
    Ok(facts.into_values().collect())
}

/// Every statement on a part (the part given and those merged into it): from `classify` and
/// from findings' rows, oldest first.
pub fn statements(store: &Store, part: i64) -> Result<Listing> {
    let mut out = Listing::new(&[
        "hs_code",
        "eccn",
        "stated_by",
        "source",
        "author",
        "recorded_at",
    ]);
    let mut stmt = store.prepare(
        "SELECT hs_code, eccn, 'classify ' || uid, source, author, recorded_at FROM classification
          WHERE part_id IN (SELECT id FROM part WHERE coalesce(merged_into, id) = ?1)
         UNION ALL
         SELECT o.stated_hs_code, o.stated_eccn, 'finding ' || o.uid, NULL, o.investigator, o.logged_at
           FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
          WHERE ps.part_id = ?1 AND o.retracted = 0 AND (o.stated_hs_code IS NOT NULL OR o.stated_eccn IS NOT NULL)
         ORDER BY 6, 3",
    )?;
    let rows = stmt.query_map([part], |r| {
        (0..6)
            .map(|i| r.get::<_, Option<String>>(i).map(Cell::from))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    for row in rows {
        out.rows.push(row?);
    }
    Ok(out)
}
