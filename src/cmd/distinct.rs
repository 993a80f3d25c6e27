use std::io::Write;

use anyhow::Result;

use crate::db::merge::Family;
use crate::usecase::decide::{self, author, Decider};
use crate::Context;

/// Record that two entities are different, so dedup never suggests them again and a merge
/// across them needs an explicit --override. If they were merged, this separates them.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub kind: Family,
    pub a: String,
    pub b: String,
    /// Why (kept in the log)
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    let mut catalogue = ctx.open()?;
    let who = author(args.investigator.as_deref())?;
    let decider = Decider {
        author: &who,
        note: args.note.as_deref(),
    };
    decide::distinct_names(&mut catalogue, args.kind, &args.a, &args.b, &decider)?;
    ctx.note(format!(
        "recorded: '{}' and '{}' are different {}s",
        args.a,
        args.b,
        args.kind.name()
    ));
    Ok(())
}
