//! The layout every page shares, the stylesheet and script served from the binary, and errors
//! as pages. maud escapes every value it interpolates, so catalogue text cannot become markup.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::session::Session;

const STYLE: &str = include_str!("static/style.css");
const SCRIPT: &str = include_str!("static/suggest.js");

pub async fn stylesheet() -> Response {
    static_file(STYLE, "text/css; charset=utf-8")
}

pub async fn script() -> Response {
    static_file(SCRIPT, "text/javascript; charset=utf-8")
}

fn static_file(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

/// A page: the navigation, who is acting (and a logout button with --auth), then `body`.
pub fn layout(title: &str, session: &Session, body: Markup) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · comptrace" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/suggest.js" defer {}
            }
            body {
                nav {
                    a href="/" { "comptrace" }
                    a href="/weapons" { "Weapons" }
                    a href="/parts" { "Parts" }
                    a href="/makers" { "Makers" }
                    a href="/search" { "Search" }
                    a href="/reports" { "Reports" }
                    a href="/log" { "Log a finding" }
                    a href="/review" { "Review" }
                    a href="/merges" { "Merge log" }
                    @if let Some((name, role)) = &session.user {
                        span.who { (name) " (" (role.name()) ")" }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    Html(page.into_string())
}

/// An answer that is not the page asked for: its status and a sentence saying why.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    /// seconds, for 503: when trying again may work
    pub retry_after: Option<u64>,
}

impl WebError {
    pub fn new(status: StatusCode, message: String) -> WebError {
        WebError {
            status,
            message,
            retry_after: None,
        }
    }

    pub fn not_found(message: String) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn forbidden(message: String) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, message)
    }

    /// A request the catalogue refused (an unknown name, a bad date): the error chain, as the
    /// CLI would print it.
    pub fn refused(e: anyhow::Error) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, format!("{e:#}"))
    }

    /// The catalogue is locked by another writer (an import): try again shortly.
    pub fn busy(wait: std::time::Duration) -> WebError {
        WebError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: format!(
                "the catalogue is busy: another program (an import, or another page) is writing to it and did not finish within {} s; nothing was changed, try again in a moment",
                wait.as_secs()
            ),
            retry_after: Some(5),
        }
    }

    pub fn internal(e: anyhow::Error) -> WebError {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let title = self
            .status
            .canonical_reason()
            .unwrap_or("Error")
            .to_string();
        // errors are plain pages: they carry no session, so no navigation with a form
        let body = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    title { (title) " · comptrace" }
                    link rel="stylesheet" href="/static/style.css";
                }
                body { main {
                    h1 { (self.status.as_u16()) " " (title) }
                    p.problem { (self.message) }
                    p { a href="/" { "Back to the catalogue" } }
                } }
            }
        };
        let mut response = (self.status, Html(body.into_string())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A listing as an HTML table: every cell's text escaped; `link` may make a column's cells
/// links (to another page of this server), knowing the cell's whole row.
pub fn listing_table(
    listing: &crate::table::Listing,
    link: impl Fn(&str, &crate::table::Cell, &[crate::table::Cell]) -> Option<String>,
) -> Markup {
    html! {
        table {
            thead { tr { @for c in &listing.columns { th { (c) } } } }
            tbody {
                @for row in &listing.rows {
                    tr {
                        @for (c, cell) in listing.columns.iter().zip(row) {
                            td {
                                @match link(c, cell, row) {
                                    Some(href) => a href=(href) { (cell.text()) },
                                    None if *c == "url" && crate::safe_text::is_web_url(&cell.text()) => {
                                        a href=(cell.text().trim()) rel="noopener noreferrer" { (cell.text()) }
                                    },
                                    None => (cell.text()),
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to a page's CSV and JSON twins (the same query with `format=csv|json`).
pub fn twins(path_and_query: &str) -> Markup {
    let sep = if path_and_query.contains('?') {
        '&'
    } else {
        '?'
    };
    html! {
        p.twins {
            "Data: "
            a href=(format!("{path_and_query}{sep}format=csv")) { "CSV" }
            " · "
            a href=(format!("{path_and_query}{sep}format=json")) { "JSON" }
        }
    }
}
