use std::io::Write;

use anyhow::Result;

use crate::db::entity_revision::Fact;
use crate::usecase::correct::Why;
use crate::usecase::correct_entity::{self, flag, Corrected, Target};
use crate::usecase::decide::author;
use crate::Context;

/// Correct a fact about an entity itself, shared by every finding that names it: a maker's
/// headquarters country, a weapon model's origin country or type, a part's category.
///
/// The entity keeps the new value; the value before stays on record in the entity corrections
/// log, with who, when, why and what shows it (`history`, `history --since`, and `--as-of` on
/// reports and listings shows the value as it stood). NAME is any spelling the entity was
/// logged under, an alias, or its uid; a merged entity's name corrects the entity it was merged
/// into, and a name that fits several is refused with the candidates listed. Countries are
/// checked as import checks them (a code or an English name). A finding that states its maker's
/// country itself keeps it in `report origin --by hq`: amend the finding if its source is wrong.
/// Example:
///
///   comptrace correct manufacturer "Acme Semiconductor" --country TW --reason "registered in Hsinchu" --source https://...
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

/// What every correction says of itself, given after the entity.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Why (kept in the log; required)
    #[arg(long)]
    pub reason: String,
    /// What shows the new value right: a URL, or a file (kept in the evidence store by its hash)
    #[arg(long, value_name = "URL|FILE")]
    pub source: Option<String>,
    /// Who decides (else COMPTRACE_INVESTIGATOR, else the login name: USER, else LOGNAME)
    #[arg(long)]
    pub investigator: Option<String>,
    /// Say what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// A maker (any organisation): its headquarters country
    #[command(visible_alias = "organisation")]
    Manufacturer {
        name: String,
        /// Its headquarters (registration) country: an ISO 3166-1 code or an English name
        #[arg(long, value_name = "CC")]
        country: String,
        #[command(flatten)]
        common: Common,
    },
    /// A weapon model: its origin country, its type, or both
    Weapon {
        name: String,
        /// The country the weapon model comes from: an ISO 3166-1 code or an English name
        #[arg(long, value_name = "CC", required_unless_present = "type")]
        origin_country: Option<String>,
        /// The kind of weapon (UAV, cruise missile ...)
        #[arg(long = "type", value_name = "TYPE")]
        r#type: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// A part: its category
    Part {
        name: String,
        /// Which maker's part, when several makers have one with this number
        #[arg(long)]
        manufacturer: Option<String>,
        /// Its category (microcontroller, camera, engine ...)
        #[arg(long)]
        category: String,
        #[command(flatten)]
        common: Common,
    },
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let (target, values, common) = target_and_values(&args.what);
    let who = author(common.investigator.as_deref())?;
    let why = Why {
        author: &who,
        reason: &common.reason,
        evidence: common.source.as_deref(),
    };
    let mut catalogue = ctx.open()?;
    let corrected = correct_entity::correct_entity(
        &mut catalogue,
        &ctx.db,
        target,
        &values,
        &why,
        common.dry_run,
    )?;
    for change in &corrected.changes {
        if let Some(entry) = &change.entry {
            writeln!(out, "{entry}")?;
        }
    }
    ctx.note(summary(&corrected, common.dry_run));
    Ok(())
}

/// The entity named, the facts given and who says why, from the subcommand.
fn target_and_values(what: &What) -> (Target<'_>, Vec<(Fact, &str)>, &Common) {
    match what {
        What::Manufacturer {
            name,
            country,
            common,
        } => (
            Target::Manufacturer(name),
            vec![(Fact::MakerCountry, country.as_str())],
            common,
        ),
        What::Weapon {
            name,
            origin_country,
            r#type,
            common,
        } => {
            let values = [
                (Fact::WeaponOriginCountry, origin_country.as_deref()),
                (Fact::WeaponType, r#type.as_deref()),
            ]
            .into_iter()
            .filter_map(|(fact, v)| v.map(|v| (fact, v)))
            .collect();
            (Target::Weapon(name), values, common)
        }
        What::Part {
            name,
            manufacturer,
            category,
            common,
        } => (
            Target::Part {
                name,
                manufacturer: manufacturer.as_deref(),
            },
            vec![(Fact::PartCategory, category.as_str())],
            common,
        ),
    }
}

/// What changed, said for stderr, with the findings that keep a country of their own.
fn summary(c: &Corrected, dry_run: bool) -> String {
    let changes: Vec<String> = c
        .changes
        .iter()
        .map(|ch| {
            format!(
                "{} {} -> {}",
                flag(ch.fact).trim_start_matches("--"),
                ch.before.as_deref().unwrap_or("(none)"),
                ch.after
            )
        })
        .collect();
    let mut said = if dry_run {
        format!(
            "dry run: would correct {} {} ({}): {}; nothing was changed",
            c.kind,
            c.name,
            c.uid,
            changes.join("; ")
        )
    } else {
        format!(
            "corrected {} {} ({}): {}; the value before stays on record (`history --since`)",
            c.kind,
            c.name,
            c.uid,
            changes.join("; ")
        )
    };
    if !c.stated_otherwise.is_empty() {
        let stated: Vec<String> = c
            .stated_otherwise
            .iter()
            .map(|(country, n)| format!("{n} state {country}"))
            .collect();
        said.push_str(&format!(
            "\nfindings of this maker that state its country themselves keep it in `report origin --by hq`: {} (amend them if their source is wrong)",
            stated.join(", ")
        ));
    }
    said
}
