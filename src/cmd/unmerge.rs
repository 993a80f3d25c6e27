use std::io::Write;

use crate::usecase::decide::{self, author, Decider};
use crate::Context;
use anyhow::Result;

/// Undo a merge: its entities separate again, each with the spellings, observations and
/// evidence it had before. Recorded in the log as a decision that supersedes the merge.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The merge's uid or number, as `comptrace merges` lists it
    pub id: String,
    /// Why (kept in the log)
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut catalogue = ctx.open()?;
    let who = author(args.investigator.as_deref())?;
    let decider = Decider {
        author: &who,
        note: args.note.as_deref(),
    };
    let (family, uid, pairs) = decide::unmerge(&mut catalogue, args.id.trim(), &decider)?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "undid merge {}: {pairs} {}s separated again",
        args.id,
        family.name()
    ));
    Ok(())
}
