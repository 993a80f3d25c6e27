//! Matching quality on the labelled sets in ../shared/bench/matching, scored like
//! ../shared/bench/score_matching.py (pairwise precision and recall over all pairs of records
//! placed together). Skipped, with a message, where the shared folder is absent; a failure
//! under CI=true (`util::shared_file`).

use std::collections::HashMap;

use crate::util::{shared_file, Env};

fn read_column(csv_text: &str, column: &str) -> HashMap<String, String> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().clone();
    let id = header.iter().position(|h| h == "id").unwrap();
    let col = header.iter().position(|h| h == column).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[id].to_string(), rec[col].to_string())
        })
        .collect()
}

fn pairs_together(groups: &HashMap<String, Vec<&String>>) -> usize {
    groups.values().map(|m| m.len() * (m.len() - 1) / 2).sum()
}

/// (precision, recall, the false merges) of a predicted clustering against the truth.
fn score(
    truth: &HashMap<String, String>,
    predicted: &HashMap<String, String>,
) -> (f64, f64, Vec<String>) {
    let mut by_pred: HashMap<String, Vec<&String>> = HashMap::new();
    let mut by_truth: HashMap<String, Vec<&String>> = HashMap::new();
    for (id, t) in truth {
        by_truth.entry(t.clone()).or_default().push(id);
        let p = predicted
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("single:{id}"));
        by_pred.entry(p).or_default().push(id);
    }
    let mut tp = 0;
    let mut wrong = Vec::new();
    for members in by_pred.values() {
        let mut counts: HashMap<&String, usize> = HashMap::new();
        for id in members {
            *counts.entry(&truth[*id]).or_default() += 1;
        }
        tp += counts.values().map(|k| k * (k - 1) / 2).sum::<usize>();
        if counts.len() > 1 {
            wrong.push(format!("{:?}", counts.keys().collect::<Vec<_>>()));
        }
    }
    let pp = pairs_together(&by_pred);
    let tpairs = pairs_together(&by_truth);
    let precision = if pp == 0 { 1.0 } else { tp as f64 / pp as f64 };
    let recall = if tpairs == 0 {
        1.0
    } else {
        tp as f64 / tpairs as f64
    };
    (precision, recall, wrong)
}

fn check(kind: &str, min_precision: f64, min_recall: f64) {
    let (Some(input), Some(truth)) = (
        shared_file(&format!("bench/matching/{kind}-input.csv")),
        shared_file(&format!("bench/matching/{kind}-truth.csv")),
    ) else {
        return;
    };
    check_files(kind, kind, &input, &truth, min_precision, min_recall);
}

/// Runs `cluster --kind KIND` on one labelled set and fails below the floors.
fn check_files(
    label: &str,
    kind: &str,
    input: &std::path::Path,
    truth: &std::path::Path,
    min_precision: f64,
    min_recall: f64,
) {
    let env = Env::new();
    let out = env.ok(&["cluster", "--kind", kind, input.to_str().unwrap()]);
    let truth = read_column(&std::fs::read_to_string(truth).unwrap(), "cluster");
    let predicted = read_column(&out, "cluster");
    // a truth without two records together would score every clustering 1.0
    let mut sizes: HashMap<&String, usize> = HashMap::new();
    for cluster in truth.values() {
        *sizes.entry(cluster).or_default() += 1;
    }
    assert!(
        sizes.values().any(|&n| n > 1),
        "{label}: the truth has no pairs ({} records)",
        truth.len()
    );
    assert_eq!(predicted.len(), truth.len(), "every input row comes back");
    let (p, r, wrong) = score(&truth, &predicted);
    eprintln!("{label}: precision {p:.3} recall {r:.3}");
    assert!(
        p >= min_precision,
        "{label}: precision {p:.3} < {min_precision}; false merges: {wrong:?}"
    );
    assert!(r >= min_recall, "{label}: recall {r:.3} < {min_recall}");
}

#[test]
fn parts_reach_the_floors() {
    check("parts", 0.99, 0.95);
}

#[test]
fn manufacturers_reach_the_floors() {
    check("manufacturers", 0.99, 0.92);
}

#[test]
fn weapons_reach_the_floors() {
    check("weapons", 0.97, 0.80);
}

