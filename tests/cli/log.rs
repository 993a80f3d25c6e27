use crate::util::Env;

fn log_gerbera(env: &Env, extra: &[&str]) -> String {
    let mut args = vec![
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "Viewpro A40 Pro camera",
        "--part-number",
        "A40 Pro",
        "--category",
        "camera",
        "--manufacturer",
        "Viewpro",
        "--manufacturer-country",
        "China",
        "--found-on",
        "2024-09-01",
        "--found-at",
        "near Kyiv",
        "--marking",
        "VIEWPRO A40PRO SN 2308",
        "--evidence-url",
        "https://example.org/report",
    ];
    args.extend_from_slice(extra);
    env.ok(&args).trim().to_string()
}

#[test]
fn log_records_one_finding_and_prints_its_stable_id() {
    let env = Env::with_catalogue();
    let uid = log_gerbera(&env, &[]);
    assert_eq!(uid.len(), 36, "a UUID: {uid}");
    assert_eq!(env.count("SELECT count(*) FROM observation"), 1);
    assert_eq!(env.count("SELECT count(*) FROM weapon_unit WHERE found_at = 'near Kyiv' AND found_on = '2024-09-01'"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM organisation WHERE country = 'CN'"),
        1
    );
    let shown = env.json(&["show", "part", "A40 Pro", "--format", "json"]);
    assert_eq!(shown["observations"][0]["uid"], uid.as_str());
    assert_eq!(
        shown["observations"][0]["marking"],
        "VIEWPRO A40PRO SN 2308"
    );
    assert_eq!(shown["sources"][0]["url"], "https://example.org/report");
}

#[test]
fn logging_the_same_finding_twice_adds_nothing() {
    let env = Env::with_catalogue();
    let first = log_gerbera(&env, &[]);
    let second = log_gerbera(&env, &[]);
    assert_eq!(first, second);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 1);
}

#[test]
fn evidence_files_are_stored_by_hash_once() {
    let env = Env::with_catalogue();
    let photo = env.write("chip.jpg", b"jpeg bytes of a burnt chip");
    let p = photo.to_str().unwrap();
    log_gerbera(&env, &["--evidence-file", p]);
    log_gerbera(&env, &["--evidence-file", p, "--date-code", "2308"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (kind, stored_sha): (String, String) = conn
        .query_row(
            "SELECT kind, sha256 FROM source WHERE sha256 IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kind, "photo");
    let store = env.dir.path().join("catalogue.db-evidence");
    let files: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, vec![std::ffi::OsString::from(&stored_sha)]);
    assert_eq!(
        std::fs::read(store.join(&stored_sha)).unwrap(),
        b"jpeg bytes of a burnt chip"
    );
    assert_eq!(env.count("SELECT count(*) FROM observation_source x JOIN source s ON s.id = x.source_id WHERE s.sha256 IS NOT NULL"), 2);
}

#[test]
fn a_bad_flag_value_names_the_flag_and_records_nothing() {
    let env = Env::with_catalogue();
    let before = env.fingerprint();
    for (flag, value, expect) in [
        (
            "--manufacturer-country",
            "Atlantis",
            "--manufacturer-country: unknown country 'Atlantis'",
        ),
        (
            "--found-on",
            "2024-02-30",
            "--found-on: '2024-02-30': day 30 does not exist",
        ),
        (
            "--confidence",
            "sure",
            "--confidence: 'sure' is not one of high, medium, low",
        ),
        (
            "--evidence-file",
            "missing.jpg",
            "--evidence-file missing.jpg: no such file",
        ),
    ] {
        let err = env.fails(&[
            "log",
            "--weapon",
            "Gerbera",
            "--component",
            "camera",
            "--manufacturer",
            "Viewpro",
            flag,
            value,
        ]);
        assert!(err.contains(expect), "{flag}: {err}");
    }
    let err = env.fails(&["log", "--weapon", "Gerbera"]);
    assert!(err.contains("--component"), "{err}");
    assert_eq!(env.fingerprint(), before);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
}
