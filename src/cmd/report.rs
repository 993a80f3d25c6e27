use std::io::Write;
use std::path::PathBuf;

use super::date_flag;
use crate::classification::Chpl;
use crate::dates::now;
use crate::outfile::{check_output, Existing, NewFile};
use crate::output::report::{write, ReportFormat};
use crate::report::By;
use crate::usecase::report::Request;
use crate::Context;
use anyhow::{Context as _, Result};

/// Reports to publish: country of origin, a maker's record, a weapon's bill of components,
/// production dates from date codes. Each states its basis (what was counted, the catalogue's
/// snapshot, filters, totals, findings on no source); see docs/reports.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
    /// Output: table, md (Markdown), csv (the first table), json (with the basis) or html (one self-contained page)
    #[arg(long, value_enum, default_value_t = ReportFormat::Table, global = true)]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout (a new file: see --force). Never the
    /// catalogue, its journal or its evidence store
    #[arg(long, value_name = "FILE", global = true)]
    pub out: Option<PathBuf>,
    /// With --format csv: every text cell exactly as stored. Without it, a text cell starting
    /// with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet shows it
    /// instead of running it as a formula (OWASP); numbers are never changed; JSON is exact
    #[arg(long, global = true)]
    pub csv_raw: bool,
    /// With --out: replace the file if it exists
    #[arg(long, global = true, requires = "out")]
    pub force: bool,
    /// The catalogue as it stood at the end of this day (UTC; YYYY-MM-DD, or a month or year
    /// for its last day), by when each finding, revision, merge and retraction entered it. The
    /// basis then states that day instead of a generation time, so the report is the same bytes
    /// whenever it is made again with the same comptrace
    #[arg(long, value_name = "DATE", global = true)]
    pub as_of: Option<String>,
    /// Leave out every finding under embargo (or citing a source under one) on the day shown
    /// (today, or the --as-of day); the basis says how many
    #[arg(long, global = true)]
    pub public: bool,
    /// The Common High Priority List to rank by: a CSV in data/chpl.csv's columns (hs_code,
    /// tier, description, list_version, page). Default: the bundled list, which is partial
    /// (tiers 1 and 2); see docs/classification.md
    #[arg(long, value_name = "FILE", global = true)]
    pub chpl: Option<PathBuf>,
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
        /// Only parts in this CHPL tier (1, 2, 3.A, 3.B, 4.A, 4.B), by their HS code stated or inferred
        #[arg(long, value_name = "TIER")]
        tier: Option<String>,
    },
    /// Every weapon model a maker's parts were found in, with parts, dates, counts and sources
    Manufacturer {
        name: String,
        /// Include brands this maker owns today (Maxim and Linear Technology for Analog Devices)
        #[arg(long)]
        by_owner: bool,
    },
    /// The bill of components of one weapon model, with HS codes, CHPL tiers and evidence per line
    Weapon {
        name: String,
        /// Only parts in this CHPL tier (1, 2, 3.A, 3.B, 4.A, 4.B)
        #[arg(long, value_name = "TIER")]
        tier: Option<String>,
    },
    /// Every known chain from a part's maker towards the weapons: each link with its roles,
    /// countries, dates and sources, and where the chain breaks (docs/supply-chain.md)
    #[command(group(clap::ArgGroup::new("what").required(true).args(["part", "manufacturer"])))]
    Route {
        /// One part (a spelling it was logged under, or its uid)
        #[arg(long, value_name = "PART")]
        part: Option<String>,
        /// Every part of this maker, and the links naming only its brand
        #[arg(long, value_name = "NAME")]
        manufacturer: Option<String>,
        /// Only parts found in this weapon model
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
        /// Routes listed per part at most (all are counted)
        #[arg(long, default_value_t = 20, value_name = "N")]
        max_routes: usize,
    },
    /// Countries the parts passed through besides their maker's, by link and by value
    ThirdCountries {
        /// Only this maker's parts and brand
        #[arg(long, value_name = "NAME")]
        manufacturer: Option<String>,
        /// Only links dated on or after this date (ISO 8601)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Suppliers, distributors, exporters and importers with the parts, makers and weapons
    /// they are linked to, and the evidence
    Suppliers {
        /// Only links to parts found in this weapon model
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
    },
    /// Parts whose date code shows production after a cut-off date, per maker and country
    DateCodes {
        /// The cut-off (ISO 8601)
        #[arg(long, default_value = "2022-02-24", value_name = "DATE")]
        after: String,
        /// Only this weapon model
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
        /// Only parts in this CHPL tier: `--tier 1` answers "tier 1 items made after the cut-off"
        /// by the parts' own date codes
        #[arg(long, value_name = "TIER")]
        tier: Option<String>,
    },
    /// Observations and distinct parts by Common High Priority List tier and maker country, with
    /// stated and inferred HS codes counted apart and the unmapped counted
    Chpl {
        /// Only this weapon model
        #[arg(long, value_name = "NAME")]
        weapon: Option<String>,
        /// Only observations on or after this date (ISO 8601)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
}

/// The report the arguments ask for, with every date checked.
fn request(kind: &Kind) -> Result<Request> {
    Ok(match kind {
        Kind::Origin {
            weapon,
            by,
            since,
            until,
            top,
            sources,
            by_owner,
            tier,
        } => Request::Origin {
            weapon: weapon.clone(),
            by: *by,
            since: date_flag("--since", since.as_deref())?,
            until: date_flag("--until", until.as_deref())?,
            top: *top,
            sources: *sources,
            by_owner: *by_owner,
            tier: tier.clone(),
        },
        Kind::Manufacturer { name, by_owner } => Request::Manufacturer {
            name: name.clone(),
            by_owner: *by_owner,
        },
        Kind::Weapon { name, tier } => Request::Weapon {
            name: name.clone(),
            tier: tier.clone(),
        },
        Kind::ThirdCountries {
            manufacturer,
            since,
        } => Request::ThirdCountries {
            manufacturer: manufacturer.clone(),
            since: date_flag("--since", since.as_deref())?,
        },
        Kind::Suppliers { weapon } => Request::Suppliers {
            weapon: weapon.clone(),
        },
        Kind::Route {
            part,
            manufacturer,
            weapon,
            max_routes,
        } => Request::Route {
            part: part.clone(),
            manufacturer: manufacturer.clone(),
            weapon: weapon.clone(),
            cap: (*max_routes).max(1),
        },
        Kind::DateCodes {
            after,
            weapon,
            tier,
        } => Request::DateCodes {
            after: date_flag("--after", Some(after))?.expect("a default is given"),
            weapon: weapon.clone(),
            tier: tier.clone(),
        },
        Kind::Chpl { weapon, since } => Request::Chpl {
            weapon: weapon.clone(),
            since: date_flag("--since", since.as_deref())?,
        },
    })
}

/// Only a report's own arguments (its kind, filters and name), without the options that read
/// or write files (`--out`, `--chpl`): what the web pages may ask for.
#[derive(Debug, clap::Parser)]
#[command(name = "report", no_binary_name = true)]
struct KindOnly {
    #[command(subcommand)]
    kind: Kind,
}

/// A report request from words as typed after `comptrace report` (`weapon Gerbera --tier 1`),
/// read by the same arguments, defaults and checks as the command: the web pages ask for
/// reports this way, so they cannot drift from the command.
pub fn request_from_words(words: &[String]) -> Result<Request> {
    use clap::Parser as _;
    let parsed = KindOnly::try_parse_from(words)
        .map_err(|e| anyhow::anyhow!("{}", e.render().to_string().trim_end()))?;
    request(&parsed.kind)
}

/// The list `--chpl` names, else the bundled one.
fn load_chpl(path: Option<&std::path::Path>) -> Result<Chpl> {
    match path {
        None => Ok(Chpl::bundled().clone()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("--chpl: cannot read {}", p.display()))?;
            Chpl::parse(&text, &p.display().to_string()).map_err(|e| anyhow::anyhow!("--chpl: {e}"))
        }
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let request = request(&args.kind)?;
    if let Some(path) = &args.out {
        check_output(
            "--out",
            path,
            Existing::ReplaceIfForced(args.force),
            &ctx.db,
        )?;
    }
    let as_of = date_flag("--as-of", args.as_of.as_deref())?;
    let chpl = load_chpl(args.chpl.as_deref())?;
    let mut catalogue = ctx.open_read_only()?;
    let view = crate::usecase::report::View {
        as_of,
        public: args.public,
    };
    let report = crate::usecase::report::build(&mut catalogue, &request, &chpl, now(), &view)?;
    let format = match args.format {
        ReportFormat::Csv if args.csv_raw => ReportFormat::CsvRaw,
        other => other,
    };
    match &args.out {
        Some(path) => {
            let mut file = NewFile::create(path)?;
            write(&mut file, &report, format)
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.commit()?;
            ctx.note(format!(
                "wrote {} report to {}",
                report.kind,
                path.display()
            ));
        }
        None => write(out, &report, format)?,
    }
    Ok(())
}
