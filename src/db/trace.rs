//! Trace requests (docs/supply-chain.md): sent to an organisation about findings, answered by
//! appended responses (the latest gives the status, `open` while there is none), and the links
//! an answer establishes. Organisations named here are resolved as makers are (exact spelling
//! or key); one not yet in the catalogue is added with its spelling.

use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::new_uid;
use super::query::{fields, listing};
use crate::normalize::company_key;
use crate::table::{Document, Listing};

/// A request as the store reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRef {
    pub id: i64,
    pub uid: String,
    pub organisation: i64,
}

/// What a new request states.
pub struct NewRequest<'a> {
    pub organisation: i64,
    pub sent_on: &'a str,
    pub due_on: &'a str,
    pub subject: Option<&'a str>,
    pub author: &'a str,
    pub recorded_at: &'a str,
}

/// Records a request about `findings` (observation ids); returns its uid.
pub fn open(conn: &Connection, r: &NewRequest, findings: &[i64]) -> Result<String> {
    let uid = new_uid();
    conn.execute(
        "INSERT INTO trace_request (uid, organisation_id, sent_on, due_on, subject, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![uid, r.organisation, r.sent_on, r.due_on, r.subject, r.author, r.recorded_at],
    )?;
    let id = conn.last_insert_rowid();
    let mut add = conn.prepare_cached(
        "INSERT OR IGNORE INTO trace_request_finding (trace_request_id, observation_id) VALUES (?1, ?2)",
    )?;
    for f in findings {
        add.execute(params![id, f])?;
    }
    Ok(uid)
}

/// The request `id` names: its uid, or at least 8 characters that only its uid contains.
pub fn find(conn: &Connection, id: &str) -> Result<RequestRef> {
    let needle = id.trim().to_lowercase();
    if needle.chars().count() < 8 {
        bail!("REQUEST '{id}': too short; give the uid `trace open` printed, or at least 8 characters of it");
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, organisation_id FROM trace_request
         WHERE uid = ?1 OR instr(lower(uid), ?1) > 0 ORDER BY uid = ?1 DESC, id LIMIT 2",
    )?;
    let found: Vec<RequestRef> = stmt
        .query_map([&needle], |r| {
            Ok(RequestRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                organisation: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [] => bail!("REQUEST '{id}': no trace request's uid contains it (`comptrace trace list` lists them)"),
        [one, ..] if one.uid == needle => Ok(one.clone()),
        [one] => Ok(one.clone()),
        _ => bail!("REQUEST '{id}': several trace requests' uids contain it; give more of the uid"),
    }
}

/// The request's status: its latest response's, else open.
pub fn status(conn: &Connection, request: i64) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT status FROM trace_response WHERE trace_request_id = ?1 ORDER BY id DESC LIMIT 1",
            [request],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| "open".to_string()))
}

/// What a response states.
pub struct Response<'a> {
    pub status: &'a str,
    pub received_on: Option<&'a str>,
    pub answer: Option<&'a str>,
    pub evidence_url: Option<&'a str>,
    pub author: &'a str,
    pub recorded_at: &'a str,
}

/// Appends a response; returns its uid.
pub fn respond(conn: &Connection, request: i64, r: &Response) -> Result<String> {
    let uid = new_uid();
    conn.execute(
        "INSERT INTO trace_response (uid, trace_request_id, status, received_on, answer, evidence_url, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![uid, request, r.status, r.received_on, r.answer, r.evidence_url, r.author, r.recorded_at],
    )?;
    Ok(uid)
}

/// A finding a request asked about: observation, its part (origin), lot and date code, and
/// whether the asked organisation is the part's maker.
pub struct AskedFinding {
    pub observation: i64,
    pub part: i64,
    pub lot: Option<String>,
    pub date_code: Option<String>,
    pub asked_is_maker: bool,
}

