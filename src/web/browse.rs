//! Browsing: the weapons, a weapon's bill of components with photo thumbnails, parts and
//! makers with the filters of `parts` and `manufacturers`, a part, a maker, a recovered unit,
//! search, and the evidence files themselves. Each list and record page reads through the
//! command's own store query and links its CSV and JSON twins (the command's `--format` bytes).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::page::{layout, listing_table, twins, WebError};
use super::session::Session;
use super::{blocking, data_response, Shared};
use crate::db::pages::{self, StoredFile};
use crate::db::query::{self, exactly_one, find_organisations, find_parts, find_weapons};
use crate::db::{show, Catalogue};
use crate::output::{write_document, write_listing, Format};
use crate::table::{Cell, Document, Listing};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/weapons", get(weapons))
        .route("/weapons/{name}", get(weapon))
        .route("/parts", get(parts))
        .route("/parts/{name}", get(part))
        .route("/makers", get(makers))
        .route("/makers/{name}", get(maker))
        .route("/units/{uid}", get(unit))
        .route("/search", get(search))
        .route("/evidence/{sha}", get(evidence))
}

/// Rows a list page shows at once; its CSV and JSON twins have them all, as the command does.
pub const PAGE_ROWS: usize = 100;

/// `?format=csv|json` asks for a page's data twin; `?page=N` for a later page of a list.
#[derive(Debug, Default, Deserialize)]
pub struct Shape {
    format: Option<String>,
    /// text, not a number: serde's flatten (the filters beside it) hands every value over as
    /// text, so a number here would refuse every page
    page: Option<String>,
}

impl Shape {
    fn data_format(&self) -> Result<Option<Format>, WebError> {
        match self.format.as_deref() {
            None | Some("") | Some("html") => Ok(None),
            Some("csv") => Ok(Some(Format::Csv)),
            Some("json") => Ok(Some(Format::Json)),
            Some(other) => Err(WebError::refused(anyhow::anyhow!(
                "format {other:?}: use csv or json"
            ))),
        }
    }
}

/// Opens the catalogue for a page that only reads, as the reading commands open it.
fn open_read(app: &Shared) -> Result<Catalogue, WebError> {
    Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)
}

fn listing_bytes(listing: &Listing, format: Format) -> Result<Vec<u8>, WebError> {
    let mut out = Vec::new();
    write_listing(&mut out, listing, format).map_err(|e| WebError::internal(e.into()))?;
    Ok(out)
}

fn document_bytes(doc: &Document, format: Format) -> Result<Vec<u8>, WebError> {
    let mut out = Vec::new();
    write_document(&mut out, doc, format).map_err(|e| WebError::internal(e.into()))?;
    Ok(out)
}

/// The path of a page that shows an entity by uid.
fn link_to(kind: &str, uid: &str) -> String {
    format!("/{kind}/{}", percent_encode(uid))
}

/// Percent-encodes text for one path segment or query value.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn home(State(app): State<Shared>, session: Session) -> Result<Response, WebError> {
    let counts = blocking(move || {
        let conn = open_read(&app)?;
        query::counts(&conn).map_err(WebError::internal)
    })
    .await?;
    Ok(layout(
        "The catalogue",
        &session,
        html! {
            table.facts { @for (label, n) in &counts { tr { th { (label) } td { (n) } } } }
            p { "Start with the " a href="/weapons" { "weapons" } ", or "
                a href="/search" { "search" } " for a part, maker or marking." }
        },
    )
    .into_response())
}

/// A list page: the rows of this page, links to the next and previous, and the data twins.
fn list_page(
    title: &str,
    session: &Session,
    listing: Listing,
    shape: &Shape,
    here: &str,
    before: Markup,
    link: impl Fn(&str, &Cell, &[Cell]) -> Option<String>,
) -> Result<Response, WebError> {
    if let Some(format) = shape.data_format()? {
        return Ok(data_response(listing_bytes(&listing, format)?, format));
    }
    let total = listing.rows.len();
    let page = match shape.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(n) => n
            .parse::<usize>()
            .map_err(|_| WebError::refused(anyhow::anyhow!("page {n:?} is not a page number")))?,
    }
    .max(1);
    let first = (page - 1) * PAGE_ROWS;
    let shown = Listing {
        columns: listing.columns.clone(),
        rows: listing
            .rows
            .into_iter()
            .skip(first)
            .take(PAGE_ROWS)
            .collect(),
    };
    let sep = if here.contains('?') { '&' } else { '?' };
    Ok(layout(
        title,
        session,
        html! {
            (before)
            (twins(here))
            p.count { (total) " rows" @if total > PAGE_ROWS { ", " (first + 1) "–" (first + shown.rows.len()) " shown" } }
            (listing_table(&shown, link))
            p.pager {
                @if page > 1 { a rel="prev" href=(format!("{here}{sep}page={}", page - 1)) { "← previous" } " " }
                @if first + PAGE_ROWS < total { a rel="next" href=(format!("{here}{sep}page={}", page + 1)) { "next →" } }
            }
        },
    )
    .into_response())
}

