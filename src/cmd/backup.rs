use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};

use crate::evidence::store_dir;
use crate::outfile::{check_output, Existing, Reserved};
use crate::Context;

/// Copy the catalogue to DEST with SQLite's online backup API (safe while others write), and
/// its evidence store beside DEST. DEST must not exist, and cannot end in -wal, -shm or
/// -journal (SQLite's own files beside a catalogue). DEST appears only when the copy is
/// complete: a backup cut short leaves nothing that blocks the next one.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new file to write
    pub dest: PathBuf,
}

pub fn run(ctx: &Context, args: Args, _out: &mut dyn Write) -> Result<()> {
    refuse_journal_name(&args.dest)?;
    check_output("DEST", &args.dest, Existing::Refuse, &ctx.db)?;
    let src = ctx.open_read_only()?;
    // the evidence first, each file renamed into place when complete; the catalogue last, so
    // that DEST exists only when everything it cites is beside it
    let copied = copy_evidence(ctx, &store_dir(&ctx.db), &store_dir(&args.dest))?;
    let copy = Reserved::new(&args.dest);
    crate::db::copy_catalogue(&src, copy.path())
        .with_context(|| format!("cannot write {}", args.dest.display()))?;
    copy.commit()?;
    ctx.note(format!(
        "backed up {} to {} ({copied} evidence files)",
        ctx.db.display(),
        args.dest.display()
    ));
    Ok(())
}

/// A name SQLite gives the files beside a catalogue: a backup there would be read as the
/// journal of another file, or deleted with it (`backup k.db-wal` once wrote into k.db's own
/// write-ahead log and reported success).
fn refuse_journal_name(dest: &std::path::Path) -> Result<()> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(suffix) = ["-wal", "-shm", "-journal"]
        .into_iter()
        .find(|s| name.ends_with(s))
    {
        bail!(
            "DEST {}: a catalogue's name cannot end in {suffix} (SQLite keeps a catalogue's own files under such names); choose another name",
            dest.display()
        );
    }
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
