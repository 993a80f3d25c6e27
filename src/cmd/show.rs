use std::io::Write;

use anyhow::{bail, Result};

use crate::db::query::{find_organisations, find_parts, find_weapons, Named};
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
    /// A manufacturer: its spellings, parts and the weapons they were found in
    Manufacturer {
        name: String,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open()?;
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
        What::Manufacturer { name, format } => (
            show::manufacturer(
                &conn,
                one(find_organisations(&conn, &name)?, "manufacturer", &name)?,
            )?,
            format,
        ),
    };
    write_document(out, &doc, format)?;
    Ok(())
}

/// Exactly one match, or an error that lists the candidates and how to pick one.
fn one(found: Vec<Named>, what: &str, name: &str) -> Result<i64> {
    match found.len() {
        0 => bail!("no {what} named '{name}' in the catalogue (try `comptrace search '{name}'`)"),
        1 => Ok(found[0].id),
        n => {
            let list: Vec<String> = found
                .iter()
                .map(|f| match &f.detail {
                    Some(d) => format!("  {}  {} ({d})", f.uid, f.name),
                    None => format!("  {}  {}", f.uid, f.name),
                })
                .collect();
            let hint = if what == "part" {
                "add --manufacturer or give a uid"
            } else {
                "give a uid"
            };
            bail!("'{name}' names {n} {what}s; {hint}:\n{}", list.join("\n"))
        }
    }
}
