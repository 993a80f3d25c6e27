//! The stable id each new entity gets: the one another catalogue gave it (import-catalogue),
//! when this catalogue does not use it yet, else a new UUID v7.
//!
//! Only choosing ids lives here; which entity a name is, is `resolve`'s decision.

use anyhow::Result;

use super::Ingester;
use crate::db::new_uid;

/// The stable ids another catalogue gave the entities a finding names (each the entity its
/// text resolves to on its own there, not a merge root).
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub organisation: Option<String>,
    pub weapon: Option<String>,
    pub part: Option<String>,
    pub unit: Option<String>,
    /// The companies its maker label names besides the maker (a supplier, an importer), as
    /// (name as the label wrote it, stable id there)
    pub parties: Vec<(String, String)>,
}

/// Which family's carried id `uid_for` may take.
#[derive(Debug, Clone, Copy)]
pub(super) enum Carry {
    Organisation,
    Weapon,
    Part,
    Unit,
}

impl Ingester<'_> {
    /// The stable id a new entity gets: the one carried from another catalogue, unless this
    /// catalogue already uses it, else a new one.
    pub(super) fn uid_for(&self, table: &str, which: Carry) -> Result<String> {
        let carried = match which {
            Carry::Organisation => &self.carried.organisation,
            Carry::Weapon => &self.carried.weapon,
            Carry::Unit => &self.carried.unit,
            Carry::Part => &self.carried.part,
        };
        Ok(match carried {
            Some(u) if !self.uid_in_use(table, u)? => u.clone(),
            _ => new_uid(),
        })
    }

    /// The stable id a new company named by a maker label gets: the one carried for its name,
    /// unless this catalogue already uses it, else a new one.
    pub(super) fn party_uid(&self, name: &str) -> Result<String> {
        let carried = self.carried.parties.iter().find(|(n, _)| n == name);
        match carried {
            Some((_, uid)) if !self.uid_in_use("organisation", uid)? => Ok(uid.clone()),
            _ => Ok(new_uid()),
        }
    }

    pub(super) fn uid_in_use(&self, table: &str, uid: &str) -> Result<bool> {
        // table names are the constants of the callers
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE uid = ?1)"
            ))?
            .query_row([uid], |r| r.get(0))?)
    }
}
