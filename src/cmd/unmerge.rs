use std::io::Write;

use anyhow::Result;
use rusqlite::TransactionBehavior;

use crate::db::merge::{self, author};
use crate::Context;

/// Undo a merge: its entities separate again, each with the spellings, observations and
/// evidence it had before. Recorded in the log as a decision that supersedes the merge.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The merge's uid or number, as `comptrace merges` lists it
    pub id: String,
    /// Why (kept in the log)
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else USER)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let who = author(args.investigator.as_deref());
    let (family, uid, pairs) =
        merge::unmerge(&tx, args.id.trim(), who.as_deref(), args.note.as_deref())?;
    tx.commit()?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "undid merge {}: {pairs} {}s separated again",
        args.id,
        family.name()
    ));
    Ok(())
}
