//! Reports in every format: aligned text, Markdown, CSV (the first table), JSON (tables plus
//! the basis as metadata) and one self-contained HTML page (inline CSS and SVG, no network
//! fetches, readable when printed). All catalogue text reaching HTML goes through `escape`.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{table, write_listing, Cell, Format, Listing};
use crate::report::{Chart, Report};
use crate::safe_text::{for_people, is_web_url};

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Md,
    Csv,
    Json,
    Html,
    /// CSV with exact text (`--csv-raw`): not a `--format` value of its own
    CsvRaw,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Table,
        ReportFormat::Md,
        ReportFormat::Csv,
        ReportFormat::Json,
        ReportFormat::Html,
    ];

    /// The name `report --format` takes.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Md => "md",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
            ReportFormat::Html => "html",
            ReportFormat::CsvRaw => "csv-raw",
        }
    }
}

pub fn write(out: &mut dyn Write, r: &Report, format: ReportFormat) -> io::Result<()> {
    match format {
        ReportFormat::Table => text(out, r),
        ReportFormat::Md => markdown(out, r),
        ReportFormat::Csv => match r.tables.first() {
            Some((_, l)) => write_listing(out, l, Format::Csv),
            None => Ok(()),
        },
        ReportFormat::CsvRaw => match r.tables.first() {
            Some((_, l)) => write_listing(out, l, Format::CsvRaw),
            None => Ok(()),
        },
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &to_json(r))?;
            writeln!(out)
        }
        ReportFormat::Html => html(out, r),
    }
}

fn text(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "{}", for_people(&r.title))?;
    writeln!(out, "{}", for_people(&r.basis_line()))?;
    for (name, l) in &r.tables {
        writeln!(out, "\n{name} ({})", l.rows.len())?;
        if !l.rows.is_empty() {
            table::write(out, l, "  ")?;
        }
    }
    if !r.sources.is_empty() {
        writeln!(out, "\nsources ({})", r.sources.len())?;
        table::write(out, &sources_listing(r), "  ")?;
    }
    Ok(())
}

fn sources_listing(r: &Report) -> Listing {
    // uids are in the JSON form; people read sources by publisher, title and link
    let mut l = Listing::new(&["kind", "publisher", "title", "date", "url", "sha256"]);
    for s in &r.sources {
        l.rows.push(vec![
            s.kind.as_str().into(),
            s.publisher.clone().into(),
            s.title.clone().into(),
            s.date.clone().into(),
            s.url.clone().into(),
            s.sha256.clone().into(),
        ]);
    }
    l
}

fn md_cell(c: &Cell) -> String {
    md_text(&c.text().replace(['\n', '\r'], " "))
}

