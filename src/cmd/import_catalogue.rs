use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::dates::now;
use crate::db::ingest::{Evidence, Ingester};
use crate::db::{self, SCHEMA_VERSION};
use crate::evidence::store_dir;
use crate::finding::{Finding, COLUMNS};
use crate::output::{write_listing, Cell, Format, Listing};
use crate::Context;

/// Bring another investigator's catalogue in. Entities are matched first by stable id, then by
/// normalised key (as on import); observations and evidence are added once, so running it
/// again adds nothing. Facts that differ under one stable id are listed, never overwritten.
/// The other catalogue is opened read-only.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The other catalogue
    pub other: PathBuf,
    /// How to list the conflicts on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn open_other(path: &std::path::Path) -> Result<Connection> {
    if !path.is_file() {
        bail!("{}: no such catalogue", path.display());
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open {}", path.display()))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not a comptrace catalogue (not an SQLite database)",
                path.display()
            )
        })?;
    if version != SCHEMA_VERSION {
        bail!(
            "{} has schema version {version}, this catalogue {SCHEMA_VERSION}; open it once with this comptrace (any command) to migrate it, or upgrade",
            path.display()
        );
    }
    Ok(conn)
}

/// Spellings of entities whose stable id both catalogues share join that entity here first.
fn adopt_spellings_by_uid(other: &Connection, ours: &Connection) -> Result<usize> {
    let mut added = 0;
    for (table, spelling, fk, extra) in [
        (
            "organisation",
            "organisation_spelling",
            "organisation_id",
            "",
        ),
        ("weapon", "weapon_spelling", "weapon_id", ""),
        ("part", "part_spelling", "part_id", ", s.kind"),
    ] {
        // names come from the constant list above
        let rows: Vec<(String, String, String, Option<String>)> = other
            .prepare(&format!("SELECT e.uid, s.text, s.key{extra} FROM {spelling} s JOIN {table} e ON e.id = s.{fk} ORDER BY s.id"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, if extra.is_empty() { None } else { r.get(3)? })))?
            .collect::<rusqlite::Result<_>>()?;
        for (uid, text, key, kind) in rows {
            let Some(id): Option<i64> = ours
                .query_row(
                    &format!("SELECT id FROM {table} WHERE uid = ?1"),
                    [&uid],
                    |r| r.get(0),
                )
                .optional()?
            else {
                continue;
            };
            let sql = match kind {
                Some(_) => format!(
                    "INSERT OR IGNORE INTO {spelling} ({fk}, text, key, kind, created_at, origin_part_id) VALUES (?1, ?2, ?3, ?5, ?4, ?1)"
                ),
                None => format!(
                    "INSERT OR IGNORE INTO {spelling} ({fk}, text, key, created_at, origin_{fk}) VALUES (?1, ?2, ?3, ?4, ?1)"
                ),
            };
            added += match kind {
                Some(k) => ours.execute(&sql, params![id, text, key, now(), k])?,
                None => ours.execute(&sql, params![id, text, key, now()])?,
            };
        }
    }
    Ok(added)
}

