use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use super::date_flag;
use crate::dates::now;
use crate::db::query::{exactly_one, find_organisations, find_weapons, require};
use crate::db::report::Scope;
use crate::matching::reference::Reference;
use crate::output::report::{write, ReportFormat};
use crate::report::{self, By};
use crate::Context;

/// Reports to publish: country of origin, a maker's record, a weapon's bill of components,
/// production dates from date codes. Each states its basis (what was counted, the catalogue's
/// snapshot, filters, totals); see docs/reports.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
    /// Output: table, md (Markdown), csv (the first table), json (with the basis) or html (one self-contained page)
    #[arg(long, value_enum, default_value_t = ReportFormat::Table, global = true)]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout
    #[arg(long, value_name = "FILE", global = true)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Kind {
    /// Share of parts and observations by country, with the makers behind each country
    Origin {
        /// Only this weapon model (default: the whole catalogue)
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
        /// Count by the maker's headquarters (hq) or the country marked on the unit (production)
        #[arg(long, value_enum, default_value_t = By::Hq)]
        by: By,
        /// Only observations on or after this date (ISO 8601)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only observations on or before this date (ISO 8601)
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// How many makers to name per country
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Add the sources behind the counts, by publisher (always on with --weapon)
        #[arg(long)]
        sources: bool,
        /// Name makers by today's owner (data/ownership.csv): Maxim and Linear count as Analog Devices
        #[arg(long)]
        by_owner: bool,
    },
    /// Every weapon model a maker's parts were found in, with parts, dates, counts and sources
    Manufacturer {
        name: String,
        /// Include brands this maker owns today (Maxim and Linear Technology for Analog Devices)
        #[arg(long)]
        by_owner: bool,
    },
    /// The bill of components of one weapon model, with evidence per line
    Weapon { name: String },
    /// Parts whose date code shows production after a cut-off date, per maker and country
    DateCodes {
        /// The cut-off (ISO 8601)
        #[arg(long, default_value = "2022-02-24", value_name = "DATE")]
        after: String,
        /// Only this weapon model
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
    },
}

fn weapon_scope(
    conn: &Connection,
    weapon: &Option<String>,
    filters: &mut Vec<(&'static str, String)>,
) -> Result<Option<Vec<i64>>> {
    match weapon {
        Some(w) => {
            filters.push(("weapon", w.clone()));
            Ok(Some(require(
                find_weapons(conn, w)?,
                "weapon",
                w,
                "--weapon",
            )?))
        }
        None => Ok(None),
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open()?;
    let stamp = now();
    let report = match &args.kind {
        Kind::Origin {
            weapon,
            by,
            since,
            until,
            top,
            sources,
            by_owner,
        } => {
            let mut filters = Vec::new();
            let weapons = weapon_scope(&conn, weapon, &mut filters)?;
            let since = date_flag("--since", since.as_deref())?;
            let until = date_flag("--until", until.as_deref())?;
            filters.extend(since.iter().map(|s| ("since", s.clone())));
            filters.extend(until.iter().map(|u| ("until", u.clone())));
            filters.push((
                "by",
                if *by == By::Hq {
                    "hq".into()
                } else {
                    "production".into()
                },
            ));
            let scope = Scope {
                weapons,
                since,
                until,
            };
            let with_sources = *sources || scope.weapons.is_some();
            if *by_owner {
                filters.push(("by_owner", "yes".into()));
            }
            let how = report::OriginOptions {
                by: *by,
                top: *top,
                with_sources,
                by_owner: *by_owner,
            };
            report::origin(&conn, &scope, filters, &how, stamp)?
        }
        Kind::Manufacturer { name, by_owner } => {
            let mut makers: Vec<(i64, String)> = find_organisations(&conn, name)?
                .into_iter()
                .map(|n| (n.id, n.name))
                .collect();
            if *by_owner {
                let refs = Reference::get();
                // owners by the ownership list, or as a label states them in its parenthesis
                // ("Maxim Integrated Products (Analog Devices)")
                let all: Vec<(i64, String, String)> = conn
                    .prepare(
                        "SELECT o.id, o.name, s.text FROM organisation o
                         JOIN organisation_spelling s ON s.organisation_id = o.id
                         WHERE o.merged_into IS NULL ORDER BY o.id, s.id",
                    )?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                let stated_owner = |spelling: &str| {
                    crate::normalize::split_parenthesised(spelling)
                        .1
                        .is_some_and(|note| {
                            note.split(',').any(|item| {
                                refs.same_maker(item.trim(), name)
                                    || refs.owned_by(item.trim(), name)
                            })
                        })
                };
                let mut owned: Vec<(i64, String)> = all
                    .into_iter()
                    .filter(|(id, n, spelling)| {
                        (refs.owned_by(n, name) || stated_owner(spelling))
                            && !makers.iter().any(|(m, _)| m == id)
                    })
                    .map(|(id, n, _)| (id, n))
                    .collect();
                owned.dedup_by_key(|(id, _)| *id);
                makers.extend(owned);
            }
            if makers.is_empty() {
                exactly_one(Vec::new(), "manufacturer", name)?;
            }
            let mut r = report::manufacturer(&conn, name, &makers, stamp)?;
            if *by_owner {
                r.filters.push(("by_owner", "yes".into()));
            }
            r
        }
        Kind::Weapon { name } => {
            let found = find_weapons(&conn, name)?;
            let display = found.first().map(|n| n.name.clone()).unwrap_or_default();
            let id = exactly_one(found, "weapon", name)?;
            report::weapon(&conn, name, id, &display, stamp)?
        }
        Kind::DateCodes { after, weapon } => {
            let after = date_flag("--after", Some(after))?.expect("a default is given");
            let mut filters = Vec::new();
            let weapons = weapon_scope(&conn, weapon, &mut filters)?;
            report::date_codes(
                &conn,
                &Scope {
                    weapons,
                    ..Scope::default()
                },
                filters,
                &after,
                stamp,
            )?
        }
    };
    match &args.out {
        Some(path) => {
            let mut file = BufWriter::new(
                File::create(path)
                    .with_context(|| format!("--out {}: cannot create", path.display()))?,
            );
            write(&mut file, &report, args.format)?;
            file.flush()?;
            ctx.note(format!(
                "wrote {} report to {}",
                report.kind,
                path.display()
            ));
        }
        None => write(out, &report, args.format)?,
    }
    Ok(())
}
