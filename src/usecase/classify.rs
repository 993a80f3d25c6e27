//! `classify`: an HS code or ECCN stated for a part, appended to the classification log in one
//! write, with every statement on the part (so a conflict shows at once).

use anyhow::{bail, Result};

use crate::classification::{parse_eccn, parse_hs_code};
use crate::dates::now;
use crate::db::classification::{self, Statement};
use crate::db::query::{exactly_one, find_parts};
use crate::db::Catalogue;
use crate::table::Listing;

/// What `classify` states, as given.
#[derive(Debug, Clone)]
pub struct Request {
    pub part: String,
    pub hs_code: Option<String>,
    pub eccn: Option<String>,
    pub source: String,
    pub note: Option<String>,
}

/// Records the statement; returns its uid and every statement now on the part.
pub fn classify(
    catalogue: &mut Catalogue,
    request: &Request,
    author: &str,
) -> Result<(String, Listing)> {
    let hs = request
        .hs_code
        .as_deref()
        .map(parse_hs_code)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--hs: {e}"))?;
    let eccn = request
        .eccn
        .as_deref()
        .map(parse_eccn)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--eccn: {e}"))?;
    if hs.is_none() && eccn.is_none() {
        bail!("nothing to state: give --hs CODE, --eccn ECCN or both; nothing was changed");
    }
    if request.source.trim().is_empty() {
        bail!("--source: say where the classification comes from (a URL, a document, a ruling); nothing was changed");
    }
    let tx = catalogue.write()?;
    let part = exactly_one(find_parts(&tx, &request.part)?, "part", &request.part)?;
    let at = now();
    let uid = classification::record(
        &tx,
        &Statement {
            part,
            hs_code: hs.as_deref(),
            eccn: eccn.as_deref(),
            source: request.source.trim(),
            note: request.note.as_deref(),
            author,
            recorded_at: &at,
        },
    )?;
    let listing = classification::statements(&tx, part)?;
    tx.commit()?;
    Ok((uid, listing))
}
