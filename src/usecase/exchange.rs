//! Exchange between catalogues: combining another investigator's catalogue into this one
//! (findings with their stable ids and evidence, in one write transaction; its decisions
//! offered, applied only on request).

use std::path::Path;

use anyhow::Result;

use crate::dates::now;
use crate::db::exchange::{self, Conflict, Decision, Incoming, Refused, Taken};
use crate::db::ingest::{Ingester, Stats};
use crate::db::merge::{self, Absorb};
use crate::db::{Catalogue, Store};
use crate::evidence::{self, store_dir, Fetched};

/// What combining did, and what it leaves for a person to review.
#[derive(Debug)]
pub struct Combined {
    pub stats: Stats,
    /// spellings of shared entities (by stable id) added here
    pub adopted: usize,
    pub conflicts: Vec<Conflict>,
    pub decisions: Vec<Decision>,
    /// with accepted decisions: for each decision, whether it was applied or why not
    pub applied: Vec<Result<(), String>>,
    /// rows of the other catalogue not taken, each with the reason
    pub refused: Vec<Refused>,
    /// retractions an export in JSON lines or another catalogue carried: how many were
    /// recorded here, how many were already here, and how many were left out
    /// (see `carry_retractions`)
    pub retractions: CarriedRetractions,
    /// the other catalogue's revisions and retractions of findings we share, offered for
    /// review (applied with `accept`), and its revisions in conflict with ours
    pub proposals: Vec<super::proposals::Proposal>,
    /// the classification log, designation lists and screening decisions carried in
    /// (screening decisions offered like merges: `carry_export_control`)
    pub export_control: super::carry_export_control::Carried,
    /// the other catalogue's supply chain brought in (its rows not taken are in `refused`)
    pub supply: crate::db::exchange_supply::SupplyCarried,
    /// entries of the other catalogue's entity corrections log recorded here with the
    /// entities this import added (those of shared entities are `proposals`)
    pub entity_corrections_carried: usize,
}

/// What became of the retraction log an export in JSON lines or another catalogue carried.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CarriedRetractions {
    pub recorded: usize,
    pub already_here: usize,
    pub left_out: usize,
}

