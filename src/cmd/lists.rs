use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::output::{write_listing, Format};
use crate::screening::ListFormat;
use crate::usecase::screening::{import_list, ListFile};
use crate::Context;

/// Lists of designated parties to screen against (docs/screening.md), kept apart from findings.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Load a list: FollowTheMoney JSON lines as OpenSanctions publishes them (Company,
    /// Organization, LegalEntity and Person entities, with their Sanction entities), or a CSV
    /// with the columns id,name,aliases,country,program,listed_on,source_url (several values
    /// separated by ';'). Loading a list under a name already loaded makes it the current
    /// version of that list and prints what changed, by entry id; the older version is kept.
    Import {
        /// The list file
        file: PathBuf,
        /// The list's name (OFAC-SDN, EU-Russia ...): screening and decisions refer to it
        #[arg(long)]
        name: String,
        /// The file's format [default: JSON lines when it starts with '{', else CSV]
        #[arg(long, value_enum)]
        format: Option<ListFormat>,
    },
    /// Every version of every list loaded
    Show {
        /// Output: table for reading, csv or json for programs
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    match args.action {
        Action::Import { file, name, format } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let text = String::from_utf8(bytes.clone())
                .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
            let sha = crate::evidence::sha256_hex(&bytes[..])?;
            let mut catalogue = ctx.open()?;
            let file_name = file.display().to_string();
            let (uid, entries, changes) = import_list(
                &mut catalogue,
                &ListFile {
                    name: &name,
                    file_name: &file_name,
                    sha256: &sha,
                    text: &text,
                    format,
                },
            )?;
            writeln!(out, "{uid}")?;
            match changes {
                None => ctx.note(format!("loaded list {name}: {entries} entries")),
                Some(c) => {
                    for (what, ids) in [
                        ("added", &c.added),
                        ("removed", &c.removed),
                        ("changed", &c.changed),
                    ] {
                        for id in ids {
                            writeln!(out, "{what}\t{id}")?;
                        }
                    }
                    ctx.note(format!(
                        "loaded a new version of list {name}: {entries} entries; {} added, {} removed, {} changed, {} unchanged (by entry id)",
                        c.added.len(),
                        c.removed.len(),
                        c.changed.len(),
                        c.unchanged
                    ));
                }
            }
            Ok(())
        }
        Action::Show { format } => {
            let mut catalogue = ctx.open_read_only()?;
            let read = catalogue.read()?;
            write_listing(out, &crate::db::screening::list_versions(&read)?, format)?;
            Ok(())
        }
    }
}
