use crate::util::{findings_csv, Env};

/// A catalogue with a maker under two spellings too different for its key to join them.
fn catalogue() -> Env {
    let env = Env::with_catalogue();
    let csv = findings_csv(&[
        "Shahed-136,IR,regulator,TPS54331,power,Texas Instruments,US,,,,,,,,https://e.org/1,,,,",
        "Shahed-136,IR,DSP,TMS320F28335,DSP,Texas Instruyments,US,,,,,,,,https://e.org/2,,,,",
        "Kh-101,RU,MCU,STM32F405RGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://e.org/3,,,,",
        "Kh-101,RU,MCU,STM32F4O5RGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://e.org/4,,,,",
        "Kh-101,RU,memory,MT29F4G08,memory,Micron Technology,US,,,,,,,,https://e.org/5,,,,",
        "Kh-101,RU,MCU,ATSAMD21G18,microcontroller,Microchip Technology,US,,,,,,,,https://e.org/6,,,,",
    ]);
    let f = env.write("f.csv", csv);
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(
        summary.contains("2 new manufacturers look like others in the catalogue"),
        "{summary}"
    );
    env
}

fn makers(env: &Env) -> Vec<String> {
    let v = env.json(&["manufacturers", "--format", "json"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dedup_suggests_the_misspelt_maker_and_the_ocr_part_but_not_neighbours() {
    let env = catalogue();
    let out = env.json(&["dedup", "--format", "json"]);
    let rows = out.as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(
        names.iter().any(|n| n.starts_with("Texas Instruyments")),
        "{out}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("STM32F4O5RGT6")),
        "{out}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("Micron") || n.starts_with("Microchip")),
        "{out}"
    );
    assert!(
        rows.iter()
            .all(|r| r["reason"].as_str().is_some_and(|s| !s.is_empty())),
        "every member says why"
    );
}

#[test]
fn merge_then_unmerge_restores_the_catalogue_exactly() {
    let env = catalogue();
    let before_parts = env.ok(&["parts", "--format", "csv"]);
    let before_makers = makers(&env);
    let merge_id = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
        "--note",
        "typo",
    ]);
    let merge_id = merge_id.trim();
    assert_eq!(makers(&env).len(), before_makers.len() - 1);
    let ti = env.json(&[
        "show",
        "manufacturer",
        "texas instruyments",
        "--format",
        "json",
    ]);
    assert_eq!(ti["name"], "Texas Instruments");
    let spellings: Vec<&str> = ti["spellings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        spellings.contains(&"Texas Instruyments"),
        "every spelling is kept as an alias: {spellings:?}"
    );
    assert_eq!(ti["parts"].as_array().unwrap().len(), 2);
    env.ok(&["check"]);
    let log = env.json(&["merges", "--format", "json"]);
    assert_eq!(log[0]["uid"], merge_id);
    assert_eq!(log[0]["note"], "typo");
    env.ok(&["unmerge", "--investigator", "analyst", merge_id]);
    assert_eq!(env.ok(&["parts", "--format", "csv"]), before_parts);
    assert_eq!(makers(&env), before_makers);
    env.ok(&["check"]);
    assert!(env
        .fails(&["unmerge", "--investigator", "analyst", merge_id])
        .contains("already undone"));
    // the log only grows: the merge, its judgements, and the undo are all still there
    assert_eq!(env.count("SELECT count(*) FROM merge_batch"), 2);
    assert_eq!(env.count("SELECT count(*) FROM judgement"), 2);
}

#[test]
fn distinct_keeps_pairs_apart_until_an_explicit_override() {
    let env = catalogue();
    env.ok(&[
        "distinct",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
        "--note",
        "checked",
    ]);
    let out = env.json(&["dedup", "--kind", "manufacturer", "--format", "json"]);
    assert!(out.as_array().unwrap().is_empty(), "{out}");
    let before = env.fingerprint();
    let err = env.fails(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
    ]);
    assert!(err.contains("judged different"), "{err}");
    assert_eq!(env.fingerprint(), before);
    env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
        "--override",
        "same company, typo in source",
    ]);
    assert!(!makers(&env).contains(&"Texas Instruyments".to_string()));
    env.ok(&["check"]);
}

