//! The evidence store: local files (photos, videos, documents) copied next to the catalogue,
//! named by their SHA-256 so the same file is stored once, a stored file is never replaced by
//! different content, and no name given by a user can point outside the store. The store is
//! private to its owner: the folder 0700, each file 0600, whatever the umask (evidence can
//! name sources, places and people).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::db::ingest::Evidence;
use crate::outfile::NewFile;

/// The store of a catalogue: `<catalogue file>-evidence/` beside it.
pub fn store_dir(catalogue: &Path) -> PathBuf {
    let mut name = catalogue
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push("-evidence");
    catalogue.with_file_name(name)
}

/// SHA-256 of everything a reader yields, as lowercase hex.
pub fn sha256_hex(mut reader: impl Read) -> io::Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Whether a stored hash is one this program could have written: exactly 64 lower-case hex
/// digits. Hashes are file names in the store, so anything else (`../x`, `/dev/zero`, upper
/// case) is refused before it comes near a path.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The bytes of the stored file named by `sha` in the store of `catalogue`, checked against
/// their hash (a store file that no longer matches is an error, never exported as evidence);
/// None when the store lacks it.
pub fn read_stored(catalogue: &Path, sha: &str) -> Result<Option<Vec<u8>>> {
    if !is_sha256(sha) {
        bail!("{sha:?} is not a SHA-256 hash (64 lower-case hex digits)");
    }
    let path = store_dir(catalogue).join(sha);
    let Some(mut file) = open_regular(&path)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut file, &mut bytes)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    if sha256_hex(bytes.as_slice())? != sha {
        bail!("{}: its bytes no longer have the hash it is named by (`comptrace check` lists such files)", path.display());
    }
    Ok(Some(bytes))
}

/// Opens an evidence file for reading: a regular file only, never through a symbolic link,
/// never a device or a FIFO (reading /dev/zero never ends; opening a FIFO waits for a writer).
/// `Ok(None)` when nothing is at `path`; an error saying what is there otherwise.
pub fn open_regular(path: &Path) -> Result<Option<File>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
    };
    if meta.file_type().is_symlink() {
        bail!(
            "{} is a symbolic link; evidence is never read through one",
            path.display()
        );
    }
    if !meta.is_file() {
        bail!(
            "{} is not a regular file (a folder, a device or a FIFO); not read",
            path.display()
        );
    }
    let file = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    // what was opened, in case the name was swapped between the two looks
    if !file.metadata()?.is_file() {
        bail!("{} is not a regular file; not read", path.display());
    }
    Ok(Some(file))
}

/// What became of an evidence file another catalogue's store was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    Copied,
    AlreadyHere,
    /// the other store has no file by that name
    NotThere,
}

/// Copies the evidence file named `sha` from another catalogue's store into ours, unless ours
/// has it. `sha` must be a hash (`is_sha256`), so the name stays inside both stores; only a
/// regular file is read.
pub fn fetch(from_store: &Path, to_store: &Path, sha: &str) -> Result<Fetched> {
    if !is_sha256(sha) {
        bail!("{sha:?} is not a SHA-256 hash (64 lower-case hex digits)");
    }
    let dest = to_store.join(sha);
    if fs::symlink_metadata(&dest).is_ok() {
        return Ok(Fetched::AlreadyHere);
    }
    let src = from_store.join(sha);
    let Some(file) = open_regular(&src)? else {
        return Ok(Fetched::NotThere);
    };
    put(to_store, file, sha).with_context(|| format!("{} not copied", src.display()))?;
    Ok(Fetched::Copied)
}

