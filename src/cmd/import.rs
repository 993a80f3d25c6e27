use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};

use crate::db::dedup::newest_ids;
use crate::db::merge::Family;
use crate::outfile::{check_output, Existing, NewFile};
use crate::usecase::import::{import, look_alikes, summary, Input, Options};
use crate::Context;

/// Import findings from a CSV file (the import format: see docs/import-format.md).
///
/// The whole file is one transaction: the first bad row stops the import with its line and
/// column, and nothing from the file is written. Importing the same findings again adds nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file (UTF-8, header row required, columns in any order)
    pub file: PathBuf,
    /// Field separator (default: detected from the header line among ',', ';' and tab)
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Import the good rows and set the bad ones aside (written to --rejects with the reason)
    #[arg(long, requires = "rejects")]
    pub skip_invalid: bool,
    /// Where --skip-invalid writes the rejected rows (CSV: the row, its line, the reason)
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// With an export in JSON lines: apply the decisions (merges, "different") it carries
    /// instead of only listing them
    #[arg(long)]
    pub accept_decisions: bool,
    /// Who accepts the decisions (with --accept-decisions)
    #[arg(long, env = "COMPTRACE_INVESTIGATOR", hide_env_values = true)]
    pub investigator: Option<String>,
    /// Show what the import would add and warn about (the same summary), and write nothing:
    /// the import runs in full and its transaction is rolled back (CSV files only)
    #[arg(long)]
    pub dry_run: bool,
    /// The file is a corrected version of the dataset published at this URL: record revisions
    /// and retractions for exactly what changed instead of adding its rows beside the old ones.
    /// Every row must cite the URL or a record under it (URL/...). Rows pair with findings by
    /// their record's URL where each record has its own, else by weapon, unit serial, part and
    /// maker under the source; what cannot be paired is listed and left alone
    /// (docs/data-model.md, "Replacing a source")
    #[arg(long, value_name = "URL", requires = "reason")]
    pub replace_source: Option<String>,
    /// With --replace-source: why (kept with every revision and retraction)
    #[arg(long, requires = "replace_source")]
    pub reason: Option<String>,
    /// With an export (JSON lines, or an export folder's findings.csv): import its findings
    /// even though it carries trace requests, shipments or supply links no finding states,
    /// which `import` does not read (`import-catalogue` on the catalogue file combines them)
    #[arg(long)]
    pub without_supply_chain: bool,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        one if one.len() == 1 && one.is_ascii() => Ok(one.as_bytes()[0]),
        other => Err(format!(
            "'{other}' is not one ASCII character (use ',', ';' or tab)"
        )),
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    if args.file.extension().is_some_and(|e| e == "jsonl") {
        if args.dry_run {
            anyhow::bail!("--dry-run: only for CSV files for now; nothing was changed");
        }
        return import_jsonl(ctx, &args, out);
    }
    if let Some(url) = &args.replace_source {
        return replace_source(ctx, &args, url, out);
    }
    let label = args.file.display().to_string();
    refuse_newer_export(&args.file)?;
    crate::usecase::supply_not_imported::in_csv_folder(&args.file)?
        .refuse(&label, args.without_supply_chain)?;
    let file = File::open(&args.file).with_context(|| format!("{label}: cannot open"))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut conn = ctx.open()?;
    let before = newest_ids(&conn)?;
    let input = Input {
        label: label.clone(),
        reader: BufReader::with_capacity(1 << 16, file),
        total_bytes,
    };
    let options = Options {
        delimiter: args.delimiter,
        skip_invalid: args.skip_invalid,
        dry_run: args.dry_run,
    };
    let mut rejects = match &args.rejects {
        Some(p) => {
            check_output("--rejects", p, Existing::Refuse, &ctx.db)?;
            Some(NewFile::create(p)?)
        }
        None => None,
    };
    let stats = import(
        &mut conn,
        input,
        &options,
        rejects.as_mut().map(|w| w as &mut dyn Write),
        ctx.quiet,
    )?;
    if let Some(w) = rejects {
        w.commit()?;
    }
    if args.dry_run {
        ctx.note(format!(
            "dry run, nothing was written: {}",
            summary(&label, &stats)
        ));
        return Ok(());
    }
    ctx.note(summary(&label, &stats));
    if stats.new_manufacturers + stats.new_weapons > 0 && !ctx.quiet {
        for (family, last) in [Family::Manufacturer, Family::Weapon]
            .into_iter()
            .zip(before)
        {
            let n = look_alikes(&conn, family, last)?;
            if n > 0 {
                ctx.note(format!(
                    "{n} new {}s look like others in the catalogue: review with `comptrace dedup --kind {}`",
                    family.name(),
                    family.name()
                ));
            }
        }
    }
    Ok(())
}

