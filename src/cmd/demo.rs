use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::db::{self, query};
use crate::output::{write_listing, Format};
use crate::usecase::import::{import, summary, Input, Options};
use crate::usecase::report::{build, Request, View};
use crate::usecase::supply_facts;
use crate::Context;

/// The sample catalogue: findings collected from open reporting, shipped in the binary.
pub const SAMPLE_CSV: &str = include_str!("../../data/public-findings.csv");

/// Supply facts from open reporting (weapon producers, links), each with its page.
pub const SUPPLY_CSV: &str = include_str!("../../data/public-supply.csv");

/// Build a catalogue from the bundled sample findings and show what it holds.
///
/// Without PATH the catalogue goes to comptrace-demo.db in the system's temporary folder
/// (replaced on each run); a PATH you give must not exist yet.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to build the demo catalogue
    pub path: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let path = match args.path {
        Some(p) if p.exists() => bail!("{} already exists; give demo a new path", p.display()),
        Some(p) => p,
        None => {
            let p = std::env::temp_dir().join("comptrace-demo.db");
            for suffix in ["", "-wal", "-shm"] {
                let f = PathBuf::from(format!("{}{suffix}", p.display()));
                if f.exists() {
                    std::fs::remove_file(&f)?;
                }
            }
            p
        }
    };
    let mut conn = db::Catalogue::create(&path)?;
    let input = Input {
        label: "public-findings.csv (bundled)".into(),
        reader: SAMPLE_CSV.as_bytes(),
        total_bytes: SAMPLE_CSV.len() as u64,
    };
    let stats = import(&mut conn, input, &Options::default(), None, true)?;
    ctx.note(summary("the bundled sample findings", &stats));
    let facts = supply_facts::load(&mut conn, "public-supply.csv (bundled)", SUPPLY_CSV)?;
    let shown = path.display().to_string();
    writeln!(
        out,
        "comptrace demo: a catalogue of {} findings from open reporting, at {shown}\n",
        stats.rows
    )?;
    for (label, n) in query::counts(&conn)? {
        writeln!(out, "  {n:>5}  {label}")?;
    }
    writeln!(
        out,
        "\nWhere the parts' makers are headquartered (share of observations):\n"
    )?;
    write_listing(out, &query::origin_by_hq(&conn)?, Format::Table)?;
    writeln!(
        out,
        "\nPast the maker ({facts} sourced supply facts): a route of Texas Instruments parts, and who builds the Shahed-136:\n"
    )?;
    for line in demo_chain(&mut conn)? {
        writeln!(out, "  {line}")?;
    }
    let db = shell_quote(&shown);
    writeln!(out, "\nTry next:")?;
    for line in [
        format!("comptrace --db {db} show weapon Gerbera"),
        format!("comptrace --db {db} parts --manufacturer \"texas instruments inc\""),
        format!("comptrace --db {db} manufacturers --country China"),
        format!("comptrace --db {db} weapons"),
        format!("comptrace --db {db} search viewpro"),
        format!("comptrace --db {db} show part \"A40 Pro\" --format json"),
        format!("comptrace --db {db} report route --manufacturer \"Texas Instruments\""),
        format!("comptrace --db {db} show organisation \"NPP Itelma\""),
    ] {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The sample's chain past the maker: Texas Instruments' possible routes (links naming its
/// brand) and the Shahed-136's producer, each with its source.
fn demo_chain(catalogue: &mut db::Catalogue) -> Result<Vec<String>> {
    let request = Request::Route {
        part: None,
        manufacturer: Some("Texas Instruments".into()),
        weapon: None,
        cap: 5,
    };
    let report = build(
        catalogue,
        &request,
        crate::classification::Chpl::bundled(),
        crate::dates::now(),
        &View::default(),
    )?;
    let mut lines = Vec::new();
    for (name, table) in &report.tables {
        if *name != "possible routes (brand only)" {
            continue;
        }
        let col = |row: &[crate::table::Cell], c: &str| {
            table
                .columns
                .iter()
                .position(|x| *x == c)
                .map(|i| row[i].text())
                .unwrap_or_default()
        };
        for row in &table.rows {
            let from = match col(row, "from").as_str() {
                "" => format!(
                    "? ({}, {})",
                    col(row, "from_role"),
                    col(row, "from_country")
                ),
                named => format!(
                    "{named} ({}, {})",
                    col(row, "from_role"),
                    col(row, "from_country")
                ),
            };
            lines.push(format!(
                "Texas Instruments (manufacturer, US) -> [no known link] -> {from} -> {} ({}, {})   [{}]",
                col(row, "to"),
                col(row, "to_role"),
                col(row, "to_country"),
                col(row, "sources")
            ));
        }
    }
    for (weapon, producer, site, country, source) in db::supply_facts::weapon_producers(catalogue)?
    {
        lines.push(format!(
            "{weapon}: built by {producer}, {site} ({country})   [{source}]"
        ));
    }
    Ok(lines)
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
