use std::io::Write;

use anyhow::Result;

use super::date_flag;
use crate::output::{write_listing, Format};
use crate::usecase::correct;
use crate::Context;

/// List what touched a finding, or everything recorded in the catalogue, in order.
///
/// With ID: when the finding was logged or imported, every judgement on the part, maker or
/// weapon it names (merges, unmerges, "different", "unsure": on the entity its text named,
/// the entity it now belongs to, and every entity merged into that one; screening decisions
/// on its maker, as "screening: match" and so on), every amendment (each revision with the
/// fields it changed, before -> after), and every retraction of it or of its sources, each
/// with its author, time and reason. Without: every import, finding logged, judgement
/// (screening decisions included), amendment and retraction, from --since on. Events at the
/// same second are ordered logging, judgements, amendments, retractions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A finding: its uid, or at least 8 characters of it
    #[arg(conflicts_with = "since")]
    pub id: Option<String>,
    /// The whole catalogue's history from this date on (ISO 8601, any precision)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let since = date_flag("--since", args.since.as_deref())?;
    let mut catalogue = ctx.open_read_only()?;
    let events = match &args.id {
        Some(id) => correct::history_of(&mut catalogue, id)?,
        None => correct::history_since(&mut catalogue, since.as_deref())?,
    };
    write_listing(out, &events, args.format)?;
    ctx.note(format!("{} events", events.rows.len()));
    Ok(())
}
