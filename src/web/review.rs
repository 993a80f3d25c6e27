//! Reviewing what `dedup` suggests, one group at a time: each member's record and photos side
//! by side, the score and reason linking it, and three buttons. "Same" records the merge
//! `dedup --apply` would record for the group (`decide::apply_plan`, scores and reasons kept);
//! "different" records a "different" judgement for each pair, as `distinct` does; "unsure"
//! records nothing and shows the next group. The merge log (`merges`) lists every merge with a
//! button that undoes it as `unmerge` does. Only a reviewer may decide.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;

use super::auth::Role;
use super::page::{layout, listing_table, twins, WebError};
use super::session::Session;
use super::{blocking, data_response, Shared};
use crate::db::merge::{merge_log, Family};
use crate::db::{self, pages, show, Catalogue};
use crate::output::{write_listing, Format};
use crate::table::Document;
use crate::usecase::decide::{self, Decider};
use crate::usecase::review::{judge_different, suggestions, Group};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/review", get(review))
        .route("/review/decide", post(decide))
        .route("/merges", get(merges))
        .route("/merges/undo", post(undo))
}

/// The lowest pair score a suggestion needs, as `dedup --min-score` defaults to.
const MIN_SCORE: f64 = 0.85;

/// The families in the order `dedup` lists them.
const FAMILIES: [Family; 3] = [Family::Manufacturer, Family::Weapon, Family::Part];

#[derive(Debug, Default, Deserialize)]
pub struct Which {
    kind: Option<String>,
    /// 1-based, among the family's groups
    n: Option<String>,
}

fn family_named(name: &str) -> Result<Family, WebError> {
    Family::ALL
        .into_iter()
        .find(|f| f.name() == name)
        .ok_or_else(|| {
            WebError::refused(anyhow::anyhow!(
                "kind {name:?}: use part, manufacturer or weapon"
            ))
        })
}

/// A member's record as its page shows it, with its photos (parts only: photos hang on
/// findings).
struct Side {
    doc: Document,
    photos: Vec<pages::StoredFile>,
}

fn side_of(conn: &Catalogue, family: Family, id: i64) -> anyhow::Result<Side> {
    let doc = match family {
        Family::Part => show::part(conn, id)?,
        Family::Manufacturer => show::manufacturer(conn, id)?,
        Family::Weapon => show::weapon(conn, id)?,
    };
    let photos = match family {
        Family::Part => pages::files_by_finding_of_part(conn, id)?
            .into_values()
            .flatten()
            .collect(),
        _ => Vec::new(),
    };
    Ok(Side { doc, photos })
}

pub async fn review(
    State(app): State<Shared>,
    session: Session,
    Query(which): Query<Which>,
) -> Result<Response, WebError> {
    let asked = which.kind.as_deref().map(family_named).transpose()?;
    let n: usize = which
        .n
        .as_deref()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1)
        .max(1);
    let shown = blocking(move || {
        let conn = Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)?;
        // one list: the asked family's groups, or every family's in dedup's order
        let mut all = Vec::new();
        for family in asked.map_or(FAMILIES.to_vec(), |f| vec![f]) {
            all.extend(suggestions(&conn, family, MIN_SCORE).map_err(WebError::internal)?);
        }
        let total = all.len();
        let Some(group) = all.into_iter().nth(n - 1) else {
            return Ok(None);
        };
        let sides = group
            .members
            .iter()
            .map(|m| side_of(&conn, group.family, m.id))
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(WebError::internal)?;
        Ok(Some((group, sides, total)))
    })
    .await?;
    let Some((group, sides, total)) = shown else {
        return Ok(layout(
            "Review",
            &session,
            html! { p { "No more suggestions: nothing left that looks like one at score " (MIN_SCORE) " or above." } (kind_links()) },
        )
        .into_response());
    };
    Ok(layout(
        &format!("Review: group {n} of {total} ({})", group.family.name()),
        &session,
        html! {
            (kind_links())
            p { "Group score " (format!("{:.3}", group.score)) ". The first is the one a merge keeps (the most observations)." }
            div.side {
                @for (member, side) in group.members.iter().zip(&sides) {
                    div.member {
                        h2 { (member.name) }
                        p { code { (member.uid) } " · " (member.observations) " observations" }
                        @if let Some((score, reason)) = &member.link {
                            p.reason { "score " (format!("{score:.3}")) ": " (reason) }
                        }
                        (super::browse::thumbnails(&side.photos))
                        table.facts { @for (name, cell) in &side.doc.fields { tr { th { (name) } td { (cell.text()) } } } }
                        @if let Some((name, first)) = side.doc.sections.first() {
                            h3 { (name) }
                            (listing_table(first, |_, _, _| None))
                        }
                    }
                }
            }
            (decision_form(&session, &group, asked, n))
        },
    )
    .into_response())
}

