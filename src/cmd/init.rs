use std::io::Write;

use anyhow::Result;

use crate::{db, Context};

/// Create an empty catalogue (one SQLite file) at --db, COMPTRACE_DB or ./comptrace.db.
///
/// Refuses to touch an existing file.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args, _out: &mut dyn Write) -> Result<()> {
    db::create(&ctx.db)?;
    ctx.note(format!(
        "created an empty catalogue at {} (schema version {})",
        ctx.db.display(),
        db::SCHEMA_VERSION
    ));
    Ok(())
}
