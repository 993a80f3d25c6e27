//! Corrections on the record: a finding named by its id, retracted or put back with who, when
//! and why (one write transaction each, appended to the log and never edited), a source's
//! retraction with the findings that rest on it alone, and the history of what touched a
//! finding.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{anyhow, bail, Result};

use crate::dates::now;
use crate::db::correction::{self, Action, Entry, FindingRef};
use crate::db::ingest::{self, Ingester};
use crate::db::revision;
use crate::db::{Catalogue, Store};
use crate::evidence::{sha256_hex, store_file};
use crate::finding::{Finding, FIELDS};
use crate::table::Listing;

/// The fewest characters of a uid that name a finding: the uids of one import share their
/// leading (time) digits, so fewer would name many findings or, worse, the wrong one.
pub const MIN_ID_CHARS: usize = 8;

/// How many matches an ambiguous id lists.
const SHOWN_MATCHES: i64 = 5;

/// The finding `id` names: its uid as `log` prints it, or any part of one of at least
/// MIN_ID_CHARS characters that no other finding's uid contains. `label` names the argument
/// or flag in messages.
pub fn resolve_finding(store: &Store, id: &str, label: &str) -> Result<FindingRef> {
    let id = id.trim();
    if id.chars().count() < MIN_ID_CHARS {
        bail!(
            "{label} '{id}': too short to name a finding; give its uid as `comptrace log` prints it, or at least {MIN_ID_CHARS} characters of one (the uids of one import share their first digits)"
        );
    }
    let (found, total) = correction::findings_matching(store, id, SHOWN_MATCHES)?;
    match found.as_slice() {
        [] => bail!(
            "{label} '{id}': no finding's uid contains it (`comptrace log` prints a finding's uid; `show part` and `export` list them)"
        ),
        [one] => Ok(one.clone()),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("  {}", f.uid)).collect();
            let more = if total > many.len() as i64 {
                format!("\n  ... and {} more", total - many.len() as i64)
            } else {
                String::new()
            };
            bail!(
                "{label} '{id}': {total} findings' uids contain it; give more of the uid:\n{}{more}",
                list.join("\n")
            )
        }
    }
}

/// What a correction says of itself: who, why, and what shows it (a URL or a file).
#[derive(Debug, Clone)]
pub struct Why<'a> {
    pub author: &'a str,
    pub reason: &'a str,
    /// a URL, or a file kept in the evidence store by its hash
    pub evidence: Option<&'a str>,
}

/// What shows a finding wrong, as the log keeps it: (url, file name, sha256).
type Evidence = (Option<String>, Option<String>, Option<String>);

/// A file is stored (its bytes kept by hash, as a finding's evidence is); anything else must
/// be a URL.
pub(crate) fn evidence_of(catalogue_path: &Path, given: Option<&str>) -> Result<Evidence> {
    let Some(given) = given.map(str::trim) else {
        return Ok((None, None, None));
    };
    let path = Path::new(given);
    if path.is_file() {
        let stored = store_file(catalogue_path, path)?;
        return Ok((None, stored.file_name, stored.sha256));
    }
    if given.contains("://") {
        return Ok((Some(given.to_string()), None, None));
    }
    bail!("--source '{given}': neither a file nor a URL (scheme://...); nothing was changed")
}

fn checked_reason(reason: &str) -> Result<&str> {
    if reason.trim().is_empty() {
        bail!("--reason: empty; every correction says why; nothing was changed");
    }
    Ok(reason.trim())
}

