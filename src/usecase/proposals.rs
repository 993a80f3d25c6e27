//! Another catalogue's corrections of findings we share (by stable id), as proposals: its
//! revisions and retractions are listed for review and applied only with `--accept-decisions`
//! (as its merge decisions are), by the investigator who accepts them; two catalogues that
//! amended one finding each their own way are reported as a conflict and never chosen between.
//!
//! A shared finding (its uid here and there) is compared by fingerprints:
//! - theirs states what ours states now, or what ours stated in an earlier revision: nothing to
//!   propose (we are level, or ahead);
//! - ours states what theirs stated in an earlier revision: they amended it since; their
//!   finding is proposed as our next revision;
//! - otherwise, when either side amended it: both changed it their own way, a conflict;
//! - otherwise (neither amended it): two findings that share a uid, which the ingester takes as
//!   it always has (a new uid for theirs).
//!
//! Their corrections of an entity itself (`correct`: a maker's country ...) of an entity we
//! share by stable id are proposed the same way, fact by fact: their latest value, when ours
//! differs and we never corrected that fact (or only by accepting theirs), is an "entity
//! correction"; when we corrected it ourselves to another value, an "entity correction
//! conflict", listed and never applied. An entity this import added brings its log with it.

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use super::correct::{amendable, revise, stated_now};
use crate::dates::now;
use crate::db::correction::{self, Action, Entry};
use crate::db::entity_revision::{self, Fact, Logged};
use crate::db::exchange::Incoming;
use crate::db::ingest::{fingerprint, Ingester};
use crate::db::revision::{self, History};
use crate::db::Store;
use crate::finding::FIELDS;

/// One correction of the other catalogue offered for review.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// "revision", "retraction", "unretraction" or "revision conflict"
    pub kind: &'static str,
    /// the finding's uid
    pub finding: String,
    /// what it changes: the fields, or the reason
    pub subject: String,
    /// who made it there, when and why
    pub there: String,
    /// with --accept-decisions: applied, or why not (a conflict is never applied)
    pub applied: Option<Result<(), String>>,
    /// for a revision: our finding's row id and index of their finding among the incoming
    target: Option<(i64, usize)>,
    /// for a retraction: our finding's row id and their entry
    entry: Option<(i64, usize)>,
    /// for an entity correction: our entity's row id and their entry
    correction: Option<(i64, usize)>,
}

/// Splits the incoming findings: returns the indexes of those not to ingest (their
/// corrections of findings we share, proposed or in conflict) and the proposals.
pub fn shared_revisions(
    store: &Store,
    theirs: &Store,
    found: &[Incoming],
) -> Result<(HashSet<usize>, Vec<Proposal>)> {
    let their_histories = revision::histories(theirs)?;
    let our_histories = revision::histories(store)?;
    let mut skip = HashSet::new();
    let mut proposals = Vec::new();
    for (i, incoming) in found.iter().enumerate() {
        let Some(uid) = incoming.finding.uid() else {
            continue;
        };
        let Some((our_id, our_fp)) = revision::by_uid(store, uid)? else {
            continue;
        };
        let their_fp = fingerprint(&incoming.finding, &incoming.evidence, 0).to_vec();
        let ours = our_histories.get(uid);
        let theirs = their_histories.get(uid);
        let stated_by = |h: Option<&History>, fp: &[u8]| {
            h.is_some_and(|h| h.fingerprints.iter().any(|f| f == fp))
        };
        if their_fp == our_fp || stated_by(ours, &their_fp) {
            continue;
        }
        if ours.is_none() && theirs.is_none() {
            continue;
        }
        skip.insert(i);
        let changed = changed_fields(store, our_id, incoming)?;
        let there = theirs.map_or_else(
            || "(not amended there)".to_string(),
            |h| {
                format!(
                    "by {}, {}: {}",
                    h.latest_author, h.latest_at, h.latest_reason
                )
            },
        );
        let ahead = stated_by(theirs, &our_fp);
        proposals.push(Proposal {
            kind: if ahead {
                "revision"
            } else {
                "revision conflict"
            },
            finding: uid.to_string(),
            subject: if ahead {
                changed
            } else {
                format!(
                    "{changed}: amended here and there each its own way; review both and amend by hand"
                )
            },
            there,
            applied: None,
            target: ahead.then_some((our_id, i)),
            entry: None,
            correction: None,
        });
    }
    Ok((skip, proposals))
}