#[test]
fn dedup_apply_is_a_dry_run_until_yes() {
    let env = catalogue();
    let before = env.fingerprint();
    let err = env.ok_stderr(&["dedup", "--apply"]);
    assert!(err.contains("dry run"), "{err}");
    assert_eq!(env.fingerprint(), before);
    env.ok(&[
        "dedup",
        "--apply",
        "--yes",
        "--min-score",
        "0.9",
        "--investigator",
        "analyst",
    ]);
    assert!(!makers(&env).contains(&"Texas Instruyments".to_string()));
    let parts = env.json(&[
        "parts",
        "--manufacturer",
        "STMicroelectronics",
        "--format",
        "json",
    ]);
    assert_eq!(
        parts.as_array().unwrap().len(),
        1,
        "the OCR misreading joined its part: {parts}"
    );
    assert_eq!(parts[0]["observations"], 2);
    env.ok(&["check"]);
    let again = env.json(&["dedup", "--min-score", "0.9", "--format", "json"]);
    assert!(again.as_array().unwrap().is_empty(), "{again}");
}

#[test]
fn check_reports_a_derived_state_that_disagrees_with_the_log() {
    let env = catalogue();
    env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
    ]);
    env.conn()
        .execute(
            "UPDATE organisation_spelling SET organisation_id = origin_organisation_id",
            [],
        )
        .unwrap();
    let text = env.check_problems();
    assert!(text.contains("organisation_spelling"), "{text}");
}

#[test]
fn check_reports_a_part_spelling_on_another_part_than_its_origin_gives() {
    let env = catalogue();
    env.ok(&["check"]);
    // no merge joined the OCR misreading to its part; the column says otherwise
    let changed = env
        .conn()
        .execute(
            "UPDATE part_spelling SET part_id =
               (SELECT part_id FROM part_spelling WHERE text = 'STM32F405RGT6')
             WHERE text = 'STM32F4O5RGT6'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let id = env.count("SELECT id FROM part_spelling WHERE text = 'STM32F4O5RGT6'");
    let problems = env.check_problems();
    assert!(
        problems.contains(&format!("part_spelling {id}: part_id is"))
            && problems.contains("merge log give"),
        "{problems}"
    );
}

#[test]
fn check_reports_a_merged_into_the_judgement_log_does_not_say() {
    let env = catalogue();
    env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
    ]);
    env.ok(&["check"]);
    let absorbed = env.count("SELECT id FROM organisation WHERE merged_into IS NOT NULL");
    let root = env.count("SELECT merged_into FROM organisation WHERE merged_into IS NOT NULL");
    // the merge is in the log, but its maker is no longer marked absorbed
    env.conn()
        .execute("UPDATE organisation SET merged_into = NULL", [])
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains(&format!(
            "organisation {absorbed}: merged_into is None but the merge log says Some({root})"
        )),
        "{problems}"
    );
    env.conn()
        .execute(
            "UPDATE organisation SET merged_into = ?1 WHERE id = ?2",
            [root, absorbed],
        )
        .unwrap();
    env.ok(&["check"]);
    // a maker marked absorbed into another without any judgement saying so
    let micron = env.count("SELECT id FROM organisation WHERE name = 'Micron Technology'");
    let microchip = env.count("SELECT id FROM organisation WHERE name = 'Microchip Technology'");
    env.conn()
        .execute(
            "UPDATE organisation SET merged_into = ?1 WHERE id = ?2",
            [microchip, micron],
        )
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains(&format!(
            "organisation {micron}: merged_into is Some({microchip}) but the merge log says None"
        )),
        "{problems}"
    );
}

#[test]
fn new_spellings_that_match_by_alias_join_on_import() {
    let env = Env::with_catalogue();
    let csv = findings_csv(&[
        "Shahed-136,IR,regulator,TPS54331,power,Texas Instruments,US,,,,,,,,https://e.org/1,,,,",
        "Geran-2,RU,regulator,TPS54331/TR,power,TI,US,,,,,,,,https://e.org/2,,,,",
    ]);
    let f = env.write("f.csv", csv);
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(
        summary.contains("new: 1 parts, 1 manufacturers, 1 weapons"),
        "{summary}"
    );
    let w = env.json(&["show", "weapon", "Shahed-136", "--format", "json"]);
    assert_eq!(
        w["observations"], 2,
        "Geran-2 is the Shahed-136 by the designation list"
    );
}

/// Records one finding with `log`: a part by its number, its maker, and the recovered unit by its
/// serial (all found on one day, so a serial under one weapon name is one unit).
fn log_finding(env: &Env, weapon: &str, part: &str, maker: &str, serial: &str) {
    env.ok(&[
        "log",
        "--weapon",
        weapon,
        "--part-number",
        part,
        "--manufacturer",
        maker,
        "--unit-serial",
        serial,
        "--found-on",
        "2023-05-01",
    ]);
}

