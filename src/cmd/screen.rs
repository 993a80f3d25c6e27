use std::io::Write;

use anyhow::Result;

use crate::output::{write_listing, Format};
use crate::screening::{Decision, Role};
use crate::usecase::decide::author;
use crate::usecase::screening::{candidates, decide, DecisionRequest};
use crate::Context;

/// Match the catalogue's organisations against the loaded lists of designated parties, with the
/// maker matching (blocked candidates, as `cluster` does): each candidate with its score, the
/// reasons, and the latest decision on it. A name of fewer than three distinctive words or
/// under 8 letters is never a candidate on the name alone: it needs a country the organisation
/// and the entry share; a resemblance (a slip, a sound) across two countries is never one.
/// Record a decision with `comptrace screen-decide`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which organisations: suppliers (distributors), makers, or all
    #[arg(long, value_enum, default_value_t = Role::All)]
    pub role: Role,
    /// Only this list (default: the current version of every list)
    #[arg(long, value_name = "NAME")]
    pub list: Option<String>,
    /// Output: table for reading, csv or json for programs
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut catalogue = ctx.open_read_only()?;
    let listing = candidates(&mut catalogue, args.role, args.list.as_deref())?;
    write_listing(out, &listing, args.format)?;
    ctx.note(format!(
        "{} candidate(s); decide each with `comptrace screen-decide ORGANISATION --list NAME --entry ID --verdict match|no-match|unsure`",
        listing.rows.len()
    ));
    Ok(())
}

/// Record a decision on a screening candidate: the organisation is (match), is not (no-match)
/// or may be (unsure) the listed party. Appended to the decisions log with who and when; a
/// later decision on the same pair supersedes it. Reports mark organisations whose latest
/// decision is a match, with the list, program and listing date.
#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    /// The organisation, by name as `comptrace manufacturers` shows it, or its uid
    pub organisation: String,
    /// The list, by the name it was loaded under
    #[arg(long, value_name = "NAME")]
    pub list: String,
    /// The listed entry's id (as `screen` shows it)
    #[arg(long, value_name = "ID")]
    pub entry: String,
    #[arg(long, value_enum)]
    pub verdict: Decision,
    /// Why (kept with the decision)
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run_decide(ctx: &Context, args: DecideArgs, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let uid = decide(
        &mut catalogue,
        &DecisionRequest {
            organisation: &args.organisation,
            list: &args.list,
            entry: &args.entry,
            decision: args.verdict,
            note: args.note.as_deref(),
        },
        &who,
    )?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "recorded: {} is {} {} {}",
        args.organisation,
        match args.verdict {
            Decision::Match => "listed as",
            Decision::NoMatch => "not",
            Decision::Unsure => "perhaps",
        },
        args.list,
        args.entry
    ));
    Ok(())
}
