//! Trace requests (docs/supply-chain.md): opening one about findings, recording what came back
//! (and the links an answer establishes), listing them with their clocks, showing one. Each
//! write is one transaction; days are counted by the clock (`COMPTRACE_NOW` in tests).

use anyhow::{anyhow, bail, Result};

use super::correct::resolve_finding;
use crate::dates::now;
use crate::db::trace::{self, AnswerLink, NewRequest, Response};
use crate::db::Catalogue;
use crate::supply::{self, TraceStatus};
use crate::table::{Document, Listing};

/// What `trace open` asks.
pub struct Opening<'a> {
    pub organisation: &'a str,
    pub country: Option<&'a str>,
    pub findings: &'a [String],
    pub subject: Option<&'a str>,
    pub sent_on: Option<&'a str>,
    pub days: i64,
    pub author: &'a str,
}

/// Records a request; returns its uid and its due day.
pub fn open(catalogue: &mut Catalogue, o: &Opening) -> Result<(String, String)> {
    let sent = match o.sent_on {
        Some(day) => supply::checked_day(day).map_err(|e| anyhow!("--sent: {e}"))?,
        None => supply::today().map_err(|e| anyhow!("the clock: {e}"))?,
    };
    let due = supply::due_on(sent, o.days).map_err(|e| anyhow!("--days: {e}"))?;
    if o.findings.is_empty() {
        bail!("--finding: name at least one finding the request is about; nothing was changed");
    }
    let tx = catalogue.write()?;
    let mut ids = Vec::with_capacity(o.findings.len());
    for f in o.findings {
        ids.push(resolve_finding(&tx, f, "--finding")?.id);
    }
    let at = now();
    let organisation = trace::organisation_named(&tx, o.organisation, o.country, &at)?;
    let uid = trace::open(
        &tx,
        &NewRequest {
            organisation,
            sent_on: &sent.to_string(),
            due_on: &due.to_string(),
            subject: o.subject,
            author: o.author,
            recorded_at: &at,
        },
        &ids,
    )?;
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok((uid, due.to_string()))
}

/// Who an answer says the asked organisation sold to.
pub struct SoldTo<'a> {
    pub name: &'a str,
    pub country: Option<&'a str>,
    pub role: &'a str,
    pub moved_on: Option<&'a str>,
}

/// What `trace answer` records.
pub struct Answer<'a> {
    pub request: &'a str,
    pub status: TraceStatus,
    pub text: Option<&'a str>,
    pub received_on: Option<&'a str>,
    pub source: Option<&'a str>,
    pub sold_to: Option<SoldTo<'a>>,
    pub confidence: Option<&'a str>,
    pub author: &'a str,
}

/// Appends a response; with `sold_to`, one link per finding asked about. Returns the
/// response's uid and how many links it established.
pub fn answer(catalogue: &mut Catalogue, a: &Answer) -> Result<(String, usize)> {
    if a.sold_to.is_some() && a.status != TraceStatus::Answered {
        bail!("--sold-to: only an answered request names who was sold to (--status answered); nothing was changed");
    }
    if let Some(url) = a.source {
        if !url.contains("://") {
            bail!(
                "--source '{url}': give the answer's address (scheme://...); nothing was changed"
            );
        }
    }
    let received = a
        .received_on
        .map(|d| supply::checked_day(d).map_err(|e| anyhow!("--received: {e}")))
        .transpose()?
        .map(|d| d.to_string());
    let tx = catalogue.write()?;
    let request = trace::find(&tx, a.request)?;
    let at = now();
    let uid = trace::respond(
        &tx,
        request.id,
        &Response {
            status: a.status.name(),
            received_on: received.as_deref(),
            answer: a.text,
            evidence_url: a.source,
            author: a.author,
            recorded_at: &at,
        },
    )?;
    let mut links = 0;
    if let Some(to) = &a.sold_to {
        let buyer = trace::organisation_stated(&tx, to.name, to.country, &at)?;
        let source = a
            .source
            .map(|url| trace::web_source(&tx, url, &at))
            .transpose()?;
        for finding in trace::asked_findings(&tx, &request)? {
            trace::insert_answer_link(
                &tx,
                &AnswerLink {
                    request: &request,
                    finding: &finding,
                    to: buyer,
                    to_role: to.role,
                    to_country: to.country,
                    moved_on: to.moved_on,
                    confidence: a.confidence,
                    source,
                    recorded_at: &at,
                },
            )?;
            links += 1;
        }
    }
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok((uid, links))
}

/// Every request with its status and clock; with `overdue_only`, the open ones past due.
pub fn list(catalogue: &mut Catalogue, overdue_only: bool) -> Result<Listing> {
    let today = supply::today().map_err(|e| anyhow!("the clock: {e}"))?;
    let read = catalogue.read()?;
    trace::list(&read, &today.to_string(), overdue_only)
}

pub fn show(catalogue: &mut Catalogue, request: &str) -> Result<Document> {
    let today = supply::today().map_err(|e| anyhow!("the clock: {e}"))?;
    let read = catalogue.read()?;
    let found = trace::find(&read, request)?;
    trace::show(&read, &found, &today.to_string())
}
