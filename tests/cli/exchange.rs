use crate::util::{Env, SAMPLE};

fn counts(env: &Env) -> Vec<i64> {
    [
        "observation",
        "part",
        "organisation",
        "weapon",
        "weapon_unit",
        "source",
    ]
    .iter()
    .map(|t| env.count(&format!("SELECT count(*) FROM {t}")))
    .collect()
}

#[test]
fn a_csv_export_reimports_into_an_empty_catalogue_with_the_same_counts() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let labelled = env.write(
        "labels.csv",
        "weapon,part_number,manufacturer,manufacturer_country,marking,date_code,found_at,source_url\n\
         Orlan-10 UAV No. 14662,STM32F405RGT6,STMicroelectronics,CH,ST 405 2214,2214,Kupiansk,https://e.org/a\n\
         Orlan-10 UAV No. 14662,STM32F405RGT6,STMicroelectronics,CH,ST 405 2214,2214,Kupiansk,https://e.org/a\n\
         \"UAV \"\"GERAN-2\"\" (Shahed-136) Ы-954\",TPS54331,TI,US,,,,https://e.org/b\n",
    );
    env.ok(&["import", labelled.to_str().unwrap()]);
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    for f in [
        "findings.csv",
        "manufacturers.csv",
        "weapons.csv",
        "parts.csv",
        "units.csv",
        "sources.csv",
        "observations.csv",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let copy = Env::with_catalogue();
    copy.ok(&["import", dir.join("findings.csv").to_str().unwrap()]);
    assert_eq!(counts(&copy), counts(&env));
    let a = env.ok(&["report", "origin", "--format", "csv"]);
    let b = copy.ok(&["report", "origin", "--format", "csv"]);
    assert_eq!(a, b, "the same figures from the copy");
}

#[test]
fn jsonl_has_one_object_per_entity_with_its_uid_and_links() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let out = env.ok(&["export", "--format", "jsonl", "--weapon", "Gerbera"]);
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |t: &str| objects.iter().filter(|o| o["type"] == t).count();
    assert_eq!(of("observation"), 3);
    assert_eq!(of("weapon"), 1);
    assert_eq!(of("manufacturer"), 2, "Viewpro and Skywalker");
    let obs = objects
        .iter()
        .find(|o| o["type"] == "observation" && o["part_as_logged"] == "A40 Pro")
        .unwrap();
    let maker = objects
        .iter()
        .find(|o| o["uid"] == obs["manufacturer"])
        .unwrap();
    assert_eq!(maker["name"], "Viewpro");
    assert_eq!(obs["sources"].as_array().unwrap().len(), 1);
    assert_eq!(
        objects[0]["type"], "export",
        "the first line says what the file is"
    );
    assert_eq!(objects[0]["format_version"], 1);
    assert!(objects[1..]
        .iter()
        .all(|o| o["uid"].as_str().is_some_and(|u| u.len() == 36)));
    let err = env.fails(&["export", "--format", "csv"]);
    assert!(err.contains("--out"), "{err}");
}

/// Findings with every kind of field filled, deterministic.
fn generated(n: usize) -> Vec<String> {
    let mut seed: u64 = 7;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    (0..n)
        .map(|i| {
            let maker = next(60);
            format!(
                "W{}-{},RU,part,P{}Q{},cat{},Maker{maker} Inc,{},{},M{i},{},2024-0{}-1{},Site{},Pub{},T{},https://e.org/{i},2024,medium,inv,",
                next(30),
                next(3),
                next(500),
                maker,
                next(5),
                ["US", "CN", "JP", ""][(maker % 4) as usize],
                ["", "MY"][next(2) as usize],
                2000 + next(300),
                1 + next(9),
                next(9),
                next(4),
                next(7),
                next(50)
            )
        })
        .collect()
}

#[test]
fn two_overlapping_halves_combine_into_the_whole_and_a_rerun_adds_nothing() {
    let rows = generated(1500);
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let whole = Env::with_catalogue();
    let f = whole.write("all.csv", crate::util::findings_csv(&refs));
    whole.ok(&["import", f.to_str().unwrap()]);
    let a = Env::with_catalogue();
    let fa = a.write("a.csv", crate::util::findings_csv(&refs[..900]));
    a.ok(&["import", fa.to_str().unwrap()]);
    let b = Env::with_catalogue();
    let fb = b.write("b.csv", crate::util::findings_csv(&refs[600..]));
    b.ok(&["import", fb.to_str().unwrap()]);
    let summary = a.ok_stderr(&["import-catalogue", b.db.to_str().unwrap()]);
    assert!(summary.contains("300 already here"), "{summary}");
    assert_eq!(counts(&a), counts(&whole));
    let again = a.ok_stderr(&["import-catalogue", b.db.to_str().unwrap()]);
    assert!(again.contains("0 new observations"), "{again}");
    assert_eq!(counts(&a), counts(&whole));
    a.ok(&["check"]);
}

