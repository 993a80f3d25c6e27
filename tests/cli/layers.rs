//! Layers that run one way, checked on the source: SQL only in the store (src/db/), and no
//! layer reaching up to the one above it (the map is in docs/architecture.md).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file under src/, as (path relative to src/, text).
fn files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&root, &mut paths);
    let files: Vec<(String, String)> = paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).expect("read source"))
        })
        .collect();
    assert!(files.len() > 40, "found the sources ({})", files.len());
    files
}

/// Lines of code (comments left out) of a file that contain any of `needles`.
fn offending(text: &str, needles: &[&str]) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .filter(|l| needles.iter().any(|n| l.contains(n)))
        .map(str::to_string)
        .collect()
}

/// What running SQL looks like in Rust: the driver, its calls, and statements in literals.
const SQL: &[&str] = &[
    "rusqlite",
    ".execute(",
    "execute_batch",
    "query_row",
    ".prepare(",
    "prepare_cached",
    "pragma_update",
    "transaction_with_behavior",
    "\"SELECT ",
    "\"INSERT ",
    "\"UPDATE ",
    "\"DELETE ",
    "\"CREATE ",
    "\"DROP ",
    "\"PRAGMA ",
];

#[test]
fn sql_stays_in_the_store() {
    let mut found = Vec::new();
    for (path, text) in files() {
        if path.starts_with("db/") {
            continue;
        }
        for line in offending(&text, SQL) {
            found.push(format!("src/{path}: {line}"));
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside src/db/:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_layer_reaches_up() {
    // (files under this prefix, what they must not use)
    let rules: &[(&str, &[&str])] = &[
        (
            "db/",
            &["crate::cmd", "crate::usecase", "crate::cli", "crate::web"],
        ),
        ("usecase/", &["crate::cmd", "crate::cli", "crate::web"]),
        // the web pages sit beside the commands: they may read a request as a command reads
        // its arguments (src/cmd/), but clap stays in src/cli.rs and src/cmd/
        ("web/", &["crate::cli", "clap::"]),
        (
            "output/",
            &["crate::cmd", "crate::usecase", "crate::cli", "crate::web"],
        ),
        (
            "report/",
            &[
                "crate::db",
                "crate::cmd",
                "crate::usecase",
                "crate::cli",
                "crate::web",
            ],
        ),
        (
            "matching/",
            &["crate::db", "crate::cmd", "crate::usecase", "crate::report"],
        ),
    ];
    let mut found = Vec::new();
    for (path, text) in files() {
        for (prefix, banned) in rules {
            if path.starts_with(prefix) {
                for line in offending(&text, banned) {
                    found.push(format!("src/{path}: {line}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a layer reaches up:\n{}",
        found.join("\n")
    );
}

/// The bottom layer: pure types and identity rules, which everything else may build on.
const PURE: &[&str] = &[
    "entity.rs",
    "finding.rs",
    "normalize.rs",
    "matching/",
    "dates.rs",
    "country.rs",
    "report/datecode.rs",
    "report/rows.rs",
    "table.rs",
    "safe_text.rs",
    "exif.rs",
    "classification.rs",
    "screening.rs",
];

#[test]
fn pure_modules_use_no_sql_clap_or_io() {
    let files = files();
    let mut found = Vec::new();
    for module in PURE {
        // a module moved or renamed must be moved here too, not checked silently by no one
        assert!(
            files.iter().any(|(path, _)| path.starts_with(module)),
            "src/{module} no longer exists"
        );
        for (path, text) in files.iter().filter(|(path, _)| path.starts_with(module)) {
            let banned = [
                "rusqlite",
                "clap",
                "std::fs",
                "crate::db",
                "crate::cmd",
                "crate::usecase",
                "crate::output",
                "crate::web",
                "axum",
                "maud",
            ];
            for line in offending(text, &banned) {
                found.push(format!("src/{path}: {line}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the bottom layer reaches up:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_catches_what_it_guards() {
    assert_eq!(
        offending(
            "let n = conn.query_row(\"SELECT 1\", [], |r| r.get(0))?;",
            SQL
        )
        .len(),
        1
    );
    assert!(offending("// rusqlite is named in a comment only", SQL).is_empty());
}