/// Brings the catalogue at `other` into `ours` (at `ours_path`). With `accept` (Some(author)),
/// the other catalogue's decisions are applied as this catalogue's own, by that author.
pub fn combine(
    ours: &mut Catalogue,
    ours_path: &Path,
    other: &Path,
    accept: Option<&str>,
) -> Result<Combined> {
    let theirs = exchange::open_other(other)?;
    let Taken {
        findings: found,
        mut refused,
    } = exchange::findings_of(&theirs)?;
    refused.extend(fetch_evidence(
        &found,
        &store_dir(other),
        &store_dir(ours_path),
    )?);
    let tx = ours.write()?;
    // which entities this import adds, so their corrections log comes with them
    let entities_before = crate::db::entity_revision::newest_ids(&tx)?;
    let (adopted, unadopted) = exchange::adopt_spellings_by_uid(&theirs, &tx)?;
    refused.extend(unadopted);
    // their corrections of findings we share are proposals, not findings to add beside ours
    let (proposed, mut proposals) = super::proposals::shared_revisions(&tx, &theirs, &found)?;
    let mut added = std::collections::HashSet::new();
    // their observation uid -> ours, so the supply chain can name the same findings
    let mut paired = std::collections::HashMap::new();
    let stats = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        for (n, i) in found.iter().enumerate() {
            if proposed.contains(&n) {
                pair_shared(&mut paired, i);
                continue;
            }
            let recorded = ingester.record_carried(&i.finding, &i.evidence, i.carried.clone())?;
            if let Some(theirs) = i.finding.uid() {
                paired.insert(theirs.to_string(), recorded.observation_uid.clone());
            }
            if recorded.was_new {
                added.insert(recorded.observation_uid);
            }
        }
        ingester.stats.clone()
    };
    let supply = crate::db::exchange_supply::carry(&theirs, &tx, &paired, &now())?;
    refused.extend(supply.refused.iter().cloned());
    // their retraction log of the findings taken: a finding they retracted does not come in
    // counting here (the same rule as for an export in JSON lines)
    let log = crate::db::correction::exported(&theirs)?;
    let entries: Vec<jsonl::Retraction> = log
        .iter()
        .filter_map(|v| jsonl::retraction("", 0, v).ok())
        .collect();
    let mut retractions = carry_retractions(&tx, &entries, &added)?;
    retractions.left_out += log.len() - entries.len();
    let their_entries: Vec<(
        String,
        crate::db::correction::Action,
        String,
        String,
        String,
    )> = entries
        .iter()
        .filter_map(|r| {
            r.finding.clone().map(|f| {
                (
                    f,
                    r.action,
                    r.reason.clone(),
                    r.author.clone(),
                    r.created_at.clone(),
                )
            })
        })
        .collect();
    proposals.extend(super::proposals::shared_retractions(
        &tx,
        &their_entries,
        &added,
    )?);
    // their corrections of entities we share: proposals, like their revisions of findings
    let their_corrections = crate::db::entity_revision::log(&theirs)?;
    let (entity_proposals, corrections_carried) =
        super::proposals::shared_entity_corrections(&tx, &their_corrections, &entities_before)?;
    proposals.extend(entity_proposals);
    let mut conflicts = exchange::conflicts(&theirs, &tx)?;
    // organisations joined by spelling to one of ours registered elsewhere
    conflicts.extend(supply.conflicts.iter().cloned());
    let decisions = exchange::decisions(&theirs, &tx)?;
    let export_control = carry_export_control_of_catalogue(&tx, &theirs, other, accept)?;
    let applied = match accept {
        Some(who) => {
            let from = format!(
                "{} (catalogue {})",
                other.display(),
                exchange::catalogue_uid(&theirs)?.unwrap_or_default()
            );
            super::proposals::apply(&tx, &mut proposals, &found, &their_entries, who, &from)?;
            super::proposals::apply_entity_corrections(
                &tx,
                &mut proposals,
                &their_corrections,
                who,
                &from,
            )?;
            apply(&tx, &decisions, who, &from)?
        }
        None => Vec::new(),
    };
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok(Combined {
        stats,
        adopted,
        conflicts,
        decisions,
        applied,
        refused,
        retractions,
        proposals,
        export_control,
        supply,
        entity_corrections_carried: corrections_carried,
    })
}

/// The other catalogue's classification log, lists and screening decisions (its decisions
/// applied only with `accept`, noted as coming from its path and uid).
fn carry_export_control_of_catalogue(
    tx: &Store,
    theirs: &Store,
    other: &Path,
    accept: Option<&str>,
) -> Result<super::carry_export_control::Carried> {
    let from = format!(
        "{} (catalogue {})",
        other.display(),
        exchange::catalogue_uid(theirs)?.unwrap_or_default()
    );
    super::carry_export_control::from_catalogue(tx, theirs, accept.map(|who| (who, from.as_str())))
}

/// A finding both catalogues hold under one uid (offered as a proposal, not recorded again)
/// is the same finding for the supply chain.
fn pair_shared(paired: &mut std::collections::HashMap<String, String>, i: &Incoming) {
    if let Some(uid) = i.finding.uid() {
        paired.insert(uid.to_string(), uid.to_string());
    }
}

/// Copies the evidence files the findings cite from the other catalogue's store into ours, by
/// hash, each once; a file that cannot be taken is refused with the reason (its source is
/// still recorded, and `check` reports the file missing).
fn fetch_evidence(found: &[Incoming], from: &Path, to: &Path) -> Result<Vec<Refused>> {
    let mut refused = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let cited = found.iter().flat_map(|i| &i.evidence);
    for e in cited {
        let Some(sha) = e.sha256.as_deref() else {
            continue;
        };
        if !seen.insert(sha) {
            continue;
        }
        let reason = match evidence::fetch(from, to, sha) {
            Ok(Fetched::Copied | Fetched::AlreadyHere) => continue,
            Ok(Fetched::NotThere) => format!("{} is not in {}", sha, from.display()),
            Err(why) => format!("{why:#}"),
        };
        refused.push(Refused {
            kind: "evidence file",
            uid: e.uid.clone().unwrap_or_default(),
            reason,
        });
    }
    Ok(refused)
}