/// Catalogue text for Markdown: HTML's `<`, `>` and `&` as entities (a renderer passes raw
/// HTML through), Markdown's active characters (backslash, bar, star, underscore, backtick,
/// brackets) behind a backslash so a name cannot become a link, an image, emphasis or a broken
/// table (`#` and `!` are active only where a cell cannot put them), and control characters
/// shown escaped (`safe_text::for_people`).
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in for_people(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

fn markdown(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "# {}\n", md_text(&r.title))?;
    writeln!(out, "{}\n", md_text(&r.basis_line()))?;
    let mut tables: Vec<(&str, Listing)> = r.tables.iter().map(|(n, l)| (*n, l.clone())).collect();
    if !r.sources.is_empty() {
        tables.push(("sources", sources_listing(r)));
    }
    for (name, l) in tables {
        writeln!(out, "## {name}\n")?;
        if l.rows.is_empty() {
            writeln!(out, "(none)\n")?;
            continue;
        }
        writeln!(out, "| {} |", l.columns.join(" | "))?;
        let rule: Vec<&str> = l
            .columns
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if l.rows
                    .iter()
                    .any(|row| matches!(row[i], Cell::Int(_) | Cell::Float(_)))
                {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        writeln!(out, "| {} |", rule.join(" | "))?;
        for row in &l.rows {
            writeln!(
                out,
                "| {} |",
                row.iter().map(md_cell).collect::<Vec<_>>().join(" | ")
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn to_json(r: &Report) -> Value {
    let mut tables = Map::new();
    for (name, l) in &r.tables {
        let rows: Vec<Value> = l
            .rows
            .iter()
            .map(|row| {
                let mut o = Map::new();
                for (c, cell) in l.columns.iter().zip(row) {
                    o.insert((*c).to_string(), cell.json());
                }
                Value::Object(o)
            })
            .collect();
        tables.insert((*name).to_string(), Value::Array(rows));
    }
    let filters: Map<String, Value> = r
        .filters
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!(v)))
        .collect();
    let totals: Map<String, Value> = r
        .totals
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!(v)))
        .collect();
    let sources: Vec<Value> = r
        .sources
        .iter()
        .map(|s| json!({"uid": s.uid, "kind": s.kind, "publisher": s.publisher, "title": s.title, "date": s.date, "url": s.url, "sha256": s.sha256}))
        .collect();
    json!({
        "report": r.kind,
        "title": r.title,
        "basis": {
            "counted": r.counted,
            "catalogue_as_of": r.catalogue_as_of,
            "as_of": r.as_of,
            "generated_at": if r.as_of.is_some() { None } else { Some(&r.generated_at) },
            "comptrace_version": r.version,
            "reference_data_sha256": r.reference_sha256,
            "embargoed_left_out": r.withheld,
            "filters": filters,
            "totals": totals,
            "findings": r.findings,
            "findings_on_no_source": r.unsourced,
        },
        "tables": tables,
        "sources": sources,
    })
}

/// Escapes text for HTML element content and attribute values; control characters and bidi
/// overrides are shown escaped (`safe_text::for_people`), so a name cannot reorder what a
/// published page shows.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in for_people(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Only web links become links; anything else (javascript:, data:, file:) is shown as text.
fn safe_url(url: &str) -> Option<String> {
    is_web_url(url).then(|| escape(url.trim()))
}

/// The stylesheet inside every HTML report (the web pages name it by hash in their policy).
pub const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#111;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
.basis{color:#333;background:#f5f5f5;padding:.6em .8em;border-left:4px solid #888}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font:12px system-ui,sans-serif}
@media print{body{margin:0;max-width:none}a{color:#000}h2{break-after:avoid}tr{break-inside:avoid}}";

fn html(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<title>{}</title><style>{CSS}</style></head><body>",
        escape(&r.title)
    )?;
    writeln!(out, "<h1>{}</h1>", escape(&r.title))?;
    writeln!(out, "<p class=\"basis\">{}</p>", escape(&r.basis_line()))?;
    if let Some(chart) = &r.chart {
        if !chart.bars.is_empty() {
            writeln!(out, "<h2>{}</h2>", escape(&chart.title))?;
            svg_bars(out, chart)?;
        }
    }
    if !r.chains.is_empty() {
        writeln!(out, "<h2>Chains ({})</h2>", r.chains.len())?;
        for (i, chain) in r.chains.iter().enumerate() {
            svg_chain(out, i + 1, chain)?;
        }
    }
    for (name, l) in &r.tables {
        writeln!(out, "<h2>{} ({})</h2>", escape(name), l.rows.len())?;
        html_table(out, l)?;
    }
    if !r.sources.is_empty() {
        writeln!(out, "<h2>Sources ({})</h2><ol>", r.sources.len())?;
        for s in &r.sources {
            let label = [
                s.publisher.as_deref(),
                s.title.as_deref(),
                s.date.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ");
            let label = if label.is_empty() {
                s.kind.clone()
            } else {
                label
            };
            match s.url.as_deref().and_then(safe_url) {
                Some(url) => writeln!(
                    out,
                    "<li><a href=\"{url}\">{}</a> <small>{}</small></li>",
                    escape(&label),
                    url
                )?,
                None => writeln!(
                    out,
                    "<li>{}{}</li>",
                    escape(&label),
                    s.sha256
                        .as_deref()
                        .map(|h| format!(" <small>file sha256 {}</small>", escape(h)))
                        .unwrap_or_default()
                )?,
            }
        }
        writeln!(out, "</ol>")?;
    }
    writeln!(out, "</body></html>")
}

fn html_table(out: &mut dyn Write, l: &Listing) -> io::Result<()> {
    writeln!(
        out,
        "<table><thead><tr>{}</tr></thead><tbody>",
        l.columns
            .iter()
            .map(|c| format!("<th>{}</th>", escape(c)))
            .collect::<String>()
    )?;
    for row in &l.rows {
        let cells: String = row
            .iter()
            .map(|c| match c {
                Cell::Int(_) | Cell::Float(_) => {
                    format!("<td class=\"n\">{}</td>", escape(&c.text()))
                }
                _ => format!("<td>{}</td>", escape(&c.text())),
            })
            .collect();
        writeln!(out, "<tr>{cells}</tr>")?;
    }
    writeln!(out, "</tbody></table>")
}

/// A horizontal bar chart in inline SVG, largest bar full width.
/// One route drawn as boxes joined by arrows, left to right; a break ("[no known link]") is a
/// dashed box. Every text is escaped; the full text of a shortened stop is its tooltip.
fn svg_chain(out: &mut dyn Write, number: usize, stops: &[String]) -> io::Result<()> {
    const CHARS: usize = 26;
    let (box_w, gap, h) = (190.0, 26.0, 40.0);
    let width = stops.len() as f64 * (box_w + gap) + 40.0;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"route {number}\">",
        h + 10.0,
        h + 10.0
    )?;
    writeln!(out, "<text x=\"2\" y=\"28\">{number}</text>")?;
    for (i, stop) in stops.iter().enumerate() {
        let x = 30.0 + i as f64 * (box_w + gap);
        let broken = stop.starts_with('[');
        let shown: String = if stop.chars().count() > CHARS {
            stop.chars().take(CHARS - 1).chain(['…']).collect()
        } else {
            stop.clone()
        };
        writeln!(
            out,
            "<g><title>{}</title><rect x=\"{x}\" y=\"5\" width=\"{box_w}\" height=\"{h}\" rx=\"4\" fill=\"{}\" stroke=\"#4a6fa5\"{}/><text x=\"{tx}\" y=\"30\">{}</text></g>",
            escape(stop),
            if broken { "#fff" } else { "#e8eef7" },
            if broken { " stroke-dasharray=\"4 3\"" } else { "" },
            escape(&shown),
            tx = x + 6.0
        )?;
        if i + 1 < stops.len() {
            let ax = x + box_w;
            writeln!(
                out,
                "<path d=\"M{ax} 25 h{gap} m-6 -4 l6 4 l-6 4\" fill=\"none\" stroke=\"#333\"/>",
            )?;
        }
    }
    writeln!(out, "</svg>")
}

fn svg_bars(out: &mut dyn Write, chart: &Chart) -> io::Result<()> {
    let (label_w, bar_w, row_h) = (230.0, 520.0, 22.0);
    let max = chart
        .bars
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    // a chart split by tier has a legend row above its bars
    let top = if chart.stacks.is_some() { row_h } else { 0.0 };
    let height = top + row_h * chart.bars.len() as f64 + 10.0;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(&chart.title),
        w = label_w + bar_w + 80.0
    )?;
    if let Some(stacks) = &chart.stacks {
        svg_legend(out, &stacks.names, label_w)?;
    }
    let shown = |value: f64| {
        if chart.unit == "%" {
            format!("{value:.1}%")
        } else {
            format!("{value:.0}")
        }
    };
    for (i, (label, value)) in chart.bars.iter().enumerate() {
        let y = top + i as f64 * row_h + 4.0;
        let w = (value / max * bar_w).max(1.0);
        write!(
            out,
            "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{}</text>",
            escape(label),
            tx = label_w - 6.0,
            ty = y + 14.0,
        )?;
        match chart.stacks.as_ref().and_then(|s| Some(s).zip(s.values.get(i))) {
            Some((stacks, segments)) => {
                let mut x = label_w;
                for (j, part) in segments.iter().enumerate().filter(|(_, v)| **v > 0.0) {
                    let sw = part / max * bar_w;
                    write!(
                        out,
                        "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{sw:.1}\" height=\"{h}\" fill=\"{}\"><title>{}: {}</title></rect>",
                        segment_colour(j, stacks.names.len()),
                        escape(&stacks.names[j]),
                        escape(&shown(*part)),
                        h = row_h - 6.0,
                    )?;
                    x += sw;
                }
            }
            None => write!(
                out,
                "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" fill=\"#4a6fa5\"/>",
                h = row_h - 6.0,
            )?,
        }
        writeln!(
            out,
            "<text x=\"{vx:.1}\" y=\"{ty}\">{}</text>",
            escape(&shown(*value)),
            ty = y + 14.0,
            vx = label_w + w + 4.0
        )?;
    }
    writeln!(out, "</svg>")
}

/// Colours of tier segments: tier 1 darkest, later tiers lighter, the last segment (not on a
/// listed tier) grey, so the order of urgency reads without the legend.
fn segment_colour(index: usize, count: usize) -> &'static str {
    const TIERS: [&str; 6] = [
        "#8b1a1a", "#d2691e", "#daa520", "#9acd32", "#4a90a4", "#7b68ee",
    ];
    if index + 1 == count {
        "#c8c8c8"
    } else {
        TIERS[index.min(TIERS.len() - 1)]
    }
}

/// One row of swatches naming the segments, above the bars.
fn svg_legend(out: &mut dyn Write, names: &[String], x0: f64) -> io::Result<()> {
    let mut x = x0;
    for (j, name) in names.iter().enumerate() {
        writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{tx:.1}\" y=\"15\">{}</text>",
            segment_colour(j, names.len()),
            escape(name),
            tx = x + 16.0
        )?;
        x += 24.0 + 7.0 * name.chars().count() as f64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("a\"b'c&"), "a&quot;b&#39;c&amp;");
        assert_eq!(escape("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(
            safe_url("https://e.org/?a=1&b=2").as_deref(),
            Some("https://e.org/?a=1&amp;b=2")
        );
    }
}
