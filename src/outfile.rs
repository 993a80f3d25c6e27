//! Every file the tool writes (report and export outputs, `cluster --out`, `import --rejects`,
//! backups, the evidence store) is written here: to a temporary name in the target's own
//! folder, synced, and renamed into place only when complete. A write cut short (a full disk,
//! an error) removes the temporary and names the file it was for; a process killed mid-way
//! leaves only a hidden `.NAME.incoming-…` beside it, which blocks nothing. Renaming replaces
//! a directory entry, so nothing is ever written through a symbolic link or into a file that
//! another name (a hard link) shares.
//!
//! Where a user names the file, `check_output` is the one rule: an existing path is refused
//! unless the command offers `--force` and it was given, and the catalogue itself, its `-wal`,
//! `-shm` and `-journal` files and its evidence store are refused always, by any spelling (a
//! symbolic link to the catalogue, `./x/../catalogue.db`).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::evidence::store_dir;

/// Whether a command may replace an existing file at its output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// never (export, backup: no `--force` to give)
    Refuse,
    /// only when `--force` was given (the bool)
    ReplaceIfForced(bool),
}

/// Refuses an output path that is the catalogue or belongs to it, always, and an existing one
/// unless `existing` allows it; `flag` names the option in the message (`--out`, `DEST`).
pub fn check_output(flag: &str, path: &Path, existing: Existing, catalogue: &Path) -> Result<()> {
    if belongs_to_catalogue(path, catalogue) {
        bail!(
            "{flag} {}: that is the catalogue {} (or its journal or evidence store); no output ever replaces it, even with --force",
            path.display(),
            catalogue.display()
        );
    }
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    match existing {
        Existing::Refuse => bail!(
            "{flag} {}: already exists; it is never replaced (choose a new name)",
            path.display()
        ),
        _ if meta.is_dir() => bail!("{flag} {}: is a folder", path.display()),
        // renaming onto a link or a device would replace the link or the device's name
        // (`--out /dev/stdout --force`), not write where it points
        _ if !meta.is_file() => bail!(
            "{flag} {}: is not a regular file (a link, a device, a FIFO); not replaced",
            path.display()
        ),
        Existing::ReplaceIfForced(false) => bail!(
            "{flag} {}: already exists; add --force to replace it",
            path.display()
        ),
        Existing::ReplaceIfForced(true) => Ok(()),
    }
}

/// Whether `path` names the catalogue, one of SQLite's files beside it, or anything in its
/// evidence store, once both are resolved (symbolic links followed, `..` removed).
pub fn belongs_to_catalogue(path: &Path, catalogue: &Path) -> bool {
    let target = resolved(path);
    let db = resolved(catalogue);
    let companion = |suffix: &str| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .any(|s| target == companion(s))
        || target.starts_with(resolved(&store_dir(catalogue)))
}

/// The path with symbolic links and `..` resolved as far as it exists: the whole path when it
/// does, else its folder's resolved path joined with its name.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => resolved(dir).join(name),
        _ => absolute,
    }
}

/// The hidden temporary name a file or folder is written under, beside where it will go.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(".{name}.incoming-{}", uuid::Uuid::now_v7()))
}

/// A file being written under a temporary name; `commit` puts it in place, dropping it
/// uncommitted removes it.
pub struct NewFile {
    target: PathBuf,
    temporary: PathBuf,
    file: Option<BufWriter<File>>,
}

impl NewFile {
    /// Starts writing `target` (readable as the umask allows).
    pub fn create(target: &Path) -> Result<NewFile> {
        NewFile::open(target, None)
    }

    /// Starts writing `target` readable by its owner only (0600), for evidence and backups.
    pub fn create_private(target: &Path) -> Result<NewFile> {
        NewFile::open(target, Some(0o600))
    }

    fn open(target: &Path, mode: Option<u32>) -> Result<NewFile> {
        let temporary = temporary_beside(target);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let file = options
            .open(&temporary)
            .with_context(|| format!("cannot write {}", target.display()))?;
        Ok(NewFile {
            target: target.to_path_buf(),
            temporary,
            file: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The file it will become.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes, syncs and renames the file into place (replacing what is there: callers check
    /// first with `check_output`).
    pub fn commit(mut self) -> Result<()> {
        let what = || format!("cannot write {}", self.target.display());
        let file = self.file.take().expect("committed once");
        let file = file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(what)?;
        file.sync_all().with_context(what)?;
        fs::rename(&self.temporary, &self.target).with_context(what)?;
        Ok(())
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if self.file.is_some() {
            drop(self.file.take());
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// A temporary name reserved beside `target` for a file another library writes (SQLite, for
/// a backup); `commit` renames it into place, dropping it removes it and any journal SQLite
/// left beside it.
pub struct Reserved {
    target: PathBuf,
    temporary: PathBuf,
}

impl Reserved {
    pub fn new(target: &Path) -> Reserved {
        Reserved {
            target: target.to_path_buf(),
            temporary: temporary_beside(target),
        }
    }

    /// Where to write meanwhile.
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// Renames the finished file into place (the writer must have closed it), refusing if
    /// something appeared there meanwhile.
    pub fn commit(self) -> Result<()> {
        if fs::symlink_metadata(&self.target).is_ok() {
            bail!(
                "{}: appeared while it was being written; left as it was",
                self.target.display()
            );
        }
        fs::rename(&self.temporary, &self.target)
            .with_context(|| format!("cannot write {}", self.target.display()))
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.temporary.as_os_str().to_os_string();
            name.push(suffix);
            let _ = fs::remove_file(PathBuf::from(name));
        }
    }
}

/// A folder being filled under a temporary name; `commit` renames it into place, dropping it
/// uncommitted removes it with everything in it.
pub struct NewDir {
    target: PathBuf,
    temporary: PathBuf,
    committed: bool,
}

impl NewDir {
    pub fn create(target: &Path) -> Result<NewDir> {
        let temporary = temporary_beside(target);
        fs::create_dir(&temporary)
            .with_context(|| format!("cannot create {}", target.display()))?;
        Ok(NewDir {
            target: target.to_path_buf(),
            temporary,
            committed: false,
        })
    }

    /// Where to write the folder's files meanwhile.
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// Renames the complete folder into place; refuses if something appeared there meanwhile.
    pub fn commit(mut self) -> Result<()> {
        if fs::symlink_metadata(&self.target).is_ok() {
            bail!(
                "{}: appeared while it was being written; left as it was",
                self.target.display()
            );
        }
        fs::rename(&self.temporary, &self.target)
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for NewDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let mut f = NewFile::create(&target).unwrap();
        f.write_all(b"a,b\n").unwrap();
        assert!(!target.exists());
        f.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"a,b\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut g = NewFile::create(&dir.path().join("other")).unwrap();
        g.write_all(b"half").unwrap();
        drop(g);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary removed"
        );
    }

    #[test]
    fn the_catalogue_is_recognised_by_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        fs::write(&db, b"x").unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&db, sub.join("link.db")).unwrap();
        for p in [
            db.clone(),
            sub.join("../k.db"),
            dir.path().join("k.db-wal"),
            dir.path().join("k.db-evidence/abc"),
            #[cfg(unix)]
            sub.join("link.db"),
        ] {
            assert!(belongs_to_catalogue(&p, &db), "{}", p.display());
        }
        assert!(!belongs_to_catalogue(&dir.path().join("k.db.csv"), &db));
        assert!(!belongs_to_catalogue(&sub.join("k.db"), &db));
    }
}
