//! Identity that survives exchange: an export imported back gives exactly what was there, and
//! stable ids and decisions travel with findings between catalogues.

use std::path::Path;

use crate::util::{shared_file, Env, SAMPLE};

/// Every finding as the readable `findings` view shows it, by stable id.
fn findings(db: &Path) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT * FROM findings ORDER BY observation_uid")
        .unwrap();
    let n = stmt.column_count();
    let rows: Vec<Vec<rusqlite::types::Value>> = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<_>>()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!rows.is_empty(), "a catalogue with findings");
    rows
}

/// Findings that only exchange by stated text keeps apart: a label that carries a serial and a
/// date, a row that states the same serial itself, a row naming only a component whose text
/// another row gave as a part number, rows that state a unit's place, production date or date
/// of use that its label also gives (or gives otherwise), and a finding with two sources.
fn tricky(env: &Env) {
    let f = env.write(
        "tricky.csv",
        "weapon,unit_serial,component,part_number,manufacturer,found_on,source_url,found_at,unit_produced,unit_used_on\n\
         Orlan-10 UAV No. 14662 (produced 1Q2023),,GNSS,NEO-M8N,u-blox,,https://e.org/1,,,\n\
         Orlan-10 UAV No. 14662 (produced 1Q2023),14662,MCU,STM32F405RGT6,ST,,https://e.org/2,,,\n\
         \"UAV \"\"Mohajer-6\"\"\",,MAX3232,,Maxim,,https://e.org/3,,,\n\
         \"UAV \"\"Mohajer-6\"\"\",,RS-232 driver,MAX3232,Maxim,2024-05,https://e.org/4,,,\n\
         Kh-101  No.  7,,servo   drive,,,,https://e.org/5,,,\n\
         \"Missile 9M727 \"\"Iskander-K\"\" (Chernihiv, 19.08.2023)\",,servo,,,,https://e.org/6,,,\n\
         \"Missile 9M727 \"\"Iskander-K\"\" (Chernihiv, 19.08.2023)\",,GNSS,,,,https://e.org/7,Chernihiv,,2023-08-18\n\
         Orlan-10 UAV No. 14662 (produced 1Q2023),,camera,,,,https://e.org/8,,2023-Q1,\n\
         Missile Kh-101 (usage from June 2022),,servo,,,,https://e.org/9,,not earlier than 2021,2022-06\n",
    );
    env.ok(&["import", f.to_str().unwrap()]);
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--part-number",
        "A40 Pro",
        "--manufacturer",
        "Viewpro",
        "--evidence-url",
        "https://e.org/a",
        "--evidence-url",
        "https://e.org/b",
        "--quantity",
        "3",
    ]);
}

fn assert_same_findings(a: &Env, b: &Env) {
    let (x, y) = (findings(&a.db), findings(&b.db));
    assert_eq!(x.len(), y.len());
    for (p, q) in x.iter().zip(&y) {
        assert_eq!(
            p, q,
            "every finding field for field, its stable id included"
        );
    }
}

/// JSON lines carry every finding as stated with the stable ids of what it names, and the
/// merge log: imported into an empty catalogue they give back the same findings and, with the
/// decisions accepted, the same merges.
fn assert_jsonl_round_trip(env: &Env) {
    let file = env.dir.path().join("export.jsonl");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);
    let again = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(again.contains(" 0 new observations"), "{again}");
    let copy = Env::with_catalogue();
    copy.ok(&[
        "import",
        file.to_str().unwrap(),
        "--accept-decisions",
        "--investigator",
        "me",
    ]);
    assert_same_findings(env, &copy);
    for table in ["organisation", "weapon", "part", "weapon_unit", "source"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(copy.count(&sql), env.count(&sql), "{table}");
    }
    let listing = |e: &Env| e.ok(&["manufacturers", "--format", "csv"]);
    assert_eq!(
        listing(&copy),
        listing(env),
        "the same makers after the same merges"
    );
    copy.ok(&["check"]);
}

fn assert_round_trip(env: &Env) {
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let file = dir.join("findings.csv");
    let again = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(again.contains(" 0 new observations"), "{again}");
    let copy = Env::with_catalogue();
    copy.ok(&["import", file.to_str().unwrap()]);
    let (a, b) = (findings(&env.db), findings(&copy.db));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            x, y,
            "every finding field for field, its stable id included"
        );
    }
}

#[test]
fn an_export_imports_back_into_its_catalogue_as_nothing_new_and_into_an_empty_one_exactly() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    tricky(&env);
    assert_round_trip(&env);
    env.ok(&[
        "merge",
        "--kind",
        "manufacturer",
        "u-blox",
        "Maxim",
        "--into",
        "u-blox",
        "--investigator",
        "me",
    ]);
    assert_jsonl_round_trip(&env);
}

