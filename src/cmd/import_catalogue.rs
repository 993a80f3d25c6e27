use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::db::exchange::{Conflict, Decision, Refused};
use crate::output::{write_listing, Cell, Format, Listing};
use crate::usecase::decide::author;
use crate::usecase::exchange;
use crate::Context;

/// Bring another investigator's catalogue in. Entities are matched first by stable id, then by
/// normalised key (as on import); observations and evidence are added once, so running it
/// again adds nothing, and what is new here keeps the stable ids it had there. Facts that
/// differ under one stable id are listed, never overwritten. The other catalogue's decisions
/// (merges and "different" judgements) on entities both hold are listed for review and applied
/// only with --accept-decisions. Nothing is written beside the other catalogue (it may be on
/// read-only media); nobody should be writing it meanwhile.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The other catalogue
    pub other: PathBuf,
    /// Apply the other catalogue's decisions (merges, "different") instead of only listing them
    #[arg(long)]
    pub accept_decisions: bool,
    /// Who accepts the decisions (with --accept-decisions; else COMPTRACE_INVESTIGATOR, else the
    /// login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
    /// How to list what needs review (conflicting facts, decisions) on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut ours = ctx.open()?;
    let who = if args.accept_decisions {
        Some(author(args.investigator.as_deref())?)
    } else {
        None
    };
    let accept = who.as_deref();
    let done = exchange::combine(&mut ours, &ctx.db, &args.other, accept)?;
    let listed = review_listing(
        &done.conflicts,
        &done.decisions,
        &done.applied,
        &done.refused,
    );
    let mut listed = listed;
    listed.rows.extend(proposal_rows(&done.proposals));
    listed
        .rows
        .extend(screening_rows(&done.export_control.offers));
    if !listed.rows.is_empty() {
        write_listing(out, &listed, args.csv.format(args.format))?;
    }
    if !done.proposals.is_empty() {
        let applied = done
            .proposals
            .iter()
            .filter(|p| matches!(p.applied, Some(Ok(()))))
            .count();
        let conflicts = done
            .proposals
            .iter()
            .filter(|p| p.kind.ends_with("conflict"))
            .count();
        ctx.note(format!(
            "{} corrections of findings and entities we share offered ({conflicts} in conflict with ours, never applied), {applied} applied{}",
            done.proposals.len(),
            if args.accept_decisions {
                ""
            } else {
                " (apply them with --accept-decisions)"
            }
        ));
    }
    let supply = &done.supply;
    ctx.note(format!(
        "supply chain from {}: new {} organisations, {} links, {} weapon producers, {} trace requests, {} responses, {} shipments",
        args.other.display(),
        supply.organisations,
        supply.links,
        supply.producers,
        supply.requests,
        supply.responses,
        supply.shipments
    ));
    let stats = &done.stats;
    let accepted = done.applied.iter().filter(|a| a.is_ok()).count();
    if !done.refused.is_empty() {
        ctx.note(format!(
            "{} rows of {} not taken, each listed with the reason (review \"not taken\")",
            done.refused.len(),
            args.other.display()
        ));
    }
    ctx.note(format!(
        "from {}: {} findings, {} new observations ({} already here); new: {} parts, {} manufacturers, {} weapons, {} sources; {} spellings joined by stable id; {} conflicts listed; {} decisions {}",
        args.other.display(),
        stats.rows,
        stats.observations_added,
        stats.already_present,
        stats.new_parts,
        stats.new_manufacturers,
        stats.new_weapons,
        stats.new_sources,
        done.adopted,
        done.conflicts.len(),
        done.decisions.len(),
        if args.accept_decisions {
            format!("offered, {accepted} applied")
        } else {
            "offered for review (apply them with --accept-decisions)".into()
        }
    ));
    if let Some(note) = retraction_note(&done.retractions) {
        ctx.note(note);
    }
    if done.entity_corrections_carried > 0 {
        ctx.note(format!(
            "entity corrections log: {} entries recorded with the makers, weapons and parts this import added",
            done.entity_corrections_carried
        ));
    }
    if let Some(note) = export_control_note(&done.export_control, args.accept_decisions) {
        ctx.note(note);
    }
    Ok(())
}

