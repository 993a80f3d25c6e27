//! Corrections on the record: findings by id, retraction and its undoing, history, and the
//! checks that keep the derived flag true to the log.

use crate::util::{Env, SAMPLE};

/// A catalogue of the published sample.
fn sample() -> Env {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    env
}

/// The uid of the sample's finding of Texas Instruments "microcontrollers" (one source).
fn microcontrollers(env: &Env) -> String {
    env.conn()
        .query_row(
            "SELECT o.uid FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
              WHERE ps.text = 'microcontrollers'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn totals(env: &Env, report: &[&str]) -> serde_json::Value {
    let mut args = vec!["report"];
    args.extend(report);
    args.extend(["--format", "json"]);
    env.json(&args)["basis"]["totals"].clone()
}

fn retract(env: &Env, id: &str, reason: &str) -> String {
    env.ok(&["retract", id, "--reason", reason, "--investigator", "ann"])
}

#[test]
fn a_retracted_finding_drops_out_of_every_figure_by_exactly_itself_and_unretracting_restores_them_byte_for_byte(
) {
    let env = sample();
    let uid = microcontrollers(&env);
    let figures = |e: &Env| {
        [
            e.ok(&["report", "origin", "--format", "json"]),
            e.ok(&[
                "report",
                "manufacturer",
                "Texas Instruments",
                "--format",
                "json",
            ]),
            e.ok(&["report", "weapon", "Shahed-136", "--format", "json"]),
            e.ok(&["parts", "--format", "csv"]),
            e.ok(&["manufacturers", "--format", "csv"]),
            e.ok(&["weapons", "--format", "csv"]),
            e.ok(&[
                "show",
                "manufacturer",
                "Texas Instruments",
                "--format",
                "json",
            ]),
        ]
    };
    let before = figures(&env);
    let origin = totals(&env, &["origin"]);
    let ti = totals(&env, &["manufacturer", "Texas Instruments"]);
    let views = env.count("SELECT count(*) FROM findings");

    let entry = retract(&env, &uid, "the photo shows a TI logo only");
    assert_eq!(entry.trim().len(), 36, "the log entry's uid: {entry}");
    let after = totals(&env, &["origin"]);
    assert_eq!(
        after["observations"],
        origin["observations"].as_i64().unwrap() - 1
    );
    assert_eq!(
        after["distinct parts"],
        origin["distinct parts"].as_i64().unwrap() - 1,
        "the part was seen in this finding alone"
    );
    assert_eq!(
        totals(&env, &["manufacturer", "Texas Instruments"])["observations"],
        ti["observations"].as_i64().unwrap() - 1
    );
    assert_eq!(env.count("SELECT count(*) FROM findings"), views - 1);
    let parts = env.json(&[
        "parts",
        "--manufacturer",
        "Texas Instruments",
        "--format",
        "json",
    ]);
    assert!(
        parts
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["name"] != "microcontrollers"),
        "a part seen only in a retracted finding is not listed: {parts}"
    );
    let changed = figures(&env);
    for (i, (a, b)) in before.iter().zip(&changed).enumerate() {
        assert_ne!(a, b, "figure {i} changed");
    }
    env.ok(&["check"]);

    env.ok(&[
        "unretract",
        &uid,
        "--reason",
        "a second photo shows the part number",
        "--investigator",
        "bob",
    ]);
    assert_eq!(figures(&env), before, "byte for byte as before");
    assert_eq!(
        env.count("SELECT count(*) FROM retraction"),
        2,
        "nothing deleted"
    );
    env.ok(&["check"]);
}

#[test]
fn a_retracted_finding_says_so_where_it_is_shown_and_an_export_carries_the_retraction_through_a_round_trip(
) {
    let env = sample();
    let uid = microcontrollers(&env);
    retract(&env, &uid, "misattributed");

    let shown = env.json(&["show", "part", "microcontrollers", "--format", "json"]);
    let row = &shown["observations"][0];
    assert_eq!(row["uid"], uid.as_str());
    let note = row["retracted"].as_str().unwrap();
    assert!(
        note.starts_with("retracted 2026-01-01T00:00:00Z by ann: misattributed"),
        "{note}"
    );

    let file = env.dir.path().join("export.jsonl");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let observation = lines
        .iter()
        .find(|v| v["type"] == "observation" && v["uid"] == uid.as_str())
        .unwrap();
    assert_eq!(observation["retracted"], true);
    let standing = lines
        .iter()
        .filter(|v| v["type"] == "observation" && v["retracted"] == false)
        .count();
    assert_eq!(standing, 113);
    let entries: Vec<_> = lines.iter().filter(|v| v["type"] == "retraction").collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["finding"], uid.as_str());
    assert_eq!(entries[0]["reason"], "misattributed");
    assert_eq!(entries[0]["author"], "ann");

    // into an empty catalogue: the finding comes back retracted, the figures the same
    let copy = Env::with_catalogue();
    let note = copy.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(note.contains("1 entries recorded"), "{note}");
    assert_eq!(
        copy.count(&format!(
            "SELECT retracted FROM observation WHERE uid = '{uid}'"
        )),
        1
    );
    let report = |e: &Env| e.ok(&["report", "origin", "--format", "csv"]);
    assert_eq!(report(&copy), report(&env));
    assert_eq!(
        copy.ok(&["history", &uid, "--format", "csv"])
            .lines()
            .filter(|l| l.contains(",retract,"))
            .count(),
        1
    );
    copy.ok(&["check"]);
    // and back into the catalogue it came from: nothing new, the entry already here
    let again = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(again.contains("1 already here"), "{again}");
    assert_eq!(env.count("SELECT count(*) FROM retraction"), 1);

    // the CSV export marks it, and lists the log
    let dir = env.dir.path().join("csv");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let observations = std::fs::read_to_string(dir.join("observations.csv")).unwrap();
    let header = observations.lines().next().unwrap();
    assert!(header.ends_with(",retracted"), "{header}");
    let marked: Vec<_> = observations
        .lines()
        .filter(|l| l.ends_with(",true"))
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(marked[0].starts_with(&uid));
    let log = std::fs::read_to_string(dir.join("retractions.csv")).unwrap();
    assert_eq!(log.lines().count(), 2, "{log}");

    // FollowTheMoney publishes no retracted finding
    let ftm = env.ok(&["export", "--format", "ftm"]);
    assert!(!ftm.contains(&format!("observation {uid}")));
}

