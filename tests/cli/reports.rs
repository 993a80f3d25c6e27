//! Reports: golden files on the sample catalogue (regenerate with
//! `COMPTRACE_UPDATE_GOLDEN=1 cargo test reports`), figures recomputed with plain SQL, HTML
//! escaping, date codes and ownership grouping.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::util::{findings_csv, Env, SAMPLE};

fn sample() -> Env {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    env
}

/// The golden files name the reference data's digest by a placeholder: it changes with every
/// edit of data/*.csv, which the golden figures need not; revisions.rs checks that every
/// report states the digest the binary's data has.
fn golden(name: &str, actual: &str) {
    let actual = actual.replace(
        &comptrace::report::reference_data_sha256(),
        "<reference-data-sha256>",
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("COMPTRACE_UPDATE_GOLDEN").is_ok() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run COMPTRACE_UPDATE_GOLDEN=1 cargo test reports",
            path.display()
        )
    });
    assert!(expected == actual, "{name} differs from tests/golden/{name}; if the change is intended, run COMPTRACE_UPDATE_GOLDEN=1 cargo test reports\n--- actual ---\n{actual}");
}

#[test]
fn golden_reports_on_the_sample_catalogue() {
    let env = sample();
    golden("origin.txt", &env.ok(&["report", "origin"]));
    golden(
        "origin-production.md",
        &env.ok(&["report", "origin", "--by", "production", "--format", "md"]),
    );
    golden(
        "origin-shahed.csv",
        &env.ok(&["report", "origin", "--weapon", "Geran-2", "--format", "csv"]),
    );
    golden(
        "manufacturer-ti.md",
        &env.ok(&[
            "report",
            "manufacturer",
            "Texas Instruments",
            "--format",
            "md",
        ]),
    );
    golden(
        "weapon-gerbera.txt",
        &env.ok(&["report", "weapon", "Gerbera"]),
    );
    golden("date-codes.txt", &env.ok(&["report", "date-codes"]));
    golden("chpl.txt", &env.ok(&["report", "chpl"]));
    golden(
        "chpl-gerbera.md",
        &env.ok(&["report", "chpl", "--weapon", "Gerbera", "--format", "md"]),
    );
    golden(
        "date-codes-tier1.txt",
        &env.ok(&["report", "date-codes", "--tier", "1"]),
    );
    // the charts split by CHPL tier (issue 18)
    golden(
        "origin.html",
        &env.ok(&["report", "origin", "--format", "html"]),
    );
    golden(
        "weapon-kh101.html",
        &env.ok(&["report", "weapon", "Kh-101", "--format", "html"]),
    );
}