/// Applies each decision as this catalogue's own, with a note naming where it came from.
/// A merge that a "different" here keeps apart is not applied; the reason is kept.
fn apply(
    store: &Store,
    decisions: &[Decision],
    who: &str,
    from: &str,
) -> Result<Vec<Result<(), String>>> {
    let mut out = Vec::new();
    for d in decisions {
        let note = format!(
            "accepted from {from}: their judgement {} by {} on {}{}",
            d.uid,
            d.author.as_deref().unwrap_or("(no author)"),
            d.decided_at,
            d.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        );
        let result = match d.verdict.as_str() {
            "same" => merge::merge(
                store,
                d.family,
                d.left.0,
                &[Absorb {
                    id: d.right.0,
                    score: None,
                    reasons: Some("decision of another catalogue".into()),
                }],
                who,
                Some(&note),
                None,
            )
            .map(|_| ())
            .map_err(|e| e.to_string()),
            "different" => merge::distinct(store, d.family, d.left.0, d.right.0, who, Some(&note))
                .map_err(|e| e.to_string()),
            _ => Err("an 'unsure' judgement is not a decision to apply".into()),
        };
        out.push(result);
    }
    Ok(out)
}

/// What to export: findings in one weapon model, of one maker's parts, observed in a period.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    pub weapon: Option<String>,
    pub manufacturer: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// `--public`: leave out the findings under embargo on this day (`db::embargo`)
    pub public_on: Option<String>,
}

/// What an export holds besides its findings rows.
#[derive(Debug)]
pub struct Exported {
    /// what the export says of itself (format version, comptrace version, catalogue uid)
    pub header: serde_json::Value,
    /// every entity the findings rest on, with its stable uid
    pub entities: Vec<serde_json::Value>,
    /// the absorbed entities and judgements behind them, and the retraction log of the
    /// findings and their sources
    pub decisions: Vec<serde_json::Value>,
    /// how many findings were selected
    pub findings: i64,
    /// with `public_on`: how many findings under embargo were left out
    pub withheld: Option<i64>,
    /// the evidence files the exported findings cite: (sha256, name as logged)
    pub evidence_files: Vec<(String, Option<String>)>,
}

/// Reads an export from one state of the catalogue. With `findings_row`, each finding is
/// handed over as a row of the import format (one per source) as it is read, so memory stays
/// flat however large the catalogue.
pub fn export(
    catalogue: &mut Catalogue,
    request: &ExportRequest,
    findings_row: Option<&mut dyn FnMut(Vec<Option<String>>) -> Result<()>>,
) -> Result<Exported> {
    use crate::db::export as store;
    use crate::db::query::{find_organisations, find_weapons, require};
    let read = catalogue.read()?;
    let weapons = match &request.weapon {
        Some(w) => Some(require(find_weapons(&read, w)?, "weapon", w, "--weapon")?),
        None => None,
    };
    let makers = match &request.manufacturer {
        Some(m) => Some(require(
            find_organisations(&read, m)?,
            "manufacturer",
            m,
            "--manufacturer",
        )?),
        None => None,
    };
    let scope = crate::db::report::Scope {
        weapons,
        since: request.since.clone(),
        until: request.until.clone(),
    };
    let mut findings = store::select(&read, &scope, makers.as_deref())?;
    let withheld = match &request.public_on {
        Some(day) => Some(crate::db::embargo::withhold_selected(&read, day)?),
        None => None,
    };
    findings -= withheld.unwrap_or(0);
    if let Some(row) = findings_row {
        store::findings(&read, row)?;
    }
    let evidence_files = store::evidence_files(&read)?;
    let mut decisions = store::decisions(&read)?;
    // the retraction log travels with the findings it touches (docs/exchange.md)
    decisions.extend(crate::db::correction::exported(&read)?);
    let mut entities = store::entities(&read)?;
    // the supply chain of the selected findings: links, producers, trace requests, shipments
    entities.extend(crate::db::export_supply::supply(&read)?);
    // and the revisions of amended findings, for readers (not re-imported: docs/exchange.md)
    decisions.extend(crate::db::revision::exported(&read)?);
    // the corrections of the entities they name (`correct`): offered by import-catalogue
    decisions.extend(crate::db::entity_revision::exported(&read)?);
    decisions.extend(super::carry_export_control::exported(&read, &entities)?);
    Ok(Exported {
        header: store::header(&read)?,
        entities,
        decisions,
        findings,
        withheld,
        evidence_files,
    })
}

