use crate::util::{findings_csv, Env, SAMPLE};

const GOOD: &str = "Gerbera,RU,camera,A40 Pro,camera,Viewpro,CN,,,,2024-09-01,Kyiv,Defense Express,From Shenzhen,,2024-09,medium,analyst,";

#[test]
fn the_sample_imports_cleanly_and_keeps_every_row() {
    let env = Env::with_catalogue();
    let summary = env.ok_stderr(&["import", SAMPLE]);
    assert!(
        summary.contains("114 rows, 114 new observations"),
        "{summary}"
    );
    assert_eq!(env.count("SELECT count(*) FROM observation"), 114);
    // unknown makers stay unknown: no organisation is invented for them
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE organisation_spelling_id IS NULL"),
        11
    );
    // the seed case: both Viewpro rows with their evidence
    assert_eq!(
        env.count("SELECT count(*) FROM part p JOIN organisation m ON m.id = p.manufacturer_id WHERE m.name = 'Viewpro'"),
        2
    );
    assert_eq!(
        env.count("SELECT count(*) FROM source WHERE publisher = 'Defense Express'"),
        1
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM import_batch WHERE rows_read = 114 AND length(sha256) = 64"
        ),
        1
    );
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let counts = |env: &Env| {
        [
            "observation",
            "part",
            "organisation",
            "weapon",
            "source",
            "part_spelling",
            "observation_source",
        ]
        .map(|t| env.count(&format!("SELECT count(*) FROM {t}")))
    };
    let first = counts(&env);
    let summary = env.ok_stderr(&["import", SAMPLE]);
    assert!(
        summary.contains("0 new observations (114 already in the catalogue)"),
        "{summary}"
    );
    assert_eq!(counts(&env), first);
    env.ok(&["check"]); // integrity and every foreign key, which the import checks itself
}

#[test]
fn spellings_with_the_same_key_join_one_entity_and_are_all_kept() {
    let env = Env::with_catalogue();
    let csv = findings_csv(&[
        "Shahed-136,IR,MCU,STM32F405RGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://a.example/1,,,,",
        "Shahed 136,IR,MCU,stm32f405 rgt6,microcontroller,STMICROELECTRONICS N.V.,CH,,,,,,,,https://a.example/2,,,,",
        "Shahed-136,IR,MCU,STM32F407VGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://a.example/3,,,,",
        "Kh-101,RU,regulator,AMS1117-3.3,power,Advanced Monolithic Systems,US,,,,,,,,https://a.example/4,,,,",
        "Kh-101,RU,regulator,AMS1117-3.3,power,Texas Instruments,US,,,,,,,,https://a.example/5,,,,",
        "Kh-101,RU,regulator,AMS1117-3.3,power,,,,,,,,,,https://a.example/6,,,,",
    ]);
    let file = env.write("f.csv", csv);
    let summary = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(
        summary.contains("new: 5 parts, 3 manufacturers, 2 weapons"),
        "{summary}"
    );
    assert_eq!(env.count("SELECT count(*) FROM weapon_spelling"), 3);
    assert_eq!(env.count("SELECT count(*) FROM organisation_spelling"), 4);
    // the same number from two makers, and from an unknown maker, is three parts
    assert_eq!(
        env.count("SELECT count(*) FROM part WHERE part_number = 'AMS1117-3.3'"),
        3
    );
    assert_eq!(env.count("SELECT count(*) FROM part WHERE part_number = 'AMS1117-3.3' AND manufacturer_id IS NULL"), 1);
}

fn assert_rejected(env: &Env, name: &str, content: impl AsRef<[u8]>, expect: &[&str]) {
    let before = env.fingerprint();
    let file = env.write(name, content);
    let err = env.fails(&["import", file.to_str().unwrap()]);
    assert!(
        !expect.is_empty(),
        "{name}: say what the message must contain"
    );
    for e in expect {
        assert!(err.contains(e), "{name}: expected {e:?} in {err}");
    }
    assert_eq!(err.trim_end().lines().count(), 1, "one message: {err}");
    assert_eq!(env.fingerprint(), before, "{name} changed the catalogue");
}

