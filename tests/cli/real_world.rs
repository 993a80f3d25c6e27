//! The largest public catalogue as published (../shared/data/gur-components.csv): labels that
//! mix models and units, makers with their owners in parentheses, repeated records. Skipped,
//! with a message, where the file is absent; a failure under CI=true (`util::shared_file`).

use std::collections::HashMap;
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
        // "UAV GERAN-2 black" is a Geran-2 painted black (issue 14): its units count too
        l.contains("shahed-136") || l.contains("geran-2")
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

/// The first code a component text carries, by a rule simpler than the importer's and
/// independent of it: a token of Latin letters and digits (at least four, of both kinds), not
/// made of numbers, units and words alone ("3.3V", "8-bit", "4.75-5.25V", "DC-6GHz", "2CH"),
/// not a memory organisation ("1Mx16") and not a word with a short number ("RS-232",
/// "Cortex-M4", "Spartan-6", "DDR2", "TQFP44").
fn first_code(text: &str) -> Option<String> {
    const UNITS: &[&str] = &[
        "v", "mv", "a", "ma", "w", "hz", "khz", "mhz", "ghz", "kb", "mb", "gb", "bit", "bits",
        "pin", "pins", "ch", "channel", "port", "ports", "nm", "mm", "um", "db", "dbm", "x",
        "axis", "wire", "input",
    ];
    let plain = |p: &str| {
        let after = p.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        after.is_empty()
            || after.chars().all(|c| c.is_ascii_alphabetic())
                && (after.len() == p.len() || UNITS.contains(&after))
    };
    let spec = |t: &str| {
        let lower = t.to_ascii_lowercase();
        let digits = lower.trim_start_matches(|c: char| c.is_ascii_digit());
        let organisation = digits.len() < lower.len()
            && digits
                .trim_start_matches(['k', 'm', 'g'])
                .strip_prefix('x')
                .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit()));
        let letters = lower.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let tail = letters.trim_start_matches('-');
        let tail = tail
            .strip_prefix(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(tail);
        let word_number = lower.len() - letters.len() >= 2
            && (1..=3).contains(&tail.len())
            && tail.chars().all(|c| c.is_ascii_digit());
        organisation || word_number || lower.split('-').all(plain)
    };
    text.split(|c: char| c.is_whitespace() || "()[]{},;:/\"'*®™«»".contains(c))
        .map(|t| t.trim_matches(|c: char| ".-#+".contains(c)))
        .filter(|t| {
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .filter(|t| !spec(t))
        .map(|t| {
            t.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .find(|c| {
            c.len() >= 4
                && c.chars().any(|x| x.is_ascii_alphabetic())
                && c.chars().any(|x| x.is_ascii_digit())
        })
}

#[test]
fn the_test_reads_codes_from_component_texts() {
    for (text, code) in [
        ("GNSS module NEO-M8N-0-10", Some("NEOM8N010")),
        (
            "8-pin 8-bit CMOS microcontroller 12F683 I/SN1914",
            Some("12F683"),
        ),
        (
            "PLD XILINX® SPARTAN®-6 XC6SLX16™ FTG256DIV2017",
            Some("XC6SLX16"),
        ),
        ("2-channel RS232/V.28 receiver ADM3222", Some("ADM3222")),
        ("DC/DC converter TEN 8-2411WI", Some("82411WI")),
        ("RF JFET DC-6GHz 28V 25W CREE CGH40025F", Some("CGH40025F")),
        (
            "4.75-5.25V power supply, 16-pin TSSOP MAX3045",
            Some("MAX3045"),
        ),
        ("SRAM 1Mx16 4-Port 3.3V Cortex-M4 DDR2 TQFP44 2-wire", None),
    ] {
        assert_eq!(first_code(text).as_deref(), code, "{text}");
    }
}

#[test]
fn no_part_gathers_records_whose_texts_carry_different_codes() {
    let Some((env, _)) = gur() else { return };
    let conn = env.conn();
    let mut codes: std::collections::BTreeMap<i64, Vec<(String, String)>> = Default::default();
    let rows: Vec<(i64, Option<String>)> = conn
        .prepare(
            "SELECT ps.part_id, o.component_text FROM observation o
             JOIN part_spelling ps ON ps.id = o.part_spelling_id ORDER BY o.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (part, text) in rows {
        let text = text.unwrap_or_default();
        if let Some(code) = first_code(&text) {
            codes.entry(part).or_default().push((code, text));
        }
    }
    // one code is another with an ordering suffix (NEO-M8N, NEO-M8N-0-01) or a maker's
    // prefix (MAX2769E, MAXIM2769E): the same code
    let same = |a: &str, b: &str| a.contains(b) || b.contains(a);
    let mut mixed = Vec::new();
    for (part, found) in &codes {
        let mut distinct: Vec<&(String, String)> = Vec::new();
        for f in found {
            if !distinct.iter().any(|d| same(&d.0, &f.0)) {
                distinct.push(f);
            }
        }
        if distinct.len() > 1 {
            mixed.push(format!("part {part}: {distinct:?}"));
        }
    }
    assert!(
        mixed.is_empty(),
        "{} parts gather different codes:\n{}",
        mixed.len(),
        mixed.join("\n")
    );
    // a family word was split by the codes its texts carry ...
    let err = env.fails(&["show", "part", "GNSS", "--manufacturer", "U-blox"]);
    for code in ["NEO-M8N", "LEA-M8S-0-10", "MAX-M10S", "ANN-MB-00-00"] {
        assert!(err.contains(code), "{code} in {err}");
    }
    // ... and what no code identifies is a part for its record alone
    let shared = env.count(
        "SELECT count(*) FROM part p WHERE p.unidentified = 1 AND
           (SELECT count(DISTINCT s.url) FROM part_spelling ps JOIN observation o ON o.part_spelling_id = ps.id
              JOIN observation_source x ON x.observation_id = o.id JOIN source s ON s.id = x.source_id
             WHERE ps.part_id = p.id) <> 1",
    );
    assert_eq!(shared, 0, "an unidentified part gathers one record");
    assert!(env.count("SELECT count(*) FROM part WHERE unidentified = 1") >= 40);
}

/// One entity as the review file names it: kind, name, and maker (a part's maker, a
/// manufacturer's country, nothing for a weapon).
type Entity = (String, String, String);

/// The catalogue of the dedup review: both shared files in one catalogue, plus the
/// one-letter slip the issue says was logged by hand ("A40 Prp" for Viewpro's A40 Pro).
fn review_catalogue() -> Option<Env> {
    let gur = shared_file("data/gur-components.csv")?;
    let public = shared_file("data/public-findings.csv")?;
    let env = Env::with_catalogue();
    env.ok(&["--quiet", "import", gur.to_str().unwrap()]);
    env.ok(&["--quiet", "import", public.to_str().unwrap()]);
    env.ok(&[
        "--quiet",
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "A40 Prp camera",
        "--part-number",
        "A40 Prp",
        "--category",
        "camera",
        "--manufacturer",
        "Viewpro",
        "--manufacturer-country",
        "CN",
    ]);
    Some(env)
}

/// uid -> entity, and every spelling (name or other spelling) -> uids, from the list commands.
fn entities(env: &Env) -> (HashMap<String, Entity>, HashMap<Entity, Vec<String>>) {
    let mut by_uid = HashMap::new();
    let mut by_spelling: HashMap<Entity, Vec<String>> = HashMap::new();
    for (kind, list, maker_field) in [
        ("part", "parts", "manufacturer"),
        ("manufacturer", "manufacturers", "country"),
        ("weapon", "weapons", ""),
    ] {
        for e in env.json(&[list, "--format", "json"]).as_array().unwrap() {
            let uid = e["uid"].as_str().unwrap().to_string();
            let maker = e[maker_field].as_str().unwrap_or("").to_string();
            let name = e["name"].as_str().unwrap().to_string();
            let mut spellings = vec![name.clone()];
            if let Some(others) = e["other_spellings"].as_array() {
                spellings.extend(others.iter().map(|s| s.as_str().unwrap().to_string()));
            }
            for s in spellings {
                by_spelling
                    .entry((kind.to_string(), s, maker.clone()))
                    .or_default()
                    .push(uid.clone());
            }
            by_uid.insert(uid, (kind.to_string(), name, maker));
        }
    }
    (by_uid, by_spelling)
}

/// The uid an entity of the review file is now: its exact name or spelling in the lists, else
/// what `show` finds under that name (a part's spellings are not in `parts`).
fn resolve(env: &Env, by_spelling: &HashMap<Entity, Vec<String>>, e: &Entity) -> Option<String> {
    if let Some(uids) = by_spelling.get(e) {
        if uids.len() == 1 {
            return Some(uids[0].clone());
        }
    }
    let out = env
        .cmd()
        .args(["show", &e.0, &e.1, "--format", "json"])
        .output()
        .unwrap();
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    v["uid"].as_str().map(str::to_string)
}

fn unordered(a: Entity, b: Entity) -> (Entity, Entity) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn csv_row(fields: &[&str]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(fields).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The labelled review of `dedup` on real data (tests/fixtures/dedup-review.csv: every
/// pair of members of every suggested group judged same / different, plus the missed
/// pairs marked must_find). Every suggested pair must be labelled, at least 95 % of them must be
/// the same thing, and every must_find pair must be one entity or in one suggested group.
#[test]
fn dedup_suggestions_on_real_data_match_the_labelled_review() {
    let Some(env) = review_catalogue() else {
        return;
    };
    let review_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dedup-review.csv"
    );
    let mut labels: HashMap<(Entity, Entity), String> = HashMap::new();
    let mut must_find = Vec::new();
    for rec in csv::Reader::from_path(review_path).unwrap().records() {
        let r = rec.unwrap();
        let a = (r[0].to_string(), r[1].to_string(), r[2].to_string());
        let b = (r[0].to_string(), r[3].to_string(), r[4].to_string());
        assert!(
            r[5] == *"same" || r[5] == *"different",
            "verdict {:?}",
            &r[5]
        );
        if &r[7] == "yes" {
            must_find.push((a.clone(), b.clone()));
        }
        labels.insert(unordered(a, b), r[5].to_string());
    }

    let (by_uid, by_spelling) = entities(&env);
    let suggested = env.ok(&["--quiet", "dedup", "--format", "csv"]);
    let mut groups: HashMap<(String, String), Vec<String>> = HashMap::new();
    for rec in csv::Reader::from_reader(suggested.as_bytes()).records() {
        let r = rec.unwrap();
        groups
            .entry((r[0].to_string(), r[1].to_string()))
            .or_default()
            .push(r[3].to_string());
    }
    let group_of: HashMap<&String, &(String, String)> = groups
        .iter()
        .flat_map(|(g, uids)| uids.iter().map(move |u| (u, g)))
        .collect();

    let (mut same, mut labelled, mut missing, mut wrong) = (0, 0, Vec::new(), Vec::new());
    for uids in groups.values() {
        for (i, x) in uids.iter().enumerate() {
            for y in &uids[i + 1..] {
                let (a, b) = unordered(by_uid[x].clone(), by_uid[y].clone());
                match labels.get(&(a.clone(), b.clone())).map(String::as_str) {
                    Some(verdict) => {
                        labelled += 1;
                        if verdict == "same" {
                            same += 1;
                        } else {
                            wrong.push(format!("{a:?} ~ {b:?}"));
                        }
                    }
                    None => missing.push(csv_row(&[&a.0, &a.1, &a.2, &b.1, &b.2, "", "", "no"])),
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} suggested pairs are not labelled in tests/fixtures/dedup-review.csv; judge them \
         (verdict same|different, a one-line reason) and add:\n{}",
        missing.len(),
        missing.concat()
    );
    let precision = if labelled == 0 {
        1.0
    } else {
        same as f64 / labelled as f64
    };
    eprintln!("dedup review: {same} of {labelled} suggested pairs are the same thing");

    let mut not_found = Vec::new();
    for (a, b) in &must_find {
        let (ua, ub) = (
            resolve(&env, &by_spelling, a),
            resolve(&env, &by_spelling, b),
        );
        let found = match (&ua, &ub) {
            (Some(x), Some(y)) => {
                x == y || matches!((group_of.get(x), group_of.get(y)), (Some(g), Some(h)) if g == h)
            }
            _ => false,
        };
        if !found {
            not_found.push(format!("{a:?} ~ {b:?} (uids {ua:?}, {ub:?})"));
        }
    }
    assert!(
        precision >= 0.95 && not_found.is_empty(),
        "suggestion precision {precision:.3} ({same} of {labelled} pairs the same; floor 0.95); \
         suggested but different ({}):\n{}\nmissed pairs that must be found ({}):\n{}",
        wrong.len(),
        wrong.join("\n"),
        not_found.len(),
        not_found.join("\n")
    );
}
