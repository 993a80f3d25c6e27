//! The groups `dedup` suggests, built once for the command's listing and for the review page
//! of `serve`: each group's members ordered with the one that would be kept first (the most
//! observations), each with the best-scoring pair that links it into its group.

use std::collections::HashMap;

use anyhow::Result;

use crate::db::dedup::{apart, entities, labels};
use crate::db::merge::{Absorb, Family};
use crate::db::Store;
use crate::matching::dedup::{candidates, groups, Candidate};
use crate::usecase::decide::Planned;

/// One member of a suggested group.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub observations: i64,
    /// the best pair linking it to another member: (score, reason)
    pub link: Option<(f64, String)>,
}

/// A group of entities that look like one.
#[derive(Debug, Clone)]
pub struct Group {
    pub family: Family,
    pub score: f64,
    /// the member that would be kept first
    pub members: Vec<Member>,
}

impl Group {
    /// The merge `dedup --apply` records for this group: every member into the first, each
    /// with the score and reason that linked it.
    pub fn plan(&self) -> Planned {
        Planned {
            family: self.family,
            into: self.members[0].id,
            absorbed: self.members[1..]
                .iter()
                .map(|m| Absorb {
                    id: m.id,
                    score: m.link.as_ref().map(|(s, _)| *s),
                    reasons: m.link.as_ref().map(|(_, r)| r.clone()),
                })
                .collect(),
        }
    }

    /// The members' uids, in order: what a page names a group by.
    pub fn uids(&self) -> Vec<String> {
        self.members.iter().map(|m| m.uid.clone()).collect()
    }
}

/// The groups of one family whose pairs score at least `min_score`, best first; pairs judged
/// different are never suggested.
pub fn suggestions(store: &Store, family: Family, min_score: f64) -> Result<Vec<Group>> {
    let ents = entities(store, family)?;
    let kept_apart = apart(store, family)?;
    let cands = candidates(family, &ents, &kept_apart);
    let grouped = groups(&cands, min_score, &kept_apart);
    let ids: Vec<i64> = grouped.iter().flat_map(|(_, m)| m.clone()).collect();
    let names = labels(store, family, &ids)?;
    let obs: HashMap<i64, i64> = ents.iter().map(|e| (e.id, e.observations)).collect();
    Ok(grouped
        .iter()
        .map(|(score, group)| {
            let mut ordered = group.clone();
            ordered.sort_by_key(|id| (std::cmp::Reverse(obs.get(id).copied().unwrap_or(0)), *id));
            let members = ordered
                .iter()
                .map(|id| {
                    let (uid, name) = names.get(id).cloned().unwrap_or_default();
                    Member {
                        id: *id,
                        uid,
                        name,
                        observations: obs.get(id).copied().unwrap_or(0),
                        link: best_link(&cands, *id, group, min_score)
                            .map(|c| (c.score, c.reason.clone())),
                    }
                })
                .collect();
            Group {
                family,
                score: *score,
                members,
            }
        })
        .collect())
}

/// The best candidate pair that links `id` to another member of its group.
fn best_link<'a>(
    cands: &'a [Candidate],
    id: i64,
    group: &[i64],
    min: f64,
) -> Option<&'a Candidate> {
    cands
        .iter()
        .filter(|c| {
            c.score >= min
                && (c.a == id && group.contains(&c.b) || c.b == id && group.contains(&c.a))
        })
        .max_by(|x, y| x.score.total_cmp(&y.score))
}

/// "These are all different things": a "different" judgement for every pair of the group's
/// members, as `distinct` records one, all in one write transaction. Returns how many pairs.
pub fn judge_different(
    catalogue: &mut crate::db::Catalogue,
    group: &Group,
    who: &crate::usecase::decide::Decider,
) -> Result<usize> {
    let tx = catalogue.write()?;
    let mut pairs = 0;
    for (i, a) in group.members.iter().enumerate() {
        for b in &group.members[i + 1..] {
            crate::db::merge::distinct(&tx, group.family, a.id, b.id, who.author, who.note)?;
            pairs += 1;
        }
    }
    tx.commit()?;
    Ok(pairs)
}