/// The model a weapon name resolves to, and its units as (serial, observations), by serial.
fn weapon_units(env: &Env, name: &str) -> (String, Vec<(String, i64)>) {
    let w = env.json(&["show", "weapon", name, "--format", "json"]);
    let mut units: Vec<(String, i64)> = w["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["serial"].as_str().unwrap().to_string(),
                u["observations"].as_i64().unwrap(),
            )
        })
        .collect();
    units.sort();
    (w["name"].as_str().unwrap().to_string(), units)
}

/// The part numbers of the maker a name resolves to, sorted.
fn parts_of(env: &Env, maker: &str) -> Vec<String> {
    let m = env.json(&["show", "manufacturer", maker, "--format", "json"]);
    let mut parts: Vec<String> = m["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["part_number"].as_str().unwrap().to_string())
        .collect();
    parts.sort();
    parts
}

/// The maker the parts listing gives for a part number (one part of that number here).
fn maker_of(env: &Env, part_number: &str) -> String {
    let parts = env.json(&["parts", "--format", "json"]);
    let found: Vec<&serde_json::Value> = parts
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["part_number"] == part_number)
        .collect();
    assert_eq!(found.len(), 1, "{part_number} in {parts}");
    found[0]["manufacturer"].as_str().unwrap().to_string()
}

fn units(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

#[test]
fn a_weapon_merge_moves_its_units_and_unmerge_gives_them_back() {
    let env = Env::with_catalogue();
    log_finding(&env, "Falcon-7", "TPS54331", "Texas Instruments", "F-101");
    log_finding(&env, "Falcon-7", "LM2596", "Texas Instruments", "F-102");
    log_finding(&env, "Kestrel-9", "NEO-M8N", "u-blox", "K-201");
    let before = env.ok(&["weapons", "--format", "csv"]);
    assert_eq!(
        env.json(&["weapons", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let merge = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "weapon",
        "Falcon-7",
        "Kestrel-9",
        "--into",
        "Kestrel-9",
    ]);
    let all = units(&[("F-101", 1), ("F-102", 1), ("K-201", 1)]);
    assert_eq!(
        weapon_units(&env, "Kestrel-9"),
        ("Kestrel-9".to_string(), all.clone())
    );
    assert_eq!(
        weapon_units(&env, "Falcon-7"),
        ("Kestrel-9".to_string(), all),
        "the absorbed name finds the root"
    );
    let listed = env.json(&["weapons", "--format", "json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["name"], "Kestrel-9");
    assert_eq!(listed[0]["units"], 3);
    assert_eq!(listed[0]["observations"], 3);
    assert_eq!(listed[0]["other_spellings"][0], "Falcon-7");
    env.ok(&["check"]);

    env.ok(&["unmerge", "--investigator", "analyst", merge.trim()]);
    assert_eq!(
        weapon_units(&env, "Falcon-7"),
        ("Falcon-7".to_string(), units(&[("F-101", 1), ("F-102", 1)]))
    );
    assert_eq!(
        weapon_units(&env, "Kestrel-9"),
        ("Kestrel-9".to_string(), units(&[("K-201", 1)]))
    );
    assert_eq!(env.ok(&["weapons", "--format", "csv"]), before);
    env.ok(&["check"]);
}

#[test]
fn chained_merges_gather_under_the_last_root_and_unmerge_separately() {
    let env = Env::with_catalogue();
    log_finding(&env, "Falcon-7", "AG-1", "Aldergrove Circuits", "F-1");
    log_finding(&env, "Falcon-7", "BF-2", "Brackenfield Microsystems", "F-2");
    log_finding(&env, "Falcon-7", "CM-3", "Corriemoor Electronics", "F-3");
    let before = env.ok(&["parts", "--format", "csv"]);
    let first = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Aldergrove Circuits",
        "Brackenfield Microsystems",
        "--into",
        "Brackenfield Microsystems",
    ]);
    let second = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Brackenfield Microsystems",
        "Corriemoor Electronics",
        "--into",
        "Corriemoor Electronics",
    ]);
    let three = vec!["AG-1", "BF-2", "CM-3"];
    for name in [
        "Aldergrove Circuits",
        "Brackenfield Microsystems",
        "Corriemoor Electronics",
    ] {
        let m = env.json(&["show", "manufacturer", name, "--format", "json"]);
        assert_eq!(
            m["name"], "Corriemoor Electronics",
            "{name} resolves to the last root"
        );
        assert_eq!(parts_of(&env, name), three, "{name}");
    }
    assert_eq!(makers(&env), ["Corriemoor Electronics"]);
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE merged_into IS NULL"),
        1
    );
    env.ok(&["check"]);

    // undoing the first merge takes Aldergrove out on its own; Brackenfield stays in Corriemoor
    env.ok(&["unmerge", "--investigator", "analyst", first.trim()]);
    assert_eq!(parts_of(&env, "Aldergrove Circuits"), ["AG-1"]);
    assert_eq!(
        parts_of(&env, "Brackenfield Microsystems"),
        ["BF-2", "CM-3"]
    );
    assert_eq!(parts_of(&env, "Corriemoor Electronics"), ["BF-2", "CM-3"]);
    assert_eq!(
        makers(&env),
        ["Aldergrove Circuits", "Corriemoor Electronics"]
    );
    let log = env.json(&["merges", "--format", "json"]);
    let undone: Vec<bool> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "merge")
        .map(|e| !e["undone_by"].is_null())
        .collect();
    assert_eq!(undone, [true, false], "{log}");
    env.ok(&["check"]);

    env.ok(&["unmerge", "--investigator", "analyst", second.trim()]);
    assert_eq!(env.ok(&["parts", "--format", "csv"]), before);
    env.ok(&["check"]);
}

