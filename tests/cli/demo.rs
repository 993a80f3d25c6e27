use crate::util::Env;

#[test]
fn demo_builds_the_sample_catalogue_and_says_what_to_try() {
    let env = Env::new();
    let path = env.db.display().to_string();
    let out = env.ok(&["demo", &path]);
    assert!(out.contains("114 findings"), "{out}");
    assert!(out.contains("United States"), "{out}");
    assert!(
        out.contains("unknown"),
        "the unknown makers must be shown: {out}"
    );
    assert!(out.contains("Try next:"), "{out}");
    assert!(out.contains("show weapon Gerbera"), "{out}");
    // the catalogue it built answers the commands it suggests
    let gerbera = env.ok(&["show", "weapon", "Gerbera"]);
    assert!(gerbera.contains("Viewpro"), "{gerbera}");
}

#[test]
fn demo_refuses_to_overwrite_a_given_path() {
    let env = Env::new();
    let path = env.write("mine.db", "precious");
    let err = env.fails(&["demo", path.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(path).unwrap(), "precious");
}
