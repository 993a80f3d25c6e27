//! Logging a finding from the page: a form with the import format's columns (the field table,
//! `finding::FIELDS`, as `log`'s flags are), photos uploaded into the evidence store by hash,
//! and the finding recorded by the use case `log` calls, its names resolved as on import. A
//! write that cannot get the catalogue's lock within `--lock-wait` answers 503 with
//! Retry-After, and the form comes back with everything that was typed.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::auth::Role;
use super::browse::percent_encode;
use super::page::{layout, WebError};
use super::session::Session;
use super::{blocking, Shared};
use crate::db::{self, pages, query, Catalogue};
use crate::finding::{Check, Finding, FIELDS};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/log", get(form).post(submit))
        .route("/suggest", get(suggest))
}

/// Fields the form does not offer: who logs is the logged-in user (or the configured
/// investigator), and a uid is only carried by exports.
const NOT_ON_THE_FORM: &[&str] = &["investigator", "uid"];

/// Fields whose input suggests names the catalogue knows, as (field, kind for /suggest).
const SUGGESTED: &[(&str, &str)] = &[
    ("weapon", "weapon"),
    ("manufacturer", "manufacturer"),
    ("part_number", "part"),
    ("component", "part"),
];

/// What was typed, kept to fill the form again.
#[derive(Debug, Default)]
struct Typed {
    values: HashMap<String, String>,
    urls: String,
}

pub async fn form(session: Session) -> Response {
    form_page(&session, &Typed::default(), None, StatusCode::OK)
}

fn form_page(
    session: &Session,
    typed: &Typed,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let body = html! {
        @if let Some(p) = problem { p.problem { (p) } }
        p { "The columns of the import format (docs/import-format.md); only the weapon is required. Names are resolved as on import: a spelling already known joins its part, maker or weapon; anything else is new." }
        form.record method="post" action="/log" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(session.csrf);
            @for f in FIELDS.iter().filter(|f| !NOT_ON_THE_FORM.contains(&f.name)) {
                (field_input(f.name, f.help, f.check == Check::Required, typed.values.get(f.name).map(String::as_str).unwrap_or("")))
            }
            label { span { "evidence_url" } textarea name="evidence_url" rows="2" title="Web pages that show the finding, one a line" { (typed.urls) } }
            label { span { "photos" } input type="file" name="photo" multiple accept="image/*,application/pdf"; }
            button type="submit" { "Log the finding" }
        }
    };
    (status, layout("Log a finding", session, body)).into_response()
}

fn field_input(name: &str, help: &str, required: bool, value: &str) -> Markup {
    let suggest = SUGGESTED.iter().find(|(f, _)| *f == name).map(|(_, k)| *k);
    html! {
        label title=(help) {
            span { (name) @if required { " *" } }
            @if let Some(kind) = suggest {
                input name=(name) value=(value) required[required] list=(format!("{name}-names")) data-suggest=(kind) autocomplete="off";
                datalist id=(format!("{name}-names")) {}
            } @else {
                input name=(name) value=(value) required[required];
            }
        }
    }
}

/// An uploaded file, as received.
struct Upload {
    label: String,
    bytes: Vec<u8>,
}

/// Reads the multipart form: its text fields, the CSRF token, and the files. A body past
/// `--max-upload` is refused here (413) before anything is stored.
async fn read_form(
    mut multipart: Multipart,
) -> Result<(Typed, Option<String>, Vec<Upload>), WebError> {
    let mut typed = Typed::default();
    let mut csrf = None;
    let mut uploads = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(upload_error(e)),
        };
        let name = field.name().unwrap_or("").to_string();
        let label = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(upload_error)?;
        match (name.as_str(), label) {
            // an empty file input sends one part with a name and no bytes: nothing to store
            ("photo", Some(_)) if bytes.is_empty() => {}
            ("photo", Some(label)) => uploads.push(Upload {
                label,
                bytes: bytes.to_vec(),
            }),
            ("csrf", _) => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            ("evidence_url", _) => typed.urls = String::from_utf8_lossy(&bytes).into_owned(),
            (name, _)
                if FIELDS.iter().any(|f| f.name == name) && !NOT_ON_THE_FORM.contains(&name) =>
            {
                typed.values.insert(
                    name.to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
            }
            _ => {}
        }
    }
    Ok((typed, csrf, uploads))
}

fn upload_error(e: axum::extract::multipart::MultipartError) -> WebError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::new(
            status,
            "the upload is larger than this server accepts (serve --max-upload); nothing was stored or recorded".to_string(),
        )
    } else {
        WebError::new(status, format!("the form could not be read: {e}"))
    }
}

/// What became of a logged finding, for the page that confirms it.
struct Logged {
    uid: String,
    was_new: bool,
    resolved: Option<pages::Resolved>,
    /// each upload's label, hash, and whether the store already held it
    files: Vec<(String, String, bool)>,
}

/// Why a finding was not logged: the form comes back with what was typed.
enum NotLogged {
    /// a field failed its check (400)
    Invalid(String),
    /// the lock was not had in time (503)
    Busy(String),
    Failed(WebError),
}

