//! Revisions (issue 16): `amend` records what a finding states before and after, re-resolves
//! its names without editing a shared entity, shows in `history` and every figure, and `check`
//! proves the row equals its latest revision.

use crate::util::{Env, SAMPLE};

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

/// The origin report's row for a country, as JSON.
fn origin_row(env: &Env, country: &str) -> Option<serde_json::Value> {
    env.json(&["report", "origin", "--format", "json"])["tables"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == country)
        .cloned()
}

#[test]
fn amending_the_maker_moves_the_finding_in_every_figure_and_edits_no_shared_entity() {
    let env = sample();
    let uid = microcontrollers(&env);
    let ti = totals(&env, &["manufacturer", "Texas Instruments"]);
    let st = totals(&env, &["manufacturer", "STMicroelectronics"]);
    let us = origin_row(&env, "US").unwrap();
    let ch = origin_row(&env, "CH");
    let ti_row = |e: &Env| -> (String, String, i64) {
        e.conn()
            .query_row(
                "SELECT name, country, (SELECT count(*) FROM organisation_spelling s WHERE s.organisation_id = o.id)
                   FROM organisation o WHERE name = 'Texas Instruments'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let ti_before = ti_row(&env);

    let revision = env.ok(&[
        "amend",
        &uid[uid.len() - 12..],
        "--manufacturer",
        "STMicroelectronics",
        "--manufacturer-country",
        "CH",
        "--part-number",
        "STM32F405RGT6",
        "--reason",
        "the photo shows an ST logo",
        "--investigator",
        "ann",
    ]);
    assert_eq!(revision.trim().len(), 36, "the revision's uid: {revision}");

    // the corrected figure: one finding less for TI and the US, one more for Switzerland
    assert_eq!(
        totals(&env, &["manufacturer", "Texas Instruments"])["observations"],
        ti["observations"].as_i64().unwrap() - 1
    );
    assert_eq!(
        origin_row(&env, "US").unwrap()["observations"],
        us["observations"].as_i64().unwrap() - 1
    );
    let ch_before = ch.map_or(0, |r| r["observations"].as_i64().unwrap());
    assert_eq!(
        origin_row(&env, "CH").unwrap()["observations"],
        ch_before + 1
    );
    assert_eq!(
        totals(&env, &["manufacturer", "STMicroelectronics"])["observations"],
        st["observations"].as_i64().unwrap() + 1
    );
    // the shared maker is as it was: name, country, spellings
    assert_eq!(ti_row(&env), ti_before);

    // both revisions on record; history shows the amendment with author, reason and change
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM revision r JOIN observation o ON o.id = r.observation_id WHERE o.uid = '{uid}'"
        )),
        2
    );
    let history = env.ok(&["history", &uid, "--format", "csv"]);
    let amend_line = history
        .lines()
        .find(|l| l.contains(",amend,"))
        .unwrap_or_else(|| panic!("no amend event: {history}"));
    assert!(amend_line.contains("ann"), "{amend_line}");
    assert!(
        amend_line.contains("the photo shows an ST logo"),
        "{amend_line}"
    );
    assert!(
        amend_line.contains("manufacturer: Texas Instruments -> STMicroelectronics"),
        "{amend_line}"
    );
    assert!(
        amend_line.contains("part_number: (none) -> STM32F405RGT6"),
        "{amend_line}"
    );
    env.ok(&["check"]);

    // an export carries both revisions, for readers, and still imports
    let exported = env.ok(&["export", "--format", "jsonl"]);
    let revisions: Vec<serde_json::Value> = exported
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "revision")
        .collect();
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    assert_eq!(revisions[1]["finding"], uid.as_str());
    assert_eq!(revisions[1]["author"], "ann");
    assert_eq!(
        revisions[1]["changes"]["manufacturer"],
        serde_json::json!(["Texas Instruments", "STMicroelectronics"])
    );
    let other = Env::with_catalogue();
    let file = other.write("all.jsonl", &exported);
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(maker_of(&other, &uid), "STMicroelectronics");

    // the file that stated the finding as it was adds nothing back
    let summary = env.ok_stderr(&["import", SAMPLE]);
    assert!(summary.contains(" 0 new observations"), "{summary}");
    assert_eq!(
        totals(&env, &["manufacturer", "Texas Instruments"])["observations"],
        ti["observations"].as_i64().unwrap() - 1
    );
}

