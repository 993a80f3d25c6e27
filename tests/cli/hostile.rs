//! Catalogues from elsewhere are hostile: each attack is planted in an ordinary catalogue by one
//! function here (as a hand-edited file would carry it), then the real binary meets it under
//! limits (a timeout, a cap on file size and on memory), so a regression fails instead of
//! hanging or filling the disk.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use crate::util::{names_in, Env};

/// Runs the binary as `Env::cmd` does, under limits: killed after 60 s, no file it writes may
/// pass 64 MiB, and no more than 2 GiB of memory.
fn limited(env: &Env, args: &[&str]) -> Output {
    env.limited("ulimit -f 65536; ulimit -v 2097152", args)
}

/// `limited`, for a command that must succeed; returns stdout.
fn limited_ok(env: &Env, args: &[&str]) -> String {
    let out = limited(env, args);
    assert!(
        out.status.success(),
        "{args:?}: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// `--format csv` rows of an import-catalogue review listing, as fields.
fn review(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The weapons of `colleague`'s findings: one finding each, each with its own photo.
const WEAPONS: [&str; 3] = ["Gerbera", "Lancet", "Orlan-10"];

/// A colleague's catalogue: a finding in each of WEAPONS, each citing a photo in its store.
fn colleague() -> Env {
    let env = Env::with_catalogue();
    for (i, weapon) in WEAPONS.iter().enumerate() {
        let photo = env.write(&format!("photo{i}.jpg"), format!("photo {i} of {weapon}"));
        env.ok(&[
            "log",
            "--weapon",
            weapon,
            "--component",
            "flight controller",
            "--manufacturer",
            "STMicroelectronics",
            "--evidence-file",
            photo.to_str().unwrap(),
        ]);
    }
    env
}

fn store(env: &Env) -> PathBuf {
    PathBuf::from(format!("{}-evidence", env.db.display()))
}

/// The hash of the photo cited by the finding in `weapon`.
fn hash_of(env: &Env, weapon: &str) -> String {
    env.conn()
        .query_row(
            "SELECT s.sha256 FROM source s JOIN observation_source x ON x.source_id = s.id
             JOIN observation o ON o.id = x.observation_id
             JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id WHERE ws.text = ?1",
            [weapon],
            |r| r.get(0),
        )
        .expect("a photo cited in that weapon")
}

/// Plants a hash: the source of the finding in `weapon` names `sha` as its file.
fn plant_hash(env: &Env, weapon: &str, sha: &str) {
    assert_eq!(sha.len(), 64, "the schema checks the length only");
    let old = hash_of(env, weapon);
    let changed = env
        .conn()
        .execute(
            "UPDATE source SET sha256 = ?2, key = 'sha256:' || ?2 WHERE sha256 = ?1",
            [&old, sha],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

#[test]
fn a_hash_that_is_a_path_is_refused_and_nothing_is_written_outside_the_store() {
    let theirs = colleague();
    // beside the other catalogue, a file someone wants copied out of the evidence stores
    theirs.write("planted_.sh", "#!/bin/sh\necho planted\n");
    // the Gerbera photo's hash is `./`×25 + `../planted_.sh`, the Lancet one's `/`×55 + `/dev/zero`
    plant(&theirs, "hash_as_path");
    let ours = Env::with_catalogue();
    let out = limited_ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    let rows = review(&out);
    let refused = |kind: &str, why: &str| {
        rows.iter()
            .filter(|r| r[0] == "not taken" && r[1] == kind && r[3].contains(why))
            .count()
    };
    assert_eq!(
        refused("source", "is not 64 lower-case hex digits"),
        2,
        "{out}"
    );
    assert_eq!(refused("finding", "which is not taken"), 2, "{out}");
    assert!(!ours.dir.path().join("planted_.sh").exists());
    assert!(names_in(ours.dir.path())
        .iter()
        .all(|n| n.starts_with("catalogue.db")));
    assert_eq!(
        names_in(&store(&ours)),
        [hash_of(&theirs, "Orlan-10")],
        "the one finding taken brought its photo, and nothing else came"
    );
    assert_eq!(ours.count("SELECT count(*) FROM observation"), 1);
    assert_eq!(ours.count("SELECT count(*) FROM source"), 1);
    // nothing of theirs left a path in our catalogue for `check` to follow
    limited_ok(&ours, &["check"]);
}

#[test]
fn check_reads_only_regular_files_in_the_store() {
    let env = colleague();
    limited_ok(&env, &["check"]);
    let link = store(&env).join(hash_of(&env, "Gerbera"));
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let fifo = store(&env).join(hash_of(&env, "Lancet"));
    std::fs::remove_file(&fifo).unwrap();
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    // a hash our own catalogue holds that is not one: hand-edited, or from an older version
    plant_hash(&env, "Orlan-10", &format!("{}/dev/zero", "/".repeat(55)));
    let out = limited(&env, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let problems = String::from_utf8_lossy(&out.stdout);
    assert!(
        problems.contains("is a symbolic link; evidence is never read through one"),
        "{problems}"
    );
    if made_fifo {
        assert!(problems.contains("is not a regular file"), "{problems}");
    } else {
        eprintln!("skipped the FIFO: mkfifo is unavailable");
    }
    assert!(
        problems.contains("is not 64 lower-case hex digits; no file was read"),
        "{problems}"
    );
}

#[test]
fn an_export_in_json_lines_with_a_hash_that_is_a_path_is_refused_whole() {
    let theirs = colleague();
    plant_hash(&theirs, "Gerbera", &format!("{}/dev/zero", "/".repeat(55)));
    let export = theirs.ok(&["export", "--format", "jsonl"]);
    let file = theirs.write("export.jsonl", export);
    let ours = Env::with_catalogue();
    let out = limited(&ours, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not 64 lower-case hex digits; nothing was imported"),
        "{err}"
    );
    assert_eq!(ours.count("SELECT count(*) FROM source"), 0);
}

#[test]
fn evidence_from_another_store_must_hash_to_its_name_and_symlinks_are_refused() {
    let theirs = colleague();
    let secret = theirs.write("secret.txt", "a private key, never evidence");
    let link = store(&theirs).join(hash_of(&theirs, "Gerbera"));
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let swapped = store(&theirs).join(hash_of(&theirs, "Lancet"));
    std::fs::write(&swapped, "not the photo its name promises").unwrap();
    let ours = Env::with_catalogue();
    let out = limited_ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    let rows = review(&out);
    let refused = |why: &str| {
        rows.iter()
            .filter(|r| r[0] == "not taken" && r[1] == "evidence file" && r[3].contains(why))
            .count()
    };
    assert_eq!(refused("is a symbolic link"), 1, "{out}");
    assert_eq!(refused("hashes to"), 1, "{out}");
    // the findings and their sources are taken; only the two files are not
    assert_eq!(ours.count("SELECT count(*) FROM observation"), 3);
    assert_eq!(ours.count("SELECT count(*) FROM source"), 3);
    assert_eq!(
        names_in(&store(&ours)),
        [hash_of(&theirs, "Orlan-10")],
        "no other file, and no temporary one left behind"
    );
    let problems = String::from_utf8(limited(&ours, &["check"]).stdout).unwrap();
    assert_eq!(problems.matches("is missing").count(), 2, "{problems}");
}

/// The key this comptrace gives a name: read from a catalogue that logged it.
fn key_here(table: &str, weapon: &str, maker: &str) -> String {
    let scratch = Env::with_catalogue();
    scratch.ok(&[
        "log",
        "--weapon",
        weapon,
        "--component",
        "chip",
        "--manufacturer",
        maker,
    ]);
    scratch
        .conn()
        .query_row(&format!("SELECT key FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn spelling_keys_from_another_catalogue_are_worked_out_here() {
    let ours = Env::with_catalogue();
    ours.ok(&[
        "log",
        "--weapon",
        "Orlan-10",
        "--part-number",
        "PCF8563",
        "--manufacturer",
        "NXP",
        "--manufacturer-country",
        "NL",
    ]);
    // a colleague's copy of ours (a shared history), with spellings planted on our entities'
    // stable ids under the keys of other names
    let theirs = Env::new();
    ours.ok(&["backup", theirs.db.to_str().unwrap()]);
    let murata = "Murata Manufacturing Co., Ltd.";
    let conn = theirs.conn();
    conn.execute(
        "INSERT INTO organisation_spelling (organisation_id, text, key, created_at, origin_organisation_id)
         SELECT id, 'NXP B.V.', ?1, '2026-01-01', id FROM organisation WHERE name = 'NXP'",
        [key_here("organisation_spelling", "Orlan-10", murata)],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO weapon_spelling (weapon_id, text, key, created_at, origin_weapon_id)
         SELECT id, 'Orlan-10 UAV', ?1, '2026-01-01', id FROM weapon WHERE name = 'Orlan-10'",
        [key_here("weapon_spelling", "Gerbera", murata)],
    )
    .unwrap();
    conn.pragma_update(None, "ignore_check_constraints", true)
        .unwrap();
    conn.execute(
        "INSERT INTO part_spelling (part_id, text, key, kind, created_at, origin_part_id)
         SELECT id, 'PCF 8563', 'pcf8563', 'bogus', '2026-01-01', id FROM part",
        [],
    )
    .unwrap();
    drop(conn);
    let out = limited_ok(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    let rows = review(&out);
    assert!(
        rows.iter()
            .any(|r| r[0] == "not taken" && r[1] == "spelling" && r[3].contains("\"bogus\"")),
        "{out}"
    );
    assert_eq!(
        ours.count("SELECT count(*) FROM organisation_spelling WHERE text = 'NXP B.V.'"),
        1,
        "the spelling joined NXP"
    );
    // and later findings of the names whose keys were planted find their own entities
    ours.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--part-number",
        "GRM188R71H104KA93D",
        "--manufacturer",
        murata,
    ]);
    let maker: String = ours
        .conn()
        .query_row(
            "SELECT m.name FROM part p JOIN organisation m ON m.id = p.manufacturer_id
             WHERE p.part_number = 'GRM188R71H104KA93D'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(maker, murata);
    assert_eq!(ours.count("SELECT count(*) FROM organisation"), 2);
    assert_eq!(
        ours.count("SELECT count(*) FROM weapon"),
        2,
        "Gerbera is not Orlan-10"
    );
    limited_ok(&ours, &["check"]);
}

/// Each finding's sources, by the finding's stable id: photos by hash, the rest by URL.
fn sources_by_finding(env: &Env) -> std::collections::BTreeMap<String, String> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT o.uid, group_concat(coalesce(s.sha256, s.url), ' ')
             FROM (SELECT x.observation_id, s.sha256, s.url FROM observation_source x
                   JOIN source s ON s.id = x.source_id ORDER BY s.sha256, s.url) s
             JOIN observation o ON o.id = s.observation_id GROUP BY o.uid",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn a_finding_with_a_broken_reference_is_listed_and_the_others_keep_their_own_sources() {
    let theirs = colleague();
    for (i, weapon) in ["Shahed-136", "Kh-101", "Geran-2"].iter().enumerate() {
        theirs.ok(&[
            "log",
            "--weapon",
            weapon,
            "--component",
            "receiver",
            "--source-url",
            &format!("https://example.org/{i}"),
            "--evidence-url",
            &format!("https://example.org/{i}/photo"),
        ]);
    }
    let stated = sources_by_finding(&theirs);
    assert_eq!(stated.len(), 6);
    let finding_in = |weapon: &str| -> String {
        theirs
            .conn()
            .query_row(
                "SELECT o.uid FROM observation o JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
                 WHERE ws.text = ?1",
                [weapon],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (lancet, kh101, orlan) = (
        finding_in("Lancet"),
        finding_in("Kh-101"),
        finding_in("Orlan-10"),
    );
    // written as a damaged or hand-edited file would be: with SQLite's enforcement off, one
    // finding loses its weapon spelling, another a source row it cites; a third names a
    // weapon whose stable id is not one
    plant(&theirs, "broken_reference");
    let ours = Env::with_catalogue();
    let out = limited(
        &ours,
        &[
            "import-catalogue",
            theirs.db.to_str().unwrap(),
            "--format",
            "csv",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let listed = String::from_utf8(out.stdout).unwrap();
    let rows = review(&listed);
    let reason = |uid: &str| {
        rows.iter()
            .find(|r| r[0] == "not taken" && r[1] == "finding" && r[2] == uid)
            .map(|r| r[3].clone())
    };
    assert!(
        reason(&lancet)
            .is_some_and(|r| r.contains("weapon spelling") && r.contains("not in the file")),
        "{listed}"
    );
    assert!(
        reason(&kh101).is_some_and(|r| r.contains("source row") && r.contains("not in the file")),
        "{listed}"
    );
    assert!(
        reason(&orlan).is_some_and(|r| r.contains("is not a UUID")),
        "{listed}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 rows of"));
    // every other finding came with exactly its own sources
    let taken = sources_by_finding(&ours);
    assert_eq!(taken.len(), 3, "{taken:?}");
    for (uid, sources) in &taken {
        assert_eq!(Some(sources), stated.get(uid), "finding {uid}");
    }
    limited_ok(&ours, &["check"]);
}

/// Plants the attack in tests/hostile/ATTACK.sql (the files `tests/hostile/build.sh` plants
/// too), with foreign keys off, as a hand edit would.
fn plant(env: &Env, attack: &str) {
    let path = format!("{}/tests/hostile/{attack}.sql", env!("CARGO_MANIFEST_DIR"));
    let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let conn = env.conn();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute_batch(&sql)
        .unwrap_or_else(|e| panic!("{attack}: {e}"));
}

/// `limited`, for a command that must be refused quickly: exits 1 within `secs` seconds;
/// returns stderr.
fn refused_within(env: &Env, args: &[&str], secs: u64) -> String {
    let started = std::time::Instant::now();
    let out = limited(env, args);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(took < Duration::from_secs(secs), "{args:?} took {took:?}");
    err
}

#[test]
fn a_recursive_view_in_place_of_a_table_is_refused_at_once() {
    let theirs = colleague();
    plant(&theirs, "recursive_view");
    let ours = Env::with_catalogue();
    let before = ours.fingerprint();
    let err = refused_within(
        &ours,
        &["import-catalogue", theirs.db.to_str().unwrap()],
        10,
    );
    assert!(
        err.contains("is refused as a catalogue")
            && err.contains("table observation_source is a view in this file"),
        "{err}"
    );
    assert_eq!(ours.fingerprint(), before, "ours unchanged");
    for args in [
        &["export", "--format", "jsonl"][..],
        &["check"],
        &["weapons"],
    ] {
        let err = refused_within(&theirs, args, 10);
        assert!(
            err.contains("table observation_source is a view in this file"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_trigger_planted_in_a_shared_catalogue_never_fires() {
    let theirs = colleague();
    plant(&theirs, "trigger");
    let links = theirs.count("SELECT count(*) FROM observation_source");
    assert_eq!(links, 3);
    let err = refused_within(
        &theirs,
        &[
            "log",
            "--weapon",
            "Shahed-136",
            "--component",
            "servo",
            "--manufacturer",
            "Texas Instruments",
        ],
        10,
    );
    assert!(
        err.contains("trigger planted on observation is not comptrace's"),
        "{err}"
    );
    assert_eq!(theirs.count("SELECT count(*) FROM observation"), 3);
    assert_eq!(
        theirs.count("SELECT count(*) FROM observation_source"),
        links
    );
    assert_eq!(
        theirs.count("SELECT count(*) FROM organisation WHERE country = 'RU'"),
        0
    );
    let ours = Env::with_catalogue();
    let err = refused_within(
        &ours,
        &["import-catalogue", theirs.db.to_str().unwrap()],
        10,
    );
    assert!(err.contains("trigger planted"), "{err}");
    assert_eq!(ours.count("SELECT count(*) FROM observation"), 0);
}

#[test]
fn a_changed_view_refuses_the_file() {
    let theirs = colleague();
    plant(&theirs, "changed_view");
    let err = refused_within(&theirs, &["weapons"], 10);
    assert!(err.contains("view origin_by_hq_country differs"), "{err}");
    let ours = Env::with_catalogue();
    let err = refused_within(
        &ours,
        &["import-catalogue", theirs.db.to_str().unwrap()],
        10,
    );
    assert!(err.contains("view origin_by_hq_country differs"), "{err}");
}

#[test]
fn tables_and_views_someone_added_are_allowed_never_read_and_listed_by_check() {
    let theirs = colleague();
    plant(&theirs, "extra_table");
    let listed = limited_ok(&theirs, &["check"]);
    assert!(
        listed.contains("not comptrace's, never read: table my_notes")
            && listed.contains("not comptrace's, never read: view my_counts"),
        "{listed}"
    );
    limited_ok(
        &theirs,
        &["log", "--weapon", "Shahed-136", "--component", "servo"],
    );
    let ours = Env::with_catalogue();
    limited_ok(&ours, &["import-catalogue", theirs.db.to_str().unwrap()]);
    assert_eq!(ours.count("SELECT count(*) FROM observation"), 4);
    assert!(
        !limited_ok(&ours, &["check"]).contains("never read"),
        "nothing of theirs but findings came"
    );
}

/// A catalogue of `n` findings, one citing a photo in the evidence store.
fn catalogue_of(n: usize) -> Env {
    let env = Env::with_catalogue();
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "Shahed-136,IR,chip {i},XC{i:04},,Maker {m},US,,,,2024-01-01,,GUR,photo {i},https://example.org/{i},,high,,",
                m = i % 20
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let file = env.write("findings.csv", crate::util::findings_csv(&rows));
    env.ok(&["import", file.to_str().unwrap()]);
    let photo = env.write("photo.jpg", "a photo");
    env.ok(&[
        "log",
        "--weapon",
        "Gerbera",
        "--component",
        "servo",
        "--evidence-file",
        photo.to_str().unwrap(),
    ]);
    env
}

/// Overwrites page `page` (numbered from 1) of a catalogue with `fill` bytes, after moving
/// its log into it.
fn corrupt_page(env: &Env, page: i64, fill: u8) {
    let size = {
        let conn = env.conn();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let mut bytes = std::fs::read(&env.db).unwrap();
    let at = ((page - 1) * size) as usize;
    assert!(
        at + size as usize <= bytes.len(),
        "page {page} is in the file"
    );
    bytes[at..at + size as usize].fill(fill);
    std::fs::write(&env.db, bytes).unwrap();
}

#[test]
fn check_on_a_damaged_catalogue_reports_what_integrity_check_found_and_runs_every_other_check() {
    let env = catalogue_of(300);
    // an index page in the middle of the file, and an evidence file gone, for the later checks
    let root: i64 = env
        .conn()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'observation_weapon_spelling'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    corrupt_page(&env, root, 0xA5);
    let photo: String = env
        .conn()
        .query_row(
            "SELECT sha256 FROM source WHERE sha256 IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    std::fs::remove_file(store(&env).join(&photo)).unwrap();
    let out = limited(&env, &["check"]);
    let problems = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{problems}\n{err}");
    assert!(
        problems.lines().any(|l| l.starts_with("integrity: ")),
        "{problems}\n{err}"
    );
    assert!(
        problems.contains(&format!("({root})")) || problems.contains(&format!("page {root}")),
        "integrity_check names the damaged page {root}: {problems}"
    );
    assert!(
        problems.contains(&format!("{photo} is missing")),
        "the evidence check ran after it: {problems}"
    );
    assert!(err.contains("problems in"), "{err}");
}

#[test]
fn the_build_script_builds_every_hostile_catalogue_the_tests_plant() {
    if std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_err()
    {
        assert!(
            !crate::util::in_ci(),
            "tests/hostile/build.sh needs the sqlite3 shell"
        );
        eprintln!("skipped: no sqlite3 shell (under CI=true this fails)");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/build.sh");
    let listed = std::process::Command::new(script)
        .arg("list")
        .output()
        .unwrap();
    let attacks = String::from_utf8(listed.stdout).unwrap();
    let attacks: Vec<&str> = attacks.lines().collect();
    for planted in ["recursive_view", "trigger", "changed_view", "extra_table"] {
        assert!(attacks.contains(&planted), "{attacks:?}");
    }
    let theirs = colleague();
    for attack in &attacks {
        let out = theirs.dir.path().join(format!("{attack}.db"));
        let built = std::process::Command::new(script)
            .args([attack, theirs.db.to_str().unwrap(), out.to_str().unwrap()])
            .arg("a-planted-key")
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "{attack}: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        let hostile = Env {
            dir: tempfile::tempdir().unwrap(),
            db: out,
        };
        let refused = limited(&hostile, &["weapons"]).status.code() == Some(1);
        let schema_attack = ["recursive_view", "trigger", "changed_view"].contains(attack);
        assert_eq!(refused, schema_attack, "{attack}");
    }
}

/// `import-catalogue` on a randomly damaged copy of a colleague's catalogue (bytes flipped,
/// the file cut short, pages swapped or blanked) never panics, never writes outside our
/// catalogue and its store, and changes our catalogue only when it succeeds.
mod damaged {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use sha2::{Digest, Sha256};

    use super::{colleague, limited};
    use crate::util::Env;

    /// A way to damage a file, at positions given as millionths of its length.
    #[derive(Debug, Clone)]
    enum Damage {
        Flip { at: u32, xor: u8 },
        Truncate { at: u32 },
        SwapPages { a: u32, b: u32 },
        BlankPage { at: u32 },
    }

    fn damages() -> impl Strategy<Value = Vec<Damage>> {
        let one = prop_oneof![
            4 => (0..1_000_000u32, 1..=255u8).prop_map(|(at, xor)| Damage::Flip { at, xor }),
            1 => (0..1_000_000u32).prop_map(|at| Damage::Truncate { at }),
            2 => (0..1_000_000u32, 0..1_000_000u32).prop_map(|(a, b)| Damage::SwapPages { a, b }),
            1 => (0..1_000_000u32).prop_map(|at| Damage::BlankPage { at }),
        ];
        proptest::collection::vec(one, 1..6)
    }

    const PAGE: usize = 4096;

    fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
        let at = |m: u32| (bytes.len() as u64 * u64::from(m) / 1_000_000) as usize;
        let pages = bytes.len() / PAGE;
        match *damage {
            Damage::Flip { at: m, xor } => {
                let i = at(m);
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= xor;
                }
            }
            Damage::Truncate { at: m } => bytes.truncate(at(m)),
            Damage::SwapPages { a, b } if pages > 1 => {
                let (a, b) = (at(a) / PAGE, at(b) / PAGE);
                if a != b && a < pages && b < pages {
                    let (lo, hi) = (a.min(b), a.max(b));
                    let (left, right) = bytes.split_at_mut(hi * PAGE);
                    left[lo * PAGE..(lo + 1) * PAGE].swap_with_slice(&mut right[..PAGE]);
                }
            }
            Damage::BlankPage { at: m } => {
                let p = at(m) / PAGE;
                if p < pages {
                    bytes[p * PAGE..(p + 1) * PAGE].fill(0);
                }
            }
            Damage::SwapPages { .. } => {}
        }
    }

    /// A colleague's catalogue (its log moved into the file) and its evidence store, as bytes;
    /// and ours, with one finding of its own; built once.
    struct Templates {
        theirs: Vec<u8>,
        store: Vec<(String, Vec<u8>)>,
        ours: Vec<u8>,
    }

    fn checkpointed(env: &Env) -> Vec<u8> {
        env.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        std::fs::read(&env.db).unwrap()
    }

    fn templates() -> &'static Templates {
        static BUILT: OnceLock<Templates> = OnceLock::new();
        BUILT.get_or_init(|| {
            let theirs = colleague();
            let store_dir = super::store(&theirs);
            let store = crate::util::names_in(&store_dir)
                .into_iter()
                .map(|n| {
                    let bytes = std::fs::read(store_dir.join(&n)).unwrap();
                    (n, bytes)
                })
                .collect();
            let ours = Env::with_catalogue();
            ours.ok(&["log", "--weapon", "Shahed-136", "--component", "servo"]);
            Templates {
                theirs: checkpointed(&theirs),
                store,
                ours: checkpointed(&ours),
            }
        })
    }

    /// Every file and folder under `root` with its content's hash, but our catalogue's own
    /// (`ours/catalogue.db`, its journal files and its evidence store).
    fn tree(root: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel.starts_with("ours/catalogue.db") {
                    continue;
                }
                let meta = std::fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    out.insert(rel, "folder".into());
                    pending.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap_or_default();
                    out.insert(rel, format!("{:x}", Sha256::digest(&bytes)));
                }
            }
        }
        out
    }

    fn export_hash(ours: &Env) -> String {
        let out = limited(ours, &["export", "--format", "jsonl"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!("{:x}", Sha256::digest(&out.stdout))
    }

    proptest! {
        // about 64 cases of three runs each: some twenty seconds of a debug build
        #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 64, ..ProptestConfig::default() })]

        #[test]
        fn import_catalogue_on_a_damaged_file_never_panics_nor_writes_outside_its_store(damage in damages()) {
            let t = templates();
            let dir = tempfile::tempdir().unwrap();
            for folder in ["ours", "theirs", "theirs/catalogue.db-evidence"] {
                std::fs::create_dir(dir.path().join(folder)).unwrap();
            }
            let mut theirs = t.theirs.clone();
            for d in &damage {
                apply(&mut theirs, d);
            }
            let other = dir.path().join("theirs/catalogue.db");
            std::fs::write(&other, &theirs).unwrap();
            for (name, bytes) in &t.store {
                std::fs::write(dir.path().join("theirs/catalogue.db-evidence").join(name), bytes).unwrap();
            }
            let db = dir.path().join("ours/catalogue.db");
            std::fs::write(&db, &t.ours).unwrap();
            let ours = Env { dir, db };
            let before = export_hash(&ours);
            let listed = tree(ours.dir.path());
            let out = limited(&ours, &["import-catalogue", other.to_str().unwrap()]);
            let err = String::from_utf8_lossy(&out.stderr);
            prop_assert!(
                matches!(out.status.code(), Some(0 | 1)) && !err.contains("panicked"),
                "{:?}: {}", out.status, err
            );
            prop_assert_eq!(tree(ours.dir.path()), listed, "nothing written outside our catalogue and its store: {}", err);
            if !out.status.success() {
                prop_assert_eq!(export_hash(&ours), before, "a failed import changed ours: {}", err);
            }
        }
    }
}
