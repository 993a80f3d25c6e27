//! Sources' accessed-on dates and archived copies (schema v9): a log of facts about a source
//! entity, appended by `archive-source`; the latest entry giving each fact is current.

use anyhow::Result;
use rusqlite::{params, Connection};

use super::new_uid;

/// One entry: the day the source was accessed and/or a saved copy kept in the evidence store.
#[derive(Debug, Clone)]
pub struct Archived<'a> {
    pub accessed_on: Option<&'a str>,
    pub file_name: Option<&'a str>,
    pub sha256: Option<&'a str>,
    pub author: &'a str,
    pub at: &'a str,
}

/// Appends an entry for source `source`; returns its uid.
pub fn record(conn: &Connection, source: i64, a: &Archived) -> Result<String> {
    let uid = new_uid();
    conn.execute(
        "INSERT INTO source_archive (uid, source_id, accessed_on, archive_file, archive_sha256, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![uid, source, a.accessed_on, a.file_name, a.sha256, a.author, a.at],
    )?;
    Ok(uid)
}

/// SQL for the current accessed-on date of source `s` (a row alias of the caller's).
pub const ACCESSED_ON: &str = "(SELECT a.accessed_on FROM source_archive a WHERE a.source_id = s.id
      AND a.accessed_on IS NOT NULL ORDER BY a.id DESC LIMIT 1)";

/// SQL for the current archived copy's file name of source `s`.
pub const ARCHIVE_FILE: &str =
    "(SELECT a.archive_file FROM source_archive a WHERE a.source_id = s.id
      AND a.archive_sha256 IS NOT NULL ORDER BY a.id DESC LIMIT 1)";

/// SQL for the current archived copy's SHA-256 of source `s`.
pub const ARCHIVE_SHA256: &str =
    "(SELECT a.archive_sha256 FROM source_archive a WHERE a.source_id = s.id
      AND a.archive_sha256 IS NOT NULL ORDER BY a.id DESC LIMIT 1)";

/// The log as history events: `archive source`, with what it recorded.
pub const ARCHIVE_EVENT: &str = "
    SELECT a.recorded_at AS at, 6 AS rank, a.id AS seq, 'archive source' AS event,
           NULL AS finding, a.author AS author, NULL AS reason,
           trim('source ' || coalesce(s.url, s.title, s.file_name, s.uid) || ' '
                || coalesce('accessed ' || a.accessed_on, '') || ' '
                || coalesce('copy ' || a.archive_file || ' sha256:' || a.archive_sha256, '')) AS detail,
           a.uid AS uid
    FROM source_archive a JOIN source s ON s.id = a.source_id";
