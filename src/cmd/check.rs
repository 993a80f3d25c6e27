use std::io::Write;

use anyhow::{bail, Result};

use crate::db::check::{extras, identical_findings, problems};
use crate::db::check_export_control::stated_against_inferred;
use crate::safe_text::for_people;
use crate::Context;

/// Check a catalogue: SQLite's integrity and foreign keys, that every merge in the log agrees
/// with the derived state, that every stored evidence file still has its SHA-256, that stated
/// HS codes and ECCNs are well-formed, and that every screening decision names an entry its
/// list holds and supersedes only an earlier decision on the same pair.
/// Prints each problem; exits non-zero when there is any. Each check runs whatever the others
/// found: on a damaged file, what SQLite's integrity check found is printed, then every check
/// that can still run. Tables and views someone added to the file are listed; comptrace never
/// reads them. Also lists, for review, parts whose stated HS code differs from the one the
/// current rules infer, and groups of
/// observations that state one finding (kept from versions that counted identical rows as
/// separate findings): they are not problems, since a copy cannot be told from a second part.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open_read_only()?;
    let mut found = problems(&conn, &ctx.db);
    for p in &found {
        writeln!(out, "{}", for_people(&p.to_string()))?;
    }
    // not problems: someone's own tables and views, which comptrace never reads
    match extras(&conn) {
        Ok(extras) => {
            for extra in &extras {
                writeln!(
                    out,
                    "not comptrace's, never read: {}",
                    for_people(&extra.to_string())
                )?;
            }
        }
        Err(e) => report(out, &mut found, format!("schema: {e:#}"))?,
    }
    match identical_findings(&conn) {
        Ok(identical) => {
            for group in &identical {
                writeln!(out, "identical findings: {}", for_people(&group.join(" ")))?;
            }
            if !identical.is_empty() {
                ctx.note(format!(
                    "{} groups of observations state one finding each (identical rows once counted as separate findings); review them: a repeat of one row is one finding, two identical parts in a unit are one finding with a quantity",
                    identical.len()
                ));
            }
        }
        Err(e) => report(
            out,
            &mut found,
            format!("identical findings: this check could not finish: {e:#}"),
        )?,
    }
    // not problems either: a statement beats inference, but a difference means one is wrong
    let differing = match stated_against_inferred(&conn) {
        Ok(differing) => differing,
        Err(e) => {
            report(
                out,
                &mut found,
                format!("classification: this check could not finish: {e:#}"),
            )?;
            Vec::new()
        }
    };
    for line in &differing {
        writeln!(
            out,
            "stated code differs from inference: {}",
            for_people(line)
        )?;
    }
    if !found.is_empty() {
        bail!("{} problems in {}", found.len(), ctx.db.display());
    }
    if !differing.is_empty() {
        ctx.note(format!(
            "{} parts have a stated HS code other than the one the current rules infer; review the statement or the rule (docs/classification.md)",
            differing.len()
        ));
    }
    ctx.note(format!("{}: no problems found", ctx.db.display()));
    Ok(())
}

/// Prints a problem and counts it.
fn report(out: &mut dyn Write, found: &mut Vec<String>, problem: String) -> Result<()> {
    writeln!(out, "{}", for_people(&problem))?;
    found.push(problem);
    Ok(())
}