pub async fn weapons(
    State(app): State<Shared>,
    session: Session,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let listing = blocking(move || {
        let conn = open_read(&app)?;
        query::weapons(&conn).map_err(WebError::internal)
    })
    .await?;
    list_page(
        "Weapons",
        &session,
        listing,
        &shape,
        "/weapons",
        html! {},
        |column, cell, _| match column {
            "uid" => Some(link_to("weapons", &cell.text())),
            _ => None,
        },
    )
}

/// Resolves a name or uid to exactly one entity, as `show` does; unknown is 404.
fn one(found: anyhow::Result<Vec<query::Named>>, what: &str, name: &str) -> Result<i64, WebError> {
    let found = found.map_err(WebError::internal)?;
    if found.is_empty() {
        return Err(WebError::not_found(format!("no {what} named {name:?}")));
    }
    exactly_one(found, what, name).map_err(WebError::refused)
}

pub async fn weapon(
    State(app): State<Shared>,
    session: Session,
    Path(name): Path<String>,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let format = shape.data_format()?;
    let (doc, photos) = blocking(move || {
        let conn = open_read(&app)?;
        let id = one(find_weapons(&conn, &name), "weapon", &name)?;
        let doc = show::weapon(&conn, id).map_err(WebError::internal)?;
        let photos = pages::files_by_part_of_weapon(&conn, id).map_err(WebError::internal)?;
        Ok((doc, photos))
    })
    .await?;
    if let Some(format) = format {
        return Ok(data_response(document_bytes(&doc, format)?, format));
    }
    let here = format!("/weapons/{}", percent_encode(&field(&doc, "uid")));
    Ok(layout(
        &doc.title,
        &session,
        html! {
            (twins(&here))
            (facts(&doc))
            @for (name, section) in &doc.sections {
                h2 { (name) }
                @if *name == "parts" {
                    (bill_of_components(section, &photos))
                } @else {
                    (listing_table(section, |column, cell, _| match column {
                        "unit_uid" => Some(link_to("units", &cell.text())),
                        _ => None,
                    }))
                }
            }
        },
    )
    .into_response())
}

/// A weapon's parts, each with its photo thumbnails (or links to its other stored files),
/// maker, country and counts.
fn bill_of_components(parts: &Listing, photos: &HashMap<String, Vec<StoredFile>>) -> Markup {
    let uid_at = parts.columns.iter().position(|c| *c == "part_uid");
    let maker_at = parts.columns.iter().position(|c| *c == "manufacturer");
    html! {
        table.bill {
            thead { tr { @for c in &parts.columns { th { (c) } } th { "evidence" } } }
            tbody {
                @for row in &parts.rows {
                    @let uid = uid_at.map(|i| row[i].text()).unwrap_or_default();
                    tr {
                        @for (i, cell) in row.iter().enumerate() {
                            td {
                                @if Some(i) == uid_at {
                                    a href=(link_to("parts", &uid)) { (cell.text()) }
                                } @else if Some(i) == maker_at && !cell.text().is_empty() {
                                    a href=(link_to("makers", &cell.text())) { (cell.text()) }
                                } @else {
                                    (cell.text())
                                }
                            }
                        }
                        td.photos { (thumbnails(photos.get(&uid).map(Vec::as_slice).unwrap_or(&[]))) }
                    }
                }
            }
        }
    }
}

/// Photos as thumbnails linking to the full file; other stored files as links.
pub(super) fn thumbnails(files: &[StoredFile]) -> Markup {
    html! {
        @for f in files {
            @let href = format!("/evidence/{}", f.sha256);
            @let label = f.file_name.clone().unwrap_or_else(|| f.sha256[..12].to_string());
            @if inline_content_type(f).is_some_and(|t| t.starts_with("image/")) {
                a href=(href) { img.thumb src=(href) alt=(label) title=(format!("{label} (sha256 {})", f.sha256)); }
            } @else {
                a.file href=(href) { (label) }
            }
        }
    }
}

fn field(doc: &Document, name: &str) -> String {
    doc.fields
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c.text())
        .unwrap_or_default()
}

