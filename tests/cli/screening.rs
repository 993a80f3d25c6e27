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
