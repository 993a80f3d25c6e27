use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use serde_json::Value;

use super::date_flag;
use crate::db::export::ENTITY_FILES;
use crate::finding::COLUMNS;
use crate::usecase::exchange::{export, ExportRequest};
use crate::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A folder: findings.csv in the import format, and one CSV per entity family
    Csv,
    /// One JSON object per line per entity (manufacturer, weapon, part, unit, source, observation) with its stable uid
    Jsonl,
    /// FollowTheMoney entities as JSON lines (Company, Document, Asset, UnknownLink, Documentation, Ownership)
    Ftm,
}

/// Export the catalogue, or the part of it a filter selects, for other tools and investigators.
///
/// CSV: a folder with findings.csv in the import format (it re-imports into an empty catalogue
/// with the same counts) and manufacturers.csv, weapons.csv, parts.csv, units.csv, sources.csv,
/// observations.csv with stable uids and links. JSON lines: the same entities, one per line.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The folder (csv) or file (jsonl; default stdout) to write; must not exist
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Only findings of this maker's parts
    #[arg(long, value_name = "NAME")]
    pub manufacturer: Option<String>,
    /// Only findings in this weapon model
    #[arg(long, value_name = "NAME")]
    pub weapon: Option<String>,
    /// Only findings observed on or after this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only findings observed on or before this date
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let request = ExportRequest {
        weapon: args.weapon.clone(),
        manufacturer: args.manufacturer.clone(),
        since: date_flag("--since", args.since.as_deref())?,
        until: date_flag("--until", args.until.as_deref())?,
    };
    if let Some(p) = &args.out {
        if p.exists() {
            bail!(
                "--out {}: already exists; export never overwrites",
                p.display()
            );
        }
    }
    let mut catalogue = ctx.open_read_only()?;
    let n = match args.format {
        ExportFormat::Jsonl | ExportFormat::Ftm => {
            let exported = export(&mut catalogue, &request, None)?;
            let mut sink: Box<dyn Write> = match &args.out {
                Some(p) => {
                    Box::new(BufWriter::new(File::create(p).with_context(|| {
                        format!("--out {}: cannot create", p.display())
                    })?))
                }
                None => Box::new(out),
            };
            let all = if args.format == ExportFormat::Ftm {
                // FollowTheMoney has no place for a merge log: entities only
                crate::export_ftm::entities(&exported.entities)
            } else {
                std::iter::once(exported.header)
                    .chain(exported.entities)
                    .chain(exported.decisions)
                    .collect()
            };
            for e in all {
                serde_json::to_writer(&mut sink, &e)?;
                writeln!(sink)?;
            }
            sink.flush()?;
            exported.findings
        }
        ExportFormat::Csv => {
            let Some(dir) = &args.out else {
                bail!("--out: a folder is required for --format csv")
            };
            std::fs::create_dir_all(dir)
                .with_context(|| format!("--out {}: cannot create", dir.display()))?;
            let mut w = csv::Writer::from_path(dir.join("findings.csv"))?;
            w.write_record(COLUMNS.iter())?;
            let mut row = |fields: Vec<Option<String>>| -> Result<()> {
                w.write_record(fields.iter().map(|f| f.as_deref().unwrap_or("")))?;
                Ok(())
            };
            let exported = export(&mut catalogue, &request, Some(&mut row))?;
            w.flush()?;
            let mut all = exported.entities;
            all.extend(exported.decisions);
            write_entity_files(dir, &all)?;
            std::fs::write(
                dir.join("export.json"),
                serde_json::to_string_pretty(&exported.header)? + "\n",
            )?;
            ctx.note(
                "findings.csv carries the findings as stated with their stable ids; the uids of \
                 makers, weapons, parts and units and the merge log are in the other files for \
                 reading, and are imported only from JSON lines (`export --format jsonl`, then \
                 `import FILE.jsonl`) or with `import-catalogue` on the catalogue itself",
            );
            exported.findings
        }
    };
    ctx.note(format!("exported {n} findings"));
    Ok(())
}

/// One CSV per entity type, with its documented columns (`db::export::ENTITY_FILES`) even when
/// it has no rows; lists joined with "; ".
fn write_entity_files(dir: &std::path::Path, entities: &[Value]) -> Result<()> {
    for f in ENTITY_FILES {
        let mut w = csv::Writer::from_path(dir.join(f.file))?;
        w.write_record(f.columns)?;
        for e in entities.iter().filter(|e| e["type"] == f.kind) {
            w.write_record(f.columns.iter().map(|c| {
                match &e[*c] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                }
            }))?;
        }
        w.flush()?;
    }
    Ok(())
}