/// The held-out sets (tests/fixtures/heldout, written by its generate.py): the dev set's kinds of
/// noise over a vocabulary of other makers, codes, words and weapons, never tuned on. The floors
/// are the scores measured when the sets were made, rounded down: raise them as the rules improve,
/// never lower them to let a change pass (docs/matching.md, "Quality, measured").
fn check_heldout(kind: &str, min_precision: f64, min_recall: f64) {
    check_fixture("heldout", "held-out", kind, min_precision, min_recall);
}

/// Scores one set of tests/fixtures/DIR (KIND-input.csv, KIND-truth.csv) against the floors.
fn check_fixture(dir: &str, label: &str, kind: &str, min_precision: f64, min_recall: f64) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    check_files(
        &format!("{label} {kind}"),
        kind,
        &dir.join(format!("{kind}-input.csv")),
        &dir.join(format!("{kind}-truth.csv")),
        min_precision,
        min_recall,
    );
}

#[test]
fn heldout_parts_reach_the_floors() {
    check_heldout("parts", 1.00, 0.95);
}

#[test]
fn heldout_manufacturers_reach_the_floors() {
    check_heldout("manufacturers", 1.00, 0.99);
}

#[test]
fn heldout_weapons_reach_the_floors() {
    // issue 14, round 4: 1.000 / 1.000 (a maker's word before a named designation)
    check_heldout("weapons", 1.00, 0.99);
}

/// The generated parts sets (tests/fixtures/generated: gen_parts.py, its own noise over two
/// vocabularies of its own; gen_same_noise.py, the held-out generator's noise over the same
/// two). `tune` was read while writing the rules of issue 14's fourth round, `final` only
/// scored. Floors: the figures of that round, less about 0.02.
#[test]
fn generated_parts_sets_reach_the_floors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated");
    for (set, min_p, min_r) in [
        ("tune", 0.99, 0.92),
        ("final", 0.99, 0.86),
        ("samenoise-tune", 0.99, 0.91),
        ("samenoise-final", 0.99, 0.93),
        // FPV and engine names (read): three false merges of models before round 4
        ("samenoise-fpv-tune", 0.99, 0.85),
    ] {
        check_files(
            &format!("generated parts {set}"),
            "parts",
            &dir.join(format!("parts-{set}-input.csv")),
            &dir.join(format!("parts-{set}-truth.csv")),
            min_p,
            min_r,
        );
    }
}

#[test]
fn near_identical_families_are_never_merged() {
    let env = Env::new();
    let parts = env.write(
        "near.csv",
        "id,name,manufacturer\n1,STM32F405RGT6,STMicroelectronics\n2,STM32F407VGT6,STMicroelectronics\n\
         3,AD9361,Analog Devices\n4,AD9363,Analog Devices\n5,BMP280,Bosch\n6,BME280,Bosch\n\
         7,NEO-M8N,u-blox\n8,NEO-M8T,u-blox\n9,A40 Pro,Viewpro\n10,A40TR Pro,Viewpro\n\
         11,ATMEGA328P,Microchip\n12,ATMEGA328,Microchip\n13,ASV-18.432MHZ,Abracon\n14,ASV-1.8432MHZ,Abracon\n\
         15,AMS1117-3.3,Advanced Monolithic Systems\n16,AMS1117-3.3,Texas Instruments\n",
    );
    let out = env.ok(&["cluster", "--kind", "parts", parts.to_str().unwrap()]);
    let groups: Vec<String> = read_column(&out, "cluster").into_values().collect();
    let distinct: std::collections::HashSet<&String> = groups.iter().collect();
    assert_eq!(distinct.len(), 16, "{out}");

    let makers = env.write(
        "makers.csv",
        "id,name\n1,Microchip\n2,Micron\n3,Texas Instruments\n4,National Instruments\n5,Samsung Electronics\n6,Samsung Electro-Mechanics\n",
    );
    let out = env.ok(&[
        "cluster",
        "--kind",
        "manufacturers",
        makers.to_str().unwrap(),
    ]);
    let distinct: std::collections::HashSet<String> =
        read_column(&out, "cluster").into_values().collect();
    assert_eq!(distinct.len(), 6, "{out}");

    let weapons = env.write(
        "w.csv",
        "id,name\n1,Kh-55\n2,Kh-555\n3,Supercam S150\n4,Supercam S350\n5,Orlan-10\n6,Orlan-30\n",
    );
    let out = env.ok(&["cluster", "--kind", "weapons", weapons.to_str().unwrap()]);
    let distinct: std::collections::HashSet<String> =
        read_column(&out, "cluster").into_values().collect();
    assert_eq!(distinct.len(), 6, "{out}");
}

