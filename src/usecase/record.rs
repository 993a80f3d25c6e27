//! Recording one finding (`log`): its evidence files stored by hash, then the finding resolved
//! and written in one write transaction.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::dates::now;
use crate::db::ingest::{Evidence, Ingester, Recorded, Stats};
use crate::db::Catalogue;
use crate::evidence::store_file;
use crate::finding::Finding;

/// Records a finding with the web pages and files that show it.
pub fn record(
    catalogue: &mut Catalogue,
    catalogue_path: &Path,
    finding: &Finding,
    urls: &[String],
    files: &[PathBuf],
) -> Result<(Recorded, Stats)> {
    let mut evidence: Vec<Evidence> = urls.iter().map(|url| web_page(url)).collect();
    for file in files {
        evidence.push(store_file(catalogue_path, file)?);
    }
    record_evidence(catalogue, finding, &evidence)
}

/// Records a finding with evidence already stored (files uploaded through `serve`) or cited,
/// in one write transaction.
pub fn record_evidence(
    catalogue: &mut Catalogue,
    finding: &Finding,
    evidence: &[Evidence],
) -> Result<(Recorded, Stats)> {
    let tx = catalogue.write()?;
    let (recorded, stats) = {
        let mut ingester = Ingester::new(&tx, now(), None)?;
        let recorded = ingester.record(finding, evidence)?;
        (recorded, ingester.stats.clone())
    };
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok((recorded, stats))
}

pub fn web_page(url: &str) -> Evidence {
    Evidence {
        uid: None,
        kind: "webpage",
        url: Some(url.trim().to_string()),
        file_name: None,
        sha256: None,
        publisher: None,
        title: None,
        date: None,
    }
}
