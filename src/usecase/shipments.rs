//! `shipments import FILE`: customs-style records read as a stream and written in one
//! transaction, all or nothing, with the file, line and column of the first bad field
//! (docs/supply-chain.md). Each record becomes a supply link from exporter to importer; part
//! numbers and brands join the catalogue by exact normalised keys only (db/shipment.rs).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::dates::now;
use crate::db::shipment::{Stats, Writer};
use crate::db::{import_batch, Catalogue};
use crate::evidence::sha256_hex;
use crate::shipment::{Shipment, COLUMNS};
use crate::usecase::import::MAX_FIELD_BYTES;

/// Imports every record of `file`, or nothing when one is wrong.
pub fn import(catalogue: &mut Catalogue, file: &Path) -> Result<Stats> {
    let label = file.display().to_string();
    let opened = File::open(file).with_context(|| format!("{label}: cannot open"))?;
    let sha =
        sha256_hex(BufReader::new(opened)).with_context(|| format!("{label}: cannot read"))?;
    let mut reader =
        csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(BufReader::with_capacity(
                1 << 16,
                File::open(file).with_context(|| format!("{label}: cannot open"))?,
            ));
    let positions = header(
        &label,
        reader.byte_headers().map_err(|e| csv_error(&label, e))?,
    )?;
    let tx = catalogue.write()?;
    let batch = import_batch::start(&tx, &label, &now())?;
    let mut writer = Writer::new(&tx, now(), batch);
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(&label, e))?
    {
        let line = record.position().map_or(0, |p| p.line());
        let shipment = checked(&label, line, &record, &positions)?;
        writer
            .record(&shipment, line)
            .map_err(|e| anyhow::anyhow!("{label}:{e}"))?;
    }
    let stats = writer.stats;
    if stats.rows == 0 {
        bail!("{label}: no rows after the header; nothing was imported");
    }
    import_batch::finish(&tx, batch, &sha, stats.rows, 0)?;
    // exporters, importers and brands new to the catalogue are found by `search` too
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok(stats)
}

/// Where each known column is; an unknown, repeated or missing required column is refused.
fn header(label: &str, header: &csv::ByteRecord) -> Result<HashMap<&'static str, usize>> {
    let mut positions = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_lowercase();
        let Some(&(known, _)) = COLUMNS.iter().find(|(c, _)| *c == name) else {
            bail!(
                "{label}:1: unknown column '{name}' (field {}); the known columns are: {}",
                i + 1,
                COLUMNS
                    .iter()
                    .map(|(c, _)| *c)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        if positions.insert(known, i).is_some() {
            bail!("{label}:1: column '{known}' appears twice");
        }
    }
    for required in ["exporter", "importer"] {
        if !positions.contains_key(required) {
            bail!("{label}:1: required column '{required}' is missing");
        }
    }
    Ok(positions)
}

fn checked(
    label: &str,
    line: u64,
    record: &csv::ByteRecord,
    positions: &HashMap<&'static str, usize>,
) -> Result<Shipment> {
    let mut texts: HashMap<&str, &str> = HashMap::with_capacity(positions.len());
    for (&name, &i) in positions {
        let raw = record.get(i).unwrap_or_default();
        if raw.len() > MAX_FIELD_BYTES {
            bail!("{label}:{line}: column '{name}' (field {}): {} bytes long; the limit is {MAX_FIELD_BYTES}; nothing was imported", i + 1, raw.len());
        }
        let text = std::str::from_utf8(raw).map_err(|_| {
            anyhow::anyhow!("{label}:{line}: column '{name}' (field {}): not valid UTF-8 (save the file as UTF-8); nothing was imported", i + 1)
        })?;
        texts.insert(name, text);
    }
    Shipment::from_fields(|c| texts.get(c).copied()).map_err(|e| {
        let field = positions.get(e.column).map_or(0, |i| i + 1);
        anyhow::anyhow!(
            "{label}:{line}: column '{}' (field {field}): {}; nothing was imported",
            e.column,
            e.message
        )
    })
}

fn csv_error(label: &str, e: csv::Error) -> anyhow::Error {
    let at = e.position().map_or(0, |p| p.line());
    anyhow::anyhow!("{label}:{at}: {e}; nothing was imported")
}
