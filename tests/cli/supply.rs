//! The supply chain past the maker (issue 17, docs/supply-chain.md): maker labels that name
//! suppliers, trace requests and their clocks, route reports recomputed in plain SQL.

use std::collections::BTreeSet;

use crate::util::{shared_file, Env};

/// The GUR record URLs whose maker label names a company after a marker, recomputed from the
/// file by a rule of this test's own: a marker word, then names written in capitals.
fn records_naming_suppliers(file: &std::path::Path) -> BTreeSet<String> {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (maker, url) = (col("manufacturer"), col("source_url"));
    let markers = [
        " Suppliers ",
        " Foreign suppliers ",
        " Importers ",
        " Involved companies ",
    ];
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| {
            markers.iter().any(|m| {
                r[maker].split_once(m).is_some_and(|(before, after)| {
                    !before.trim().is_empty() && !after.chars().any(char::is_lowercase)
                })
            })
        })
        .map(|r| r[url].to_string())
        .collect()
}

#[test]
fn gur_maker_labels_with_suppliers_become_the_maker_and_supply_links() {
    let Some(file) = shared_file("data/gur-components.csv") else {
        return;
    };
    let env = Env::with_catalogue();
    env.ok(&["import", file.to_str().unwrap()]);
    let expected = records_naming_suppliers(&file);
    assert_eq!(
        expected.len(),
        26,
        "records whose maker label names another company"
    );
    let conn = env.conn();
    let linked: BTreeSet<String> = conn
        .prepare(
            "SELECT DISTINCT s.url FROM supply_link l
             JOIN observation_source x ON x.observation_id = l.observation_id
             JOIN source s ON s.id = x.source_id
             WHERE l.how_known = 'label'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(linked, expected);
    // every link cites its finding's sources, and no maker keeps a label as its name
    assert_eq!(
        env.count(
            "SELECT count(*) FROM supply_link l WHERE NOT EXISTS
               (SELECT 1 FROM supply_link_source x WHERE x.supply_link_id = l.id)"
        ),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE name LIKE '% Suppliers %'"),
        0
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM supply_link l JOIN organisation o ON o.id = l.from_organisation_id
             WHERE o.name = 'JSC Chip and Dip' AND l.from_role = 'supplier'"
        ),
        18
    );
    let ad = env.ok(&[
        "report",
        "manufacturer",
        "Analog Devices",
        "--format",
        "csv",
    ]);
    assert!(ad.contains("S8000 Banderol"), "{ad}");
    let ti = env.ok(&[
        "report",
        "manufacturer",
        "Texas Instruments",
        "--by-owner",
        "--format",
        "csv",
    ]);
    for record in ["record 6033", "record 6024", "record 6032"] {
        assert!(ti.contains(record), "{record} missing from the TI report");
    }
    // importing the file again adds no finding and no link
    let links = env.count("SELECT count(*) FROM supply_link");
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM supply_link"), links);
}

#[test]
fn a_version_8_catalogue_splits_its_maker_labels_on_migration() {
    let env = Env::new();
    let old = rusqlite::Connection::open(&env.db).unwrap();
    old.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
        .unwrap();
    for step in [
        include_str!("../../src/db/migrations/002_merges.sql"),
        include_str!("../../src/db/migrations/003_unit_labels.sql"),
        include_str!("../../src/db/migrations/004_views.sql"),
        include_str!("../../src/db/migrations/005_checks_as_comparisons.sql"),
        include_str!("../../src/db/migrations/006_stated_findings.sql"),
        include_str!("../../src/db/migrations/007_real_data.sql"),
        include_str!("../../src/db/migrations/008_corrections.sql"),
    ] {
        old.execute_batch(step).unwrap();
    }
    // as version 8 recorded them: the whole label was one US maker, apart from TI
    old.execute_batch(
        "INSERT INTO meta VALUES ('catalogue_uid', 'x');
         INSERT INTO country (code, alpha3, numeric, name) VALUES ('US', 'USA', '840', 'United States');
         INSERT INTO organisation (id, uid, name, country, created_at) VALUES
           (1, 'o1', 'Texas Instruments', 'US', 't'),
           (2, 'o2', 'Texas Instruments Suppliers JSC CHIP AND DIP', 'US', 't'),
           (3, 'o3', 'Murata Suppliers JSC CHIP AND DIP', 'US', 't');
         INSERT INTO organisation_spelling (id, organisation_id, text, key, created_at, origin_organisation_id) VALUES
           (1, 1, 'Texas Instruments', '=texasinstruments', 't', 1),
           (2, 2, 'Texas Instruments Suppliers JSC CHIP AND DIP', 'texasinstrumentssuppliersjscchipanddip', 't', 2),
           (3, 3, 'Murata Suppliers JSC CHIP AND DIP', 'muratasuppliersjscchipanddip', 't', 3);
         INSERT INTO weapon (id, uid, name, created_at) VALUES (1, 'w1', 'S8000 Banderol', 't');
         INSERT INTO weapon_spelling (id, weapon_id, text, key, created_at, origin_weapon_id) VALUES (1, 1, 'S8000 Banderol', 'S8000BANDEROL', 't', 1);
         INSERT INTO part (id, uid, manufacturer_id, part_number, name, created_at, origin_manufacturer_id) VALUES
           (1, 'p1', 1, 'TPS54331', 'TPS54331', 't', 1),
           (2, 'p2', 2, 'LM2596', 'LM2596', 't', 2),
           (3, 'p3', 3, 'US18650VTC', 'US18650VTC', 't', 3);
         INSERT INTO part_spelling (id, part_id, text, key, kind, created_at, origin_part_id) VALUES
           (1, 1, 'TPS54331', 'TPS54331', 'part_number', 't', 1),
           (2, 2, 'LM2596', 'LM2596', 'part_number', 't', 2),
           (3, 3, 'US18650VTC', 'US18650VTC', 'part_number', 't', 3);
         INSERT INTO source (id, uid, kind, url, key, created_at) VALUES (1, 's1', 'webpage', 'https://war-sanctions.gur.gov.ua/en/components/6033', 'https://war-sanctions.gur.gov.ua/en/components/6033', 't');
         INSERT INTO observation (id, uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, logged_at, fingerprint, confidence) VALUES
           (1, 'ob1', 1, 1, 1, 't', x'01', NULL),
           (2, 'ob2', 2, 2, 1, 't', x'02', 'high'),
           (3, 'ob3', 3, 3, 1, 't', x'03', NULL);
         INSERT INTO observation_source VALUES (2, 1);
         PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(old);
    env.ok(&["check"]);
    // the label's finding and part count under Texas Instruments; its organisation is gone
    assert_eq!(
        env.count(
            "SELECT count(*) FROM organisation_spelling WHERE id = 2 AND organisation_id = 1 AND origin_organisation_id = 1"
        ),
        1
    );
    assert_eq!(
        env.count("SELECT count(*) FROM part WHERE id = 2 AND manufacturer_id = 1"),
        1
    );
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE id = 2"),
        0
    );
    // a label whose maker had no organisation of its own: renamed to its maker
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE id = 3 AND name = 'Murata'"),
        1
    );
    // each labelled finding has its link from JSC Chip and Dip, with the finding's evidence
    assert_eq!(
        env.count(
            "SELECT count(*) FROM supply_link l JOIN organisation o ON o.id = l.from_organisation_id
             WHERE o.name = 'JSC Chip and Dip' AND l.from_role = 'supplier' AND l.how_known = 'label'
               AND ((l.observation_id = 2 AND l.part_id = 2 AND l.confidence = 'high')
                 OR (l.observation_id = 3 AND l.part_id = 3 AND l.confidence IS NULL))"
        ),
        2
    );
    assert_eq!(
        env.count("SELECT count(*) FROM supply_link_source WHERE source_id = 1"),
        1
    );
    let ti = env.ok(&[
        "parts",
        "--manufacturer",
        "Texas Instruments",
        "--format",
        "csv",
    ]);
    assert!(ti.contains("LM2596") && ti.contains("TPS54331"), "{ti}");
}

