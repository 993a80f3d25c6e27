use std::io::Write;

use anyhow::{bail, Result};

use crate::db::check::problems;
use crate::Context;

/// Check a catalogue: SQLite's integrity and foreign keys, that every merge in the log agrees
/// with the derived state, and that every stored evidence file still has its SHA-256.
/// Prints each problem; exits non-zero when there is any.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open()?;
    let found = problems(&conn, &ctx.db)?;
    for p in &found {
        writeln!(out, "{p}")?;
    }
    if !found.is_empty() {
        bail!("{} problems in {}", found.len(), ctx.db.display());
    }
    ctx.note(format!("{}: no problems found", ctx.db.display()));
    Ok(())
}
