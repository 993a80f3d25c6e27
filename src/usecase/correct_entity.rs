//! Correcting a fact about an entity itself (a maker's headquarters country, a weapon model's
//! origin country or type, a part's category): one write transaction that resolves the name as
//! every other command does, checks each value as import does, sets the entity's column and
//! appends each change to the entity corrections log with who, when and why. Amending a
//! finding never edits a shared entity; this is how such a fact changes.

use std::path::Path;

use anyhow::{bail, Result};

use super::correct::{evidence_of, Why};
use crate::country;
use crate::dates::now;
use crate::db::entity_revision::{self, Entry, Fact};
use crate::db::query::{exactly_one, find_organisations, find_parts, find_weapons};
use crate::db::{Catalogue, Store};

/// The entity a correction is about, by a name as given on the command line (any spelling it
/// was logged under, an alias, or its uid).
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Manufacturer(&'a str),
    Weapon(&'a str),
    /// a part, with its maker's name when several makers have a part of that number
    Part {
        name: &'a str,
        manufacturer: Option<&'a str>,
    },
}

/// The flag that sets a fact on the command line, for messages.
pub fn flag(fact: Fact) -> &'static str {
    match fact {
        Fact::MakerCountry => "--country",
        Fact::WeaponOriginCountry => "--origin-country",
        Fact::WeaponType => "--type",
        Fact::PartCategory => "--category",
    }
}

/// One fact changed (or, on a dry run, that would be): before, after, and the log entry's uid
/// (None on a dry run).
#[derive(Debug, Clone)]
pub struct Change {
    pub fact: Fact,
    pub before: Option<String>,
    pub after: String,
    pub entry: Option<String>,
}

/// What a correction did to one entity.
#[derive(Debug, Clone)]
pub struct Corrected {
    pub kind: &'static str,
    pub uid: String,
    pub name: String,
    pub changes: Vec<Change>,
    /// for a maker's country: the other countries its findings state themselves, with how many
    /// findings state each (reports by headquarters count those findings there still)
    pub stated_otherwise: Vec<(String, i64)>,
}

/// Each value checked as import checks the column it corrects: a country by code or name (kept
/// as its alpha-2 code), a text trimmed and not empty. The message names the flag.
fn checked_values(values: &[(Fact, &str)]) -> Result<Vec<(Fact, String)>> {
    if values.is_empty() {
        bail!("nothing to correct: give the facts to change as flags (--country CC ...); nothing was changed");
    }
    values
        .iter()
        .map(|(fact, value)| {
            let value = value.trim();
            if value.is_empty() {
                bail!(
                    "{}: empty; a correction gives the new value (a fact cannot be cleared); nothing was changed",
                    flag(*fact)
                );
            }
            let kept = match fact {
                Fact::MakerCountry | Fact::WeaponOriginCountry => {
                    match country::resolve(Some(value)) {
                        Ok(code) => code.unwrap_or(value).to_string(),
                        Err(message) => {
                            bail!("{}: {message}; nothing was changed", flag(*fact))
                        }
                    }
                }
                Fact::WeaponType | Fact::PartCategory => value.to_string(),
            };
            Ok((*fact, kept))
        })
        .collect()
}

/// The one entity `target` names (following merges to the entity that stands), with its kind,
/// uid and name; refuses a name that names none or several, listing them.
fn resolve(store: &Store, target: Target) -> Result<(i64, &'static str)> {
    match target {
        Target::Manufacturer(name) => Ok((
            exactly_one(find_organisations(store, name)?, "manufacturer", name)?,
            "manufacturer",
        )),
        Target::Weapon(name) => Ok((
            exactly_one(find_weapons(store, name)?, "weapon", name)?,
            "weapon",
        )),
        Target::Part { name, manufacturer } => {
            let mut found = find_parts(store, name)?;
            if let Some(maker) = manufacturer {
                let makers = find_organisations(store, maker)?;
                found.retain(|p| makers.iter().any(|m| Some(&m.name) == p.detail.as_ref()));
            }
            Ok((exactly_one(found, "part", name)?, "part"))
        }
    }
}

/// Corrects the facts `values` gives about the entity `target` names, each recorded in the
/// entity corrections log with who, when, why and what shows it (`why.evidence`: a URL, or a
/// file kept in the evidence store). A fact given its current value is left out; refuses a
/// correction that changes nothing. With `dry_run`, says what would change and writes nothing.
pub fn correct_entity(
    catalogue: &mut Catalogue,
    catalogue_path: &Path,
    target: Target,
    values: &[(Fact, &str)],
    why: &Why,
    dry_run: bool,
) -> Result<Corrected> {
    let reason = why.reason.trim();
    if reason.is_empty() {
        bail!("--reason: empty; every correction says why; nothing was changed");
    }
    let values = checked_values(values)?;
    // a dry run stores no evidence file either
    let (url, file, sha) = if dry_run {
        (None, None, None)
    } else {
        evidence_of(catalogue_path, why.evidence)?
    };
    let tx = catalogue.write()?;
    let (id, kind) = resolve(&tx, target)?;
    let (uid, name) = entity_revision::uid_and_name(&tx, values[0].0, id)?;
    let at = now();
    let entry = Entry {
        uid: None,
        author: why.author,
        reason,
        evidence_url: url.as_deref(),
        evidence_file: file.as_deref(),
        evidence_sha256: sha.as_deref(),
        at: &at,
    };
    let mut changes = Vec::new();
    for (fact, after) in values {
        let before = entity_revision::current(&tx, fact, id)?;
        if before.as_deref() == Some(after.as_str()) {
            continue;
        }
        let recorded = if dry_run {
            None
        } else {
            Some(entity_revision::correct(&tx, fact, id, &after, &entry)?)
        };
        changes.push(Change {
            fact,
            before,
            after,
            entry: recorded,
        });
    }
    if changes.is_empty() {
        bail!("{kind} {name} already has these values; nothing was changed");
    }
    let stated_otherwise = match changes.iter().find(|c| c.fact == Fact::MakerCountry) {
        Some(c) => entity_revision::stated_otherwise(&tx, id, &c.after)?,
        None => Vec::new(),
    };
    if !dry_run {
        tx.commit()?;
    }
    Ok(Corrected {
        kind,
        uid,
        name,
        changes,
        stated_otherwise,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_kept_as_its_code_and_an_unknown_one_names_its_flag() {
        let kept =
            checked_values(&[(Fact::MakerCountry, "Taiwan"), (Fact::WeaponType, " UAV ")]).unwrap();
        assert_eq!(
            kept,
            vec![
                (Fact::MakerCountry, "TW".to_string()),
                (Fact::WeaponType, "UAV".to_string())
            ]
        );
        let err = checked_values(&[(Fact::WeaponOriginCountry, "Atlantis")]).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("--origin-country: unknown country 'Atlantis'"));
        let err = checked_values(&[(Fact::PartCategory, "  ")]).unwrap_err();
        assert!(err.to_string().starts_with("--category: empty"));
        assert!(checked_values(&[]).is_err());
    }
}
