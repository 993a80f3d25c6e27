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
    assert!(objects
        .iter()
        .all(|o| o["uid"].as_str().is_some_and(|u| u.len() == 36)));
    let err = env.fails(&["export", "--format", "csv"]);
    assert!(err.contains("--out"), "{err}");
}
