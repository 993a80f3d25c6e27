use std::io::Write;

use anyhow::{bail, Result};

use crate::db::query;
use crate::output::{write_listing, Format};
use crate::Context;

/// Find parts, manufacturers, weapons, recovered units and sources whose text contains TEXT.
///
/// Searches every spelling ever logged (so old and misspelt names are found), the marking text
/// read off parts, findings' notes, recovered units' serials, published labels and label notes,
/// and source titles. The case of the letters A to Z does not matter.
#[derive(Debug, clap::Args)]
pub struct Args {
    pub text: String,
    /// At most this many results
    #[arg(long, default_value_t = 200)]
    pub limit: i64,
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub as_of: super::AsOf,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    if args.text.trim().is_empty() {
        bail!("search: TEXT is empty");
    }
    let conn = ctx.open_read_only()?;
    // the index is never shadowed, but every hit is joined to the spelling, finding, unit or
    // source it names, which --as-of and --public do shadow: a name entered later finds nothing
    args.as_of.apply(ctx, &conn)?;
    let listing = query::search(&conn, args.text.trim(), args.limit)?;
    write_listing(out, &listing, args.csv.format(args.format))?;
    ctx.note(format!("{} matches", listing.rows.len()));
    Ok(())
}
