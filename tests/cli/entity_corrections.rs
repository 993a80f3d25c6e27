//! Entity corrections (issue 16): `correct` changes a fact about an entity itself (a maker's
//! country, a weapon model's origin and type, a part's category), records the value before
//! with who, when and why, shows in `history`, is undone by `--as-of` a day before, and
//! `check` replays the log against each entity.

use crate::util::Env;

/// Findings whose makers' countries the rows do not state, so reports read the maker's own.
const FINDINGS: &str =
    "weapon,weapon_origin_country,component,part_number,category,manufacturer,source_url
Shahed-136,IR,flight controller,STM32F405RGT6,,Acme Semiconductor,https://example.org/a
Shahed-136,IR,op amp,LM358,,Acme Semiconductor,https://example.org/a
Shahed-136,IR,op amp,LM358,,Bolt Analog,https://example.org/b
Orlan-10,RU,camera,EOS-1,,Canon,https://example.org/c
";

/// A catalogue with FINDINGS imported at `now`.
fn catalogue(now: &str) -> Env {
    let env = Env::with_catalogue();
    let file = env.write("findings.csv", FINDINGS);
    at(&env, now, &["import", file.to_str().unwrap()]);
    env
}

/// Runs a command that must succeed with the clock at `now` and ann as the author; stdout.
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

