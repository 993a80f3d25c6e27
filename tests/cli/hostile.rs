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
    assert_cmd::Command::new("bash")
        .env_clear()
        .env("COMPTRACE_NOW", "2026-01-01T00:00:00Z")
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(env.dir.path())
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 65536; ulimit -v 2097152; exec \"$@\"")
        .arg("bash")
        .arg(assert_cmd::cargo::cargo_bin("comptrace"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("finished within its limits")
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
    let escape = format!("{}../planted_.sh", "./".repeat(25));
    let zero = format!("{}/dev/zero", "/".repeat(55));
    plant_hash(&theirs, "Gerbera", &escape);
    plant_hash(&theirs, "Lancet", &zero);
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
    let conn = theirs.conn();
    conn.execute(
        "UPDATE weapon SET uid = 'Orlan-10' WHERE name = 'Orlan-10'",
        [],
    )
    .unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute("DELETE FROM weapon_spelling WHERE text = 'Lancet'", [])
        .unwrap();
    conn.execute(
        "DELETE FROM source WHERE url = 'https://example.org/1/photo'",
        [],
    )
    .unwrap();
    drop(conn);
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