/// Stores what `reader` yields under the name `sha`: written to a temporary name inside the
/// store (private, 0600; `outfile::NewFile`), hashed on the way, synced, and renamed to its
/// hash only when complete and only when it hashes to `sha`, so no name in the store ever
/// holds a partial file or content that is not its own. A failure removes the temporary file.
fn put(store: &Path, mut reader: impl Read, sha: &str) -> Result<()> {
    private_store(store)?;
    let mut file = NewFile::create_private(&store.join(sha))
        .with_context(|| format!("cannot write in the evidence store {}", store.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).context("cannot read")?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        file.write_all(&buf[..n])
            .with_context(|| format!("cannot write {}", file.target().display()))?;
    }
    let actual = hex(&h.finalize());
    if actual != sha {
        bail!("its content hashes to {actual}, not to its name {sha}");
    }
    file.commit()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What kind of evidence a file is, from its extension.
pub fn kind_of(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" | "tif" | "tiff" | "bmp" => "photo",
        "mp4" | "mov" | "avi" | "mkv" | "webm" | "m4v" => "video",
        "pdf" | "doc" | "docx" | "odt" | "txt" | "rtf" => "document",
        "html" | "htm" | "mhtml" | "warc" => "webpage",
        _ => "other",
    }
}

/// Makes the store folder if it is missing, and private to its owner (0700) either way, so a
/// store an older version made with the user's umask is closed on its next write.
pub fn private_store(store: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(store)
        .with_context(|| format!("cannot create evidence store {}", store.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(store, fs::Permissions::from_mode(0o700)).with_context(|| {
            format!(
                "cannot make evidence store {} private (chmod 700 it)",
                store.display()
            )
        })?;
    }
    Ok(())
}

/// Copies the regular file `from` (`open_regular`) to the new file `to`, readable by its owner
/// only (0600; `fs::copy` would give it the permissions of `from`), renamed into place when
/// complete.
pub fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let Some(file) = open_regular(from)? else {
        bail!("{} is missing", from.display());
    };
    write_private(file, to).with_context(|| format!("cannot write {}", to.display()))?;
    Ok(())
}

/// Writes what `from` yields to the file `to`, readable by its owner only (0600), under a
/// temporary name renamed into place when complete (`outfile::NewFile`).
fn write_private(mut from: impl Read, to: &Path) -> Result<u64> {
    let mut dest = NewFile::create_private(to)?;
    let n = io::copy(&mut from, &mut dest)?;
    dest.commit()?;
    Ok(n)
}

/// Hashes a file and copies it into the store (once); returns the evidence to record.
pub fn store_file(catalogue: &Path, file: &Path) -> Result<Evidence> {
    let sha = sha256_hex(
        File::open(file)
            .with_context(|| format!("--evidence-file {}: cannot read", file.display()))?,
    )
    .with_context(|| format!("--evidence-file {}: cannot read", file.display()))?;
    let store = store_dir(catalogue);
    private_store(&store)?;
    let dest = store.join(&sha);
    if dest.exists() {
        let stored = sha256_hex(File::open(&dest)?)?;
        if stored != sha {
            bail!(
                "evidence store: {} does not match its name (content changed on disk); refusing to overwrite it, run `comptrace check`",
                dest.display()
            );
        }
    } else {
        // hashed again on the way in: a file that changed since is not stored under this name
        put(&store, File::open(file)?, &sha)
            .with_context(|| format!("copying {} into the evidence store", file.display()))?;
    }
    Ok(Evidence {
        uid: None,
        kind: kind_of(file),
        url: None,
        file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()),
        sha256: Some(sha),
        publisher: None,
        title: None,
        date: None,
    })
}

