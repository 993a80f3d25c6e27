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

/// Who decides and why, for the judgement log. Every judgement has an author (see `author`).
#[derive(Debug, Clone)]
pub struct Decider<'a> {
    pub author: &'a str,
    pub note: Option<&'a str>,
}

/// Where a judgement's author comes from, in the order tried.
pub const AUTHOR_VARIABLES: [&str; 3] = ["COMPTRACE_INVESTIGATOR", "USER", "LOGNAME"];

/// Who decides: `--investigator`, else COMPTRACE_INVESTIGATOR, else the login name (USER, else
/// LOGNAME). With none of them (or only blank ones) the decision is refused: a judgement no one
/// can be asked about is not evidence an investigator can stand behind.
pub fn author(given: Option<&str>) -> Result<String> {
    author_from(given, |name| std::env::var(name).ok())
}

/// The rule of `author`, with the environment passed in.
pub fn author_from(given: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<String> {
    let named = given
        .map(str::to_string)
        .into_iter()
        .chain(AUTHOR_VARIABLES.iter().filter_map(|v| var(v)))
        .map(|a| a.trim().to_string())
        .find(|a| !a.is_empty());
    match named {
        Some(a) => Ok(a),
        None => bail!(
            "no investigator to record this decision under: pass --investigator NAME or set COMPTRACE_INVESTIGATOR (the login name in USER or LOGNAME is used when set); nothing was changed"
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_author_is_the_flag_then_the_variable_then_the_login_name() {
        let all = [
            ("COMPTRACE_INVESTIGATOR", "ci"),
            ("USER", "user"),
            ("LOGNAME", "logname"),
        ];
        assert_eq!(author_from(Some("flag"), env(&all)).unwrap(), "flag");
        assert_eq!(author_from(None, env(&all)).unwrap(), "ci");
        assert_eq!(author_from(None, env(&all[1..])).unwrap(), "user");
        assert_eq!(author_from(None, env(&all[2..])).unwrap(), "logname");
        // blank values are no name
        assert_eq!(
            author_from(Some(" "), env(&[("USER", ""), ("LOGNAME", "ln")])).unwrap(),
            "ln"
        );
    }

    #[test]
    fn with_no_name_anywhere_the_decision_is_refused_saying_how_to_give_one() {
        let err = author_from(None, env(&[("USER", "  ")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--investigator") && err.contains("COMPTRACE_INVESTIGATOR"),
            "{err}"
        );
    }
}
