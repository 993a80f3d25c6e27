use crate::util::Env;

#[test]
fn init_creates_an_empty_catalogue_with_all_countries() {
    let env = Env::new();
    let err = env.ok_stderr(&["init"]);
    assert!(err.contains("created an empty catalogue"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM country"), 249);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    assert_eq!(env.count("PRAGMA user_version"), 1);
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