/// Stores bytes received without a file (an upload through `serve`) by their hash, once.
/// `label` is the name the sender gave: kept as the source's file name for people, and read
/// for the kind of evidence, never used as a path. Returns the evidence to record and whether
/// the store already held these bytes.
pub fn store_bytes(catalogue: &Path, bytes: &[u8], label: &str) -> Result<(Evidence, bool)> {
    let sha = sha256_hex(bytes)?;
    let store = store_dir(catalogue);
    private_store(&store)?;
    let dest = store.join(&sha);
    let already = dest.exists();
    if already {
        if sha256_hex(File::open(&dest)?)? != sha {
            bail!(
                "evidence store: {} does not match its name (content changed on disk); refusing to overwrite it, run `comptrace check`",
                dest.display()
            );
        }
    } else {
        put(&store, bytes, &sha).context("storing an upload in the evidence store")?;
    }
    // the last path component only, without control characters: a label, not a path
    let name: String = label
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let name = Some(name.trim().to_string()).filter(|n| !n.is_empty());
    Ok((
        Evidence {
            uid: None,
            kind: kind_of(Path::new(name.as_deref().unwrap_or(""))),
            url: None,
            file_name: name,
            sha256: Some(sha),
            publisher: None,
            title: None,
            date: None,
        },
        already,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_bytes_are_stored_by_hash_and_their_name_is_only_a_label() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let (first, already) = store_bytes(&db, b"photo bytes", "../../etc/x.JPG").unwrap();
        assert!(!already);
        let sha = first.sha256.clone().unwrap();
        assert_eq!(sha, sha256_hex(&b"photo bytes"[..]).unwrap());
        assert_eq!(first.file_name.as_deref(), Some("x.JPG"));
        assert_eq!(first.kind, "photo");
        assert_eq!(fs::read(store_dir(&db).join(&sha)).unwrap(), b"photo bytes");
        assert!(!dir.path().join("etc").exists());
        let (_, again) = store_bytes(&db, b"photo bytes", "other.jpg").unwrap();
        assert!(again, "the same bytes are recognised");
    }

    #[test]
    fn same_file_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let photo = dir.path().join("chip.JPG");
        fs::write(&photo, b"not really a jpeg").unwrap();
        let a = store_file(&db, &photo).unwrap();
        let b = store_file(&db, &photo).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.kind, "photo");
        let files: Vec<_> = fs::read_dir(store_dir(&db)).unwrap().collect();
        assert_eq!(files.len(), 1);
        assert_eq!(
            a.sha256.as_deref(),
            Some(sha256_hex(&b"not really a jpeg"[..]).unwrap().as_str())
        );
    }

    #[test]
    fn a_file_from_another_store_is_taken_only_when_it_hashes_to_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let (theirs, ours) = (dir.path().join("theirs"), dir.path().join("ours"));
        fs::create_dir(&theirs).unwrap();
        let sha = sha256_hex(&b"the photo"[..]).unwrap();
        fs::write(theirs.join(&sha), b"another file under the photo's name").unwrap();
        let err = fetch(&theirs, &ours, &sha).unwrap_err();
        assert!(format!("{err:#}").contains("hashes to"), "{err:#}");
        assert_eq!(
            fs::read_dir(&ours).unwrap().count(),
            0,
            "nothing left behind"
        );
        fs::write(theirs.join(&sha), b"the photo").unwrap();
        assert_eq!(fetch(&theirs, &ours, &sha).unwrap(), Fetched::Copied);
        assert_eq!(fs::read(ours.join(&sha)).unwrap(), b"the photo");
        assert_eq!(fetch(&theirs, &ours, &sha).unwrap(), Fetched::AlreadyHere);
        let unknown = "0".repeat(64);
        assert_eq!(fetch(&theirs, &ours, &unknown).unwrap(), Fetched::NotThere);
        assert!(fetch(&theirs, &ours, "../theirs").is_err());
    }

    #[test]
    fn a_tampered_stored_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let photo = dir.path().join("p.png");
        fs::write(&photo, b"original").unwrap();
        let e = store_file(&db, &photo).unwrap();
        let stored = store_dir(&db).join(e.sha256.unwrap());
        fs::write(&stored, b"tampered").unwrap();
        assert!(store_file(&db, &photo)
            .unwrap_err()
            .to_string()
            .contains("refusing"));
        assert_eq!(fs::read(&stored).unwrap(), b"tampered");
    }
}
