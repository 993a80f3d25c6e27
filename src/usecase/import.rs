//! Bulk import of findings from CSV: one transaction, streamed, all-or-nothing. The first bad
//! row stops the import with `FILE:LINE: column 'NAME' (field N): what is wrong`, and the
//! catalogue is left exactly as it was.
//!
//! Two threads: `Reading` parses and checks rows and prepares them (`ingest::Prepared`) while
//! `write_rows` records them; see docs/architecture.md for what makes a bulk load fast.

use std::collections::HashMap;
use std::io::Read;
use std::sync::mpsc;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::dates::now;
use crate::db::dedup::{apart, named};
use crate::db::ingest::{CountryConflicts, Evidence, Ingester, Prepared, Stats};
use crate::db::merge::Family;
use crate::db::{import_batch, Catalogue, Store};
use crate::evidence::hex;
use crate::finding::{Finding, COLUMNS};
use crate::matching::dedup::candidates;
use crate::matching::DEFAULT_THRESHOLD;
use crate::safe_text::{for_people, visible, with_invisible_shown};

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
pub(crate) fn header_positions(
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

pub(crate) fn csv_error(label: &str, e: csv::Error) -> anyhow::Error {
    let at = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => anyhow::anyhow!(
            "{label}:{at}: field {} is not valid UTF-8 (save the file as UTF-8)",
            err.field() + 1
        ),
        _ => anyhow::anyhow!("{label}:{at}: {e}"),
    }
}

/// Longest field accepted: a cell larger than this is a broken file, not a finding.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// How to read the file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The field separator; None detects ',', ';' or tab from the header line.
    pub delimiter: Option<u8>,
    /// Import the good rows and write every bad one, with its reason, to `rejects`.
    pub skip_invalid: bool,
    /// Do everything but commit: the summary says what the import would add and warn about,
    /// and the transaction is rolled back, so the catalogue is left as it was.
    pub dry_run: bool,
}

/// The separator the header line uses most: ',' (RFC 4180), ';' (spreadsheets in much of
/// Europe) or tab.
pub(crate) fn detect_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (count(*d), *d == b','))
        .unwrap_or(b',')
}

/// A row that failed: where, which column, and why.
struct RowError {
    column: Option<(&'static str, usize)>,
    message: String,
}

/// Checks one raw row: shape, encoding, size, then every field (see Finding::from_fields).
fn check_row(
    record: &csv::ByteRecord,
    width: usize,
    positions: &HashMap<&'static str, usize>,
) -> Result<Finding, RowError> {
    if record.len() != width {
        return Err(RowError {
            column: None,
            message: format!(
                "this row has {} fields but the header has {width}",
                record.len()
            ),
        });
    }
    let mut fields = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        if raw.len() > MAX_FIELD_BYTES {
            return Err(RowError {
                column: None,
                message: format!(
                    "field {} is {} bytes long; the limit is {MAX_FIELD_BYTES}",
                    i + 1,
                    raw.len()
                ),
            });
        }
        let text = std::str::from_utf8(raw).map_err(|_| RowError {
            column: None,
            message: format!(
                "field {} is not valid UTF-8 (save the file as UTF-8)",
                i + 1
            ),
        })?;
        fields.push(text);
    }
    Finding::from_fields(|c| positions.get(c).map(|&i| fields[i])).map_err(|e| RowError {
        column: positions.get(e.column).map(|&i| (e.column, i + 1)),
        message: e.message,
    })
}

/// Rows as the reading thread hands them over, with how far into the file it has got.
struct Batch {
    rows: Vec<Row>,
    byte: u64,
}

enum Row {
    Good {
        line: u64,
        finding: Box<Prepared>,
    },
    Rejected {
        line: u64,
        fields: Vec<String>,
        reason: String,
    },
}

/// What the reading thread needs to know about the file.
struct Reading<'a> {
    label: &'a str,
    width: usize,
    positions: &'a HashMap<&'static str, usize>,
    skip_invalid: bool,
    maker_keys: MakerKeys,
    pending: Option<Pending>,
}

/// The normalised keys of the makers met so far, bounded so memory stays flat (when full it
/// starts over).
#[derive(Default)]
struct MakerKeys(HashMap<String, String>);

impl MakerKeys {
    const CAPACITY: usize = 200_000;

