use std::io::Write;

use anyhow::{bail, Result};
use rusqlite::TransactionBehavior;

use super::merge::resolve;
use crate::db::merge::{self, author, Family};
use crate::Context;

/// Record that two entities are different, so dedup never suggests them again and a merge
/// across them needs an explicit --override. If they were merged, this separates them.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub kind: Family,
    pub a: String,
    pub b: String,
    /// Why (kept in the log)
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else USER)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    let mut conn = ctx.open()?;
    let a = resolve(&conn, args.kind, &args.a)?;
    let b = resolve(&conn, args.kind, &args.b)?;
    if a == b {
        bail!(
            "'{}' and '{}' name the same {}; to separate a merge, run `comptrace unmerge`",
            args.a,
            args.b,
            args.kind.name()
        );
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let who = author(args.investigator.as_deref());
    merge::distinct(&tx, args.kind, a, b, who.as_deref(), args.note.as_deref())?;
    tx.commit()?;
    ctx.note(format!(
        "recorded: '{}' and '{}' are different {}s",
        args.a,
        args.b,
        args.kind.name()
    ));
    Ok(())
}
