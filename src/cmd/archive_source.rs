use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::date_flag;
use crate::usecase::correct;
use crate::usecase::decide::author;
use crate::Context;

/// Record when a source was accessed and keep an archived copy of it (a saved page or PDF), so
/// a withdrawn page does not take the evidence with it.
///
/// The copy is kept in the evidence store by its SHA-256, as a finding's evidence files are;
/// `backup` copies it with the catalogue. Each call appends to the source's record with who
/// and when (`history`); the latest date and copy are the source's own (`show part`, exports).
/// Example:
///
///   comptrace archive-source https://example.org/report --accessed-on 2026-11-30 --file report.pdf
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source: its URL, uid, or a copy of its file
    pub source: String,
    /// The day the source was read (ISO 8601)
    #[arg(long, value_name = "DATE")]
    pub accessed_on: Option<String>,
    /// A saved copy of the source (page, PDF), kept in the evidence store
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Who records it (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let accessed = date_flag("--accessed-on", args.accessed_on.as_deref())?;
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let (entry, uid) = correct::archive_source(
        &mut catalogue,
        &ctx.db,
        &args.source,
        accessed.as_deref(),
        args.file.as_deref(),
        &who,
    )?;
    writeln!(out, "{entry}")?;
    ctx.note(format!("recorded for source {uid}"));
    Ok(())
}
