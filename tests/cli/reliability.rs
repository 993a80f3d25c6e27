//! Nothing lost, nothing corrupted: odd files, limits, read-only catalogues, a full disk,
//! SIGKILL in the middle of an import, several investigators at once, backups.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{findings_csv, names_in, Env, ReadOnlyMedia, HEADER, SAMPLE};

const GOOD: &str = "Gerbera,RU,camera,A40 Pro,camera,Viewpro,CN,,,,2024-09-01,Kyiv,Defense Express,From Shenzhen,,2024-09,medium,analyst,";

fn sample() -> Env {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    env
}

#[test]
fn semicolon_files_are_detected_or_named_with_delimiter() {
    let env = Env::with_catalogue();
    let semi =
        "weapon;component;manufacturer;manufacturer_country\nGerbera;camera, thermal;Viewpro;CN\n";
    let f = env.write("semi.csv", semi);
    env.ok(&["import", f.to_str().unwrap()]);
    assert_eq!(
        env.count("SELECT count(*) FROM part WHERE name = 'camera, thermal'"),
        1
    );
    let tabs = env.write("tabs.csv", "weapon\tcomponent\nKh-101\tchip\n");
    env.ok(&["import", tabs.to_str().unwrap(), "--delimiter", "tab"]);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 2);
    let out = env
        .cmd()
        .args(["import", tabs.to_str().unwrap(), "--delimiter", "::"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad flag is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--delimiter"));
}

#[test]
fn a_huge_field_is_refused_and_changes_nothing() {
    let env = sample();
    let before = env.fingerprint();
    let huge = "x".repeat(10 * 1024 * 1024);
    let f = env.write("huge.csv", findings_csv(&[GOOD, &format!("{GOOD}{huge}")]));
    let err = env.fails(&["import", f.to_str().unwrap()]);
    assert!(
        err.contains("huge.csv:3: field 19 is 10485760 bytes long"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn skip_invalid_imports_the_good_rows_and_writes_the_bad_ones_with_reasons() {
    let env = Env::with_catalogue();
    let f = env.write(
        "mixed.csv",
        findings_csv(&[
            GOOD,
            &GOOD.replace(",CN,", ",Atlantis,"),
            "short,row",
            &GOOD.replace("A40 Pro", "Q10F"),
        ]),
    );
    let rejects = env.dir.path().join("rejects.csv");
    let err = env.ok_stderr(&[
        "import",
        f.to_str().unwrap(),
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert!(err.contains("2 rows were rejected"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM observation"), 2);
    let text = std::fs::read_to_string(&rejects).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().next_back(), Some("reason"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0]
            .iter()
            .any(|f| f.contains("unknown country 'Atlantis'")),
        "{text}"
    );
    assert!(rows[0].iter().any(|f| f == "3"), "the line number: {text}");
    assert!(
        rows[1]
            .iter()
            .any(|f| f.contains("2 fields but the header has 19")),
        "{text}"
    );
    // without --skip-invalid the same file is refused whole
    let env2 = Env::with_catalogue();
    let f2 = env2.write("mixed.csv", std::fs::read(&f).unwrap());
    env2.fails(&["import", f2.to_str().unwrap()]);
    assert_eq!(env2.count("SELECT count(*) FROM observation"), 0);
}

/// Makes a file immutable (even for root), when the file system allows it.
fn immutable(path: &std::path::Path, on: bool) -> bool {
    Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_read_only_catalogue_answers_queries_and_refuses_writes_unchanged() {
    let env = sample();
    let before = env.fingerprint();
    let readonly_for_us = if immutable(&env.db, true) {
        true
    } else {
        let mut perms = std::fs::metadata(&env.db).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&env.db, perms).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&env.db)
            .is_err()
    };
    if !readonly_for_us {
        eprintln!("skipped: cannot make a file read-only for this user here (root without chattr)");
        return;
    }
    let parts = env.ok(&["parts", "--format", "csv"]);
    assert!(parts.lines().count() > 50);
    let f = env.write("one.csv", findings_csv(&[GOOD]));
    let err = env.fails(&["import", f.to_str().unwrap()]);
    assert!(err.contains("read-only"), "{err}");
    let err = env.fails(&["log", "--weapon", "Gerbera", "--component", "lens"]);
    assert!(err.contains("read-only"), "{err}");
    immutable(&env.db, false);
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn a_full_disk_rolls_the_import_back() {
    let env = sample();
    let before = env.fingerprint();
    let observations = env.count("SELECT count(*) FROM observation");
    let rows: Vec<String> = (0..20_000)
        .map(|i| GOOD.replace("A40 Pro", &format!("PART{i}")))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = env.write("big.csv", findings_csv(&refs));
    // a file-size limit makes every write past it fail as a full disk would (EFBIG)
    let bin = assert_cmd::cargo::cargo_bin("comptrace");
    let script = format!(
        "trap '' XFSZ; ulimit -f {}; exec '{}' --db '{}' import '{}'",
        std::fs::metadata(&env.db).unwrap().len() / 1024 + 200,
        bin.display(),
        env.db.display(),
        f.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("full") || err.contains("disk"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM observation"), observations);
    env.ok(&["check"]);
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn sigkill_during_a_large_import_leaves_the_catalogue_as_it_was() {
    let env = sample();
    let observations = env.count("SELECT count(*) FROM observation");
    let indexes = "SELECT count(*) FROM sqlite_schema WHERE type = 'index'";
    let index_count = env.count(indexes);
    let mut csv = String::from(HEADER);
    csv.push('\n');
    for i in 0..500_000 {
        csv.push_str(&format!(
            "W{},RU,part,P{}X,,Maker{} Inc,US,,,,2024-01-0{},,,,https://e.org/{i},,,,\n",
            i % 50,
            i % 9000,
            i % 700,
            1 + i % 9
        ));
    }
    let f = env.write("500k.csv", csv);
    let mut child = env
        .spawnable(&["import", f.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // wait until the import is writing (its journal grows), then kill it without warning
    let wal = std::path::PathBuf::from(format!("{}-wal", env.db.display()));
    let start = Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 4 << 20
        && start.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import should still be running"
    );
    child.kill().unwrap(); // SIGKILL on unix
    child.wait().unwrap();
    env.ok(&["check"]);
    assert_eq!(env.count("SELECT count(*) FROM observation"), observations);
    assert_eq!(
        env.count("SELECT count(*) FROM import_batch"),
        1,
        "only the sample's import is recorded"
    );
    // a bulk import drops secondary indexes inside its transaction: the kill brings them back
    assert_eq!(env.count(indexes), index_count);
}

#[test]
fn several_investigators_logging_and_importing_at_once_lose_nothing() {
    let env = Env::with_catalogue();
    let rows: Vec<String> = (0..3000)
        .map(|i| GOOD.replace("A40 Pro", &format!("IMP{i}")))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = env.write("bulk.csv", findings_csv(&refs));
    let spawn = |args: &[&str]| {
        env.spawnable(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut children = vec![spawn(&["import", f.to_str().unwrap()])];
    for p in 0..4 {
        children.push(spawn(&[
            "log",
            "--weapon",
            "Kh-101",
            "--component",
            &format!("chip from investigator {p}"),
        ]));
    }
    for p in 0..4 {
        for k in 0..5 {
            let pn = format!("LOG{p}-{k}");
            children.push(spawn(&[
                "log",
                "--weapon",
                "Orlan-10",
                "--part-number",
                &pn,
                "--manufacturer",
                "Texas Instruments",
            ]));
        }
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(env.count("SELECT count(*) FROM observation"), 3000 + 4 + 20);
    env.ok(&["check"]);
}

#[test]
fn backup_copies_a_consistent_catalogue_and_its_evidence() {
    let env = sample();
    let photo = env.write("p.jpg", b"photo bytes");
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "lens",
        "--evidence-file",
        photo.to_str().unwrap(),
    ]);
    let dest = env.dir.path().join("copy.db");
    env.ok(&["backup", dest.to_str().unwrap()]);
    let copy = Env {
        dir: tempfile::tempdir().unwrap(),
        db: dest.clone(),
    };
    assert_eq!(
        copy.count("SELECT count(*) FROM observation"),
        env.count("SELECT count(*) FROM observation")
    );
    copy.ok(&["check"]);
    let err = env.fails(&["backup", dest.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn check_finds_a_changed_or_missing_evidence_file() {
    let env = Env::with_catalogue();
    let photo = env.write("chip.jpg", b"the original photo");
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "lens",
        "--evidence-file",
        photo.to_str().unwrap(),
    ]);
    env.ok(&["check"]);
    let store = env.dir.path().join("catalogue.db-evidence");
    let stored = std::fs::read_dir(&store)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&stored, b"edited later").unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains("(chip.jpg): stored file now hashes to"),
        "{problems}"
    );
    std::fs::remove_file(&stored).unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains("(chip.jpg):") && problems.contains("is missing"),
        "{problems}"
    );
}

#[test]
fn check_finds_a_reference_to_a_row_that_does_not_exist() {
    let env = Env::with_catalogue();
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--part-number",
        "A40 Pro",
        "--manufacturer",
        "Viewpro",
    ]);
    env.ok(&["check"]);
    // written as a damaged or hand-edited file would be: with SQLite's enforcement off
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    let changed = conn
        .execute("UPDATE observation SET part_spelling_id = 424242", [])
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let problems = env.check_problems();
    assert!(
        problems.contains("foreign key: observation row")
            && problems.contains("points at a missing part_spelling"),
        "{problems}"
    );
}

#[test]
fn a_catalogue_on_read_only_media_answers_every_reading_command() {
    let media = tempfile::tempdir().unwrap();
    let env = Env {
        db: media.path().join("catalogue.db"),
        dir: tempfile::tempdir().unwrap(),
    };
    env.ok(&["init"]);
    env.ok(&["import", SAMPLE]);
    let photo = env.write("chip.jpg", b"a photo of the chip");
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "lens",
        "--evidence-file",
        photo.to_str().unwrap(),
    ]);
    let before = env.fingerprint();
    let files = names_in(media.path());
    let Some(_read_only) = ReadOnlyMedia::make(media.path()) else {
        return;
    };
    let out = |name: &str| env.dir.path().join(name).to_str().unwrap().to_string();
    let reading: &[&[&str]] = &[
        &["parts", "--format", "csv"],
        &["manufacturers"],
        &["weapons"],
        &["show", "weapon", "Gerbera"],
        &["search", "viewpro"],
        &["report", "origin"],
        &["report", "weapon", "Gerbera", "--format", "html"],
        &["report", "date-codes"],
        &["export", "--format", "jsonl"],
        &["export", "--format", "csv", "--out", &out("export")],
        &["check"],
        &["merges"],
        &["dedup"],
        &["dedup", "--apply"],
        &["backup", &out("copy.db")],
    ];
    for args in reading {
        let run = env
            .cmd()
            .args(*args)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{args:?} on read-only media: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(env.ok(&["parts", "--format", "csv"]).lines().count() > 50);
    let err = env.fails(&["log", "--weapon", "Gerbera", "--component", "gimbal"]);
    assert!(
        err.contains("for writing") && err.contains("nothing was changed"),
        "{err}"
    );
    drop(_read_only);
    assert_eq!(names_in(media.path()), files, "nothing written beside it");
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn import_catalogue_reads_the_other_file_without_writing_beside_it() {
    let theirs = sample();
    let files = names_in(theirs.dir.path());
    assert!(!files
        .iter()
        .any(|f| f.ends_with("-wal") || f.ends_with("-shm")));
    let combine = |env: &Env, other: &std::path::Path| {
        let run = env
            .cmd()
            .args([
                "import-catalogue",
                other.to_str().unwrap(),
                "--format",
                "csv",
            ])
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        String::from_utf8(run.stdout).unwrap()
    };
    let ours = Env::with_catalogue();
    combine(&ours, &theirs.db);
    assert_eq!(
        names_in(theirs.dir.path()),
        files,
        "no -wal or -shm beside it"
    );
    assert_eq!(ours.count("SELECT count(*) FROM observation"), 114);
    // changes a colleague's comptrace has not yet folded into the file (its -wal beside it)
    // are read too, from a private copy: a shared history in which a maker's country changed
    let sharing = || {
        let env = Env::new();
        theirs.ok(&["backup", env.db.to_str().unwrap()]);
        env
    };
    let live = sharing();
    let open = live.conn();
    open.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    open.execute(
        "UPDATE organisation SET country = 'HK' WHERE name = 'Viewpro'",
        [],
    )
    .unwrap();
    let unclean = tempfile::tempdir().unwrap();
    let copy = unclean.path().join("other.db");
    std::fs::copy(&live.db, &copy).unwrap();
    std::fs::copy(
        format!("{}-wal", live.db.display()),
        format!("{}-wal", copy.display()),
    )
    .unwrap();
    drop(open);
    let files = names_in(unclean.path());
    assert_eq!(files, ["other.db", "other.db-wal"]);
    let listed = combine(&sharing(), &copy);
    assert!(listed.contains("country,CN,HK"), "{listed}");
    assert_eq!(names_in(unclean.path()), files);
    // on read-only media, both ways
    let Some(_read_only) = ReadOnlyMedia::make(theirs.dir.path()) else {
        return;
    };
    let fresh = Env::with_catalogue();
    combine(&fresh, &theirs.db);
    assert_eq!(fresh.count("SELECT count(*) FROM observation"), 114);
    let _also = ReadOnlyMedia::make(unclean.path());
    let listed = combine(&sharing(), &copy);
    assert!(listed.contains("country,CN,HK"), "{listed}");
}

#[cfg(unix)]
#[test]
fn the_evidence_store_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let private = |db: &std::path::Path| {
        let store = std::path::PathBuf::from(format!("{}-evidence", db.display()));
        assert_eq!(mode(&store), 0o700, "{}", store.display());
        let files = crate::util::names_in(&store);
        assert!(!files.is_empty());
        for f in files {
            assert_eq!(mode(&store.join(&f)), 0o600, "{f}");
        }
    };
    let env = Env::with_catalogue();
    let photo = env.write("chip.jpg", b"a photo anyone may read");
    std::fs::set_permissions(&photo, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = |env: &Env, photo: &std::path::Path, part: &str| {
        env.ok(&[
            "log",
            "--weapon",
            "Gerbera",
            "--component",
            part,
            "--evidence-file",
            photo.to_str().unwrap(),
        ])
    };
    log(&env, &photo, "lens");
    private(&env.db);
    // copied by backup and by import-catalogue: private there too
    let copy = env.dir.path().join("copy.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    private(&copy);
    let other = Env::with_catalogue();
    other.ok(&["import-catalogue", env.db.to_str().unwrap()]);
    private(&other.db);
    // a store an older version left open to everyone is closed on its next write
    let store = std::path::PathBuf::from(format!("{}-evidence", env.db.display()));
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).unwrap();
    let second = env.write("second.jpg", b"another photo");
    log(&env, &second, "gimbal");
    private(&env.db);
}
