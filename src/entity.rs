//! Entity families and the pure rules of identity decisions: which families can be merged, how
//! each is named in the judgement log, in exports and on the command line, and which entity a
//! series of "same" judgements makes each merged one part of.
//!
//! Below the store and the command line: no SQL (which table holds a family is db/merge.rs's
//! knowledge), no argument parsing (src/cli.rs spells these values for the command line) and
//! no I/O.

use std::collections::HashMap;

use crate::matching::union_find::UnionFind;

/// An entity family that can be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Part,
    Manufacturer,
    Weapon,
}

impl Family {
    /// Every family, in the order commands list them.
    pub const ALL: [Family; 3] = [Family::Part, Family::Manufacturer, Family::Weapon];

    pub fn all() -> [Family; 3] {
        Family::ALL
    }

    /// The name the judgement log, exports and the command line use.
    pub fn name(self) -> &'static str {
        match self {
            Family::Part => "part",
            Family::Manufacturer => "manufacturer",
            Family::Weapon => "weapon",
        }
    }

    /// The family a name (as `name` gives it) stands for.
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The root each merged entity belongs to, from "same" judgements as (left, right) pairs,
/// oldest first: each absorbs right's group into left's, so the entity a merge was made
/// into keeps naming the group. Entities not in the map are their own root.
pub fn merged_roots(same: impl IntoIterator<Item = (i64, i64)>) -> HashMap<i64, i64> {
    let mut sets = UnionFind::sparse();
    for (left, right) in same {
        sets.union(left, right);
    }
    sets.roots()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_same_judgement_absorbs_into_the_left_entitys_root() {
        // 1 absorbs 2; then 3 absorbs 1's group; then 2 "absorbs" 3, who already share a group
        let roots = merged_roots([(1, 2), (3, 1), (2, 3)]);
        assert_eq!(roots, HashMap::from([(1, 3), (2, 3)]));
        assert!(merged_roots([]).is_empty());
    }

    #[test]
    fn a_family_is_found_by_its_name() {
        for family in Family::all() {
            assert_eq!(Family::from_name(family.name()), Some(family));
        }
        assert_eq!(Family::from_name("organisation"), None);
    }
}