#[test]
fn a_shared_history_matches_by_stable_id_and_lists_conflicts() {
    let a = Env::with_catalogue();
    a.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "camera",
        "--manufacturer",
        "Viewpro",
        "--manufacturer-country",
        "CN",
    ]);
    let copy = a.dir.path().join("copy.db");
    a.ok(&["backup", copy.to_str().unwrap()]);
    let b = Env {
        dir: tempfile::tempdir().unwrap(),
        db: copy,
    };
    // the colleague renames a spelling's entity and logs with a new spelling of it
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.execute(
        "UPDATE organisation SET country = 'HK' WHERE name = 'Viewpro'",
        [],
    )
    .unwrap();
    drop(conn);
    b.ok(&[
        "log",
        "--weapon",
        "Gerbera UAV",
        "--component",
        "gimbal",
        "--manufacturer",
        "Viewpro",
    ]);
    let out = a.ok(&[
        "import-catalogue",
        b.db.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("manufacturer") && out.contains("country,CN,HK"),
        "{out}"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM organisation"),
        1,
        "one Viewpro"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM organisation WHERE country = 'CN'"),
        1,
        "never overwritten: CN stays"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM weapon"),
        1,
        "Gerbera UAV joined Gerbera"
    );
    assert_eq!(a.count("SELECT count(*) FROM observation"), 2);
}

#[test]
fn readable_views_show_every_finding() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    assert_eq!(env.count("SELECT count(*) FROM findings"), 114);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM findings WHERE weapon = 'Gerbera' AND manufacturer = 'Viewpro'"
        ),
        2
    );
    assert_eq!(
        env.count("SELECT sum(observations) FROM origin_by_hq_country"),
        114
    );
}

#[test]
fn ftm_export_uses_stock_schemata_and_validates_where_followthemoney_is_installed() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let out = env.ok(&["export", "--format", "ftm"]);
    let entities: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: std::collections::HashSet<&str> =
        entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), entities.len(), "unique ids");
    assert!(entities.len() > 100, "{} entities", entities.len());
    let stock = [
        "Company",
        "Document",
        "Asset",
        "UnknownLink",
        "Documentation",
        "Ownership",
    ];
    assert!(entities
        .iter()
        .all(|e| stock.contains(&e["schema"].as_str().unwrap())));
    // every reference points at an entity in the file
    let mut references = 0;
    for e in &entities {
        for key in [
            "subject", "object", "document", "entity", "owner", "asset", "proof",
        ] {
            for r in e["properties"][key].as_array().into_iter().flatten() {
                assert!(ids.contains(r.as_str().unwrap()), "{key} -> {r}");
                references += 1;
            }
        }
    }
    assert!(
        references >= entities.len(),
        "{references} references checked"
    );
    let viewpro = entities
        .iter()
        .find(|e| e["schema"] == "Company" && e["properties"]["name"][0] == "Viewpro")
        .unwrap();
    assert_eq!(viewpro["properties"]["country"][0], "cn");
    let file = env.write("ftm.json", &out);
    match std::process::Command::new("ftm")
        .args(["validate", "-i", file.to_str().unwrap()])
        .output()
    {
        Ok(v) => {
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
            let back: Vec<serde_json::Value> = String::from_utf8_lossy(&v.stdout)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(
                back.len(),
                entities.len(),
                "followthemoney keeps every entity"
            );
        }
        Err(_) => eprintln!(
            "skipped the followthemoney check: `ftm` is not installed (pip install followthemoney)"
        ),
    }
}

/// The entity files and their columns as docs/exchange.md lists them.
fn documented_entity_files() -> Vec<(String, Vec<String>)> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/exchange.md")).unwrap();
    let files: Vec<(String, Vec<String>)> = doc
        .lines()
        .filter_map(|l| l.trim().strip_prefix("| `"))
        .filter_map(|l| l.split_once("` | "))
        .filter(|(file, _)| file.ends_with(".csv"))
        .map(|(file, cols)| {
            let cols = cols.trim_end_matches(" |").split(", ").map(str::to_string);
            (file.to_string(), cols.collect())
        })
        .collect();
    assert_eq!(
        files.len(),
        // nine for findings and decisions, six for the supply chain (schema v9), four for
        // export control (classifications, lists, their entries, screening decisions), one
        // for entity corrections (schema v12)
        20,
        "the table of entity files in docs/exchange.md"
    );
    files
}