#[test]
fn an_amendment_that_changes_nothing_or_names_no_field_is_refused_and_writes_nothing() {
    let env = sample();
    let uid = microcontrollers(&env);
    let before = env.fingerprint();
    let same = env.fails(&[
        "amend",
        &uid,
        "--manufacturer",
        "Texas Instruments",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(same.contains("already states this"), "{same}");
    let none = env.fails(&["amend", &uid, "--reason", "x", "--investigator", "ann"]);
    assert!(none.contains("nothing to amend"), "{none}");
    let bad = env.fails(&[
        "amend",
        &uid,
        "--found-on",
        "2024-13-01",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(bad.contains("--found-on"), "{bad}");
    assert_eq!(env.fingerprint(), before);
    assert_eq!(env.count("SELECT count(*) FROM revision"), 0);
}

#[test]
fn an_amendment_into_what_another_finding_states_is_refused() {
    let env = sample();
    let uid = microcontrollers(&env);
    // the sample's "voltage regulators" row differs from this one in its component and
    // category only (both in the one Axios source)
    let err = env.fails(&[
        "amend",
        &uid,
        "--component",
        "voltage regulators",
        "--category",
        "power",
        "--notes",
        "Same TI group of parts as the microcontroller row (same source sentence).",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(err.contains("retract this one instead"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM revision"), 0);
}

#[test]
fn check_finds_a_row_changed_outside_amend() {
    let env = sample();
    let uid = microcontrollers(&env);
    env.ok(&[
        "amend",
        &uid,
        "--lot",
        "L1",
        "--reason",
        "lot read off the photo",
        "--investigator",
        "ann",
    ]);
    env.ok(&["check"]);
    env.conn()
        .execute("UPDATE observation SET lot = 'L2' WHERE uid = ?1", [&uid])
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains(&format!(
            "finding {uid} differs from its latest revision (2)"
        )),
        "{problems}"
    );
}

#[test]
fn a_second_amendment_keeps_every_revision_and_amending_back_restores_the_figures() {
    let env = sample();
    let uid = microcontrollers(&env);
    let report = |e: &Env| e.ok(&["report", "origin", "--format", "csv"]);
    let before = report(&env);
    let amend = |maker: &str, country: &str| {
        env.ok(&[
            "amend",
            &uid,
            "--manufacturer",
            maker,
            "--manufacturer-country",
            country,
            "--reason",
            "reading the photo again",
            "--investigator",
            "bo",
        ])
    };
    amend("STMicroelectronics", "CH");
    assert_ne!(report(&env), before);
    amend("Texas Instruments", "US");
    assert_eq!(
        report(&env),
        before,
        "back to what it stated, the figures are as they were"
    );
    let numbers: String = env
        .conn()
        .query_row(
            "SELECT group_concat(number, ',') FROM (SELECT number FROM revision ORDER BY number)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        numbers, "1,2,3",
        "revision 1 as imported, then each amendment"
    );
    env.ok(&["check"]);
}

/// Runs a command that must succeed with the clock at `now`; returns stdout.
fn at(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COMPTRACE_NOW", now)
        .env("COMPTRACE_INVESTIGATOR", "ann")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_report_as_of_a_day_is_the_same_bytes_after_later_findings_amendments_retractions_and_merges() {
    let env = Env::with_catalogue();
    let day1 = "2026-01-01T10:00:00Z";
    at(&env, day1, &["import", SAMPLE]);
    let uid = microcontrollers(&env);
    let asked: Vec<Vec<&str>> = vec![
        vec!["report", "origin", "--format", "json"],
        vec!["report", "origin", "--format", "html"],
        vec!["report", "manufacturer", "Texas Instruments"],
        vec!["report", "weapon", "Shahed-136", "--format", "md"],
        vec!["parts", "--format", "csv"],
        vec!["manufacturers", "--format", "csv"],
        vec!["weapons", "--format", "csv"],
    ];
    let as_of = |now: &str| -> Vec<String> {
        asked
            .iter()
            .map(|a| {
                let mut args = a.clone();
                args.extend(["--as-of", "2026-01-01"]);
                at(&env, now, &args)
            })
            .collect()
    };
    let first = as_of("2026-01-01T18:00:00Z");
    let current_then = at(
        &env,
        "2026-01-01T18:00:00Z",
        &["report", "origin", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&first[0]).unwrap();
    assert_eq!(json["basis"]["as_of"], "2026-01-01");
    assert_eq!(json["basis"]["generated_at"], serde_json::Value::Null);
    assert_eq!(
        json["basis"]["comptrace_version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        json["basis"]["reference_data_sha256"],
        comptrace::report::reference_data_sha256()
    );
    assert!(
        first[2].contains("as it stood at the end of 2026-01-01"),
        "{}",
        first[2]
    );

    // the next day: a new finding, an amendment, a retraction and a merge
    let day2 = "2026-01-02T09:00:00Z";
    at(
        &env,
        day2,
        &[
            "log",
            "--weapon",
            "Shahed-136",
            "--component",
            "GNSS module",
            "--part-number",
            "NEO-M8N",
            "--manufacturer",
            "u-blox",
            "--manufacturer-country",
            "CH",
        ],
    );
    at(
        &env,
        day2,
        &[
            "amend",
            &uid,
            "--manufacturer",
            "STMicroelectronics",
            "--manufacturer-country",
            "CH",
            "--reason",
            "ST logo on the photo",
        ],
    );
    let other: String = env
        .conn()
        .query_row(
            "SELECT o.uid FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
              WHERE ps.text = 'voltage regulators'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    at(
        &env,
        day2,
        &["retract", &other, "--reason", "not shown in the source"],
    );
    at(
        &env,
        day2,
        &[
            "merge",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Analog Devices",
            "--note",
            "test merge",
        ],
    );
    let now_json = at(&env, day2, &["report", "origin", "--format", "json"]);
    assert_ne!(
        now_json, current_then,
        "the changes of the second day change today's figures"
    );

    let again = as_of("2026-01-03T08:00:00Z");
    for (i, (a, b)) in first.iter().zip(&again).enumerate() {
        assert_eq!(a, b, "{:?} as of 2026-01-01 changed", asked[i]);
    }
    // and as of the second day the changes count
    let day2_report = at(
        &env,
        "2026-01-03T08:00:00Z",
        &[
            "report",
            "manufacturer",
            "STMicroelectronics",
            "--format",
            "json",
            "--as-of",
            "2026-01-02",
        ],
    );
    let st_first = at(
        &env,
        "2026-01-03T08:00:00Z",
        &[
            "report",
            "manufacturer",
            "STMicroelectronics",
            "--format",
            "json",
            "--as-of",
            "2026-01-01",
        ],
    );
    let count = |s: &str| -> i64 {
        serde_json::from_str::<serde_json::Value>(s).unwrap()["basis"]["totals"]["observations"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(count(&day2_report), count(&st_first) + 1);
}

#[test]
fn import_dry_run_says_what_it_would_add_and_leaves_the_catalogue_byte_for_byte() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let file = env.write(
        "more.csv",
        crate::util::findings_csv(&[
            "Gerbera,RU,flight controller,STM32F405RGT6,microcontroller,STMicroelectronics,CH,,,,,,Test,Teardown,https://example.org/t1,2025-01-02,high,ann,",
            "Gerbera,RU,camera,A40 Pro,camera,Viewpro,CN,,,,,,Test,Teardown,https://example.org/t1,2025-01-02,high,ann,",
        ]),
    );
    let before = env.fingerprint();
    let summary = env.ok_stderr(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        summary.contains("dry run, nothing was written"),
        "{summary}"
    );
    assert!(summary.contains("2 new observations"), "{summary}");
    assert_eq!(env.fingerprint(), before, "the catalogue file is unchanged");
    let real = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(real.contains("2 new observations"), "{real}");
    assert_ne!(env.fingerprint(), before);
}

#[test]
fn retract_import_takes_out_exactly_what_one_import_added_with_one_reason() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let file = env.write(
        "more.csv",
        crate::util::findings_csv(&[
            "Gerbera,RU,flight controller,STM32F405RGT6,microcontroller,STMicroelectronics,CH,,,,,,Test,Teardown,https://example.org/t1,2025-01-02,high,ann,",
            "Gerbera,RU,camera,A40 Pro,camera,Viewpro,CN,,,,,,Test,Teardown,https://example.org/t1,2025-01-02,high,ann,",
        ]),
    );
    let before = totals(&env, &["origin"]);
    env.ok(&["import", file.to_str().unwrap()]);
    let history = env.ok(&["history", "--format", "csv"]);
    assert!(history.contains("import 2: "), "{history}");
    let n = env.ok(&[
        "retract",
        "--import",
        "2",
        "--reason",
        "the teardown was staged",
        "--investigator",
        "ann",
    ]);
    assert_eq!(n.trim(), "2");
    assert_eq!(totals(&env, &["origin"]), before);
    assert_eq!(
        env.count("SELECT count(*) FROM retraction WHERE reason = 'the teardown was staged'"),
        2
    );
    let again = env.fails(&[
        "retract",
        "--import",
        "2",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(again.contains("no finding it added stands"), "{again}");
    let unknown = env.fails(&[
        "retract",
        "--import",
        "9",
        "--reason",
        "x",
        "--investigator",
        "ann",
    ]);
    assert!(unknown.contains("no such import"), "{unknown}");
    env.ok(&["check"]);
}

/// A published dataset whose records each have their own URL: row `i` of weapon, part and
/// maker, its part number `pn`.
fn dataset_row(i: usize, pn: &str) -> String {
    format!(
        "Geran-2,RU,chip {i},{pn},other,Maker {i},CN,,,,,,GUR,Record {i},https://example.org/records/{i},2025-01-01,medium,ann,"
    )
}

#[test]
fn replacing_a_source_with_five_rows_changed_and_three_gone_records_exactly_five_revisions_and_three_retractions(
) {
    let env = Env::with_catalogue();
    let rows: Vec<String> = (1..=12)
        .map(|i| dataset_row(i, &format!("PN{i}")))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let old = env.write("v1.csv", crate::util::findings_csv(&refs));
    env.ok(&["import", old.to_str().unwrap()]);
    let standing = |e: &Env| e.count("SELECT count(*) FROM observation WHERE retracted = 0");
    assert_eq!(standing(&env), 12);

    // version 2: rows 1-5 corrected, 6-9 as they were, 10-12 gone, one new record
    let mut rows: Vec<String> = (1..=5)
        .map(|i| dataset_row(i, &format!("PN{i}-B")))
        .chain((6..=9).map(|i| dataset_row(i, &format!("PN{i}"))))
        .collect();
    rows.push(dataset_row(13, "PN13"));
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let new = env.write("v2.csv", crate::util::findings_csv(&refs));
    let args = [
        "import",
        new.to_str().unwrap(),
        "--replace-source",
        "https://example.org/records",
        "--reason",
        "GUR corrected its records",
        "--investigator",
        "ann",
    ];

    let before = env.fingerprint();
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let said = env.ok_stderr(&dry);
    assert!(said.contains("dry run, nothing was written"), "{said}");
    assert_eq!(env.fingerprint(), before, "a dry run writes nothing");

    let said = env.ok_stderr(&args);
    assert!(
        said.contains("10 rows replacing https://example.org/records: 1 added, 5 revised, 3 retracted, 4 unchanged, 0 not paired"),
        "{said}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM revision WHERE number = 2"),
        5
    );
    assert_eq!(
        env.count("SELECT count(*) FROM revision WHERE number > 2"),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM retraction WHERE action = 'retract'"),
        3
    );
    assert_eq!(standing(&env), 10);
    // the retracted are exactly the records gone, the revised exactly those corrected
    let retracted: String = env
        .conn()
        .query_row(
            "SELECT group_concat(o.stated_part_number, ',') FROM (SELECT stated_part_number FROM observation
              WHERE retracted = 1 ORDER BY stated_part_number) o",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(retracted, "PN10,PN11,PN12");
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE stated_part_number LIKE '%-B' AND retracted = 0"),
        5
    );
    env.ok(&["check"]);

    // the old file adds nothing back, nor does the new one again
    let again = env.ok_stderr(&["import", old.to_str().unwrap()]);
    assert!(again.contains(" 0 new observations"), "{again}");
    let said = env.ok_stderr(&args);
    assert!(
        said.contains("0 added, 0 revised, 0 retracted, 10 unchanged"),
        "{said}"
    );
}

#[test]
fn rows_citing_the_dataset_itself_pair_by_weapon_unit_part_and_maker_and_ambiguous_ones_are_listed_and_left_alone(
) {
    let env = Env::with_catalogue();
    // two GNSS findings differing only in their marking: one pairing key for both
    let row = |component: &str, maker: &str, marking: &str, notes: &str| {
        format!("Geran-2,RU,{component},,other,{maker},CN,,{marking},,,,GUR,Dataset,https://example.org/set,2025-01-01,medium,ann,{notes}")
    };
    let v1 = [
        row("camera", "Viewpro", "", "first"),
        row("servo", "Maker A", "", ""),
        row("GNSS", "Maker B", "one", ""),
        row("GNSS", "Maker B", "two", ""),
    ];
    let refs: Vec<&str> = v1.iter().map(String::as_str).collect();
    env.ok(&[
        "import",
        env.write("v1.csv", crate::util::findings_csv(&refs))
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 4);
    let v2 = [
        row("camera", "Viewpro", "", "second reading"),
        row("servo", "Maker A", "", ""),
        row("GNSS", "Maker B", "three", ""),
    ];
    let refs: Vec<&str> = v2.iter().map(String::as_str).collect();
    let file = env.write("v2.csv", crate::util::findings_csv(&refs));
    let out = env
        .cmd()
        .args([
            "import",
            file.to_str().unwrap(),
            "--replace-source",
            "https://example.org/set",
            "--reason",
            "new version",
            "--investigator",
            "ann",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("0 added, 1 revised, 0 retracted, 1 unchanged, 3 not paired"),
        "{said}"
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("line 4"), "{listed}");
    assert_eq!(listed.matches("left as it is").count(), 2, "{listed}");
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE retracted = 1"),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE notes = 'second reading'"),
        1
    );
}

fn uid_of_part_text(env: &Env, text: &str) -> String {
    env.conn()
        .query_row(
            "SELECT o.uid FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
              WHERE ps.text = ?1",
            [text],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn embargoed_findings_and_sources_stay_out_of_public_reports_listings_and_exports_until_their_day_and_backup_keeps_them(
) {
    let env = sample();
    let axios =
        "https://www.axios.com/local/austin/2023/01/05/iranian-attack-drone-texas-companies";
    let chips = uid_of_part_text(&env, "chips / signal processors");
    let ti = |e: &Env, now: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "report",
            "manufacturer",
            "Texas Instruments",
            "--format",
            "json",
        ];
        args.extend(extra);
        serde_json::from_str(&at(e, now, &args)).unwrap()
    };
    let jan = "2026-01-01T00:00:00Z";
    let everything = ti(&env, jan, &[])["basis"]["totals"]["observations"]
        .as_i64()
        .unwrap();
    let export_all = at(&env, jan, &["export", "--format", "jsonl"]);

    at(
        &env,
        jan,
        &[
            "embargo",
            "--source",
            axios,
            "--until",
            "2026-02-01",
            "--reason",
            "not yet published",
        ],
    );
    at(
        &env,
        jan,
        &[
            "embargo",
            &chips,
            "--until",
            "2026-03-01",
            "--reason",
            "right of reply",
        ],
    );

    // without --public nothing changes
    assert_eq!(
        ti(&env, jan, &[])["basis"]["totals"]["observations"],
        everything
    );
    assert_eq!(at(&env, jan, &["export", "--format", "jsonl"]), export_all);
    // with it: TI's three findings citing the source and the one embargoed are left out; the
    // basis counts every finding of the catalogue left out (the source is cited by others too)
    let citing = env.count(&format!(
        "SELECT count(*) FROM observation_source x JOIN source s ON s.id = x.source_id WHERE s.url = '{axios}'"
    ));
    assert!(
        citing > 3,
        "the Axios source backs TI's three findings and more"
    );
    let public = ti(&env, jan, &["--public"]);
    assert_eq!(public["basis"]["totals"]["observations"], everything - 4);
    assert_eq!(public["basis"]["embargoed_left_out"], citing + 1);
    let text = at(
        &env,
        jan,
        &["report", "manufacturer", "Texas Instruments", "--public"],
    );
    assert!(
        text.contains(&format!(
            "Public edition: {} findings under embargo left out.",
            citing + 1
        )),
        "{text}"
    );
    let exported = env
        .cmd()
        .env("COMPTRACE_NOW", jan)
        .args(["export", "--format", "jsonl", "--public"])
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&exported.stdout);
    assert!(
        !lines.contains(&chips),
        "an embargoed finding is not exported"
    );
    assert!(!lines.contains(axios), "nor a source under embargo");
    assert!(
        String::from_utf8_lossy(&exported.stderr).contains(&format!(
            "public: {} findings under embargo left out",
            citing + 1
        )),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let listing = env
        .cmd()
        .args([
            "parts",
            "--manufacturer",
            "Texas Instruments",
            "--format",
            "csv",
            "--public",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listing.stderr).contains(&format!(
        "public: {} findings under embargo left out",
        citing + 1
    )));
    assert!(!String::from_utf8_lossy(&listing.stdout).contains("microcontrollers"));
    let shown = |extra: &[&str]| {
        let mut args = vec!["show", "part", "microcontrollers", "--format", "json"];
        args.extend(extra);
        at(&env, jan, &args)
    };
    assert!(shown(&[]).contains(axios));
    assert!(
        at(&env, jan, &["show", "manufacturer", "Texas Instruments"]).contains("microcontrollers")
    );
    let out = env
        .cmd()
        .args(["show", "manufacturer", "Texas Instruments", "--public"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("microcontrollers"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("findings under embargo left out"));

    // the source's day has come, the finding's not yet
    let feb = "2026-02-15T00:00:00Z";
    assert_eq!(
        ti(&env, feb, &["--public"])["basis"]["embargoed_left_out"],
        1
    );
    // lifted, nothing is withheld
    at(
        &env,
        feb,
        &["embargo", &chips, "--lift", "--reason", "the maker replied"],
    );
    assert_eq!(
        ti(&env, feb, &["--public"])["basis"]["totals"]["observations"],
        everything
    );
    let history = at(&env, feb, &["history", &chips, "--format", "csv"]);
    assert!(
        history.contains(",embargo,") && history.contains("lift embargo"),
        "{history}"
    );

    // backup keeps every finding and the whole embargo log
    let copy = env.dir.path().join("backup.db");
    at(&env, feb, &["backup", copy.to_str().unwrap()]);
    let backup = rusqlite::Connection::open(&copy).unwrap();
    let count = |sql: &str| -> i64 { backup.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM embargo"), 3);
    assert_eq!(
        count("SELECT count(*) FROM observation"),
        env.count("SELECT count(*) FROM observation")
    );
}

#[test]
fn a_source_keeps_the_day_it_was_accessed_and_an_archived_copy_in_the_evidence_store() {
    let env = Env::with_catalogue();
    let url = "https://example.org/report";
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "camera",
        "--part-number",
        "A40 Pro",
        "--manufacturer",
        "Viewpro",
        "--evidence-url",
        url,
    ]);
    let page = env.write("report.html", "<html>the page as it was</html>");
    let sha = {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(b"<html>the page as it was</html>"))
    };
    let missing = env.fails(&["archive-source", url, "--investigator", "ann"]);
    assert!(missing.contains("--accessed-on"), "{missing}");
    env.ok(&[
        "archive-source",
        url,
        "--accessed-on",
        "2025-11-30",
        "--file",
        page.to_str().unwrap(),
        "--investigator",
        "ann",
    ]);
    let shown = env.json(&["show", "part", "A40 Pro", "--format", "json"]);
    assert_eq!(shown["sources"][0]["accessed_on"], "2025-11-30");
    assert_eq!(shown["sources"][0]["archive_sha256"], sha.as_str());
    let stored = env.dir.path().join("catalogue.db-evidence").join(&sha);
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        b"<html>the page as it was</html>"
    );
    // a later entry giving only a date keeps the copy
    env.ok(&[
        "archive-source",
        url,
        "--accessed-on",
        "2026-01-01",
        "--investigator",
        "ann",
    ]);
    let exported = env.ok(&["export", "--format", "jsonl"]);
    let source = exported
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "source")
        .unwrap();
    assert_eq!(source["accessed_on"], "2026-01-01");
    assert_eq!(source["archive_sha256"], sha.as_str());
    let history = env.ok(&["history", "--format", "csv"]);
    assert_eq!(history.matches("archive source").count(), 2, "{history}");
    // backup keeps the copy with the catalogue
    let copy = env.dir.path().join("backup.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    assert!(env
        .dir
        .path()
        .join("backup.db-evidence")
        .join(&sha)
        .is_file());
}

/// Ours: the sample. Theirs: a copy of ours, sharing every finding's uid.
fn ours_and_theirs() -> (Env, Env) {
    let ours = sample();
    let theirs = Env::new();
    ours.ok(&["backup", theirs.db.to_str().unwrap()]);
    (ours, theirs)
}

fn maker_of(env: &Env, uid: &str) -> String {
    env.conn()
        .query_row(
            "SELECT m.name FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
               JOIN part p ON p.id = ps.part_id JOIN organisation m ON m.id = p.manufacturer_id
              WHERE o.uid = ?1",
            [uid],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn another_catalogues_revision_and_retraction_of_shared_findings_are_proposals_applied_only_when_accepted(
) {
    let (ours, theirs) = ours_and_theirs();
    let mc = microcontrollers(&ours);
    let vr = uid_of_part_text(&ours, "voltage regulators");
    theirs.ok(&[
        "amend",
        &mc,
        "--manufacturer",
        "STMicroelectronics",
        "--manufacturer-country",
        "CH",
        "--reason",
        "ST logo",
        "--investigator",
        "tom",
    ]);
    theirs.ok(&[
        "retract",
        &vr,
        "--reason",
        "not in the source",
        "--investigator",
        "tom",
    ]);
    let findings = ours.count("SELECT count(*) FROM observation");
    let before = ours.ok(&["report", "origin", "--format", "json"]);

    let out = ours
        .cmd()
        .args([
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    let revision = listed
        .lines()
        .find(|l| l.starts_with("correction,revision,"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        revision.contains(&mc) && revision.contains("manufacturer") && revision.contains("by tom"),
        "{revision}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("correction,retraction,")
                && l.contains(&vr)
                && l.contains("not in the source")),
        "{listed}"
    );
    // offered only: nothing changed here, and the amended finding was not added beside ours
    assert_eq!(ours.count("SELECT count(*) FROM observation"), findings);
    assert_eq!(ours.ok(&["report", "origin", "--format", "json"]), before);
    assert_eq!(maker_of(&ours, &mc), "Texas Instruments");

    let out = ours
        .cmd()
        .args([
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--accept-decisions",
            "--investigator",
            "bo",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(listed.matches("correction applied,").count(), 2, "{listed}");
    assert_eq!(maker_of(&ours, &mc), "STMicroelectronics");
    assert_eq!(
        ours.count(&format!(
            "SELECT retracted FROM observation WHERE uid = '{vr}'"
        )),
        1
    );
    assert_eq!(ours.count("SELECT count(*) FROM observation"), findings);
    let history = ours.ok(&["history", &mc, "--format", "csv"]);
    assert!(
        history.contains(",amend,") && history.contains("bo") && history.contains("accepted from"),
        "{history}"
    );
    ours.ok(&["check"]);
    // accepted once, nothing more is offered
    let again = ours.ok(&[
        "import-catalogue",
        theirs.db.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(!again.contains("correction"), "{again}");
}

#[test]
fn two_catalogues_that_amended_one_finding_each_their_own_way_are_reported_and_never_chosen_between(
) {
    let (ours, theirs) = ours_and_theirs();
    let mc = microcontrollers(&ours);
    theirs.ok(&[
        "amend",
        &mc,
        "--manufacturer",
        "STMicroelectronics",
        "--reason",
        "ST logo",
        "--investigator",
        "tom",
    ]);
    ours.ok(&[
        "amend",
        &mc,
        "--manufacturer",
        "Analog Devices",
        "--reason",
        "ADI logo",
        "--investigator",
        "ann",
    ]);
    let findings = ours.count("SELECT count(*) FROM observation");
    let out = ours
        .cmd()
        .args([
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--accept-decisions",
            "--investigator",
            "bo",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    let line = listed
        .lines()
        .find(|l| l.contains("revision conflict"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(line.contains(&mc) && line.contains("not applied"), "{line}");
    assert_eq!(maker_of(&ours, &mc), "Analog Devices");
    assert_eq!(ours.count("SELECT count(*) FROM observation"), findings);
}

/// A tiny JPEG whose EXIF block has a GPS IFD: latitude ref "N", latitude 50/1 27/1 13/1.
fn jpeg_with_gps() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes()); // IFD0: the GPS pointer only
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), 26);
    tiff.extend_from_slice(&2u16.to_le_bytes());
    for (tag, kind, count, value) in [
        (1u16, 2u16, 2u32, u32::from_le_bytes(*b"N\0\0\0")),
        (2, 5, 3, 56),
    ] {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), 56);
    for v in [50u32, 1, 27, 1, 13, 1] {
        tiff.extend_from_slice(&v.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    jpeg
}

#[test]
fn exported_photos_lose_their_gps_location_unless_asked_and_the_store_keeps_the_original() {
    let env = Env::with_catalogue();
    let original = jpeg_with_gps();
    let photo = env.write("photo.jpg", &original);
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "camera",
        "--part-number",
        "A40 Pro",
        "--evidence-file",
        photo.to_str().unwrap(),
    ]);
    let sha = {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(&original))
    };
    let latitude: Vec<u8> = [50u32, 1, 27, 1, 13, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    assert!(contains(&original, &latitude));

    let dir = env.dir.path().join("out");
    let said = env.ok_stderr(&[
        "export",
        "--format",
        "csv",
        "--out",
        dir.to_str().unwrap(),
        "--with-evidence",
    ]);
    assert!(
        said.contains("location metadata taken out of 1 images"),
        "{said}"
    );
    let exported = std::fs::read(dir.join("evidence").join(&sha)).unwrap();
    assert!(!contains(&exported, &latitude), "the latitude is gone");
    assert!(!contains(&exported, b"N\0\0\0"), "and its reference");
    assert_eq!(exported.len(), original.len(), "blanked in place");
    assert_eq!(
        &exported[exported.len() - 8..],
        &original[original.len() - 8..],
        "the image data is kept"
    );
    let stored = std::fs::read(env.dir.path().join("catalogue.db-evidence").join(&sha)).unwrap();
    assert_eq!(stored, original, "the store keeps the original bytes");

    let kept = env.dir.path().join("kept");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        kept.to_str().unwrap(),
        "--with-evidence",
        "--keep-location",
    ]);
    assert_eq!(
        std::fs::read(kept.join("evidence").join(&sha)).unwrap(),
        original
    );
}

#[test]
fn a_finding_of_a_version_1_catalogue_is_its_own_first_revision_after_migration() {
    let env = Env::new();
    let v1 = rusqlite::Connection::open(&env.db).unwrap();
    v1.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
        .unwrap();
    v1.execute_batch(
        "INSERT INTO meta VALUES ('catalogue_uid', 'x');
         INSERT INTO country (code, alpha3, numeric, name) VALUES ('US', 'USA', '840', 'United States');
         INSERT INTO organisation (id, uid, name, country, created_at) VALUES (1, 'o1', 'Texas Instruments', 'US', '2024-05-01T00:00:00Z');
         INSERT INTO organisation_spelling (organisation_id, text, key, created_at) VALUES (1, 'TI', 'ti', '2024-05-01T00:00:00Z');
         INSERT INTO weapon (id, uid, name, created_at) VALUES (1, 'w1', 'Geran-2', '2024-05-01T00:00:00Z');
         INSERT INTO weapon_spelling (weapon_id, text, key, created_at) VALUES (1, 'Geran-2', 'GERAN2', '2024-05-01T00:00:00Z');
         INSERT INTO part (id, uid, manufacturer_id, part_number, name, created_at) VALUES (1, 'p1', 1, 'TPS54331', 'TPS54331', '2024-05-01T00:00:00Z');
         INSERT INTO part_spelling (part_id, text, key, kind, created_at) VALUES (1, 'TPS54331', 'TPS54331', 'part_number', '2024-05-01T00:00:00Z');
         INSERT INTO observation (uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, component_text, logged_at, fingerprint)
           VALUES ('old-finding-0001', 1, 1, 1, 'TPS54331', '2024-05-01T00:00:00Z', x'00');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(v1);
    let before = env.ok(&["report", "origin", "--format", "csv"]);
    assert_eq!(
        env.count("SELECT count(*) FROM revision"),
        0,
        "migration writes no revision"
    );
    env.ok(&[
        "amend",
        "old-finding-0001",
        "--manufacturer",
        "Analog Devices",
        "--reason",
        "ADI logo on the photo",
        "--investigator",
        "ann",
    ]);
    let first: (String, String, String) = env
        .conn()
        .query_row(
            "SELECT recorded_at, reason, author FROM revision WHERE number = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        first,
        (
            "2024-05-01T00:00:00Z".to_string(),
            "as logged".to_string(),
            "(not recorded)".to_string()
        )
    );
    env.ok(&["check"]);
    assert_ne!(env.ok(&["report", "origin", "--format", "csv"]), before);
    assert_eq!(
        env.ok(&[
            "report",
            "origin",
            "--format",
            "csv",
            "--as-of",
            "2024-05-01"
        ]),
        before,
        "as of its first day, the finding as logged"
    );
}

/// The columns and rows issues 17 and 18 derive from a finding's text follow its amendments:
/// the HS code it states, the producer it names, and the suppliers its maker label names.
#[test]
fn amending_a_finding_restates_its_classification_producer_and_label_suppliers() {
    let env = sample();
    let uid = microcontrollers(&env);
    let stated = |e: &Env| -> Option<String> {
        e.conn()
            .query_row(
                "SELECT stated_hs_code FROM observation WHERE uid = ?1",
                [&uid],
                |r| r.get(0),
            )
            .unwrap()
    };
    let count =
        |e: &Env, sql: &str| -> i64 { e.conn().query_row(sql, [&uid], |r| r.get(0)).unwrap() };
    let producers =
        "SELECT count(*) FROM weapon_producer p JOIN observation o ON o.id = p.observation_id
                      WHERE o.uid = ?1";
    let suppliers =
        "SELECT count(*) FROM supply_link l JOIN observation o ON o.id = l.observation_id
                      WHERE o.uid = ?1 AND l.how_known = 'label'";
    assert_eq!(stated(&env), None);
    assert_eq!(count(&env, producers), 0);

    env.ok(&[
        "amend",
        &uid,
        "--hs-code",
        "8542.31",
        "--reason",
        "code on the reel",
        "--investigator",
        "ann",
    ]);
    assert_eq!(stated(&env).as_deref(), Some("854231"));
    env.ok(&[
        "amend",
        &uid,
        "--weapon-producer",
        "Example Plant",
        "--manufacturer",
        "Texas Instruments Suppliers JSC EXAMPLE TRADE",
        "--reason",
        "label as published",
        "--investigator",
        "ann",
    ]);
    assert_eq!(
        stated(&env).as_deref(),
        Some("854231"),
        "an amendment keeps what it does not change"
    );
    assert_eq!(count(&env, producers), 1);
    assert_eq!(count(&env, suppliers), 1);
    // check fails (non-zero) when a row differs from its latest revision
    env.ok(&["check"]);

    // amended back: the producer and the label's supplier go, the code is cleared
    env.ok(&[
        "amend",
        &uid,
        "--weapon-producer",
        "",
        "--manufacturer",
        "Texas Instruments",
        "--hs-code",
        "",
        "--reason",
        "wrong row",
        "--investigator",
        "ann",
    ]);
    assert_eq!(stated(&env), None);
    assert_eq!(count(&env, producers), 0);
    assert_eq!(count(&env, suppliers), 0);
    // check fails (non-zero) when a row differs from its latest revision
    env.ok(&["check"]);
}

#[test]
fn search_as_of_a_day_finds_no_name_entered_later() {
    let env = Env::with_catalogue();
    at(&env, "2026-01-01T10:00:00Z", &["import", SAMPLE]);
    at(
        &env,
        "2026-01-02T10:00:00Z",
        &[
            "log",
            "--weapon",
            "Shahed-136",
            "--component",
            "GNSS module",
            "--part-number",
            "QZX-M8N",
            "--manufacturer",
            "Qzxlabs",
            "--manufacturer-country",
            "CH",
        ],
    );
    let hits = |args: &[&str]| -> usize {
        let mut all = vec!["search", "qzx", "--format", "json"];
        all.extend(args);
        serde_json::from_str::<serde_json::Value>(&at(&env, "2026-01-03T10:00:00Z", &all))
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    assert!(hits(&[]) >= 2, "today the part and the maker are found");
    assert_eq!(hits(&["--as-of", "2026-01-01"]), 0);
    assert!(hits(&["--as-of", "2026-01-02"]) >= 2);
    // a name logged on the first day is found as of that day
    let ti = serde_json::from_str::<serde_json::Value>(&at(
        &env,
        "2026-01-03T10:00:00Z",
        &[
            "search",
            "Texas",
            "--format",
            "json",
            "--as-of",
            "2026-01-01",
        ],
    ))
    .unwrap();
    assert!(!ti.as_array().unwrap().is_empty());
}
