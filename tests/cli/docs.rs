//! The command reference in docs/commands.md is generated from the clap definitions, so it
//! cannot drift: this test regenerates it and fails when the file differs.
//! `COMPTRACE_UPDATE_DOCS=1 cargo test docs` rewrites the generated part.

use clap::CommandFactory;

const MARKER: &str =
    "<!-- generated below by tests/cli/docs.rs; edit the doc comments in src/cmd/ instead -->";

fn reference() -> String {
    let mut root = comptrace::cli::Cli::command().term_width(100);
    root.build();
    let mut out = String::new();
    out.push_str("## comptrace\n\n```text\n");
    out.push_str(&root.render_long_help().to_string());
    out.push_str("```\n");
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut sub = sub.clone().term_width(100);
        out.push_str(&format!("\n## comptrace {}\n\n```text\n", sub.get_name()));
        out.push_str(&sub.render_long_help().to_string());
        out.push_str("```\n");
        for inner in sub.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut inner = inner.clone().term_width(100);
            out.push_str(&format!(
                "\n### comptrace {} {}\n\n```text\n",
                sub.get_name(),
                inner.get_name()
            ));
            out.push_str(&inner.render_long_help().to_string());
            out.push_str("```\n");
        }
    }
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn command_reference_matches_the_cli() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/commands.md");
    let current = std::fs::read_to_string(path).expect("docs/commands.md exists");
    let (head, generated) = current
        .split_once(MARKER)
        .expect("docs/commands.md has the marker line");
    let fresh = reference();
    if std::env::var("COMPTRACE_UPDATE_DOCS").is_ok() {
        std::fs::write(path, format!("{head}{MARKER}\n\n{fresh}")).unwrap();
        return;
    }
    assert!(
        generated.trim() == fresh.trim(),
        "docs/commands.md is out of date: run COMPTRACE_UPDATE_DOCS=1 cargo test docs"
    );
}

#[test]
fn every_import_column_is_documented() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/import-format.md"
    ))
    .unwrap();
    for column in comptrace::finding::FIELDS.iter().map(|f| f.name) {
        assert!(
            doc.contains(&format!("| `{column}` |")),
            "docs/import-format.md lacks {column}"
        );
    }
}

#[test]
fn every_table_is_documented_in_the_data_model() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/data-model.md"))
        .unwrap();
    let mut tables = Vec::new();
    for line in comptrace::db::SCHEMA_SQL.lines() {
        let name = line
            .strip_prefix("CREATE TABLE ")
            .or_else(|| line.strip_prefix("CREATE VIRTUAL TABLE "))
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(name) = name {
            assert!(
                doc.contains(&format!("| `{name}` |")),
                "docs/data-model.md lacks table {name}"
            );
            tables.push(name);
        }
    }
    // the schema's tables were found at all (a change in how schema.sql writes them would
    // otherwise leave nothing checked)
    for core in ["observation", "part", "organisation", "weapon", "judgement"] {
        assert!(tables.contains(&core), "{core} not found in {tables:?}");
    }
}