fn facts(doc: &Document) -> Markup {
    html! {
        table.facts {
            @for (name, cell) in &doc.fields { tr { th { (name) } td { (cell.text()) } } }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PartQuery {
    manufacturer: Option<String>,
    country: Option<String>,
    weapon: Option<String>,
    category: Option<String>,
    since: Option<String>,
    until: Option<String>,
    supplier: Option<String>,
    #[serde(flatten)]
    shape: Shape,
}

/// An empty form field is no filter.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn parts(
    State(app): State<Shared>,
    session: Session,
    Query(q): Query<PartQuery>,
) -> Result<Response, WebError> {
    let filters = [
        ("manufacturer", &q.manufacturer),
        ("country", &q.country),
        ("weapon", &q.weapon),
        ("category", &q.category),
        ("since", &q.since),
        ("until", &q.until),
        ("supplier", &q.supplier),
    ];
    let here = with_query(
        "/parts",
        filters
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| (*k, v))),
    );
    let form = filter_form("/parts", &filters);
    let listing = {
        let (m, c, w, cat, s, u, sup) = (
            given(&q.manufacturer).map(str::to_string),
            given(&q.country).map(str::to_string),
            given(&q.weapon).map(str::to_string),
            given(&q.category).map(str::to_string),
            given(&q.since).map(str::to_string),
            given(&q.until).map(str::to_string),
            given(&q.supplier).map(str::to_string),
        );
        blocking(move || {
            let conn = open_read(&app)?;
            let filter = crate::cmd::parts::part_filter(
                &conn,
                &crate::cmd::parts::Filters {
                    manufacturer: m.as_deref(),
                    country: c.as_deref(),
                    weapon: w.as_deref(),
                    category: cat.as_deref(),
                    since: s.as_deref(),
                    until: u.as_deref(),
                    supplier: sup.as_deref(),
                },
            )
            .map_err(WebError::refused)?;
            query::parts(&conn, &filter).map_err(WebError::internal)
        })
        .await?
    };
    list_page(
        "Parts",
        &session,
        listing,
        &q.shape,
        &here,
        form,
        |column, cell, _| match column {
            "uid" => Some(link_to("parts", &cell.text())),
            "manufacturer" if !cell.text().is_empty() => Some(link_to("makers", &cell.text())),
            _ => None,
        },
    )
}

/// A GET form with one text field per filter, filled with what was asked.
fn filter_form(action: &str, filters: &[(&str, &Option<String>)]) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            @for (name, value) in filters {
                label { (name) " " input name=(name) value=(value.as_deref().unwrap_or("")); }
            }
            button type="submit" { "Filter" }
        }
    }
}

/// A path with its query string, each value percent-encoded.
fn with_query<'a>(path: &str, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let query: Vec<String> = pairs
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

