//! The harness: each test gets its own folder and catalogue path, runs the real binary with a
//! fixed clock and a cleared environment, and can fingerprint the catalogue to prove that a
//! failed command changed nothing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/public-findings.csv");

pub const HEADER: &str = "weapon,weapon_origin_country,component,part_number,category,manufacturer,manufacturer_country,production_country,marking,date_code,found_on,found_at,source_publisher,source_title,source_url,source_date,confidence,investigator,notes";

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("catalogue.db");
        Env { dir, db }
    }

    /// A fresh catalogue, already initialised.
    pub fn with_catalogue() -> Env {
        let env = Env::new();
        env.ok(&["init"]);
        env
    }

    /// The binary with the catalogue path, a fixed clock and nothing else from the environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("comptrace").expect("binary built");
        cmd.env_clear()
            .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .arg("--db")
            .arg(&self.db)
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs the binary as `cmd` does, under the shell limits `ulimits` (as `ulimit -f 65536;
    /// ulimit -v 2097152`), killed after 60 s; SIGXFSZ is ignored, so a write past the file
    /// limit fails (EFBIG) instead of killing the process. A regression then fails instead of
    /// hanging or filling the disk.
    pub fn limited(&self, ulimits: &str, args: &[&str]) -> std::process::Output {
        Command::new("bash")
            .env_clear()
            .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .current_dir(self.dir.path())
            .arg("-c")
            .arg(format!("trap '' XFSZ; {ulimits}; exec \"$@\""))
            .arg("bash")
            .arg(assert_cmd::cargo::cargo_bin("comptrace"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("finished within its limits")
    }

    /// The same as `cmd`, as a std Command, for processes a test starts and stops itself.
    pub fn spawnable(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("comptrace"));
        cmd.env_clear()
            .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs a command that must succeed; returns stderr (summaries).
    pub fn ok_stderr(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("stderr is UTF-8")
    }

    /// Runs a command that must fail with exit code 1 and one message; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} should fail; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.starts_with("error: "), "message: {err}");
        err
    }

    /// Runs `check` on a catalogue that must have problems: exit code 1 and a count on stderr.
    /// Returns the problems it printed (stdout), for the test to look for the one it planted.
    pub fn check_problems(&self) -> String {
        let out = self.cmd().arg("check").output().expect("runs");
        let problems = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "check should fail; it printed: {problems}"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("error: ") && err.contains("problems in"),
            "{err}"
        );
        problems
    }

    /// A connection of the test's own to the catalogue, to plant what the binary never writes.
    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open catalogue")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write test file");
        path
    }

    /// SHA-256 of the catalogue file and of its write-ahead log if one is left, to prove a
    /// failed command left the catalogue byte-for-byte as it was.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for p in [self.db.clone(), wal(&self.db)] {
            if let Ok(bytes) = std::fs::read(&p) {
                if !bytes.is_empty() {
                    h.update(&bytes);
                }
            }
        }
        format!("{:x}", h.finalize())
    }

    /// Counts rows of a table through the real schema (an independent SQLite connection).
    pub fn count(&self, sql: &str) -> i64 {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("count query")
    }
}

fn wal(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

/// The read-only folder beside the repository (`../shared`) that holds the labelled matching
/// sets and the published catalogues some tests read.
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

/// A file under `../shared`, or `None` (with a message on stderr) where it is absent, so a
/// checkout without the shared folder can still run the rest. Under `CI=true` an absent file is
/// a failure: CI runs beside `../shared`, and a test that skipped there would pass unseen.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    locate_shared(Path::new(SHARED), rel, in_ci())
}

/// `CI=true` (or `CI=1`), as CI services and `.ci/run`'s callers set it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn locate_shared(root: &Path, rel: &str, ci: bool) -> Option<PathBuf> {
    let path = root.join(rel);
    if path.exists() {
        return Some(path);
    }
    if ci {
        panic!(
            "{} is missing and CI=true: CI needs the shared folder beside the repository \
             (../shared); this test would otherwise pass without checking anything",
            path.display()
        );
    }
    eprintln!(
        "skipped: {} is absent (under CI=true this fails)",
        path.display()
    );
    None
}

#[test]
fn a_missing_shared_file_skips_locally_and_fails_under_ci() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        locate_shared(here, "Cargo.toml", true),
        Some(here.join("Cargo.toml"))
    );
    let root = Path::new(SHARED);
    assert!(locate_shared(root, "no/such/file.csv", false).is_none());
    let outcome = std::panic::catch_unwind(|| locate_shared(root, "no/such/file.csv", true));
    let message = outcome.expect_err("a missing file under CI=true must fail the test");
    let text = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(
        text.contains("no/such/file.csv is missing and CI=true"),
        "{text}"
    );
}

/// A CSV of findings in the full import format, from rows of 19 fields.
pub fn findings_csv(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// A folder made read-only media for the length of a test: immutable (`chattr +i`, which binds
/// root too, where permissions do not), made writable again when dropped, even when the test
/// fails, so the temporary folder can be removed.
pub struct ReadOnlyMedia(PathBuf);

impl ReadOnlyMedia {
    /// `None`, with a message on stderr, where `chattr` is missing or the file system refuses
    /// it; under `CI=true` that is a failure, as for `shared_file`.
    pub fn make(dir: &Path) -> Option<ReadOnlyMedia> {
        let done = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if done {
            return Some(ReadOnlyMedia(dir.to_path_buf()));
        }
        if in_ci() {
            panic!(
                "cannot make {} immutable with `chattr +i` and CI=true: CI must run the read-only media tests (install e2fsprogs, run as root on a file system with attributes)",
                dir.display()
            );
        }
        eprintln!(
            "skipped: `chattr +i {}` is unavailable here (under CI=true this fails)",
            dir.display()
        );
        None
    }
}

impl Drop for ReadOnlyMedia {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

/// The names in a folder, sorted: to show nothing was written there.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
