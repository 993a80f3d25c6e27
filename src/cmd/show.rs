use std::io::Write;

use anyhow::Result;

use crate::db::query::{exactly_one as one, find_organisations, find_parts, find_weapons};
use crate::db::show;
use crate::output::{write_document, Format};
use crate::Context;

/// Show everything about one part, weapon model or manufacturer, down to the evidence.
///
/// NAME may be any spelling it was logged under (matched like stored spellings) or its uid.
/// With --format csv, the first table is written (observations, parts, or parts).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
    /// With --format csv: every text cell exactly as stored. Without it, a text cell starting
    /// with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet shows it
    /// instead of running it as a formula (OWASP); numbers are never changed; JSON is exact
    #[arg(long, global = true)]
    pub csv_raw: bool,
    /// The catalogue as it stood at the end of this day (UTC; YYYY-MM-DD, or a month or year for
    /// its last day), by when each finding, revision, merge and retraction entered it
    #[arg(long, value_name = "DATE", global = true)]
    pub as_of: Option<String>,
    /// Leave out every finding under embargo (or citing a source under one) on the day shown
    /// (today, or the --as-of day); says on stderr how many
    #[arg(long, global = true)]
    pub public: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// A part: its spellings, each observation with marking and sources, and the sources
    Part {
        name: String,
        /// Which maker's part, when several makers have one with this number
        #[arg(long)]
        manufacturer: Option<String>,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// A weapon model: its bill of parts, countries, recovered units and sources
    Weapon {
        name: String,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// An organisation in any role: its spellings, every role it plays in supply links with the
    /// links and their sources, and the trace requests sent to it
    Organisation {
        name: String,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// A manufacturer: its spellings, parts and the weapons they were found in
    Manufacturer {
        name: String,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open_read_only()?;
    super::apply_view(ctx, &conn, args.as_of.as_deref(), args.public)?;
    let (doc, format) = match args.what {
        What::Part {
            name,
            manufacturer,
            format,
        } => {
            let mut found = find_parts(&conn, &name)?;
            if let Some(maker) = &manufacturer {
                let makers = find_organisations(&conn, maker)?;
                found.retain(|p| makers.iter().any(|m| Some(&m.name) == p.detail.as_ref()));
            }
            (show::part(&conn, one(found, "part", &name)?)?, format)
        }
        What::Weapon { name, format } => (
            show::weapon(&conn, one(find_weapons(&conn, &name)?, "weapon", &name)?)?,
            format,
        ),
        What::Organisation { name, format } => (
            crate::db::supply_view::organisation(
                &conn,
                one(find_organisations(&conn, &name)?, "organisation", &name)?,
            )?,
            format,
        ),
        What::Manufacturer { name, format } => (
            show::manufacturer(
                &conn,
                one(find_organisations(&conn, &name)?, "manufacturer", &name)?,
            )?,
            format,
        ),
    };
    write_document(
        out,
        &doc,
        super::CsvRaw {
            csv_raw: args.csv_raw,
        }
        .format(format),
    )?;
    Ok(())
}
