//! Identity that survives merges: rows written while a merge is live record the entity their
//! text resolves to on its own, so undoing the merge undoes it for them too.

use crate::util::Env;

fn log(env: &Env, args: &[&str]) {
    let mut all = vec!["log", "--investigator", "tester"];
    all.extend_from_slice(args);
    env.ok(&all);
}

fn maker_of_part(env: &Env, part: &str) -> String {
    let v = env.json(&["show", "part", part, "--format", "json"]);
    v["manufacturer"]
        .as_str()
        .or_else(|| v[0]["manufacturer"].as_str())
        .unwrap_or_else(|| panic!("no manufacturer in {v}"))
        .to_string()
}

#[test]
fn a_part_logged_during_a_merge_goes_back_to_its_own_maker_on_unmerge() {
    let env = Env::with_catalogue();
    log(
        &env,
        &[
            "--weapon",
            "Gerbera",
            "--part-number",
            "ZD-100",
            "--manufacturer",
            "Zeta Devices",
        ],
    );
    log(
        &env,
        &[
            "--weapon",
            "Gerbera",
            "--part-number",
            "OD-200",
            "--manufacturer",
            "Omega Devices",
        ],
    );
    let merge = env.ok(&[
        "merge",
        "--kind",
        "manufacturer",
        "Zeta Devices",
        "Omega Devices",
        "--into",
        "Zeta Devices",
        "--investigator",
        "tester",
    ]);
    log(
        &env,
        &[
            "--weapon",
            "Gerbera",
            "--part-number",
            "OD-300",
            "--manufacturer",
            "Omega Devices Inc.",
        ],
    );
    assert_eq!(
        maker_of_part(&env, "OD-300"),
        "Zeta Devices",
        "the merge is live"
    );
    env.ok(&["unmerge", merge.trim(), "--investigator", "tester"]);
    assert_eq!(maker_of_part(&env, "OD-300"), "Omega Devices");
    assert_eq!(maker_of_part(&env, "OD-200"), "Omega Devices");
    assert_eq!(maker_of_part(&env, "ZD-100"), "Zeta Devices");
    env.ok(&["check"]);
}

#[test]
fn a_unit_logged_before_and_after_a_weapon_merge_is_one_unit() {
    let env = Env::with_catalogue();
    log(
        &env,
        &[
            "--weapon",
            "Orkan-10",
            "--unit-serial",
            "14662",
            "--part-number",
            "A1",
        ],
    );
    log(&env, &["--weapon", "Orlan-10", "--part-number", "B2"]);
    env.ok(&[
        "merge",
        "--kind",
        "weapon",
        "Orlan-10",
        "Orkan-10",
        "--into",
        "Orlan-10",
        "--investigator",
        "tester",
    ]);
    log(
        &env,
        &[
            "--weapon",
            "Orkan-10",
            "--unit-serial",
            "14662",
            "--part-number",
            "C3",
        ],
    );
    assert_eq!(env.count("SELECT count(*) FROM weapon_unit"), 1);
    assert_eq!(
        env.count("SELECT count(DISTINCT unit_id) FROM observation WHERE unit_id IS NOT NULL"),
        1
    );
    env.ok(&["check"]);
}