#[test]
fn bad_files_are_refused_whole_with_file_line_and_column() {
    let env = Env::with_catalogue();
    env.ok(&["import", SAMPLE]);
    let bad_country = findings_csv(&[GOOD, &GOOD.replace(",CN,", ",Atlantis,")]);
    assert_rejected(
        &env,
        "country.csv",
        bad_country,
        &[
            "country.csv:3:",
            "column 'manufacturer_country' (field 7)",
            "unknown country 'Atlantis'",
            "nothing was imported",
        ],
    );
    let bad_date = findings_csv(&[GOOD, GOOD, &GOOD.replace("2024-09-01", "2023-02-29")]);
    assert_rejected(
        &env,
        "date.csv",
        bad_date,
        &[
            "date.csv:4:",
            "column 'found_on' (field 11)",
            "day 29 does not exist",
        ],
    );
    let no_weapon = findings_csv(&[&GOOD.replacen("Gerbera", "", 1)]);
    assert_rejected(
        &env,
        "weapon.csv",
        no_weapon,
        &["weapon.csv:2:", "column 'weapon' (field 1)", "required"],
    );
    let bad_confidence = findings_csv(&[&GOOD.replace("medium", "sure")]);
    assert_rejected(
        &env,
        "conf.csv",
        bad_confidence,
        &["conf.csv:2:", "'confidence'"],
    );
    let short_row = findings_csv(&[GOOD, "Gerbera,RU,camera"]);
    assert_rejected(
        &env,
        "short.csv",
        short_row,
        &["short.csv:3:", "3 fields but the header has 19"],
    );
    let long_row = findings_csv(&[&format!("{GOOD},extra")]);
    assert_rejected(
        &env,
        "long.csv",
        long_row,
        &["long.csv:2:", "20 fields but the header has 19"],
    );
    assert_rejected(
        &env,
        "missing.csv",
        "component,part_number\ncamera,A40\n",
        &["missing.csv:1:", "required column 'weapon' is missing"],
    );
    assert_rejected(
        &env,
        "unknown.csv",
        "weapon,component,colour\nGerbera,camera,red\n",
        &[
            "unknown.csv:1:",
            "unknown column 'colour'",
            "known columns are: weapon, weapon_origin_country",
        ],
    );
    assert_rejected(&env, "empty.csv", "", &["empty.csv", "empty"]);
    assert_rejected(
        &env,
        "header-only.csv",
        format!("{}\n", crate::util::HEADER),
        &["no rows"],
    );
    let mut latin1 = findings_csv(&[GOOD]).into_bytes();
    latin1.extend_from_slice(b"Gerbera,RU,cam\xe9ra,A41,camera,Viewpro,CN,,,,,,,,,,,,\n");
    assert_rejected(
        &env,
        "latin1.csv",
        latin1,
        &["latin1.csv:3:", "field 3 is not valid UTF-8"],
    );
    assert_rejected(
        &env,
        "binary.csv",
        [0x89u8, b'P', b'N', b'G', 0, 0, 0xff, 0xfe, b'\n', 1, 2],
        &["binary.csv"],
    );
}

#[test]
fn header_names_are_case_insensitive_in_any_order_with_a_bom() {
    let env = Env::with_catalogue();
    let csv = "\u{feff}Component,WEAPON,Manufacturer\n\"camera, thermal\",Gerbera,Viewpro\n\"multi\nline\",Gerbera,Viewpro\n";
    let file = env.write("bom.csv", csv);
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 2);
    assert_eq!(
        env.count("SELECT count(*) FROM part WHERE name = 'multi\nline'"),
        1
    );
}

#[test]
fn a_missing_file_is_named() {
    let env = Env::with_catalogue();
    let err = env.fails(&["import", "nowhere.csv"]);
    assert!(err.contains("nowhere.csv: cannot open"), "{err}");
}

