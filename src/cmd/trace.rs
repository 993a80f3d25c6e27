use std::io::Write;

use anyhow::Result;

use crate::output::{write_document, write_listing, Format};
use crate::supply::{Role, TraceStatus, DEFAULT_TRACE_DAYS};
use crate::usecase::decide::author;
use crate::usecase::trace::{self, Answer, Opening, SoldTo};
use crate::Context;

/// Trace requests: ask a maker (then the distributor it names, and so on) where the parts of
/// findings went, and keep the clock on the answer (docs/supply-chain.md).
///
/// `trace list --overdue` is how an investigator starts the week: the requests still open past
/// their due day, longest overdue first.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Record a request sent to an organisation about findings; prints its uid
    Open(OpenArgs),
    /// Record what came back: answered (with whom the parts were sold to), declined, no answer
    Answer(AnswerArgs),
    /// List requests with their status and days overdue, due first
    List {
        /// Only the requests still open past their due day
        #[arg(long)]
        overdue: bool,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Show one request: what was asked of whom, the findings, every response and the links
    Show {
        /// The request's uid, or at least 8 characters of it
        request: String,
        /// Output: table for reading, csv or json for programs (see docs/commands.md)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, clap::Args)]
pub struct OpenArgs {
    /// Who the request is sent to (a maker or distributor; added when not in the catalogue)
    pub organisation: String,
    /// The finding asked about (its uid, or at least 8 characters of it); repeat for several
    #[arg(long = "finding", value_name = "ID", required = true)]
    pub findings: Vec<String>,
    /// What was asked: the marking, lot or date code as sent
    #[arg(long)]
    pub subject: Option<String>,
    /// The organisation's country, when it is new to the catalogue (code or name)
    #[arg(long)]
    pub country: Option<String>,
    /// The day it was sent (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DAY")]
    pub sent: Option<String>,
    /// Days the organisation has to answer
    #[arg(long, env = "COMPTRACE_TRACE_DAYS", default_value_t = DEFAULT_TRACE_DAYS)]
    pub days: i64,
    /// Who sent it (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AnswerArgs {
    /// The request's uid, or at least 8 characters of it
    pub request: String,
    /// What came back
    #[arg(long, value_parser = ["answered", "declined", "no_answer"])]
    pub status: String,
    /// The answer as text
    #[arg(long)]
    pub text: Option<String>,
    /// The day the answer came (YYYY-MM-DD)
    #[arg(long, value_name = "DAY")]
    pub received: Option<String>,
    /// Where the answer is kept (a URL); links it establishes cite it
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// Who the organisation says it sold the parts (their lot) to: one link per finding asked about
    #[arg(long, value_name = "NAME")]
    pub sold_to: Option<String>,
    /// The buyer's country (code or name)
    #[arg(long, requires = "sold_to")]
    pub sold_to_country: Option<String>,
    /// The buyer's role in the link
    #[arg(long, requires = "sold_to", default_value = "distributor",
          value_parser = ["supplier", "distributor", "exporter", "importer", "producer"])]
    pub sold_to_role: String,
    /// When the parts were sold or shipped (ISO 8601, at the precision known)
    #[arg(long, requires = "sold_to", value_name = "DATE")]
    pub sold_on: Option<String>,
    /// high, medium or low
    #[arg(long, value_parser = ["high", "medium", "low"])]
    pub confidence: Option<String>,
    /// Who records it (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    match args.what {
        What::Open(a) => run_open(ctx, a, out),
        What::Answer(a) => run_answer(ctx, a, out),
        What::List { overdue, format } => {
            let listing = trace::list(&mut ctx.open_read_only()?, overdue)?;
            write_listing(out, &listing, format)?;
            Ok(())
        }
        What::Show { request, format } => {
            let doc = trace::show(&mut ctx.open_read_only()?, &request)?;
            write_document(out, &doc, format)?;
            Ok(())
        }
    }
}

fn run_open(ctx: &Context, a: OpenArgs, out: &mut dyn Write) -> Result<()> {
    let who = author(a.investigator.as_deref())?;
    let country = super::country_flag("--country", a.country.as_deref())?;
    let (uid, due) = trace::open(
        &mut ctx.open()?,
        &Opening {
            organisation: &a.organisation,
            country: country.as_deref(),
            findings: &a.findings,
            subject: a.subject.as_deref(),
            sent_on: a.sent.as_deref(),
            days: a.days,
            author: &who,
        },
    )?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "trace request {uid} to {} recorded, due {due}",
        a.organisation.trim()
    ));
    Ok(())
}

fn run_answer(ctx: &Context, a: AnswerArgs, out: &mut dyn Write) -> Result<()> {
    let who = author(a.investigator.as_deref())?;
    let status = TraceStatus::RESPONSES
        .into_iter()
        .find(|s| s.name() == a.status)
        .expect("clap allows only these");
    let country = super::country_flag("--sold-to-country", a.sold_to_country.as_deref())?;
    let sold_on = super::date_flag("--sold-on", a.sold_on.as_deref())?;
    let role = Role::ALL
        .into_iter()
        .find(|r| r.name() == a.sold_to_role)
        .expect("clap allows only roles");
    let (uid, links) = trace::answer(
        &mut ctx.open()?,
        &Answer {
            request: &a.request,
            status,
            text: a.text.as_deref(),
            received_on: a.received.as_deref(),
            source: a.source.as_deref(),
            sold_to: a.sold_to.as_deref().map(|name| SoldTo {
                name,
                country: country.as_deref(),
                role: role.name(),
                moved_on: sold_on.as_deref(),
            }),
            confidence: a.confidence.as_deref(),
            author: &who,
        },
    )?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "response recorded ({}); {links} supply links established",
        status.name()
    ));
    Ok(())
}