#[test]
fn cluster_needs_a_name_column() {
    let env = Env::new();
    let f = env.write("bad.csv", "id,title\n1,x\n");
    let err = env.fails(&["cluster", "--kind", "parts", f.to_str().unwrap()]);
    assert!(
        err.contains("bad.csv:1: a 'name' column is required"),
        "{err}"
    );
}

/// Pairwise (precision, recall) of `cluster --kind parts` on one half of the labelled GUR
/// part texts (tests/fixtures/gur-part-texts.csv: id, name, product, half, labelled), on the
/// texts of the first labelling only or on all of them.
fn gur_half(half: &str, first_labelling_only: bool) -> (f64, f64, Vec<String>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/gur-part-texts.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut input = String::from("id,name\n");
    let mut truth = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[3] != half || first_labelling_only && &rec[4] != "first" {
            continue;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([&rec[0], &rec[1]]).unwrap();
        input.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
        truth.insert(rec[0].to_string(), rec[2].to_string());
    }
    assert!(truth.len() >= 80, "{half}: {} texts", truth.len());
    let env = Env::new();
    let file = env.write("gur.csv", &input);
    let out = env.ok(&["cluster", "--kind", "parts", file.to_str().unwrap()]);
    let predicted = read_column(&out, "cluster");
    assert_eq!(predicted.len(), truth.len(), "every input row comes back");
    let (p, r, wrong) = score(&truth, &predicted);
    let which = if first_labelling_only {
        "first labelling"
    } else {
        "all"
    };
    eprintln!("gur part texts, {half} ({which}): precision {p:.3} recall {r:.3}");
    (p, r, wrong)
}

/// Real published part texts, labelled by hand (docs/matching.md, "Quality, measured"). The
/// rules were tuned on the dev half only; the floors are the held-out figures reached, less a
/// small margin. The texts of the first labelling (199) keep their floors; the second
/// labelling (146 texts of 55 other products, split by product) adds its own over each whole
/// half.
#[test]
fn real_gur_part_texts_group_by_their_code() {
    for (half, first_only, min_p, min_r) in [
        ("dev", true, 0.99, 0.88),
        ("held-out", true, 0.99, 0.88),
        ("dev", false, 0.99, 0.90),
        ("held-out", false, 0.99, 0.86),
    ] {
        let (p, r, wrong) = gur_half(half, first_only);
        assert!(
            p >= min_p,
            "{half}: precision {p:.3} < {min_p}; false merges: {wrong:?}"
        );
        assert!(r >= min_r, "{half}: recall {r:.3} < {min_r}");
    }
}

#[test]
fn descriptive_texts_of_one_code_group_and_two_codes_stay_apart() {
    let env = Env::new();
    let f = env.write(
        "texts.csv",
        "id,name\n1,Microcircuits CY7C1069DV33-10ZSXI\n\
         2,Flash memory SBC chip SRAM 16Mb CY7C1069DV33-10ZSXI\n\
         3,integrated circuit CY7C1069DV33 -10ZSXI 1525 622721\n\
         4,Microcircuit CY7C1069DV33-10ZSXI (16Mbit (2Мх8) SRAM)\n\
         5,Two-channel digital isolator 1201CRZ 18108 16029\n\
         6,Dual-channel digital isolator 1201CRZ #18108* 160291\n\
         7,12-bit analog-to-digital converter AD7450BRZ\n\
         8,Integrated circuit AD7450 BRZ\n\
         9,Microcircuit AD7450\n\
         10,Analog multiplexer (14053BG)\n\
         11,Analog multiplexer (14052BG)\n\
         12,GOAT (AD9717)\n\
         13,GOAT (AD5348)\n",
    );
    let out = env.ok(&["cluster", "--kind", "parts", f.to_str().unwrap()]);
    let g = read_column(&out, "cluster");
    let same = |a: &str, b: &str| g[a] == g[b];
    for (a, b) in [
        ("1", "2"),
        ("1", "3"),
        ("1", "4"),
        ("5", "6"),
        ("7", "8"),
        ("7", "9"),
    ] {
        assert!(same(a, b), "{a} and {b} apart: {out}");
    }
    for (a, b) in [("10", "11"), ("12", "13"), ("1", "5"), ("7", "12")] {
        assert!(!same(a, b), "{a} and {b} together: {out}");
    }
}

