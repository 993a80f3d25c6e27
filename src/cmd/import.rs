use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::import::{import, summary, Input};
use crate::Context;

/// Import findings from a CSV file (the import format: see docs/import-format.md).
///
/// The whole file is one transaction: the first bad row stops the import with its line and
/// column, and nothing from the file is written. Importing the same findings again adds nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CSV file (UTF-8, header row required, columns in any order)
    pub file: PathBuf,
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    let label = args.file.display().to_string();
    let file = File::open(&args.file).with_context(|| format!("{label}: cannot open"))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut conn = ctx.open()?;
    let input = Input {
        label: label.clone(),
        reader: BufReader::with_capacity(1 << 16, file),
        total_bytes,
    };
    let stats = import(&mut conn, input, ctx.quiet)?;
    ctx.note(summary(&label, &stats));
    Ok(())
}
