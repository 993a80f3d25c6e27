//! Screening: a list of designated parties loaded (a new version replaces the last for
//! screening, with what changed by entry id), the catalogue's organisations matched against the
//! current lists, and an investigator's decision on a candidate appended to the decisions log.

use anyhow::{anyhow, bail, Result};

use crate::dates::now;
use crate::db::query::{exactly_one, find_organisations};
use crate::db::screening::{self, NewDecision, NewList};
use crate::db::Catalogue;
use crate::matching::reference::Reference;
use crate::screening::{changes, parse_list, screen, Changes, Decision, ListFormat, Role};
use crate::table::{Cell, Listing};

/// A list file as read by the command.
pub struct ListFile<'a> {
    pub name: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub text: &'a str,
    pub format: Option<ListFormat>,
}

/// Loads a list version; returns its uid, its entries and what changed from the version it
/// replaces (None for a list loaded the first time).
pub fn import_list(
    catalogue: &mut Catalogue,
    file: &ListFile,
) -> Result<(String, usize, Option<Changes>)> {
    let name = file.name.trim();
    if name.is_empty() {
        bail!("--name: give the list a name (OFAC-SDN, EU-Russia ...); nothing was loaded");
    }
    let format = file.format.unwrap_or_else(|| ListFormat::sniff(file.text));
    let parties = parse_list(file.text, format)
        .map_err(|e| anyhow!("{}: {e}; nothing was loaded", file.file_name))?;
    let tx = catalogue.write()?;
    let previous = match screening::latest_version(&tx, name)? {
        Some(v) => Some(screening::parties(&tx, v)?),
        None => None,
    };
    let at = now();
    let uid = screening::record_list(
        &tx,
        &NewList {
            name,
            file_name: file.file_name,
            sha256: file.sha256,
            format: format.name(),
            recorded_at: &at,
        },
        &parties,
    )?;
    tx.commit()?;
    Ok((
        uid,
        parties.len(),
        previous.map(|old| changes(&old, &parties)),
    ))
}

/// Every candidate among the organisations `role` covers and the current lists (or the one
/// named), with the latest decision on each.
pub fn candidates(catalogue: &mut Catalogue, role: Role, list: Option<&str>) -> Result<Listing> {
    let read = catalogue.read()?;
    let lists = screening::current_lists(&read, list)?;
    if lists.is_empty() {
        bail!(
            "{}: load a list first with `comptrace lists import FILE --name NAME`",
            list.map_or("no list is loaded".to_string(), |l| format!(
                "no list named '{l}'"
            ))
        );
    }
    let orgs = screening::organisations(&read, role)?;
    let decided = screening::latest_decisions(&read)?;
    let refs = Reference::get();
    let mut out = Listing::new(&[
        "organisation",
        "country",
        "list",
        "entry",
        "listed_name",
        "listed_countries",
        "programs",
        "listed_on",
        "score",
        "reasons",
        "decision",
    ]);
    for (name, parties) in &lists {
        for c in screen(&orgs, parties, refs) {
            let (o, p) = (&orgs[c.org], &parties[c.party]);
            let decision = decided
                .get(&(o.id, name.clone(), p.entry_id.clone()))
                .map(|(_, v)| v.clone());
            out.rows.push(vec![
                Cell::from(o.name.as_str()),
                Cell::from(o.country.clone()),
                Cell::from(name.as_str()),
                Cell::from(p.entry_id.as_str()),
                Cell::from(c.listed_name.as_str()),
                Cell::List(p.countries.clone()),
                Cell::List(p.programs.clone()),
                Cell::from(p.listed_on.clone()),
                Cell::Float((c.score * 100.0).round() / 100.0),
                Cell::from(c.reasons.as_str()),
                Cell::from(decision),
            ]);
        }
    }
    Ok(out)
}

/// A decision as given.
pub struct DecisionRequest<'a> {
    pub organisation: &'a str,
    pub list: &'a str,
    pub entry: &'a str,
    pub decision: Decision,
    pub note: Option<&'a str>,
}

/// Appends a decision on an organisation and a listed entry of the current version of a list;
/// the matcher's score and reasons are kept with it when the pair is a candidate.
pub fn decide(catalogue: &mut Catalogue, d: &DecisionRequest, author: &str) -> Result<String> {
    let tx = catalogue.write()?;
    let org = exactly_one(
        find_organisations(&tx, d.organisation)?,
        "organisation",
        d.organisation,
    )?;
    let lists = screening::current_lists(&tx, Some(d.list))?;
    let Some((_, parties)) = lists.first() else {
        bail!(
            "--list: no list named '{}' (see `comptrace lists show`)",
            d.list
        );
    };
    let Some(party) = parties.iter().position(|p| p.entry_id == d.entry) else {
        bail!(
            "--entry: the current version of {} has no entry '{}'",
            d.list,
            d.entry
        );
    };
    let orgs = screening::organisations(&tx, Role::All)?;
    let found = orgs
        .iter()
        .position(|o| o.id == org)
        .map(|i| screen(&orgs[i..=i], &parties[party..=party], Reference::get()))
        .unwrap_or_default();
    let candidate = found.first();
    let at = now();
    let uid = screening::record_decision(
        &tx,
        &NewDecision {
            organisation: org,
            list: d.list,
            entry: d.entry,
            decision: d.decision,
            score: candidate.map(|c| c.score),
            reasons: candidate.map(|c| c.reasons.as_str()),
            note: d.note,
            author,
            recorded_at: &at,
        },
    )?;
    tx.commit()?;
    Ok(uid)
}