/// An export in JSON lines: findings with their stable ids, and the export's decisions,
/// listed for review (applied with --accept-decisions).
fn import_jsonl(ctx: &Context, args: &Args, out: &mut dyn Write) -> Result<()> {
    let mut catalogue = ctx.open()?;
    let who = if args.accept_decisions {
        Some(crate::usecase::decide::author(
            args.investigator.as_deref(),
        )?)
    } else {
        None
    };
    let accept = who.as_deref();
    let done = crate::usecase::exchange::import_jsonl(
        &mut catalogue,
        &args.file,
        accept,
        args.without_supply_chain,
    )?;
    let mut listed =
        super::import_catalogue::review_listing(&[], &done.decisions, &done.applied, &done.refused);
    listed.rows.extend(super::import_catalogue::screening_rows(
        &done.export_control.offers,
    ));
    if !listed.rows.is_empty() {
        crate::output::write_listing(out, &listed, crate::output::Format::Table)?;
    }
    ctx.note(summary(&args.file.display().to_string(), &done.stats));
    if let Some(note) = super::import_catalogue::retraction_note(&done.retractions) {
        ctx.note(note);
    }
    if let Some(note) =
        super::import_catalogue::export_control_note(&done.export_control, args.accept_decisions)
    {
        ctx.note(note);
    }
    if !done.decisions.is_empty() {
        let applied = done.applied.iter().filter(|a| a.is_ok()).count();
        ctx.note(if args.accept_decisions {
            format!(
                "{} decisions offered, {applied} applied",
                done.decisions.len()
            )
        } else {
            format!(
                "{} decisions offered for review (apply them with --accept-decisions)",
                done.decisions.len()
            )
        });
    }
    Ok(())
}

/// A findings.csv an export wrote sits beside its export.json, which names its format version;
/// one from a newer comptrace may mean something this one would misread, so it is refused.
fn refuse_newer_export(file: &std::path::Path) -> Result<()> {
    let Some(manifest) = file.parent().map(|d| d.join("export.json")) else {
        return Ok(());
    };
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return Ok(());
    };
    let header: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", manifest.display()))?;
    let version = header["format_version"].as_i64().unwrap_or(0);
    if version > crate::db::export::EXPORT_FORMAT_VERSION {
        bail!(
            "{}: written in export format {version} by comptrace {}; this comptrace reads format {} at most: upgrade comptrace to import it; nothing was imported",
            file.display(),
            header["comptrace"].as_str().unwrap_or("(unknown)"),
            crate::db::export::EXPORT_FORMAT_VERSION
        );
    }
    Ok(())
}

/// `--replace-source URL`: revisions and retractions for what the corrected file changes; the
/// rows and findings that could not be paired are listed on stdout.
fn replace_source(ctx: &Context, args: &Args, url: &str, out: &mut dyn Write) -> Result<()> {
    if args.skip_invalid || args.accept_decisions {
        anyhow::bail!("--replace-source takes a CSV file whole: no --skip-invalid or --accept-decisions; nothing was changed");
    }
    let who = crate::usecase::decide::author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let how = crate::usecase::replace::Replacing {
        url: url.trim(),
        author: &who,
        reason: args.reason.as_deref().unwrap_or_default(),
        dry_run: args.dry_run,
    };
    let done = crate::usecase::replace::replace_source(&mut catalogue, &args.file, &how)?;
    if !done.unpaired.rows.is_empty() {
        crate::output::write_listing(out, &done.unpaired, crate::output::Format::Table)?;
    }
    ctx.note(format!(
        "{}{}: {} rows replacing {url}: {} added, {} revised, {} retracted, {} unchanged, {} not paired (listed)",
        if args.dry_run { "dry run, nothing was written: " } else { "" },
        args.file.display(),
        done.rows,
        done.added,
        done.revised,
        done.retracted,
        done.unchanged,
        done.unpaired.rows.len()
    ) + &if done.repeated > 0 {
        format!("; {} rows stated again what an earlier row states", done.repeated)
    } else {
        String::new()
    });
    Ok(())
}