fn kind_links() -> Markup {
    html! {
        p { "Suggestions of: "
            @for f in FAMILIES { a href=(format!("/review?kind={}", f.name())) { (f.name()) } " " }
            " · " a href="/merges" { "the merge log" }
        }
    }
}

/// The buttons, with what the page showed: the group's members, and the list it was taken
/// from (`scope`: one family, or all) and its place there, to show the next one after.
fn decision_form(session: &Session, group: &Group, scope: Option<Family>, n: usize) -> Markup {
    html! {
        form.decide method="post" action="/review/decide" {
            input type="hidden" name="csrf" value=(session.csrf);
            input type="hidden" name="kind" value=(group.family.name());
            input type="hidden" name="members" value=(group.uids().join(","));
            input type="hidden" name="scope" value=(scope.map_or("", |f| f.name()));
            input type="hidden" name="n" value=(n);
            label { "Note (kept in the log) " input name="note"; }
            button type="submit" name="decision" value="same" { "Same: merge them" }
            button type="submit" name="decision" value="different" { "Different" }
            button type="submit" name="decision" value="unsure" { "Unsure: next" }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Decision {
    csrf: Option<String>,
    kind: String,
    members: String,
    n: Option<String>,
    /// the list the page showed the group from: a family's name, or empty for all
    scope: Option<String>,
    decision: String,
    note: Option<String>,
}

/// Opens the catalogue for a write the way the commands do, waiting `--lock-wait` for it.
fn open_for_write(app: &Shared) -> Result<Catalogue, WebError> {
    let catalogue = Catalogue::open(&app.config.db).map_err(WebError::internal)?;
    catalogue
        .wait_for_lock(app.config.lock_wait)
        .map_err(WebError::internal)?;
    Ok(catalogue)
}

/// A write's failure as an answer: busy is 503 with Retry-After; anything else is refused
/// with the use case's own message.
fn write_failed(app: &Shared, e: anyhow::Error) -> WebError {
    if db::is_busy(&e) {
        WebError::busy(app.config.lock_wait)
    } else {
        WebError::refused(e)
    }
}

pub async fn decide(
    State(app): State<Shared>,
    session: Session,
    Form(form): Form<Decision>,
) -> Result<Response, WebError> {
    session.check_csrf(form.csrf.as_deref())?;
    session.require(Role::Reviewer)?;
    let family = family_named(&form.kind)?;
    let n: usize = form
        .n
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    let scope = match form.scope.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(family_named(name)?),
    };
    let next = |n: usize| match scope {
        Some(f) => format!("/review?kind={}&n={n}", f.name()),
        None => format!("/review?n={n}"),
    };
    if form.decision == "unsure" {
        return Ok(Redirect::to(&next(n + 1)).into_response());
    }
    if form.decision != "same" && form.decision != "different" {
        return Err(WebError::refused(anyhow::anyhow!(
            "decision {:?}: same, different or unsure",
            form.decision
        )));
    }
    let author = session.author(app.config.investigator.as_deref())?;
    let members: Vec<String> = form.members.split(',').map(str::to_string).collect();
    let note = form
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(
            || format!("reviewed in serve (dedup --min-score {MIN_SCORE})"),
            str::to_string,
        );
    let same = form.decision == "same";
    blocking(move || {
        let mut catalogue = open_for_write(&app)?;
        // the group as it is now: a page shown before another decision may be stale
        let groups =
            suggestions(&catalogue, family, MIN_SCORE).map_err(WebError::internal)?;
        let group = groups
            .into_iter()
            .find(|g| g.uids() == members)
            .ok_or_else(|| {
                WebError::new(
                    axum::http::StatusCode::CONFLICT,
                    "this suggestion is no longer what the page showed (another decision or finding changed it since); nothing was recorded: reload the review page".to_string(),
                )
            })?;
        let who = Decider {
            author: &author,
            note: Some(&note),
        };
        let done = if same {
            decide::apply_plan(&mut catalogue, &[group.plan()], &who).map(|_| ())
        } else {
            judge_different(&mut catalogue, &group, &who).map(|_| ())
        };
        done.map_err(|e| write_failed(&app, e))
    })
    .await?;
    // the group decided leaves the list: the next one takes its place
    Ok(Redirect::to(&next(n)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct Shape {
    format: Option<String>,
}

pub async fn merges(
    State(app): State<Shared>,
    session: Session,
    Query(shape): Query<Shape>,
) -> Result<Response, WebError> {
    let log = blocking(move || {
        let conn = Catalogue::open_read_only(&app.config.db).map_err(WebError::internal)?;
        merge_log(&conn).map_err(WebError::internal)
    })
    .await?;
    let format = match shape.format.as_deref() {
        Some("csv") => Some(Format::Csv),
        Some("json") => Some(Format::Json),
        _ => None,
    };
    if let Some(format) = format {
        let mut bytes = Vec::new();
        write_listing(&mut bytes, &log, format).map_err(|e| WebError::internal(e.into()))?;
        return Ok(data_response(bytes, format));
    }
    let at = |name: &str| log.columns.iter().position(|c| *c == name);
    let (uid_at, action_at, undone_at) = (at("uid"), at("action"), at("undone_by"));
    Ok(layout(
        "Merge log",
        &session,
        html! {
            (twins("/merges"))
            p { "Every merge and unmerge, oldest first (" code { "comptrace merges" } "). Undoing a merge separates its entities again, each with what it had before." }
            table {
                thead { tr { @for c in &log.columns { th { (c) } } th { "" } } }
                tbody {
                    @for row in &log.rows {
                        @let cell = |i: Option<usize>| i.map(|i| row[i].text()).unwrap_or_default();
                        tr {
                            @for c in row { td { (c.text()) } }
                            td {
                                @if cell(action_at) == "merge" && cell(undone_at).is_empty() {
                                    form.inline method="post" action="/merges/undo" {
                                        input type="hidden" name="csrf" value=(session.csrf);
                                        input type="hidden" name="id" value=(cell(uid_at));
                                        button type="submit" { "Undo" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Undo {
    csrf: Option<String>,
    id: String,
    note: Option<String>,
}

pub async fn undo(
    State(app): State<Shared>,
    session: Session,
    Form(form): Form<Undo>,
) -> Result<Response, WebError> {
    session.check_csrf(form.csrf.as_deref())?;
    session.require(Role::Reviewer)?;
    let author = session.author(app.config.investigator.as_deref())?;
    blocking(move || {
        let mut catalogue = open_for_write(&app)?;
        let who = Decider {
            author: &author,
            note: form.note.as_deref().filter(|n| !n.trim().is_empty()),
        };
        decide::unmerge(&mut catalogue, form.id.trim(), &who)
            .map(|_| ())
            .map_err(|e| write_failed(&app, e))
    })
    .await?;
    Ok(Redirect::to("/merges").into_response())
}