/// Reads an export in JSON lines (`export --format jsonl`): every finding as stated with all
/// its sources and the stable ids of the entities it names, then the export's decisions,
/// offered for review (applied with `accept`, as for `import-catalogue`). All or nothing: the
/// first bad line stops it with its line number.
pub fn import_jsonl(
    catalogue: &mut Catalogue,
    path: &Path,
    accept: Option<&str>,
    findings_alone: bool,
) -> Result<Combined> {
    let read = jsonl::read(path)?;
    read.supply_not_read
        .refuse(&path.display().to_string(), findings_alone)?;
    let tx = catalogue.write()?;
    let mut added = std::collections::HashSet::new();
    let stats = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        for i in &read.findings {
            let recorded = ingester.record_carried(&i.finding, &i.evidence, i.carried.clone())?;
            if recorded.was_new {
                added.insert(recorded.observation_uid);
            }
        }
        ingester.stats.clone()
    };
    let retractions = carry_retractions(&tx, &read.retractions, &added)?;
    crate::db::refresh_search_index(&tx)?;
    let decisions = exchange::decisions_from(&tx, &read.offered)?;
    let from = path.display().to_string();
    let export_control =
        super::carry_export_control::from_jsonl(&tx, path, accept.map(|who| (who, from.as_str())))?;
    let applied = match accept {
        Some(who) => apply(&tx, &decisions, who, &path.display().to_string())?,
        None => Vec::new(),
    };
    tx.commit()?;
    Ok(Combined {
        stats,
        adopted: 0,
        conflicts: Vec::new(),
        decisions,
        applied,
        refused: Vec::new(),
        retractions,
        // an export carries no revisions yet: nothing to propose from one
        proposals: Vec::new(),
        export_control,
        // a JSON lines import does not read the supply objects back yet (docs/exchange.md)
        supply: Default::default(),
        // nor entity corrections: `import-catalogue` on the catalogue itself brings them
        entity_corrections_carried: 0,
    })
}

/// Records the retraction log an export carried, in its order, for the findings this import
/// added: a round trip keeps every retraction, with its uid, author, time and reason. An entry
/// for a finding that was already here (or for a source) is left out and counted: another
/// catalogue's file never takes one of our findings out of our figures (offering them for
/// review, as decisions are, is later work: docs/exchange.md).
fn carry_retractions(
    tx: &crate::db::Store,
    entries: &[jsonl::Retraction],
    added: &std::collections::HashSet<String>,
) -> Result<CarriedRetractions> {
    use crate::db::correction::{self, Entry};
    let mut out = CarriedRetractions::default();
    for r in entries {
        if correction::has_entry(tx, &r.uid)? {
            out.already_here += 1;
            continue;
        }
        let finding = match r.finding.as_deref().filter(|f| added.contains(*f)) {
            Some(uid) => correction::finding_by_uid(tx, uid)?,
            None => None,
        };
        let Some(finding) = finding else {
            out.left_out += 1;
            continue;
        };
        let entry = Entry {
            uid: Some(&r.uid),
            action: r.action,
            reason: &r.reason,
            evidence_url: r.evidence_url.as_deref(),
            evidence_file: r.evidence_file.as_deref(),
            evidence_sha256: r.evidence_sha256.as_deref(),
            author: &r.author,
            at: &r.created_at,
        };
        correction::record_for_finding(tx, finding, &entry)?;
        out.recorded += 1;
    }
    Ok(out)
}

/// Reading an export in JSON lines: pure, apart from reading the file.
mod jsonl {
    use std::collections::HashMap;
    use std::io::BufRead;
    use std::path::Path;

    use anyhow::{bail, Context, Result};
    use serde_json::Value;