/// Retracts the finding `id` (`Action::Retract`) or puts it back (`Action::Unretract`);
/// returns the finding and the log entry's uid. Refuses a change that changes nothing.
pub fn set_retracted(
    catalogue: &mut Catalogue,
    catalogue_path: &Path,
    id: &str,
    action: Action,
    why: &Why,
) -> Result<(FindingRef, String)> {
    let reason = checked_reason(why.reason)?;
    let (url, file, sha) = evidence_of(catalogue_path, why.evidence)?;
    let tx = catalogue.write()?;
    let finding = resolve_finding(&tx, id, "ID")?;
    let latest = correction::latest(&tx, finding.id)?;
    let retracted = latest.as_ref().is_some_and(|l| l.action == Action::Retract);
    match (action, &latest) {
        (Action::Retract, Some(l)) if retracted => bail!(
            "finding {} is already retracted (on {} by {}: {}); nothing was changed",
            finding.uid,
            l.at,
            l.author,
            l.reason
        ),
        (Action::Unretract, _) if !retracted => bail!(
            "finding {} is not retracted; nothing was changed",
            finding.uid
        ),
        _ => {}
    }
    let at = now();
    let entry = Entry {
        uid: None,
        action,
        reason,
        evidence_url: url.as_deref(),
        evidence_file: file.as_deref(),
        evidence_sha256: sha.as_deref(),
        author: why.author,
        at: &at,
    };
    let uid = correction::record_for_finding(&tx, finding.id, &entry)?;
    tx.commit()?;
    Ok((finding, uid))
}

/// Retracts every finding import batch `batch` added that stands now, each with its own log
/// entry carrying the one reason; returns how many. Refuses an unknown batch, and one whose
/// findings are all retracted already.
pub fn retract_import(
    catalogue: &mut Catalogue,
    catalogue_path: &Path,
    batch: i64,
    why: &Why,
) -> Result<usize> {
    let reason = checked_reason(why.reason)?;
    let (url, file, sha) = evidence_of(catalogue_path, why.evidence)?;
    let tx = catalogue.write()?;
    let Some(findings) = correction::standing_from_import(&tx, batch)? else {
        bail!("--import {batch}: no such import (`comptrace history` lists each import with its number); nothing was changed");
    };
    if findings.is_empty() {
        bail!("--import {batch}: no finding it added stands; nothing was changed");
    }
    let at = now();
    let entry = Entry {
        uid: None,
        action: Action::Retract,
        reason,
        evidence_url: url.as_deref(),
        evidence_file: file.as_deref(),
        evidence_sha256: sha.as_deref(),
        author: why.author,
        at: &at,
    };
    for f in &findings {
        correction::record_for_finding(&tx, f.id, &entry)?;
    }
    tx.commit()?;
    Ok(findings.len())
}

