//! A finding's page: what it states now, its history (revisions, retractions, merges that
//! touched it: `history`), and the corrections of issue 16 as forms: amend (a new revision,
//! by `usecase::correct::amend`, as `amend` makes one), retract and put back (as `retract` and
//! `unretract`). Each needs a reason; evidence for a retraction is a web page only (a path
//! on the server's disk is never the page's to name).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::html;

use super::auth::Role;
use super::browse::percent_encode;
use super::page::{layout, listing_table, WebError};
use super::session::Session;
use super::{blocking, Shared};
use crate::db::correction::{self, Action};
use crate::db::{self, Catalogue};
use crate::finding::FIELDS;
use crate::table::Listing;
use crate::usecase::correct::{self, amendable, Why};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/findings/{uid}", get(page))
        .route("/findings/{uid}/amend", post(amend))
        .route("/findings/{uid}/retract", post(retract))
}

/// What the page shows of a finding.
struct Shown {
    uid: String,
    stated: HashMap<&'static str, Option<String>>,
    retracted: bool,
    history: Listing,
}

fn read_finding(app: &Shared, id: &str) -> Result<Shown, WebError> {
    let mut catalogue = Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)?;
    let history = correct::history_of(&mut catalogue, id)
        .map_err(|e| WebError::not_found(format!("{e:#}")))?;
    let read = catalogue.read().map_err(WebError::internal)?;
    let finding = correct::resolve_finding(&read, id, "finding").map_err(WebError::refused)?;
    let stated = correct::stated_now(&read, finding.id).map_err(WebError::internal)?;
    let retracted = correction::latest(&read, finding.id)
        .map_err(WebError::internal)?
        .is_some_and(|l| l.action == Action::Retract);
    Ok(Shown {
        uid: finding.uid,
        stated,
        retracted,
        history,
    })
}

pub async fn page(
    State(app): State<Shared>,
    session: Session,
    Path(uid): Path<String>,
) -> Result<Response, WebError> {
    let shown = blocking(move || read_finding(&app, &uid)).await?;
    Ok(render(
        &session,
        &shown,
        &HashMap::new(),
        None,
        StatusCode::OK,
    ))
}

/// The page, with the amend form filled with what was typed (else what the finding states).
fn render(
    session: &Session,
    shown: &Shown,
    typed: &HashMap<String, String>,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let base = format!("/findings/{}", percent_encode(&shown.uid));
    let value = |name: &str| -> String {
        typed.get(name).cloned().unwrap_or_else(|| {
            shown
                .stated
                .get(name)
                .cloned()
                .flatten()
                .unwrap_or_default()
        })
    };
    let body = html! {
        @if let Some(p) = problem { p.problem { (p) } }
        p { code.uid { (shown.uid) } @if shown.retracted { " · " strong { "retracted" } } }
        h2 { "History" }
        (listing_table(&shown.history, |_, _, _| None))
        h2 { "Amend" }
        p { "A new revision: the one before stays, with who, when and why. A corrected maker, weapon or part points the finding at the entity it names; no shared entity is edited." }
        form.record method="post" action=(format!("{base}/amend")) {
            input type="hidden" name="csrf" value=(session.csrf);
            @for f in FIELDS.iter().filter(|f| amendable(f.name)) {
                label title=(f.help) { span { (f.name) } input name=(f.name) value=(value(f.name)); }
            }
            label { span { "reason *" } input name="reason" value=(typed.get("reason").map(String::as_str).unwrap_or("")) required; }
            button type="submit" { "Amend" }
        }
        h2 { @if shown.retracted { "Put back" } @else { "Retract" } }
        form.record method="post" action=(format!("{base}/retract")) {
            input type="hidden" name="csrf" value=(session.csrf);
            input type="hidden" name="action" value=(if shown.retracted { "unretract" } else { "retract" });
            label { span { "reason *" } input name="reason" required; }
            label { span { "evidence (a web page)" } input name="source" type="url"; }
            button type="submit" { @if shown.retracted { "Put back" } @else { "Retract" } }
        }
    };
    (status, layout("Finding", session, body)).into_response()
}

