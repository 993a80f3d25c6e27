use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::usecase::shipments;
use crate::Context;

/// Customs-style shipment records: who shipped which part (HS code, brand) to whom, when, for
/// how much. Each record becomes a supply link from exporter to importer (docs/supply-chain.md).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Import a CSV of shipment records, all or nothing.
    ///
    /// Columns: date, hs_code, description, part_number, brand, quantity, value, currency,
    /// exporter, exporter_country, importer, importer_country, source_publisher, source_title,
    /// source_url, source_date (exporter and importer required; a part_number, brand or
    /// description). A bad field stops the import with FILE:LINE and the column; nothing is
    /// written. Part numbers and brands join catalogue parts and makers by exact normalised keys
    /// only: a number matching no part, or several, is left unjoined and listed on stderr with
    /// the parts whose keys begin alike, for review. A record already imported adds nothing.
    Import {
        /// The CSV file
        file: PathBuf,
    },
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    match args.what {
        What::Import { file } => {
            let stats = shipments::import(&mut ctx.open()?, &file)?;
            ctx.note(format!(
                "{} records read: {} new shipments ({} already present); {} linked to a part, {} to a brand only, {} not linked (no part or brand resolved)",
                stats.rows, stats.added, stats.already_present, stats.joined_to_parts, stats.brand_only, stats.unlinked
            ));
            if stats.review_total > 0 {
                ctx.note(format!(
                    "{} part numbers were not joined (exact keys only); review them:",
                    stats.review_total
                ));
                for (line, stated, what) in &stats.review {
                    ctx.note(format!("  {}:{line}: {stated}: {what}", file.display()));
                }
            }
            Ok(())
        }
    }
}
