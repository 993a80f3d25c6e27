use crate::util::{Env, SAMPLE};

fn sample() -> Env {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    env
}

fn column(rows: &serde_json::Value, key: &str) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn parts_by_manufacturer_matches_through_normalisation() {
    let env = sample();
    let exact = env.json(&[
        "parts",
        "--manufacturer",
        "Texas Instruments",
        "--format",
        "json",
    ]);
    let loose = env.json(&[
        "parts",
        "--manufacturer",
        "texas instruments inc",
        "--format",
        "json",
    ]);
    assert_eq!(exact, loose);
    assert!(exact.as_array().unwrap().len() >= 5, "{exact}");
    assert!(column(&exact, "manufacturer")
        .iter()
        .all(|m| m == "Texas Instruments"));
    let weapons: Vec<String> = exact
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["weapons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
        })
        .collect();
    assert!(weapons.contains(&"Shahed-136".to_string()), "{weapons:?}");
}

#[test]
fn parts_filters_narrow_the_listing() {
    let env = sample();
    let all = env
        .json(&["parts", "--format", "json"])
        .as_array()
        .unwrap()
        .len();
    let china = env.json(&[
        "parts",
        "--country",
        "People's Republic of China",
        "--format",
        "json",
    ]);
    assert!(!china.as_array().unwrap().is_empty());
    assert!(column(&china, "country").iter().all(|c| c == "CN"));
    let gerbera = env.json(&["parts", "--weapon", "gerbera", "--format", "json"]);
    assert_eq!(gerbera.as_array().unwrap().len(), 3);
    let cameras = env.json(&["parts", "--category", "CAMERA", "--format", "json"]);
    let camera_parts = env.count("SELECT count(*) FROM part WHERE category = 'camera'");
    assert!(camera_parts > 0, "the sample has cameras");
    assert_eq!(cameras.as_array().unwrap().len() as i64, camera_parts);
    assert!(column(&cameras, "category").iter().all(|c| c == "camera"));
    let recent = env.json(&["parts", "--since", "2025-01-01", "--format", "json"]);
    // ISO dates compare as text
    let recent_parts = env.count(
        "SELECT count(DISTINCT ps.part_id) FROM observation o
         JOIN part_spelling ps ON ps.id = o.part_spelling_id WHERE o.observed_on >= '2025-01-01'",
    );
    assert!(recent_parts > 0, "the sample has findings from 2025 on");
    assert_eq!(recent.as_array().unwrap().len() as i64, recent_parts);
    assert!(
        column(&recent, "first_seen")
            .iter()
            .all(|d| d.as_str() >= "2025"),
        "{recent}"
    );
    let y2023 = env.json(&[
        "parts", "--since", "2023", "--until", "2023", "--format", "json",
    ]);
    assert!(!y2023.as_array().unwrap().is_empty());
    assert!(
        column(&y2023, "last_seen")
            .iter()
            .all(|d| d.starts_with("2023")),
        "{y2023}"
    );
    assert!(china.as_array().unwrap().len() < all && recent.as_array().unwrap().len() < all);
}

#[test]
fn unknown_filter_values_name_the_flag() {
    let env = sample();
    assert!(env
        .fails(&["parts", "--country", "Narnia"])
        .contains("--country: unknown country 'Narnia'"));
    assert!(env
        .fails(&["parts", "--manufacturer", "Acme Rockets"])
        .contains("--manufacturer: no manufacturer named 'Acme Rockets'"));
    assert!(env
        .fails(&["parts", "--since", "last year"])
        .contains("--since:"));
    assert!(env
        .fails(&["parts", "--weapon", "Death Star"])
        .contains("--weapon: no weapon"));
}

