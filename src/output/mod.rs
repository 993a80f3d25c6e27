//! Rendering rows for people (aligned tables) and for programs (CSV, JSON). Commands build a
//! `Listing` or a `Document` and never format output themselves, so every command offers the
//! same formats with the same conventions:
//! - table: aligned columns for reading; long cells are cut with '…' (use csv or json for data);
//! - csv: RFC 4180 with a header row; an empty field is an unknown; lists are joined with "; ";
//!   a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so
//!   a spreadsheet shows it instead of running it (`safe_text::csv_cell`), unless `--csv-raw`;
//! - json: an array of objects (a listing) or one object (a document); keys in column order;
//!   unknowns are null; lists are arrays.

pub mod report;
mod table;

use std::io::{self, Write};

use serde_json::{Map, Value};

/// The output formats every reading command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// CSV with every cell's exact text (`--csv-raw`): not a `--format` value of its own
    CsvRaw,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Table, Format::Csv, Format::Json];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::CsvRaw => "csv-raw",
        }
    }
}

use crate::safe_text::{csv_cell, for_people};
pub use crate::table::{Cell, Document, Listing};

pub fn write_listing(out: &mut dyn Write, listing: &Listing, format: Format) -> io::Result<()> {
    match format {
        Format::Table => table::write(out, listing, ""),
        Format::Csv => write_csv(out, listing, Cells::Neutralised),
        Format::CsvRaw => write_csv(out, listing, Cells::Exact),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &listing.json_rows())?;
            writeln!(out)
        }
    }
}

/// A document as a table (sections one after another), JSON (one object), or CSV (its first
/// section only: the rows a spreadsheet wants; the facts are in the table and JSON forms).
pub fn write_document(out: &mut dyn Write, doc: &Document, format: Format) -> io::Result<()> {
    match format {
        Format::Table => {
            writeln!(out, "{}", for_people(&doc.title))?;
            let width = doc.fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (label, cell) in &doc.fields {
                writeln!(out, "  {label:<width$}  {}", for_people(&cell.text()))?;
            }
            for (name, listing) in &doc.sections {
                writeln!(out, "\n{name} ({})", listing.rows.len())?;
                if !listing.rows.is_empty() {
                    table::write(out, listing, "  ")?;
                }
            }
            Ok(())
        }
        Format::Csv | Format::CsvRaw => match doc.sections.first() {
            Some((_, listing)) => write_listing(out, listing, format),
            None => Ok(()),
        },
        Format::Json => {
            let mut obj = Map::new();
            for (label, cell) in &doc.fields {
                obj.insert((*label).to_string(), cell.json());
            }
            for (name, listing) in &doc.sections {
                obj.insert((*name).to_string(), listing.json_rows());
            }
            serde_json::to_writer_pretty(&mut *out, &Value::Object(obj))?;
            writeln!(out)
        }
    }
}

/// What a CSV's text cells hold: neutralised for spreadsheets (the default), or exact.
#[derive(Clone, Copy)]
enum Cells {
    Neutralised,
    Exact,
}

fn write_csv(out: &mut dyn Write, listing: &Listing, cells: Cells) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&listing.columns)?;
    for row in &listing.rows {
        w.write_record(row.iter().map(|c| csv_text(c, cells)))?;
    }
    w.flush()
}

/// A cell's CSV text: numbers the catalogue counted as they are, text (from someone's file)
/// neutralised unless exact text was asked for.
fn csv_text(cell: &Cell, cells: Cells) -> String {
    let text = cell.text();
    match (cells, cell.is_numeric()) {
        (Cells::Neutralised, false) => csv_cell(&text).into_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listing {
        Listing {
            columns: vec!["name", "count", "weapons"],
            rows: vec![
                vec![
                    "Texas, Instruments".into(),
                    Cell::Int(12),
                    Cell::List(vec!["Kh-101".into(), "Shahed-136".into()]),
                ],
                vec![Cell::Null, Cell::Int(3), Cell::List(vec![])],
            ],
        }
    }

    fn render(l: &Listing, f: Format) -> String {
        let mut buf = Vec::new();
        write_listing(&mut buf, l, f).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn csv_quotes_and_joins_lists() {
        assert_eq!(
            render(&sample(), Format::Csv),
            "name,count,weapons\n\"Texas, Instruments\",12,Kh-101; Shahed-136\n,3,\n"
        );
    }

    #[test]
    fn json_keeps_types_and_column_order() {
        let v: Value = serde_json::from_str(&render(&sample(), Format::Json)).unwrap();
        assert_eq!(v[0]["count"], 12);
        assert_eq!(v[0]["weapons"][1], "Shahed-136");
        assert!(v[1]["name"].is_null());
        let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "count", "weapons"]);
    }

    #[test]
    fn table_aligns_columns_and_right_aligns_numbers() {
        let text = render(&sample(), Format::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "name                count  weapons");
        assert_eq!(lines[2], "Texas, Instruments     12  Kh-101; Shahed-136");
        assert_eq!(lines[3].find('3'), Some(lines[2].find("12").unwrap() + 1));
    }
}
