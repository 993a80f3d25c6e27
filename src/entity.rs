//! Entity families and the pure rules of identity decisions: which families can be merged and
//! how each is named in the judgement log, in exports and on the command line.
//!
//! Below the store and the command line: no SQL (which table holds a family is db/merge.rs's
//! knowledge), no argument parsing (src/cli.rs spells these values for the command line) and
//! no I/O.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_is_found_by_its_name() {
        for family in Family::all() {
            assert_eq!(Family::from_name(family.name()), Some(family));
        }
        assert_eq!(Family::from_name("organisation"), None);
    }
}