/// A write's failure, shown on the finding's page with what was typed: busy is 503 with
/// Retry-After, anything the use case refused is 400 with its message.
async fn refused_page(
    app: Shared,
    session: &Session,
    uid: String,
    typed: HashMap<String, String>,
    e: anyhow::Error,
) -> Result<Response, WebError> {
    let busy = db::is_busy(&e);
    let (status, message) = if busy {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            WebError::busy(app.config.lock_wait).message,
        )
    } else {
        (StatusCode::BAD_REQUEST, format!("{e:#}"))
    };
    let shown = blocking(move || read_finding(&app, &uid)).await?;
    let mut response = render(session, &shown, &typed, Some(&message), status);
    if busy {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(5u64));
    }
    Ok(response)
}

fn open_for_write(app: &Shared) -> anyhow::Result<Catalogue> {
    let catalogue = Catalogue::open(&app.config.db)?;
    catalogue.wait_for_lock(app.config.lock_wait)?;
    Ok(catalogue)
}

pub async fn amend(
    State(app): State<Shared>,
    session: Session,
    Path(uid): Path<String>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    session.check_csrf(typed.get("csrf").map(String::as_str))?;
    session.require(Role::Investigator)?;
    let author = session.author(app.config.investigator.as_deref())?;
    let outcome = blocking({
        let (app, uid, typed) = (app.clone(), uid.clone(), typed.clone());
        move || {
            let current = read_finding(&app, &uid)?;
            // only what differs from what the finding states: the rest is not restated
            let changes: Vec<(&str, String)> = FIELDS
                .iter()
                .filter(|f| amendable(f.name))
                .filter_map(|f| {
                    let typed = typed.get(f.name)?.trim().to_string();
                    let now = current
                        .stated
                        .get(f.name)
                        .cloned()
                        .flatten()
                        .unwrap_or_default();
                    (typed != now).then_some((f.name, typed))
                })
                .collect();
            let why = Why {
                author: &author,
                reason: typed.get("reason").map(String::as_str).unwrap_or(""),
                evidence: None,
            };
            Ok(open_for_write(&app)
                .and_then(|mut c| correct::amend(&mut c, &current.uid, &changes, &why))
                .map(|_| ()))
        }
    })
    .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/findings/{}", percent_encode(&uid))).into_response()),
        Err(e) => refused_page(app, &session, uid, typed, e).await,
    }
}

pub async fn retract(
    State(app): State<Shared>,
    session: Session,
    Path(uid): Path<String>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    session.check_csrf(typed.get("csrf").map(String::as_str))?;
    session.require(Role::Investigator)?;
    let author = session.author(app.config.investigator.as_deref())?;
    let action = match typed.get("action").map(String::as_str) {
        Some("unretract") => Action::Unretract,
        _ => Action::Retract,
    };
    let source = typed
        .get("source")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(s) = &source {
        if !crate::safe_text::is_web_url(s) {
            return Err(WebError::refused(anyhow::anyhow!(
                "evidence {s:?}: a web page (http or https) only; nothing was changed"
            )));
        }
    }
    let outcome = blocking({
        let (app, uid) = (app.clone(), uid.clone());
        let reason = typed.get("reason").cloned().unwrap_or_default();
        move || {
            let why = Why {
                author: &author,
                reason: &reason,
                evidence: source.as_deref(),
            };
            Ok(open_for_write(&app)
                .and_then(|mut c| {
                    correct::set_retracted(&mut c, &app.config.db, &uid, action, &why)
                })
                .map(|_| ()))
        }
    })
    .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/findings/{}", percent_encode(&uid))).into_response()),
        Err(e) => refused_page(app, &session, uid, HashMap::new(), e).await,
    }
}