#[test]
fn listings_are_stable_csv_with_a_header() {
    let env = sample();
    let csv = env.ok(&["parts", "--format", "csv"]);
    assert!(csv.starts_with("uid,part_number,name,category,manufacturer,country,observations,weapon_count,weapons,first_seen,last_seen,suppliers\n"));
    assert_eq!(csv, env.ok(&["parts", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.records().count() as i64,
        env.count("SELECT count(*) FROM part")
    );
}

#[test]
fn manufacturers_by_country_accept_names_and_codes() {
    let env = sample();
    let by_name = env.json(&["manufacturers", "--country", "China", "--format", "json"]);
    let by_code = env.json(&["manufacturers", "--country", "CHN", "--format", "json"]);
    assert_eq!(by_name, by_code);
    assert!(column(&by_name, "name").contains(&"Viewpro".to_string()));
    let chinese = env.count("SELECT count(*) FROM organisation WHERE country = 'CN'");
    assert_eq!(by_name.as_array().unwrap().len() as i64, chinese);
    assert!(column(&by_name, "country").iter().all(|c| c == "CN"));
    let table = env.ok(&["manufacturers"]);
    assert!(table.lines().nth(1).unwrap().starts_with("----"), "{table}");
}

#[test]
fn weapons_list_models_with_counts() {
    let env = sample();
    let weapons = env.json(&["weapons", "--format", "json"]);
    let gerbera = weapons
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "Gerbera")
        .unwrap();
    assert_eq!(gerbera["observations"], 3);
    assert_eq!(gerbera["origin_country"], "RU");
    let total: i64 = weapons
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["observations"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 114);
}

#[test]
fn show_weapon_gives_the_bill_of_parts_and_evidence() {
    let env = sample();
    let doc = env.json(&["show", "weapon", "Gerbera", "--format", "json"]);
    assert_eq!(doc["name"], "Gerbera");
    let makers = column(&doc["parts"], "manufacturer");
    assert!(makers.contains(&"Viewpro".to_string()));
    assert_eq!(doc["countries"][0]["country"], "CN");
    assert_eq!(doc["sources"].as_array().unwrap().len(), 3);
    let table = env.ok(&["show", "weapon", "Gerbera"]);
    assert!(table.starts_with("weapon Gerbera\n"), "{table}");
}

#[test]
fn show_part_and_manufacturer_trace_to_sources() {
    let env = sample();
    let part = env.json(&["show", "part", "a40 pro", "--format", "json"]);
    assert_eq!(part["manufacturer"], "Viewpro");
    assert_eq!(part["sources"][0]["publisher"], "Defense Express");
    let maker = env.json(&["show", "manufacturer", "VIEWPRO", "--format", "json"]);
    assert_eq!(maker["country"], "CN");
    assert_eq!(maker["parts"].as_array().unwrap().len(), 2);
    assert_eq!(maker["weapons"][0]["weapon"], "Gerbera");
    assert!(env
        .fails(&["show", "part", "XYZ-999"])
        .contains("no part named 'XYZ-999'"));
}

#[test]
fn show_asks_which_part_when_two_makers_share_a_number() {
    let env = Env::with_catalogue();
    let csv = crate::util::findings_csv(&[
        "Kh-101,RU,regulator,AMS1117-3.3,power,Advanced Monolithic Systems,US,,,,,,,,,,,,",
        "Kh-101,RU,regulator,AMS1117-3.3,power,Texas Instruments,US,,,,,,,,,,,,",
    ]);
    let f = env.write("f.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let err = env.fails(&["show", "part", "AMS1117-3.3"]);
    assert!(err.contains("names 2 parts; add --manufacturer"), "{err}");
    let ti = env.json(&[
        "show",
        "part",
        "ams1117 3.3",
        "--manufacturer",
        "texas instruments",
        "--format",
        "json",
    ]);
    assert_eq!(ti["manufacturer"], "Texas Instruments");
}

#[test]
fn search_finds_spellings_fragments_and_markings() {
    let env = Env::with_catalogue();
    env.ok(&[
        "log",
        "--weapon",
        "Shahed-136",
        "--part-number",
        "STM32F405RGT6",
        "--manufacturer",
        "STMicroelectronics",
        "--marking",
        "STM32F405 RGT6 GH23Q 9R 2214",
    ]);
    let hits = env.json(&["search", "405RGT", "--format", "json"]);
    assert_eq!(column(&hits, "kind"), ["part"]);
    let hits = env.json(&["search", "gh23q", "--format", "json"]);
    assert_eq!(column(&hits, "kind"), ["marking"]);
    assert_eq!(column(&hits, "name"), ["STM32F405RGT6"]);
    let hits = env.json(&["search", "micro", "--format", "json"]);
    assert_eq!(column(&hits, "kind"), ["manufacturer"]);
    let hits = env.json(&["search", "100%", "--format", "json"]);
    assert!(hits.as_array().unwrap().is_empty(), "% is literal: {hits}");
}

#[test]
fn search_finds_unit_serials_and_labels_notes_and_source_titles() {
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        "weapon,unit_serial,component,part_number,manufacturer,notes,source_publisher,source_title,source_url\n\
         Kh-101,MS-2291,regulator,LM317,Texas Instruments,,GUR,Component record 4711,https://e.org/1\n\
         Orlan-10 UAV No. 14662,,camera,A40 Pro,Viewpro,soldered over a Qzt-77 rework,,,https://e.org/2\n\
         \"Missile Kh-101 №3152631314019 (researched in December 2024)\",,GNSS,NEO-M8N,u-blox,,,,https://e.org/3\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let search = |text: &str| env.json(&["search", text, "--format", "json"]);
    let hits = search("ms-2291");
    assert_eq!(column(&hits, "kind"), ["unit"], "{hits}");
    assert_eq!(column(&hits, "matched"), ["MS-2291"]);
    assert_eq!(column(&hits, "name"), ["Kh-101"]);
    // a unit's published label, and what its label said besides the serial
    let hits = search("UAV No. 146");
    assert_eq!(column(&hits, "kind"), ["unit", "weapon"], "{hits}");
    assert_eq!(column(&hits, "matched")[0], "Orlan-10 UAV No. 14662");
    let hits = search("researched in December");
    assert!(
        column(&hits, "kind").contains(&"unit".to_string()),
        "{hits}"
    );
    let hits = search("qzt-77");
    assert_eq!(column(&hits, "kind"), ["note"], "{hits}");
    assert_eq!(column(&hits, "name"), ["A40 Pro"]);
    let hits = search("record 4711");
    assert_eq!(column(&hits, "kind"), ["source"], "{hits}");
    assert_eq!(column(&hits, "matched"), ["Component record 4711"]);
    assert_eq!(column(&hits, "detail"), ["GUR"]);
}