    fn key(&mut self, maker: &str) -> String {
        if let Some(key) = self.0.get(maker) {
            return key.clone();
        }
        if self.0.len() >= Self::CAPACITY {
            self.0.clear();
        }
        let key = crate::normalize::company_key(maker);
        self.0.insert(maker.to_string(), key.clone());
        key
    }
}

const BATCH_ROWS: usize = 512;

impl Reading<'_> {
    /// Reads and checks every row, sending them on in batches; stops at the first error (a
    /// broken file, or a bad row without --skip-invalid), which it sends on too. Returns the
    /// file's SHA-256, or nothing useful when the writer hung up first.
    fn run<R: Read>(
        mut self,
        mut reader: csv::Reader<std::io::BufReader<Hashing<R>>>,
        sender: mpsc::SyncSender<Result<Batch>>,
    ) -> String {
        let mut record = csv::ByteRecord::new();
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        loop {
            let more = match reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let _ = sender.send(Err(csv_error(self.label, e)));
                    return String::new();
                }
            };
            if more {
                match self.row(&record) {
                    Ok(row) => batch.extend(row),
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return String::new();
                    }
                }
            } else {
                batch.extend(self.pending.take().map(|p| self.prepared_row(p)));
            }
            if batch.len() == BATCH_ROWS || (!more && !batch.is_empty()) {
                let byte = record.position().map_or(0, |p| p.byte());
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                if sender.send(Ok(Batch { rows: full, byte })).is_err() {
                    return String::new(); // the writer stopped: its error is the one reported
                }
            }
            if !more {
                return hex(&reader.into_inner().into_inner().hash.finalize());
            }
        }
    }

    /// Checks a row; returns the finding it completes, if any (a finding is complete when a
    /// row that is not one of its sources follows it).
    fn row(&mut self, record: &csv::ByteRecord) -> Result<Option<Row>> {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        match check_row(record, self.width, self.positions) {
            Ok(finding) => self.group(line, finding),
            Err(e) => {
                let at = match e.column {
                    Some((name, field)) => format!("column '{name}' (field {field}): "),
                    None => String::new(),
                };
                if !self.skip_invalid {
                    bail!(
                        "{}:{line}: {at}{}; nothing was imported",
                        self.label,
                        e.message
                    );
                }
                Ok(Some(Row::Rejected {
                    line,
                    fields: record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                    reason: format!("{at}{}", e.message),
                }))
            }
        }
    }

    /// Rows of one finding with several sources share its uid and stand together (as `export`
    /// writes them): each further row adds a source to the finding before it.
    fn group(&mut self, line: u64, finding: Finding) -> Result<Option<Row>> {
        if let Some(p) = self.pending.as_mut() {
            if finding.uid().is_some() && finding.uid() == p.finding.uid() {
                if !p.finding.same_apart_from_sources(&finding) {
                    bail!(
                        "{}:{line}: column 'uid': {} is the stable id of the finding on line {}, and this row states another finding (rows of one finding may differ only in their source); nothing was imported",
                        self.label,
                        finding.uid().unwrap_or_default(),
                        p.line
                    );
                }
                p.more.extend(Evidence::from_citation(&finding.citation()));
                return Ok(None);
            }
        }
        let done = self.pending.replace(Pending {
            line,
            finding,
            more: Vec::new(),
        });
        Ok(done.map(|p| self.prepared_row(p)))
    }

    fn prepared_row(&mut self, p: Pending) -> Row {
        Row::Good {
            line: p.line,
            finding: Box::new(Prepared::with_maker_keys(p.finding, p.more, |maker| {
                self.maker_keys.key(maker)
            })),
        }
    }
}

/// A finding read but not yet sent on: the rows after it may add sources to it.
struct Pending {
    line: u64,
    finding: Finding,
    more: Vec<Evidence>,
}

/// Records every row the reading thread sends; the first error ends the import.
fn write_rows<W: std::io::Write>(
    label: &str,
    receiver: mpsc::Receiver<Result<Batch>>,
    mut ingester: Ingester,
    mut rejected: Option<&mut csv::Writer<W>>,
    bar: &indicatif::ProgressBar,
) -> Result<Stats> {
    for batch in receiver {
        let batch = batch?;
        for row in batch.rows {
            match row {
                Row::Good { line, finding } => {
                    let recorded = ingester
                        .record_prepared(&finding, Some(line))
                        .with_context(|| {
                            format!("{label}:{line}: recording this row; nothing was imported")
                        })?;
                    if recorded.repeat.is_some() && ingester.stats.repeat_lines.len() < 5 {
                        ingester.stats.repeat_lines.push(line);
                    }
                    note_invisible_names(&mut ingester.stats, line, &finding.finding);
                }
                Row::Rejected {
                    line,
                    mut fields,
                    reason,
                } => {
                    let w = rejected
                        .as_mut()
                        .expect("rows are rejected only with a rejects file");
                    fields.extend([line.to_string(), reason]);
                    w.write_record(&fields)?;
                    ingester.stats.rejected += 1;
                }
            }
        }
        bar.set_position(batch.byte);
    }
    Ok(ingester.stats.clone())
}

