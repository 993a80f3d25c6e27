//! The reports as pages: each asked for by the words `comptrace report` takes (read by the
//! command's own arguments: `cmd::report::request_from_words`), built by the same use case in
//! one read transaction, and rendered by the HTML report code; its CSV, JSON and Markdown
//! twins are the command's `--format` output.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use sha2::{Digest, Sha256};

use super::browse::percent_encode;
use super::cache::Page;
use super::page::{layout, WebError};
use super::session::Session;
use super::{blocking, Shared};
use crate::classification::Chpl;
use crate::db::Catalogue;
use crate::output::report::{write, ReportFormat, CSS};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/reports", get(index))
        .route("/reports/{kind}", get(report))
}

/// A form field on the index page: (field, hint).
type Field = (&'static str, &'static str);

/// Each report's fields on the index page: (kind, what it is, fields). The `name` field of
/// manufacturer and weapon is the name the command takes as its argument.
const KINDS: &[(&str, &str, &[Field])] = &[
    (
        "origin",
        "Share of parts and observations by country, with the makers behind each",
        &[
            ("weapon", "weapon model"),
            ("by", "hq or production"),
            ("since", "YYYY-MM-DD"),
            ("until", "YYYY-MM-DD"),
            ("tier", "CHPL tier"),
        ],
    ),
    (
        "weapon",
        "A weapon model's bill of components with HS codes, tiers and evidence",
        &[("name", "weapon model"), ("tier", "CHPL tier")],
    ),
    (
        "manufacturer",
        "Every weapon a maker's parts were found in",
        &[("name", "maker")],
    ),
    (
        "date-codes",
        "Parts whose date code shows production after a cut-off",
        &[
            ("after", "YYYY-MM-DD (2022-02-24)"),
            ("weapon", "weapon model"),
            ("tier", "CHPL tier"),
        ],
    ),
    (
        "chpl",
        "Observations by CHPL tier and maker country",
        &[("weapon", "weapon model"), ("since", "YYYY-MM-DD")],
    ),
    (
        "route",
        "Known chains from a part's maker towards the weapons",
        &[
            ("part", "part"),
            ("manufacturer", "maker"),
            ("weapon", "weapon model"),
        ],
    ),
    (
        "third-countries",
        "Countries the parts passed through besides their maker's",
        &[("manufacturer", "maker"), ("since", "YYYY-MM-DD")],
    ),
    (
        "suppliers",
        "Suppliers, distributors, exporters and importers with what they link",
        &[("weapon", "weapon model")],
    ),
];

pub async fn index(session: Session) -> Response {
    layout(
        "Reports",
        &session,
        html! {
            p { "Each report is the one " code { "comptrace report" } " makes, with the same filters; its page links the CSV, JSON and Markdown forms." }
            @for (kind, about, fields) in KINDS {
                section.report {
                    h2 { (kind) }
                    p { (about) }
                    form.filters method="get" action=(format!("/reports/{kind}")) {
                        @for (field, hint) in *fields {
                            label { (field) " " input name=(field) placeholder=(hint); }
                        }
                        button type="submit" { "Show" }
                    }
                }
            }
        },
    )
    .into_response()
}

/// The words `comptrace report` would be given for a page's query: the kind, the name (the
/// command's argument) after `--` so no name is read as a flag, every other field as
/// `--field=value`, an empty field left out, and `format` (the page's own) never passed.
fn words(kind: &str, query: &[(String, String)]) -> Vec<String> {
    let mut words = vec![kind.to_string()];
    let mut name = None;
    for (key, value) in query {
        let value = value.trim();
        if value.is_empty() || key == "format" {
            continue;
        }
        match key.as_str() {
            "name" => name = Some(value.to_string()),
            // checkboxes: present means on
            "sources" | "by_owner" | "by-owner" => {
                words.push(format!("--{}", key.replace('_', "-")))
            }
            _ => words.push(format!("--{}={value}", key.replace('_', "-"))),
        }
    }
    if let Some(name) = name {
        words.push("--".to_string());
        words.push(name);
    }
    words
}

fn format_of(query: &[(String, String)]) -> Result<ReportFormat, WebError> {
    match query
        .iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.as_str())
    {
        None | Some("") | Some("html") => Ok(ReportFormat::Html),
        Some("csv") => Ok(ReportFormat::Csv),
        Some("json") => Ok(ReportFormat::Json),
        Some("md") => Ok(ReportFormat::Md),
        Some(other) => Err(WebError::refused(anyhow::anyhow!(
            "format {other:?}: use csv, json or md"
        ))),
    }
}