/// The amendable fields on which our finding and theirs differ, named.
fn changed_fields(store: &Store, our_id: i64, incoming: &Incoming) -> Result<String> {
    let ours = stated_now(store, our_id)?;
    let differ: Vec<&str> = FIELDS
        .iter()
        .filter(|f| amendable(f.name) && !f.name.starts_with("source_"))
        .filter(|f| ours.get(f.name).cloned().flatten().as_deref() != incoming.finding.get(f.name))
        .map(|f| f.name)
        .collect();
    Ok(if differ.is_empty() {
        "sources".to_string()
    } else {
        differ.join(", ")
    })
}

/// Their retraction log entries for findings that were here before (not added by this run):
/// each whose action differs from the finding's state here is proposed. Entries for sources are
/// not proposed (a source's retraction retracts nothing by itself).
pub fn shared_retractions(
    store: &Store,
    entries: &[(String, Action, String, String, String)],
    added: &HashSet<String>,
) -> Result<Vec<Proposal>> {
    // their latest entry per finding: the state they hold
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for (i, (finding, ..)) in entries.iter().enumerate() {
        if !added.contains(finding) {
            latest.insert(finding.as_str(), i);
        }
    }
    let mut out = Vec::new();
    let mut ordered: Vec<(&str, usize)> = latest.into_iter().collect();
    ordered.sort_by_key(|(_, i)| *i);
    for (finding, i) in ordered {
        let Some(id) = correction::finding_by_uid(store, finding)? else {
            continue;
        };
        let (_, action, reason, author, at) = &entries[i];
        let here = correction::latest(store, id)?.map(|l| l.action);
        let retracted_here = here == Some(Action::Retract);
        if (*action == Action::Retract) == retracted_here {
            continue;
        }
        out.push(Proposal {
            kind: if *action == Action::Retract {
                "retraction"
            } else {
                "unretraction"
            },
            finding: finding.to_string(),
            subject: reason.clone(),
            there: format!("by {author}, {at}"),
            applied: None,
            target: None,
            entry: Some((id, i)),
            correction: None,
        });
    }
    Ok(out)
}

