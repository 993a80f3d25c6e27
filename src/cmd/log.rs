use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::finding::{Check, Field, Finding, FIELDS};
use crate::Context;

/// Record one finding from a teardown, and print the stable id of the observation.
///
/// Takes the fields of the import format as flags. Example:
///
///   comptrace log --weapon Gerbera --component "Viewpro A40 Pro camera" --part-number "A40 Pro"
///     --manufacturer Viewpro --manufacturer-country CN --found-on 2024-09-01 --found-at Kyiv
///     --evidence-file photo.jpg --evidence-url https://example.org/report
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub fields: FindingFlags,
    /// A web page that shows the finding (repeatable)
    #[arg(long, value_name = "URL")]
    pub evidence_url: Vec<String>,
    /// A photo, video or document to keep in the evidence store (repeatable)
    #[arg(long, value_name = "PATH")]
    pub evidence_file: Vec<PathBuf>,
}

/// One flag per field of a finding, made from the field table (crate::finding::FIELDS), so
/// the flags cannot drift from the import format: `--part-number` for `part_number`.
#[derive(Debug, Clone, Default)]
pub struct FindingFlags(HashMap<&'static str, String>);

/// `--part-number <PART_NUMBER>` for `part_number`. clap keeps these names for the life of the
/// process and the flags are built once per run, so the few bytes are leaked on purpose.
pub(super) fn flag_names(field: &Field) -> (&'static str, &'static str) {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    (
        leak(field.name.replace('_', "-")),
        leak(field.name.to_uppercase()),
    )
}

impl clap::FromArgMatches for FindingFlags {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut values = HashMap::new();
        for f in FIELDS {
            if let Some(v) = matches.get_one::<String>(f.name) {
                values.insert(f.name, v.clone());
            }
        }
        Ok(FindingFlags(values))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for FindingFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        FIELDS.iter().fold(cmd, |cmd, f| {
            let (long, value_name) = flag_names(f);
            let mut arg = clap::Arg::new(f.name)
                .long(long)
                .value_name(value_name)
                .help(f.help)
                .required(f.check == Check::Required);
            if let Some(var) = f.env {
                arg = arg.env(var).hide_env_values(true);
            }
            cmd.arg(arg)
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let fields = &args.fields.0;
    let finding = Finding::from_fields(|c| fields.get(c).map(String::as_str)).map_err(|e| {
        anyhow::anyhow!(
            "--{}: {}; nothing was recorded",
            e.column.replace('_', "-"),
            e.message
        )
    })?;
    for url in &args.evidence_url {
        if url.trim().is_empty() {
            bail!("--evidence-url: empty URL");
        }
    }
    for file in &args.evidence_file {
        if !file.is_file() {
            bail!(
                "--evidence-file {}: no such file; nothing was recorded",
                file.display()
            );
        }
    }
    let mut catalogue = ctx.open()?;
    let (recorded, stats) = crate::usecase::record::record(
        &mut catalogue,
        &ctx.db,
        &finding,
        &args.evidence_url,
        &args.evidence_file,
    )?;
    writeln!(out, "{}", recorded.observation_uid)?;
    if recorded.was_new {
        ctx.note(format!(
            "recorded observation {} (new: {} part, {} manufacturer, {} weapon, {} unit, {} sources)",
            recorded.observation_uid,
            stats.new_parts,
            stats.new_manufacturers,
            stats.new_weapons,
            stats.new_units,
            stats.new_sources
        ));
    } else {
        ctx.note(format!(
            "this finding is already in the catalogue as observation {}; nothing was added",
            recorded.observation_uid
        ));
    }
    Ok(())
}