pub async fn part(
    State(app): State<Shared>,
    session: Session,
    Path(name): Path<String>,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let format = shape.data_format()?;
    let (doc, photos) = blocking(move || {
        let conn = open_read(&app)?;
        let id = one(find_parts(&conn, &name), "part", &name)?;
        let doc = show::part(&conn, id).map_err(WebError::internal)?;
        let photos = pages::files_by_finding_of_part(&conn, id).map_err(WebError::internal)?;
        Ok((doc, photos))
    })
    .await?;
    if let Some(format) = format {
        return Ok(data_response(document_bytes(&doc, format)?, format));
    }
    let here = format!("/parts/{}", percent_encode(&field(&doc, "uid")));
    Ok(layout(
        &doc.title,
        &session,
        html! {
            (twins(&here))
            (facts(&doc))
            @for (name, section) in &doc.sections {
                h2 { (name) }
                @if *name == "observations" {
                    @for row in &section.rows {
                        @let uid = row[0].text();
                        div.finding {
                            (thumbnails(photos.get(&uid).map(Vec::as_slice).unwrap_or(&[])))
                        }
                    }
                }
                (listing_table(section, |column, cell, _| match column {
                    "uid" if *name == "observations" => Some(format!("/findings/{}", percent_encode(&cell.text()))),
                    _ => None,
                }))
            }
        },
    )
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct MakerQuery {
    country: Option<String>,
    #[serde(flatten)]
    shape: Shape,
}

pub async fn makers(
    State(app): State<Shared>,
    session: Session,
    Query(q): Query<MakerQuery>,
) -> Result<Response, WebError> {
    let country_typed = given(&q.country).map(str::to_string);
    let here = with_query(
        "/makers",
        country_typed.as_deref().map(|c| ("country", c)).into_iter(),
    );
    let form = filter_form("/makers", &[("country", &q.country)]);
    let listing = blocking(move || {
        let country = crate::cmd::country_flag("--country", country_typed.as_deref())
            .map_err(WebError::refused)?;
        let conn = open_read(&app)?;
        query::manufacturers(&conn, country.as_deref()).map_err(WebError::internal)
    })
    .await?;
    list_page(
        "Makers",
        &session,
        listing,
        &q.shape,
        &here,
        form,
        |column, cell, _| match column {
            "uid" => Some(link_to("makers", &cell.text())),
            _ => None,
        },
    )
}

pub async fn maker(
    State(app): State<Shared>,
    session: Session,
    Path(name): Path<String>,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let format = shape.data_format()?;
    let doc = blocking(move || {
        let conn = open_read(&app)?;
        let id = one(find_organisations(&conn, &name), "manufacturer", &name)?;
        show::manufacturer(&conn, id).map_err(WebError::internal)
    })
    .await?;
    if let Some(format) = format {
        return Ok(data_response(document_bytes(&doc, format)?, format));
    }
    let here = format!("/makers/{}", percent_encode(&field(&doc, "uid")));
    Ok(document_page(&doc, &session, &here))
}

/// A record page: facts, then each section as a table with links to what its rows name.
fn document_page(doc: &Document, session: &Session, here: &str) -> Response {
    layout(
        &doc.title,
        session,
        html! {
            (twins(here))
            (facts(doc))
            @for (name, section) in &doc.sections {
                h2 { (name) }
                (listing_table(section, |column, cell, _| match column {
                    "part_uid" => Some(link_to("parts", &cell.text())),
                    "weapon_uid" => Some(link_to("weapons", &cell.text())),
                    "uid" if *name == "findings" => Some(format!("/findings/{}", percent_encode(&cell.text()))),
                    _ => None,
                }))
            }
        },
    )
    .into_response()
}

pub async fn unit(
    State(app): State<Shared>,
    session: Session,
    Path(uid): Path<String>,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let format = shape.data_format()?;
    let doc = blocking(move || {
        let conn = open_read(&app)?;
        let id = pages::unit_id(&conn, &uid)
            .map_err(WebError::internal)?
            .ok_or_else(|| WebError::not_found(format!("no recovered unit {uid:?}")))?;
        pages::unit(&conn, id).map_err(WebError::internal)
    })
    .await?;
    if let Some(format) = format {
        return Ok(data_response(document_bytes(&doc, format)?, format));
    }
    let here = format!("/units/{}", percent_encode(&field(&doc, "uid")));
    Ok(document_page(&doc, &session, &here))
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    #[serde(flatten)]
    shape: Shape,
}

/// Hits a search page lists, as `search --limit` defaults to.
const SEARCH_LIMIT: i64 = 50;

pub async fn search(
    State(app): State<Shared>,
    session: Session,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let text = given(&q.q).map(str::to_string);
    let form = html! {
        form.filters method="get" action="/search" {
            label { "Text " input name="q" value=(text.as_deref().unwrap_or("")) autofocus; }
            button type="submit" { "Search" }
        }
    };
    let Some(needle) = text else {
        return Ok(layout("Search", &session, form).into_response());
    };
    let here = with_query("/search", std::iter::once(("q", needle.as_str())));
    let listing = blocking(move || {
        let conn = open_read(&app)?;
        query::search(&conn, &needle, SEARCH_LIMIT).map_err(WebError::internal)
    })
    .await?;
    list_page(
        "Search",
        &session,
        listing,
        &q.shape,
        &here,
        form,
        |column, cell, row| {
            let page = match row.first().map(Cell::text).as_deref() {
                Some("part") => "parts",
                Some("manufacturer") => "makers",
                Some("weapon") => "weapons",
                Some("unit") => "units",
                _ => return None,
            };
            (column == "uid").then(|| link_to(page, &cell.text()))
        },
    )
}

/// The content type a stored file is served with inline: images (not SVG, which can carry
/// script) and PDF, judged by the name it was logged under; None: served as a download.
fn inline_content_type(file: &StoredFile) -> Option<&'static str> {
    let name = file.file_name.as_deref().unwrap_or("").to_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// A stored evidence file, checked against its hash on the way out. Only files a source names
/// are served; images and PDF inline, anything else as a download named by its hash.
pub async fn evidence(
    State(app): State<Shared>,
    Path(sha): Path<String>,
) -> Result<Response, WebError> {
    if !crate::evidence::is_sha256(&sha) {
        return Err(WebError::not_found(format!(
            "{sha:?} is not the SHA-256 of an evidence file"
        )));
    }
    let (file, bytes) = blocking(move || {
        let conn = open_read(&app)?;
        let file = pages::stored_file_by_hash(&conn, &sha)
            .map_err(WebError::internal)?
            .ok_or_else(|| WebError::not_found(format!("no source names the file {sha}")))?;
        let bytes = crate::evidence::read_stored(&app.config.db, &sha)
            .map_err(WebError::internal)?
            .ok_or_else(|| WebError::not_found(format!("the evidence store has no file {sha}")))?;
        Ok((file, bytes))
    })
    .await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    match inline_content_type(&file) {
        Some(content_type) => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        None => {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.sha256))
                    .expect("a hash is a valid header value"),
            );
        }
    }
    // a stored file never changes under its name
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    // nothing in an evidence file may run, even a PDF's script
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        ),
    );
    Ok(response)
}