/// The rule before schema v7 was the opposite (three identical rows were three chips); a
/// published catalogue that repeats records hundreds of times showed why it cannot hold.
#[test]
fn identical_rows_in_one_file_are_one_finding_and_a_reimport_adds_nothing() {
    let env = Env::with_catalogue();
    let f = env.write("twins.csv", findings_csv(&[GOOD, GOOD, GOOD]));
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(
        summary.contains("3 rows, 1 new observations"),
        "one finding stated three times: {summary}"
    );
    assert!(
        summary.contains("2 rows repeated an earlier row"),
        "{summary}"
    );
    let summary = env.ok_stderr(&["import", f.to_str().unwrap()]);
    assert!(
        summary.contains("0 new observations (3 already in the catalogue)"),
        "{summary}"
    );
    let more = env.write("more.csv", findings_csv(&[GOOD, GOOD, GOOD, GOOD]));
    let summary = env.ok_stderr(&["import", more.to_str().unwrap()]);
    assert!(
        summary.contains("0 new observations (4 already in the catalogue)"),
        "a fourth statement is the same finding: {summary}"
    );
    assert_eq!(env.count("SELECT count(*) FROM observation"), 1);
}

/// The names and definitions of every index, as SQLite keeps them.
fn indexes(env: &Env) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_bulk_import_builds_its_indexes_again_and_a_small_one_keeps_them() {
    let env = Env::with_catalogue();
    let fresh = indexes(&env);
    assert!(fresh.len() > 20, "{fresh:?}");
    // into an empty catalogue: secondary indexes are dropped and built again after the rows
    env.ok(&["import", SAMPLE]);
    assert_eq!(indexes(&env), fresh);
    // a one-row file next to a catalogue of a hundred findings keeps them up to date instead
    let one = env.write("one.csv", findings_csv(&[&GOOD.replace("A40 Pro", "A50")]));
    let summary = env.ok_stderr(&["import", one.to_str().unwrap()]);
    assert!(summary.contains("1 new observations"), "{summary}");
    assert_eq!(indexes(&env), fresh);
    // and the queries that use them answer from both
    let parts = env.json(&["parts", "--manufacturer", "Viewpro", "--format", "json"]);
    let numbers: Vec<&str> = parts
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["part_number"].as_str())
        .collect();
    assert!(numbers.contains(&"A50"), "{numbers:?}");
    env.ok(&["check"]);
}

#[test]
fn a_country_missing_from_the_catalogues_table_stops_the_import() {
    // the import writes without SQLite's per-row foreign-key checks and checks countries itself
    let env = Env::with_catalogue();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("DELETE FROM country WHERE code = 'AQ'", [])
        .unwrap();
    drop(conn);
    let row = GOOD.replace(",CN,", ",AQ,");
    let f = env.write("aq.csv", findings_csv(&[GOOD, &row]));
    let before = env.fingerprint();
    let err = env.fails(&["import", f.to_str().unwrap()]);
    assert!(
        err.contains("aq.csv:3")
            && err.contains("country AQ is not in this catalogue's country table"),
        "{err}"
    );
    assert_eq!(env.fingerprint(), before, "nothing was imported");
    env.ok(&["check"]);
}

#[test]
fn a_weapon_label_whose_lowercase_is_longer_imports_and_keeps_its_serial() {
    // "İ" lowercases to two chars: the label parser once sliced at offsets of the lowercase
    // and stopped the whole import with a panic (exit 101)
    let env = Env::with_catalogue();
    let file = env.write(
        "f.csv",
        findings_csv(&[
            "İ No.Ы5,RU,camera,A40 Pro,camera,Viewpro,CN,,,,2024-09-01,Kyiv,Defense Express,From Shenzhen,,2024-09,medium,analyst,",
        ]),
    );
    let summary = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(summary.contains("1 rows, 1 new observations"), "{summary}");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let serial: String = conn
        .query_row(
            "SELECT serial FROM weapon_unit WHERE label = 'İ No.Ы5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(serial, "Ы5");
}

/// A unit's columns by its label: serial, recovery date and place, production interval and
/// statement, date of use, note.
type UnitDates = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn unit_by_label(env: &Env, label: &str) -> Option<UnitDates> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT serial, found_on, found_at, produced_from, produced_to, produced_as, used_on, note
             FROM weapon_unit WHERE label = ?1",
        )
        .unwrap();
    let mut rows = stmt
        .query_map([label], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap();
    rows.next().map(|r| r.unwrap())
}