pub fn asked_findings(conn: &Connection, request: &RequestRef) -> Result<Vec<AskedFinding>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, ps.origin_part_id, o.lot, o.date_code,
                coalesce(p.manufacturer_id = ?2, 0)
         FROM trace_request_finding t
         JOIN observation o ON o.id = t.observation_id
         JOIN part_spelling ps ON ps.id = o.part_spelling_id
         JOIN part p ON p.id = ps.part_id
         WHERE t.trace_request_id = ?1 ORDER BY o.id",
    )?;
    let rows = stmt.query_map(params![request.id, request.organisation], |r| {
        Ok(AskedFinding {
            observation: r.get(0)?,
            part: r.get(1)?,
            lot: r.get(2)?,
            date_code: r.get(3)?,
            asked_is_maker: r.get::<_, i64>(4)? == 1,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A link an answer establishes: the asked organisation sold the finding's part (its lot) to
/// `to`.
pub struct AnswerLink<'a> {
    pub request: &'a RequestRef,
    pub finding: &'a AskedFinding,
    pub to: i64,
    pub to_role: &'a str,
    pub to_country: Option<&'a str>,
    pub moved_on: Option<&'a str>,
    pub confidence: Option<&'a str>,
    pub source: Option<i64>,
    pub recorded_at: &'a str,
}

pub fn insert_answer_link(conn: &Connection, l: &AnswerLink) -> Result<String> {
    let uid = new_uid();
    let from_role = if l.finding.asked_is_maker {
        "manufacturer"
    } else {
        "distributor"
    };
    conn.prepare_cached(
        "INSERT INTO supply_link (uid, from_organisation_id, from_role, to_organisation_id, to_role,
            to_country, part_id, lot, date_code, moved_on, how_known, confidence, trace_request_id,
            recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'trace_answer', ?11, ?12, ?13)",
    )?
    .execute(params![
        uid,
        l.request.organisation,
        from_role,
        l.to,
        l.to_role,
        l.to_country,
        l.finding.part,
        l.finding.lot,
        l.finding.date_code,
        l.moved_on,
        l.confidence,
        l.request.id,
        l.recorded_at
    ])?;
    if let Some(source) = l.source {
        conn.execute(
            "INSERT OR IGNORE INTO supply_link_source (supply_link_id, source_id) VALUES (?1, ?2)",
            params![conn.last_insert_rowid(), source],
        )?;
    }
    Ok(uid)
}

/// The source a web page is, by the key findings' sources have (`url:` and the address).
pub fn web_source(conn: &Connection, url: &str, recorded_at: &str) -> Result<i64> {
    let key = format!("url:{url}");
    conn.execute(
        "INSERT INTO source (uid, kind, url, key, created_at) VALUES (?1, 'document', ?2, ?3, ?4)
         ON CONFLICT (key) DO NOTHING",
        params![new_uid(), url, key, recorded_at],
    )?;
    Ok(conn.query_row("SELECT id FROM source WHERE key = ?1", [key], |r| r.get(0))?)
}

/// The organisation `name` names (as a maker is resolved: exact spelling, else key), or a new
/// one with that spelling and `country`. Several organisations under one name are refused.
pub fn organisation_named(
    conn: &Connection,
    name: &str,
    country: Option<&str>,
    now: &str,
) -> Result<i64> {
    let found = super::query::find_organisations(conn, name)?;
    match found.len() {
        1 => return Ok(found[0].id),
        0 => {}
        _ => return super::query::exactly_one(found, "organisation", name),
    }
    conn.execute(
        "INSERT INTO organisation (uid, name, role, country, created_at) VALUES (?1, ?2, 'other', ?3, ?4)",
        params![new_uid(), name.trim(), country, now],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO organisation_spelling (organisation_id, text, key, created_at, origin_organisation_id)
         VALUES (?1, ?2, ?3, ?4, ?1)",
        params![id, name.trim(), company_key(name), now],
    )?;
    Ok(id)
}

/// As `organisation_named`, but the organisation the name was first written for when it has
/// been merged since: what a supply link's end records, so that an unmerge carries the link
/// back with the spelling (readers follow `merged_into` to the organisation it is now).
pub fn organisation_stated(
    conn: &Connection,
    name: &str,
    country: Option<&str>,
    now: &str,
) -> Result<i64> {
    let now_is = organisation_named(conn, name, country, now)?;
    stated_organisation(conn, name, now_is)
}

/// Of the organisations merged into `resolved` (a merge root `name` resolved to), the one
/// `name` was written for: the origin of its exact spelling, else of the spellings with its
/// key when they all have one origin, else the uid's own organisation; `resolved` itself when
/// the name cannot tell (a merge is never guessed apart).
pub fn stated_organisation(conn: &Connection, name: &str, resolved: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM organisation WHERE uid = ?1 AND coalesce(merged_into, id) = ?2
         UNION ALL SELECT * FROM (
           SELECT coalesce(origin_organisation_id, organisation_id) FROM organisation_spelling
           WHERE text = ?3 AND organisation_id = ?2 LIMIT 1)",
    )?;
    let name = name.trim();
    let exact: Option<i64> = stmt
        .query_map(params![name, resolved, name], |r| r.get(0))?
        .next()
        .transpose()?;
    if let Some(id) = exact {
        return Ok(id);
    }
    let key = company_key(name);
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT coalesce(origin_organisation_id, organisation_id) FROM organisation_spelling
         WHERE key = ?1 AND ?1 <> '' AND organisation_id = ?2 LIMIT 2",
    )?;
    let origins: Vec<i64> = stmt
        .query_map(params![key, resolved], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match origins.as_slice() {
        [one] => *one,
        _ => resolved,
    })
}

