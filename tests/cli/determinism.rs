//! Every output is byte-identical from run to run on one catalogue. Rust's hash maps are seeded
//! per process, so an output that walks one changes order between runs; running each command
//! twice (three times for the FtM export, whose five Ownership entities once came in hash order)
//! catches that.

use std::path::Path;

use crate::util::Env;

/// Every file in a folder, by name, with its bytes.
fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("export folder")
        .map(|e| {
            let e = e.expect("folder entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("exported file"))
        })
        .collect();
    files.sort();
    files
}

/// Fails naming the command and the first line that differs (not the whole output).
fn assert_same(args: &[&str], first: &str, again: &str) {
    let differs = first
        .lines()
        .zip(again.lines())
        .position(|(x, y)| x != y)
        .map_or_else(|| "in length".to_string(), |n| format!("at line {}", n + 1));
    assert!(first == again, "{args:?} differs between runs {differs}");
}

#[test]
fn every_output_is_byte_identical_from_run_to_run() {
    let env = Env::new();
    env.ok(&["-q", "demo", env.db.to_str().unwrap()]);
    let parts = env.write(
        "parts.csv",
        "name,manufacturer\nSTM32F405RGT6,ST\nSTM32F4O5RGT6,\nstm32f405 rgt6/TR,STMicroelectronics\n\
         AMS1117-3.3,TI\nAMS1117-3.3,Advanced Monolithic Systems\nA40 Pro,Viewpro\nA4O Pro,\n",
    );
    let commands: &[&[&str]] = &[
        &["export", "--format", "ftm"],
        &["export", "--format", "jsonl"],
        &["report", "origin", "--format", "json"],
        &["report", "origin", "--by-owner", "--format", "json"],
        &["report", "weapon", "Gerbera", "--format", "html"],
        &["report", "date-codes", "--format", "json"],
        &["dedup", "--format", "json"],
        &["cluster", "--kind", "parts", parts.to_str().unwrap()],
        &["show", "weapon", "Gerbera", "--format", "json"],
        &["search", "viewpro"],
    ];
    for args in commands {
        let first = env.ok(args);
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert_same(args, &first, &env.ok(args));
    }
    let ftm = env.ok(&["export", "--format", "ftm"]);
    assert!(ftm.contains("\"Ownership\""), "the demo has owned brands");
    assert_same(
        &["export", "--format", "ftm"],
        &ftm,
        &env.ok(&["export", "--format", "ftm"]),
    );
    let (a, b) = (env.dir.path().join("csv-a"), env.dir.path().join("csv-b"));
    for dir in [&a, &b] {
        env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    }
    assert_eq!(folder(&a), folder(&b), "the CSV exports differ");
}
