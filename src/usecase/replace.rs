//! `import FILE --replace-source URL`: a corrected version of a published dataset (the same
//! source, some rows changed or gone) recorded as revisions and retractions of exactly what
//! changed, instead of new findings beside the old ones. One write transaction.
//!
//! Pairing (each row with the finding it revises), among the standing findings citing URL or a
//! record under it (`db::revision::findings_under_source`):
//! 1. a row whose source_url is a record of its own (not URL itself) pairs with the finding
//!    citing that record; a record no finding cites is a new finding; where several findings
//!    cite the record, its weapon, unit, part and maker choose among them;
//! 2. a row citing URL itself pairs by weapon, unit serial, part (its part number, else its
//!    component) and maker, compared with case and runs of white space folded;
//! 3. identical rows are one finding stated again (counted as repeated); a row with several
//!    candidates, and rows that differ yet claim one finding, are not paired: it is listed, not imported, and the findings it could mean are left as
//!    they are (neither revised nor retracted).
//!
//! A paired finding whose fields differ gets a revision (`correct::revise`); one that agrees is
//! unchanged; a finding no row pairs with (and no unpaired row could mean) is retracted.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use super::correct::{revise, stated_now_all};
use super::import::{csv_error, detect_delimiter, header_positions};
use crate::dates::now;
use crate::db::correction::{self, Action, Entry};
use crate::db::ingest::{Ingester, Stats};
use crate::db::revision::{self, UnderSource};
use crate::db::{import_batch, Catalogue};
use crate::finding::Finding;
use crate::table::{Cell, Listing};

/// What replacing a source did (or, with a dry run, would do).
#[derive(Debug, Clone)]
pub struct Replaced {
    pub rows: u64,
    pub added: u64,
    pub revised: u64,
    pub retracted: u64,
    pub unchanged: u64,
    /// Rows that state again what an earlier row of the file states (one finding).
    pub repeated: u64,
    /// Rows of the file and findings of the catalogue that could not be paired, with why.
    pub unpaired: Listing,
    pub stats: Stats,
}

/// Who replaces the source, and why (kept with every revision and retraction).
#[derive(Debug, Clone)]
pub struct Replacing<'a> {
    pub url: &'a str,
    pub author: &'a str,
    pub reason: &'a str,
    pub dry_run: bool,
}

/// One row of the replacing file: its line and the finding it states.
struct Row {
    line: u64,
    finding: Finding,
}

/// Reads every row of the file (all or nothing: the first bad row stops it, naming its line),
/// and its SHA-256.
fn read_rows(path: &Path, label: &str, url: &str) -> Result<(Vec<Row>, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("{label}: cannot read"))?;
    let sha = format!("{:x}", Sha256::digest(&bytes));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(detect_delimiter(&bytes))
        .from_reader(bytes.as_slice());
    let header = reader.headers().map_err(|e| csv_error(label, e))?.clone();
    let positions = header_positions(label, &header)?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(label, e))?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        let finding = Finding::from_fields(|name| {
            positions
                .get(name)
                .and_then(|&at| record.get(at))
                .map(str::trim)
        })
        .map_err(|e| {
            anyhow::anyhow!(
                "{label}:{line}: {}: {}; nothing was imported",
                e.column,
                e.message
            )
        })?;
        let cited = finding.get("source_url").unwrap_or_default();
        if !under(url, cited) {
            bail!("{label}:{line}: source_url '{cited}' is not {url} nor a record under it; every row of a file replacing a source must cite it; nothing was imported");
        }
        rows.push(Row { line, finding });
    }
    if rows.is_empty() {
        bail!("{label}: no rows after the header; nothing was imported (a source is retracted with `retract-source`)");
    }
    Ok((rows, sha))
}

/// Whether `cited` is the dataset's URL or a record under it (the rule of
/// `findings_under_source`).
fn under(url: &str, cited: &str) -> bool {
    cited == url
        || cited
            .strip_prefix(url)
            .is_some_and(|rest| url.ends_with('/') || rest.starts_with(['/', '?', '#']))
}

