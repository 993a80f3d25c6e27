//! Classification (issue 18): HS codes and ECCNs stated on import and by `classify`, kept
//! apart when they disagree, checked with file:line on import, and carried by export.

use crate::util::Env;

const HEADER: &str = "weapon,component,part_number,manufacturer,hs_code,eccn";

fn csv(rows: &[&str]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

#[test]
fn a_malformed_hs_code_is_refused_with_its_line_and_column_and_nothing_is_imported() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        csv(&[
            "Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,8542.31,",
            "Gerbera,Capacitor,T491,Kemet,8532,",
        ]),
    );
    let err = env.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("f.csv:3"), "{err}");
    assert!(err.contains("hs_code"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    let bad_eccn = env.write(
        "g.csv",
        csv(&["Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,854231,9Z999"]),
    );
    let err = env.fails(&["import", bad_eccn.to_str().unwrap()]);
    assert!(err.contains("g.csv:2") && err.contains("eccn"), "{err}");
}

#[test]
fn stated_codes_are_kept_as_digits_and_exported_as_stated() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        csv(&["Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,8542.31.00,3a991.a"]),
    );
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE stated_hs_code = '85423100' AND stated_eccn = '3A991.a'"),
        1
    );
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    let findings = std::fs::read_to_string(dir.join("findings.csv")).unwrap();
    let mut lines = findings.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((at("hs_code"), at("eccn")), ("85423100", "3A991.a"));
    // and the export imports back into another catalogue as the same finding
    let other = Env::with_catalogue();
    other.ok(&["import", dir.join("findings.csv").to_str().unwrap()]);
    assert_eq!(
        other.count("SELECT count(*) FROM observation WHERE stated_hs_code = '85423100'"),
        1
    );
}