/// Logs a finding of a TI part with a lot; returns its uid.
fn ti_finding(env: &Env, part: &str) -> String {
    env.ok(&[
        "log",
        "--weapon",
        "Geran-2",
        "--part-number",
        part,
        "--manufacturer",
        "Texas Instruments",
        "--manufacturer-country",
        "US",
        "--lot",
        "45ZSXI",
    ])
    .trim()
    .to_string()
}

fn trace_rows(env: &Env, now: &str, overdue: bool) -> Vec<serde_json::Value> {
    let mut cmd = env.cmd();
    cmd.env("COMPTRACE_NOW", now)
        .args(["trace", "list", "--format", "json"]);
    if overdue {
        cmd.arg("--overdue");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .expect("a JSON array of requests")
}

#[test]
fn trace_requests_fall_due_after_28_days_by_the_clock_and_an_answer_stops_the_clock() {
    let env = Env::with_catalogue();
    let finding = ti_finding(&env, "TPS54331");
    let open = |sent: &str, extra: &[&str]| {
        let mut args = vec![
            "trace",
            "open",
            "Texas Instruments",
            "--finding",
            &finding,
            "--sent",
            sent,
            "--investigator",
            "me",
        ];
        args.extend_from_slice(extra);
        env.ok(&args).trim().to_string()
    };
    let late = open("2025-11-01", &["--subject", "lot 45ZSXI"]);
    let in_time = open("2025-12-20", &[]);
    let short = open("2025-12-20", &["--days", "10"]);
    // the harness's clock reads 2026-01-01
    let all = trace_rows(&env, "2026-01-01T00:00:00Z", false);
    let due: Vec<(&str, &str, &serde_json::Value)> = all
        .iter()
        .map(|r| {
            (
                r["uid"].as_str().unwrap(),
                r["due_on"].as_str().unwrap(),
                &r["days_overdue"],
            )
        })
        .collect();
    assert_eq!(
        due,
        [
            (late.as_str(), "2025-11-29", &serde_json::json!(33)),
            (short.as_str(), "2025-12-30", &serde_json::json!(2)),
            (in_time.as_str(), "2026-01-17", &serde_json::Value::Null),
        ]
    );
    let overdue: Vec<String> = trace_rows(&env, "2026-01-01T00:00:00Z", true)
        .iter()
        .map(|r| r["uid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(overdue, [late.clone(), short.clone()]);
    // three weeks later the third is overdue too, by one day
    let later = trace_rows(&env, "2026-01-18T09:00:00Z", true);
    assert_eq!(later.len(), 3);
    assert_eq!(later[2]["days_overdue"], 1);

    // the maker answers: it sold the lot to a distributor; the request is no longer overdue
    env.ok(&[
        "trace",
        "answer",
        &late[..12],
        "--status",
        "answered",
        "--text",
        "sold to Arrow",
        "--received",
        "2025-12-30",
        "--source",
        "https://example.org/answer.pdf",
        "--sold-to",
        "Arrow Electronics",
        "--sold-to-country",
        "US",
        "--investigator",
        "me",
    ]);
    let overdue = trace_rows(&env, "2026-01-01T00:00:00Z", true);
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["uid"], short.as_str());
    assert_eq!(
        env.count(
            "SELECT count(*) FROM supply_link l
             JOIN organisation f ON f.id = l.from_organisation_id
             JOIN organisation t ON t.id = l.to_organisation_id
             JOIN trace_request r ON r.id = l.trace_request_id
             JOIN supply_link_source x ON x.supply_link_id = l.id
             JOIN source s ON s.id = x.source_id
             WHERE f.name = 'Texas Instruments' AND l.from_role = 'manufacturer'
               AND t.name = 'Arrow Electronics' AND t.country = 'US' AND l.to_role = 'distributor'
               AND l.lot = '45ZSXI' AND l.how_known = 'trace_answer'
               AND s.url = 'https://example.org/answer.pdf'"
        ),
        1
    );
    let shown = env.json(&["trace", "show", &late, "--format", "json"]);
    let text = shown.to_string();
    assert!(
        text.contains("\"answered\"") && text.contains("Arrow Electronics"),
        "{text}"
    );
    // every row is recorded at the clock's time
    assert_eq!(
        env.count("SELECT count(*) FROM trace_request WHERE recorded_at <> '2026-01-01T00:00:00Z'"),
        0
    );
}

#[test]
fn the_default_term_comes_from_comptrace_trace_days_and_sent_defaults_to_today() {
    let env = Env::with_catalogue();
    let finding = ti_finding(&env, "LM2596");
    let out = env
        .cmd()
        .env("COMPTRACE_TRACE_DAYS", "14")
        .args([
            "trace",
            "open",
            "Texas Instruments",
            "--finding",
            &finding,
            "--investigator",
            "me",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        env.count("SELECT count(*) FROM trace_request WHERE sent_on = '2026-01-01' AND due_on = '2026-01-15'"),
        1
    );
}

#[test]
fn trace_commands_refuse_what_they_cannot_record_and_change_nothing() {
    let env = Env::with_catalogue();
    let finding = ti_finding(&env, "TPS54331");
    let request = env
        .ok(&[
            "trace",
            "open",
            "TI",
            "--finding",
            &finding,
            "--investigator",
            "me",
        ])
        .trim()
        .to_string();
    let before = env.fingerprint();
    for (args, expected) in [
        (
            vec![
                "trace",
                "open",
                "TI",
                "--finding",
                "0000000000ffffff",
                "--investigator",
                "me",
            ],
            "--finding '0000000000ffffff': no finding",
        ),
        (
            vec![
                "trace",
                "open",
                "TI",
                "--finding",
                &finding,
                "--sent",
                "2025-13-01",
                "--investigator",
                "me",
            ],
            "--sent:",
        ),
        (
            vec![
                "trace",
                "answer",
                &request,
                "--status",
                "declined",
                "--sold-to",
                "Arrow",
                "--investigator",
                "me",
            ],
            "--sold-to: only an answered request",
        ),
        (
            vec![
                "trace",
                "answer",
                "ffffffffffff",
                "--status",
                "declined",
                "--investigator",
                "me",
            ],
            "no trace request",
        ),
    ] {
        let err = env.fails(&args);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(env.fingerprint(), before, "{args:?} changed the catalogue");
    }
    // the request went to Texas Instruments, resolved by its alias
    assert_eq!(
        env.count(
            "SELECT count(*) FROM trace_request r JOIN organisation o ON o.id = r.organisation_id WHERE o.name = 'Texas Instruments'"
        ),
        1
    );
}

/// A customs link as the test reads it: exporter, countries, part, brand, quantity.
type CustomsLink = (String, String, Option<String>, Option<String>, Option<i64>);

const SHIPMENTS_HEADER: &str = "date,hs_code,description,part_number,brand,quantity,value,currency,exporter,exporter_country,importer,importer_country,source_url";

#[test]
fn shipments_join_parts_by_exact_keys_only_and_list_the_rest_for_review() {
    let env = Env::with_catalogue();
    ti_finding(&env, "TPS54331");
    let file = env.write(
        "shipments.csv",
        format!(
            "{SHIPMENTS_HEADER}
2023-05-14,8542.39,Microcircuit,tps 54331,Texas Instruments,500,1250.50,USD,Example Trading Ltd,HK,OOO Example,RU,https://example.org/customs/1
2023-06,8542.39,Microcircuit,TPS5433,TI,100,300,USD,Example Trading Ltd,HK,OOO Example,RU,https://example.org/customs/2
2023,8542.39,Integrated circuits,,Texas Instruments,1000,2000,USD,Other Trade FZE,AE,OOO Example,RU,https://example.org/customs/3
"
        ),
    );
    let summary = env.ok_stderr(&["shipments", "import", file.to_str().unwrap()]);
    assert!(summary.contains("3 new shipments"), "{summary}");
    assert!(
        summary.contains("shipments.csv:3: TPS5433: no part; similar: TPS54331"),
        "{summary}"
    );
    // recomputed in plain SQL: one link to the part, two to the brand alone, each from the
    // exporter's country to the importer's
    let conn = env.conn();
    let links: Vec<CustomsLink> = conn
        .prepare(
            "SELECT f.name, l.from_country || '>' || l.to_country, p.part_number, b.name, l.quantity
             FROM supply_link l JOIN organisation f ON f.id = l.from_organisation_id
             LEFT JOIN part p ON p.id = l.part_id LEFT JOIN organisation b ON b.id = l.brand_id
             WHERE l.how_known = 'customs' ORDER BY l.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        links,
        [
            (
                "Example Trading Ltd".into(),
                "HK>RU".into(),
                s("TPS54331"),
                None,
                Some(500)
            ),
            (
                "Example Trading Ltd".into(),
                "HK>RU".into(),
                None,
                s("Texas Instruments"),
                Some(100)
            ),
            (
                "Other Trade FZE".into(),
                "AE>RU".into(),
                None,
                s("Texas Instruments"),
                Some(1000)
            ),
        ]
    );
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE name = 'Texas Instruments'"),
        1,
        "the brand joined the maker by its key, TI by the alias list"
    );
    let again = env.ok_stderr(&["shipments", "import", file.to_str().unwrap()]);
    assert!(
        again.contains("0 new shipments (3 already present)"),
        "{again}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM supply_link WHERE how_known = 'customs'"),
        3
    );
}

#[test]
fn a_bad_shipment_field_names_file_line_and_column_and_imports_nothing() {
    let env = Env::with_catalogue();
    let before = env.fingerprint();
    for (row, expected) in [
        (
            "2023-05-14,85A2,x,P1,,1,1,USD,E,HK,I,RU,",
            ":3: column 'hs_code' (field 2): '85A2' is not an HS code",
        ),
        (
            "2023-05-14,8542,x,P1,,1,1,USD,,HK,I,RU,",
            ":3: column 'exporter' (field 9): exporter is required",
        ),
        (
            "2023-05-14,8542,x,P1,,1,1,USD,E,Atlantis,I,RU,",
            ":3: column 'exporter_country' (field 10): unknown country",
        ),
        (
            "2023-05-14,8542,x,P1,,-4,1,USD,E,HK,I,RU,",
            ":3: column 'quantity' (field 6)",
        ),
    ] {
        let file = env.write(
            "bad.csv",
            format!("{SHIPMENTS_HEADER}\n2023-05-14,8542,x,P0,,1,1,USD,E,HK,I,RU,\n{row}\n"),
        );
        let err = env.fails(&["shipments", "import", file.to_str().unwrap()]);
        assert!(err.contains(&format!("bad.csv{expected}")), "{row}: {err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(env.fingerprint(), before, "{row}");
    }
    let file = env.write("cols.csv", "date,exporter,importer,weight\n2023,E,I,5\n");
    let err = env.fails(&["shipments", "import", file.to_str().unwrap()]);
    assert!(
        err.contains("cols.csv:1: unknown column 'weight' (field 4)"),
        "{err}"
    );
}

/// A TI part found in a Geran-2, traced to a distributor, then shipped on by customs records
/// (two branches after Hong Kong), and one shipment that names only the TI brand.
fn chain_catalogue() -> Env {
    let env = Env::with_catalogue();
    let finding = ti_finding(&env, "TPS54331");
    let request = env
        .ok(&[
            "trace",
            "open",
            "Texas Instruments",
            "--finding",
            &finding,
            "--sent",
            "2025-10-01",
            "--investigator",
            "me",
        ])
        .trim()
        .to_string();
    env.ok(&[
        "trace",
        "answer",
        &request,
        "--status",
        "answered",
        "--sold-to",
        "Arrow Electronics",
        "--sold-to-country",
        "US",
        "--source",
        "https://example.org/ti-answer",
        "--investigator",
        "me",
    ]);
    let file = env.write(
        "customs.csv",
        format!(
            "{SHIPMENTS_HEADER}
2023-02,854239,IC,TPS54331,Texas Instruments,500,900,USD,Arrow Electronics,US,Example Trading Ltd,HK,https://example.org/c/1
2023-03,854239,IC,TPS54331,,500,1000,USD,Example Trading Ltd,HK,OOO Example,RU,https://example.org/c/2
2023-04,854239,IC,TPS54331,,200,500,USD,Example Trading Ltd,HK,OOO Other,RU,https://example.org/c/3
2023-05,854239,IC,,Texas Instruments,100,100,USD,Other Trade FZE,AE,OOO Example,RU,https://example.org/c/4
"
        ),
    );
    env.ok(&["shipments", "import", file.to_str().unwrap()]);
    env
}

#[test]
fn route_reports_follow_links_from_the_maker_and_match_plain_sql() {
    let env = chain_catalogue();
    let report = env.json(&["report", "route", "--part", "TPS54331", "--format", "json"]);
    let routes = report["tables"]["routes"].as_array().unwrap();
    let chains: Vec<&str> = routes
        .iter()
        .map(|r| r["chain"].as_str().unwrap())
        .collect();
    assert_eq!(
        chains,
        [
            "Texas Instruments (manufacturer, US) -> Arrow Electronics (distributor, US) -> Example Trading Ltd (importer, HK) -> OOO Example (importer, RU) -> [no known link] -> Shahed-136",
            "Texas Instruments (manufacturer, US) -> Arrow Electronics (distributor, US) -> Example Trading Ltd (importer, HK) -> OOO Other (importer, RU) -> [no known link] -> Shahed-136",
        ]
    );
    // the same figures in plain SQL: the part's links, and the maximal paths from its maker
    let part_links = env.count(
        "SELECT count(*) FROM supply_link l JOIN part p ON p.id = l.part_id WHERE p.part_number = 'TPS54331'",
    );
    let paths = env.count(
        "WITH RECURSIVE
           pl AS (SELECT l.* FROM supply_link l JOIN part p ON p.id = l.part_id WHERE p.part_number = 'TPS54331'),
           maker AS (SELECT p.manufacturer_id AS id FROM part p WHERE p.part_number = 'TPS54331'),
           path(org, n) AS (SELECT to_organisation_id, 1 FROM pl WHERE from_organisation_id = (SELECT id FROM maker)
                            UNION ALL SELECT pl.to_organisation_id, n + 1 FROM path JOIN pl ON pl.from_organisation_id = path.org WHERE n < 10)
         SELECT count(*) FROM path WHERE NOT EXISTS (SELECT 1 FROM pl WHERE pl.from_organisation_id = path.org)",
    );
    let totals = &report["basis"]["totals"];
    assert_eq!(totals["routes"], paths);
    assert_eq!(paths, 2);
    assert_eq!(part_links, 4);
    let route_links = report["tables"]["links"].as_array().unwrap();
    assert_eq!(
        route_links.len(),
        6,
        "three links on each of the two routes"
    );
    assert_eq!(route_links[0]["how_known"], "trace_answer");
    assert_eq!(route_links[0]["lot"], "45ZSXI");
    assert_eq!(
        route_links[0]["sources"],
        serde_json::json!(["https://example.org/ti-answer"])
    );

    // by maker: the brand-only shipment is a possible route, listed once, not per part
    ti_finding(&env, "LM2596");
    let by_maker = env.json(&[
        "report",
        "route",
        "--manufacturer",
        "TI",
        "--format",
        "json",
    ]);
    let brand = by_maker["tables"]["possible routes (brand only)"]
        .as_array()
        .unwrap();
    assert_eq!(
        brand.len() as i64,
        env.count(
            "SELECT count(*) FROM supply_link WHERE part_id IS NULL AND brand_id IS NOT NULL"
        )
    );
    assert_eq!(brand.len(), 1);
    assert_eq!(brand[0]["from"], "Other Trade FZE");
    assert_eq!(
        by_maker["basis"]["totals"]["parts"], 1,
        "a part with no link has no route"
    );

    // capped and counted
    let capped = env.json(&[
        "report",
        "route",
        "--part",
        "TPS54331",
        "--max-routes",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(capped["tables"]["routes"].as_array().unwrap().len(), 1);
    assert_eq!(capped["basis"]["totals"]["routes"], 2);
    assert_eq!(capped["basis"]["totals"]["routes listed"], 1);

    // a weapon the part was not found in leaves nothing
    env.ok(&[
        "log",
        "--weapon",
        "Orlan-10",
        "--part-number",
        "X1",
        "--manufacturer",
        "TI",
    ]);
    let none = env.json(&[
        "report", "route", "--part", "TPS54331", "--weapon", "Orlan-10", "--format", "json",
    ]);
    assert_eq!(none["basis"]["totals"]["routes"], 0);
}

#[test]
fn a_route_is_drawn_in_html_with_every_name_escaped() {
    let env = chain_catalogue();
    env.ok(&[
        "shipments", "import",
        env.write(
            "evil.csv",
            format!("{SHIPMENTS_HEADER}\n2023-06,854239,IC,TPS54331,,1,1,USD,OOO Example,RU,<script>alert(1)</script>,RU,\n"),
        )
        .to_str()
        .unwrap(),
    ]);
    let html = env.ok(&["report", "route", "--part", "TPS54331", "--format", "html"]);
    assert_eq!(html.matches("<svg").count(), 2, "one drawing per route");
    assert!(!html.contains("<script>"), "escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no network fetches"
    );
    let md = env.ok(&["report", "route", "--part", "TPS54331", "--format", "md"]);
    assert!(md.contains("OOO Other"), "{md}");
}

#[test]
fn third_countries_suppliers_and_an_organisation_match_plain_sql() {
    let env = chain_catalogue();
    let report = env.json(&[
        "report",
        "third-countries",
        "--manufacturer",
        "Texas Instruments",
        "--format",
        "json",
    ]);
    let rows = report["tables"]["countries"].as_array().unwrap();
    let got: Vec<(String, i64, f64)> = rows
        .iter()
        .map(|r| {
            (
                r["country"].as_str().unwrap().to_string(),
                r["links"].as_i64().unwrap(),
                r["value"].as_f64().unwrap(),
            )
        })
        .collect();
    // plain SQL: for each country other than the maker's (US), the links with an end there
    // (stated country, else the organisation's) and the sum of their values
    let conn = env.conn();
    let expected: Vec<(String, i64, f64)> = conn
        .prepare(
            "WITH ends AS (
               SELECT l.id, l.value, coalesce(l.from_country, f.country) AS c FROM supply_link l LEFT JOIN organisation f ON f.id = l.from_organisation_id
               UNION SELECT l.id, l.value, coalesce(l.to_country, t.country) FROM supply_link l LEFT JOIN organisation t ON t.id = l.to_organisation_id)
             SELECT c, count(DISTINCT id), sum(value) FROM (SELECT DISTINCT id, value, c FROM ends) WHERE c IS NOT NULL AND c <> 'US'
             GROUP BY c ORDER BY count(DISTINCT id) DESC, c",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, expected);
    assert_eq!(
        got,
        [
            ("HK".to_string(), 3, 2400.0),
            ("RU".to_string(), 3, 1600.0),
            ("AE".to_string(), 1, 100.0)
        ]
    );
    let since = env.json(&[
        "report",
        "third-countries",
        "--since",
        "2023-04",
        "--format",
        "json",
    ]);
    let countries: Vec<&str> = since["tables"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["RU", "AE", "HK"]);

    let suppliers = env.json(&["report", "suppliers", "--format", "json"]);
    let rows = suppliers["tables"]["suppliers"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["organisation"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"Texas Instruments"),
        "a maker in no other role is no supplier"
    );
    let trading = rows
        .iter()
        .find(|r| r["organisation"] == "Example Trading Ltd")
        .unwrap();
    assert_eq!(
        trading["roles"],
        serde_json::json!(["exporter", "importer"])
    );
    assert_eq!(trading["links"], 3);
    assert_eq!(trading["weapons"], serde_json::json!(["Shahed-136"]));
    assert_eq!(
        names.len() as i64,
        env.count(
            "SELECT count(DISTINCT org) FROM (
               SELECT from_organisation_id AS org FROM supply_link WHERE from_role <> 'manufacturer'
               UNION SELECT to_organisation_id FROM supply_link WHERE to_role <> 'manufacturer')
             WHERE org IS NOT NULL"
        )
    );

    let shown = env.json(&[
        "show",
        "organisation",
        "Example Trading Ltd",
        "--format",
        "json",
    ]);
    let text = shown.to_string();
    assert!(
        text.contains("\"exporter\"") && text.contains("\"importer\""),
        "{text}"
    );
    assert!(text.contains("https://example.org/c/2"), "{text}");
}

#[test]
fn demo_prints_a_sourced_chain_past_the_maker_and_every_sample_fact_names_its_page() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/data/public-supply.csv");
    let mut reader = csv::Reader::from_path(file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let url = headers.iter().position(|h| h == "source_url").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(
            r[url].starts_with("https://"),
            "a sample fact without its page: {r:?}"
        );
    }
    let env = Env::new();
    let out = env.ok(&["demo", env.db.to_str().unwrap()]);
    assert!(
        out.contains("Texas Instruments (manufacturer, US) -> [no known link] -> ? (exporter, HK) -> NPP Itelma (importer, RU)"),
        "{out}"
    );
    assert!(
        out.contains(
            "Shahed-136: built by Alabuga Special Economic Zone, Yelabuga, Tatarstan (RU)"
        ),
        "{out}"
    );
    // each fact is on record once, with its source
    assert_eq!(
        env.count("SELECT count(*) FROM supply_link")
            + env.count("SELECT count(*) FROM weapon_producer"),
        rows.len() as i64
    );
    assert_eq!(
        env.count("SELECT count(*) FROM supply_link l WHERE NOT EXISTS (SELECT 1 FROM supply_link_source x WHERE x.supply_link_id = l.id)"),
        0
    );
    let shown = env.ok(&["show", "organisation", "NPP Itelma"]);
    assert!(shown.contains("importer"), "{shown}");
}

#[test]
fn a_finding_can_name_who_built_its_weapon_and_an_export_carries_it_back() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        "weapon,part_number,manufacturer,weapon_producer,weapon_production_site,source_url\n\
         Geran-2,TPS54331,Texas Instruments,Alabuga Special Economic Zone,\"Yelabuga, Tatarstan\",https://e.org/1\n\
         Geran-2,LM2596,Texas Instruments,Alabuga SEZ,,https://e.org/2\n\
         Geran-2,STM32F405,STMicroelectronics,,,https://e.org/3\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM weapon_producer p JOIN weapon_producer_source x ON x.weapon_producer_id = p.id
             JOIN source s ON s.id = x.source_id JOIN observation o ON o.id = p.observation_id
             WHERE p.stated_as IS NOT NULL AND s.url IN ('https://e.org/1', 'https://e.org/2')"
        ),
        2,
        "one producer per finding that names one, citing that finding's source"
    );
    // the producer is no part of a finding's identity: the same rows again add nothing
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM weapon_producer"), 2);
    // JSON lines carry it: an empty catalogue gets the same producers back
    let out = env.dir.path().join("e.jsonl");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    let copy = Env::with_catalogue();
    copy.ok(&["import", out.to_str().unwrap()]);
    let producers = |e: &Env| -> Vec<(String, Option<String>)> {
        e.conn()
            .prepare("SELECT stated_as, site FROM weapon_producer ORDER BY stated_as")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(producers(&copy), producers(&env));
    assert_eq!(producers(&env).len(), 2);
}