/// A name that resolves to an absorbed maker during a merge still belongs to that maker: undoing
/// the merge takes the new spelling and its part with it (rows written during a live merge
/// once followed the root for good, since ingest resolved names through the merged columns).
#[test]
fn a_part_logged_during_a_merge_returns_to_its_own_maker_on_unmerge() {
    let env = Env::with_catalogue();
    log_finding(&env, "Falcon-7", "ZD-100", "Zeta Devices", "F-1");
    log_finding(&env, "Falcon-7", "OD-200", "Omega Devices", "F-2");
    let merge = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "manufacturer",
        "Zeta Devices",
        "Omega Devices",
        "--into",
        "Zeta Devices",
    ]);
    // written while the merge is live: "Omega Devices Inc." is Omega Devices by its key
    log_finding(&env, "Falcon-7", "OD-300", "Omega Devices Inc.", "F-3");
    assert_eq!(
        parts_of(&env, "Zeta Devices"),
        ["OD-200", "OD-300", "ZD-100"]
    );
    env.ok(&["check"]);

    env.ok(&["unmerge", "--investigator", "analyst", merge.trim()]);
    assert_eq!(
        maker_of(&env, "OD-300"),
        "Omega Devices",
        "logged as Omega Devices Inc. while Omega was merged into Zeta"
    );
    assert_eq!(maker_of(&env, "OD-200"), "Omega Devices");
    assert_eq!(maker_of(&env, "ZD-100"), "Zeta Devices");
    assert_eq!(parts_of(&env, "Omega Devices"), ["OD-200", "OD-300"]);
    assert_eq!(parts_of(&env, "Zeta Devices"), ["ZD-100"]);
    let omega = env.json(&[
        "show",
        "manufacturer",
        "Omega Devices Inc.",
        "--format",
        "json",
    ]);
    assert_eq!(
        omega["name"], "Omega Devices",
        "the spelling went back with its maker"
    );
    env.ok(&["check"]);
}

/// The same weapon text, serial and day found name one unit whether the model is merged or not.
/// (The unit's key was once made from the merged weapon, so a second unit was created.)
#[test]
fn a_unit_logged_before_and_after_a_weapon_merge_is_one_unit() {
    let env = Env::with_catalogue();
    log_finding(&env, "Falcon-7", "TPS54331", "Texas Instruments", "F-101");
    log_finding(&env, "Kestrel-9", "NEO-M8N", "u-blox", "K-201");
    let merge = env.ok(&[
        "merge",
        "--investigator",
        "analyst",
        "--kind",
        "weapon",
        "Falcon-7",
        "Kestrel-9",
        "--into",
        "Kestrel-9",
    ]);
    // the same unit (weapon as written, serial, day found), another part read off it
    log_finding(&env, "Falcon-7", "LM2596", "Texas Instruments", "F-101");
    assert_eq!(
        weapon_units(&env, "Kestrel-9"),
        (
            "Kestrel-9".to_string(),
            units(&[("F-101", 2), ("K-201", 1)])
        )
    );
    assert_eq!(env.count("SELECT count(*) FROM weapon_unit"), 2);
    env.ok(&["check"]);

    env.ok(&["unmerge", "--investigator", "analyst", merge.trim()]);
    assert_eq!(
        weapon_units(&env, "Falcon-7"),
        ("Falcon-7".to_string(), units(&[("F-101", 2)]))
    );
    assert_eq!(
        weapon_units(&env, "Kestrel-9"),
        ("Kestrel-9".to_string(), units(&[("K-201", 1)]))
    );
    env.ok(&["check"]);
}

