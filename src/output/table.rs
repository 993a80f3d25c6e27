//! Aligned plain-text tables: a header, a rule, one line per row. Widths are display columns
//! (CJK counts two), numbers are right-aligned, and cells wider than MAX_WIDTH are cut with '…'.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::Listing;
use crate::safe_text::for_people;

const MAX_WIDTH: usize = 48;

pub fn write(out: &mut dyn Write, listing: &Listing, indent: &str) -> io::Result<()> {
    let texts: Vec<Vec<String>> = listing
        .rows
        .iter()
        .map(|row| row.iter().map(|c| clip(&c.text())).collect())
        .collect();
    let mut widths: Vec<usize> = listing.columns.iter().map(|c| c.width()).collect();
    for row in &texts {
        for (w, t) in widths.iter_mut().zip(row) {
            *w = (*w).max(t.width());
        }
    }
    let numeric: Vec<bool> = (0..listing.columns.len())
        .map(|i| listing.rows.iter().any(|r| r[i].is_numeric()))
        .collect();
    let header: Vec<String> = listing.columns.iter().map(|c| c.to_string()).collect();
    write_line(out, indent, &header, &widths, &numeric)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    write_line(out, indent, &rule, &widths, &numeric)?;
    for row in &texts {
        write_line(out, indent, row, &widths, &numeric)?;
    }
    Ok(())
}

fn write_line(
    out: &mut dyn Write,
    indent: &str,
    cells: &[String],
    widths: &[usize],
    numeric: &[bool],
) -> io::Result<()> {
    let mut line = String::from(indent);
    for (i, (text, width)) in cells.iter().zip(widths).enumerate() {
        let pad = " ".repeat(width.saturating_sub(text.width()));
        if i > 0 {
            line.push_str("  ");
        }
        if numeric[i] {
            line.push_str(&pad);
            line.push_str(text);
        } else {
            line.push_str(text);
            line.push_str(&pad);
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// A cell on one line, control characters shown escaped (`safe_text::for_people`), cut at
/// MAX_WIDTH.
fn clip(text: &str) -> String {
    let one_line = for_people(&text.replace(['\n', '\r', '\t'], " ")).into_owned();
    if one_line.width() <= MAX_WIDTH {
        return one_line;
    }
    let mut out = String::new();
    for c in one_line.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) >= MAX_WIDTH {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Cell;

    #[test]
    fn long_cells_are_cut_to_the_limit() {
        let long = "x".repeat(100);
        let c = clip(&long);
        assert_eq!(c.width(), MAX_WIDTH);
        assert!(c.ends_with('…'));
        assert_eq!(clip("a\nb"), "a b");
    }

    #[test]
    fn wide_characters_count_double() {
        let l = Listing {
            columns: vec!["n", "k"],
            rows: vec![vec![Cell::from("斉藤"), Cell::Int(1)]],
        };
        let mut buf = Vec::new();
        write(&mut buf, &l, "").unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert_eq!(s.lines().nth(1).unwrap(), "----  -");
    }
}