pub async fn report(
    State(app): State<Shared>,
    Path(kind): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let format = format_of(&query)?;
    let words = words(&kind, &query);
    let request = crate::cmd::report::request_from_words(&words).map_err(WebError::refused)?;
    let key = cache_key(&words, format, &query);
    let (page, hit) = blocking(move || {
        let marker = app
            .reports
            .marker(&app.config.db)
            .map_err(WebError::internal)?;
        if let Some(page) = app.reports.get(&key, marker) {
            return Ok((page, true));
        }
        let page = build_page(&app, &request, format, &kind, &query)?;
        app.reports.put(key, marker, page.clone());
        Ok((page, false))
    })
    .await?;
    let mut response = page.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(page.content_type),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&report_policy()).expect("a policy is ASCII"),
    );
    headers.insert(
        "x-comptrace-cache",
        HeaderValue::from_static(if hit { "hit" } else { "miss" }),
    );
    Ok(response)
}

/// What a report page is kept under: the command's words, the format, the page's own query
/// (its twin links are built from it) and today's date (reports read "today" for their
/// defaults, so a page kept overnight is built again).
fn cache_key(words: &[String], format: ReportFormat, query: &[(String, String)]) -> String {
    let today: String = crate::dates::now().chars().take(10).collect();
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{today}\0{format:?}\0{}\0{}",
        words.join("\0"),
        query.join("\0")
    )
}

/// Builds the report in one read transaction and renders it as the page answers it.
fn build_page(
    app: &Shared,
    request: &crate::usecase::report::Request,
    format: ReportFormat,
    kind: &str,
    query: &[(String, String)],
) -> Result<Page, WebError> {
    let mut catalogue = Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)?;
    let report = crate::usecase::report::build(
        &mut catalogue,
        request,
        Chpl::bundled(),
        crate::dates::now(),
        &Default::default(),
    )
    .map_err(WebError::refused)?;
    let mut bytes = Vec::new();
    write(&mut bytes, &report, format).map_err(|e| WebError::internal(e.into()))?;
    let content_type = match format {
        ReportFormat::Html => {
            bytes = with_twins(bytes, kind, query);
            "text/html; charset=utf-8"
        }
        ReportFormat::Json => "application/json",
        ReportFormat::Md => "text/markdown; charset=utf-8",
        _ => "text/csv; charset=utf-8",
    };
    Ok(Page {
        bytes,
        content_type,
    })
}

/// The page's policy with one exception: the report's own stylesheet, inline, named by its
/// hash (no other inline style, and still no script at all).
fn report_policy() -> String {
    let hash = base64(&Sha256::digest(CSS.as_bytes()));
    super::CSP.replace(
        "style-src 'self'",
        &format!("style-src 'self' 'sha256-{hash}'"),
    )
}

/// The report page with links back to the reports and to its data twins, after `<body>`.
fn with_twins(html: Vec<u8>, kind: &str, query: &[(String, String)]) -> Vec<u8> {
    let base: Vec<String> = query
        .iter()
        .filter(|(k, _)| k != "format")
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    let link = |format: &str| {
        let mut q = base.clone();
        q.push(format!("format={format}"));
        format!("/reports/{}?{}", percent_encode(kind), q.join("&"))
    };
    let nav = html! {
        p.twins {
            a href="/reports" { "← reports" } " · Data: "
            a href=(link("csv")) { "CSV" } " · "
            a href=(link("json")) { "JSON" } " · "
            a href=(link("md")) { "Markdown" }
        }
    }
    .into_string();
    let text = String::from_utf8_lossy(&html).into_owned();
    match text.split_once("<body>") {
        Some((head, rest)) => format!("{head}<body>{nav}{rest}").into_bytes(),
        None => html,
    }
}

/// Standard base64 with padding (RFC 4648), for a CSP hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn a_name_is_never_read_as_a_flag() {
        let w = words(
            "weapon",
            &[
                ("name".into(), "--out=/etc/passwd".into()),
                ("tier".into(), "1".into()),
                ("format".into(), "csv".into()),
            ],
        );
        assert_eq!(w, ["weapon", "--tier=1", "--", "--out=/etc/passwd"]);
        // and the command's parser takes it as the weapon's name
        let request = crate::cmd::report::request_from_words(&w).expect("parses");
        assert!(
            matches!(request, crate::usecase::report::Request::Weapon { ref name, .. } if name == "--out=/etc/passwd")
        );
    }

    #[test]
    fn options_that_touch_files_are_refused() {
        for flag in ["--out=x.html", "--chpl=/etc/passwd"] {
            let w = vec!["origin".to_string(), flag.to_string()];
            assert!(
                crate::cmd::report::request_from_words(&w).is_err(),
                "{flag}"
            );
        }
    }
}
