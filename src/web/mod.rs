//! `comptrace serve`: the catalogue as local web pages. The layer above the use cases, beside
//! the commands: every page reads through the same store queries and use cases the commands
//! call, and renders with the same output code (a page's CSV and JSON twins are the command's
//! `--format csv|json` bytes). One file per page group:
//! - `page.rs`: the layout, the vendored stylesheet and script, errors as pages;
//! - `session.rs`: sessions (cookie), CSRF tokens, who is acting and with which role;
//! - `auth.rs`: the users file for `--auth`, login and logout;
//! - `browse.rs`: weapons, parts, makers, a unit, search, evidence files;
//! - `reports.rs`: the reports, rendered by the HTML report code;
//! - `cache.rs`: report pages kept while the catalogue's `data_version` stays the same;
//! - `record.rs`: logging a finding with photos;
//! - `findings.rs`: a finding's page, its history, amend and retract forms;
//! - `review.rs`: dedup suggestions one group at a time, the merge log and undoing a merge;
//!
//! Requests run on a small tokio runtime; catalogue work runs on its blocking pool, each
//! request on its own connection opened as the CLI opens one, so the server shares the CLI's
//! locking (an import while a page is open queues; neither corrupts the other).

pub mod auth;
mod browse;
mod cache;
mod findings;
mod page;
mod record;
mod reports;
mod review;
mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub use page::WebError;

/// What `serve` was started with.
pub struct Config {
    /// the catalogue file; its evidence store is beside it
    pub db: PathBuf,
    pub address: SocketAddr,
    /// with `--auth`: who may log in, and as what
    pub users: Option<auth::Users>,
    /// the largest request body accepted (uploads), in bytes
    pub max_upload: u64,
    /// how long a write waits for the catalogue's lock before answering 503
    pub lock_wait: Duration,
    /// who acts when no one logs in (`decide::author` rules)
    pub investigator: Option<String>,
}

/// The server's state, shared by every request.
pub struct App {
    pub config: Config,
    pub sessions: session::Sessions,
    /// report pages kept while the catalogue is unchanged
    pub reports: cache::ReportCache,
}

pub type Shared = Arc<App>;

/// Binds the address, tells `announce` the URL, and serves until the process is stopped.
pub fn serve(config: Config, announce: impl FnOnce(&str)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the web server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.address)
            .await
            .with_context(|| format!("cannot listen on {}", config.address))?;
        let bound = listener.local_addr()?;
        announce(&format!("http://{bound}/"));
        let app = router(Arc::new(App {
            config,
            sessions: session::Sessions::default(),
            reports: cache::ReportCache::default(),
        }));
        axum::serve(listener, app).await.context("web server")
    })
}

/// Every page and what guards it: sessions and CSRF (session.rs), the upload limit, and the
/// security headers on every answer.
pub fn router(app: Shared) -> Router {
    // the multipart limit and the body limit both follow --max-upload; a little room is left
    // for the form's other fields beside a file of the full size
    let body_limit = usize::try_from(app.config.max_upload)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route("/", get(browse::home))
        .route("/static/style.css", get(page::stylesheet))
        .route("/static/suggest.js", get(page::script))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .merge(browse::routes())
        .merge(reports::routes())
        .merge(record::routes())
        .merge(review::routes())
        .merge(findings::routes())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            session::attach,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

/// The Content-Security-Policy of every page: no inline script (the one script is a file
/// served from the binary), nothing loaded from elsewhere, no framing. Report pages carry
/// their own stylesheet inline and name it by hash (`reports.rs`).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Runs catalogue work (blocking SQLite calls) off the runtime's thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::internal(anyhow::anyhow!("a request's work stopped: {e}")))?
}

/// A CSV or JSON twin of a page: the command's `--format` bytes, with their content type.
fn data_response(bytes: Vec<u8>, format: crate::output::Format) -> Response {
    let content_type = match format {
        crate::output::Format::Json => "application/json",
        crate::output::Format::Csv | crate::output::Format::CsvRaw => "text/csv; charset=utf-8",
        crate::output::Format::Table => "text/plain; charset=utf-8",
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response()
}