/// Every observation of the other catalogue as a finding, with all its evidence.
fn findings_of(other: &Connection) -> Result<Vec<(Finding, Vec<Evidence>)>> {
    let mut sources: HashMap<i64, Vec<Evidence>> = HashMap::new();
    let mut stmt = other.prepare(
        "SELECT x.observation_id, s.kind, s.url, s.file_name, s.sha256, s.publisher, s.title, s.published_on
         FROM observation_source x JOIN source s ON s.id = x.source_id ORDER BY x.observation_id, s.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        let kind = ["photo", "video", "document", "report", "webpage", "other"]
            .into_iter()
            .find(|k| *k == kind)
            .unwrap_or("other");
        sources.entry(r.get(0)?).or_default().push(Evidence {
            kind,
            url: r.get(2)?,
            file_name: r.get(3)?,
            sha256: r.get(4)?,
            publisher: r.get(5)?,
            title: r.get(6)?,
            date: r.get(7)?,
        });
    }
    other.execute_batch("DROP TABLE IF EXISTS temp.selected; CREATE TEMP TABLE selected (id INTEGER PRIMARY KEY); INSERT INTO temp.selected SELECT id FROM observation;")?;
    let ids: Vec<i64> = other
        .prepare("SELECT id FROM temp.selected ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    let mut i = 0;
    db::export::findings(other, |row| {
        let fields: HashMap<&str, Option<String>> = COLUMNS.iter().copied().zip(row).collect();
        let finding =
            Finding::from_fields(|c| fields.get(c).and_then(|v| v.as_deref())).map_err(|e| {
                anyhow::anyhow!(
                    "a finding of the other catalogue: {}: {}",
                    e.column,
                    e.message
                )
            })?;
        // every source travels as evidence, not only the first
        out.push((
            finding.without_citation(),
            sources.remove(&ids[i]).unwrap_or_default(),
        ));
        i += 1;
        Ok(())
    })?;
    Ok(out)
}

/// Entities with one stable id whose facts differ between the catalogues.
fn conflicts(other: &Connection, ours: &Connection) -> Result<Listing> {
    let mut l = Listing::new(&["kind", "uid", "field", "here", "there"]);
    for (kind, table, fields) in [
        ("manufacturer", "organisation", &["name", "country"][..]),
        ("weapon", "weapon", &["name", "origin_country", "type"][..]),
        ("part", "part", &["part_number", "name", "category"][..]),
    ] {
        let theirs: Vec<Vec<Option<String>>> = other
            .prepare(&format!(
                "SELECT uid, {} FROM {table} ORDER BY id",
                fields.join(", ")
            ))?
            .query_map([], |r| (0..=fields.len()).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = ours.prepare(&format!(
            "SELECT {} FROM {table} WHERE uid = ?1",
            fields.join(", ")
        ))?;
        for t in theirs {
            let uid = t[0].clone().unwrap_or_default();
            let here: Option<Vec<Option<String>>> = stmt
                .query_row([&uid], |r| (0..fields.len()).map(|i| r.get(i)).collect())
                .optional()?;
            if let Some(here) = here {
                for (i, f) in fields.iter().enumerate() {
                    if here[i].is_some() && t[i + 1].is_some() && here[i] != t[i + 1] {
                        l.rows.push(vec![
                            kind.into(),
                            uid.as_str().into(),
                            (*f).into(),
                            Cell::from(here[i].clone()),
                            Cell::from(t[i + 1].clone()),
                        ]);
                    }
                }
            }
        }
    }
    Ok(l)
}

pub fn run(ctx: &Context, args: Args, out: &mut dyn Write) -> Result<()> {
    let mut ours = ctx.open()?;
    let other = open_other(&args.other)?;
    let found = findings_of(&other)?;
    // evidence files travel with their hashes; the store never overwrites other content
    let (from, to) = (store_dir(&args.other), store_dir(&ctx.db));
    for (_, evidence) in &found {
        for sha in evidence.iter().filter_map(|e| e.sha256.as_deref()) {
            let src = from.join(sha);
            if src.is_file() && !to.join(sha).exists() {
                std::fs::create_dir_all(&to)?;
                std::fs::copy(&src, to.join(sha))?;
            }
        }
    }
    let tx = ours.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let adopted = adopt_spellings_by_uid(&other, &tx)?;
    let stats = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        for (finding, evidence) in &found {
            ingester.record(finding, evidence)?;
        }
        ingester.stats.clone()
    };
    db::refresh_search_index(&tx)?;
    let listed = conflicts(&other, &tx)?;
    tx.commit()?;
    if !listed.rows.is_empty() {
        write_listing(out, &listed, args.format)?;
    }
    ctx.note(format!(
        "from {}: {} findings, {} new observations ({} already here); new: {} parts, {} manufacturers, {} weapons, {} sources; {} spellings joined by stable id; {} conflicts listed",
        args.other.display(),
        stats.rows,
        stats.observations_added,
        stats.already_present,
        stats.new_parts,
        stats.new_manufacturers,
        stats.new_weapons,
        stats.new_sources,
        adopted,
        listed.rows.len()
    ));
    Ok(())
}
