use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::dates::now;
use crate::db::exchange::{self, Conflict, Decision};
use crate::db::ingest::Ingester;
use crate::db::merge::{self, Absorb};
use crate::evidence::store_dir;
use crate::output::{write_listing, Cell, Format, Listing};
use crate::Context;

/// Bring another investigator's catalogue in. Entities are matched first by stable id, then by
/// normalised key (as on import); observations and evidence are added once, so running it
/// again adds nothing, and what is new here keeps the stable ids it had there. Facts that
/// differ under one stable id are listed, never overwritten. The other catalogue's decisions
/// (merges and "different" judgements) on entities both hold are listed for review and applied
/// only with --accept-decisions. The other catalogue is opened read-only.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The other catalogue
    pub other: PathBuf,
    /// Apply the other catalogue's decisions (merges, "different") instead of only listing them
    #[arg(long)]
    pub accept_decisions: bool,
    /// Who accepts the decisions (with --accept-decisions)
    #[arg(long, env = "COMPTRACE_INVESTIGATOR", hide_env_values = true)]
    pub investigator: Option<String>,
    /// How to list what needs review (conflicting facts, decisions) on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut ours = ctx.open()?;
    let other = exchange::open_other(&args.other)?;
    let found = exchange::findings_of(&other)?;
    // evidence files travel with their hashes; the store never overwrites other content
    let (from, to) = (store_dir(&args.other), store_dir(&ctx.db));
    for incoming in &found {
        for sha in incoming.evidence.iter().filter_map(|e| e.sha256.as_deref()) {
            let src = from.join(sha);
            if src.is_file() && !to.join(sha).exists() {
                std::fs::create_dir_all(&to)?;
                std::fs::copy(&src, to.join(sha))?;
            }
        }
    }
    let tx = ours.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let adopted = exchange::adopt_spellings_by_uid(&other, &tx)?;
    let stats = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        for i in &found {
            ingester.record_carried(&i.finding, &i.evidence, i.carried.clone())?;
        }
        ingester.stats.clone()
    };
    crate::db::refresh_search_index(&tx)?;
    let conflicts = exchange::conflicts(&other, &tx)?;
    let decisions = exchange::decisions(&other, &tx)?;
    let applied = if args.accept_decisions {
        let who = merge::author(args.investigator.as_deref());
        let from = format!(
            "{} (catalogue {})",
            args.other.display(),
            exchange::catalogue_uid(&other)?.unwrap_or_default()
        );
        apply(&tx, &decisions, who.as_deref(), &from)?
    } else {
        Vec::new()
    };
    tx.commit()?;
    let listed = review_listing(&conflicts, &decisions, &applied);
    if !listed.rows.is_empty() {
        write_listing(out, &listed, args.format)?;
    }
    let accepted = applied.iter().filter(|a| a.is_ok()).count();
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
        adopted,
        conflicts.len(),
        decisions.len(),
        if args.accept_decisions {
            format!("offered, {accepted} applied")
        } else {
            "offered for review (apply them with --accept-decisions)".into()
        }
    ));
    Ok(())
}

/// Applies each decision as this catalogue's own, with a note naming where it came from.
/// A merge that a "different" here keeps apart is not applied; the reason is listed.
fn apply(
    conn: &rusqlite::Connection,
    decisions: &[Decision],
    who: Option<&str>,
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
                conn,
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
            "different" => merge::distinct(conn, d.family, d.left.0, d.right.0, who, Some(&note))
                .map_err(|e| e.to_string()),
            _ => Err("an 'unsure' judgement is not a decision to apply".into()),
        };
        out.push(result);
    }
    Ok(out)
}

/// What needs a person: facts that differ under one stable id, and decisions offered.
fn review_listing(
    conflicts: &[Conflict],
    decisions: &[Decision],
    applied: &[Result<(), String>],
) -> Listing {
    let mut l = Listing::new(&["review", "kind", "uid", "subject", "here", "there"]);
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
