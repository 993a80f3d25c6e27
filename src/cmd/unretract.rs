use std::io::Write;

use anyhow::Result;

use crate::db::correction::Action;
use crate::Context;

/// Put a retracted finding back: it counts again in listings and reports, exactly as before.
/// The retraction stays in the log, followed by this entry with who, when and why.
///
/// ID is the finding's uid as `comptrace log` prints it, or any part of one of at least 8
/// characters that no other finding's uid contains.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The finding: its uid, or at least 8 characters of it
    pub id: String,
    /// Why (kept in the log; required)
    #[arg(long)]
    pub reason: String,
    /// What shows the finding right after all: a URL, or a file (kept in the evidence store by
    /// its hash)
    #[arg(long, value_name = "URL|FILE")]
    pub source: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let args = super::retract::Args {
        id: Some(args.id),
        import: None,
        reason: args.reason,
        source: args.source,
        investigator: args.investigator,
    };
    super::retract::set(ctx, args, Action::Unretract, out)
}
