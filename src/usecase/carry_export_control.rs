//! Export control between catalogues (issue 18; docs/exchange.md): an export writes the
//! classification log, the designation lists and the screening decisions; `import-catalogue`
//! and `import FILE.jsonl` carry them in. Classifications and list versions are facts with a
//! source and are recorded under their own uids (so a re-run adds nothing); screening decisions
//! are judgements, offered for review like merges and applied only with --accept-decisions.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use crate::db::Store as Connection;
use anyhow::{Context, Result};
use serde_json::Value;

use crate::dates::now;
use crate::db::export_control::{self as store, CarriedClassification, Scope};
use crate::db::screening::{record_decision, NewDecision};
use crate::screening::Decision;

/// How many carried rows were recorded, were already here, or were left out (with why).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Counts {
    pub recorded: usize,
    pub already_here: usize,
    pub left_out: usize,
}

/// Another catalogue's live screening decision on an organisation held here.
#[derive(Debug, Clone)]
pub struct Offer {
    pub uid: String,
    /// the organisation here (live): its id and name
    pub organisation_id: i64,
    pub organisation: String,
    pub list: String,
    pub entry: String,
    pub verdict: String,
    pub author: String,
    pub recorded_at: String,
    /// our latest verdict on the pair, if any
    pub here: Option<String>,
    /// with --accept-decisions: applied, or why not
    pub applied: Option<Result<(), String>>,
}

/// What carrying the export-control log did.
#[derive(Debug, Default)]
pub struct Carried {
    pub classifications: Counts,
    pub lists: Counts,
    pub offers: Vec<Offer>,
}

/// The export-control objects of an export: classifications of the exported findings' parts,
/// every list version, and the decisions on the organisations the export names.
pub fn exported(conn: &Connection, entities: &[Value]) -> Result<Vec<Value>> {
    let named: Vec<String> = entities
        .iter()
        .filter(|e| e["type"] == "manufacturer" || e["type"] == "organisation")
        .filter_map(|e| e["uid"].as_str().map(str::to_string))
        .collect();
    store::objects(conn, Scope::Selected, Some(&named))
}

/// Carries another catalogue's whole export-control log into `tx`.
pub fn from_catalogue(
    tx: &Connection,
    theirs: &Connection,
    accept: Option<(&str, &str)>,
) -> Result<Carried> {
    carry(tx, &store::objects(theirs, Scope::Whole, None)?, accept)
}

/// Carries the export-control objects of an export in JSON lines (its header was checked by
/// the findings' reader; other objects are skipped here).
pub fn from_jsonl(tx: &Connection, path: &Path, accept: Option<(&str, &str)>) -> Result<Carried> {
    let label = path.display().to_string();
    let file = std::fs::File::open(path).with_context(|| format!("{label}: cannot open"))?;
    let mut objects = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{label}:{}: cannot read", n + 1))?;
        if !line.contains("\"type\"") {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .with_context(|| format!("{label}:{}: not a JSON object", n + 1))?;
        if matches!(
            v["type"].as_str(),
            Some("classification" | "designation_list" | "designation" | "screening_decision")
        ) {
            objects.push(v);
        }
    }
    carry(tx, &objects, accept)
}

/// `accept`: (who accepts, where the decisions came from).
fn carry(tx: &Connection, objects: &[Value], accept: Option<(&str, &str)>) -> Result<Carried> {
    let of = |kind: &'static str| objects.iter().filter(move |o| o["type"] == kind);
    let mut offers = offers(tx, of("screening_decision"))?;
    if let Some((who, from)) = accept {
        for o in &mut offers {
            o.applied = Some(apply(tx, o, who, from)?);
        }
    }
    Ok(Carried {
        classifications: classifications(tx, of("classification"))?,
        lists: lists(tx, of("designation_list").collect(), objects)?,
        offers,
    })
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v[key].as_str().filter(|s| !s.is_empty())
}

/// Records each statement not yet here on its part (by stable uid); one whose part is not here,
/// or whose code does not parse, is left out.
fn classifications<'a>(
    tx: &Connection,
    carried: impl Iterator<Item = &'a Value>,
) -> Result<Counts> {
    use crate::classification::{parse_eccn, parse_hs_code};
    let mut out = Counts::default();
    for c in carried {
        let Some(uid) = text(c, "uid") else {
            out.left_out += 1;
            continue;
        };
        if store::has_uid(tx, "classification", uid)? {
            out.already_here += 1;
            continue;
        }
        let hs = text(c, "hs_code").map(parse_hs_code).transpose();
        let eccn = text(c, "eccn").map(parse_eccn).transpose();
        let part = match text(c, "part") {
            Some(p) => store::part_by_uid(tx, p)?,
            None => None,
        };
        let (Ok(hs), Ok(eccn), Some(part), Some(source), Some(author), Some(at)) = (
            hs,
            eccn,
            part,
            text(c, "source"),
            text(c, "author"),
            text(c, "recorded_at"),
        ) else {
            out.left_out += 1;
            continue;
        };
        if hs.is_none() && eccn.is_none() {
            out.left_out += 1;
            continue;
        }
        store::record_classification(
            tx,
            &CarriedClassification {
                uid,
                part,
                hs_code: hs.as_deref(),
                eccn: eccn.as_deref(),
                source,
                note: text(c, "note"),
                author,
                recorded_at: at,
            },
        )?;
        out.recorded += 1;
    }
    Ok(out)
}

