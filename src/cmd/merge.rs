use std::io::Write;

use anyhow::Result;

use crate::db::merge::Family;
use crate::usecase::decide::{self, author, Decider};
use crate::Context;

/// Merge entities that are one: every spelling, observation and piece of evidence of the others
/// moves to the first (or --into). Recorded as a decision with who, when and why; undo it with
/// `comptrace unmerge ID`. Nothing is deleted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the names are
    #[arg(long, value_enum)]
    pub kind: Family,
    /// Two or more names or uids
    #[arg(required = true, num_args = 2..)]
    pub names: Vec<String>,
    /// The one to keep (default: the first)
    #[arg(long)]
    pub into: Option<String>,
    /// Why (kept in the merge log)
    #[arg(long)]
    pub note: Option<String>,
    /// Merge even though a person judged them different; say why
    #[arg(long, value_name = "WHY")]
    pub r#override: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut catalogue = ctx.open()?;
    let who = author(args.investigator.as_deref())?;
    let decider = Decider {
        author: &who,
        note: args.note.as_deref(),
    };
    let (uid, n) = decide::merge_names(
        &mut catalogue,
        args.kind,
        &args.names,
        args.into.as_deref(),
        args.r#override.as_deref(),
        &decider,
    )?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "merged {n} {}s into one (merge {uid}; `comptrace unmerge {uid}` undoes it)",
        args.kind.name()
    ));
    Ok(())
}
