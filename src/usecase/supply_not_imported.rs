//! What `import` does not read back of an export's supply chain (docs/supply-chain.md,
//! "Exports and import"). `import` reads findings: the links a maker label states and the
//! producers a finding names come back with their findings. Trace requests and responses,
//! shipments, and links or producers no finding states are combined by `import-catalogue` from
//! the catalogue file; `import` refuses an export that carries them, naming them, unless told
//! to take the findings alone, so nothing is dropped without the investigator knowing.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// The supply objects of an export that `import` would not read, counted by what they are.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NotRead(BTreeMap<&'static str, usize>);

impl NotRead {
    /// Counts one exported object of `kind` (its JSON lines type) if `import` would not read
    /// it: `how_known` and `finding` are the object's, where it has them.
    pub fn note(&mut self, kind: &str, how_known: Option<&str>, finding: Option<&str>) {
        let stated_by_finding = finding.is_some_and(|f| !f.is_empty());
        let what = match kind {
            "supply_link" if how_known == Some("label") && stated_by_finding => return,
            "weapon_producer" if stated_by_finding => return,
            "supply_link" => "supply links",
            "weapon_producer" => "weapon producers",
            "trace_request" => "trace requests",
            "trace_response" => "trace responses",
            "shipment" => "shipments",
            _ => return,
        };
        *self.0.entry(what).or_default() += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Stops the import, before anything is written, when the export carries any, unless
    /// `findings_alone` was asked for.
    pub fn refuse(&self, label: &str, findings_alone: bool) -> Result<()> {
        if self.is_empty() || findings_alone {
            return Ok(());
        }
        let listed: Vec<String> = self
            .0
            .iter()
            .map(|(what, n)| format!("{n} {what}"))
            .collect();
        bail!(
            "{label}: the export carries supply-chain records that `import` does not read ({}); \
             combine the catalogue they come from with `comptrace import-catalogue OTHER.db`, \
             or pass --without-supply-chain to import the findings alone; nothing was imported",
            listed.join(", ")
        )
    }
}

/// The supply files of a CSV export folder, with their JSON lines type.
const SUPPLY_FILES: [(&str, &str); 5] = [
    ("supply_links.csv", "supply_link"),
    ("weapon_producers.csv", "weapon_producer"),
    ("trace_requests.csv", "trace_request"),
    ("trace_responses.csv", "trace_response"),
    ("shipments.csv", "shipment"),
];

/// What `import` would not read of the CSV export folder `findings_csv` sits in; nothing when
/// it is not an export's findings.csv (no export.json beside it).
pub fn in_csv_folder(findings_csv: &Path) -> Result<NotRead> {
    let mut out = NotRead::default();
    let Some(dir) = findings_csv.parent() else {
        return Ok(out);
    };
    if !dir.join("export.json").is_file() {
        return Ok(out);
    }
    for (file, kind) in SUPPLY_FILES {
        let path = dir.join(file);
        if !path.is_file() {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let header = reader.headers()?.clone();
        let column = |name: &str| header.iter().position(|h| h == name);
        let (how_known, finding) = (column("how_known"), column("finding"));
        for row in reader.records() {
            let row = row.with_context(|| format!("{}: cannot read", path.display()))?;
            let cell = |at: Option<usize>| at.and_then(|i| row.get(i));
            out.note(kind, cell(how_known), cell(finding));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_producers_a_finding_states_come_back_with_it_and_the_rest_are_named() {
        let mut n = NotRead::default();
        n.note("supply_link", Some("label"), Some("01a2-f"));
        n.note("weapon_producer", None, Some("01a2-f"));
        n.note("organisation", None, None);
        assert!(n.is_empty());
        assert!(n.refuse("x.jsonl", false).is_ok());
        n.note("supply_link", Some("label"), None);
        n.note("supply_link", Some("customs"), Some("01a2-f"));
        n.note("shipment", None, None);
        n.note("trace_request", None, None);
        let err = n.refuse("x.jsonl", false).unwrap_err().to_string();
        assert!(
            err.contains("(1 shipments, 2 supply links, 1 trace requests)"),
            "{err}"
        );
        assert!(err.contains("import-catalogue"), "{err}");
        assert!(n.refuse("x.jsonl", true).is_ok());
    }
}