#[test]
fn every_judgement_has_an_author_and_without_one_the_decision_is_refused() {
    let env = catalogue();
    let other = env.dir.path().join("other.db");
    std::fs::copy(&env.db, &other).unwrap();
    let other = other.to_str().unwrap();
    let before = env.fingerprint();
    // the harness clears the environment: no flag, no COMPTRACE_INVESTIGATOR, no USER or LOGNAME
    for args in [
        vec![
            "merge",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Texas Instruyments",
        ],
        vec![
            "distinct",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Texas Instruyments",
        ],
        vec!["unmerge", "1"],
        vec!["dedup", "--apply", "--yes"],
        vec!["import-catalogue", other, "--accept-decisions"],
        vec![
            "merge",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Texas Instruyments",
            "--investigator",
            " ",
        ],
    ] {
        let err = env.fails(&args);
        assert!(
            err.contains("no investigator to record this decision under: pass --investigator NAME or set COMPTRACE_INVESTIGATOR"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(env.fingerprint(), before, "nothing was changed");
    // without a write, nobody need be named
    env.ok(&["dedup", "--apply"]);
    env.ok(&["import-catalogue", other]);
    let merge = |vars: &[(&str, &str)], flag: Option<&str>| -> String {
        let mut cmd = env.cmd();
        cmd.args([
            "merge",
            "--kind",
            "manufacturer",
            "Texas Instruments",
            "Texas Instruyments",
        ]);
        if let Some(f) = flag {
            cmd.args(["--investigator", f]);
        }
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let uid = String::from_utf8(out.stdout).unwrap();
        env.ok(&["unmerge", "--investigator", "undo", uid.trim()]);
        env.conn()
            .query_row(
                "SELECT author FROM merge_batch WHERE uid = ?1",
                [uid.trim()],
                |r| r.get(0),
            )
            .unwrap()
    };
    let all = [
        ("COMPTRACE_INVESTIGATOR", "ci"),
        ("USER", "user"),
        ("LOGNAME", "logname"),
    ];
    assert_eq!(merge(&all, Some("flag")), "flag");
    assert_eq!(merge(&all, None), "ci");
    assert_eq!(merge(&all[1..], None), "user");
    assert_eq!(merge(&all[2..], None), "logname");
    assert_eq!(
        env.count("SELECT count(*) FROM judgement WHERE author IS NULL OR trim(author) = ''"),
        0
    );
}

/// Real-data precision of part suggestions (issue 14): a name with no code is a description,
/// suggested only within one known maker; a part of unknown maker never bridges two makers;
/// a slip in a model word is suggested with the spelling of the same maker.
#[test]
fn dedup_keeps_descriptions_to_one_maker_and_finds_a_slip_in_a_model_word() {
    let env = Env::with_catalogue();
    let row = |n: usize, component: &str, pn: &str, maker: &str, country: &str| {
        format!("Geran-2,RU,{component},{pn},,{maker},{country},,,,,,,,https://e.org/{n},,,,")
    };
    let rows = [
        row(1, "Servo drive", "", "GXSERVO", "CN"),
        row(2, "Servo drive", "", "Arwico", "CH"),
        row(3, "servo drive", "", "", ""),
        row(4, "Power elements", "", "", ""),
        row(5, "power elements", "", "Panasonic", "JP"),
        row(6, "camera", "A40 Pro", "Viewpro", "CN"),
        row(7, "camera", "A40 Prp", "Viewpro", "CN"),
        row(8, "regulator", "LM317", "Texas Instruments", "US"),
        row(9, "regulator", "LM317", "ON Semiconductor", "US"),
        row(10, "regulator", "LM317", "", ""),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = env.write("f.csv", findings_csv(&rows));
    env.ok(&["import", f.to_str().unwrap()]);
    let out = env.json(&["dedup", "--kind", "part", "--format", "json"]);
    let members = out.as_array().unwrap();
    let named = |prefix: &str| {
        members
            .iter()
            .filter(|r| {
                r["name"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .starts_with(prefix)
            })
            .map(|r| r["group"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(named("servo drive").is_empty(), "{out:#}");
    assert!(named("power elements").is_empty(), "{out:#}");
    assert!(
        named("lm317").is_empty(),
        "no bridge through LM317 of no maker: {out:#}"
    );
    let pro = named("a40 pro");
    let prp = named("a40 prp");
    assert!(
        pro.len() == 1 && pro == prp,
        "A40 Prp with A40 Pro: {out:#}"
    );
}
