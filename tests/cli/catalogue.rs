use crate::util::Env;

#[test]
fn init_creates_an_empty_catalogue_with_all_countries() {
    let env = Env::new();
    let err = env.ok_stderr(&["init"]);
    assert!(err.contains("created an empty catalogue"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM country"), 249);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    assert_eq!(
        env.count("PRAGMA user_version"),
        comptrace::db::SCHEMA_VERSION
    );
}

#[test]
fn init_never_overwrites_an_existing_file() {
    let env = Env::with_catalogue();
    let before = env.fingerprint();
    let err = env.fails(&["init"]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn a_missing_catalogue_is_not_created_silently() {
    let env = Env::new();
    let err = env.fails(&["parts"]);
    assert!(err.contains("no catalogue at"), "{err}");
    assert!(err.contains("comptrace init"), "{err}");
    assert!(!env.db.exists());
}

#[test]
fn catalogue_path_comes_from_the_environment_when_no_flag_is_given() {
    let env = Env::with_catalogue();
    let out = assert_cmd::Command::cargo_bin("comptrace")
        .unwrap()
        .env_clear()
        .env("COMPTRACE_DB", &env.db)
        .args(["weapons", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("uid,name,origin_country"));
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let env = Env::new();
    std::fs::write(&env.db, "weapon,component\nGerbera,camera\n").unwrap();
    let err = env.fails(&["parts"]);
    assert!(err.contains("not a comptrace catalogue"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "weapon,component\nGerbera,camera\n"
    );
}

#[test]
fn a_foreign_sqlite_database_is_refused() {
    let env = Env::new();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let err = env.fails(&["weapons"]);
    assert!(err.contains("not a comptrace catalogue"), "{err}");
}

#[test]
fn a_catalogue_from_a_newer_version_is_refused() {
    let env = Env::with_catalogue();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = env.fingerprint();
    let err = env.fails(&["weapons"]);
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains("upgrade comptrace"), "{err}");
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn the_schema_enforces_foreign_keys_and_closed_values() {
    let env = Env::with_catalogue();
    env.ok(&["import", crate::util::SAMPLE]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    assert!(conn
        .execute(
            "UPDATE observation SET confidence = 'certain' WHERE id = 1",
            []
        )
        .is_err());
    assert!(conn
        .execute("UPDATE organisation SET country = 'XX' WHERE id = 1", [])
        .is_err());
    let problems: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(problems, 0);
}

/// The shape of a catalogue's schema: every table's columns and every index, as SQLite reports them.
fn shape(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'name_search%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables {
        let cols: Vec<String> = conn
            .prepare(&format!("SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push(format!("{t}: {}", cols.join(", ")));
        let fks: Vec<String> = conn
            .prepare(&format!("SELECT \"from\" || '->' || \"table\" FROM pragma_foreign_key_list('{t}') ORDER BY \"from\""))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push(format!("{t} fks: {}", fks.join(", ")));
    }
    let indexes: Vec<String> = conn
        .prepare("SELECT type || ' ' || name || ' on ' || tbl_name FROM sqlite_master WHERE type IN ('index', 'view') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    out.extend(indexes);
    out
}

#[test]
fn a_version_1_catalogue_migrates_to_the_current_schema_keeping_its_data() {
    let env = Env::new();
    let v1 = rusqlite::Connection::open(&env.db).unwrap();
    v1.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
        .unwrap();
    v1.execute_batch(
        "INSERT INTO meta VALUES ('catalogue_uid', 'x');
         INSERT INTO country (code, alpha3, numeric, name) VALUES ('US', 'USA', '840', 'United States');
         INSERT INTO organisation (id, uid, name, country, created_at) VALUES (1, 'o1', 'Texas Instruments', 'US', 't');
         INSERT INTO organisation_spelling (organisation_id, text, key, created_at) VALUES (1, 'TI', 'ti', 't');
         INSERT INTO weapon (id, uid, name, created_at) VALUES (1, 'w1', 'Geran-2', 't');
         INSERT INTO weapon_spelling (weapon_id, text, key, created_at) VALUES (1, 'Geran-2', 'GERAN2', 't');
         INSERT INTO part (id, uid, manufacturer_id, part_number, name, created_at) VALUES (1, 'p1', 1, 'TPS54331', 'TPS54331', 't');
         INSERT INTO part_spelling (part_id, text, key, kind, created_at) VALUES (1, 'TPS54331/TR', 'TPS54331TR', 'part_number', 't');
         INSERT INTO weapon_unit (id, uid, weapon_id, found_at, key, created_at) VALUES (1, 'u1', 1, 'Kyiv', '1' || char(31) || char(31) || char(31) || 'Kyiv', 't');
         INSERT INTO observation (uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, unit_id, component_text, logged_at, fingerprint)
           VALUES ('ob1', 1, 1, 1, 1, 'Microcircuit TPS54331 – 45ZSXI 1813', 't', x'00');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(v1);
    // any command opens, migrates and answers
    let parts = env.json(&[
        "parts",
        "--manufacturer",
        "Texas Instruments Inc.",
        "--format",
        "json",
    ]);
    assert_eq!(parts[0]["part_number"], "TPS54331");
    assert_eq!(
        env.count("PRAGMA user_version"),
        comptrace::db::SCHEMA_VERSION
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM part_spelling WHERE key = 'TPS54331' AND origin_part_id = 1"
        ),
        1,
        "rekeyed, origin kept"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
               AND name IN ('source', 'observation', 'organisation')
               AND (sql LIKE '%kind = ''photo'' OR kind = ''video''%'
                 OR sql LIKE '%confidence = ''high'' OR confidence = ''medium''%'
                 OR sql LIKE '%role = ''manufacturer'' OR role = ''distributor''%')"
        ),
        3,
        "value checks spelled as comparisons (migration 5)"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'weapon_unit'
               AND sql LIKE '%found_at IS NOT NULL OR produced_as IS NOT NULL OR used_on IS NOT NULL)%'"
        ),
        1,
        "a unit named only by when it was built or used is allowed (migration 7)"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM observation
              WHERE stated_found_at = 'Kyiv' AND marking_date_code = '1813' AND date_code IS NULL"
        ),
        1,
        "the place a row gave before v7, and a candidate date code read from the text (migration 7)"
    );
    let fresh = Env::with_catalogue();
    assert_eq!(shape(&env.db), shape(&fresh.db));
    env.ok(&["check"]);
    // the catalogue as it was before the migration is kept beside it, untouched
    let kept = env.dir.path().join(format!(
        "catalogue.pre-v{}.db",
        comptrace::db::SCHEMA_VERSION
    ));
    let old = rusqlite::Connection::open(&kept).expect("the pre-migration copy exists");
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let observations: i64 = old
        .query_row("SELECT count(*) FROM observation", [], |r| r.get(0))
        .unwrap();
    assert_eq!(observations, 1);
}

#[test]
fn a_catalogue_migrated_by_the_steps_that_edited_checks_in_place_is_still_accepted() {
    // before issue 15, migrations 5 and 7 edited CHECK constraints in sqlite_schema
    // (`writable_schema`); they now rebuild the tables, and the catalogues migrated the old way
    // (to 5, 6 or 7) must have the same schema by structure, or every one in use would be
    // refused
    // each such catalogue is then migrated on by the later steps (008 onwards), which must
    // take it as they take one the rebuilding steps made
    assert_eq!(
        comptrace::db::SCHEMA_VERSION,
        // 11 (supply chain) and 12 (entity corrections) add tables and indexes only, 13 only
        // rekeys spellings, and the loop below migrates through them
        13,
        "a later version migrates such a catalogue further: check it still takes these"
    );
    let steps = [
        include_str!("../../src/db/migrations/002_merges.sql"),
        include_str!("../../src/db/migrations/003_unit_labels.sql"),
        include_str!("../../src/db/migrations/004_views.sql"),
        include_str!("../fixtures/005-in-place.sql"),
        include_str!("../../src/db/migrations/006_stated_findings.sql"),
        include_str!("../fixtures/007-in-place.sql"),
    ];
    for version in 5..=7 {
        let env = Env::new();
        let old = rusqlite::Connection::open(&env.db).unwrap();
        old.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
            .unwrap();
        for step in &steps[..version - 1] {
            old.execute_batch(step).unwrap();
            // read the definitions edited in place again, as the program then did
            let schema: i64 = old
                .query_row("PRAGMA schema_version", [], |r| r.get(0))
                .unwrap();
            old.pragma_update(None, "schema_version", schema + 1)
                .unwrap();
        }
        old.execute_batch(&format!(
            "INSERT INTO meta VALUES ('catalogue_uid', 'x');
             INSERT INTO country (code, alpha3, numeric, name) VALUES ('US', 'USA', '840', 'United States');
             PRAGMA user_version = {version};"
        ))
        .unwrap();
        drop(old);
        env.ok(&["check"]);
        env.ok(&[
            "log",
            "--weapon",
            "Geran-2",
            "--component",
            "servo",
            "--manufacturer-country",
            "US",
        ]);
        assert_eq!(
            env.count("SELECT count(*) FROM observation"),
            1,
            "v{version}"
        );
    }
}

#[test]
fn units_read_from_labels_before_v7_are_read_again_by_the_dates_they_give() {
    // a version-6 catalogue, as the label rules before v7 left it: "(produced 1Q2023)" became
    // the recovery date 2023 (the row stated none), and "(produced not earlier than 2021)"
    // named no unit
    let env = Env::new();
    let v6 = rusqlite::Connection::open(&env.db).unwrap();
    v6.execute_batch(include_str!("../../src/db/migrations/001_initial.sql"))
        .unwrap();
    for step in [
        include_str!("../../src/db/migrations/002_merges.sql"),
        include_str!("../../src/db/migrations/003_unit_labels.sql"),
        include_str!("../../src/db/migrations/004_views.sql"),
        include_str!("../../src/db/migrations/005_checks_as_comparisons.sql"),
        include_str!("../../src/db/migrations/006_stated_findings.sql"),
    ] {
        v6.execute_batch(step).unwrap();
    }
    v6.execute_batch(
        "INSERT INTO meta VALUES ('catalogue_uid', 'x');
         INSERT INTO weapon (id, uid, name, created_at) VALUES (1, 'w1', 'Kh-101', 't'), (2, 'w2', '3M-14 Kalibr', 't');
         INSERT INTO weapon_spelling (id, weapon_id, text, key, created_at, origin_weapon_id) VALUES
           (1, 1, 'Missile Kh-101 №3152631314019 (produced 1Q2023)', 'KH101', 't', 1),
           (2, 2, 'Missile 3M-14 Kalibr (produced not earlier than 2021)', '3M14KALIBR', 't', 2);
         INSERT INTO part (id, uid, name, created_at) VALUES (1, 'p1', 'servo', 't');
         INSERT INTO part_spelling (id, part_id, text, key, kind, created_at, origin_part_id) VALUES (1, 1, 'servo', 'SERVO', 'name', 't', 1);
         INSERT INTO weapon_unit (id, uid, weapon_id, serial, found_on, key, created_at, origin_weapon_id, label, note)
           VALUES (1, 'u1', 1, '3152631314019', '2023', '1' || char(31) || '3152631314019' || char(31) || '2023' || char(31), 't', 1,
                   'Missile Kh-101 №3152631314019 (produced 1Q2023)', 'produced 1Q2023');
         INSERT INTO observation (uid, part_spelling_id, weapon_spelling_id, unit_id, component_text, logged_at, fingerprint)
           VALUES ('ob1', 1, 1, 1, 'servo', 't', x'01'), ('ob2', 1, 2, NULL, 'servo', 't', x'02');
         PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(v6);
    env.ok(&["weapons"]);
    let conn = env.conn();
    let unit = |label: &str| -> (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        conn.query_row(
            "SELECT u.uid, u.serial, u.found_on, u.produced_as, u.note FROM observation o
               JOIN weapon_unit u ON u.id = o.unit_id JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
              WHERE ws.text = ?1",
            [label],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap_or_else(|e| panic!("{label}: {e}"))
    };
    assert_eq!(
        unit("Missile Kh-101 №3152631314019 (produced 1Q2023)"),
        (
            "u1".to_string(),
            Some("3152631314019".to_string()),
            None,
            Some("1Q2023".to_string()),
            None
        ),
        "corrected in place: no recovery date, the production date, the same stable id"
    );
    let kalibr = unit("Missile 3M-14 Kalibr (produced not earlier than 2021)");
    assert_eq!(
        (kalibr.1, kalibr.2, kalibr.3),
        (None, None, Some("not earlier than 2021".to_string()))
    );
    assert_eq!(env.count("SELECT count(*) FROM weapon_unit"), 2);
    env.ok(&["check"]);
}

#[test]
fn spellings_keyed_by_older_rules_are_keyed_again_when_the_catalogue_migrates() {
    // a catalogue written before version 13 keyed spellings by the rules of its day; the
    // same text imported after the rules changed must still find its spelling
    let env = Env::with_catalogue();
    env.ok(&[
        "log",
        "--weapon",
        "Kh-101 (Х-101)",
        "--component",
        "servo",
        "--manufacturer-country",
        "US",
    ]);
    let current: String = env
        .conn()
        .query_row(
            "SELECT key FROM weapon_spelling WHERE text = 'Kh-101 (Х-101)'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    env.conn()
        .execute_batch("UPDATE weapon_spelling SET key = 'STALE'; PRAGMA user_version = 12;")
        .unwrap();
    env.ok(&["weapons"]);
    let rekeyed: String = env
        .conn()
        .query_row(
            "SELECT key FROM weapon_spelling WHERE text = 'Kh-101 (Х-101)'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rekeyed, current, "keyed again by today's rules");
    assert_eq!(
        env.count("PRAGMA user_version"),
        comptrace::db::SCHEMA_VERSION
    );
    env.ok(&["check"]);
}

#[test]
fn a_path_is_always_a_path_never_an_sqlite_uri() {
    let env = Env::new();
    // the same --db for every command: created, written and read as the file `file:a.db`
    let run = |db: &str, args: &[&str]| {
        assert_cmd::Command::cargo_bin("comptrace")
            .unwrap()
            .env_clear()
            .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
            .current_dir(env.dir.path())
            .args(["--db", db])
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let init = run("file:a.db", &["init"]);
    assert!(init.status.success(), "{init:?}");
    assert!(env.dir.path().join("file:a.db").is_file());
    assert!(!env.dir.path().join("a.db").exists(), "not read as a URI");
    let log = run(
        "file:a.db",
        &["log", "--weapon", "Gerbera", "--component", "camera"],
    );
    assert!(log.status.success(), "{log:?}");
    let weapons = run("file:a.db", &["weapons", "--format", "csv"]);
    assert!(weapons.status.success(), "{weapons:?}");
    assert!(String::from_utf8_lossy(&weapons.stdout).contains("Gerbera"));
    // a URI's parameters are part of the name too: no in-memory catalogue, no other file
    let memory = run("file:m.db?mode=memory", &["init"]);
    assert!(memory.status.success(), "{memory:?}");
    assert!(env.dir.path().join("file:m.db?mode=memory").is_file());
    assert!(!env.dir.path().join("m.db").exists());
}
