//! Bulk import of findings from CSV: one transaction, streamed, all-or-nothing. The first bad
//! row stops the import with `FILE:LINE: column 'NAME' (field N): what is wrong`, and the
//! catalogue is left exactly as it was.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, TransactionBehavior};
use sha2::{Digest, Sha256};

use crate::dates::now;
use crate::db::ingest::{Ingester, Stats};
use crate::db::new_uid;
use crate::evidence::hex;
use crate::finding::{Finding, COLUMNS};

/// Where the bytes come from, for messages and the import log.
pub struct Input<R> {
    pub label: String,
    pub reader: R,
    pub total_bytes: u64,
}

/// Passes bytes through while hashing them, so the file is read once.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// Maps each known column to its position in the file's header.
fn header_positions(
    label: &str,
    header: &csv::StringRecord,
) -> Result<HashMap<&'static str, usize>> {
    let mut positions = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim().to_lowercase();
        let Some(&known) = COLUMNS.iter().find(|c| **c == name) else {
            bail!(
                "{label}:1: unknown column '{raw}' (field {}); the known columns are: {}",
                i + 1,
                COLUMNS.join(", ")
            );
        };
        if positions.insert(known, i).is_some() {
            bail!("{label}:1: column '{known}' appears twice");
        }
    }
    if !positions.contains_key("weapon") {
        bail!(
            "{label}:1: required column 'weapon' is missing (header: {})",
            header.iter().collect::<Vec<_>>().join(",")
        );
    }
    if !positions.contains_key("component") && !positions.contains_key("part_number") {
        bail!("{label}:1: a 'component' or 'part_number' column is required");
    }
    Ok(positions)
}

fn csv_error(label: &str, e: csv::Error) -> anyhow::Error {
    let at = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => anyhow::anyhow!(
            "{label}:{at}: this row has {len} fields but the header has {expected_len}"
        ),
        csv::ErrorKind::Utf8 { err, .. } => anyhow::anyhow!(
            "{label}:{at}: field {} is not valid UTF-8 (save the file as UTF-8)",
            err.field() + 1
        ),
        _ => anyhow::anyhow!("{label}:{at}: {e}"),
    }
}

/// Imports every row of `input` into the catalogue in one transaction; returns what it did.
pub fn import<R: Read>(conn: &mut Connection, input: Input<R>, quiet: bool) -> Result<Stats> {
    let label = input.label.clone();
    let bar = crate::progress::bytes(input.total_bytes, "importing", quiet);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(Hashing {
            inner: input.reader,
            hash: Sha256::new(),
        });
    let header = reader.headers().map_err(|e| csv_error(&label, e))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        bail!("{label}: the file is empty (a header row naming the columns is required)");
    }
    let positions = header_positions(&label, &header)?;
    let stamp = now();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let import_id: i64 = tx.query_row(
        "INSERT INTO import_batch (uid, file_name, sha256, started_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![new_uid(), label, "0".repeat(64), stamp],
        |r| r.get(0),
    )?;
    let stats = {
        let mut ingester = Ingester::new(&tx, stamp, Some(import_id));
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&label, e))?
        {
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            let finding = Finding::from_fields(|c| positions.get(c).and_then(|&i| record.get(i)))
                .map_err(|e| {
                let field = positions
                    .get(e.column)
                    .map(|i| format!(" (field {})", i + 1))
                    .unwrap_or_default();
                anyhow::anyhow!(
                    "{label}:{line}: column '{}'{field}: {}; nothing was imported",
                    e.column,
                    e.message
                )
            })?;
            ingester.record(&finding, &[]).with_context(|| {
                format!("{label}:{line}: recording this row; nothing was imported")
            })?;
            if ingester.stats.rows % 4096 == 0 {
                bar.set_position(record.position().map_or(0, |p| p.byte()));
            }
        }
        ingester.stats.clone()
    };
    if stats.rows == 0 {
        bail!("{label}: no rows after the header; nothing was imported");
    }
    crate::db::refresh_search_index(&tx)?;
    let sha = hex(&reader.into_inner().hash.finalize());
    tx.execute(
        "UPDATE import_batch SET sha256 = ?2, finished_at = ?3, rows_read = ?4, observations_added = ?5 WHERE id = ?1",
        params![import_id, sha, now(), stats.rows as i64, stats.observations_added as i64],
    )?;
    tx.commit().context("committing the import")?;
    bar.finish_and_clear();
    Ok(stats)
}

/// The summary line printed after an import.
pub fn summary(label: &str, s: &Stats) -> String {
    let mut line = format!(
        "imported {label}: {} rows, {} new observations",
        s.rows, s.observations_added
    );
    if s.already_present > 0 {
        line += &format!(" ({} already in the catalogue)", s.already_present);
    }
    line += &format!(
        "; new: {} parts, {} manufacturers, {} weapons, {} units, {} sources; {} spellings matched existing entities",
        s.new_parts, s.new_manufacturers, s.new_weapons, s.new_units, s.new_sources, s.spellings_matched
    );
    if s.country_conflicts > 0 {
        line += &format!(
            "\nwarning: {} rows gave a manufacturer country different from the catalogue's; the catalogue's was kept (see `comptrace manufacturers`)",
            s.country_conflicts
        );
    }
    line
}