/// The cluster number of each id in `cluster` output.
fn clusters_of(env: &Env, kind: &str, file: &std::path::Path) -> HashMap<String, String> {
    let out = env.ok(&["cluster", "--kind", kind, file.to_str().unwrap()]);
    read_column(&out, "cluster")
}

#[test]
fn issue_14_real_maker_and_weapon_spellings() {
    let env = Env::new();
    // spellings from the GUR file and public-findings.csv (issue 14)
    let makers = env.write(
        "m.csv",
        "id,name\n1,Xiamen Limbach\n2,Xiamen Limbach Aviation Engine Co.\n3,\"Hitec Group USA, Inc.\"\n\
         4,Hitec USA Group\n5,Peak Еlectronics\n6,\"Poccio Electronics Co., Ltd\"\n\
         7,NVS Technologies\n8,NLT Technologies\n9,Mitsubishi Electric\n10,Mitsubishi Heavy Industries\n",
    );
    let g = clusters_of(&env, "manufacturers", &makers);
    assert_eq!(g["1"], g["2"]);
    assert_eq!(g["3"], g["4"]);
    assert_ne!(g["5"], g["6"], "same sound is not enough");
    assert_ne!(g["7"], g["8"], "two slips in three letters");
    assert_ne!(g["9"], g["10"]);

    let weapons = env.write(
        "w.csv",
        "id,name\n1,UAV GERAN-2 black\n2,Geran-2\n3,Tornado-C 9M549 MLRS guided missile\n\
         4,300 mm 9M549 Tornado-S MLRS\n5,Guided missile 9M549 Tornado S MLRS\n\
         6,Tornado-C 9M544 MLRS guided missile\n7,Ballistic missile KN-23/KN-24\n8,KN-23\n9,KN-24\n\
         10,KN-23/24\n11,Satellite navigation equipment 14Ц821C\n12,Satellite navigation equipment 14Ц821С\n",
    );
    let g = clusters_of(&env, "weapons", &weapons);
    assert_eq!(g["1"], g["2"], "a colour says nothing of the model");
    assert_eq!(g["3"], g["4"]);
    assert_eq!(g["3"], g["5"]);
    assert_ne!(g["3"], g["6"], "9M544 is another missile");
    assert_ne!(g["8"], g["9"], "a label naming two models is no bridge");
    assert_ne!(g["7"], g["8"]);
    assert_ne!(g["7"], g["9"]);
    assert_eq!(g["7"], g["10"], "both name the same two");
    assert_eq!(g["11"], g["12"], "Latin C and Cyrillic С in one code");
}

#[test]
fn issue_14_a_parent_and_its_division_share_a_part_code() {
    let env = Env::new();
    let parts = env.write(
        "p.csv",
        "id,name,manufacturer\n1,TAJB106K016RNJ,Kyocera AVX\n2,TAJB106K016RNJ,AVX\n3,TAJB106K016RNJ,Kyocera\n\
         4,TAJB106K016RNJ,\n5,HD74LS00P,Hitachi\n6,HD74LS00P,Hitachi Astemo\n\
         7,M5M51008,Mitsubishi Electric\n8,M5M51008,Mitsubishi Heavy Industries\n",
    );
    let g = clusters_of(&env, "parts", &parts);
    assert_eq!(g["1"], g["2"]);
    assert_eq!(g["1"], g["3"]);
    assert_eq!(g["1"], g["4"]);
    assert_eq!(g["5"], g["6"]);
    assert_ne!(
        g["7"], g["8"],
        "family is not transitive: two divisions conflict"
    );
}

/// The second held-out set (tests/fixtures/heldout2, from the same generate.py over a third
/// vocabulary, tests/fixtures/heldout/vocabulary2.py): made after the first had been looked at
/// while tuning, and never looked at by whoever changes the rules. Its floors are the scores of
/// the rules when it was first scored, rounded down; a rule change that lowers it overfits
/// whatever set it was tuned on.
fn check_untuned(kind: &str, min_precision: f64, min_recall: f64) {
    check_fixture("heldout2", "untuned", kind, min_precision, min_recall);
}

#[test]
fn untuned_parts_reach_the_floors() {
    // issue 14, round 4: 0.999 / 0.856
    check_untuned("parts", 0.99, 0.85);
}

#[test]
fn untuned_manufacturers_reach_the_floors() {
    check_untuned("manufacturers", 1.00, 0.94);
}

#[test]
fn untuned_weapons_reach_the_floors() {
    check_untuned("weapons", 1.00, 0.85);
}
