use std::io::Write;

use anyhow::Result;

use crate::db::query::listing;
use crate::output::{write_listing, Format};
use crate::Context;

/// List the merge log: every merge and unmerge, oldest first, with who, when, why, the entity
/// kept and the entities absorbed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output: table for reading, csv or json for programs (see docs/commands.md)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let conn = ctx.open()?;
    let l = listing(
        &conn,
        &["id", "uid", "action", "kind", "into", "members", "undone_by", "author", "note", "created_at"],
        "SELECT b.id, b.uid, CASE WHEN b.undoes IS NULL THEN 'merge' ELSE 'unmerge of ' || u.uid END, b.kind,
                CASE b.kind WHEN 'part' THEN (SELECT coalesce(part_number, name) FROM part WHERE id = b.into_id)
                            WHEN 'manufacturer' THEN (SELECT name FROM organisation WHERE id = b.into_id)
                            ELSE (SELECT name FROM weapon WHERE id = b.into_id) END,
                (SELECT count(*) + 1 FROM judgement j WHERE j.batch_id = b.id),
                (SELECT group_concat(x.uid) FROM merge_batch x WHERE x.undoes = b.id),
                b.author, b.note, b.created_at
         FROM merge_batch b LEFT JOIN merge_batch u ON u.id = b.undoes
         ORDER BY b.id",
        [],
    )?;
    write_listing(out, &l, args.format)?;
    ctx.note(format!("{} entries in the merge log", l.rows.len()));
    Ok(())
}
