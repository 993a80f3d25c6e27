use std::io::Write;

use anyhow::{bail, Result};
use rusqlite::{Connection, TransactionBehavior};

use crate::db::merge::{self, author, Absorb, Family};
use crate::db::query::{exactly_one, find_organisations, find_parts, find_weapons};
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
    /// Who decides (else COMPTRACE_INVESTIGATOR, else USER)
    #[arg(long)]
    pub investigator: Option<String>,
}

/// Resolves a name or uid of a family to exactly one current entity.
pub fn resolve(conn: &Connection, family: Family, name: &str) -> Result<i64> {
    let found = match family {
        Family::Part => find_parts(conn, name)?,
        Family::Manufacturer => find_organisations(conn, name)?,
        Family::Weapon => find_weapons(conn, name)?,
    };
    exactly_one(found, family.name(), name)
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut conn = ctx.open()?;
    let mut ids = Vec::new();
    for n in &args.names {
        ids.push(resolve(&conn, args.kind, n)?);
    }
    let into = match &args.into {
        Some(n) => resolve(&conn, args.kind, n)?,
        None => ids[0],
    };
    if !ids.contains(&into) {
        bail!("--into must be one of the names to merge");
    }
    let mut others: Vec<i64> = ids.iter().copied().filter(|i| *i != into).collect();
    others.dedup();
    if others.is_empty() {
        bail!("these names are already one {}", args.kind.name());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let absorbed: Vec<Absorb> = others
        .iter()
        .map(|&id| Absorb {
            id,
            score: None,
            reasons: Some("merged by hand".into()),
        })
        .collect();
    let who = author(args.investigator.as_deref());
    let uid = merge::merge(
        &tx,
        args.kind,
        into,
        &absorbed,
        who.as_deref(),
        args.note.as_deref(),
        args.r#override.as_deref(),
    )?;
    tx.commit()?;
    writeln!(out, "{uid}")?;
    ctx.note(format!(
        "merged {} {}s into one (merge {uid}; `comptrace unmerge {uid}` undoes it)",
        others.len() + 1,
        args.kind.name()
    ));
    Ok(())
}