const LIST_COLUMNS: [&str; 9] = [
    "uid",
    "organisation",
    "country",
    "sent_on",
    "due_on",
    "status",
    "days_overdue",
    "findings",
    "subject",
];

/// Every request, due first; with `overdue_only` those still open past their due day. Days
/// overdue are counted to `today` (the clock's day).
pub fn list(conn: &Connection, today: &str, overdue_only: bool) -> Result<Listing> {
    listing(
        conn,
        &LIST_COLUMNS,
        "WITH r AS (
           SELECT t.*, coalesce((SELECT status FROM trace_response x WHERE x.trace_request_id = t.id
                                 ORDER BY x.id DESC LIMIT 1), 'open') AS status
           FROM trace_request t)
         SELECT r.uid, o.name, o.country, r.sent_on, r.due_on, r.status,
                CASE WHEN r.status = 'open' AND r.due_on < ?1
                     THEN CAST(julianday(?1) - julianday(r.due_on) AS INTEGER) END,
                (SELECT count(*) FROM trace_request_finding f WHERE f.trace_request_id = r.id),
                r.subject
         FROM r JOIN organisation o ON o.id = r.organisation_id
         WHERE NOT ?2 OR (r.status = 'open' AND r.due_on < ?1)
         ORDER BY r.due_on, r.sent_on, r.uid",
        params![today, overdue_only],
    )
}

/// One request in full: what was asked, of whom, about which findings, every response, and
/// the links its answers established.
pub fn show(conn: &Connection, request: &RequestRef, today: &str) -> Result<Document> {
    let mut doc = Document {
        title: format!("Trace request {}", request.uid),
        fields: fields(
            conn,
            &["uid", "organisation", "country", "sent_on", "due_on", "subject", "author", "recorded_at"],
            "SELECT t.uid, o.name, o.country, t.sent_on, t.due_on, t.subject, t.author, t.recorded_at
             FROM trace_request t JOIN organisation o ON o.id = t.organisation_id WHERE t.id = ?1",
            [request.id],
        )?,
        sections: Vec::new(),
    };
    let status = status(conn, request.id)?;
    let overdue: Option<i64> = conn.query_row(
        "SELECT CASE WHEN ?2 = 'open' AND due_on < ?3
                     THEN CAST(julianday(?3) - julianday(due_on) AS INTEGER) END
         FROM trace_request WHERE id = ?1",
        params![request.id, status, today],
        |r| r.get(0),
    )?;
    doc.fields.push(("status", status.into()));
    doc.fields.push((
        "days_overdue",
        overdue.map_or(crate::table::Cell::Null, Into::into),
    ));
    doc.sections.push((
        "findings",
        listing(
            conn,
            &["finding", "weapon", "part", "manufacturer", "marking", "lot", "date_code"],
            "SELECT o.uid, w.name, coalesce(p.part_number, p.name), m.name, o.marking, o.lot, o.date_code
             FROM trace_request_finding t
             JOIN observation o ON o.id = t.observation_id
             JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
             LEFT JOIN organisation m ON m.id = p.manufacturer_id
             JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id
             WHERE t.trace_request_id = ?1 ORDER BY o.id",
            [request.id],
        )?,
    ));
    doc.sections.push((
        "responses",
        listing(
            conn,
            &[
                "uid",
                "status",
                "received_on",
                "answer",
                "evidence_url",
                "author",
                "recorded_at",
            ],
            "SELECT uid, status, received_on, answer, evidence_url, author, recorded_at
             FROM trace_response WHERE trace_request_id = ?1 ORDER BY id",
            [request.id],
        )?,
    ));
    doc.sections
        .push(("links", links_established(conn, request.id)?));
    Ok(doc)
}

fn links_established(conn: &Connection, request: i64) -> Result<Listing> {
    listing(
        conn,
        &[
            "link",
            "from",
            "from_role",
            "to",
            "to_role",
            "to_country",
            "part",
            "lot",
            "date_code",
            "moved_on",
        ],
        "SELECT l.uid, f.name, l.from_role, t.name, l.to_role, coalesce(l.to_country, t.country),
                coalesce(p.part_number, p.name), l.lot, l.date_code, l.moved_on
         FROM supply_link l
         LEFT JOIN organisation f ON f.id = l.from_organisation_id
         LEFT JOIN organisation t ON t.id = l.to_organisation_id
         LEFT JOIN part p0 ON p0.id = l.part_id
         LEFT JOIN part p ON p.id = coalesce(p0.merged_into, p0.id)
         WHERE l.trace_request_id = ?1 ORDER BY l.id",
        [request],
    )
}