/// The segments a chart draws for one tier: the numbers in their tooltips.
fn tier_segments(html: &str, tier: &str) -> Vec<f64> {
    let marker = format!("<title>{tier}: ");
    html.split(&marker)
        .skip(1)
        .map(|rest| rest.split(['<', '%']).next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn origin_and_weapon_charts_split_their_bars_by_tier_as_their_tables_count() {
    let env = sample();
    // origin: each country's tier 1 segment is its tier_1 observations as a share of all
    let json = env.json(&["report", "origin", "--format", "json"]);
    let total = json["basis"]["totals"]["observations"].as_f64().unwrap();
    let mut expected: Vec<f64> = json["tables"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tier_1"].as_f64().unwrap())
        .filter(|n| *n > 0.0)
        .map(|n| (1000.0 * n / total).round() / 10.0)
        .collect();
    assert!(!expected.is_empty(), "the sample has tier 1 parts");
    let html = env.ok(&["report", "origin", "--format", "html"]);
    assert!(
        html.contains(">tier 1</text>") && html.contains(">not on a listed tier</text>"),
        "a legend"
    );
    let mut drawn = tier_segments(&html, "tier 1");
    expected.sort_by(f64::total_cmp);
    drawn.sort_by(f64::total_cmp);
    assert_eq!(drawn, expected);
    // weapon: the tier 1 segments add up to the bill's tier 1 lines
    let bill = env.json(&["report", "weapon", "Kh-101", "--format", "json"]);
    let tier1_lines = bill["tables"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["chpl_tier"] == "1")
        .count() as f64;
    assert!(tier1_lines > 0.0);
    let html = env.ok(&["report", "weapon", "Kh-101", "--format", "html"]);
    assert_eq!(
        tier_segments(&html, "tier 1").iter().sum::<f64>(),
        tier1_lines
    );
}

#[test]
fn every_format_states_the_basis() {
    let env = sample();
    let json = env.json(&["report", "origin", "--format", "json"]);
    assert_eq!(json["report"], "origin");
    assert_eq!(json["basis"]["totals"]["observations"], 114);
    assert_eq!(json["basis"]["filters"]["by"], "hq");
    assert_eq!(json["basis"]["generated_at"], "2026-01-01T00:00:00Z");
    assert!(json["basis"]["counted"]
        .as_str()
        .unwrap()
        .contains("headquarters"));
    for format in ["table", "md", "html"] {
        let out = env.ok(&["report", "origin", "--format", format]);
        assert!(out.contains("Basis: observations"), "{format}");
        assert!(out.contains("114 observations"), "{format}");
    }
    let unknown = json["tables"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"].is_null())
        .unwrap();
    assert_eq!(unknown["country_name"], "maker not identified");
    assert_eq!(
        unknown["observations"], 10,
        "the unknowns are a row of their own"
    );
}

#[test]
fn report_out_writes_a_file_and_html_is_self_contained() {
    let env = sample();
    let path = env.dir.path().join("origin.html");
    env.ok(&[
        "report",
        "origin",
        "--format",
        "html",
        "--out",
        path.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "a chart");
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("src=\"http") && !html.contains("<link"),
        "no network fetches"
    );
}

#[test]
fn catalogue_text_in_html_is_escaped() {
    let env = Env::with_catalogue();
    let csv = findings_csv(&[
        "<img src=x onerror=alert(2)>,RU,<script>alert(1)</script>,,other,\"Evil <b>Corp</b>\",US,,,,,,Pub & Co,\"Title \"\"quoted\"\"\",javascript:alert(3),,,,",
    ]);
    let f = env.write("xss.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    for args in [
        vec!["report", "origin", "--format", "html"],
        vec![
            "report",
            "weapon",
            "<img src=x onerror=alert(2)>",
            "--format",
            "html",
        ],
        vec![
            "report",
            "manufacturer",
            "Evil <b>Corp</b>",
            "--format",
            "html",
        ],
    ] {
        let html = env.ok(&args);
        assert!(!html.contains("<script>alert(1)"), "{args:?}");
        assert!(!html.contains("<img src=x"), "{args:?}");
        assert!(!html.contains("<b>Corp"), "{args:?}");
        assert!(!html.contains("href=\"javascript:"), "{args:?}");
    }
    let html = env.ok(&[
        "report",
        "weapon",
        "<img src=x onerror=alert(2)>",
        "--format",
        "html",
    ]);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
}

/// A deterministic catalogue of random findings (no Python needed). A finding states its maker's
/// headquarters country, which need not be the one the catalogue records for that maker (the
/// first one stated): a quarter of the findings with a maker state another country than its
/// usual one and an eighth state none, and half of those without a maker state a country all
/// the same, so counts that prefer the stated or the recorded country come out different.
fn generated(env: &Env, rows: usize) {
    let mut seed: u64 = 42;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let countries = ["US", "CN", "JP", "DE", "CH", "", "TW", "KR"];
    let mut lines = Vec::new();
    for i in 0..rows {
        let maker = next(40);
        let maker_name = if maker < 4 {
            String::new()
        } else {
            format!("Maker{maker} Corp")
        };
        let usual = countries[(maker % 8) as usize];
        let country = match (maker_name.is_empty(), next(8)) {
            // no maker: half state a country anyway ("a company in England")
            (true, k) if k < 4 => countries[next(8) as usize],
            (true, _) => "",
            // a maker stated with another country than its usual one
            (false, 0 | 1) => countries[((maker + 1 + next(6)) % 8) as usize],
            // a maker with no country stated: the catalogue's record counts
            (false, 2) => "",
            (false, _) => usual,
        };
        let production = if next(3) == 0 {
            ["MY", "PH", "CN"][next(3) as usize]
        } else {
            ""
        };
        lines.push(format!(
            "W{},RU,part,P{}X{},,{maker_name},{country},{production},,,2024-0{}-1{},,,,https://e.org/{i},,,,",
            next(5),
            next(300),
            maker,
            1 + next(9),
            next(9)
        ));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let f = env.write("gen.csv", findings_csv(&refs));
    env.ok(&["import", f.to_str().unwrap()]);
}

/// Observations and distinct parts per country, in plain SQL, with `country` as the country of
/// an observation `o` whose part is `p` and maker `m`.
fn counts_by(conn: &rusqlite::Connection, country: &str) -> HashMap<Option<String>, (i64, i64)> {
    let sql = format!(
        "SELECT {country}, count(*), count(DISTINCT p.id) FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         LEFT JOIN organisation m ON m.id = p.manufacturer_id GROUP BY 1"
    );
    conn.prepare(&sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The product's rule (docs/reports.md): the headquarters country stated with the finding,
/// else the one the catalogue records for the maker.
const HQ_AS_STATED: &str = "coalesce(o.manufacturer_country, m.country)";

#[test]
fn origin_shares_match_plain_sql() {
    let env = Env::with_catalogue();
    generated(&env, 3000);
    // the data must tell the two precedences apart, or the oracle could not catch a swap
    let disagree = env.count(
        "SELECT count(*) FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         JOIN organisation m ON m.id = p.manufacturer_id
         WHERE o.manufacturer_country <> m.country",
    );
    let stated_without_maker = env.count(
        "SELECT count(*) FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
         WHERE p.manufacturer_id IS NULL AND o.manufacturer_country IS NOT NULL",
    );
    assert!(
        disagree >= 600,
        "{disagree} findings disagree with their maker's record"
    );
    assert!(
        stated_without_maker >= 100,
        "{stated_without_maker} findings with a country and no maker"
    );
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    assert_ne!(
        counts_by(&conn, HQ_AS_STATED),
        counts_by(&conn, "coalesce(m.country, o.manufacturer_country)"),
        "the recorded-first precedence must count differently"
    );
    for by in ["hq", "production"] {
        let country = if by == "hq" {
            HQ_AS_STATED
        } else {
            "o.production_country"
        };
        let expected = counts_by(&conn, country);
        let json = env.json(&["report", "origin", "--by", by, "--format", "json"]);
        let total = json["basis"]["totals"]["observations"].as_i64().unwrap();
        assert_eq!(total, 3000);
        let mut seen: HashMap<Option<String>, (i64, i64)> = HashMap::new();
        for row in json["tables"]["countries"].as_array().unwrap() {
            let c = row["country"].as_str().map(str::to_string);
            let e = seen.entry(c).or_default();
            e.0 += row["observations"].as_i64().unwrap();
            e.1 += row["parts"].as_i64().unwrap();
            let share = row["share_of_observations"].as_f64().unwrap();
            let exact = 100.0 * row["observations"].as_f64().unwrap() / total as f64;
            assert!((share - exact).abs() <= 0.05, "{share} vs {exact}");
        }
        // the unknown rows (maker not identified / country unknown) together are the NULL group
        let mut expected_obs: Vec<_> = expected.iter().map(|(k, v)| (k.clone(), v.0)).collect();
        let mut seen_obs: Vec<_> = seen.iter().map(|(k, v)| (k.clone(), v.0)).collect();
        expected_obs.sort();
        seen_obs.sort();
        assert_eq!(seen_obs, expected_obs, "{by}");
        for (k, v) in &expected {
            if k.is_some() {
                assert_eq!(seen[k].1, v.1, "distinct parts of {k:?} by {by}");
            }
        }
    }
}

#[test]
fn date_codes_are_decoded_or_listed_as_undecoded() {
    let env = Env::with_catalogue();
    let csv = "weapon,part_number,manufacturer,manufacturer_country,date_code,found_on\n\
               Shahed-136,TPS54331,Texas Instruments,US,2214,2023-01-05\n\
               Shahed-136,TPS54331,Texas Instruments,US,2108,2023-01-06\n\
               Shahed-136,LM2596,Texas Instruments,US,2208,2023-01-07\n\
               Shahed-136,ADXL345,Analog Devices,US,314,2023-05-01\n\
               Shahed-136,ADXL345,Analog Devices,US,GH23Q,2023-05-02\n";
    let f = env.write("dc.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let json = env.json(&["report", "date-codes", "--format", "json"]);
    assert_eq!(json["basis"]["totals"]["after the cut-off"], 2);
    assert_eq!(
        json["basis"]["totals"]["undecoded"], 1,
        "GH23Q fits no form"
    );
    let undecoded = &json["tables"]["undecoded"][0];
    assert_eq!(undecoded["date_code"], "GH23Q");
    assert_eq!(undecoded["reason"], "not a YYWW, YY-WW, YYYYWW or YWW code");
    let after: Vec<&str> = json["tables"]["produced after the cut-off"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["produced"].as_str().unwrap())
        .collect();
    assert_eq!(
        after,
        ["2023-W14", "2022-W14"],
        "314 found in 2023 is week 14 of 2023"
    );
    let ti = json["tables"]["by manufacturer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["manufacturer"] == "Texas Instruments")
        .unwrap();
    assert_eq!(ti["cutoff_week"], 1, "week 8 of 2022 contains 24 February");
    assert_eq!(ti["before_cutoff"], 1);
}

#[test]
fn a_date_code_naming_a_week_its_year_lacks_is_undecoded_with_the_reason() {
    // 2022 has 52 ISO weeks, 2020 and 2015 have 53
    let env = Env::with_catalogue();
    let csv = "weapon,part_number,manufacturer,date_code,found_on\n\
               Shahed-136,TPS54331,Texas Instruments,2253,2023-01-05\n\
               Shahed-136,TPS54331,Texas Instruments,2053,2023-01-06\n\
               Shahed-136,LM2596,Texas Instruments,201553,2023-01-07\n\
               Shahed-136,LM2596,Texas Instruments,202153,2023-01-08\n";
    let f = env.write("dc.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let json = env.json(&[
        "report",
        "date-codes",
        "--after",
        "2010-01-01",
        "--format",
        "json",
    ]);
    let mut undecoded: Vec<(String, String)> = json["tables"]["undecoded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("date_code"), text("reason"))
        })
        .collect();
    undecoded.sort();
    assert_eq!(
        undecoded,
        [
            ("202153".into(), "week 53 does not exist in 2021".into()),
            ("2253".into(), "week 53 does not exist in 2022".into()),
        ]
    );
    let mut produced: Vec<&str> = json["tables"]["produced after the cut-off"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["produced"].as_str().unwrap())
        .collect();
    produced.sort();
    assert_eq!(produced, ["2015-W53", "2020-W53"]);
}

#[test]
fn a_maker_report_can_gather_the_brands_it_owns() {
    let env = Env::with_catalogue();
    let csv = findings_csv(&[
        "Kh-101,RU,GNSS,MAX2769,RF,Maxim Integrated,US,,,,,,,,https://e.org/1,,,,",
        "Kh-101,RU,regulator,LT1963,power,Linear Technology,US,,,,,,,,https://e.org/2,,,,",
        "Kh-101,RU,IMU,ADIS16465,IMU,Analog Devices,US,,,,,,,,https://e.org/3,,,,",
    ]);
    let f = env.write("own.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let alone = env.json(&[
        "report",
        "manufacturer",
        "Analog Devices",
        "--format",
        "json",
    ]);
    assert_eq!(alone["basis"]["totals"]["observations"], 1);
    let owner = env.json(&[
        "report",
        "manufacturer",
        "Analog Devices",
        "--by-owner",
        "--format",
        "json",
    ]);
    assert_eq!(owner["basis"]["totals"]["observations"], 3);
    let brands: Vec<&str> = owner["tables"]["weapons and parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["brand"].as_str().unwrap())
        .collect();
    assert!(
        brands.contains(&"Maxim Integrated") && brands.contains(&"Linear Technology"),
        "{brands:?}"
    );
}

/// A column of a report table, as text.
fn column<'a>(json: &'a serde_json::Value, table: &str, name: &str) -> Vec<&'a str> {
    json["tables"][table]
        .as_array()
        .unwrap_or_else(|| panic!("table {table}"))
        .iter()
        .map(|r| r[name].as_str().unwrap())
        .collect()
}

#[test]
fn units_built_after_the_cutoff_are_listed_apart_and_a_straddling_date_is_never_after() {
    let env = Env::with_catalogue();
    let csv =
        "weapon,component,part_number,manufacturer,date_code,unit_produced,found_on,source_url\n\
               Missile Kh-101 №3152631314019 (produced 1Q2023),servo,,,,,,https://e.org/1\n\
               Missile 3M-14 Kalibr (produced not earlier than 2021),servo,,,,,,https://e.org/2\n\
               Navigation system SN-99 (produced in March 2023),receiver,,,,,,https://e.org/3\n\
               Missile Kh-101 №77,servo,,,,2022,,https://e.org/4\n\
               Missile Kh-101 №78,servo,,,,2021-Q4,,https://e.org/5\n\
               Shahed-136,,TPS54331,Texas Instruments,2214,,2023-01-05,https://e.org/6\n";
    let f = env.write("units.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let json = env.json(&["report", "date-codes", "--format", "json"]);
    let totals = &json["basis"]["totals"];
    assert_eq!(totals["units with a production date"], 5);
    assert_eq!(totals["units built after the cut-off"], 2);
    assert_eq!(totals["units straddling the cut-off"], 2);
    assert_eq!(
        totals["after the cut-off"], 1,
        "units are not parts: only the date-coded part counts there"
    );
    assert_eq!(
        column(&json, "units built after the cut-off", "produced"),
        ["1Q2023", "March 2023"]
    );
    assert_eq!(
        column(&json, "units straddling the cut-off", "produced"),
        ["not earlier than 2021", "2022"],
        "the year 2022 and 'not earlier than 2021' may be either side of 24 February 2022"
    );
    // a later cut-off puts 1Q2023 across it
    let json = env.json(&[
        "report",
        "date-codes",
        "--after",
        "2023-02",
        "--format",
        "json",
    ]);
    assert_eq!(
        column(&json, "units built after the cut-off", "produced"),
        ["March 2023"]
    );
    assert_eq!(
        column(&json, "units straddling the cut-off", "produced"),
        ["not earlier than 2021", "1Q2023"]
    );
}

#[test]
fn date_codes_read_from_markings_are_candidates_reported_apart_from_stated_ones() {
    let env = Env::with_catalogue();
    let csv = "weapon,component,part_number,manufacturer,date_code,marking,source_url\n\
               Kh-101,Microcircuit CY62157EV30L – 45ZSXI 1813 614000 04 PHI F 04,CY62157EV30L,Cypress,,,https://e.org/1\n\
               Kh-101,Serial Port Transceivers ADM 3315EA  #2216,3315EA,Analog Devices,,,https://e.org/2\n\
               Kh-101,Microcontroller ATMEGA 2560,ATMEGA2560,Atmel,,,https://e.org/3\n\
               Kh-101,Transceiver MAX3221 EAE 2128,MAX3221,Maxim,2214,,https://e.org/4\n\
               Kh-101,GNSS module,NEO-M8N,u-blox,,NEO-M8N-0-10 2231 A1,https://e.org/5\n\
               Kh-101,unidentified part,record 7183,,,,https://e.org/6\n";
    let f = env.write("markings.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE date_code IS NOT NULL"),
        1,
        "a candidate is never written as a stated date code"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM observation WHERE marking_date_code IS NOT NULL
               AND date_code IS NULL"
        ),
        3
    );
    let json = env.json(&["report", "date-codes", "--format", "json"]);
    let totals = &json["basis"]["totals"];
    assert_eq!(totals["observations with a date code"], 1);
    assert_eq!(totals["after the cut-off"], 1);
    assert_eq!(totals["date codes read from markings"], 3);
    assert_eq!(totals["read from markings, after the cut-off"], 2);
    assert_eq!(
        column(
            &json,
            "read from markings, produced after the cut-off",
            "date_code"
        ),
        ["2216", "2231"]
    );
    assert_eq!(
        column(
            &json,
            "read from markings, produced after the cut-off",
            "produced"
        ),
        ["2022-W16", "2022-W31"]
    );
    assert_eq!(
        column(&json, "produced after the cut-off", "date_code"),
        ["2214"],
        "stated codes stand alone"
    );
    assert!(json["basis"]["counted"]
        .as_str()
        .unwrap()
        .contains("read from markings"));
}

#[test]
fn a_finding_on_no_source_is_kept_counted_and_every_report_says_how_many() {
    let env = Env::with_catalogue();
    // the second and third rows cite nothing; the third also carries a date code
    let csv = findings_csv(&[
        "Gerbera,RU,camera,A40 Pro,camera,Viewpro,CN,,,,2024-09-01,Kyiv,Defense Express,From Shenzhen,,2024-09,medium,analyst,",
        "Gerbera,RU,receiver,NEO-M8N,gnss,u-blox,CH,,,,2024-09-01,Kyiv,,,,,,,",
        "Gerbera,RU,regulator,LM317,power,Texas Instruments,US,,,2231,2024-09-01,Kyiv,,,,,,,",
    ]);
    let f = env.write("f.csv", csv);
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(summary.contains("3 rows, 3 new observations"), "{summary}");
    assert!(
        summary.contains("\n2 findings rest on no source (every source_* column empty)"),
        "{summary}"
    );
    for (args, on_none, of) in [
        (vec!["report", "origin"], 2, 3),
        (vec!["report", "weapon", "Gerbera"], 2, 3),
        (vec!["report", "manufacturer", "u-blox"], 1, 1),
        (vec!["report", "manufacturer", "Viewpro"], 0, 1),
        (vec!["report", "date-codes"], 1, 1),
    ] {
        let sentence = format!(
            "{on_none} of the {of} findings counted {} on no source.",
            if on_none == 1 { "rests" } else { "rest" }
        );
        for format in ["table", "md", "html"] {
            let mut a = args.clone();
            a.extend(["--format", format]);
            let out = env.ok(&a);
            assert!(out.contains(&sentence), "{a:?}: {out}");
        }
        let mut a = args.clone();
        a.extend(["--format", "json"]);
        let json = env.json(&a);
        assert_eq!(json["basis"]["findings"], of, "{a:?}");
        assert_eq!(json["basis"]["findings_on_no_source"], on_none, "{a:?}");
    }
}
