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
