use std::io::Write;

use anyhow::{bail, Result};

use crate::db::merge::Family;
use crate::output::{write_listing, Cell, Format, Listing};
use crate::usecase::decide::{self, author, Decider, Planned};
use crate::usecase::review::suggestions;
use crate::Context;

/// Find entities in the catalogue that look like one (duplicate parts, makers, weapons).
///
/// Lists candidate groups, best first: each member with the score and reason that links it
/// and the observations that hang on it. Nothing changes unless you pass --apply and --yes:
/// --apply alone is a dry run that shows the merges it would record. Pairs judged different
/// (`comptrace distinct`) are never suggested again.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which entities (default: all three, makers first)
    #[arg(long, value_enum)]
    pub kind: Option<Family>,
    /// Lowest score of a pair to list or merge
    #[arg(long, default_value_t = 0.85)]
    pub min_score: f64,
    /// Merge every group listed, each into its member with the most observations
    #[arg(long)]
    pub apply: bool,
    /// With --apply: really write the merges (without it, --apply only shows them)
    #[arg(long, requires = "apply")]
    pub yes: bool,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub csv: super::CsvRaw,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!("--min-score: {} is not between 0 and 1", args.min_score);
    }
    // a write needs an author: refuse before any work, not after listing the plan
    let who = if args.apply && args.yes {
        Some(author(args.investigator.as_deref())?)
    } else {
        None
    };
    // only a confirmed --apply writes
    let mut conn = if args.apply && args.yes {
        ctx.open()?
    } else {
        ctx.open_read_only()?
    };
    let families = match args.kind {
        Some(k) => vec![k],
        None => vec![Family::Manufacturer, Family::Weapon, Family::Part],
    };
    let mut listing = Listing::new(&[
        "kind",
        "group",
        "group_score",
        "uid",
        "name",
        "observations",
        "score",
        "reason",
    ]);
    let mut planned: Vec<Planned> = Vec::new();
    for family in families {
        for (n, group) in suggestions(&conn, family, args.min_score)?
            .into_iter()
            .enumerate()
        {
            for m in &group.members {
                listing.rows.push(vec![
                    family.name().into(),
                    Cell::Int(n as i64 + 1),
                    Cell::Float(group.score),
                    m.uid.clone().into(),
                    m.name.clone().into(),
                    Cell::Int(m.observations),
                    m.link.as_ref().map_or(Cell::Null, |(s, _)| Cell::Float(*s)),
                    m.link
                        .as_ref()
                        .map_or(Cell::Null, |(_, r)| Cell::from(r.clone())),
                ]);
            }
            planned.push(group.plan());
        }
    }
    write_listing(out, &listing, args.csv.format(args.format))?;
    if !args.apply {
        ctx.note(format!(
            "{} candidate groups; review them, then `comptrace merge` or `dedup --apply`",
            planned.len()
        ));
        return Ok(());
    }
    if !args.yes {
        ctx.note(format!(
            "dry run: --apply would record {} merges (add --yes to write them)",
            planned.len()
        ));
        return Ok(());
    }
    let who = who.expect("resolved above for --apply --yes");
    let note = format!("dedup --apply --min-score {}", args.min_score);
    let decider = Decider {
        author: &who,
        note: Some(&note),
    };
    let done = decide::apply_plan(&mut conn, &planned, &decider)?;
    ctx.note(format!(
        "recorded {done} merges (see `comptrace merges`; `comptrace unmerge ID` undoes one)"
    ));
    Ok(())
}