/// What pairs a row with a finding under one source: weapon, unit serial, part (number, else
/// component) and maker, case and runs of white space folded.
fn pairing_key(get: impl Fn(&str) -> Option<String>) -> String {
    let fold = |v: Option<String>| {
        v.unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let part = get("part_number").or_else(|| get("component"));
    [
        fold(get("weapon")),
        fold(get("unit_serial")),
        fold(part),
        fold(get("manufacturer")),
    ]
    .join("\u{1f}")
}

/// What a row of the replacing file pairs with (indexes into the findings under the source).
#[derive(Debug, Clone, PartialEq)]
enum Paired {
    /// No finding: a new one.
    New,
    /// This finding, which it revises or leaves unchanged.
    With(usize),
    /// The finding an earlier identical row pairs with: one finding stated twice.
    Repeat(usize),
    /// Several findings it could mean, or one another row that states something else claims
    /// too: not paired, and these findings are left alone.
    Unpaired(Vec<usize>),
}

fn pair(url: &str, rows: &[Row], findings: &[UnderSource], keys: &[String]) -> Vec<Paired> {
    let mut by_record: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_record.entry(f.record_url.as_str()).or_default().push(i);
        by_key.entry(keys[i].as_str()).or_default().push(i);
    }
    let mut pairing: Vec<Paired> = rows
        .iter()
        .map(|row| {
            let key = pairing_key(|n| row.finding.get(n).map(str::to_string));
            let record = row.finding.get("source_url").unwrap_or_default();
            let candidates: Vec<usize> = if record != url {
                let cited = by_record.get(record).cloned().unwrap_or_default();
                if cited.len() > 1 {
                    cited.into_iter().filter(|&i| keys[i] == key).collect()
                } else {
                    cited
                }
            } else {
                by_key.get(key.as_str()).cloned().unwrap_or_default()
            };
            match candidates.as_slice() {
                [] => Paired::New,
                [one] => Paired::With(*one),
                _ => Paired::Unpaired(candidates),
            }
        })
        .collect();
    // rows claiming one finding: identical rows are that finding stated again; rows that
    // differ cannot all be it, so none is paired
    let mut claimants: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (r, p) in pairing.iter().enumerate() {
        if let Paired::With(i) = p {
            claimants.entry(*i).or_default().push(r);
        }
    }
    for (finding, claiming) in claimants {
        let [first, rest @ ..] = claiming.as_slice() else {
            continue;
        };
        let identical = rest
            .iter()
            .all(|&r| rows[r].finding == rows[*first].finding);
        for &r in rest {
            pairing[r] = if identical {
                Paired::Repeat(finding)
            } else {
                Paired::Unpaired(vec![finding])
            };
        }
        if !identical {
            pairing[*first] = Paired::Unpaired(vec![finding]);
        }
    }
    pairing
}

