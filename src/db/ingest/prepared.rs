//! What a finding needs no catalogue for: its evidence, the normalised keys of its part and
//! maker (and what the part's key was read from), and its fingerprint (what makes two findings
//! one observation).
//!
//! Pure, so a bulk import works it out on its reading thread while the writing thread records:
//! nothing here may touch the catalogue. Changing what the fingerprint reads changes every
//! stored fingerprint, so it needs a migration that recomputes them (db/refingerprint.rs).

use sha2::{Digest, Sha256};

use super::Evidence;
use crate::finding::Finding;
use crate::normalize::{company_key, part_identity, PartIdentity};
use crate::report::datecode::finding_candidate;

/// A finding with what can be worked out without the catalogue: its evidence, the normalised
/// keys of its part and maker, and its fingerprint. Pure, so a bulk import computes it on a
/// second thread while the first writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub finding: Finding,
    pub(super) evidence: Vec<Evidence>,
    pub(super) part_key: String,
    /// What the part key was read from.
    pub(super) part_basis: PartBasis,
    pub(super) maker_key: String,
    pub(super) fingerprint: [u8; 16],
    /// A candidate date code read from the marking or component text, when the row states none.
    pub(super) marking_date_code: Option<String>,
}

impl Prepared {
    pub fn new(finding: Finding, extra: Vec<Evidence>) -> Prepared {
        Prepared::with_maker_keys(finding, extra, company_key)
    }

    /// As `new`, with the maker's key from `maker_key` (a bulk import remembers the keys of the
    /// makers it has met: a maker is named by many rows, and its key takes long to work out).
    pub fn with_maker_keys(
        finding: Finding,
        extra: Vec<Evidence>,
        mut maker_key: impl FnMut(&str) -> String,
    ) -> Prepared {
        let evidence: Vec<Evidence> = Evidence::from_citation(&finding.citation())
            .into_iter()
            .chain(extra)
            .collect();
        let fingerprint = fingerprint(&finding, &evidence, 0);
        let (part_key, part_basis) = match part_identity(
            finding.part_number(),
            finding.component(),
            finding.manufacturer(),
        ) {
            PartIdentity::Stated(key) => (key, PartBasis::Stated),
            PartIdentity::InText { code, key } => (key, PartBasis::InText(code)),
            PartIdentity::Truncated { code, key } => (key, PartBasis::Truncated(code)),
            PartIdentity::Unidentified => (unidentified_key(&fingerprint), PartBasis::Unidentified),
        };
        Prepared {
            part_key,
            part_basis,
            maker_key: finding
                .manufacturer()
                .map(&mut maker_key)
                .unwrap_or_default(),
            fingerprint,
            marking_date_code: marking_date_code(&finding),
            evidence,
            finding,
        }
    }
}

/// A candidate date code in what a finding read off its part (src/report/datecode.rs), when it
/// states no date code itself.
pub fn marking_date_code(f: &Finding) -> Option<String> {
    if f.date_code().is_some() {
        return None;
    }
    finding_candidate(f.marking(), f.component(), f.observed_on())
}

/// What identifies the part of a finding (`normalize::part_identity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PartBasis {
    /// Its part number, else its component name, as stated.
    Stated,
    /// The part number named a family; this code of the component text identifies the part.
    InText(String),
    /// The part number named a family and the text carried no code: a part of this finding's
    /// own, known by a key no other finding has.
    Unidentified,
    /// The part number was cut from the front of this code of the component text.
    Truncated(String),
}

/// The key of a part known for one finding alone: its fingerprint, so the same finding imported
/// again (or exported and imported) finds its part, and no other finding ever does. Lowercase,
/// which no code key is (`normalize::code_key` keeps uppercase letters and digits), so it never
/// meets a code either.
pub(super) fn unidentified_key(fingerprint: &[u8; 16]) -> String {
    let hex: String = fingerprint.iter().map(|b| format!("{b:02x}")).collect();
    format!("{UNIDENTIFIED}{hex}")
}

/// How every unidentified part's key begins (bulk.rs keeps such keys when it rekeys).
pub(super) const UNIDENTIFIED: &str = "unidentified:";

/// What makes two findings the same observation: what was seen, in what, and per which sources
/// — the identifying fields of FIELDS as stated (before any label is taken apart), with runs of
/// white space read as one space, and the keys of all its sources. Notes, confidence and the
/// investigator's name may be edited between imports and do not count.
pub fn fingerprint(f: &Finding, evidence: &[Evidence], copy: u32) -> [u8; 16] {
    fingerprint_with_keys(f, evidence.iter().map(Evidence::key).collect(), copy)
}

/// `fingerprint`, given the keys of the finding's sources.
pub fn fingerprint_with_keys(f: &Finding, mut keys: Vec<String>, copy: u32) -> [u8; 16] {
    let mut h = Sha256::new();
    // each stated field by its name, so a field added to the table later changes no
    // fingerprint of a finding that does not state it
    let stated = f
        .values()
        .filter(|(field, value)| field.identifies && value.is_some());
    for (field, value) in stated {
        h.update(field.name.as_bytes());
        h.update([0x1d]);
        for (i, word) in value.unwrap_or("").split_whitespace().enumerate() {
            if i > 0 {
                h.update(b" ");
            }
            h.update(word.as_bytes());
        }
        h.update([0x1f]);
    }
    keys.sort();
    finish_fingerprint(h, &keys, copy)
}

/// The end every fingerprint shares, this version's and the one before schema v6 that the v6
/// migration recomputes: the sources' keys (sorted by the caller), the copy number of a
/// finding stated again under the old rule, and the first 128 bits of the digest.
pub fn finish_fingerprint(mut h: Sha256, keys: &[String], copy: u32) -> [u8; 16] {
    for k in keys {
        h.update(k.as_bytes());
        h.update([0x1e]);
    }
    if copy > 0 {
        h.update(format!("\u{1d}copy {copy}").as_bytes());
    }
    let digest = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}