/// Records that a source is withdrawn or disproved. It retracts no finding by itself: returns
/// the entry's uid and the findings citing it, those resting on it alone first, for the
/// investigator to review and retract one by one.
pub fn retract_source(
    catalogue: &mut Catalogue,
    source: &str,
    why: &Why,
) -> Result<(String, Listing)> {
    let reason = checked_reason(why.reason)?;
    let path = Path::new(source.trim());
    let sha = if path.is_file() {
        Some(sha256_hex(std::fs::File::open(path)?)?)
    } else {
        None
    };
    let tx = catalogue.write()?;
    let found = correction::find_sources(&tx, source, sha.as_deref())?;
    let id = match found.as_slice() {
        [] => bail!(
            "SOURCE '{}': no source with this URL, uid or file in the catalogue; nothing was changed",
            source.trim()
        ),
        [(id, _)] => *id,
        many => bail!(
            "SOURCE '{}' names {} sources; give one's uid: {}",
            source.trim(),
            many.len(),
            many.iter()
                .map(|(_, uid)| uid.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let at = now();
    let entry = Entry {
        uid: None,
        action: Action::Retract,
        reason,
        evidence_url: None,
        evidence_file: None,
        evidence_sha256: None,
        author: why.author,
        at: &at,
    };
    let uid = correction::record_for_source(&tx, id, &entry)?;
    let citing = correction::findings_citing(&tx, id)?;
    tx.commit()?;
    Ok((uid, citing))
}

/// Everything that touched the finding `id`, in order.
pub fn history_of(catalogue: &mut Catalogue, id: &str) -> Result<Listing> {
    let read = catalogue.read()?;
    let finding = resolve_finding(&read, id, "ID")?;
    correction::history(&read, finding.id)
}

/// Everything recorded in the catalogue since `since` (all of it when None), in order.
pub fn history_since(catalogue: &mut Catalogue, since: Option<&str>) -> Result<Listing> {
    let read = catalogue.read()?;
    correction::history_since(&read, since)
}

/// The fields `amend` may change: everything a finding states but its stable id, who logged it
/// (a fact of the logging, not of the finding) and the weapon model's origin country and type
/// (facts about the shared weapon entity, not about this finding).
pub fn amendable(field: &str) -> bool {
    !matches!(
        field,
        "uid" | "investigator" | "weapon_origin_country" | "weapon_type"
    )
}

/// Why `field` cannot be amended, and what to do instead.
fn not_amendable(field: &str) -> String {
    match field {
        "weapon_origin_country" => "weapon_origin_country cannot be amended: it is a fact about the weapon model itself, shared by every finding of it; correct it with `comptrace correct weapon NAME --origin-country CC --reason TEXT`".to_string(),
        "weapon_type" => "weapon_type cannot be amended: it is a fact about the weapon model itself, shared by every finding of it; correct it with `comptrace correct weapon NAME --type TYPE --reason TEXT`".to_string(),
        _ => format!("{field} cannot be amended (a stable id, or who logged the finding)"),
    }
}

/// What `amend` did: the finding, its new revision's number and uid, and each field it changed
/// as (field, before, after).
#[derive(Debug, Clone)]
pub struct Amended {
    pub finding: FindingRef,
    pub number: i64,
    pub revision_uid: String,
    pub changed: Vec<(&'static str, Option<String>, Option<String>)>,
}

/// Amends the finding `id`: each (field, value) of `changes` replaces what it states (an empty
/// value clears the field), checked as an import row is. The finding's names are resolved
/// again, so a corrected maker, weapon or part points it at the entity that text names; no
/// shared entity is edited. The revision before and the new one are both kept, with who, when
/// and why. Refuses a change that changes nothing, and a field `amendable` refuses.
pub fn amend(
    catalogue: &mut Catalogue,
    id: &str,
    changes: &[(&str, String)],
    why: &Why,
) -> Result<Amended> {
    let reason = checked_reason(why.reason)?;
    if changes.is_empty() {
        bail!("nothing to amend: give the fields to change as flags (--part-number X ...); nothing was changed");
    }
    if let Some((field, _)) = changes.iter().find(|(f, _)| !amendable(f)) {
        bail!("{}; nothing was changed", not_amendable(field));
    }
    let tx = catalogue.write()?;
    let finding = resolve_finding(&tx, id, "ID")?;
    let before = stated_now(&tx, finding.id)?;
    let mut raw = before.clone();
    // the uid is the finding's own and not restated: a catalogue from before uids were UUIDs
    // keeps its uids, which the import format's check would refuse
    raw.insert("uid", None);
    for (field, value) in changes {
        let known = FIELDS
            .iter()
            .find(|f| f.name == *field)
            .map(|f| f.name)
            .ok_or_else(|| anyhow!("{field} is not a field of a finding"))?;
        raw.insert(
            known,
            Some(value.trim().to_string()).filter(|v| !v.is_empty()),
        );
    }
    let after =
        Finding::from_fields(|name| raw.get(name).and_then(|v| v.as_deref())).map_err(|e| {
            anyhow!(
                "--{}: {}; nothing was changed",
                e.column.replace('_', "-"),
                e.message
            )
        })?;
    let at = now();
    let made = revision::Made {
        author: why.author,
        reason,
        at: &at,
    };
    let revised = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        revise(&tx, &mut ingester, finding.id, &before, &after, &made)?
    };
    let Some(Revised {
        number,
        uid: revision_uid,
        changed,
    }) = revised
    else {
        bail!(
            "finding {} already states this; nothing was changed",
            finding.uid
        );
    };
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok(Amended {
        finding,
        number,
        revision_uid,
        changed,
    })
}

/// A finding's fields as it states them now, by name: its stated fields and the citation its
/// source_* fields describe (its first source that is no stored file).
pub fn stated_now(store: &Store, id: i64) -> Result<HashMap<&'static str, Option<String>>> {
    let fields = revision::stated_fields(store, id)?;
    let citation = revision::citation(store, id)?;
    Ok(by_name(fields, citation))
}

/// `stated_now` of many findings in one pass, in the order of `ids` (a finding missing is an
/// error).
pub fn stated_now_all(
    store: &Store,
    ids: &[i64],
) -> Result<Vec<HashMap<&'static str, Option<String>>>> {
    let mut all = revision::stated_many(store, ids)?;
    ids.iter()
        .map(|id| {
            let (fields, citation) = all
                .remove(id)
                .ok_or_else(|| anyhow!("finding {id} is not in the catalogue"))?;
            Ok(by_name(fields, citation))
        })
        .collect()
}

/// A finding's stated fields (in FIELDS order) and its citation, by field name.
fn by_name(
    fields: Vec<Option<String>>,
    citation: crate::finding::Citation,
) -> HashMap<&'static str, Option<String>> {
    let mut stated: HashMap<&'static str, Option<String>> = FIELDS
        .iter()
        .zip(fields)
        .map(|(f, v)| (f.name, v))
        .collect();
    stated.insert("source_publisher", citation.publisher);
    stated.insert("source_title", citation.title);
    stated.insert("source_url", citation.url);
    stated.insert("source_date", citation.date);
    stated
}