#[test]
fn every_entity_file_has_its_documented_columns_even_when_empty() {
    // one finding with no unit, no merges and no retraction: units, merged, judgements and
    // retractions have no rows
    let env = Env::with_catalogue();
    let f = env.write(
        "f.csv",
        "weapon,part_number,manufacturer,source_url\nKh-101,LM317,Texas Instruments,https://e.org/1\n",
    );
    env.ok(&["import", f.to_str().unwrap()]);
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    for (file, columns) in documented_entity_files() {
        let text = std::fs::read_to_string(dir.join(&file)).unwrap();
        let header = text.lines().next().unwrap_or_default();
        assert_eq!(header, columns.join(","), "{file}");
        if [
            "units.csv",
            "merged.csv",
            "judgements.csv",
            "retractions.csv",
            // no supply facts in this catalogue
            "organisations.csv",
            "supply_links.csv",
            "weapon_producers.csv",
            "trace_requests.csv",
            "trace_responses.csv",
            "shipments.csv",
            // no classification, list or screening decision
            "classifications.csv",
            "designation_lists.csv",
            "designations.csv",
            "screening_decisions.csv",
            // no entity correction
            "entity_revisions.csv",
        ]
        .contains(&file.as_str())
        {
            assert_eq!(
                text,
                format!("{}\n", columns.join(",")),
                "{file}: the header alone"
            );
        } else {
            assert_eq!(text.lines().count(), 2, "{file}: {text}");
        }
    }
    // the JSON lines objects have the same keys, so the CSV drops nothing: a catalogue with a
    // unit, a merge and a retraction has an object of every type
    let more = env.write(
        "more.csv",
        "weapon,part_number,manufacturer,unit_serial,source_url\n\
         Kh-101,TPS54331,Texas Instruyments,MS-2291,https://e.org/2\n",
    );
    env.ok(&["import", more.to_str().unwrap()]);
    env.ok(&[
        "merge",
        "--kind",
        "manufacturer",
        "Texas Instruments",
        "Texas Instruyments",
        "--investigator",
        "analyst",
    ]);
    let first: String = env
        .conn()
        .query_row("SELECT min(uid) FROM observation", [], |r| r.get(0))
        .unwrap();
    env.ok(&[
        "retract",
        &first,
        "--reason",
        "a test",
        "--investigator",
        "analyst",
    ]);
    // and the supply chain: a trace request answered with a buyer, a shipment, a producer
    // (planted: only `demo`'s bundled facts record one through the program)
    let request = env
        .ok(&[
            "trace",
            "open",
            "TI",
            "--finding",
            &first,
            "--investigator",
            "analyst",
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
        "--investigator",
        "analyst",
    ]);
    let customs = env.write(
        "customs.csv",
        "date,part_number,brand,exporter,exporter_country,importer,importer_country,value,currency,source_url
         2023-05,LM317,Texas Instruments,Example Trading Ltd,HK,OOO Example,RU,1250.55,USD,https://e.org/c1
",
    );
    env.ok(&["shipments", "import", customs.to_str().unwrap()]);
    env.conn()
        .execute_batch(
            "INSERT INTO weapon_producer (uid, weapon_id, site, country, recorded_at)
             SELECT '01a23700-0000-7000-8000-000000000001', id, 'Somewhere', 'RU', '2026-01-01T00:00:00Z' FROM weapon LIMIT 1",
        )
        .unwrap();
    // and export control: a classification, a list and a screening decision
    env.ok(&[
        "classify",
        "LM317",
        "--hs",
        "8542.39",
        "--source",
        "https://e.org/ruling",
        "--investigator",
        "analyst",
    ]);
    env.ok(&[
        "lists",
        "import",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/lists/designated.ftm.jsonl"
        ),
        "--name",
        "TEST-LIST",
    ]);
    env.ok(&[
        "screen-decide",
        "Texas Instruments",
        "--list",
        "TEST-LIST",
        "--entry",
        "tst-kestrovia",
        "--verdict",
        "no-match",
        "--investigator",
        "analyst",
    ]);
    // and an entity correction
    env.ok(&[
        "correct",
        "manufacturer",
        "Texas Instruments",
        "--country",
        "US",
        "--reason",
        "a test",
        "--investigator",
        "analyst",
    ]);
    let out = env.ok(&["export", "--format", "jsonl"]);
    assert!(
        out.contains("\"value\":\"1250.55\""),
        "a value exported exactly: {out}"
    );
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (file, columns) in documented_entity_files() {
        let kind = match file.as_str() {
            "merged.csv" => "merged".to_string(),
            other => other
                .trim_end_matches(".csv")
                .trim_end_matches('s')
                .to_string(),
        };
        let of_kind: Vec<_> = objects
            .iter()
            .filter(|o| o["type"] == kind.as_str())
            .collect();
        assert!(!of_kind.is_empty(), "an object of type {kind}");
        for o in of_kind {
            // an observation's finding as stated and its entities' origins travel in JSON lines
            // only (docs/exchange.md): findings.csv holds the findings as stated
            let keys: Vec<&String> = o
                .keys()
                .filter(|k| !["type", "stated", "origins"].contains(&k.as_str()))
                .collect();
            assert_eq!(keys, columns.iter().collect::<Vec<_>>(), "{kind}");
        }
    }
}
