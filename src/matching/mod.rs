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
pub mod parties;
pub mod parts;
pub mod reference;
pub mod scripts;
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

/// Judges every pair of items that share a blocking key; pairs come out in (a, b) order.
pub fn judge_pairs<T>(
    items: &[T],
    keys: impl Fn(&T) -> Vec<String>,
    compare: impl Fn(&T, &T) -> Option<Verdict>,
) -> Vec<Pair> {
    let mut pairs = Vec::new();
    each_judged_pair(items, keys, compare, |a, b, verdict| {
        pairs.push(Pair { a, b, verdict })
    });
    pairs.sort_unstable_by_key(|p| (p.a, p.b));
    pairs
}

/// Judges every pair of items that share a blocking key, once each, handing each verdict to
/// `judged` (a < b) as it comes, in no promised order; nothing is kept but the keys.
///
/// A maker name has dozens of keys (deletion variants of its words): 90,000 maker spellings
/// give 2 million. They are held as 64-bit hashes, once by item and once sorted into buckets
/// (24 bytes a key, where a map from key strings to member lists held about a hundred), and a
/// pair is judged only in the first bucket its two items share, so no set of pairs seen is
/// kept. Two keys with one hash (about one chance in ten million at that size) only put their
/// items in one bucket, whose pairs the exact rules still judge.
pub fn each_judged_pair<T>(
    items: &[T],
    keys: impl Fn(&T) -> Vec<String>,
    compare: impl Fn(&T, &T) -> Option<Verdict>,
    mut judged: impl FnMut(usize, usize, Verdict),
) {
    // each item's distinct key hashes, sorted, one run per item
    let mut hashes: Vec<u64> = Vec::new();
    let mut starts: Vec<usize> = Vec::with_capacity(items.len() + 1);
    for item in items {
        starts.push(hashes.len());
        let mut own: Vec<u64> = keys(item).iter().map(|k| key_hash(k)).collect();
        own.sort_unstable();
        own.dedup();
        hashes.extend(own);
    }
    starts.push(hashes.len());
    let mut buckets: Vec<(u64, usize)> = Vec::with_capacity(hashes.len());
    for i in 0..items.len() {
        buckets.extend(hashes[starts[i]..starts[i + 1]].iter().map(|&h| (h, i)));
    }
    buckets.sort_unstable();
    // each item keeps only the keys of buckets whose pairs are compared: they decide in which
    // bucket a pair is judged
    let compared = |h: u64| {
        let from = buckets.partition_point(|e| e.0 < h);
        let to = buckets.partition_point(|e| e.0 <= h);
        (2..=BUCKET_CAP).contains(&(to - from))
    };
    let mut write = 0;
    for i in 0..items.len() {
        let (from, to) = (starts[i], starts[i + 1]);
        starts[i] = write;
        for r in from..to {
            if compared(hashes[r]) {
                hashes[write] = hashes[r];
                write += 1;
            }
        }
    }
    starts[items.len()] = write;
    hashes.truncate(write);
    hashes.shrink_to_fit();
    let keys_of = |i: usize| &hashes[starts[i]..starts[i + 1]];
    for bucket in buckets.chunk_by(|x, y| x.0 == y.0) {
        if bucket.len() < 2 || bucket.len() > BUCKET_CAP {
            continue;
        }
        let here = bucket[0].0;
        for (x, &(_, a)) in bucket.iter().enumerate() {
            for &(_, b) in &bucket[x + 1..] {
                if first_shared(keys_of(a), keys_of(b)) != Some(here) {
                    continue; // judged in an earlier bucket
                }
                if let Some(verdict) = compare(&items[a], &items[b]) {
                    judged(a, b, verdict);
                }
            }
        }
    }
}

/// The smallest value two sorted lists share.
fn first_shared(a: &[u64], b: &[u64]) -> Option<u64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// A blocking key's hash: the same on every run (`DefaultHasher::new` has fixed keys), though
/// nothing that is output depends on it.
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
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
    fn every_pair_sharing_a_compared_bucket_is_judged_once_in_order() {
        // buckets of 40 (i % 5) and 29 (i % 7) items, which overlap (i % 35), and one of 61
        // whose pairs are not compared
        let keys = |i: &usize| {
            let mut k = vec![format!("m5:{}", i % 5), format!("m7:{}", i % 7)];
            if *i < 61 {
                k.push("big".to_string());
            }
            k
        };
        let items: Vec<usize> = (0..200).collect();
        let pairs = judge_pairs(&items, keys, |a, b| {
            Some(Verdict::new(1.0, format!("{a}-{b}")))
        });
        let mut expected = Vec::new();
        for a in 0..200usize {
            for b in a + 1..200 {
                if a % 5 == b % 5 || a % 7 == b % 7 {
                    expected.push((a, b)); // "big" alone never makes a pair
                }
            }
        }
        let got: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(got, expected);
        assert!(pairs
            .iter()
            .all(|p| p.verdict.reason == format!("{}-{}", p.a, p.b)));
    }

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
