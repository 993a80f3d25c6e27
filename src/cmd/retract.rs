use std::io::Write;

use anyhow::Result;

use crate::db::correction::Action;
use crate::output::{write_listing, Format};
use crate::usecase::correct::{self, Why};
use crate::usecase::decide::author;
use crate::Context;

/// Retract a finding: it no longer counts in any listing or report, and says so wherever it is
/// shown on its own (`show part`, `search`, exports). Nothing is deleted: the retraction is
/// appended to the log with who, when and why (`history ID`), and `unretract` puts it back.
///
/// ID is the finding's uid as `comptrace log` prints it, or any part of one of at least 8
/// characters that no other finding's uid contains. With --import N instead of an ID, every
/// finding import N added (`comptrace history` numbers each import) is retracted with the one
/// reason, each by its own entry in the log.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The finding: its uid, or at least 8 characters of it
    #[arg(required_unless_present = "import", conflicts_with = "import")]
    pub id: Option<String>,
    /// Retract every finding this import added that still stands (its number, as `history`
    /// shows it: "import N: FILE")
    #[arg(long, value_name = "N")]
    pub import: Option<i64>,
    /// Why (kept in the log; required)
    #[arg(long)]
    pub reason: String,
    /// What shows the finding wrong: a URL, or a file (kept in the evidence store by its hash)
    #[arg(long, value_name = "URL|FILE")]
    pub source: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    match args.import {
        Some(batch) => retract_import(ctx, &args, batch, out),
        None => set(ctx, args, Action::Retract, out),
    }
}

/// Retracts what one import added; prints how many findings.
fn retract_import(ctx: &Context, args: &Args, batch: i64, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let why = Why {
        author: &who,
        reason: &args.reason,
        evidence: args.source.as_deref(),
    };
    let n = correct::retract_import(&mut catalogue, &ctx.db, batch, &why)?;
    writeln!(out, "{n}")?;
    ctx.note(format!(
        "retracted the {n} findings import {batch} added that stood: they no longer count in listings and reports (`unretract` puts one back)"
    ));
    Ok(())
}

/// Retracts or puts back the finding `args.id`; prints the log entry's uid.
pub fn set(ctx: &Context, args: Args, action: Action, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let why = Why {
        author: &who,
        reason: &args.reason,
        evidence: args.source.as_deref(),
    };
    let id = args.id.as_deref().unwrap_or_default();
    let (finding, entry) = correct::set_retracted(&mut catalogue, &ctx.db, id, action, &why)?;
    writeln!(out, "{entry}")?;
    ctx.note(match action {
        Action::Retract => format!(
            "retracted finding {}: it no longer counts in listings and reports (`unretract` puts it back)",
            finding.uid
        ),
        Action::Unretract => format!("finding {} counts again", finding.uid),
    });
    Ok(())
}

/// Record that a source is withdrawn or disproved, and list the findings that cite it.
///
/// Retracting a source retracts no finding by itself: a finding may stand on other evidence.
/// The findings that rest on this source alone are listed first (other_sources 0), to review
/// and retract one by one with `comptrace retract ID --reason ...`. SOURCE is the source's URL,
/// its uid, or the file it stores.
#[derive(Debug, clap::Args)]
pub struct SourceArgs {
    /// The source: its URL, uid, or a copy of its file
    pub source: String,
    /// Why (kept in the log; required)
    #[arg(long)]
    pub reason: String,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run_source(ctx: &Context, args: SourceArgs, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let why = Why {
        author: &who,
        reason: &args.reason,
        evidence: None,
    };
    let (_, citing) = correct::retract_source(&mut catalogue, &args.source, &why)?;
    write_listing(out, &citing, args.format)?;
    let alone = citing
        .rows
        .iter()
        .filter(|r| r.last().is_some_and(|c| c.text() == "0"))
        .count();
    ctx.note(format!(
        "recorded: source retracted; no finding was retracted. {alone} of the {} findings citing it rest on it alone: review them and retract each with `comptrace retract ID --reason ...`",
        citing.rows.len()
    ));
    Ok(())
}