/// A revision recorded: its number and uid, and each field it changed as (field, before, after).
#[derive(Debug, Clone)]
pub struct Revised {
    pub number: i64,
    pub uid: String,
    pub changed: Vec<(&'static str, Option<String>, Option<String>)>,
}

/// Records `after` as the next revision of finding `id`, which states `before` now
/// (`stated_now`); None when they agree on every amendable field. The finding is restated by
/// the ingester (names resolved again, no shared entity edited), its first revision written
/// first when it has none. Used by `amend` and by `import --replace-source`.
pub fn revise(
    store: &Store,
    ingester: &mut Ingester,
    id: i64,
    before: &HashMap<&'static str, Option<String>>,
    after: &Finding,
    made: &revision::Made,
) -> Result<Option<Revised>> {
    let changed: Vec<(&'static str, Option<String>, Option<String>)> = FIELDS
        .iter()
        .filter(|f| amendable(f.name))
        .filter_map(|f| {
            let old = before.get(f.name).cloned().flatten();
            let new = after.get(f.name).map(str::to_string);
            (old != new).then_some((f.name, old, new))
        })
        .collect();
    if changed.is_empty() {
        return Ok(None);
    }
    let source_changed = changed.iter().any(|(f, _, _)| f.starts_with("source_"));
    let new_citation = source_changed
        .then(|| ingest::Evidence::from_citation(&after.citation()))
        .flatten();
    if source_changed && new_citation.is_none() {
        bail!("a finding's cited source cannot be emptied by an amendment: retract-source, or give its new URL, publisher or title; nothing was changed");
    }
    let mut number = revision::count(store, id)?;
    if number == 0 {
        revision::record_as_logged(store, id)?;
        number = 1;
    }
    ingester.restate(id, after, new_citation.as_ref())?;
    let changes_json = serde_json::Value::Object(
        changed
            .iter()
            .map(|(f, old, new)| ((*f).to_string(), serde_json::json!([old, new])))
            .collect(),
    );
    let uid = revision::record(store, id, number + 1, &changes_json.to_string(), made)?;
    Ok(Some(Revised {
        number: number + 1,
        uid,
        changed,
    }))
}

/// What an embargo is about: a finding by its id, or a source by its URL, uid or file.
#[derive(Debug, Clone, Copy)]
pub enum Embargoed<'a> {
    Finding(&'a str),
    Source(&'a str),
}

/// Withholds a finding or a source from public output until `until` (a full date,
/// YYYY-MM-DD), or with None lifts its embargo; returns the entry's uid and the item's uid.
/// Refuses to lift what is not under embargo.
pub fn embargo(
    catalogue: &mut Catalogue,
    what: Embargoed,
    until: Option<&str>,
    why: &Why,
) -> Result<(String, String)> {
    use crate::db::embargo::{self, Target};
    let reason = checked_reason(why.reason)?;
    if let Some(day) = until {
        if day.len() != 10 {
            bail!("--until {day}: give a day (YYYY-MM-DD), the first on which it may be published; nothing was changed");
        }
    }
    let tx = catalogue.write()?;
    let (target, uid) = match what {
        Embargoed::Finding(id) => {
            let f = resolve_finding(&tx, id, "ID")?;
            (Target::Finding(f.id), f.uid)
        }
        Embargoed::Source(s) => {
            let path = Path::new(s.trim());
            let sha = if path.is_file() {
                Some(sha256_hex(std::fs::File::open(path)?)?)
            } else {
                None
            };
            match correction::find_sources(&tx, s, sha.as_deref())?.as_slice() {
                [(id, uid)] => (Target::Source(*id), uid.clone()),
                [] => bail!("--source '{}': no source with this URL, uid or file in the catalogue; nothing was changed", s.trim()),
                many => bail!("--source '{}' names {} sources; give one's uid; nothing was changed", s.trim(), many.len()),
            }
        }
    };
    if until.is_none() && embargo::current(&tx, target)?.is_none() {
        bail!("{uid} is not under embargo; nothing was changed");
    }
    let entry = embargo::record(&tx, target, until, reason, why.author, &now())?;
    tx.commit()?;
    Ok((entry, uid))
}

/// Records, for the source named by its URL, uid or file, the day it was accessed and/or a
/// saved copy of it (the file kept in the evidence store by its hash, as a finding's evidence
/// is), so a withdrawn page does not take the evidence with it. Returns the entry's uid and
/// the source's uid.
pub fn archive_source(
    catalogue: &mut Catalogue,
    catalogue_path: &Path,
    source: &str,
    accessed_on: Option<&str>,
    copy: Option<&Path>,
    author: &str,
) -> Result<(String, String)> {
    use crate::db::source_archive::{self, Archived};
    if accessed_on.is_none() && copy.is_none() {
        bail!("give --accessed-on DATE, --file PATH or both; nothing was changed");
    }
    let stored = copy.map(|p| store_file(catalogue_path, p)).transpose()?;
    let path = Path::new(source.trim());
    let sha = if path.is_file() {
        Some(sha256_hex(std::fs::File::open(path)?)?)
    } else {
        None
    };
    let tx = catalogue.write()?;
    let (id, uid) = match correction::find_sources(&tx, source, sha.as_deref())?.as_slice() {
        [(id, uid)] => (*id, uid.clone()),
        [] => bail!(
            "SOURCE '{}': no source with this URL, uid or file in the catalogue; nothing was changed",
            source.trim()
        ),
        many => bail!(
            "SOURCE '{}' names {} sources; give one's uid; nothing was changed",
            source.trim(),
            many.len()
        ),
    };
    let at = now();
    let entry = source_archive::record(
        &tx,
        id,
        &Archived {
            accessed_on,
            file_name: stored.as_ref().and_then(|s| s.file_name.as_deref()),
            sha256: stored.as_ref().and_then(|s| s.sha256.as_deref()),
            author,
            at: &at,
        },
    )?;
    tx.commit()?;
    Ok((entry, uid))
}