#[test]
fn search_says_when_a_marking_belongs_to_a_retracted_finding() {
    let env = Env::with_catalogue();
    let uid = env.ok(&[
        "log",
        "--weapon",
        "Shahed-136",
        "--component",
        "GNSS module",
        "--manufacturer",
        "u-blox",
        "--marking",
        "NEO-M8N ZQ77",
    ]);
    let kinds = |e: &Env| {
        e.json(&["search", "ZQ77", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&env), ["marking"]);
    retract(&env, uid.trim(), "the marking was read off another part");
    assert_eq!(kinds(&env), ["marking (retracted finding)"]);
}

#[test]
fn a_finding_is_named_by_any_unique_part_of_its_uid_of_eight_characters_or_more() {
    let env = sample();
    let uid = microcontrollers(&env);
    // the tail of a uid is random: eight characters of it name one finding
    let tail = &uid[uid.len() - 8..];
    retract(&env, tail, "by its tail");
    assert_eq!(
        env.count(&format!(
            "SELECT retracted FROM observation WHERE uid = '{uid}'"
        )),
        1
    );
    // upper case, as someone may copy it
    env.ok(&[
        "unretract",
        &tail.to_uppercase(),
        "--reason",
        "back",
        "--investigator",
        "ann",
    ]);

    let before = env.fingerprint();
    let short = env.fails(&[
        "retract",
        &uid[..7],
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(
        short.contains("ID '") && short.contains("too short"),
        "{short}"
    );
    assert!(short.contains("at least 8 characters"), "{short}");
    // the leading digits are the import's time, shared by the findings of one import: the
    // first eight characters most uids share (not this uid's own thirteen, whose last
    // millisecond digits one finding may have alone)
    let (prefix, sharing): (String, i64) = env
        .conn()
        .query_row(
            "SELECT substr(uid, 1, 8), count(*) FROM observation
              GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        sharing > 6,
        "one import's findings share {prefix}: {sharing}"
    );
    let ambiguous = env.fails(&["retract", &prefix, "--reason", "x", "--investigator", "ann"]);
    assert!(
        ambiguous.contains("findings' uids contain it"),
        "{ambiguous}"
    );
    let listed = ambiguous.lines().filter(|l| l.starts_with("  ")).count();
    assert!(
        (2..=6).contains(&listed),
        "a few matches listed: {ambiguous}"
    );
    assert!(ambiguous.contains("more"), "and how many more: {ambiguous}");
    let none = env.fails(&["history", "ffffffff-ffff", "--format", "csv"]);
    assert!(none.contains("no finding's uid contains it"), "{none}");
    assert_eq!(env.fingerprint(), before, "a refused id changes nothing");
}

#[test]
fn a_correction_needs_an_author_and_a_reason_and_must_change_something() {
    let env = sample();
    let uid = microcontrollers(&env);
    let before = env.fingerprint();
    let anonymous = env.fails(&["retract", &uid, "--reason", "x"]);
    assert!(anonymous.contains("--investigator"), "{anonymous}");
    let blank = env.fails(&["retract", &uid, "--reason", "  ", "--investigator", "ann"]);
    assert!(blank.contains("--reason"), "{blank}");
    let standing = env.fails(&["unretract", &uid, "--reason", "x", "--investigator", "ann"]);
    assert!(standing.contains("is not retracted"), "{standing}");
    let nowhere = env.fails(&[
        "retract",
        &uid,
        "--reason",
        "x",
        "--source",
        "no-such-file.png",
        "--investigator",
        "ann",
    ]);
    assert!(nowhere.contains("neither a file nor a URL"), "{nowhere}");
    assert_eq!(env.fingerprint(), before);

    // the author may come from the environment, as for every judgement
    env.cmd()
        .args(["retract", &uid, "--reason", "first"])
        .env("COMPTRACE_INVESTIGATOR", "carol")
        .assert()
        .success();
    let twice = env.fails(&[
        "retract",
        &uid,
        "--reason",
        "again",
        "--investigator",
        "ann",
    ]);
    assert!(
        twice.contains("already retracted") && twice.contains("by carol: first"),
        "{twice}"
    );
    // a file that shows the finding wrong is kept in the evidence store
    let photo = env.write("proof.jpg", b"a photo of the real marking");
    env.ok(&[
        "unretract",
        &uid,
        "--reason",
        "the photo was of this part after all",
        "--source",
        photo.to_str().unwrap(),
        "--investigator",
        "ann",
    ]);
    let sha: String = env
        .conn()
        .query_row(
            "SELECT evidence_sha256 FROM retraction ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(env
        .dir
        .path()
        .join("catalogue.db-evidence")
        .join(&sha)
        .is_file());
    env.ok(&["check"]);
}

#[test]
fn history_lists_what_touched_a_finding_in_order_with_authors_and_reasons() {
    let env = sample();
    let uid = microcontrollers(&env);
    let at = |when: &str, args: &[&str]| {
        env.cmd()
            .env("COMPTRACE_NOW", when)
            .args(args)
            .assert()
            .success();
    };
    at(
        "2026-02-01T00:00:00Z",
        &[
            "retract",
            &uid,
            "--reason",
            "doubtful",
            "--investigator",
            "ann",
            "--source",
            "https://example.org/correction",
        ],
    );
    at(
        "2026-03-01T00:00:00Z",
        &[
            "merge",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Analog Devices",
            "--note",
            "a test merge",
            "--investigator",
            "dan",
        ],
    );
    at(
        "2026-04-01T00:00:00Z",
        &[
            "unretract",
            &uid,
            "--reason",
            "confirmed",
            "--investigator",
            "bob",
        ],
    );
    // a merge of entities this finding does not name is not in its history
    at(
        "2026-05-01T00:00:00Z",
        &[
            "merge",
            "--kind",
            "weapon",
            "Mohajar-6",
            "Pantsir",
            "--investigator",
            "eve",
        ],
    );
    let history = env.json(&["history", &uid, "--format", "json"]);
    let events: Vec<(String, String, String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("at"), s("event"), s("author"), s("reason"))
        })
        .collect();
    let expected = [
        ("2026-01-01T00:00:00Z", "imported", "", ""),
        ("2026-02-01T00:00:00Z", "retract", "ann", "doubtful"),
        ("2026-03-01T00:00:00Z", "merge", "dan", "a test merge"),
        ("2026-04-01T00:00:00Z", "unretract", "bob", "confirmed"),
    ];
    assert_eq!(
        events,
        expected.map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into())),
        "{history}"
    );
    assert!(history[1]["detail"]
        .as_str()
        .unwrap()
        .contains("https://example.org/correction"));
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["finding"] == uid.as_str()));

    // the whole catalogue since a date: both merges and both entries, in order
    let since = env.json(&["history", "--since", "2026-02", "--format", "json"]);
    let kinds: Vec<&str> = since
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["retract", "merge", "unretract", "merge"], "{since}");
    let all = env.json(&["history", "--format", "json"]);
    assert_eq!(all[0]["event"], "import", "an import is one event: {all}");
    assert_eq!(all.as_array().unwrap().len(), 5);
    let bad = env.fails(&["history", "--since", "2026-13"]);
    assert!(bad.contains("--since"), "{bad}");
}

