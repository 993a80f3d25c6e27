use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};

use crate::matching::cluster::{cluster, Kind, Row};
use crate::matching::DEFAULT_THRESHOLD;
use crate::outfile::{check_output, Existing, NewFile};
use crate::Context;

/// Group the names in a CSV file that mean the same part, maker or weapon.
///
/// Standalone (no catalogue needed): for cleaning a spreadsheet before import, and for
/// benchmarks. The file needs a `name` column (and, for parts, may have a `manufacturer`
/// column); every input row is written back with a `cluster` column added: rows with the same
/// number are judged the same thing. See docs/matching.md for the rules.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the names are
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// The CSV file to group
    pub file: PathBuf,
    /// Write the result here instead of to stdout (a new file: see --force)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// With --out: replace the file if it exists
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Lowest score at which two names are merged (0 to 1; higher merges less)
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold: {} is not between 0 and 1", args.threshold);
    }
    if let Some(p) = &args.out {
        check_output("--out", p, Existing::ReplaceIfForced(args.force), &ctx.db)?;
    }
    let label = args.file.display().to_string();
    let file = File::open(&args.file).with_context(|| format!("{label}: cannot open"))?;
    let mut reader = csv::Reader::from_reader(BufReader::new(file));
    let header = reader
        .headers()
        .with_context(|| format!("{label}: cannot read the header"))?
        .clone();
    let position = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(name_col) = position("name") else {
        bail!(
            "{label}:1: a 'name' column is required (header: {})",
            header.iter().collect::<Vec<_>>().join(",")
        );
    };
    let maker_col = position("manufacturer");
    let mut records = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!("{label}:{line}: {e}")
        })?;
        records.push(r);
    }
    let rows: Vec<Row> = records
        .iter()
        .map(|r| Row {
            name: r.get(name_col).unwrap_or("").to_string(),
            manufacturer: maker_col
                .and_then(|c| r.get(c))
                .filter(|m| !m.trim().is_empty())
                .map(str::to_string),
        })
        .collect();
    let groups = cluster(args.kind, &rows, args.threshold);
    match &args.out {
        Some(p) => {
            let mut file = NewFile::create(p)?;
            write_groups(&mut file, &header, &records, &groups)
                .with_context(|| format!("cannot write {}", p.display()))?;
            file.commit()?;
        }
        None => write_groups(out, &header, &records, &groups)?,
    }
    let n_groups = groups.iter().max().copied().unwrap_or(0);
    ctx.note(format!("{} names in {n_groups} groups", rows.len()));
    Ok(())
}

/// Every input row as it was, with its group number in a `cluster` column. The cells are the
/// input's own, exact, so the file can be cleaned and imported again (like `export`).
fn write_groups(
    sink: &mut dyn Write,
    header: &csv::StringRecord,
    records: &[csv::StringRecord],
    groups: &[usize],
) -> Result<()> {
    let mut w = csv::Writer::from_writer(sink);
    let mut head: Vec<&str> = header.iter().collect();
    head.push("cluster");
    w.write_record(&head)?;
    for (r, g) in records.iter().zip(groups) {
        let mut fields: Vec<String> = r.iter().map(str::to_string).collect();
        fields.push(g.to_string());
        w.write_record(&fields)?;
    }
    w.flush()?;
    Ok(())
}
