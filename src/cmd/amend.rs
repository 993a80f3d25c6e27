use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;

use crate::finding::{Field, FIELDS};
use crate::usecase::correct::{self, amendable, Why};
use crate::usecase::decide::author;
use crate::Context;

/// Correct what a finding states, recording a new revision: the revision before stays on
/// record, with who, when and why (`history ID`).
///
/// Give each field to change as the flag `log` takes for it; an empty value clears the field.
/// A corrected maker, weapon or part text points the finding at the entity that text names
/// (created if new): amending a finding never edits a maker, weapon or part other findings
/// share. Any field of the import format may be amended but uid, investigator (who logged it),
/// weapon_origin_country and weapon_type (facts about the weapon model itself, shared by all its
/// findings: `comptrace correct weapon NAME --origin-country CC --type TYPE` changes them, as
/// `correct manufacturer NAME --country CC` changes a maker's country). Changing a
/// source_* field replaces the source the finding cites by reference; its stored files stay.
/// Example:
///
///   comptrace amend 7c1e9a42 --part-number STM32F405RGT6 --reason "misread from the photo"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The finding: its uid, or at least 8 characters of it
    pub id: String,
    #[command(flatten)]
    pub fields: AmendFlags,
    /// Why (kept with the revision; required)
    #[arg(long)]
    pub reason: String,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
}

/// One optional flag per amendable field of a finding, made from the field table as `log`'s
/// flags are, so the two cannot drift apart.
#[derive(Debug, Clone, Default)]
pub struct AmendFlags(HashMap<&'static str, String>);

impl AmendFlags {
    /// The fields given, in FIELDS order.
    pub fn changes(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .iter()
            .filter_map(|f| self.0.get(f.name).map(|v| (f.name, v.clone())))
            .collect()
    }
}

/// The fields with a flag: every amendable one, and the weapon model's facts, whose flags are
/// hidden and refused by `amend` with a pointer to `correct weapon` (a typed flag then gets
/// that answer rather than clap's "unexpected argument").
fn flag_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS
        .iter()
        .filter(|f| amendable(f.name) || matches!(f.name, "weapon_origin_country" | "weapon_type"))
}

impl clap::FromArgMatches for AmendFlags {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = flag_fields()
            .filter_map(|f| {
                matches
                    .get_one::<String>(f.name)
                    .map(|v| (f.name, v.clone()))
            })
            .collect();
        Ok(AmendFlags(values))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for AmendFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        flag_fields().fold(cmd, |cmd, f| {
            let (long, value_name) = super::log::flag_names(f);
            cmd.arg(
                clap::Arg::new(f.name)
                    .long(long)
                    .value_name(value_name)
                    .help(f.help)
                    .hide(!amendable(f.name)),
            )
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let who = author(args.investigator.as_deref())?;
    let mut catalogue = ctx.open()?;
    let why = Why {
        author: &who,
        reason: &args.reason,
        evidence: None,
    };
    let changes = args.fields.changes();
    let changes: Vec<(&str, String)> = changes.iter().map(|(f, v)| (*f, v.clone())).collect();
    let amended = correct::amend(&mut catalogue, &args.id, &changes, &why)?;
    writeln!(out, "{}", amended.revision_uid)?;
    let said: Vec<String> = amended
        .changed
        .iter()
        .map(|(f, old, new)| {
            format!(
                "{f}: {} -> {}",
                old.as_deref().unwrap_or("(none)"),
                new.as_deref().unwrap_or("(none)")
            )
        })
        .collect();
    ctx.note(format!(
        "finding {} is now at revision {} ({}); `history {}` shows every revision",
        amended.finding.uid,
        amended.number,
        said.join("; "),
        amended.finding.uid
    ));
    Ok(())
}