/// Imports every row of `input` into the catalogue in one transaction; returns what it did.
/// With `options.skip_invalid`, bad rows go to `rejects` (the row, its line and the reason)
/// and the good ones are imported; otherwise the first bad row stops everything. It runs under
/// the store's bulk settings (`db::import_batch::enter_bulk`: a large page cache, foreign
/// keys checked by construction).
pub fn import<R: Read + Send>(
    catalogue: &mut Catalogue,
    input: Input<R>,
    options: &Options,
    rejects: Option<&mut dyn std::io::Write>,
    quiet: bool,
) -> Result<Stats> {
    let saved = import_batch::enter_bulk(catalogue)?;
    let result = import_unchecked(catalogue, input, options, rejects, quiet);
    import_batch::leave_bulk(catalogue, saved)?;
    result
}

fn import_unchecked<R: Read + Send>(
    catalogue: &mut Catalogue,
    input: Input<R>,
    options: &Options,
    mut rejects: Option<&mut dyn std::io::Write>,
    quiet: bool,
) -> Result<Stats> {
    let label = input.label.clone();
    let bar = crate::progress::bytes(input.total_bytes, "importing", quiet);
    let mut buffered = std::io::BufReader::with_capacity(
        1 << 16,
        Hashing {
            inner: input.reader,
            hash: Sha256::new(),
        },
    );
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => detect_delimiter(
            std::io::BufRead::fill_buf(&mut buffered)
                .with_context(|| format!("{label}: cannot read"))?,
        ),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(buffered);
    let header = reader.headers().map_err(|e| csv_error(&label, e))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        bail!("{label}: the file is empty (a header row naming the columns is required)");
    }
    let positions = header_positions(&label, &header)?;
    // rejected rows keep the shape they came in, so a row's width may differ from the header's
    let mut rejected_writer = rejects
        .as_mut()
        .map(|w| csv::WriterBuilder::new().flexible(true).from_writer(w));
    if let Some(w) = rejected_writer.as_mut() {
        let mut head: Vec<&str> = header.iter().collect();
        head.extend(["line", "reason"]);
        w.write_record(&head)?;
    }
    let stamp = now();
    let tx = catalogue.write()?;
    let import_id = import_batch::start(&tx, &label, &stamp)?;
    let deferred = if import_batch::is_bulk_load(&tx, input.total_bytes)? {
        Some(crate::db::ingest::defer_indexes(&tx)?)
    } else {
        None
    };
    // one thread reads, checks and fingerprints rows while this one writes them; the bounded
    // channel keeps memory flat however long the file is
    let (sender, receiver) = mpsc::sync_channel(16);
    let reading = Reading {
        label: &label,
        width: header.len(),
        positions: &positions,
        skip_invalid: options.skip_invalid && rejected_writer.is_some(),
        maker_keys: MakerKeys::default(),
        pending: None,
    };
    let (stats, sha) = std::thread::scope(|scope| -> Result<(Stats, String)> {
        let reader_thread = scope.spawn(move || reading.run(reader, sender));
        let stats = write_rows(
            &label,
            receiver,
            Ingester::new(&tx, stamp, Some(import_id))?,
            rejected_writer.as_mut(),
            &bar,
        );
        let sha = reader_thread
            .join()
            .map_err(|_| anyhow::anyhow!("{label}: the reading thread failed"))?;
        Ok((stats?, sha))
    })?;
    if stats.rows + stats.rejected == 0 {
        bail!("{label}: no rows after the header; nothing was imported");
    }
    if let Some(w) = rejected_writer.as_mut() {
        w.flush()?;
    }
    if let Some(deferred) = deferred {
        deferred.rebuild(&tx)?;
    }
    crate::db::refresh_search_index(&tx)?;
    import_batch::finish(&tx, import_id, &sha, stats.rows, stats.observations_added)?;
    if options.dry_run {
        // dropped, not committed: SQLite rolls every row of the run back
        drop(tx);
        bar.finish_and_clear();
        return Ok(stats);
    }
    tx.commit().context("committing the import")?;
    bar.finish_and_clear();
    Ok(stats)
}

