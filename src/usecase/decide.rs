//! Deciding what is one thing: merges, "different" judgements and undoing a merge, each one
//! write transaction in which names are resolved and the judgement log appended (src/db/merge.rs
//! derives the rest).

use anyhow::{bail, Result};

use crate::db::merge::{self, Absorb, Family};
use crate::db::query::{exactly_one, find_organisations, find_parts, find_weapons};
use crate::db::{Catalogue, Store};

/// Resolves a name or uid of a family to exactly one current entity.
pub fn resolve(store: &Store, family: Family, name: &str) -> Result<i64> {
    let found = match family {
        Family::Part => find_parts(store, name)?,
        Family::Manufacturer => find_organisations(store, name)?,
        Family::Weapon => find_weapons(store, name)?,
    };
    exactly_one(found, family.name(), name)
}

/// Who decides and why, for the judgement log.
#[derive(Debug, Clone, Default)]
pub struct Decider<'a> {
    pub author: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Merges the named entities into `into` (default: the first name); returns the merge's uid
/// and how many entities became one.
pub fn merge_names(
    catalogue: &mut Catalogue,
    family: Family,
    names: &[String],
    into: Option<&str>,
    override_reason: Option<&str>,
    who: &Decider,
) -> Result<(String, usize)> {
    let tx = catalogue.write()?;
    let mut ids = Vec::new();
    for n in names {
        ids.push(resolve(&tx, family, n)?);
    }
    let into = match into {
        Some(n) => resolve(&tx, family, n)?,
        None => ids[0],
    };
    if !ids.contains(&into) {
        bail!("--into must be one of the names to merge");
    }
    let mut others: Vec<i64> = ids.iter().copied().filter(|i| *i != into).collect();
    others.dedup();
    if others.is_empty() {
        bail!("these names are already one {}", family.name());
    }
    let absorbed: Vec<Absorb> = others
        .iter()
        .map(|&id| Absorb {
            id,
            score: None,
            reasons: Some("merged by hand".into()),
        })
        .collect();
    let uid = merge::merge(
        &tx,
        family,
        into,
        &absorbed,
        who.author,
        who.note,
        override_reason,
    )?;
    tx.commit()?;
    Ok((uid, others.len() + 1))
}

/// Records that two named entities are different.
pub fn distinct_names(
    catalogue: &mut Catalogue,
    family: Family,
    a: &str,
    b: &str,
    who: &Decider,
) -> Result<()> {
    let tx = catalogue.write()?;
    let (ia, ib) = (resolve(&tx, family, a)?, resolve(&tx, family, b)?);
    if ia == ib {
        bail!(
            "'{a}' and '{b}' name the same {}; to separate a merge, run `comptrace unmerge`",
            family.name()
        );
    }
    merge::distinct(&tx, family, ia, ib, who.author, who.note)?;
    tx.commit()
}

/// Undoes a merge; returns its family, the new batch's uid and how many pairs separated.
pub fn unmerge(
    catalogue: &mut Catalogue,
    id: &str,
    who: &Decider,
) -> Result<(Family, String, usize)> {
    let tx = catalogue.write()?;
    let done = merge::unmerge(&tx, id, who.author, who.note)?;
    tx.commit()?;
    Ok(done)
}

/// One merge a reviewed plan (`dedup --apply`) records.
#[derive(Debug, Clone)]
pub struct Planned {
    pub family: Family,
    pub into: i64,
    pub absorbed: Vec<Absorb>,
}

/// Records every merge of a plan in one transaction; returns how many.
pub fn apply_plan(catalogue: &mut Catalogue, plan: &[Planned], who: &Decider) -> Result<usize> {
    let tx = catalogue.write()?;
    for p in plan {
        merge::merge(
            &tx,
            p.family,
            p.into,
            &p.absorbed,
            who.author,
            who.note,
            None,
        )?;
    }
    tx.commit()?;
    Ok(plan.len())
}