/// Replaces the source `how.url` with the file at `path` (see the module's comment).
pub fn replace_source(catalogue: &mut Catalogue, path: &Path, how: &Replacing) -> Result<Replaced> {
    let label = path.display().to_string();
    if how.reason.trim().is_empty() {
        bail!("--reason: empty; every correction says why; nothing was changed");
    }
    let (rows, sha) = read_rows(path, &label, how.url)?;
    let stamp = now();
    let tx = catalogue.write()?;
    let findings = revision::findings_under_source(&tx, how.url)?;
    let ids: Vec<i64> = findings.iter().map(|f| f.id).collect();
    let stated = stated_now_all(&tx, &ids)?;
    let keys: Vec<String> = stated
        .iter()
        .map(|s| pairing_key(|n| s.get(n).cloned().flatten()))
        .collect();
    let pairing = pair(how.url, &rows, &findings, &keys);

    let mut out = Replaced {
        rows: rows.len() as u64,
        added: 0,
        revised: 0,
        retracted: 0,
        unchanged: 0,
        repeated: 0,
        unpaired: Listing::new(&["what", "at", "weapon", "part", "manufacturer", "why"]),
        stats: Stats::default(),
    };
    let import_id = import_batch::start(&tx, &label, &stamp)?;
    let made = revision::Made {
        author: how.author,
        reason: how.reason.trim(),
        at: &stamp,
    };
    let mut left_alone: BTreeSet<usize> = BTreeSet::new();
    let mut paired: BTreeSet<usize> = BTreeSet::new();
    {
        let mut ingester = Ingester::new(&tx, stamp.clone(), Some(import_id))?;
        for (row, p) in rows.iter().zip(&pairing) {
            match p {
                Paired::With(i) => {
                    paired.insert(*i);
                    let revised = revise(
                        &tx,
                        &mut ingester,
                        findings[*i].id,
                        &stated[*i],
                        &row.finding,
                        &made,
                    )
                    .with_context(|| {
                        format!(
                            "{label}:{}: revising finding {}",
                            row.line, findings[*i].uid
                        )
                    })?;
                    if revised.is_some() {
                        out.revised += 1;
                    } else {
                        out.unchanged += 1;
                    }
                }
                Paired::Repeat(_) => out.repeated += 1,
                Paired::Unpaired(candidates) => {
                    left_alone.extend(candidates);
                    let uids: Vec<&str> = candidates
                        .iter()
                        .map(|&i| findings[i].uid.as_str())
                        .collect();
                    out.unpaired.rows.push(row_cells(
                        "row",
                        format!("line {}", row.line),
                        &row.finding,
                        format!("could be any of {}: not imported", uids.join(", ")),
                    ));
                }
                Paired::New => {
                    let recorded = ingester.record(&row.finding, &[]).with_context(|| {
                        format!(
                            "{label}:{}: recording this row; nothing was imported",
                            row.line
                        )
                    })?;
                    if recorded.was_new {
                        out.added += 1;
                    }
                }
            }
        }
        out.stats = ingester.stats.clone();
    }
    let entry = Entry {
        uid: None,
        action: Action::Retract,
        reason: &format!(
            "not in {label}, which replaces the source {}: {}",
            how.url,
            how.reason.trim()
        ),
        evidence_url: None,
        evidence_file: None,
        evidence_sha256: None,
        author: how.author,
        at: &stamp,
    };
    for (i, f) in findings.iter().enumerate() {
        if paired.contains(&i) {
            continue;
        }
        if left_alone.contains(&i) {
            let s = &stated[i];
            out.unpaired.rows.push(vec![
                Cell::from("finding"),
                Cell::from(f.uid.clone()),
                Cell::from(s.get("weapon").cloned().flatten()),
                Cell::from(
                    s.get("part_number")
                        .cloned()
                        .flatten()
                        .or_else(|| s.get("component").cloned().flatten()),
                ),
                Cell::from(s.get("manufacturer").cloned().flatten()),
                Cell::from("an unpaired row could mean it: left as it is"),
            ]);
            continue;
        }
        correction::record_for_finding(&tx, f.id, &entry)?;
        out.retracted += 1;
    }
    import_batch::finish(&tx, import_id, &sha, out.rows, out.added)?;
    crate::db::refresh_search_index(&tx)?;
    if how.dry_run {
        // dropped, not committed: every change of the run is rolled back
        drop(tx);
    } else {
        tx.commit()?;
    }
    Ok(out)
}

fn row_cells(what: &str, at: String, f: &Finding, why: String) -> Vec<Cell> {
    vec![
        Cell::from(what),
        Cell::from(at),
        Cell::from(f.weapon()),
        Cell::from(f.part_number().or(f.component()).map(str::to_string)),
        Cell::from(f.manufacturer().map(str::to_string)),
        Cell::from(why),
    ]
}