/// The name fields a reader compares by eye.
const NAME_FIELDS: [&str; 4] = ["weapon", "component", "part_number", "manufacturer"];

/// How many rows' names are named in the summary; past those only a count grows.
const INVISIBLE_EXAMPLES: usize = 10;

/// Counts the names of a row that hold characters no one sees (`safe_text::is_invisible`):
/// such a name looks like another spelling, or is one planted to pass for it. The row is
/// imported as written (the look-alike hint's rule: flagged for review, never refused).
fn note_invisible_names(stats: &mut Stats, line: u64, finding: &crate::finding::Finding) {
    for field in NAME_FIELDS {
        let Some(text) = finding.get(field) else {
            continue;
        };
        if visible(text) != text {
            stats.invisible_names += 1;
            if stats.invisible_examples.len() < INVISIBLE_EXAMPLES {
                stats
                    .invisible_examples
                    .push((line, field, text.to_string()));
            }
        }
    }
}

/// The warning naming rows whose names differ from what a reader sees only by invisible or
/// direction characters: both spellings, the written one escaped.
fn invisible_names(label: &str, s: &Stats) -> String {
    if s.invisible_names == 0 {
        return String::new();
    }
    let mut text = format!(
        "\nwarning: {} names hold invisible or direction characters (zero-width, soft hyphen, bidi controls) and look like another spelling; imported as written, check them against their source:",
        s.invisible_names
    );
    for (line, field, name) in &s.invisible_examples {
        text += &format!(
            "\n  {label}:{line}: {field} \"{}\" reads as \"{}\"",
            with_invisible_shown(name),
            for_people(&visible(name))
        );
    }
    if s.invisible_names as usize > s.invisible_examples.len() {
        text += "\n  ...";
    }
    text
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
    line += &repeats(s);
    if s.units_from_labels > 0 || s.labels_kept_whole > 0 {
        line += &format!(
            "\nweapon labels: {} named a recovered unit (serial, tail number, or when or where it was recovered, built or used); {} could not be taken apart and were kept whole",
            s.units_from_labels, s.labels_kept_whole
        );
    }
    if s.unsourced > 0 {
        line += &format!(
            "\n{} findings rest on no source (every source_* column empty); they are kept, and every report says how many of its findings rest on none",
            s.unsourced
        );
    }
    if s.identified_in_text + s.kept_unidentified > 0 {
        line += &format!(
            "\n{} rows named a family, technology or package word as part number (GNSS, CMOS, TQFP44 ...): {} identified by a code in the component text, {} kept as unidentified parts",
            s.identified_in_text + s.kept_unidentified,
            s.identified_in_text,
            s.kept_unidentified
        );
    }
    if s.truncated_part_numbers > 0 {
        line += &format!(
            "\n{} rows gave a part number cut from the front of a code in the component text (2411WI of TEN 8-2411WI): identified by the whole code",
            s.truncated_part_numbers
        );
    }
    if s.rejected > 0 {
        line += &format!(
            "\n{} rows were rejected and written to the rejects file with their reasons",
            s.rejected
        );
    }
    if s.uids_reassigned > 0 {
        line += &format!(
            "\n{} rows carried a stable id that another finding here already has; they were given new ones",
            s.uids_reassigned
        );
    }
    line += &country_conflicts(&s.country_conflicts);
    line += &invisible_names(label, s);
    line
}

/// The warning naming the makers whose rows gave another country, both countries and the
/// first lines: "Tyco Electronics US against TE Connectivity IE".
fn country_conflicts(c: &CountryConflicts) -> String {
    if c.rows == 0 {
        return String::new();
    }
    let mut text = format!(
        "\nwarning: {} rows gave a manufacturer country different from the catalogue's; the catalogue's was kept (see `comptrace manufacturers`):",
        c.rows
    );
    for m in &c.shown {
        text += &format!(
            "\n  {} {} against {} {}: {} {}",
            m.spelling,
            m.stated,
            m.maker,
            m.kept,
            m.rows,
            if m.rows == 1 { "row" } else { "rows" },
        );
        if !m.lines.is_empty() {
            let lines: Vec<String> = m.lines.iter().map(u64::to_string).collect();
            let more = if m.rows > m.lines.len() as u64 {
                ", ..."
            } else {
                ""
            };
            text += &format!(
                " (line{} {}{more})",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            );
        }
    }
    if c.more > 0 {
        text += &format!("\n  and {} more makers or countries like these", c.more);
    }
    text
}

