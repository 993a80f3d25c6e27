//! Union-find (disjoint sets): which group each item is in, as groups are joined one pair at a
//! time. One implementation serves `cluster` and `dedup` (dense indexes 0..n, kept in a Vec for
//! speed on a million names) and the merge log (sparse entity ids, kept in a HashMap that
//! records only the items absorbed into another). Pure: no SQL, no I/O.

use std::collections::HashMap;
use std::hash::Hash;

/// Where a union-find keeps each item's parent.
pub trait Parents {
    type Key: Copy + Eq;
    /// The item's parent; a root is its own.
    fn parent(&self, x: Self::Key) -> Self::Key;
    fn set_parent(&mut self, x: Self::Key, parent: Self::Key);
}

impl Parents for Vec<usize> {
    type Key = usize;

    fn parent(&self, x: usize) -> usize {
        self[x]
    }

    fn set_parent(&mut self, x: usize, parent: usize) {
        self[x] = parent;
    }
}

/// An item never recorded is its own root, so the map holds only absorbed items.
impl<K: Copy + Eq + Hash> Parents for HashMap<K, K> {
    type Key = K;

    fn parent(&self, x: K) -> K {
        self.get(&x).copied().unwrap_or(x)
    }

    fn set_parent(&mut self, x: K, parent: K) {
        self.insert(x, parent);
    }
}

/// Disjoint groups of items; `union(into, absorbed)` keeps `into`'s root as the group's root,
/// so a caller decides which item names the group.
#[derive(Debug, Clone)]
pub struct UnionFind<P> {
    parents: P,
}

impl<P: Parents> UnionFind<P> {
    /// The root of x's group. Path halving points each item passed at its grandparent, so the
    /// next find is shorter; a root's parent never changes here.
    pub fn find(&mut self, mut x: P::Key) -> P::Key {
        loop {
            let parent = self.parents.parent(x);
            if parent == x {
                return x;
            }
            let grandparent = self.parents.parent(parent);
            if grandparent != parent {
                self.parents.set_parent(x, grandparent);
            }
            x = grandparent;
        }
    }

    /// Joins the group of `absorbed` into the group of `into`, whose root stays the root, and
    /// returns it. Nothing changes when the two are in one group already.
    pub fn union(&mut self, into: P::Key, absorbed: P::Key) -> P::Key {
        let (root, other) = (self.find(into), self.find(absorbed));
        if root != other {
            self.parents.set_parent(other, root);
        }
        root
    }
}

impl UnionFind<Vec<usize>> {
    /// The items 0..n, each a group of its own.
    pub fn dense(n: usize) -> Self {
        UnionFind {
            parents: (0..n).collect(),
        }
    }

    /// The root of every item, by index.
    pub fn roots(&mut self) -> Vec<usize> {
        (0..self.parents.len()).map(|i| self.find(i)).collect()
    }
}

impl<K: Copy + Eq + Hash> UnionFind<HashMap<K, K>> {
    /// Any number of items, each a group of its own until joined.
    pub fn sparse() -> Self {
        UnionFind {
            parents: HashMap::new(),
        }
    }

    /// The root of every item that was absorbed into another's group; every item not in the
    /// map is a root.
    pub fn roots(&mut self) -> HashMap<K, K> {
        let absorbed: Vec<K> = self.parents.keys().copied().collect();
        absorbed.into_iter().map(|k| (k, self.find(k))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_unions_share_the_first_root() {
        let mut sets = UnionFind::dense(5);
        sets.union(0, 1);
        sets.union(1, 2);
        sets.union(2, 3);
        assert_eq!(sets.roots(), vec![0, 0, 0, 0, 4]);
    }

    #[test]
    fn the_root_of_into_survives() {
        let mut sets = UnionFind::dense(4);
        sets.union(3, 2);
        sets.union(1, 0);
        assert_eq!(sets.union(0, 2), 1, "0's root is 1");
        assert_eq!(sets.roots(), vec![1, 1, 1, 1]);

        let mut ids = UnionFind::sparse();
        ids.union(30_i64, 10);
        ids.union(20, 30);
        assert_eq!(ids.find(10), 20);
        assert_eq!(ids.roots(), HashMap::from([(10, 20), (30, 20)]));
    }

    #[test]
    fn joining_a_group_with_itself_changes_nothing() {
        let mut ids = UnionFind::sparse();
        ids.union(1_i64, 2);
        ids.union(2, 3);
        let before = ids.roots();
        assert_eq!(ids.union(3, 1), 1);
        assert_eq!(ids.union(2, 2), 1);
        assert_eq!(ids.roots(), before);
        assert_eq!(ids.find(99), 99, "an item never joined is its own root");
        assert!(!ids.roots().contains_key(&99));
    }

    #[test]
    fn long_chains_give_the_same_roots_after_halving() {
        let mut sets = UnionFind::dense(1000);
        for i in 1..1000 {
            sets.union(i, i - 1); // each absorbs the chain so far: a path 0 -> 1 -> ... -> 999
        }
        assert!(sets.roots().iter().all(|&r| r == 999));
        assert_eq!(sets.find(0), 999);
    }
}
