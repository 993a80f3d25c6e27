//! The evidence a finding cites, and the key that makes two mentions of it one source.
//!
//! Pure: a key is worked out on the reading thread of a bulk import and hashed into
//! fingerprints, so nothing here may touch the catalogue (sources are written by `resolve`).
//! Changing `Evidence::key` changes stored fingerprints and source keys: it needs a migration.

use crate::finding::Citation;

/// A piece of evidence to link to an observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The stable id another catalogue gave this source (import-catalogue), kept if free here.
    pub uid: Option<String>,
    pub kind: &'static str,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub sha256: Option<String>,
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

impl Evidence {
    /// The evidence a finding's source_* fields describe, if any.
    pub fn from_citation(c: &Citation) -> Option<Evidence> {
        (!c.is_empty()).then(|| Evidence {
            uid: None,
            kind: if c.publisher.is_some() || c.title.is_some() {
                "report"
            } else {
                "webpage"
            },
            url: c.url.clone(),
            file_name: None,
            sha256: None,
            publisher: c.publisher.clone(),
            title: c.title.clone(),
            date: c.date.clone(),
        })
    }

    /// What makes two mentions the same source: the URL, else the file's hash, else the citation.
    pub fn key(&self) -> String {
        if let Some(url) = &self.url {
            format!("url:{url}")
        } else if let Some(sha) = &self.sha256 {
            format!("sha256:{sha}")
        } else {
            let f = |o: &Option<String>| o.clone().unwrap_or_default();
            format!(
                "cite:{}\u{1f}{}\u{1f}{}",
                f(&self.publisher),
                f(&self.title),
                f(&self.date)
            )
        }
    }
}