/// How many entities created after `last` are candidates to merge with another entity. Nothing
/// is merged: similarity is a suggestion for review.
pub fn look_alikes(store: &Store, family: Family, last: i64) -> Result<usize> {
    let ents = named(store, family)?;
    let cands = candidates(family, &ents, &apart(store, family)?);
    let mut new: Vec<i64> = cands
        .iter()
        .filter(|c| c.score >= DEFAULT_THRESHOLD)
        .flat_map(|c| [c.a, c.b])
        .filter(|id| *id > last)
        .collect();
    new.sort();
    new.dedup();
    Ok(new.len())
}

/// Rows that repeat an earlier row of the file: one finding stated twice, counted once. Many
/// repeats of one row, or repeats past 1% of the file, look like a faulty scrape or export.
fn repeats(s: &Stats) -> String {
    if s.repeated_in_run == 0 {
        return String::new();
    }
    let lines: Vec<String> = s.repeat_lines.iter().map(u64::to_string).collect();
    let more = if s.repeated_in_run as usize > lines.len() {
        ", ..."
    } else {
        ""
    };
    let mut text = format!(
        "\n{} rows repeated an earlier row of this file (lines {}{more}); each finding is counted once (two identical parts in one unit are one row with a `quantity`)",
        s.repeated_in_run,
        lines.join(", ")
    );
    let (most, uid) = s.most_repeated.clone().unwrap_or_default();
    let share = s.repeated_in_run as f64 / s.rows.max(1) as f64;
    if most > 10 || share > 0.01 {
        text += &format!(
            "\nwarning: {:.1}% of the rows repeat others, and one finding (observation {uid}) is stated {most} times: the file looks like a faulty scrape or export; check it against its source",
            share * 100.0
        );
    }
    text
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Files as they come: random bytes, CSV-ish text with quotes, separators and the import
    /// format's header, and valid rows whose weapon labels are hostile text (multi-byte and
    /// case-changing letters, serial markers, brackets) so every label reaches the label parser.
    fn files() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec((crate::matching::labels::strategies::weapon_labels(), "[A-Za-z0-9]{1,8}"), 1..5).prop_map(|rows| {
                let mut s = String::from("weapon,component\n");
                for (w, c) in rows {
                    s.push_str(&format!("\"{}\",{c}\n", w.replace('"', "\"\"")));
                }
                s.into_bytes()
            }),
            proptest::collection::vec(any::<u8>(), 0..400),
            "(weapon,component,manufacturer_country,found_on\n)?([A-Za-z0-9 \",;\n\r\t-]{0,30}\n){0,6}".prop_map(String::into_bytes),
            proptest::collection::vec(("[^\n]{0,12}", "[^\n]{0,12}", "[A-Z]{0,3}", "[0-9-]{0,11}"), 0..5).prop_map(|rows| {
                let mut s = String::from("weapon,component,manufacturer_country,found_on\n");
                for (w, c, k, d) in rows {
                    s.push_str(&format!("\"{}\",\"{}\",{k},{d}\n", w.replace('"', "\"\""), c.replace('"', "\"\"")));
                }
                s.into_bytes()
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn import_never_panics_and_a_failed_import_writes_nothing(bytes in files(), skip in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            let mut conn = Catalogue::create(&dir.path().join("c.db")).unwrap();
            let mut rejects = Vec::new();
            let input = Input { label: "fuzz.csv".into(), reader: bytes.as_slice(), total_bytes: bytes.len() as u64 };
            let options = Options {
                delimiter: None,
                skip_invalid: skip,
                dry_run: false,
            };
            let result = import(&mut conn, input, &options, skip.then_some(&mut rejects as &mut dyn std::io::Write), true);
            let observations = import_batch::observation_count(&conn).unwrap();
            let batches = import_batch::batch_count(&conn).unwrap();
            match result {
                Ok(stats) => prop_assert_eq!(observations as u64, stats.observations_added),
                Err(_) => prop_assert_eq!((observations, batches), (0, 0)),
            }
        }
    }
}
