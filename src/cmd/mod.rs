//! One module per subcommand: its arguments (whose doc comments are its --help) and a thin
//! `run` that opens the catalogue, calls the library, and hands rows to output/.

pub mod amend;
pub mod archive_source;
pub mod backup;
pub mod check;
pub mod classify;
pub mod cluster;
pub mod correct;
pub mod dedup;
pub mod demo;
pub mod distinct;
pub mod embargo;
pub mod export;
pub mod history;
pub mod import;
pub mod import_catalogue;
pub mod init;
pub mod lists;
pub mod log;
pub mod manufacturers;
pub mod merge;
pub mod merges;
pub mod parts;
pub mod report;
pub mod retract;
pub mod screen;
pub mod search;
pub mod serve;
pub mod shipments;
pub mod show;
pub mod trace;
pub mod unmerge;
pub mod unretract;
pub mod weapons;

use anyhow::{bail, Result};

use crate::output::Format;

use crate::country;
use crate::dates::parse_partial_date;

/// Checks a `--country` style flag, naming the flag when it is unknown.
pub fn country_flag(flag: &str, value: Option<&str>) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => match country::lookup(v) {
            Some(c) => Ok(Some(c.alpha2.clone())),
            None => bail!("{flag}: unknown country '{v}' (use an ISO 3166-1 code such as CN or CHN, or an English name)"),
        },
    }
}

/// Checks a date flag (ISO 8601, year, month or day precision), naming the flag when it is bad.
pub fn date_flag(flag: &str, value: Option<&str>) -> Result<Option<String>> {
    value
        .map(|v| parse_partial_date(v).map_err(|e| anyhow::anyhow!("{flag}: {e}")))
        .transpose()
}

/// `--csv-raw`, beside the `--format` of every listing with a CSV form.
#[derive(Debug, clap::Args)]
pub struct CsvRaw {
    /// With --format csv: every text cell exactly as stored. Without it, a text cell starting
    /// with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet shows it
    /// instead of running it as a formula (OWASP); numbers are never changed; JSON is exact
    #[arg(long)]
    pub csv_raw: bool,
}

impl CsvRaw {
    /// The format `--format` asked for, with `--csv-raw` applied.
    pub fn format(&self, asked: Format) -> Format {
        match asked {
            Format::Csv if self.csv_raw => Format::CsvRaw,
            other => other,
        }
    }
}

/// `--as-of` and `--public`, on every listing that reads findings.
#[derive(Debug, clap::Args)]
pub struct AsOf {
    /// The catalogue as it stood at the end of this day (UTC; YYYY-MM-DD, or a month or year for
    /// its last day), by when each finding, revision, merge and retraction entered it
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Leave out every finding under embargo (or citing a source under one) on the day shown
    /// (today, or the --as-of day); says on stderr how many
    #[arg(long)]
    pub public: bool,
}

impl AsOf {
    /// Shows the catalogue as asked, for this connection only (nothing is written to the file):
    /// see `db::as_of`. Says how many findings --public left out.
    pub fn apply(&self, ctx: &crate::Context, catalogue: &crate::db::Catalogue) -> Result<()> {
        apply_view(ctx, catalogue, self.as_of.as_deref(), self.public)
    }
}

/// `--as-of DATE` and `--public` applied to a connection (`AsOf::apply`, and `show`, whose
/// flags are global to its subcommands).
pub fn apply_view(
    ctx: &crate::Context,
    catalogue: &crate::db::Catalogue,
    as_of: Option<&str>,
    public: bool,
) -> Result<()> {
    let view = crate::usecase::report::View {
        as_of: date_flag("--as-of", as_of)?,
        public,
    };
    if let Some(n) = view.apply(catalogue)? {
        ctx.note(format!("public: {n} findings under embargo left out"));
    }
    Ok(())
}