#[test]
fn the_published_catalogue_survives_export_and_import_field_for_field() {
    let Some(gur) = shared_file("data/gur-components.csv") else {
        return;
    };
    let env = Env::with_catalogue();
    env.ok(&["import", gur.to_str().unwrap()]);
    assert_round_trip(&env);
    assert_jsonl_round_trip(&env);
}

#[test]
fn two_catalogues_from_one_labelled_file_combine_without_doubling_and_keep_stable_ids() {
    let a = Env::with_catalogue();
    tricky(&a);
    let b = Env::with_catalogue();
    tricky(&b);
    let before = a.count("SELECT count(*) FROM observation");
    let summary = a.ok_stderr(&["import-catalogue", b.db.to_str().unwrap()]);
    assert!(summary.contains(" 0 new observations"), "{summary}");
    assert_eq!(a.count("SELECT count(*) FROM observation"), before);
    // a third catalogue takes everything of b, and keeps b's stable ids for what is new to it
    let c = Env::with_catalogue();
    c.ok(&["import-catalogue", b.db.to_str().unwrap()]);
    for table in [
        "observation",
        "organisation",
        "weapon",
        "part",
        "weapon_unit",
        "source",
    ] {
        let uids = |env: &Env| {
            let conn = rusqlite::Connection::open(&env.db).unwrap();
            let mut stmt = conn
                .prepare(&format!("SELECT uid FROM {table} ORDER BY uid"))
                .unwrap();
            let v: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            v
        };
        let (theirs, ours) = (uids(&b), uids(&c));
        assert!(!theirs.is_empty(), "{table}");
        assert_eq!(ours, theirs, "{table}: the stable ids travelled");
    }
    assert_same_findings(&b, &c);
    c.ok(&["check"]);
}

#[test]
fn another_catalogues_merges_are_offered_for_review_and_applied_only_on_request() {
    let a = Env::with_catalogue();
    tricky(&a);
    let copy = a.dir.path().join("colleague.db");
    a.ok(&["backup", copy.to_str().unwrap()]);
    let b = Env {
        dir: tempfile::tempdir().unwrap(),
        db: copy,
    };
    b.ok(&[
        "merge",
        "--kind",
        "manufacturer",
        "u-blox",
        "Maxim",
        "--into",
        "u-blox",
        "--investigator",
        "colleague",
        "--note",
        "planted",
    ]);
    let listed = a.ok(&[
        "import-catalogue",
        b.db.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(listed.contains("decision,manufacturer"), "{listed}");
    assert!(listed.contains("same (by colleague"), "{listed}");
    assert_eq!(
        a.count("SELECT count(*) FROM judgement"),
        0,
        "nothing applied without review"
    );
    let applied = a.ok(&[
        "import-catalogue",
        b.db.to_str().unwrap(),
        "--accept-decisions",
        "--investigator",
        "me",
        "--format",
        "csv",
    ]);
    assert!(applied.contains("decision applied"), "{applied}");
    assert_eq!(
        a.count("SELECT count(*) FROM organisation WHERE merged_into IS NOT NULL"),
        1
    );
    let note: String = rusqlite::Connection::open(&a.db)
        .unwrap()
        .query_row("SELECT note || ' / ' || author FROM judgement", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        note.contains("accepted from") && note.ends_with(" / me"),
        "{note}"
    );
    a.ok(&["check"]);
}

#[test]
fn an_export_from_a_newer_format_is_refused_with_the_version_it_needs() {
    let env = Env::with_catalogue();
    tricky(&env);
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("export.json")).unwrap()).unwrap();
    assert_eq!(manifest["format_version"], 1);
    std::fs::write(
        dir.join("export.json"),
        r#"{"type":"export","format_version":99,"comptrace":"9.0.0"}"#,
    )
    .unwrap();
    let copy = Env::with_catalogue();
    let before = copy.fingerprint();
    let err = copy.fails(&["import", dir.join("findings.csv").to_str().unwrap()]);
    assert!(
        err.contains("export format 99") && err.contains("upgrade"),
        "{err}"
    );
    assert_eq!(copy.fingerprint(), before);
}

#[test]
fn an_export_writes_each_rows_own_category_not_its_parts() {
    let env = Env::with_catalogue();
    let f = env.write(
        "f.csv",
        "weapon,component,part_number,category,manufacturer,source_url\n\
         Kh-101,driver,MAX233AEWP,antenna,Maxim,https://e.org/1\n\
         Kh-59,driver,MAX233AEWP,,Maxim,https://e.org/2\n",
    );
    env.ok(&["import", f.to_str().unwrap()]);
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let text = std::fs::read_to_string(dir.join("findings.csv")).unwrap();
    let kh59: Vec<&str> = text.lines().filter(|l| l.starts_with("Kh-59,")).collect();
    assert_eq!(kh59.len(), 1, "{text}");
    assert!(
        !kh59[0].contains("antenna"),
        "the row stated no category: {text}"
    );
    assert!(text
        .lines()
        .any(|l| l.starts_with("Kh-101,") && l.contains("antenna")));
}