pub async fn submit(
    State(app): State<Shared>,
    session: Session,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let (typed, csrf, uploads) = read_form(multipart).await?;
    session.check_csrf(csrf.as_deref())?;
    session.require(Role::Investigator)?;
    let author = session.author(app.config.investigator.as_deref())?;
    let mut values = typed.values.clone();
    values.insert("investigator".to_string(), author);
    let finding = match Finding::from_fields(|c| values.get(c).map(String::as_str)) {
        Ok(f) => f,
        Err(e) => {
            let message = format!("{}: {}; nothing was recorded", e.column, e.message);
            return Ok(form_page(
                &session,
                &typed,
                Some(&message),
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    let urls: Vec<String> = typed
        .urls
        .lines()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect();
    let outcome = blocking({
        let app = app.clone();
        move || Ok(log_finding(&app, &finding, &urls, &uploads))
    })
    .await?;
    match outcome {
        Ok(logged) => Ok(logged_page(&session, &logged)),
        Err(NotLogged::Invalid(message)) => Ok(form_page(
            &session,
            &typed,
            Some(&message),
            StatusCode::BAD_REQUEST,
        )),
        Err(NotLogged::Busy(message)) => {
            let mut response = form_page(
                &session,
                &typed,
                Some(&message),
                StatusCode::SERVICE_UNAVAILABLE,
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER));
            Ok(response)
        }
        Err(NotLogged::Failed(e)) => Err(e),
    }
}

/// Seconds a client is asked to wait after a 503.
const RETRY_AFTER: u64 = 5;

/// Stores the uploads by hash, then records the finding in one write, waiting at most
/// `--lock-wait` for the lock.
fn log_finding(
    app: &Shared,
    finding: &Finding,
    urls: &[String],
    uploads: &[Upload],
) -> Result<Logged, NotLogged> {
    let failed = |e: anyhow::Error| NotLogged::Failed(WebError::internal(e));
    let mut evidence: Vec<_> = urls
        .iter()
        .map(|u| crate::usecase::record::web_page(u))
        .collect();
    let mut files = Vec::new();
    for upload in uploads {
        let (stored, already) =
            crate::evidence::store_bytes(&app.config.db, &upload.bytes, &upload.label)
                .map_err(failed)?;
        files.push((
            stored.file_name.clone().unwrap_or_default(),
            stored.sha256.clone().unwrap_or_default(),
            already,
        ));
        evidence.push(stored);
    }
    let mut catalogue = Catalogue::open(&app.config.db).map_err(failed)?;
    catalogue
        .wait_for_lock(app.config.lock_wait)
        .map_err(failed)?;
    let recorded = match crate::usecase::record::record_evidence(&mut catalogue, finding, &evidence)
    {
        Ok((recorded, _)) => recorded,
        Err(e) if db::is_busy(&e) => {
            return Err(NotLogged::Busy(
                WebError::busy(app.config.lock_wait).message,
            ))
        }
        Err(e) => return Err(NotLogged::Invalid(format!("{e:#}; nothing was recorded"))),
    };
    let resolved =
        pages::finding_resolved(&catalogue, &recorded.observation_uid).map_err(failed)?;
    Ok(Logged {
        uid: recorded.observation_uid,
        was_new: recorded.was_new,
        resolved,
        files,
    })
}

fn logged_page(session: &Session, logged: &Logged) -> Response {
    let body = html! {
        p.done {
            @if logged.was_new { "Recorded finding " } @else { "Already recorded (the same finding, same sources): " }
            a href=(format!("/findings/{}", percent_encode(&logged.uid))) { code.uid { (logged.uid) } }
        }
        @if let Some(r) = &logged.resolved {
            table.facts {
                tr { th { "part" } td { a href=(format!("/parts/{}", percent_encode(&r.part_uid))) { (r.part) } } }
                tr { th { "maker" } td { @if let Some(m) = &r.maker { a href=(format!("/makers/{}", percent_encode(m))) { (m) } } @else { "unknown" } } }
                tr { th { "weapon" } td { a href=(format!("/weapons/{}", percent_encode(&r.weapon_uid))) { (r.weapon) } } }
            }
        }
        @if !logged.files.is_empty() {
            h2 { "Evidence files" }
            table {
                thead { tr { th { "file" } th { "sha256" } th { "store" } } }
                tbody {
                    @for (label, sha, already) in &logged.files {
                        tr {
                            td { a href=(format!("/evidence/{sha}")) { (label) } }
                            td { code.sha { (sha) } }
                            td { @if *already { "already in the store (the same bytes were logged before)" } @else { "stored" } }
                        }
                    }
                }
            }
        }
        p { a href="/log" { "Log another finding" } }
    };
    layout("Finding logged", session, body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct SuggestQuery {
    kind: String,
    q: String,
}

/// Names the catalogue knows that contain what was typed, for the form's suggestions: the
/// hits of `search` of that kind.
pub async fn suggest(
    State(app): State<Shared>,
    Query(q): Query<SuggestQuery>,
) -> Result<Response, WebError> {
    let needle = q.q.trim().to_string();
    if needle.chars().count() < 2 {
        return Ok(json(&[]));
    }
    let names = blocking(move || {
        let conn = Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)?;
        let hits = query::search(&conn, &needle, 50).map_err(WebError::internal)?;
        let mut names: Vec<String> = hits
            .rows
            .iter()
            .filter(|row| row.first().map(|c| c.text()).as_deref() == Some(q.kind.as_str()))
            .map(|row| row.get(2).map(|c| c.text()).unwrap_or_default())
            .filter(|n| !n.is_empty())
            .collect();
        names.dedup();
        names.truncate(12);
        Ok(names)
    })
    .await?;
    Ok(json(&names))
}

fn json(names: &[String]) -> Response {
    let bytes = serde_json::to_vec(names).unwrap_or_else(|_| b"[]".to_vec());
    super::data_response(bytes, crate::output::Format::Json)
}