#[test]
fn dates_in_weapon_labels_land_in_their_own_fields() {
    let env = Env::with_catalogue();
    let file = env.write(
        "labels.csv",
        "weapon,component,source_url\n\
         Missile Kh-101 №3152631314019 (produced 1Q2023),servo,https://e.org/1\n\
         Missile Kh-101 №3152638829015 (used on 02.01.2024),servo,https://e.org/2\n\
         \"Missile 9M727 \"\"Iskander-K\"\" (Chernihiv, 19.08.2023)\",servo,https://e.org/3\n\
         Missile 3M-14 Kalibr (produced not earlier than 2021),servo,https://e.org/4\n\
         Missile Kh-101 №55 (researched in December 2024),servo,https://e.org/5\n\
         \"\"\"Tornado-C\"\" 9M549 MLRS guided missile (researched in December 2024)\",servo,https://e.org/6\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let s = |t: &str| Some(t.to_string());
    assert_eq!(
        unit_by_label(&env, "Missile Kh-101 №3152631314019 (produced 1Q2023)"),
        Some((
            s("3152631314019"),
            None,
            None,
            s("2023-01-01"),
            s("2023-03-31"),
            s("1Q2023"),
            None,
            None
        )),
        "a production date, not a recovery date"
    );
    assert_eq!(
        unit_by_label(&env, "Missile Kh-101 №3152638829015 (used on 02.01.2024)"),
        Some((
            s("3152638829015"),
            None,
            None,
            None,
            None,
            None,
            s("2024-01-02"),
            None
        ))
    );
    assert_eq!(
        unit_by_label(&env, "Missile 9M727 \"Iskander-K\" (Chernihiv, 19.08.2023)"),
        Some((
            None,
            s("2023-08-19"),
            s("Chernihiv"),
            None,
            None,
            None,
            None,
            None
        ))
    );
    assert_eq!(
        unit_by_label(
            &env,
            "Missile 3M-14 Kalibr (produced not earlier than 2021)"
        ),
        Some((
            None,
            None,
            None,
            s("2021-01-01"),
            None,
            s("not earlier than 2021"),
            None,
            None
        )),
        "a lower bound, open-ended; the label names its unit by that alone"
    );
    assert_eq!(
        unit_by_label(&env, "Missile Kh-101 №55 (researched in December 2024)"),
        Some((
            s("55"),
            None,
            None,
            None,
            None,
            None,
            None,
            s("researched in December 2024")
        )),
        "another dated note stays a note"
    );
    assert_eq!(
        unit_by_label(
            &env,
            "\"Tornado-C\" 9M549 MLRS guided missile (researched in December 2024)"
        ),
        None,
        "a model researched, not a unit"
    );
    env.ok(&["check"]);
    // the readable view shows them
    assert_eq!(
        env.count(
            "SELECT count(*) FROM findings WHERE unit_produced = '1Q2023' AND found_on IS NULL"
        ),
        1
    );
}

#[test]
fn the_rows_own_unit_columns_win_over_its_label_and_a_bad_production_date_names_its_column() {
    let env = Env::with_catalogue();
    let file = env.write(
        "rows.csv",
        "weapon,component,found_at,unit_produced,unit_used_on,source_url\n\
         \"Missile 9M727 \"\"Iskander-K\"\" (Chernihiv, 19.08.2023)\",servo,Chernihiv Oblast,2022-Q4,2023-08-19,https://e.org/1\n\
         Missile Kh-101 №3152631314019 (produced 1Q2023),servo,,>=2022,,https://e.org/2\n\
         Missile Kh-101,servo,,2023-03,,https://e.org/3\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let s = |t: &str| Some(t.to_string());
    assert_eq!(
        unit_by_label(&env, "Missile 9M727 \"Iskander-K\" (Chernihiv, 19.08.2023)"),
        Some((
            None,
            s("2023-08-19"),
            s("Chernihiv Oblast"),
            s("2022-10-01"),
            s("2022-12-31"),
            s("2022-Q4"),
            s("2023-08-19"),
            None
        ))
    );
    let row = unit_by_label(&env, "Missile Kh-101 №3152631314019 (produced 1Q2023)").unwrap();
    assert_eq!(
        (row.3, row.4, row.5),
        (s("2022-01-01"), None, s(">=2022")),
        "the row's production date, not the label's"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM weapon_unit WHERE label IS NULL AND produced_as = '2023-03'
               AND produced_to = '2023-03-31' AND serial IS NULL AND found_on IS NULL"
        ),
        1,
        "a row's production date alone names a unit"
    );
    for (value, column) in [
        ("spring 2023", "unit_produced"),
        ("2023-Q5", "unit_produced"),
        ("not earlier than", "unit_produced"),
    ] {
        assert_rejected(
            &env,
            "bad.csv",
            format!("weapon,component,unit_produced\nKh-101,servo,{value}\n"),
            &["bad.csv:2", &format!("column '{column}'"), value],
        );
    }
    assert_rejected(
        &env,
        "bad.csv",
        "weapon,component,unit_used_on\nKh-101,servo,02.01.2024\n",
        &["bad.csv:2", "column 'unit_used_on'"],
    );
}

#[test]
fn a_country_conflict_names_the_maker_both_countries_and_the_first_lines() {
    let env = Env::with_catalogue();
    let row = |maker: &str, country: &str, pn: &str| {
        format!("Kh-101,RU,relay,{pn},relay,{maker},{country},,,,,,,,https://a.example/{pn},,,,")
    };
    let mut rows = vec![
        row("TE Connectivity", "IE", "R1"),
        row("Tyco Electronics", "US", "R2"),
        row("Tyco Electronics", "US", "R3"),
    ];
    // thirteen more makers, each stating two countries: only the first ten pairs are named
    for m in 0..13 {
        rows.push(row(&format!("Maker{m} Corp"), "CN", &format!("A{m}")));
        rows.push(row(&format!("Maker{m} Corp"), "DE", &format!("B{m}")));
    }
    rows.push(row("Tyco Electronics", "US", "R4"));
    rows.push(row("Tyco Electronics", "US", "R5"));
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let file = env.write("f.csv", findings_csv(&rows));
    let summary = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(
        summary.contains(
            "warning: 17 rows gave a manufacturer country different from the catalogue's"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "\n  Tyco Electronics US against TE Connectivity IE: 4 rows (lines 3, 4, 31, ...)"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("\n  Maker0 Corp DE against Maker0 Corp CN: 1 row (line 6)"),
        "{summary}"
    );
    assert!(
        summary.contains("\n  and 4 more makers or countries like these"),
        "{summary}"
    );
    assert!(!summary.contains("Maker9 Corp DE"), "{summary}");
}

#[test]
fn a_family_word_as_part_number_gives_way_to_the_code_in_the_component_text() {
    let env = Env::with_catalogue();
    let row = |weapon: &str, component: &str, pn: &str, n: u32| {
        format!("{weapon},RU,{component},{pn},gnss,u-blox,CH,,,,,,,,https://a.example/{n},,,,")
    };
    let rows = [
        row("Shahed-136", "GNSS receiver NEO-M8N", "GNSS", 1),
        row("Orlan-10", "GNSS module LEA-M8S", "GNSS", 2),
        row("Lancet", "GNSS chip M8030-KT", "GNSS", 3),
        row("Zala 421-16E", "GNSS module", "GNSS", 4),
        row(
            "Supercam S350",
            "GNSS module (marking illegible)",
            "GNSS",
            5,
        ),
        row("Kh-101", "GPS module", "NEO-M8N", 6),
    ];
    let file = env.write(
        "gnss.csv",
        findings_csv(&rows.iter().map(String::as_str).collect::<Vec<_>>()),
    );
    let summary = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(
        summary.contains("5 rows named a family, technology or package word as part number (GNSS, CMOS, TQFP44 ...): 3 identified by a code in the component text, 2 kept as unidentified parts"),
        "{summary}"
    );
    assert!(summary.contains("new: 5 parts"), "{summary}");
    let part = |name: &str| env.json(&["show", "part", name, "--format", "json"]);
    let neo = part("NEO-M8N");
    assert_eq!(neo["part_number"], "NEO-M8N");
    assert_eq!(neo["observations"].as_array().unwrap().len(), 2, "{neo}");
    assert_eq!(neo["spellings"], serde_json::json!(["GNSS", "NEO-M8N"]));
    assert_eq!(neo["identified"], "yes");
    for (code, weapon) in [("LEA-M8S", "Orlan-10"), ("M8030-KT", "Lancet")] {
        let p = part(code);
        assert_eq!(p["part_number"], code);
        let obs = p["observations"].as_array().unwrap();
        assert_eq!(obs.len(), 1, "{p}");
        assert_eq!(
            obs[0]["logged_as"], "GNSS",
            "the spelling is what the row stated"
        );
        assert_eq!(obs[0]["weapon"], weapon);
    }
    // the word names five parts: show lists them and asks which
    let err = env.fails(&["show", "part", "GNSS", "--manufacturer", "u-blox"]);
    assert!(err.contains("'GNSS' names 5 parts"), "{err}");
    for listed in [
        "NEO-M8N",
        "LEA-M8S",
        "M8030-KT",
        "unidentified GNSS (u-blox)",
    ] {
        assert!(err.contains(listed), "{listed} in {err}");
    }
    // each record the text identifies nothing in is a part of its own, and says so
    let conn = env.conn();
    let unidentified: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT uid, name, part_number FROM part WHERE unidentified = 1 ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(unidentified.len(), 2);
    for (uid, name, part_number) in &unidentified {
        assert_eq!(name, "unidentified GNSS (u-blox)");
        assert_eq!(*part_number, None);
        let shown = part(uid);
        assert_eq!(shown["observations"].as_array().unwrap().len(), 1);
        assert!(shown["identified"].as_str().unwrap().starts_with("no"));
    }
    let listing = env.json(&["parts", "--format", "json"]);
    let names: Vec<&str> = listing
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| **n == "unidentified GNSS (u-blox)")
            .count(),
        2,
        "{names:?}"
    );
    // a migration that rekeys spellings keeps what their text did not give them
    let keys = |conn: &rusqlite::Connection| -> Vec<(i64, String)> {
        conn.prepare("SELECT id, key FROM part_spelling ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = keys(&conn);
    comptrace::db::ingest::rekey(&conn).unwrap();
    assert_eq!(keys(&conn), before);
    // the same file again finds every part it made, unidentified ones included
    let again = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(again.contains("new: 0 parts"), "{again}");
    // and export writes each row back as it was stated
    env.ok(&["export", "--format", "csv", "--out", "exported"]);
    let exported =
        std::fs::read_to_string(env.dir.path().join("exported").join("findings.csv")).unwrap();
    for r in &rows {
        let stated: Vec<&str> = r.split(',').take(4).collect();
        assert!(
            exported.contains(&stated[2..4].join(",")),
            "{stated:?} in {exported}"
        );
    }
}

#[test]
fn a_part_number_cut_from_the_front_of_a_code_is_completed_from_the_component_text() {
    let env = Env::with_catalogue();
    let file = env.write(
        "cut.csv",
        findings_csv(&[
            "Orlan-10,RU,DC/DC converter TEN 8-2411WI,2411WI,power,Traco Power,CH,,,,,,,,https://a.example/1,,,,",
            "Orlan-10,RU,DC/DC converter THN 30-2411WI,2411WI,power,Traco Power,CH,,,,,,,,https://a.example/2,,,,",
            "Orlan-10,RU,RS-422/RS-485 receiver (MAX3471EUA),422/RS,interface,Analog Devices,US,,,,,,,,https://a.example/3,,,,",
            "Orlan-10,RU,GPS module NEO-M8N-0-01,NEO-M8N,gnss,u-blox,CH,,,,,,,,https://a.example/4,,,,",
        ]),
    );
    let summary = env.ok_stderr(&["import", file.to_str().unwrap()]);
    assert!(
        summary.contains(
            "2 rows gave a part number cut from the front of a code in the component text"
        ),
        "{summary}"
    );
    assert!(summary.contains("1 rows named a family, technology or package word as part number (GNSS, CMOS, TQFP44 ...): 1 identified"), "{summary}");
    let err = env.fails(&["show", "part", "2411WI"]);
    assert!(
        err.contains("TEN 8-2411WI") && err.contains("THN 30-2411WI"),
        "{err}"
    );
    assert_eq!(
        env.json(&["show", "part", "MAX3471EUA", "--format", "json"])["spellings"],
        serde_json::json!(["422/RS"])
    );
    // a part number cut at its end is an ordering code's base, and stays what was stated
    assert_eq!(
        env.json(&["show", "part", "NEO-M8N", "--format", "json"])["part_number"],
        "NEO-M8N"
    );
}
