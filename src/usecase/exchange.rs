//! Exchange between catalogues: combining another investigator's catalogue into this one
//! (findings with their stable ids and evidence, in one write transaction; its decisions
//! offered, applied only on request).

use std::path::Path;

use anyhow::Result;

use crate::dates::now;
use crate::db::exchange::{self, Conflict, Decision};
use crate::db::ingest::{Ingester, Stats};
use crate::db::merge::{self, Absorb};
use crate::db::{Catalogue, Store};
use crate::evidence::store_dir;

/// What combining did, and what it leaves for a person to review.
#[derive(Debug)]
pub struct Combined {
    pub stats: Stats,
    /// spellings of shared entities (by stable id) added here
    pub adopted: usize,
    pub conflicts: Vec<Conflict>,
    pub decisions: Vec<Decision>,
    /// with accepted decisions: for each decision, whether it was applied or why not
    pub applied: Vec<Result<(), String>>,
}

/// Brings the catalogue at `other` into `ours` (at `ours_path`). With `accept` (Some(author)),
/// the other catalogue's decisions are applied as this catalogue's own, by that author.
pub fn combine(
    ours: &mut Catalogue,
    ours_path: &Path,
    other: &Path,
    accept: Option<&str>,
) -> Result<Combined> {
    let theirs = exchange::open_other(other)?;
    let found = exchange::findings_of(&theirs)?;
    // evidence files travel with their hashes; the store never overwrites other content
    let (from, to) = (store_dir(other), store_dir(ours_path));
    for incoming in &found {
        for sha in incoming.evidence.iter().filter_map(|e| e.sha256.as_deref()) {
            let src = from.join(sha);
            if src.is_file() && !to.join(sha).exists() {
                std::fs::create_dir_all(&to)?;
                std::fs::copy(&src, to.join(sha))?;
            }
        }
    }
    let tx = ours.write()?;
    let adopted = exchange::adopt_spellings_by_uid(&theirs, &tx)?;
    let stats = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        for i in &found {
            ingester.record_carried(&i.finding, &i.evidence, i.carried.clone())?;
        }
        ingester.stats.clone()
    };
    crate::db::refresh_search_index(&tx)?;
    let conflicts = exchange::conflicts(&theirs, &tx)?;
    let decisions = exchange::decisions(&theirs, &tx)?;
    let applied = match accept {
        Some(who) => {
            let from = format!(
                "{} (catalogue {})",
                other.display(),
                exchange::catalogue_uid(&theirs)?.unwrap_or_default()
            );
            apply(&tx, &decisions, who, &from)?
        }
        None => Vec::new(),
    };
    tx.commit()?;
    Ok(Combined {
        stats,
        adopted,
        conflicts,
        decisions,
        applied,
    })
}

/// Applies each decision as this catalogue's own, with a note naming where it came from.
/// A merge that a "different" here keeps apart is not applied; the reason is kept.
fn apply(
    store: &Store,
    decisions: &[Decision],
    who: &str,
    from: &str,
) -> Result<Vec<Result<(), String>>> {
    let mut out = Vec::new();
    for d in decisions {
        let note = format!(
            "accepted from {from}: their judgement {} by {} on {}{}",
            d.uid,
            d.author.as_deref().unwrap_or("(no author)"),
            d.decided_at,
            d.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        );
        let result = match d.verdict.as_str() {
            "same" => merge::merge(
                store,
                d.family,
                d.left.0,
                &[Absorb {
                    id: d.right.0,
                    score: None,
                    reasons: Some("decision of another catalogue".into()),
                }],
                who,
                Some(&note),
                None,
            )
            .map(|_| ())
            .map_err(|e| e.to_string()),
            "different" => merge::distinct(store, d.family, d.left.0, d.right.0, who, Some(&note))
                .map_err(|e| e.to_string()),
            _ => Err("an 'unsure' judgement is not a decision to apply".into()),
        };
        out.push(result);
    }
    Ok(out)
}

/// What to export: findings in one weapon model, of one maker's parts, observed in a period.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    pub weapon: Option<String>,
    pub manufacturer: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// What an export holds besides its findings rows.
#[derive(Debug)]
pub struct Exported {
    /// what the export says of itself (format version, comptrace version, catalogue uid)
    pub header: serde_json::Value,
    /// every entity the findings rest on, with its stable uid
    pub entities: Vec<serde_json::Value>,
    /// the absorbed entities and judgements behind them
    pub decisions: Vec<serde_json::Value>,
    /// how many findings were selected
    pub findings: i64,
}

/// Reads an export from one state of the catalogue. With `findings_row`, each finding is
/// handed over as a row of the import format (one per source) as it is read, so memory stays
/// flat however large the catalogue.
pub fn export(
    catalogue: &mut Catalogue,
    request: &ExportRequest,
    findings_row: Option<&mut dyn FnMut(Vec<Option<String>>) -> Result<()>>,
) -> Result<Exported> {
    use crate::db::export as store;
    use crate::db::query::{find_organisations, find_weapons, require};
    let read = catalogue.read()?;
    let weapons = match &request.weapon {
        Some(w) => Some(require(find_weapons(&read, w)?, "weapon", w, "--weapon")?),
        None => None,
    };
    let makers = match &request.manufacturer {
        Some(m) => Some(require(
            find_organisations(&read, m)?,
            "manufacturer",
            m,
            "--manufacturer",
        )?),
        None => None,
    };
    let scope = crate::db::report::Scope {
        weapons,
        since: request.since.clone(),
        until: request.until.clone(),
    };
    let findings = store::select(&read, &scope, makers.as_deref())?;
    if let Some(row) = findings_row {
        store::findings(&read, row)?;
    }
    Ok(Exported {
        header: store::header(&read)?,
        entities: store::entities(&read)?,
        decisions: store::decisions(&read)?,
        findings,
    })
}