/// Runs a command that must succeed, with ann as the author; stdout.
fn ok(env: &Env, args: &[&str]) -> String {
    let out = env
        .cmd()
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

/// Runs a command that must fail with exit code 1, with ann as the author; stderr.
fn fails(env: &Env, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COMPTRACE_INVESTIGATOR", "ann")
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The origin report's countries table, as (country, parts) pairs.
fn origin_countries(env: &Env, extra: &[&str]) -> Vec<(String, i64)> {
    let mut args = vec!["report", "origin", "--format", "json"];
    args.extend(extra);
    env.json(&args)["tables"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["country"].as_str().unwrap_or("").to_string(),
                r["parts"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn country_of(env: &Env, maker: &str) -> Option<String> {
    env.conn()
        .query_row(
            "SELECT country FROM organisation WHERE name = ?1",
            [maker],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_corrected_makers_country_moves_its_parts_in_the_report_and_history_lists_each_correction() {
    let env = catalogue("2026-01-01T10:00:00Z");
    let before = origin_countries(&env, &[]);
    assert!(
        !before.iter().any(|(c, _)| c == "TW" || c == "KR"),
        "{before:?}"
    );

    // by another spelling of the maker's name: names resolve as every command resolves them
    let first = at(
        &env,
        "2026-01-01T11:00:00Z",
        &[
            "correct",
            "manufacturer",
            "ACME SEMICONDUCTOR",
            "--country",
            "Taiwan",
            "--reason",
            "registered in Hsinchu",
            "--source",
            "https://example.org/registry",
        ],
    );
    assert_eq!(first.trim().len(), 36, "the entry's uid: {first}");
    assert_eq!(
        country_of(&env, "Acme Semiconductor").as_deref(),
        Some("TW")
    );
    let after = origin_countries(&env, &[]);
    // both Acme parts now count for Taiwan
    assert!(after.contains(&("TW".to_string(), 2)), "{after:?}");
    let listed = ok(&env, &["manufacturers", "--format", "csv"]);
    assert!(
        listed
            .lines()
            .any(|l| l.contains("Acme Semiconductor") && l.contains(",TW,")),
        "{listed}"
    );

    // a second correction starts from the first one's value
    at(
        &env,
        "2026-01-02T09:00:00Z",
        &[
            "correct",
            "manufacturer",
            "Acme Semiconductor",
            "--country",
            "KR",
            "--reason",
            "the registry entry was a subsidiary",
            "--investigator",
            "bob",
        ],
    );
    assert!(origin_countries(&env, &[]).contains(&("KR".to_string(), 2)));

    let history = env.json(&["history", "--since", "2026-01-01", "--format", "json"]);
    let corrections: Vec<&serde_json::Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "correct organisation")
        .collect();
    assert_eq!(corrections.len(), 2, "{history:#}");
    assert_eq!(corrections[0]["author"], "ann");
    assert_eq!(corrections[0]["reason"], "registered in Hsinchu");
    assert_eq!(
        corrections[0]["detail"],
        "organisation Acme Semiconductor: country: (none) -> TW evidence https://example.org/registry"
    );
    assert_eq!(corrections[0]["uid"], first.trim());
    assert_eq!(corrections[1]["author"], "bob");
    assert_eq!(
        corrections[1]["detail"],
        "organisation Acme Semiconductor: country: TW -> KR"
    );
    // --since leaves out what came before it
    let later = env.json(&["history", "--since", "2026-01-02", "--format", "json"]);
    assert_eq!(
        later
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == "correct organisation")
            .count(),
        1
    );

    // a finding of that maker shows the corrections of its maker in its own history
    let finding: String = env
        .conn()
        .query_row(
            "SELECT o.uid FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
              WHERE ps.text = 'STM32F405RGT6'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let own = ok(&env, &["history", &finding, "--format", "csv"]);
    assert_eq!(own.matches("correct organisation").count(), 2, "{own}");
    // and a finding of another maker does not
    let canon: String = env
        .conn()
        .query_row(
            "SELECT o.uid FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
              WHERE ps.text = 'EOS-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!env
        .ok(&["history", &canon, "--format", "csv"])
        .contains("correct organisation"));
    ok(&env, &["check"]);
}

#[test]
fn a_report_as_of_a_day_before_a_correction_is_the_same_bytes_after_it() {
    let env = catalogue("2026-01-01T10:00:00Z");
    at(
        &env,
        "2026-01-01T12:00:00Z",
        &[
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "JP",
            "--reason",
            "Tokyo",
        ],
    );
    let asked: Vec<Vec<&str>> = vec![
        vec!["report", "origin", "--format", "json"],
        vec!["report", "weapon", "Orlan-10", "--format", "md"],
        vec!["manufacturers", "--format", "csv"],
        vec!["weapons", "--format", "csv"],
        vec!["parts", "--format", "csv"],
    ];
    let as_of = |now: &str, day: &str| -> Vec<String> {
        asked
            .iter()
            .map(|a| {
                let mut args = a.clone();
                args.extend(["--as-of", day]);
                at(&env, now, &args)
            })
            .collect()
    };
    let yesterday = as_of("2026-01-02T08:00:00Z", "2026-01-01");
    assert!(yesterday[2].contains(",JP,"), "{}", yesterday[2]);

    // today: the maker's country, the weapon's origin and type, a part's category corrected
    for args in [
        vec![
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "NL",
            "--reason",
            "test value",
        ],
        vec![
            "correct",
            "weapon",
            "Orlan-10",
            "--origin-country",
            "BY",
            "--type",
            "UAV",
            "--reason",
            "test value",
        ],
        vec![
            "correct",
            "part",
            "EOS-1",
            "--category",
            "camera",
            "--reason",
            "test value",
        ],
    ] {
        at(&env, "2026-01-02T09:00:00Z", &args);
    }
    let again = as_of("2026-01-02T10:00:00Z", "2026-01-01");
    for (i, (then, now)) in yesterday.iter().zip(&again).enumerate() {
        assert_eq!(then, now, "{:?} as of yesterday changed", asked[i]);
    }
    // and as of today (or with no --as-of) the corrected values show
    let today = as_of("2026-01-02T10:00:00Z", "2026-01-02");
    assert_ne!(today[0], yesterday[0]);
    assert!(
        today[2].contains(",NL,") && !today[2].contains(",JP,"),
        "{}",
        today[2]
    );
    assert!(today[3].contains("Orlan-10,BY,UAV"), "{}", today[3]);
    assert!(!yesterday[3].contains("Orlan-10,BY"), "{}", yesterday[3]);
    assert!(origin_countries(&env, &[]).contains(&("NL".to_string(), 1)));
    assert!(origin_countries(&env, &["--as-of", "2026-01-01"]).contains(&("JP".to_string(), 1)));
    // as of a day before the first correction: the value before it (none)
    let before_any = at(
        &env,
        "2026-01-02T10:00:00Z",
        &["manufacturers", "--format", "csv", "--as-of", "2025-12-31"],
    );
    assert!(!before_any.contains("Canon"), "entered later: {before_any}");
    ok(&env, &["check"]);
}

#[test]
fn check_finds_a_country_edited_outside_correct() {
    let env = catalogue("2026-01-01T10:00:00Z");
    ok(
        &env,
        &[
            "correct",
            "manufacturer",
            "Bolt Analog",
            "--country",
            "US",
            "--reason",
            "Delaware registry",
        ],
    );
    ok(&env, &["check"]);
    env.conn()
        .execute(
            "UPDATE organisation SET country = 'FR' WHERE name = 'Bolt Analog'",
            [],
        )
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains("organisation Bolt Analog")
            && problems.contains("has country FR but its corrections log says US"),
        "{problems}"
    );
    // a correction made after the edit starts from FR: check still sees the gap in the log
    ok(
        &env,
        &[
            "correct",
            "manufacturer",
            "Bolt Analog",
            "--country",
            "US",
            "--reason",
            "put back",
        ],
    );
    let problems = env.check_problems();
    assert!(
        problems.contains("from FR, but the entry before it left US"),
        "{problems}"
    );
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_would_change() {
    let env = catalogue("2026-01-01T10:00:00Z");
    let before = env.fingerprint();
    let out = env
        .cmd()
        .env("COMPTRACE_INVESTIGATOR", "ann")
        .args([
            "correct",
            "weapon",
            "Shahed-136",
            "--type",
            "UAV",
            "--origin-country",
            "RU",
            "--reason",
            "assembled at Alabuga",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("dry run: would correct weapon Shahed-136")
            && said.contains("origin-country IR -> RU")
            && said.contains("type (none) -> UAV"),
        "{said}"
    );
    assert_eq!(env.fingerprint(), before);
    assert_eq!(env.count("SELECT count(*) FROM entity_revision"), 0);
}

#[test]
fn a_name_of_several_entities_an_unknown_country_and_no_change_are_refused() {
    let env = catalogue("2026-01-01T10:00:00Z");
    let before = env.fingerprint();
    // LM358 is a part of two makers
    let err = fails(
        &env,
        &[
            "correct",
            "part",
            "LM358",
            "--category",
            "op amp",
            "--reason",
            "r",
        ],
    );
    assert!(
        err.contains("'LM358' names 2 parts")
            && err.contains("Acme Semiconductor")
            && err.contains("Bolt Analog"),
        "{err}"
    );
    let err = fails(
        &env,
        &[
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "Atlantis",
            "--reason",
            "r",
        ],
    );
    assert!(
        err.contains("--country: unknown country 'Atlantis'"),
        "{err}"
    );
    let err = fails(
        &env,
        &[
            "correct",
            "weapon",
            "Orlan-10",
            "--origin-country",
            "XX",
            "--reason",
            "r",
        ],
    );
    assert!(
        err.contains("--origin-country: unknown country 'XX'"),
        "{err}"
    );
    let err = fails(
        &env,
        &[
            "correct",
            "weapon",
            "Orlan-10",
            "--origin-country",
            "Russia",
            "--reason",
            "r",
        ],
    );
    assert!(err.contains("already has these values"), "{err}");
    let err = fails(
        &env,
        &[
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "JP",
            "--reason",
            " ",
        ],
    );
    assert!(err.contains("--reason: empty"), "{err}");
    let err = env
        .cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("COMPTRACE_INVESTIGATOR")
        .args([
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "JP",
            "--reason",
            "r",
        ])
        .output()
        .unwrap();
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("no investigator"));
    assert_eq!(env.fingerprint(), before, "nothing was written");
    // with the maker named, the part is one
    ok(
        &env,
        &[
            "correct",
            "part",
            "LM358",
            "--manufacturer",
            "Bolt Analog",
            "--category",
            "op amp",
            "--reason",
            "datasheet",
        ],
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM part p JOIN organisation m ON m.id = p.manufacturer_id
              WHERE p.category = 'op amp' AND m.name = 'Bolt Analog'"
        ),
        1
    );
}

#[test]
fn amend_of_a_weapon_models_fact_points_at_correct_weapon() {
    let env = catalogue("2026-01-01T10:00:00Z");
    let uid: String = env
        .conn()
        .query_row("SELECT uid FROM observation LIMIT 1", [], |r| r.get(0))
        .unwrap();
    for (flag, hint) in [
        (
            "--weapon-origin-country",
            "correct weapon NAME --origin-country",
        ),
        ("--weapon-type", "correct weapon NAME --type"),
    ] {
        let err = fails(&env, &["amend", &uid, flag, "RU", "--reason", "r"]);
        assert!(err.contains(hint), "{err}");
    }
}

#[test]
fn a_correction_through_a_merged_name_applies_to_the_survivor_and_an_unmerge_keeps_the_log() {
    let env = catalogue("2026-01-01T10:00:00Z");
    let merge = ok(
        &env,
        &[
            "merge",
            "--kind",
            "manufacturer",
            "Acme Semiconductor",
            "Bolt Analog",
            "--note",
            "one company",
        ],
    );
    ok(
        &env,
        &[
            "correct",
            "manufacturer",
            "Bolt Analog",
            "--country",
            "TW",
            "--reason",
            "r",
        ],
    );
    assert_eq!(
        country_of(&env, "Acme Semiconductor").as_deref(),
        Some("TW")
    );
    assert_eq!(country_of(&env, "Bolt Analog"), None);
    let merge = merge.split_whitespace().next().expect("the merge's uid");
    ok(&env, &["unmerge", merge, "--note", "two after all"]);
    assert_eq!(env.count("SELECT count(*) FROM entity_revision"), 1);
    assert_eq!(
        country_of(&env, "Acme Semiconductor").as_deref(),
        Some("TW")
    );
    ok(&env, &["check"]);
}

/// Our catalogue with FINDINGS, and theirs: a copy of it (so they share every stable id).
fn ours_and_theirs() -> (Env, Env) {
    let ours = catalogue("2026-01-01T10:00:00Z");
    let theirs = Env::new();
    ours.ok(&["backup", theirs.db.to_str().unwrap()]);
    (ours, theirs)
}

fn uid_of(env: &Env, table: &str, name: &str) -> String {
    env.conn()
        .query_row(
            &format!("SELECT uid FROM {table} WHERE name = ?1"),
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn another_catalogues_entity_correction_is_a_proposal_applied_only_when_accepted() {
    let (ours, theirs) = ours_and_theirs();
    ok(
        &theirs,
        &[
            "correct",
            "manufacturer",
            "Canon",
            "--country",
            "NL",
            "--reason",
            "test value",
            "--investigator",
            "tom",
        ],
    );
    let canon = uid_of(&ours, "organisation", "Canon");
    let listed = ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    let line = listed
        .lines()
        .find(|l| l.starts_with("correction,entity correction,"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        line.contains(&canon)
            && line.contains("organisation Canon: country: (none) here -> NL there")
            && line.contains("by tom"),
        "{line}"
    );
    assert_eq!(country_of(&ours, "Canon"), None, "offered only");
    assert_eq!(ours.count("SELECT count(*) FROM entity_revision"), 0);

    let listed = ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--accept-decisions",
            "--investigator",
            "bo",
            "--format",
            "csv",
        ],
    );
    assert!(
        listed.contains("correction applied,entity correction,"),
        "{listed}"
    );
    assert_eq!(country_of(&ours, "Canon").as_deref(), Some("NL"));
    let history = ours.json(&["history", "--since", "2000", "--format", "json"]);
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "correct organisation")
        .unwrap_or_else(|| panic!("{history:#}"));
    assert_eq!(entry["author"], "bo");
    assert!(
        entry["reason"].as_str().unwrap().contains("accepted from")
            && entry["reason"].as_str().unwrap().contains("by tom"),
        "{entry}"
    );
    ours.ok(&["check"]);
    // accepted once, nothing more is offered
    let again = ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    assert!(!again.contains("entity correction"), "{again}");
}

#[test]
fn two_catalogues_that_corrected_one_fact_each_their_own_way_are_reported_and_never_chosen_between()
{
    let (ours, theirs) = ours_and_theirs();
    ok(
        &theirs,
        &[
            "correct",
            "weapon",
            "Orlan-10",
            "--origin-country",
            "BY",
            "--reason",
            "test value",
        ],
    );
    ok(
        &ours,
        &[
            "correct",
            "weapon",
            "Orlan-10",
            "--origin-country",
            "KZ",
            "--reason",
            "test value",
        ],
    );
    let listed = ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--accept-decisions",
            "--format",
            "csv",
        ],
    );
    let line = listed
        .lines()
        .find(|l| l.contains("entity correction conflict"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        line.contains("not applied")
            && line.contains(&uid_of(&ours, "weapon", "Orlan-10"))
            && line.contains("KZ here -> BY there"),
        "{line}"
    );
    let origin: String = ours
        .conn()
        .query_row(
            "SELECT origin_country FROM weapon WHERE name = 'Orlan-10'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(origin, "KZ");
    assert_eq!(ours.count("SELECT count(*) FROM entity_revision"), 1);
    ours.ok(&["check"]);
}

#[test]
fn exports_carry_the_corrections_and_a_new_catalogue_takes_them_with_the_entities() {
    let theirs = catalogue("2026-01-01T10:00:00Z");
    ok(
        &theirs,
        &[
            "correct",
            "manufacturer",
            "Bolt Analog",
            "--country",
            "US",
            "--reason",
            "Delaware registry",
            "--source",
            "https://example.org/registry",
        ],
    );
    ok(
        &theirs,
        &[
            "correct",
            "part",
            "EOS-1",
            "--category",
            "camera",
            "--reason",
            "datasheet",
        ],
    );
    // JSON lines: one object per entry, naming the entity by uid
    let jsonl = theirs.ok(&["export", "--format", "jsonl"]);
    let entries: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "entity_revision")
        .collect();
    assert_eq!(entries.len(), 2, "{jsonl}");
    assert_eq!(
        entries[0]["entity"],
        uid_of(&theirs, "organisation", "Bolt Analog")
    );
    assert_eq!(entries[0]["field"], "country");
    assert_eq!(entries[0]["new_value"], "US");
    assert_eq!(entries[0]["evidence_url"], "https://example.org/registry");
    assert_eq!(entries[1]["entity_kind"], "part");
    // a CSV folder: entity_revisions.csv
    let folder = theirs.dir.path().join("out");
    theirs.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        folder.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(folder.join("entity_revisions.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("Bolt Analog,country,,US,"), "{csv}");
    // an export limited to another weapon leaves out what does not bear on it
    let orlan = theirs.ok(&["export", "--format", "jsonl", "--weapon", "Orlan-10"]);
    assert_eq!(orlan.matches("\"entity_revision\"").count(), 1, "{orlan}");

    // a catalogue that had none of these entities takes them from their findings, which do not
    // state the corrected facts: the corrections are offered, as any of theirs, never taken
    // silently
    let ours = Env::with_catalogue();
    let listed = ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        listed.matches("correction,entity correction,").count(),
        2,
        "{listed}"
    );
    assert_eq!(country_of(&ours, "Bolt Analog"), None);
    ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--accept-decisions",
        ],
    );
    assert_eq!(country_of(&ours, "Bolt Analog").as_deref(), Some("US"));
    assert_eq!(ours.count("SELECT count(*) FROM entity_revision"), 2);
    ours.ok(&["check"]);
    let history = ours.ok(&["history", "--since", "2000", "--format", "csv"]);
    assert!(history.contains("Delaware registry"), "{history}");
}