    use crate::db::correction::Action;
    use crate::db::exchange::{Incoming, Offered};
    use crate::db::export::EXPORT_FORMAT_VERSION;
    use crate::db::ingest::{Carried, Evidence};
    use crate::entity::Family;
    use crate::finding::Finding;

    pub struct Read {
        pub findings: Vec<Incoming>,
        pub offered: Vec<Offered>,
        pub retractions: Vec<Retraction>,
        /// supply objects `import` does not read (`import-catalogue` combines them)
        pub supply_not_read: super::super::supply_not_imported::NotRead,
    }

    /// One entry of the retraction log an export carries.
    pub struct Retraction {
        pub uid: String,
        pub finding: Option<String>,
        pub action: Action,
        pub reason: String,
        pub evidence_url: Option<String>,
        pub evidence_file: Option<String>,
        pub evidence_sha256: Option<String>,
        pub author: String,
        pub created_at: String,
    }

    pub fn read(path: &Path) -> Result<Read> {
        let label = path.display().to_string();
        let file = std::fs::File::open(path).with_context(|| format!("{label}: cannot open"))?;
        let mut sources: HashMap<String, Evidence> = HashMap::new();
        let mut observations: Vec<(usize, Value)> = Vec::new();
        let mut offered = Vec::new();
        let mut retractions = Vec::new();
        let mut supply_not_read = super::super::supply_not_imported::NotRead::default();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let at = n + 1;
            let line = line.with_context(|| format!("{label}:{at}: cannot read (UTF-8?)"))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line)
                .with_context(|| format!("{label}:{at}: not a JSON object"))?;
            let kind = v["type"].as_str().unwrap_or_default();
            if at == 1 {
                header(&label, &v)?;
                continue;
            }
            match kind {
                "source" => {
                    let uid = text(&v, "uid").unwrap_or_default();
                    sources.insert(uid, checked_source(&label, at, &v)?);
                }
                "observation" => observations.push((at, v)),
                "judgement" => offered.extend(judgement(&v)),
                "retraction" => retractions.push(retraction(&label, at, &v)?),
                _ => supply_not_read.note(kind, v["how_known"].as_str(), v["finding"].as_str()),
            }
        }
        // the log in order: the last judgement on a pair is the live one
        let mut live: Vec<Offered> = Vec::new();
        for o in offered {
            let pair = |x: &Offered| {
                let (a, b) = (x.left.clone(), x.right.clone());
                (x.family, a.clone().min(b.clone()), a.max(b))
            };
            live.retain(|l| pair(l) != pair(&o));
            live.push(o);
        }
        let offered = live;
        let mut findings = Vec::with_capacity(observations.len());
        for (at, v) in observations {
            findings.push(finding(&label, at, &v, &sources)?);
        }
        Ok(Read {
            findings,
            offered,
            retractions,
            supply_not_read,
        })
    }

    /// The first line says what the file is; a newer format is refused with the version it needs.
    fn header(label: &str, v: &Value) -> Result<()> {
        if v["type"] != "export" {
            bail!("{label}:1: not a comptrace export (its first line must be the export header: `export --format jsonl` writes one)");
        }
        let version = v["format_version"].as_i64().unwrap_or(0);
        if version > EXPORT_FORMAT_VERSION {
            bail!(
                "{label}:1: written in export format {version} by comptrace {}; this comptrace reads format {EXPORT_FORMAT_VERSION} at most: upgrade comptrace to import it; nothing was imported",
                v["comptrace"].as_str().unwrap_or("(unknown)")
            );
        }
        Ok(())
    }

    fn text(v: &Value, key: &str) -> Option<String> {
        v[key]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// A source's hash names a file in the evidence store: 64 lower-case hex digits or nothing.
    fn checked_source(label: &str, at: usize, v: &Value) -> Result<Evidence> {
        let e = source(v);
        if let Some(sha) = e
            .sha256
            .as_deref()
            .filter(|s| !crate::evidence::is_sha256(s))
        {
            bail!("{label}:{at}: source sha256 {sha:?} is not 64 lower-case hex digits; nothing was imported");
        }
        Ok(e)
    }

    fn source(v: &Value) -> Evidence {
        let kind = v["kind"].as_str().unwrap_or_default();
        let kind = ["photo", "video", "document", "report", "webpage", "other"]
            .into_iter()
            .find(|k| *k == kind)
            .unwrap_or("other");
        Evidence {
            uid: text(v, "uid"),
            kind,
            url: text(v, "url"),
            file_name: text(v, "file_name"),
            sha256: text(v, "sha256"),
            publisher: text(v, "publisher"),
            title: text(v, "title"),
            date: text(v, "date"),
        }
    }

    fn finding(
        label: &str,
        at: usize,
        v: &Value,
        sources: &HashMap<String, Evidence>,
    ) -> Result<Incoming> {
        let stated = &v["stated"];
        if !stated.is_object() {
            bail!("{label}:{at}: an observation without its finding as stated (`stated`); export it again with this comptrace");
        }
        let uid = text(v, "uid");
        let finding = Finding::from_fields(|c| match c {
            "uid" => uid.as_deref(),
            _ => stated[c].as_str(),
        })
        .map_err(|e| {
            anyhow::anyhow!(
                "{label}:{at}: field '{}': {}; nothing was imported",
                e.column,
                e.message
            )
        })?;
        let mut evidence = Vec::new();
        for s in v["sources"].as_array().into_iter().flatten() {
            let s = s.as_str().unwrap_or_default();
            let Some(e) = sources.get(s) else {
                bail!("{label}:{at}: source {s} is not in the file; nothing was imported");
            };
            evidence.push(e.clone());
        }
        let o = &v["origins"];
        Ok(Incoming {
            finding,
            evidence,
            carried: Carried {
                organisation: text(o, "manufacturer"),
                weapon: text(o, "weapon"),
                part: text(o, "part"),
                unit: text(o, "unit"),
                parties: super::carried_parties(&o["parties"]),
            },
        })
    }

    /// An entry of the retraction log: every one has a uid, an action, a reason, an author and
    /// a time, and a stored file is named by its hash alone (64 lower-case hex digits).
    pub(super) fn retraction(label: &str, at: usize, v: &Value) -> Result<Retraction> {
        let need = |key: &str| {
            text(v, key).ok_or_else(|| {
                anyhow::anyhow!(
                    "{label}:{at}: a retraction without its {key}; nothing was imported"
                )
            })
        };
        let action = need("action")?;
        let Some(action) = Action::from_name(&action) else {
            bail!("{label}:{at}: a retraction's action is retract or unretract, not {action:?}; nothing was imported");
        };
        let evidence_sha256 = text(v, "evidence_sha256");
        if let Some(sha) = evidence_sha256
            .as_deref()
            .filter(|s| !crate::evidence::is_sha256(s))
        {
            bail!("{label}:{at}: retraction evidence sha256 {sha:?} is not 64 lower-case hex digits; nothing was imported");
        }
        Ok(Retraction {
            uid: need("uid")?,
            finding: text(v, "finding"),
            action,
            reason: need("reason")?,
            evidence_url: text(v, "evidence_url"),
            evidence_file: text(v, "evidence_file"),
            evidence_sha256,
            author: need("author")?,
            created_at: need("created_at")?,
        })
    }

    /// A judgement of the export, in log order; a later one on the same pair supersedes it,
    /// which `decisions_from` sees as the last offered.
    fn judgement(v: &Value) -> Option<Offered> {
        Some(Offered {
            family: Family::from_name(v["kind"].as_str()?)?,
            uid: text(v, "uid")?,
            left: text(v, "left")?,
            right: text(v, "right")?,
            verdict: text(v, "verdict")?,
            author: text(v, "author"),
            note: text(v, "note"),
            decided_at: text(v, "created_at").unwrap_or_default(),
        })
    }
}

/// The stable ids an export gives the companies a finding's maker label names besides the
/// maker: `[[name, uid], ...]`; anything else carries none.
fn carried_parties(v: &serde_json::Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| Some((pair[0].as_str()?.to_string(), pair[1].as_str()?.to_string())))
        // a stable id is a UUID, as this program writes them; another is no id to keep
        .filter(|(_, uid)| uuid::Uuid::try_parse(uid).is_ok())
        .collect()
}
