use std::io::Write;

use anyhow::Result;

use super::country_flag;
use crate::db::query;
use crate::output::{write_listing, Format};
use crate::Context;

/// List manufacturers with their headquarters country, parts, observations and weapons.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only makers headquartered in this country (code or name)
    #[arg(long)]
    pub country: Option<String>,
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub as_of: super::AsOf,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let country = country_flag("--country", args.country.as_deref())?;
    let conn = ctx.open_read_only()?;
    args.as_of.apply(ctx, &conn)?;
    let listing = query::manufacturers(&conn, country.as_deref())?;
    write_listing(out, &listing, args.csv.format(args.format))?;
    ctx.note(format!("{} manufacturers", listing.rows.len()));
    Ok(())
}
