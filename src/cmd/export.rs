use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde_json::Value;

use super::date_flag;
use crate::db::export::ENTITY_FILES;
use crate::finding::COLUMNS;
use crate::outfile::{check_output, Existing, NewDir, NewFile};
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
    /// Leave out every finding under embargo today (or citing a source under one: `comptrace
    /// embargo`), and say how many; without it everything is exported
    #[arg(long)]
    pub public: bool,
    /// With --format csv: copy the evidence files the findings cite into an `evidence` folder
    /// of the export, each named by the SHA-256 of the original in the store. Location
    /// metadata (EXIF GPS, XMP naming GPS) is taken out of JPEG copies; the store keeps the
    /// original bytes
    #[arg(long)]
    pub with_evidence: bool,
    /// With --with-evidence: copy the images with their location metadata
    #[arg(long, requires = "with_evidence")]
    pub keep_location: bool,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let request = ExportRequest {
        weapon: args.weapon.clone(),
        manufacturer: args.manufacturer.clone(),
        since: date_flag("--since", args.since.as_deref())?,
        until: date_flag("--until", args.until.as_deref())?,
        public_on: args
            .public
            .then(|| crate::dates::now().chars().take(10).collect()),
    };
    if let Some(p) = &args.out {
        check_output("--out", p, Existing::Refuse, &ctx.db)?;
    }
    let mut catalogue = ctx.open_read_only()?;
    let withheld;
    let n = match args.format {
        ExportFormat::Jsonl | ExportFormat::Ftm => {
            if args.with_evidence {
                bail!("--with-evidence: only with --format csv (a folder holds the files)");
            }
            let exported = export(&mut catalogue, &request, None)?;
            withheld = exported.withheld;
            let all = if args.format == ExportFormat::Ftm {
                // FollowTheMoney has no place for a merge log: entities only
                crate::export_ftm::entities(&exported.entities)
            } else {
                std::iter::once(exported.header)
                    .chain(exported.entities)
                    .chain(exported.decisions)
                    .collect()
            };
            match &args.out {
                Some(p) => {
                    let mut file = NewFile::create(p)?;
                    write_lines(&mut file, &all)
                        .with_context(|| format!("cannot write {}", p.display()))?;
                    file.commit()?;
                }
                None => write_lines(out, &all)?,
            }
            exported.findings
        }
        ExportFormat::Csv => {
            let Some(dir) = &args.out else {
                bail!("--out: a folder is required for --format csv")
            };
            // the folder is filled under a temporary name and renamed when complete: an
            // export cut short leaves nothing that blocks the next one
            let folder = NewDir::create(dir)?;
            let findings_csv = folder.path().join("findings.csv");
            let mut w = csv::Writer::from_writer(NewFile::create(&findings_csv)?);
            w.write_record(COLUMNS.iter())?;
            let mut row = |fields: Vec<Option<String>>| -> Result<()> {
                w.write_record(fields.iter().map(|f| f.as_deref().unwrap_or("")))
                    .with_context(|| format!("cannot write {}", dir.join("findings.csv").display()))
            };
            let exported = export(&mut catalogue, &request, Some(&mut row))?;
            withheld = exported.withheld;
            commit_csv(w, dir)?;
            if args.with_evidence {
                let (copied, stripped) = copy_evidence(
                    ctx,
                    folder.path(),
                    dir,
                    &exported.evidence_files,
                    args.keep_location,
                )?;
                ctx.note(format!(
                    "{copied} evidence files copied to {} (named by the SHA-256 of the original in the store); location metadata {}",
                    dir.join("evidence").display(),
                    if args.keep_location {
                        "kept, as --keep-location asked".to_string()
                    } else {
                        format!("taken out of {stripped} images (--keep-location keeps it)")
                    }
                ));
            }
            let mut all = exported.entities;
            all.extend(exported.decisions);
            write_entity_files(folder.path(), dir, &all)?;
            write_file(
                folder.path(),
                dir,
                "export.json",
                (serde_json::to_string_pretty(&exported.header)? + "\n").as_bytes(),
            )?;
            write_file(
                folder.path(),
                dir,
                SPREADSHEET_NOTE_FILE,
                SPREADSHEET_NOTE.as_bytes(),
            )?;
            folder.commit()?;
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
    if let Some(w) = withheld {
        ctx.note(format!("public: {w} findings under embargo left out"));
    }
    Ok(())
}

/// The note an export's CSV folder carries: its cells are exact text, formulas included.
pub const SPREADSHEET_NOTE_FILE: &str = "OPENING-IN-A-SPREADSHEET.txt";

const SPREADSHEET_NOTE: &str = "\
The CSV files in this folder hold the catalogue's text exactly as it was recorded, so that
findings.csv can be imported again. Names and notes come from many people's files: a cell
that starts with =, +, -, @, a tab or a carriage return can be run as a formula by a
spreadsheet (Excel, LibreOffice Calc, Google Sheets), and a formula can fetch web addresses
or run commands.

To open these files safely in a spreadsheet:
- import them as text: in LibreOffice Calc, File > Open, choose \"Text CSV\", and set every
  column's type to Text; in Excel, Data > From Text/CSV, then \"Transform Data\" and set the
  columns to Text; in Google Sheets, File > Import and untick \"Convert text to numbers,
  dates, and formulas\";
- never double-click them open, and never enable \"external content\" a spreadsheet offers.

To read the catalogue in a spreadsheet without this care, use a listing or a report in CSV
(`comptrace parts --format csv`, `comptrace report ... --format csv`): there such cells start
with a ' that shows them as text.
";

/// One JSON value per line.
fn write_lines(sink: &mut dyn Write, values: &[Value]) -> Result<()> {
    for v in values {
        serde_json::to_writer(&mut *sink, v)?;
        writeln!(sink)?;
    }
    sink.flush()?;
    Ok(())
}

/// Finishes one CSV file of the export folder (`dir` names the folder in an error).
fn commit_csv(w: csv::Writer<NewFile>, dir: &Path) -> Result<()> {
    let file = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", dir.display(), e.error()))?;
    file.commit()
        .with_context(|| format!("cannot write {}", dir.display()))
}

/// Writes one small file of the export folder.
/// Copies the cited evidence files out of the store into `evidence/` of the export folder,
/// JPEGs without their location metadata unless `keep_location`; returns how many files were
/// copied and how many had location metadata taken out. A file the store lacks is said so.
fn copy_evidence(
    ctx: &Context,
    folder: &Path,
    dir: &Path,
    files: &[(String, Option<String>)],
    keep_location: bool,
) -> Result<(usize, usize)> {
    if files.is_empty() {
        return Ok((0, 0));
    }
    std::fs::create_dir(folder.join("evidence"))
        .with_context(|| format!("cannot write {}", dir.join("evidence").display()))?;
    let (mut copied, mut stripped) = (0, 0);
    for (sha, name) in files {
        let Some(original) = crate::evidence::read_stored(&ctx.db, sha)? else {
            ctx.note(format!(
                "evidence file {sha} ({}) is not in the store: not copied",
                name.as_deref().unwrap_or("no name")
            ));
            continue;
        };
        let bytes = if keep_location {
            original
        } else {
            let (copy, what) = crate::exif::strip_location(&original);
            if what == crate::exif::Stripped::Removed {
                stripped += 1;
            }
            copy
        };
        write_file(folder, dir, &format!("evidence/{sha}"), &bytes)?;
        copied += 1;
    }
    Ok((copied, stripped))
}

fn write_file(folder: &Path, dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let mut file = NewFile::create(&folder.join(name))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
    file.commit()
        .with_context(|| format!("cannot write {}", dir.display()))
}

/// One CSV per entity type, with its documented columns (`db::export::ENTITY_FILES`) even when
/// it has no rows; lists joined with "; ". The cells are exact: see SPREADSHEET_NOTE.
fn write_entity_files(folder: &Path, dir: &Path, entities: &[Value]) -> Result<()> {
    for f in ENTITY_FILES {
        let mut w = csv::Writer::from_writer(NewFile::create(&folder.join(f.file))?);
        let what = || format!("cannot write {}", dir.join(f.file).display());
        w.write_record(f.columns).with_context(what)?;
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
            }))
            .with_context(what)?;
        }
        commit_csv(w, dir)?;
    }
    Ok(())
}
