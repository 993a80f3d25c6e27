use std::io::Write;

use anyhow::Result;

use crate::db::query;
use crate::output::{write_listing, Format};
use crate::Context;

/// List weapon models with their recovered units, observations, parts and makers.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub as_of: super::AsOf,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open_read_only()?;
    args.as_of.apply(ctx, &conn)?;
    let listing = query::weapons(&conn)?;
    write_listing(out, &listing, args.csv.format(args.format))?;
    ctx.note(format!("{} weapon models", listing.rows.len()));
    Ok(())
}
