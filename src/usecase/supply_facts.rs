//! Loading published supply facts (`data/public-supply.csv`): weapon producers and links, each
//! row citing the page it came from, all in one transaction (docs/supply-chain.md, "Sample").

use anyhow::{bail, Context, Result};

use crate::country;
use crate::dates::now;
use crate::db::supply_facts::{self, Producer, StatedEnd, StatedLink};
use crate::db::Catalogue;
use crate::finding::Citation;
use crate::normalize::non_empty;

/// Records every fact of `csv` (its `label` names it in messages); returns how many.
pub fn load(catalogue: &mut Catalogue, label: &str, csv: &str) -> Result<usize> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers()?.clone();
    let tx = catalogue.write()?;
    let at = now();
    let mut n = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let line = i + 2;
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|p| record.get(p))
                .and_then(non_empty)
        };
        let citation = Citation {
            publisher: get("source_publisher").map(str::to_string),
            title: get("source_title").map(str::to_string),
            url: get("source_url").map(str::to_string),
            date: get("source_date").map(str::to_string),
        };
        if citation.url.is_none() {
            bail!("{label}:{line}: every fact names the page it came from (source_url)");
        }
        let code = |column: &str| -> Result<Option<String>> {
            get(column)
                .map(|c| {
                    country::lookup(c)
                        .map(|c| c.alpha2.clone())
                        .with_context(|| {
                            format!("{label}:{line}: column '{column}': unknown country '{c}'")
                        })
                })
                .transpose()
        };
        let (country, to_country) = (code("country")?, code("to_country")?);
        match get("fact") {
            Some("producer") => supply_facts::record_producer(
                &tx,
                &Producer {
                    weapon: get("weapon").context("a producer names its weapon")?,
                    organisation: get("organisation")
                        .context("a producer names its organisation")?,
                    site: get("site"),
                    country: country.as_deref(),
                    citation: &citation,
                },
                &at,
            ),
            Some("link") => supply_facts::record_link(
                &tx,
                &StatedLink {
                    from: StatedEnd {
                        organisation: get("organisation"),
                        role: get("role"),
                        country: country.as_deref(),
                    },
                    to: StatedEnd {
                        organisation: get("to"),
                        role: get("to_role"),
                        country: to_country.as_deref(),
                    },
                    brand: get("brand").context("a link names the brand it moved")?,
                    value: get("value").and_then(|v| v.parse().ok()),
                    currency: get("currency"),
                    note: get("notes"),
                    citation: &citation,
                },
                &at,
            ),
            other => bail!(
                "{label}:{line}: fact '{}' is neither producer nor link",
                other.unwrap_or_default()
            ),
        }
        .with_context(|| format!("{label}:{line}"))?;
        n += 1;
    }
    crate::db::refresh_search_index(&tx)?;
    tx.commit()?;
    Ok(n)
}
