//! The largest public catalogue as published (../shared/data/gur-components.csv): labels that
//! mix models and units, makers with their owners in parentheses, repeated records. Skipped,
//! with a message, where the file is absent; a failure under CI=true (`util::shared_file`).

use std::path::PathBuf;

use crate::util::{shared_file, Env};

fn gur() -> Option<(Env, PathBuf)> {
    let file = shared_file("data/gur-components.csv")?;
    let env = Env::with_catalogue();
    env.ok(&["import", file.to_str().unwrap()]);
    Some((env, file))
}

fn records(file: &PathBuf) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(file).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn labels_become_far_fewer_models_and_every_unit_serial_is_kept() {
    let Some((env, file)) = gur() else { return };
    let labels: std::collections::HashSet<String> =
        records(&file).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(labels.len(), 195);
    let models = env.count("SELECT count(*) FROM weapon WHERE merged_into IS NULL");
    assert!(models <= 140, "{models} models from 195 labels");
    assert_eq!(
        env.count("SELECT count(*) FROM weapon_spelling"),
        195,
        "every label is kept as a spelling"
    );
    for (label, serial) in [
        ("UAV \"GERAN-2\" (Shahed-136) Ы-954", "Ы-954"),
        ("Shahed-136 (GERAN-2) MS001", "MS001"),
        ("UAV \"Shahed-136\" №13678", "13678"),
        ("Orlan-10 UAV No. 14662", "14662"),
        ("\"Supercam S350\" UAV №2212S350SP19017", "2212S350SP19017"),
        (
            "Missile Kh-69 (No.9504514305003 and No.9504513406014)",
            "9504514305003; 9504513406014",
        ),
        (
            "KamAZ-63968 \"Typhoon-K\" (chassis serial number ХТС 639680H1353076)",
            "ХТС 639680H1353076",
        ),
    ] {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let found: String = conn
            .query_row(
                "SELECT serial FROM weapon_unit WHERE label = ?1",
                [label],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(found, serial, "{label}");
    }
    let zala = env.json(&["show", "weapon", "Zala421-16E UAV", "--format", "json"]);
    assert_eq!(
        zala["observations"],
        39 + 53,
        "both Zala labels are one model"
    );
    assert_eq!(
        zala["units"][0]["found_on"], "2022-04",
        "captured in April 2022"
    );
}

#[test]
fn origin_by_headquarters_recomputes_from_the_file() {
    let Some((env, file)) = gur() else { return };
    let rows = records(&file);
    // a record stated twice is one finding: the file repeats some records hundreds of times
    let mut distinct: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    distinct.sort();
    distinct.dedup();
    let us = distinct.iter().filter(|r| r[5] == "US").count() as i64;
    let unknown = distinct.iter().filter(|r| r[5].is_empty()).count() as i64;
    assert_eq!((rows.len(), distinct.len()), (8326, 5806));
    assert_eq!((us, unknown), (3950, 164));
    let json = env.json(&["report", "origin", "--format", "json"]);
    assert_eq!(json["basis"]["totals"]["observations"], 5806);
    let countries = json["tables"]["countries"].as_array().unwrap();
    let row = countries.iter().find(|r| r["country"] == "US").unwrap();
    assert_eq!(row["observations"], us);
    assert_eq!(row["share_of_observations"], 68.0);
    let shown_unknown: i64 = countries
        .iter()
        .filter(|r| r["country"].is_null())
        .map(|r| r["observations"].as_i64().unwrap())
        .sum();
    assert_eq!(shown_unknown, unknown, "the unknowns are shown as unknown");
}

#[test]
fn the_shahed_family_report_gathers_all_its_labelled_units() {
    let Some((env, file)) = gur() else { return };
    let rows = records(&file);
    let family = |label: &str| {
        let l = label.to_lowercase();
        (l.contains("shahed-136") || l.contains("geran-2")) && !l.contains("black")
    };
    let expected = rows.iter().filter(|r| family(&r[0])).count() as i64;
    let report = env.json(&["report", "weapon", "Geran-2", "--format", "json"]);
    assert_eq!(report["basis"]["totals"]["observations"], expected);
    let shown = env.json(&["show", "weapon", "Shahed-136", "--format", "json"]);
    let serials: Vec<&str> = shown["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["serial"].as_str())
        .collect();
    for s in [
        "Ы-954",
        "Ы-1311",
        "ЬІ-8465",
        "MS001",
        "13678",
        "13084",
        "М214",
    ] {
        assert!(serials.contains(&s), "{s} in {serials:?}");
    }
}

#[test]
fn grouping_by_owner_gathers_analog_devices_brands() {
    let Some((env, _)) = gur() else { return };
    let alone = env.json(&[
        "report",
        "manufacturer",
        "Analog Devices",
        "--format",
        "json",
    ]);
    let owner = env.json(&[
        "report",
        "manufacturer",
        "Analog Devices",
        "--by-owner",
        "--format",
        "json",
    ]);
    let brands: std::collections::HashSet<&str> = owner["tables"]["weapons and parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["brand"].as_str().unwrap())
        .collect();
    assert!(brands.contains("Maxim Integrated Products"), "{brands:?}");
    assert!(
        brands.iter().any(|b| b.starts_with("Linear Technology")),
        "{brands:?}"
    );
    assert!(
        owner["basis"]["totals"]["observations"].as_i64()
            > alone["basis"]["totals"]["observations"].as_i64()
    );
    let maxim = env.json(&[
        "show",
        "manufacturer",
        "Maxim Integrated Products (Analog Devices)",
        "--format",
        "json",
    ]);
    assert_eq!(
        maxim["name"], "Maxim Integrated Products",
        "the brand as printed is the maker"
    );
}

#[test]
fn dates_in_the_published_labels_keep_their_meaning() {
    let Some((env, _)) = gur() else { return };
    let units = |condition: &str| {
        env.count(&format!(
            "SELECT count(*) FROM weapon_unit WHERE label IS NOT NULL AND ({condition})"
        ))
    };
    // produced 1Q2023, produced in March 2023, produced not earlier than 2021
    assert_eq!(units("produced_as IS NOT NULL"), 3);
    assert_eq!(units("produced_as IS NOT NULL AND found_on IS NOT NULL"), 0);
    assert_eq!(units("used_on = '2024-01-02'"), 1, "used on 02.01.2024");
    // captured in April 2022, (May 2022) twice, (April 2022), (June 2022), (July 2022),
    // (April 2023), (Chernihiv, 19.08.2023)
    assert_eq!(units("found_on IS NOT NULL"), 8);
    assert_eq!(
        units("found_at = 'Chernihiv' AND found_on = '2023-08-19'"),
        1
    );
    assert_eq!(
        units("note LIKE '%researched%' OR note LIKE '%usage%' OR note LIKE '%use %'"),
        0,
        "labels of models researched or in use name no unit"
    );
    let json = env.json(&["report", "date-codes", "--format", "json"]);
    let totals = &json["basis"]["totals"];
    assert_eq!(totals["units built after the cut-off"], 2);
    assert_eq!(totals["units straddling the cut-off"], 1);
    assert_eq!(
        totals["observations with a date code"], 0,
        "GUR states none"
    );
    let read = totals["date codes read from markings"].as_i64().unwrap();
    assert_eq!(
        read,
        env.count("SELECT count(*) FROM observation WHERE marking_date_code IS NOT NULL")
    );
    assert!((100..=130).contains(&read), "{read} candidates read");
    assert_eq!(
        env.count(
            "SELECT count(*) FROM observation WHERE component_text LIKE '%CY62157EV30L – 45ZSXI 1813%'
               AND marking_date_code = '1813'"
        ),
        1
    );
}