#[test]
fn retracting_a_source_retracts_nothing_and_lists_the_findings_resting_on_it_alone() {
    let env = sample();
    let (source, url): (i64, String) = env
        .conn()
        .query_row(
            "SELECT s.id, s.url FROM source s JOIN observation_source x ON x.source_id = s.id
              WHERE s.url IS NOT NULL GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let citing = env.count(&format!(
        "SELECT count(*) FROM observation_source WHERE source_id = {source}"
    ));
    let alone = env.count(&format!(
        "SELECT count(*) FROM observation_source x WHERE x.source_id = {source}
           AND NOT EXISTS (SELECT 1 FROM observation_source y WHERE y.observation_id = x.observation_id AND y.source_id <> {source})"
    ));
    let before = env.ok(&["report", "origin", "--format", "csv"]);
    let listed = env.json(&[
        "retract-source",
        &url,
        "--reason",
        "the page was withdrawn",
        "--investigator",
        "ann",
        "--format",
        "json",
    ]);
    let rows = listed.as_array().unwrap();
    assert_eq!(rows.len() as i64, citing);
    let resting: Vec<_> = rows.iter().filter(|r| r["other_sources"] == 0).collect();
    assert_eq!(resting.len() as i64, alone);
    assert!(
        rows[..resting.len()]
            .iter()
            .all(|r| r["other_sources"] == 0),
        "those resting on it alone first"
    );
    assert_eq!(env.ok(&["report", "origin", "--format", "csv"]), before);
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE retracted = 1"),
        0
    );
    let logged = env.json(&["history", "--format", "json"]);
    assert!(logged
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "retract source" && e["reason"] == "the page was withdrawn"));
    let unknown = env.fails(&[
        "retract-source",
        "https://nowhere.example/",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(unknown.contains("no source"), "{unknown}");
}

#[test]
fn check_finds_a_retracted_flag_that_its_log_does_not_say() {
    let env = sample();
    let uid = microcontrollers(&env);
    retract(&env, &uid, "wrong");
    env.ok(&["check"]);
    // put back by hand, past the log: the figures would silently count it again
    env.conn()
        .execute(
            "UPDATE observation SET retracted = 0 WHERE uid = ?1",
            [&uid],
        )
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains(&format!(
            "finding {uid} is marked standing but its retraction log says it is retracted"
        )),
        "{problems}"
    );
    // and taken out by hand, past the log
    env.conn()
        .execute(
            "UPDATE observation SET retracted = 1 WHERE id = (SELECT min(id) FROM observation WHERE uid <> ?1)",
            [&uid],
        )
        .unwrap();
    assert!(env
        .check_problems()
        .contains("is marked retracted but its retraction log says it stands"));
}