/// Another catalogue's screening decisions as review rows: "screening" (or "screening
/// applied", "screening not applied: why"), the organisation here and the listed entry, our
/// latest verdict and theirs.
pub(crate) fn screening_rows(
    offers: &[crate::usecase::carry_export_control::Offer],
) -> Vec<Vec<Cell>> {
    offers
        .iter()
        .map(|o| {
            let status = match &o.applied {
                None => "screening".to_string(),
                Some(Ok(())) => "screening applied".to_string(),
                Some(Err(why)) => format!("screening not applied: {why}"),
            };
            vec![
                status.into(),
                "screening".into(),
                o.uid.as_str().into(),
                format!("{} / {} {}", o.organisation, o.list, o.entry).into(),
                Cell::from(o.here.clone().unwrap_or_else(|| "undecided".into())),
                format!("{} (by {}, {})", o.verdict, o.author, o.recorded_at).into(),
            ]
        })
        .collect()
}

/// What became of the classification log, lists and screening decisions carried in.
pub(crate) fn export_control_note(
    carried: &crate::usecase::carry_export_control::Carried,
    accepted: bool,
) -> Option<String> {
    let (c, l) = (&carried.classifications, &carried.lists);
    let any = c.recorded
        + c.already_here
        + c.left_out
        + l.recorded
        + l.already_here
        + l.left_out
        + carried.offers.len();
    let applied = carried
        .offers
        .iter()
        .filter(|o| matches!(o.applied, Some(Ok(()))))
        .count();
    (any > 0).then(|| {
        format!(
            "export control: {} classifications recorded, {} already here, {} left out (part not here, or malformed); {} list versions recorded, {} already here, {} left out (a newer version is here, or malformed); {} screening decisions offered, {}",
            c.recorded, c.already_here, c.left_out, l.recorded, l.already_here, l.left_out,
            carried.offers.len(),
            if accepted { format!("{applied} applied") } else { "apply them with --accept-decisions".into() }
        )
    })
}

/// What became of a retraction log carried in, when there was one.
pub(crate) fn retraction_note(
    carried: &crate::usecase::exchange::CarriedRetractions,
) -> Option<String> {
    (carried.recorded + carried.already_here + carried.left_out > 0).then(|| {
        format!(
            "retraction log: {} entries recorded for the findings added, {} already here, {} left out (for findings or sources that were already here: another catalogue never retracts ours)",
            carried.recorded, carried.already_here, carried.left_out
        )
    })
}

/// What needs a person: rows not taken and why, facts that differ under one stable id, and
/// decisions offered.
/// The other catalogue's corrections of findings we share, as review rows: "correction" (or
/// "correction applied", "correction not applied: why"), what kind, the finding, what it
/// changes, and who made it there.
fn proposal_rows(proposals: &[crate::usecase::proposals::Proposal]) -> Vec<Vec<Cell>> {
    proposals
        .iter()
        .map(|p| {
            let status = match &p.applied {
                None if p.kind.ends_with("conflict") => "conflict".to_string(),
                None => "correction".to_string(),
                Some(Ok(())) => "correction applied".to_string(),
                Some(Err(why)) => format!("correction not applied: {why}"),
            };
            vec![
                status.into(),
                p.kind.into(),
                p.finding.as_str().into(),
                p.subject.as_str().into(),
                Cell::Null,
                p.there.as_str().into(),
            ]
        })
        .collect()
}

pub(crate) fn review_listing(
    conflicts: &[Conflict],
    decisions: &[Decision],
    applied: &[Result<(), String>],
    refused: &[Refused],
) -> Listing {
    let mut l = Listing::new(&["review", "kind", "uid", "subject", "here", "there"]);
    for r in refused {
        l.rows.push(vec![
            "not taken".into(),
            r.kind.into(),
            r.uid.as_str().into(),
            r.reason.as_str().into(),
            Cell::Null,
            Cell::Null,
        ]);
    }
    for c in conflicts {
        l.rows.push(vec![
            "fact".into(),
            c.kind.into(),
            c.uid.as_str().into(),
            c.field.into(),
            c.here.as_str().into(),
            c.there.as_str().into(),
        ]);
    }
    for (i, d) in decisions.iter().enumerate() {
        let status = match applied.get(i) {
            None => "decision".to_string(),
            Some(Ok(())) => "decision applied".to_string(),
            Some(Err(why)) => format!("decision not applied: {why}"),
        };
        l.rows.push(vec![
            status.into(),
            d.family.name().into(),
            d.uid.as_str().into(),
            format!("{} / {}", d.left.1, d.right.1).into(),
            Cell::from(d.here.clone().unwrap_or_else(|| "undecided".into())),
            format!(
                "{} (by {}, {})",
                d.verdict,
                d.author.as_deref().unwrap_or("no author"),
                d.decided_at
            )
            .into(),
        ]);
    }
    l
}