/// The tables of a route report in JSON (its basis names the catalogue and clock, not the
/// routes), to compare two catalogues' routes.
fn route_tables(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["report", "route"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let report = env.json(&all);
    serde_json::json!({"tables": report["tables"], "totals": report["basis"]["totals"]})
}

/// Every supply row of a catalogue, by stable uid: what a second combine must not add to.
fn supply_counts(env: &Env) -> Vec<i64> {
    [
        "organisation",
        "supply_link",
        "supply_link_source",
        "weapon_producer",
        "trace_request",
        "trace_request_finding",
        "trace_response",
        "shipment",
    ]
    .iter()
    .map(|t| env.count(&format!("SELECT count(*) FROM {t}")))
    .collect()
}

#[test]
fn import_catalogue_combines_the_supply_chain_so_routes_read_the_same_and_a_rerun_adds_nothing() {
    let theirs = chain_catalogue();
    let by_part = ["--part", "TPS54331"];
    let by_maker = ["--manufacturer", "Texas Instruments"];
    let their_routes = route_tables(&theirs, &by_part);
    let their_maker_routes = route_tables(&theirs, &by_maker);
    assert_eq!(their_routes["totals"]["routes"], 2);

    let ours = Env::with_catalogue();
    ours.ok(&["import-catalogue", theirs.db.to_str().unwrap()]);
    assert_eq!(route_tables(&ours, &by_part), their_routes);
    assert_eq!(route_tables(&ours, &by_maker), their_maker_routes);
    // each row keeps its stable uid, and every link, request, response and shipment came in
    for (table, rows) in [
        ("supply_link", 5),
        ("trace_request", 1),
        ("trace_response", 1),
        ("shipment", 4),
    ] {
        let uids = |env: &Env| -> BTreeSet<String> {
            env.conn()
                .prepare(&format!("SELECT uid FROM {table}"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(uids(&ours), uids(&theirs), "{table}");
        assert_eq!(uids(&ours).len(), rows, "{table}");
    }
    // the request still names the finding it asked about (paired by the finding, not by id)
    assert_eq!(
        ours.count(
            "SELECT count(*) FROM trace_request_finding f JOIN observation o ON o.id = f.observation_id
             JOIN part_spelling ps ON ps.id = o.part_spelling_id WHERE ps.text = 'TPS54331'"
        ),
        1
    );

    let before = supply_counts(&ours);
    ours.ok(&["import-catalogue", theirs.db.to_str().unwrap()]);
    assert_eq!(supply_counts(&ours), before, "a second run adds nothing");
    assert_eq!(route_tables(&ours, &by_part), their_routes);
}

#[test]
fn a_route_ending_at_the_weapons_producer_reaches_the_weapon() {
    let env = chain_catalogue();
    // OOO Example built the Shahed-136; OOO Other built only an Orlan-10, which the part was
    // never found in, so its route still breaks before the weapon
    let file = env.write(
        "producers.csv",
        "weapon,part_number,manufacturer,weapon_producer,source_url\n\
         Shahed-136,X9,Other Maker,OOO Example,https://e.org/p1\n\
         Orlan-10,X9,Other Maker,OOO Other,https://e.org/p2\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let report = env.json(&["report", "route", "--part", "TPS54331", "--format", "json"]);
    let routes = report["tables"]["routes"].as_array().unwrap();
    let chains: Vec<(&str, &str)> = routes
        .iter()
        .map(|r| {
            (
                r["chain"].as_str().unwrap(),
                r["reaches_weapon"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        chains,
        [
            ("Texas Instruments (manufacturer, US) -> Arrow Electronics (distributor, US) -> Example Trading Ltd (importer, HK) -> OOO Example (importer, RU) -> Shahed-136", "yes"),
            ("Texas Instruments (manufacturer, US) -> Arrow Electronics (distributor, US) -> Example Trading Ltd (importer, HK) -> OOO Other (importer, RU) -> [no known link] -> Shahed-136", "no"),
        ]
    );
    // plain SQL: the part's chain ends (organisations no link of the part leaves) that built a
    // weapon the part was found in
    let reached = env.count(
        "WITH pl AS (SELECT l.* FROM supply_link l JOIN part p ON p.id = l.part_id WHERE p.part_number = 'TPS54331'),
              found_in AS (SELECT DISTINCT ws.weapon_id FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id
                           JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id WHERE ps.text = 'TPS54331')
         SELECT count(DISTINCT pl.to_organisation_id) FROM pl
         WHERE NOT EXISTS (SELECT 1 FROM pl l2 WHERE l2.from_organisation_id = pl.to_organisation_id)
           AND pl.to_organisation_id IN (SELECT organisation_id FROM weapon_producer WHERE weapon_id IN (SELECT weapon_id FROM found_in))",
    );
    assert_eq!(reached, 1);
    assert_eq!(
        routes
            .iter()
            .filter(|r| r["reaches_weapon"] == "yes")
            .count() as i64,
        reached
    );
}

/// What an investigator reads of the chain of TPS54331: its routes and the suppliers.
fn chain_reports(env: &Env) -> (serde_json::Value, serde_json::Value) {
    let suppliers = env.json(&["report", "suppliers", "--format", "json"]);
    (
        route_tables(env, &["--part", "TPS54331"]),
        suppliers["tables"].clone(),
    )
}

fn merge_importers(env: &Env) -> String {
    env.ok(&[
        "merge",
        "--kind",
        "manufacturer",
        "OOO Other",
        "OOO Example",
        "--investigator",
        "analyst",
    ])
    .trim()
    .to_string()
}

#[test]
fn an_unmerge_gives_supply_links_back_to_the_organisation_their_record_named() {
    let env = chain_catalogue();
    let original = chain_reports(&env);
    let merge = merge_importers(&env);
    assert_ne!(
        chain_reports(&env),
        original,
        "merged, both importers read as one"
    );
    env.ok(&["unmerge", "--investigator", "analyst", &merge]);
    assert_eq!(chain_reports(&env), original);

    // a link recorded while its organisation is merged away names the one its record named,
    // so the unmerge moves it back too (it used to stay with the merge root)
    let merge = merge_importers(&env);
    let before = env.count("SELECT max(id) FROM supply_link");
    let file = env.write(
        "later.csv",
        format!(
            "{SHIPMENTS_HEADER}
2023-06,854239,IC,TPS54331,,50,80,USD,OOO Example,RU,OOO Third,RU,https://example.org/c/5
"
        ),
    );
    env.ok(&["shipments", "import", file.to_str().unwrap()]);
    let trace = env.json(&["trace", "list", "--format", "json"]);
    let request = trace[0]["uid"].as_str().unwrap().to_string();
    env.ok(&[
        "trace",
        "answer",
        &request,
        "--status",
        "answered",
        "--sold-to",
        "OOO Example",
        "--source",
        "https://example.org/second-answer",
        "--investigator",
        "me",
    ]);
    let example = env.count("SELECT id FROM organisation WHERE name = 'OOO Example'");
    let other = env.count("SELECT id FROM organisation WHERE name = 'OOO Other'");
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM supply_link WHERE id > {before}
               AND {example} IN (from_organisation_id, to_organisation_id)"
        )),
        2,
        "the shipment and the answer name OOO Example ({example}), merged into OOO Other ({other})"
    );
    env.ok(&["unmerge", "--investigator", "analyst", &merge]);
    let chains: Vec<String> = route_tables(&env, &["--part", "TPS54331"])["tables"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["chain"].as_str().unwrap().to_string())
        .collect();
    assert!(
        chains
            .iter()
            .any(|c| c.contains("OOO Example (importer, RU) -> OOO Third (importer, RU)")),
        "{chains:#?}"
    );
    assert!(
        !chains
            .iter()
            .any(|c| c.contains("OOO Other (importer, RU) -> OOO Third")),
        "{chains:#?}"
    );
    // plain SQL: the new customs link and the answer's link name OOO Example, not the root
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM supply_link WHERE id > {before}
               AND (from_organisation_id = {example} AND how_known = 'customs'
                    OR to_organisation_id = {example} AND how_known = 'trace_answer')"
        )),
        2
    );
}

#[test]
fn import_of_an_export_refuses_the_supply_chain_it_cannot_read_and_names_it() {
    let theirs = chain_catalogue();
    let jsonl = theirs.write("export.jsonl", theirs.ok(&["export", "--format", "jsonl"]));
    let folder = theirs.dir.path().join("export");
    theirs.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        folder.to_str().unwrap(),
    ]);
    let findings_csv = folder.join("findings.csv");
    // what the export carries that no finding states, counted in plain SQL
    let shipments = theirs.count("SELECT count(*) FROM shipment");
    let links = theirs.count("SELECT count(*) FROM supply_link WHERE how_known <> 'label'");
    let requests = theirs.count("SELECT count(*) FROM trace_request");
    assert!(shipments > 0 && links > 0 && requests > 0);
    for file in [&jsonl, &findings_csv] {
        let ours = Env::with_catalogue();
        let before = ours.fingerprint();
        let err = ours.fails(&["import", file.to_str().unwrap()]);
        for what in [
            format!("{links} supply links"),
            format!("{shipments} shipments"),
            format!("{requests} trace requests"),
        ] {
            assert!(err.contains(&what), "{}: {what}: {err}", file.display());
        }
        assert!(err.contains("comptrace import-catalogue"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(ours.fingerprint(), before, "{}", file.display());
        // asked for the findings alone, it takes them and leaves the supply chain out
        ours.ok(&["import", file.to_str().unwrap(), "--without-supply-chain"]);
        assert_eq!(
            ours.count("SELECT count(*) FROM observation"),
            theirs.count("SELECT count(*) FROM observation"),
            "{}",
            file.display()
        );
        assert_eq!(ours.count("SELECT count(*) FROM shipment"), 0);
    }
}

/// What `check` prints, and whether it passed.
fn checked(env: &Env) -> (bool, String) {
    let out = env.cmd().arg("check").output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_finds_supply_links_that_break_the_chains_rules() {
    let env = chain_catalogue();
    assert_eq!(checked(&env), (true, String::new()), "a sound catalogue");
    let conn = env.conn();
    // each fault planted alone, found by check, then undone
    let faults = [
        (
            "UPDATE supply_link SET brand_id = (SELECT manufacturer_id FROM part WHERE part_number = 'TPS54331')
             WHERE how_known = 'trace_answer'",
            "UPDATE supply_link SET brand_id = NULL WHERE how_known = 'trace_answer'",
            "names both a part and a brand",
        ),
        (
            "UPDATE shipment SET currency = 'usd' WHERE id = (SELECT min(id) FROM shipment)",
            "UPDATE shipment SET currency = 'USD' WHERE id = (SELECT min(id) FROM shipment)",
            "currency is not three capital letters (ISO 4217)",
        ),
        (
            "UPDATE trace_response SET status = 'declined'",
            "UPDATE trace_response SET status = 'answered'",
            "a link from a trace answer names no trace request, or one with no answered response",
        ),
        (
            "UPDATE supply_link SET how_known = 'customs' WHERE how_known = 'trace_answer'",
            "UPDATE supply_link SET how_known = 'trace_answer' WHERE trace_request_id IS NOT NULL",
            "a link from a customs record names no shipment",
        ),
        (
            "UPDATE trace_request SET due_on = '2020-01-01'",
            "UPDATE trace_request SET due_on = '2025-10-29'",
            "a trace request is due before it was sent",
        ),
        (
            "UPDATE organisation SET merged_into = (SELECT id FROM organisation WHERE name = 'Arrow Electronics')
             WHERE name = 'OOO Other';
             UPDATE organisation SET merged_into = (SELECT id FROM organisation WHERE name = 'OOO Example')
             WHERE name = 'Arrow Electronics'",
            "UPDATE organisation SET merged_into = NULL",
            "names an organisation merged into one that is itself merged away (readers follow one step)",
        ),
    ];
    for (plant, undo, found) in faults {
        conn.execute_batch(plant).unwrap();
        let (ok, said) = checked(&env);
        assert!(!ok && said.contains(found), "{found}: {said}");
        assert!(
            said.contains(": 1 rows ("),
            "one link, named by uid: {said}"
        );
        conn.execute_batch(undo).unwrap();
        assert_eq!(checked(&env), (true, String::new()), "undone: {found}");
    }
}

#[test]
fn an_organisation_carried_in_with_another_country_is_listed_as_a_conflict_and_ours_is_kept() {
    let theirs = chain_catalogue();
    let ours = Env::with_catalogue();
    // our Example Trading Ltd is registered in the UAE; theirs (another uid) in Hong Kong
    let file = ours.write(
        "ours.csv",
        format!(
            "{SHIPMENTS_HEADER}
2022-01,854239,IC,,Texas Instruments,10,10,USD,Example Trading Ltd,AE,OOO Example,RU,https://example.org/ours/1
"
        ),
    );
    ours.ok(&["shipments", "import", file.to_str().unwrap()]);
    let country = |env: &Env| -> String {
        env.conn()
            .query_row(
                "SELECT country FROM organisation WHERE name = 'Example Trading Ltd'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(country(&theirs), "HK");
    let listed = ours.ok(&[
        "import-catalogue",
        theirs.db.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let uid: String = ours
        .conn()
        .query_row(
            "SELECT uid FROM organisation WHERE name = 'Example Trading Ltd'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        listed.contains(&format!("fact,organisation,{uid},country,AE,HK")),
        "{listed}"
    );
    assert_eq!(country(&ours), "AE", "ours is never overwritten");
    // an organisation both sides register in the same country is no conflict
    assert!(!listed.contains("OOO Example"), "{listed}");
}

#[test]
fn parts_list_the_organisations_their_links_name_and_filter_by_one() {
    let env = chain_catalogue();
    ti_finding(&env, "LM2596");
    let parts = env.json(&["parts", "--format", "json"]);
    let suppliers_of = |number: &str| -> Vec<String> {
        parts
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["part_number"] == number)
            .unwrap()["suppliers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    // plain SQL: every organisation at either end of the part's links, but its maker
    let expected: Vec<String> = env
        .conn()
        .prepare(
            "SELECT DISTINCT o.name FROM supply_link l JOIN part p ON p.id = l.part_id
             JOIN organisation o ON o.id IN (l.from_organisation_id, l.to_organisation_id)
             WHERE p.part_number = 'TPS54331' AND o.id IS NOT p.manufacturer_id ORDER BY o.name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(suppliers_of("TPS54331"), expected);
    assert_eq!(
        expected,
        [
            "Arrow Electronics",
            "Example Trading Ltd",
            "OOO Example",
            "OOO Other"
        ]
    );
    assert!(suppliers_of("LM2596").is_empty(), "no link names LM2596");

    let by_supplier = |name: &str| -> Vec<String> {
        env.json(&["parts", "--supplier", name, "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["part_number"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_supplier("Example Trading"), ["TPS54331"]);
    // a brand-only link names no part: never multiplied across the brand's parts
    assert!(by_supplier("Other Trade FZE").is_empty());
    assert!(env
        .fails(&["parts", "--supplier", "Nobody Ltd"])
        .contains("--supplier: no organisation named 'Nobody Ltd'"));
}

#[test]
fn ftm_export_carries_shipments_links_and_producers_in_stock_schemata() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        "weapon,part_number,manufacturer,manufacturer_country,weapon_producer,weapon_production_site,source_url\n\
         Geran-2,TPS54331,Texas Instruments,US,Alabuga Special Economic Zone,\"Yelabuga, Tatarstan\",https://e.org/1\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let shipments = env.write(
        "shipments.csv",
        format!(
            "{SHIPMENTS_HEADER}
2023-05-14,8542.39,Microcircuit <b>,tps 54331,Texas Instruments,500,1250.50,USD,Example Trading Ltd,HK,OOO Example,RU,https://example.org/customs/1
"
        ),
    );
    env.ok(&["shipments", "import", shipments.to_str().unwrap()]);
    let out = env.ok(&["export", "--format", "ftm"]);
    let entities: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: std::collections::HashSet<&str> =
        entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        entities.len(),
        "unique ids: an organisation once"
    );
    // every reference points at an entity in the file
    for e in &entities {
        for key in ["subject", "object", "sender", "receiver", "proof"] {
            for r in e["properties"][key].as_array().into_iter().flatten() {
                assert!(ids.contains(r.as_str().unwrap()), "{key} -> {r} in {e}");
            }
        }
    }
    let name_of = |id: &serde_json::Value| -> String {
        entities
            .iter()
            .find(|e| &e["id"] == id)
            .map(|e| e["properties"]["name"][0].as_str().unwrap().to_string())
            .unwrap()
    };
    // the customs record, as a customs declaration, once (not again as a link)
    let customs: Vec<&serde_json::Value> = entities
        .iter()
        .filter(|e| e["schema"] == "EconomicActivity")
        .collect();
    assert_eq!(customs.len(), 1, "{out}");
    let c = &customs[0]["properties"];
    assert_eq!(name_of(&c["sender"][0]), "Example Trading Ltd");
    assert_eq!(name_of(&c["receiver"][0]), "OOO Example");
    assert_eq!(c["vedCode"][0], "854239", "the HS code as stored: digits");
    assert_eq!(c["customsAmount"][0], "1250.5 USD");
    assert_eq!(c["departureCountry"][0], "hk");
    assert_eq!(c["destinationCountry"][0], "ru");
    assert_eq!(
        c["goodsDescription"][0], "Microcircuit <b>",
        "text as stated"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM supply_link WHERE how_known = 'customs'"),
        1
    );
    // the producer: from the organisation to the weapon
    let producer = entities
        .iter()
        .find(|e| e["properties"]["role"][0] == "producer")
        .expect("the producer link");
    assert_eq!(
        name_of(&producer["properties"]["subject"][0]),
        "Alabuga Special Economic Zone"
    );
    assert_eq!(name_of(&producer["properties"]["object"][0]), "Shahed-136");
    assert!(producer["properties"]["description"][0]
        .as_str()
        .unwrap()
        .contains("site: Yelabuga, Tatarstan"));
    let stock = [
        "Company",
        "Document",
        "Asset",
        "UnknownLink",
        "Documentation",
        "Ownership",
        "EconomicActivity",
    ];
    assert!(entities
        .iter()
        .all(|e| stock.contains(&e["schema"].as_str().unwrap())));
}
