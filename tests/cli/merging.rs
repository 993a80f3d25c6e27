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
    env.ok(&["unmerge", merge_id]);
    assert_eq!(env.ok(&["parts", "--format", "csv"]), before_parts);
    assert_eq!(makers(&env), before_makers);
    env.ok(&["check"]);
    assert!(env.fails(&["unmerge", merge_id]).contains("already undone"));
    // the log only grows: the merge, its judgements, and the undo are all still there
    assert_eq!(env.count("SELECT count(*) FROM merge_batch"), 2);
    assert_eq!(env.count("SELECT count(*) FROM judgement"), 2);
}

#[test]
fn distinct_keeps_pairs_apart_until_an_explicit_override() {
    let env = catalogue();
    env.ok(&[
        "distinct",
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
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
    ]);
    assert!(err.contains("judged different"), "{err}");
    assert_eq!(env.fingerprint(), before);
    env.ok(&[
        "merge",
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
    env.ok(&["dedup", "--apply", "--yes", "--min-score", "0.9"]);
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
