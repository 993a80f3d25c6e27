use std::io::Write;

use anyhow::Result;

use super::{country_flag, date_flag};
use crate::db::query::{self, find_organisations, find_weapons, require, PartFilter};
use crate::output::{write_listing, Format};
use crate::Context;

/// List parts seen, with their maker, the weapons they were found in, when, and the
/// organisations their supply links name.
///
/// Names are matched like stored spellings (case, spacing, punctuation and legal forms do not
/// count), so --manufacturer "texas instruments inc" finds Texas Instruments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only parts of this maker
    #[arg(long, value_name = "NAME")]
    pub manufacturer: Option<String>,
    /// Only parts whose maker is headquartered in this country (code or name)
    #[arg(long)]
    pub country: Option<String>,
    /// Only parts seen in this weapon model
    #[arg(long, value_name = "NAME")]
    pub weapon: Option<String>,
    /// Only parts of this category
    #[arg(long)]
    pub category: Option<String>,
    /// Only observations on or after this date (ISO 8601)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only observations on or before this date (ISO 8601)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only parts a supply link names this organisation for, in any role (a supplier,
    /// distributor, exporter or importer: docs/supply-chain.md)
    #[arg(long, value_name = "NAME")]
    pub supplier: Option<String>,
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
    let filter = part_filter(
        &conn,
        &Filters {
            manufacturer: args.manufacturer.as_deref(),
            country: args.country.as_deref(),
            weapon: args.weapon.as_deref(),
            category: args.category.as_deref(),
            since: args.since.as_deref(),
            until: args.until.as_deref(),
            supplier: args.supplier.as_deref(),
        },
    )?;
    let listing = query::parts(&conn, &filter)?;
    write_listing(out, &listing, args.csv.format(args.format))?;
    ctx.note(format!("{} parts", listing.rows.len()));
    Ok(())
}

/// The filters of `parts` as typed (on the command line or in the web page's form).
#[derive(Debug, Default)]
pub struct Filters<'a> {
    pub manufacturer: Option<&'a str>,
    pub country: Option<&'a str>,
    pub weapon: Option<&'a str>,
    pub category: Option<&'a str>,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub supplier: Option<&'a str>,
}

/// Checks the filters and resolves their names, refusing with the flag's name what does not
/// resolve: the one reading of them, for the command and the web page alike.
pub fn part_filter(conn: &crate::db::Store, f: &Filters) -> Result<PartFilter> {
    let country = country_flag("--country", f.country)?;
    let since = date_flag("--since", f.since)?;
    let until = date_flag("--until", f.until)?;
    let manufacturers = match f.manufacturer {
        Some(name) => Some(require(
            find_organisations(conn, name)?,
            "manufacturer",
            name,
            "--manufacturer",
        )?),
        None => None,
    };
    let weapons = match f.weapon {
        Some(name) => Some(require(
            find_weapons(conn, name)?,
            "weapon",
            name,
            "--weapon",
        )?),
        None => None,
    };
    let suppliers = match f.supplier {
        Some(name) => Some(require(
            find_organisations(conn, name)?,
            "organisation",
            name,
            "--supplier",
        )?),
        None => None,
    };
    Ok(PartFilter {
        manufacturers,
        country,
        weapons,
        category: f.category.map(str::to_string),
        since,
        until,
        suppliers,
    })
}
