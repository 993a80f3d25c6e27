use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::evidence::store_dir;
use crate::Context;

/// Copy the catalogue to DEST with SQLite's online backup API (safe while others write), and
/// its evidence store beside DEST. DEST must not exist.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new file to write
    pub dest: PathBuf,
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    if args.dest.exists() {
        bail!(
            "{} already exists; backup never overwrites a file",
            args.dest.display()
        );
    }
    let src = ctx.open_read_only()?;
    crate::db::copy_catalogue(&src, &args.dest)?;
    let copied = copy_evidence(ctx, &store_dir(&ctx.db), &store_dir(&args.dest))?;
    ctx.note(format!(
        "backed up {} to {} ({copied} evidence files)",
        ctx.db.display(),
        args.dest.display()
    ));
    Ok(())
}

/// Copies every stored evidence file; names are SHA-256 hashes, so an existing name is the same
/// file. Only regular files are read: an entry that is anything else (a symbolic link planted
/// in the store, a FIFO) is left out and named on stderr, for `check` to report.
fn copy_evidence(ctx: &Context, from: &std::path::Path, to: &std::path::Path) -> Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    crate::evidence::private_store(to)?;
    let mut n = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue; // an interrupted copy, not evidence
        }
        let target = to.join(&name);
        if !target.exists() {
            match crate::evidence::copy_private(&entry.path(), &target) {
                Ok(()) => n += 1,
                Err(e) => ctx.note(format!(
                    "left out of the backup: {e:#} (run `comptrace check` on {})",
                    ctx.db.display()
                )),
            }
        }
    }
    Ok(n)
}