#[test]
fn classify_appends_and_keeps_statements_that_disagree() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        csv(&["Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,854231,"]),
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let out = env.ok(&[
        "classify",
        "STM32F405RGT6",
        "--hs",
        "8542.39",
        "--source",
        "https://example.org/ruling",
        "--investigator",
        "analyst",
    ]);
    assert!(
        out.contains("854239") && out.contains("854231"),
        "both statements are listed: {out}"
    );
    assert_eq!(env.count("SELECT count(*) FROM classification"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE stated_hs_code = '854231'"),
        1,
        "the finding's own statement is never overwritten"
    );
    // nothing stated, no source, a malformed code: refused, nothing recorded
    let err = env.fails(&[
        "classify",
        "STM32F405RGT6",
        "--source",
        "x",
        "--investigator",
        "a",
    ]);
    assert!(err.contains("--hs"), "{err}");
    let err = env.fails(&[
        "classify",
        "STM32F405RGT6",
        "--hs",
        "85",
        "--source",
        "x",
        "--investigator",
        "a",
    ]);
    assert!(err.contains("not an HS code"), "{err}");
    let err = env.fails(&[
        "classify",
        "no such part",
        "--hs",
        "854231",
        "--source",
        "x",
        "--investigator",
        "a",
    ]);
    assert!(err.contains("no part named"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM classification"), 1);
    env.ok(&["check"]); // the catalogue passes every integrity check
}

#[test]
fn tiers_filter_reports_and_a_tier_the_list_lacks_is_refused() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        csv(&[
            "Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,,",
            "Gerbera,Tantalum capacitor,T491A106,Kemet,,",
            "Gerbera,Servo drive,,,,",
            "Gerbera,Capacitor 330uF,,,853221,",
        ]),
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let json = env.json(&["report", "chpl", "--format", "json"]);
    let rows = json["tables"]["by tier"].as_array().unwrap();
    let row = |tier: &str| rows.iter().find(|r| r["tier"] == tier).unwrap();
    assert_eq!(row("1")["parts_inferred"], 1);
    assert_eq!(
        row("2")["parts"],
        2,
        "the tantalum capacitor inferred, the other stated"
    );
    assert_eq!(row("2")["parts_stated"], 1);
    assert_eq!(row("2")["parts_inferred"], 1);
    assert_eq!(
        row("unmapped")["observations"],
        1,
        "the servo drive is counted, not hidden"
    );
    assert!(json["basis"]["counted"]
        .as_str()
        .unwrap()
        .contains("PARTIAL"));
    let weapon = env.json(&[
        "report", "weapon", "Gerbera", "--tier", "2", "--format", "json",
    ]);
    assert_eq!(weapon["tables"]["components"].as_array().unwrap().len(), 2);
    let err = env.fails(&["report", "origin", "--tier", "3.A"]);
    assert!(err.contains("--chpl FILE"), "{err}");
    // the full list, loaded from a file, ranks by its own tiers and is not marked partial
    let full = env.write(
        "full.csv",
        "hs_code,tier,description,list_version,page\n854231,1,ICs,2024-02-23,p\n853221,3.A,caps,2024-02-23,p\n",
    );
    let json = env.json(&[
        "report",
        "chpl",
        "--chpl",
        full.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rows = json["tables"]["by tier"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["tier"] == "3.A" && r["parts"] == 2));
    assert!(!json["basis"]["counted"]
        .as_str()
        .unwrap()
        .contains("PARTIAL"));
}

#[test]
fn on_the_gur_catalogue_most_identified_findings_get_a_code() {
    let Some(gur) = crate::util::shared_file("data/gur-components.csv") else {
        return;
    };
    let env = Env::with_catalogue();
    env.ok(&["import", gur.to_str().unwrap()]);
    let json = env.json(&["report", "chpl", "--format", "json"]);
    let total = json["basis"]["totals"]["observations"].as_i64().unwrap();
    let unmapped = json["basis"]["totals"]["observations unmapped"]
        .as_i64()
        .unwrap();
    // GUR publishes most records as "unidentified part, record N": no text to classify
    let blank = env.count(
        "SELECT count(*) FROM observation WHERE component_text LIKE 'unidentified part, record%'",
    );
    let identified = total - blank;
    let share = (total - unmapped) as f64 / identified as f64;
    eprintln!(
        "GUR: {total} findings, {blank} with no text, {} mapped: {:.3} of the identified, {:.3} of all",
        total - unmapped,
        share,
        (total - unmapped) as f64 / total as f64
    );
    // measured 0.654, then 0.681 with the rules of the second round, 0.723 with the third
    // (2026-12-02); a floor, never to be lowered to pass
    assert!(share >= 0.72, "{share}");
}

#[test]
fn check_refuses_malformed_stated_codes_and_lists_statements_the_rules_disagree_with() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        csv(&[
            // stated as a DC/DC module though its family says microcontroller: for review
            "Gerbera,Microcontroller,STM32F405RGT6,STMicroelectronics,8504.40,",
            "Gerbera,Tantalum capacitor,T491,Kemet,8532.21,",
        ]),
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "a difference is no problem");
    let review = String::from_utf8_lossy(&out.stdout);
    assert!(
        review.contains("stated code differs from inference: part 'STM32F405RGT6': stated 8504.40 but the current rules infer 8542.31"),
        "{review}"
    );
    assert!(
        !review.contains("T491"),
        "the capacitor's statement agrees: {review}"
    );
    // codes the binary never writes, planted: chapter 99 is no HS chapter, 9Z999 no ECCN
    env.conn()
        .execute_batch(
            "UPDATE observation SET stated_hs_code = '990000' WHERE component_text = 'Tantalum capacitor';
             UPDATE observation SET stated_eccn = '9Z999' WHERE component_text = 'Microcontroller';",
        )
        .unwrap();
    let problems = env.check_problems();
    assert!(
        problems.contains("classification: finding")
            && problems.contains("'990000' is not an HS code"),
        "{problems}"
    );
    assert!(problems.contains("'9Z999' is not an ECCN"), "{problems}");
}
