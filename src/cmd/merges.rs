use std::io::Write;

use anyhow::Result;

use crate::db::merge::merge_log;
use crate::output::{write_listing, Format};
use crate::Context;

/// List the judgement log: every merge and unmerge, and every screening decision (an
/// organisation judged to be, or not to be, a listed party: `screen-decide`), oldest first,
/// with who, when, why, the entity kept and the entities absorbed (for a decision: the
/// organisation, the list entry, and the later decision that superseded it).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open_read_only()?;
    let l = merge_log(&conn)?;
    write_listing(out, &l, args.csv.format(args.format))?;
    ctx.note(format!("{} entries in the merge log", l.rows.len()));
    Ok(())
}