#[test]
fn a_catalogue_from_before_corrections_migrates_with_every_finding_standing() {
    let env = Env::new();
    let v1 = rusqlite::Connection::open(&env.db).unwrap();
    v1.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
        .unwrap();
    v1.execute_batch(
        "INSERT INTO meta VALUES ('catalogue_uid', 'x');
         INSERT INTO country (code, alpha3, numeric, name) VALUES ('US', 'USA', '840', 'United States');
         INSERT INTO organisation (id, uid, name, country, created_at) VALUES (1, 'o1', 'Texas Instruments', 'US', 't');
         INSERT INTO organisation_spelling (organisation_id, text, key, created_at) VALUES (1, 'TI', 'ti', 't');
         INSERT INTO weapon (id, uid, name, created_at) VALUES (1, 'w1', 'Geran-2', 't');
         INSERT INTO weapon_spelling (weapon_id, text, key, created_at) VALUES (1, 'Geran-2', 'GERAN2', 't');
         INSERT INTO part (id, uid, manufacturer_id, part_number, name, created_at) VALUES (1, 'p1', 1, 'TPS54331', 'TPS54331', 't');
         INSERT INTO part_spelling (part_id, text, key, kind, created_at) VALUES (1, 'TPS54331', 'TPS54331', 'part_number', 't');
         INSERT INTO observation (uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, component_text, logged_at, fingerprint)
           VALUES ('old-finding-0001', 1, 1, 1, 'TPS54331', '2024-05-01T00:00:00Z', x'00'),
                  ('old-finding-0002', 1, 1, 1, 'TPS54331 again', '2024-05-02T00:00:00Z', x'01');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(v1);
    assert_eq!(totals(&env, &["origin"])["observations"], 2);
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE retracted = 0"),
        2
    );
    assert_eq!(env.count("SELECT count(*) FROM findings"), 2);
    let history = env.json(&["history", "old-finding-0002", "--format", "json"]);
    assert_eq!(history[0]["event"], "logged");
    assert_eq!(history[0]["at"], "2024-05-02T00:00:00Z");
    retract(&env, "old-finding-0002", "a duplicate entry");
    assert_eq!(totals(&env, &["origin"])["observations"], 1);
    env.ok(&["check"]);
}

