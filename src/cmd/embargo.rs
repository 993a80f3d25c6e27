use std::io::Write;

use anyhow::{bail, Result};

use super::date_flag;
use crate::usecase::correct::{self, Embargoed, Why};
use crate::usecase::decide::author;
use crate::Context;

/// Withhold a finding or a source from public output until a date (a trace request awaiting the
/// maker's right of reply, a source not yet published), or lift the embargo.
///
/// Reports, listings and exports made with --public leave out every finding under embargo, and
/// every finding citing a source under one, and say how many; without --public, and in
/// `backup`, everything is kept. The embargo is logged with who, when and why (`history`).
/// Example:
///
///   comptrace embargo 7c1e9a42 --until 2027-03-01 --reason "awaiting the maker's reply"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The finding: its uid, or at least 8 characters of it
    #[arg(required_unless_present = "source", conflicts_with = "source")]
    pub id: Option<String>,
    /// A source instead of a finding: its URL, uid, or a copy of its file
    #[arg(long, value_name = "URL|UID|FILE")]
    pub source: Option<String>,
    /// The first day it may be published (YYYY-MM-DD)
    #[arg(
        long,
        value_name = "DATE",
        required_unless_present = "lift",
        conflicts_with = "lift"
    )]
    pub until: Option<String>,
    /// End the embargo now
    #[arg(long)]
    pub lift: bool,
    /// Why (kept in the log; required)
    #[arg(long)]
    pub reason: String,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let until = date_flag("--until", args.until.as_deref())?;
    let who = author(args.investigator.as_deref())?;
    let what = match (&args.id, &args.source) {
        (Some(id), None) => Embargoed::Finding(id),
        (None, Some(s)) => Embargoed::Source(s),
        _ => bail!("give a finding's ID or --source, not both"),
    };
    let why = Why {
        author: &who,
        reason: &args.reason,
        evidence: None,
    };
    let mut catalogue = ctx.open()?;
    let (entry, uid) = correct::embargo(&mut catalogue, what, until.as_deref(), &why)?;
    writeln!(out, "{entry}")?;
    ctx.note(match until {
        Some(day) => format!("{uid} is withheld from --public output until {day}"),
        None => format!("{uid}: embargo lifted"),
    });
    Ok(())
}