/// Applies the proposals (never a conflict) as this catalogue's own corrections by `who`, each
/// saying whose it was; records in each proposal whether it was applied.
pub fn apply(
    store: &Store,
    proposals: &mut [Proposal],
    found: &[Incoming],
    entries: &[(String, Action, String, String, String)],
    who: &str,
    from: &str,
) -> Result<()> {
    let at = now();
    let mut ingester = Ingester::new(store, at.clone(), None)?;
    for p in proposals.iter_mut() {
        if p.correction.is_some() {
            // an entity's: `apply_entity_corrections`
            continue;
        }
        let note = format!("accepted from {from}: {} {}", p.kind, p.there);
        p.applied = Some(match (p.target, p.entry) {
            (Some((id, i)), _) => {
                let before = stated_now(store, id)?;
                // their finding as our next revision, citing what ours cites: sources are not
                // changed by a proposal (their links come in with the findings they add)
                let mut after = found[i].finding.clone();
                for field in [
                    "source_publisher",
                    "source_title",
                    "source_url",
                    "source_date",
                ] {
                    after.set(field, before.get(field).cloned().flatten());
                }
                let made = revision::Made {
                    author: who,
                    reason: &note,
                    at: &at,
                };
                match revise(store, &mut ingester, id, &before, &after, &made) {
                    Ok(_) => Ok(()),
                    Err(e) => Err(e.to_string()),
                }
            }
            (None, Some((id, i))) => {
                let (_, action, reason, ..) = &entries[i];
                let reason = format!("{note}: {reason}");
                let entry = Entry {
                    uid: None,
                    action: *action,
                    reason: &reason,
                    evidence_url: None,
                    evidence_file: None,
                    evidence_sha256: None,
                    author: who,
                    at: &at,
                };
                correction::record_for_finding(store, id, &entry)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            _ => {
                Err("two catalogues amended this finding each its own way: amend it by hand".into())
            }
        });
    }
    Ok(())
}

/// Their entity corrections log (`entity_revision::log`) against ours, fact by fact on each
/// entity we share by stable id: proposals and conflicts (see the module's comment). The log of
/// an entity added by this import (row id above `before`, `entity_revision::newest_ids` taken
/// before it) is carried as it was made there; returns the proposals and how many entries
/// were carried.
pub fn shared_entity_corrections(
    store: &Store,
    theirs: &[Logged],
    before: &[(&str, i64)],
) -> Result<(Vec<Proposal>, usize)> {
    // their entries per fact of an entity, in log order
    let mut groups: Vec<((Fact, &str), Vec<usize>)> = Vec::new();
    for (i, l) in theirs.iter().enumerate() {
        let key = (l.fact, l.entity_uid.as_str());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut out = Vec::new();
    let mut carried = 0;
    for ((fact, entity), entries) in groups {
        let Some(id) = entity_revision::entity_by_uid(store, fact, entity)? else {
            continue;
        };
        let last = &theirs[*entries.last().expect("a group has an entry")];
        if entity_revision::has_entry(store, &last.uid)? {
            continue;
        }
        let added_now = before
            .iter()
            .any(|(kind, max)| *kind == fact.kind() && id > *max);
        let here = entity_revision::current(store, fact, id)?;
        if added_now && here.as_deref() == Some(last.new_value.as_str()) {
            for &i in &entries {
                if !entity_revision::has_entry(store, &theirs[i].uid)? {
                    entity_revision::carry(store, id, &theirs[i])?;
                    carried += 1;
                }
            }
            continue;
        }
        if here.as_deref() == Some(last.new_value.as_str()) {
            continue;
        }
        let ours = entity_revision::latest(store, fact, id)?;
        let own_way = ours.is_some_and(|(uid, _)| !entries.iter().any(|&i| theirs[i].uid == uid));
        let subject = format!(
            "{} {}: {}: {} here -> {} there",
            fact.kind(),
            last.entity_name,
            fact.field(),
            here.as_deref().unwrap_or("(none)"),
            last.new_value
        );
        out.push(Proposal {
            kind: if own_way {
                "entity correction conflict"
            } else {
                "entity correction"
            },
            finding: last.entity_uid.clone(),
            subject: if own_way {
                format!("{subject}: corrected here and there each its own way; review both and correct by hand")
            } else {
                subject
            },
            there: format!("by {}, {}: {}", last.author, last.recorded_at, last.reason),
            applied: None,
            target: None,
            entry: None,
            correction: Some((id, *entries.last().expect("a group has an entry"))),
        });
    }
    Ok((out, carried))
}

/// Applies the entity corrections proposed (never a conflict) as this catalogue's own, by
/// `who`, each keeping their entry's uid (so importing again proposes it no more) and saying
/// whose it was; records in each proposal whether it was applied.
pub fn apply_entity_corrections(
    store: &Store,
    proposals: &mut [Proposal],
    theirs: &[Logged],
    who: &str,
    from: &str,
) -> Result<()> {
    let at = now();
    for p in proposals.iter_mut() {
        let Some((id, i)) = p.correction else {
            continue;
        };
        if p.kind != "entity correction" {
            p.applied = Some(Err(
                "two catalogues corrected this fact each its own way: correct it by hand".into(),
            ));
            continue;
        }
        let l = &theirs[i];
        let reason = format!("accepted from {from}: entity correction {}", p.there);
        let entry = entity_revision::Entry {
            uid: Some(&l.uid),
            author: who,
            reason: &reason,
            evidence_url: l.evidence_url.as_deref(),
            evidence_file: None,
            evidence_sha256: None,
            at: &at,
        };
        p.applied = Some(
            entity_revision::correct(store, l.fact, id, &l.new_value, &entry)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    }
    Ok(())
}
