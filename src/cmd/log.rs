use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use rusqlite::TransactionBehavior;

use crate::dates::now;
use crate::db::ingest::{Evidence, Ingester};
use crate::evidence::store_file;
use crate::finding::Finding;
use crate::Context;

/// Record one finding from a teardown, and print the stable id of the observation.
///
/// Takes the fields of the import format as flags. Example:
///
///   comptrace log --weapon Gerbera --component "Viewpro A40 Pro camera" --part-number "A40 Pro"
///     --manufacturer Viewpro --manufacturer-country CN --found-on 2024-09-01 --found-at Kyiv
///     --evidence-file photo.jpg --evidence-url https://example.org/report
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Weapon model the part was found in (required)
    #[arg(long)]
    pub weapon: String,
    /// Country the weapon model comes from (code or name)
    #[arg(long)]
    pub weapon_origin_country: Option<String>,
    /// Kind of weapon (UAV, cruise missile ...)
    #[arg(long)]
    pub weapon_type: Option<String>,
    /// Serial or tail number of the recovered unit
    #[arg(long)]
    pub unit_serial: Option<String>,
    /// What the part is, as named in the teardown
    #[arg(long)]
    pub component: Option<String>,
    /// Part number or model as printed
    #[arg(long)]
    pub part_number: Option<String>,
    /// Category (microcontroller, camera, engine ...)
    #[arg(long)]
    pub category: Option<String>,
    /// The maker; leave out when unknown
    #[arg(long)]
    pub manufacturer: Option<String>,
    /// The maker's headquarters country
    #[arg(long)]
    pub manufacturer_country: Option<String>,
    /// Where this unit was produced, if marked ("Made in Malaysia": MY)
    #[arg(long)]
    pub production_country: Option<String>,
    /// The marking text as read off the part
    #[arg(long)]
    pub marking: Option<String>,
    /// The date code as printed (for example 2214)
    #[arg(long)]
    pub date_code: Option<String>,
    /// Lot number as printed
    #[arg(long)]
    pub lot: Option<String>,
    /// When the weapon was recovered (ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY)
    #[arg(long)]
    pub found_on: Option<String>,
    /// Where the weapon was recovered
    #[arg(long)]
    pub found_at: Option<String>,
    /// Who published the source
    #[arg(long)]
    pub source_publisher: Option<String>,
    /// Title of the source
    #[arg(long)]
    pub source_title: Option<String>,
    /// URL of the source
    #[arg(long)]
    pub source_url: Option<String>,
    /// Date of the source (ISO 8601)
    #[arg(long)]
    pub source_date: Option<String>,
    /// high, medium or low
    #[arg(long)]
    pub confidence: Option<String>,
    /// Who logged the finding
    #[arg(long, env = "COMPTRACE_INVESTIGATOR", hide_env_values = true)]
    pub investigator: Option<String>,
    /// Free notes
    #[arg(long)]
    pub notes: Option<String>,
    /// A web page that shows the finding (repeatable)
    #[arg(long, value_name = "URL")]
    pub evidence_url: Vec<String>,
    /// A photo, video or document to keep in the evidence store (repeatable)
    #[arg(long, value_name = "PATH")]
    pub evidence_file: Vec<PathBuf>,
}

impl Args {
    fn fields(&self) -> HashMap<&'static str, Option<&str>> {
        HashMap::from([
            ("weapon", Some(self.weapon.as_str())),
            (
                "weapon_origin_country",
                self.weapon_origin_country.as_deref(),
            ),
            ("weapon_type", self.weapon_type.as_deref()),
            ("unit_serial", self.unit_serial.as_deref()),
            ("component", self.component.as_deref()),
            ("part_number", self.part_number.as_deref()),
            ("category", self.category.as_deref()),
            ("manufacturer", self.manufacturer.as_deref()),
            ("manufacturer_country", self.manufacturer_country.as_deref()),
            ("production_country", self.production_country.as_deref()),
            ("marking", self.marking.as_deref()),
            ("date_code", self.date_code.as_deref()),
            ("lot", self.lot.as_deref()),
            ("found_on", self.found_on.as_deref()),
            ("found_at", self.found_at.as_deref()),
            ("source_publisher", self.source_publisher.as_deref()),
            ("source_title", self.source_title.as_deref()),
            ("source_url", self.source_url.as_deref()),
            ("source_date", self.source_date.as_deref()),
            ("confidence", self.confidence.as_deref()),
            ("investigator", self.investigator.as_deref()),
            ("notes", self.notes.as_deref()),
        ])
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let fields = args.fields();
    let finding = Finding::from_fields(|c| fields.get(c).copied().flatten()).map_err(|e| {
        anyhow::anyhow!(
            "--{}: {}; nothing was recorded",
            e.column.replace('_', "-"),
            e.message
        )
    })?;
    for url in &args.evidence_url {
        if url.trim().is_empty() {
            bail!("--evidence-url: empty URL");
        }
    }
    for file in &args.evidence_file {
        if !file.is_file() {
            bail!(
                "--evidence-file {}: no such file; nothing was recorded",
                file.display()
            );
        }
    }
    let mut conn = ctx.open()?;
    let mut evidence: Vec<Evidence> = args
        .evidence_url
        .iter()
        .map(|url| Evidence {
            kind: "webpage",
            url: Some(url.trim().to_string()),
            file_name: None,
            sha256: None,
            publisher: None,
            title: None,
            date: None,
        })
        .collect();
    for file in &args.evidence_file {
        evidence.push(store_file(&ctx.db, file)?);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (recorded, stats) = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        let recorded = ingester.record(&finding, &evidence)?;
        (recorded, ingester.stats.clone())
    };
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    writeln!(out, "{}", recorded.observation_uid)?;
    if recorded.was_new {
        ctx.note(format!(
            "recorded observation {} (new: {} part, {} manufacturer, {} weapon, {} unit, {} sources)",
            recorded.observation_uid,
            stats.new_parts,
            stats.new_manufacturers,
            stats.new_weapons,
            stats.new_units,
            stats.new_sources
        ));
    } else {
        ctx.note(format!(
            "this finding is already in the catalogue as observation {}; nothing was added",
            recorded.observation_uid
        ));
    }
    Ok(())
}
