//! A record stated twice is one finding: identical rows are counted once (two identical parts
//! in one unit are one row with a quantity), a file full of repeats is called out, and
//! catalogues written under the old rule have their identical findings listed by `check`.

use crate::util::Env;

const HEADER: &str =
    "weapon,component,part_number,manufacturer,manufacturer_country,quantity,source_url";

#[test]
fn identical_rows_are_one_finding_and_a_quantity_counts_parts() {
    let env = Env::with_catalogue();
    let f = env.write(
        "f.csv",
        format!(
            "{HEADER}\n\
             Shahed-136,MCU,STM32F405RGT6,ST,CH,,https://e.org/1\n\
             Shahed-136,MCU,STM32F405RGT6,ST,CH,,https://e.org/1\n\
             Shahed-136,MCU,STM32F405RGT6,ST,CH,1,https://e.org/1\n\
             Shahed-136,regulator,TPS54331,TI,US,2,https://e.org/2\n"
        ),
    );
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(summary.contains("2 new observations"), "{summary}");
    assert!(
        summary.contains("2 rows repeated an earlier row of this file (lines 3, 4)"),
        "{summary}"
    );
    assert!(
        summary.contains("faulty scrape"),
        "repeats past 1% of the file are called out: {summary}"
    );
    assert_eq!(env.count("SELECT count(*) FROM observation"), 2);
    assert_eq!(env.count("SELECT sum(quantity) FROM observation"), 3);
    // the same file again: everything is already present, and no warning
    let again = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(
        again.contains("0 new observations (4 already in the catalogue)"),
        "{again}"
    );
    assert!(
        !again.contains("faulty scrape"),
        "rows already present raise no warning: {again}"
    );
    let bad = env.write("bad.csv", format!("{HEADER}\nShahed-136,MCU,X1,ST,CH,0,\n"));
    let err = env.fails(&["import", bad.to_str().unwrap()]);
    assert!(
        err.contains("bad.csv:2") && err.contains("quantity"),
        "{err}"
    );
}

#[test]
fn a_file_that_repeats_one_row_many_times_is_called_a_faulty_scrape() {
    let env = Env::with_catalogue();
    let mut csv = format!("{HEADER}\n");
    for i in 0..100 {
        csv += &format!("Kh-101,chip,P{i},Maker,US,,https://e.org/{i}\n");
    }
    for _ in 0..12 {
        csv += "Kh-101,chip,P7,Maker,US,,https://e.org/7\n";
    }
    let f = env.write("scrape.csv", csv);
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(summary.contains("100 new observations"), "{summary}");
    assert!(summary.contains("is stated 13 times"), "{summary}");
    assert!(
        summary.contains("looks like a faulty scrape or export"),
        "{summary}"
    );
}

#[test]
fn check_lists_findings_an_old_catalogue_counted_twice() {
    let env = Env::with_catalogue();
    let f = env.write(
        "f.csv",
        format!("{HEADER}\nShahed-136,MCU,STM32F405RGT6,ST,CH,,https://e.org/1\nShahed-136,DSP,TMS320,TI,US,,https://e.org/2\n"),
    );
    env.ok(&["import", f.to_str().unwrap()]);
    let out = env.ok(&["check"]);
    assert!(!out.contains("identical findings"), "{out}");
    // what versions before 7 wrote for a repeated row: a second observation, its own
    // fingerprint, the same source
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "INSERT INTO observation (uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id,
             unit_id, component_text, logged_at, fingerprint, stated_part_number, manufacturer_country, quantity)
         SELECT '01900000-0000-7000-8000-000000000001', part_spelling_id, organisation_spelling_id,
             weapon_spelling_id, unit_id, component_text, logged_at, randomblob(16), stated_part_number,
             manufacturer_country, quantity
         FROM observation WHERE stated_part_number = 'STM32F405RGT6';
         INSERT INTO observation_source (observation_id, source_id)
         SELECT (SELECT id FROM observation WHERE uid = '01900000-0000-7000-8000-000000000001'), source_id
         FROM observation_source WHERE observation_id = (SELECT min(id) FROM observation);",
    )
    .unwrap();
    drop(conn);
    let out = env.ok(&["check"]);
    let groups: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("identical findings:"))
        .collect();
    assert_eq!(groups.len(), 1, "{out}");
    assert!(
        groups[0].ends_with("01900000-0000-7000-8000-000000000001"),
        "{out}"
    );
    assert_eq!(groups[0].split_whitespace().count(), 4, "two uids: {out}");
}
