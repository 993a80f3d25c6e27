use std::io::Write;

use anyhow::Result;

use crate::output::{write_listing, Format};
use crate::usecase::classify::{classify, Request};
use crate::usecase::decide::author;
use crate::Context;

/// State a part's HS code (and/or ECCN) with its source: appended to the classification log,
/// never overwriting an earlier statement. A stated code beats any inferred one; statements
/// that disagree are all kept and `report chpl` lists them (docs/classification.md).
///
/// PART is a part number or name as `comptrace parts` shows it, or a part's uid. Prints the
/// statement's uid, then every statement on the part.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The part
    pub part: String,
    /// The HS code: six digits or more, dots and spaces allowed (8542.31, 8542.31.00)
    #[arg(long = "hs", value_name = "CODE")]
    pub hs_code: Option<String>,
    /// The Export Control Classification Number (3A001, 5A991.b, EAR99)
    #[arg(long, value_name = "ECCN")]
    pub eccn: Option<String>,
    /// Where the classification comes from: a URL, a ruling, a datasheet (required)
    #[arg(long)]
    pub source: String,
    /// A note kept with the statement
    #[arg(long)]
    pub note: Option<String>,
    /// Who states it (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
    /// Output of the statements: table for reading, csv or json for programs
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let request = Request {
        part: args.part,
        hs_code: args.hs_code,
        eccn: args.eccn,
        source: args.source,
        note: args.note,
    };
    let (uid, statements) = classify(&mut catalogue, &request, &who)?;
    writeln!(out, "{uid}")?;
    write_listing(out, &statements, args.format)?;
    ctx.note(format!(
        "recorded classification {uid}; {} statement(s) on this part",
        statements.rows.len()
    ));
    Ok(())
}
