//! Report pages kept in memory while the catalogue has not changed. A report on a large
//! catalogue takes seconds to build and its page is asked for again and again (twins, reloads,
//! several readers), so a built page is kept under the words that asked for it and answered
//! again as long as the catalogue is the one it was built from.
//!
//! What "the same catalogue" means: SQLite's `PRAGMA data_version` on one connection the
//! cache keeps open for nothing else. It moves whenever any other connection commits, in this
//! server (each request writes on its own connection) or in another process (a CLI `import`),
//! in WAL mode as in rollback mode. (`data_version` of a fresh connection per request would
//! say nothing, being per connection; the header's file change counter is not bumped by
//! commits in WAL mode until a checkpoint, so it would miss recent writes.)
//!
//! Soundness: the marker is read before the report is built. If a commit lands between the
//! two, the page may hold newer data than its marker says, but the next request reads a
//! different marker and rebuilds: a page is never answered for a state older than the file's.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use anyhow::Result;

use crate::db::Catalogue;

/// At most this many pages are kept; past it the cache is emptied (reports asked for with
/// ever-changing filters must not grow the server without bound).
const MOST_PAGES: usize = 256;

/// A page as it is answered: its bytes and content type.
#[derive(Clone)]
pub struct Page {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

#[derive(Default)]
pub struct ReportCache {
    /// the connection whose `data_version` marks the catalogue's state; opened at first use
    watcher: Mutex<Option<Catalogue>>,
    /// (the marker the page was built at, the page), by the request's key
    pages: Mutex<HashMap<String, (i64, Page)>>,
}

impl ReportCache {
    /// The catalogue's change marker now (see the module's note).
    pub fn marker(&self, db: &Path) -> Result<i64> {
        let mut watcher = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
        if watcher.is_none() {
            *watcher = Some(Catalogue::open_read_only(db)?);
        }
        watcher.as_ref().expect("opened above").data_version()
    }

    /// The page kept for `key` if it was built at `marker`.
    pub fn get(&self, key: &str, marker: i64) -> Option<Page> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.get(key) {
            Some((built_at, page)) if *built_at == marker => Some(page.clone()),
            _ => None,
        }
    }

    /// Keeps `page`, built from the catalogue at `marker`, for `key`; pages built at another
    /// marker are dropped, as no request will be answered with them again.
    pub fn put(&self, key: String, marker: i64, page: Page) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|_, (built_at, _)| *built_at == marker);
        if pages.len() >= MOST_PAGES {
            pages.clear();
        }
        pages.insert(key, (marker, page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            bytes: text.as_bytes().to_vec(),
            content_type: "text/plain",
        }
    }

    #[test]
    fn a_page_is_answered_only_at_the_marker_it_was_built_at() {
        let cache = ReportCache::default();
        cache.put("origin".into(), 1, page("one"));
        assert_eq!(
            cache.get("origin", 1).map(|p| p.bytes),
            Some(b"one".to_vec())
        );
        assert!(cache.get("origin", 2).is_none());
        assert!(cache.get("weapon", 1).is_none());
        // a page built at a newer marker drops the older ones
        cache.put("weapon".into(), 2, page("two"));
        assert!(cache.get("origin", 1).is_none());
        assert!(cache.get("weapon", 2).is_some());
    }

    #[test]
    fn the_cache_never_holds_more_than_its_bound() {
        let cache = ReportCache::default();
        for i in 0..(MOST_PAGES * 2) {
            cache.put(format!("k{i}"), 7, page("x"));
        }
        assert!(cache.pages.lock().unwrap().len() <= MOST_PAGES);
    }
}