/// Records each list version not yet here, with its entries. A version is left out when this
/// catalogue holds a version of that list recorded at the same time or later (the latest recorded is the one screened
/// against, so an older one carried in must not replace it), and counts as already here when
/// our latest version of the list is the same file (same SHA-256).
fn lists(tx: &Connection, carried: Vec<&Value>, objects: &[Value]) -> Result<Counts> {
    let mut out = Counts::default();
    let mut carried = carried;
    carried.sort_by_key(|l| text(l, "recorded_at").unwrap_or_default().to_string());
    for l in carried {
        let (Some(uid), Some(name), Some(sha), Some(at)) = (
            text(l, "uid"),
            text(l, "name"),
            text(l, "sha256"),
            text(l, "recorded_at"),
        ) else {
            out.left_out += 1;
            continue;
        };
        if store::has_uid(tx, "designation_list", uid)? {
            out.already_here += 1;
            continue;
        }
        let well_formed =
            crate::evidence::is_sha256(sha) && matches!(text(l, "format"), Some("ftm" | "csv"));
        match store::latest_list(tx, name)? {
            Some((_, ours)) if ours == sha => {
                out.already_here += 1;
                continue;
            }
            // a tie keeps ours current too: which came first cannot be told
            Some((ours_at, _)) if ours_at.as_str() >= at => {
                out.left_out += 1;
                continue;
            }
            _ if !well_formed => {
                out.left_out += 1;
                continue;
            }
            _ => {}
        }
        let entries: Vec<&Value> = objects
            .iter()
            .filter(|o| o["type"] == "designation" && text(o, "list") == Some(uid))
            .filter(|o| text(o, "entry_id").is_some() && text(o, "name").is_some())
            .collect();
        store::record_list(tx, l, &entries)?;
        out.recorded += 1;
    }
    Ok(out)
}

/// Their live decisions (the last in their log on each organisation and entry) on organisations
/// held here by stable uid, except those our latest decision already agrees with.
fn offers<'a>(tx: &Connection, carried: impl Iterator<Item = &'a Value>) -> Result<Vec<Offer>> {
    let carried: Vec<&Value> = carried.collect();
    let mut seen = HashSet::new();
    let mut live = Vec::new();
    for d in carried.iter().rev() {
        let pair = (text(d, "organisation"), text(d, "list"), text(d, "entry"));
        if seen.insert(pair) {
            live.push(*d);
        }
    }
    live.reverse();
    let mut out = Vec::new();
    for d in live {
        let (Some(uid), Some(org), Some(list), Some(entry), Some(verdict)) = (
            text(d, "uid"),
            text(d, "organisation"),
            text(d, "list"),
            text(d, "entry"),
            text(d, "verdict"),
        ) else {
            continue;
        };
        let Some((id, name)) = store::organisation_by_uid(tx, org)? else {
            continue;
        };
        let here = store::verdict_here(tx, id, list, entry)?;
        if here.as_deref() == Some(verdict) {
            continue;
        }
        out.push(Offer {
            uid: uid.into(),
            organisation_id: id,
            organisation: name,
            list: list.into(),
            entry: entry.into(),
            verdict: verdict.into(),
            author: text(d, "author").unwrap_or("(no author)").into(),
            recorded_at: text(d, "recorded_at").unwrap_or_default().into(),
            here,
            applied: None,
        });
    }
    Ok(out)
}

/// Records their decision as ours, with a note naming where it came from; "unsure" is not a
/// decision to apply (as for merges).
fn apply(tx: &Connection, o: &Offer, who: &str, from: &str) -> Result<Result<(), String>> {
    let decision = match o.verdict.as_str() {
        "match" => Decision::Match,
        "no match" => Decision::NoMatch,
        _ => return Ok(Err("an 'unsure' decision is not a decision to apply".into())),
    };
    let note = format!(
        "accepted from {from}: their screening decision {} by {} on {}",
        o.uid, o.author, o.recorded_at
    );
    record_decision(
        tx,
        &NewDecision {
            organisation: o.organisation_id,
            list: &o.list,
            entry: &o.entry,
            decision,
            score: None,
            reasons: Some("decision of another catalogue"),
            note: Some(&note),
            author: who,
            recorded_at: &now(),
        },
    )?;
    Ok(Ok(()))
}
