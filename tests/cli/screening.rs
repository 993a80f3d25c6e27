//! Screening against designated parties (issue 18): a fictional list in both published
//! formats, candidates by the maker matching with the short-name rule, decisions on record,
//! reports marking confirmed designations, and a list replaced with its changes by entry id.

use crate::util::Env;

const FTM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lists/designated.ftm.jsonl"
);
const CSV_V2: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lists/designated-v2.csv"
);

/// A catalogue whose makers are fictional: two listed, one sharing a listed name's word in
/// another country, one unrelated.
fn catalogue() -> Env {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        "weapon,component,part_number,manufacturer,manufacturer_country\n\
         Gerbera,Microcontroller,ZQ100,Zorvath Quillon Belmark Trading Limited,CN\n\
         Gerbera,GPS module,KA-7,Kestrovia Avionics,AE\n\
         Gerbera,Servo,KS-1,Kestrovia,DE\n\
         Gerbera,Camera,UN-1,Unlisted Optics Company,CN\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    env
}

#[test]
fn candidates_follow_the_short_name_rule_and_decisions_mark_reports() {
    let env = catalogue();
    env.ok(&["lists", "import", FTM, "--name", "TEST-LIST"]);
    assert_eq!(
        env.count("SELECT count(*) FROM designated_party"),
        3,
        "the address is no party"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM observation"),
        4,
        "lists are kept apart from findings"
    );
    let json = env.json(&["screen", "--format", "json"]);
    let rows = json.as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["organisation"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Zorvath Quillon Belmark Trading Limited", "Kestrovia Avionics"],
        "three distinctive words stand alone; two need the shared country; Kestrovia in DE is no candidate"
    );
    assert!(rows[0]["reasons"].as_str().unwrap().contains("name alone"));
    assert!(rows[1]["reasons"]
        .as_str()
        .unwrap()
        .contains("country AE on both"));
    assert_eq!(rows[1]["programs"][0], "TEST-RUSSIA-2");
    // only makers, or only suppliers (none in this catalogue)
    assert_eq!(
        env.json(&["screen", "--role", "supplier", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // a decision, on record, marks the maker in reports
    env.ok(&[
        "screen-decide",
        "Kestrovia Avionics",
        "--list",
        "TEST-LIST",
        "--entry",
        "tst-kestrovia",
        "--verdict",
        "match",
        "--note",
        "same address in the listing",
        "--investigator",
        "analyst",
    ]);
    let bill = env.json(&["report", "weapon", "Gerbera", "--format", "json"]);
    let line = bill["tables"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["manufacturer"] == "Kestrovia Avionics")
        .unwrap()
        .clone();
    let mark = line["maker_designated"][0].as_str().unwrap();
    assert!(
        mark.contains("TEST-LIST")
            && mark.contains("TEST-RUSSIA-2")
            && mark.contains("listed 2024-02-23"),
        "{mark}"
    );
    let maker = env.ok(&["report", "manufacturer", "Kestrovia Avionics"]);
    assert!(maker.contains("confirmed designations"), "{maker}");
    assert_eq!(
        env.json(&["screen", "--format", "json"])[1]["decision"],
        "match"
    );
    // a later decision supersedes it: no longer marked
    env.ok(&[
        "screen-decide",
        "Kestrovia Avionics",
        "--list",
        "TEST-LIST",
        "--entry",
        "tst-kestrovia",
        "--verdict",
        "no-match",
        "--investigator",
        "reviewer",
    ]);
    assert_eq!(
        env.count("SELECT count(*) FROM screening_decision WHERE supersedes IS NOT NULL"),
        1
    );
    let bill = env.ok(&["report", "weapon", "Gerbera", "--format", "csv"]);
    assert!(!bill.contains("TEST-LIST"), "{bill}");
    // an entry the list lacks is refused
    let err = env.fails(&[
        "screen-decide",
        "Kestrovia Avionics",
        "--list",
        "TEST-LIST",
        "--entry",
        "nope",
        "--verdict",
        "match",
        "--investigator",
        "a",
    ]);
    assert!(err.contains("no entry 'nope'"), "{err}");
    env.ok(&["check"]);
}

#[test]
fn a_new_version_of_a_list_reports_what_changed_by_entry_id() {
    let env = catalogue();
    env.ok(&["lists", "import", FTM, "--name", "TEST-LIST"]);
    let out = env.ok(&["lists", "import", CSV_V2, "--name", "TEST-LIST"]);
    assert!(out.contains("added\ttst-newco"), "{out}");
    assert!(out.contains("removed\ttst-person"), "{out}");
    assert!(
        out.contains("changed\ttst-zorvath"),
        "a program was added: {out}"
    );
    assert!(
        !out.contains("tst-kestrovia"),
        "unchanged entries are not listed: {out}"
    );
    let versions = env.json(&["lists", "show", "--format", "json"]);
    assert_eq!(
        versions.as_array().unwrap().len(),
        2,
        "the older version is kept"
    );
    // screening reads the current version only
    let json = env.json(&["screen", "--list", "TEST-LIST", "--format", "json"]);
    assert_eq!(json[0]["programs"].as_array().unwrap().len(), 2);
    // a malformed list names its line and loads nothing
    let bad = env.write(
        "bad.csv",
        "id,name,aliases,country,program,listed_on,source_url\nx,Y,,Atlantis,,,\n",
    );
    let err = env.fails(&["lists", "import", bad.to_str().unwrap(), "--name", "BAD"]);
    assert!(err.contains("line 2") && err.contains("Atlantis"), "{err}");
    assert_eq!(
        env.count("SELECT count(*) FROM designation_list WHERE name = 'BAD'"),
        0
    );
}

/// A catalogue with a list, a confirmed designation and a classification, to carry elsewhere.
fn screened_and_classified() -> Env {
    let env = catalogue();
    env.ok(&["lists", "import", FTM, "--name", "TEST-LIST"]);
    env.ok(&[
        "screen-decide",
        "Kestrovia Avionics",
        "--list",
        "TEST-LIST",
        "--entry",
        "tst-kestrovia",
        "--verdict",
        "match",
        "--investigator",
        "analyst",
    ]);
    env.ok(&[
        "classify",
        "ZQ100",
        "--hs",
        "8542.31",
        "--source",
        "https://example.org/ruling",
        "--investigator",
        "analyst",
    ]);
    env
}

fn uids(env: &Env, table: &str) -> Vec<String> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(&format!("SELECT uid FROM {table} ORDER BY id"))
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn import_catalogue_carries_classifications_and_lists_and_offers_screening_decisions() {
    let theirs = screened_and_classified();
    let other = theirs.db.to_str().unwrap();
    let ours = Env::with_catalogue();
    let out = ours.ok(&["import-catalogue", other]);
    assert_eq!(
        uids(&ours, "classification"),
        uids(&theirs, "classification")
    );
    assert_eq!(
        uids(&ours, "designation_list"),
        uids(&theirs, "designation_list")
    );
    assert_eq!(ours.count("SELECT count(*) FROM designated_party"), 3);
    assert_eq!(
        ours.count("SELECT count(*) FROM screening_decision"),
        0,
        "their decision is offered, not applied: {out}"
    );
    assert!(
        out.contains("screening") && out.contains("tst-kestrovia") && out.contains("undecided"),
        "{out}"
    );
    let maker = ours.ok(&["report", "manufacturer", "Kestrovia Avionics"]);
    assert!(!maker.contains("confirmed designations"), "{maker}");
    // accepted: recorded as ours, saying where it came from; the report marks the maker
    let out = ours.ok(&[
        "import-catalogue",
        other,
        "--accept-decisions",
        "--investigator",
        "lead",
    ]);
    assert!(out.contains("screening applied"), "{out}");
    assert_eq!(
        ours.count(
            "SELECT count(*) FROM screening_decision WHERE verdict = 'match' AND author = 'lead' AND note LIKE 'accepted from %'"
        ),
        1
    );
    let maker = ours.ok(&["report", "manufacturer", "Kestrovia Avionics"]);
    assert!(maker.contains("confirmed designations"), "{maker}");
    // idempotent: nothing recorded twice, an agreed decision not offered again
    ours.ok(&[
        "import-catalogue",
        other,
        "--accept-decisions",
        "--investigator",
        "lead",
    ]);
    assert_eq!(ours.count("SELECT count(*) FROM screening_decision"), 1);
    assert_eq!(ours.count("SELECT count(*) FROM classification"), 1);
    assert_eq!(ours.count("SELECT count(*) FROM designation_list"), 1);
    assert_eq!(ours.count("SELECT count(*) FROM designated_party"), 3);
    ours.ok(&["check"]);
}

#[test]
fn an_older_list_version_from_another_catalogue_never_replaces_a_newer_one_here() {
    let theirs = screened_and_classified();
    theirs
        .conn()
        .execute(
            "UPDATE designation_list SET recorded_at = '2025-01-01T00:00:00Z'",
            [],
        )
        .unwrap();
    let ours = catalogue();
    ours.ok(&["lists", "import", CSV_V2, "--name", "TEST-LIST"]);
    let stderr = ours.ok_stderr(&["import-catalogue", theirs.db.to_str().unwrap()]);
    assert!(stderr.contains("1 left out (a newer version"), "{stderr}");
    assert_eq!(ours.count("SELECT count(*) FROM designation_list"), 1);
    assert_ne!(
        uids(&ours, "designation_list"),
        uids(&theirs, "designation_list"),
        "our version stays the current one"
    );
    assert_eq!(
        ours.count("SELECT count(*) FROM designated_party WHERE entry_id = 'tst-newco'"),
        1
    );
}

#[test]
fn exports_carry_classifications_lists_and_screening_decisions_through_a_round_trip() {
    let theirs = screened_and_classified();
    let dir = theirs.dir.path().join("folder");
    theirs.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let lines = |f: &str| {
        std::fs::read_to_string(dir.join(f))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(lines("classifications.csv"), 2);
    assert_eq!(lines("designation_lists.csv"), 2);
    assert_eq!(lines("designations.csv"), 4);
    assert_eq!(lines("screening_decisions.csv"), 2);
    let file = theirs.dir.path().join("all.jsonl");
    theirs.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);
    let ours = Env::with_catalogue();
    let file = file.to_str().unwrap();
    let out = ours.ok(&["import", file]);
    assert!(out.contains("tst-kestrovia"), "offered: {out}");
    assert_eq!(ours.count("SELECT count(*) FROM screening_decision"), 0);
    ours.ok(&[
        "import",
        file,
        "--accept-decisions",
        "--investigator",
        "lead",
    ]);
    ours.ok(&[
        "import",
        file,
        "--accept-decisions",
        "--investigator",
        "lead",
    ]);
    assert_eq!(
        uids(&ours, "classification"),
        uids(&theirs, "classification")
    );
    assert_eq!(
        uids(&ours, "designation_list"),
        uids(&theirs, "designation_list")
    );
    assert_eq!(ours.count("SELECT count(*) FROM designated_party"), 3);
    assert_eq!(ours.count("SELECT count(*) FROM screening_decision"), 1);
    let bill = ours.ok(&["report", "weapon", "Gerbera", "--format", "csv"]);
    assert!(bill.contains("TEST-LIST"), "{bill}");
}

#[test]
fn report_origin_marks_makers_confirmed_as_designated() {
    let env = catalogue();
    env.ok(&["lists", "import", FTM, "--name", "TEST-LIST"]);
    let before = env.json(&["report", "origin", "--format", "json"]);
    assert!(
        before["tables"]["confirmed designations"].is_null(),
        "no decision, no mark: {before}"
    );
    let decide = |verdict: &str| {
        env.ok(&[
            "screen-decide",
            "Kestrovia Avionics",
            "--list",
            "TEST-LIST",
            "--entry",
            "tst-kestrovia",
            "--verdict",
            verdict,
            "--investigator",
            "analyst",
        ])
    };
    decide("unsure");
    let unsure = env.json(&["report", "origin", "--format", "json"]);
    assert!(
        unsure["tables"]["confirmed designations"].is_null(),
        "{unsure}"
    );
    decide("match");
    let report = env.json(&["report", "origin", "--format", "json"]);
    let rows = report["tables"]["confirmed designations"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["manufacturer"], "Kestrovia Avionics");
    assert_eq!(rows[0]["observations"], 1);
    let mark = rows[0]["designated"].as_str().unwrap();
    assert!(
        mark.contains("TEST-LIST")
            && mark.contains("TEST-RUSSIA-2")
            && mark.contains("listed 2024-02-23"),
        "{mark}"
    );
    decide("no-match");
    let after = env.json(&["report", "origin", "--format", "json"]);
    assert!(
        after["tables"]["confirmed designations"].is_null(),
        "{after}"
    );
}

/// Runs a command at a given time (COMPTRACE_NOW), so events of different commands have an
/// order of their own.
fn ok_at(env: &Env, now: &str, args: &[&str]) {
    let out = env
        .cmd()
        .env("COMPTRACE_NOW", now)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn decide(env: &Env, now: &str, verdict: &str, who: &str) {
    ok_at(
        env,
        now,
        &[
            "screen-decide",
            "Kestrovia Avionics",
            "--list",
            "TEST-LIST",
            "--entry",
            "tst-kestrovia",
            "--verdict",
            verdict,
            "--note",
            "listing address",
            "--investigator",
            who,
        ],
    );
}

#[test]
fn screening_decisions_read_as_one_log_with_the_merges() {
    let env = catalogue();
    env.ok(&["lists", "import", FTM, "--name", "TEST-LIST"]);
    decide(&env, "2026-01-02T00:00:00Z", "match", "analyst");
    ok_at(
        &env,
        "2026-01-03T00:00:00Z",
        &[
            "merge",
            "--investigator",
            "analyst",
            "--kind",
            "manufacturer",
            "Kestrovia Avionics",
            "Kestrovia",
            "--note",
            "one company",
        ],
    );
    decide(&env, "2026-01-04T00:00:00Z", "no-match", "reviewer");
    // the merge log: decisions interleaved with the merge, in time order, with author and reason
    let log = env.json(&["merges", "--format", "json"]);
    let rows = log.as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["screening: match", "merge", "screening: no match"]
    );
    assert_eq!(rows[0]["author"], "analyst");
    assert_eq!(rows[0]["note"], "listing address");
    assert_eq!(rows[0]["members"], "TEST-LIST entry tst-kestrovia");
    assert_eq!(
        rows[0]["undone_by"], rows[2]["uid"],
        "the later decision supersedes the first"
    );
    assert!(
        rows[0]["id"].is_null(),
        "a decision has no batch to unmerge"
    );
    // history --since: the same order
    let events = env.json(&["history", "--since", "2026-01-02", "--format", "json"]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["screening: match", "merge", "screening: no match"]);
    // a finding's history shows the decisions on its maker
    let uid = env.conn().query_row(
        "SELECT o.uid FROM observation o JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
          JOIN organisation g ON g.id = os.organisation_id WHERE g.name = 'Kestrovia Avionics'",
        [],
        |r| r.get::<_, String>(0),
    ).unwrap();
    let mine = env.json(&["history", &uid, "--format", "json"]);
    let reviewers: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"].as_str().unwrap().starts_with("screening"))
        .map(|e| e["author"].as_str().unwrap())
        .collect();
    assert_eq!(reviewers, ["analyst", "reviewer"]);
    // check: decisions name an entry their list holds, and supersede an earlier one on the pair
    env.ok(&["check"]);
    env.conn()
        .execute_batch(
            "UPDATE screening_decision SET entry_id = 'tst-ghost' WHERE supersedes IS NULL;",
        )
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains("is on entry 'tst-ghost' of list 'TEST-LIST', which no loaded version of that list holds"),
        "{problems}"
    );
    assert!(
        problems
            .contains("which is not an earlier decision on the same organisation and list entry"),
        "the later decision now supersedes one on another entry: {problems}"
    );
}
