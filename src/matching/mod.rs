//! Finding names that mean the same thing: pure functions, no SQL, no I/O.
//!
//! Candidates come from blocking keys (exact keys, OCR skeletons, deletion variants of words,
//! alias ids), so the work grows with the number of names, not its square; buckets larger than
//! BUCKET_CAP are skipped as uninformative (as OpenSanctions' nomenklatura does). Each candidate
//! pair is judged by exact rules per kind (makers.rs, parts.rs, weapons.rs) and carries a score
//! and a reason a person can read. Groups are formed best pair first, and a pair judged
//! different keeps its two groups apart however they grow.

pub mod cluster;
pub mod dedup;
pub mod families;
pub mod labels;
pub mod makers;
pub mod parts;
pub mod reference;
pub mod text;
pub mod union_find;
pub mod weapons;

use std::collections::{HashMap, HashSet};

use union_find::UnionFind;

/// Buckets with more members than this say too little to compare every pair in them.
pub const BUCKET_CAP: usize = 60;

/// The default score a pair needs to be merged by `cluster` (tuned for precision).
pub const DEFAULT_THRESHOLD: f64 = 0.85;

/// A judgement on a pair of names.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub same: bool,
    pub score: f64,
    pub reason: String,
}

impl Verdict {
    pub fn new(score: f64, reason: String) -> Verdict {
        Verdict {
            same: true,
            score,
            reason,
        }
    }

    pub fn different(reason: String) -> Verdict {
        Verdict {
            same: false,
            score: 0.0,
            reason,
        }
    }
}

/// A judged pair of item indexes (a < b).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub verdict: Verdict,
}

/// Judges every pair of items that share a blocking key.
pub fn judge_pairs<T>(
    items: &[T],
    keys: impl Fn(&T) -> Vec<String>,
    compare: impl Fn(&T, &T) -> Option<Verdict>,
) -> Vec<Pair> {
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut ks = keys(item);
        ks.sort();
        ks.dedup();
        for k in ks {
            buckets.entry(k).or_default().push(i);
        }
    }
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut pairs = Vec::new();
    let mut bucket_list: Vec<(&String, &Vec<usize>)> = buckets.iter().collect();
    bucket_list.sort(); // deterministic order, whatever the hasher
    for (_, members) in bucket_list {
        if members.len() < 2 || members.len() > BUCKET_CAP {
            continue;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if seen.insert((a, b)) {
                    if let Some(verdict) = compare(&items[a], &items[b]) {
                        pairs.push(Pair { a, b, verdict });
                    }
                }
            }
        }
    }
    pairs
}

/// Union-find over item indexes that refuses to join groups a "different" pair keeps apart.
pub struct Groups {
    sets: UnionFind<Vec<usize>>,
    apart: HashMap<usize, HashSet<usize>>,
}

impl Groups {
    pub fn new(n: usize) -> Groups {
        Groups {
            sets: UnionFind::dense(n),
            apart: HashMap::new(),
        }
    }

    pub fn find(&mut self, x: usize) -> usize {
        self.sets.find(x)
    }

    /// Keeps the groups of a and b apart from now on.
    pub fn keep_apart(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.apart.entry(ra).or_default().insert(rb);
            self.apart.entry(rb).or_default().insert(ra);
        }
    }

    /// Joins the groups of a and b unless they are kept apart; true when joined (or already one).
    pub fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if self.apart.get(&ra).is_some_and(|s| s.contains(&rb)) {
            return false;
        }
        // the lower index names the group, whichever order the pair came in
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.sets.union(root, child);
        if let Some(set) = self.apart.remove(&child) {
            for other in set {
                if let Some(o) = self.apart.get_mut(&other) {
                    o.remove(&child);
                    o.insert(root);
                }
                self.apart.entry(root).or_default().insert(other);
            }
        }
        true
    }

    /// The group root of every item.
    pub fn roots(&mut self) -> Vec<usize> {
        self.sets.roots()
    }
}

/// Forms groups from judged pairs: "different" first, then "same" pairs at or above the
/// threshold, best first.
pub fn group(n: usize, pairs: &mut [Pair], threshold: f64) -> Vec<usize> {
    let mut groups = Groups::new(n);
    for p in pairs.iter().filter(|p| !p.verdict.same) {
        groups.keep_apart(p.a, p.b);
    }
    pairs.sort_by(|x, y| {
        y.verdict
            .score
            .total_cmp(&x.verdict.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    for p in pairs
        .iter()
        .filter(|p| p.verdict.same && p.verdict.score >= threshold)
    {
        groups.join(p.a, p.b);
    }
    groups.roots()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_pair_keeps_growing_groups_apart() {
        let mut g = Groups::new(4);
        g.keep_apart(0, 3);
        assert!(g.join(0, 1));
        assert!(g.join(2, 3));
        assert!(
            !g.join(1, 2),
            "0 and 3 are different, so their groups never join"
        );
        let roots = g.roots();
        assert_eq!(roots[0], roots[1]);
        assert_ne!(roots[1], roots[2]);
    }
}