#[test]
fn a_reports_basis_dates_the_catalogue_by_its_latest_retraction_too() {
    let env = sample();
    let uid = microcontrollers(&env);
    let as_of = |e: &Env| {
        e.json(&["report", "origin", "--format", "json"])["basis"]["catalogue_as_of"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(as_of(&env), "2026-01-01T00:00:00Z");
    env.cmd()
        .env("COMPTRACE_NOW", "2026-03-04T05:06:07Z")
        .args(["retract", &uid, "--reason", "x", "--investigator", "ann"])
        .assert()
        .success();
    assert_eq!(
        as_of(&env),
        "2026-03-04T05:06:07Z",
        "the figures changed then, so the report says so"
    );
    // a unit known only through a retracted finding is not counted
    let units = Env::with_catalogue();
    let logged = |serial: &str| {
        units
            .ok(&[
                "log",
                "--weapon",
                "Gerbera",
                "--component",
                "camera",
                "--unit-serial",
                serial,
            ])
            .trim()
            .to_string()
    };
    let (a, _) = (logged("G-1"), logged("G-2"));
    let counted = |e: &Env| {
        (
            // the facts' line (in JSON the units section takes the name)
            e.ok(&["show", "weapon", "Gerbera"])
                .lines()
                .find_map(|l| l.trim().strip_prefix("units").map(|n| n.trim().to_string()))
                .unwrap(),
            e.json(&["weapons", "--format", "json"])[0]["units"].clone(),
        )
    };
    assert_eq!(counted(&units), ("2".to_string(), 2.into()));
    retract(&units, &a, "the unit was another weapon");
    assert_eq!(counted(&units), ("1".to_string(), 1.into()));
}

#[test]
fn a_finding_another_catalogue_retracted_comes_in_retracted_and_never_retracts_ours() {
    let theirs = sample();
    let uid = microcontrollers(&theirs);
    retract(&theirs, &uid, "their correction");
    // into an empty catalogue: their finding and its retraction, with their author and reason
    let ours = Env::with_catalogue();
    let note = ours.ok_stderr(&["import-catalogue", theirs.db.to_str().unwrap()]);
    assert!(note.contains("1 entries recorded"), "{note}");
    assert_eq!(
        ours.ok(&["report", "origin", "--format", "csv"]),
        theirs.ok(&["report", "origin", "--format", "csv"])
    );
    let history = ours.json(&["history", &uid, "--format", "json"]);
    assert_eq!(history[1]["event"], "retract");
    assert_eq!(history[1]["author"], "ann");
    assert_eq!(history[1]["reason"], "their correction");
    ours.ok(&["check"]);

    // a catalogue that already holds the finding keeps counting it
    let standing = sample();
    let before = standing.ok(&["report", "origin", "--format", "csv"]);
    let note = standing.ok_stderr(&["import-catalogue", theirs.db.to_str().unwrap()]);
    assert!(note.contains("1 left out"), "{note}");
    assert_eq!(
        standing.ok(&["report", "origin", "--format", "csv"]),
        before
    );
    assert_eq!(standing.count("SELECT count(*) FROM retraction"), 0);
}
