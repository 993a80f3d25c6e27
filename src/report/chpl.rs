//! Tiers in reports: each part's HS code and CHPL tier (src/classification.rs), the `--tier`
//! filter, and `report chpl` (observations and distinct parts by tier and maker country, with
//! stated and inferred codes counted apart and the unmapped counted).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{bail, Result};

use super::rows::{OriginRow, ReportRows, Scope};
use super::{pct, Chart, Report};
use crate::classification::{classify, display_hs, Basis, Chpl, PartClass, Rules, TIERS};
use crate::table::{Cell, Listing};

/// Where a part stands on the list, as tier tables name their rows.
const NOT_LISTED: &str = "not listed";
const CONFLICTING: &str = "conflicting statements";
const UNMAPPED: &str = "unmapped";

/// Every part's classification under one list, for one report.
pub struct Tiers<'a> {
    pub chpl: &'a Chpl,
    classes: HashMap<i64, PartClass>,
    names: HashMap<i64, String>,
}

impl<'a> Tiers<'a> {
    /// Classifies every part seen in a standing finding.
    pub fn build(store: &dyn ReportRows, chpl: &'a Chpl) -> Result<Tiers<'a>> {
        let rules = Rules::bundled();
        let mut classes = HashMap::new();
        let mut names = HashMap::new();
        for facts in store.part_facts()? {
            classes.insert(facts.part, classify(&facts, rules, chpl));
            if let Some(name) = facts.texts.first() {
                names.insert(facts.part, name.clone());
            }
        }
        Ok(Tiers {
            chpl,
            classes,
            names,
        })
    }

    /// The part's class (every part of a standing finding has one).
    pub fn of(&self, part: i64) -> Option<&PartClass> {
        self.classes.get(&part)
    }

    /// The row a part counts under: "1", "2" ..., else not listed, conflicting or unmapped.
    pub fn label(&self, part: i64) -> &str {
        match self.of(part) {
            Some(PartClass { tier: Some(t), .. }) => t,
            Some(PartClass {
                basis: Basis::Conflicting,
                ..
            }) => CONFLICTING,
            Some(PartClass { code: Some(_), .. }) => NOT_LISTED,
            _ => UNMAPPED,
        }
    }

    /// Whether a part is in `tier` (a tier of the list).
    pub fn in_tier(&self, part: i64, tier: &str) -> bool {
        self.of(part).and_then(|c| c.tier.as_deref()) == Some(tier)
    }

    /// The tiers the list holds, in the list's order.
    pub fn listed_tiers(&self) -> Vec<&'static str> {
        let held: BTreeSet<&str> = self.chpl.items.iter().map(|i| i.tier.as_str()).collect();
        TIERS.iter().copied().filter(|t| held.contains(t)).collect()
    }

    /// The part's code as read (8542.31), or empty.
    pub fn code_cell(&self, part: i64) -> Cell {
        Cell::from(
            self.of(part)
                .and_then(|c| c.code.as_deref())
                .map(display_hs),
        )
    }

    /// How the part's code is known, with the rule of an inference.
    pub fn basis_cell(&self, part: i64) -> Cell {
        Cell::from(self.of(part).map(|c| match &c.basis {
            Basis::Inferred { rule } => format!("inferred: {rule}"),
            other => other.name().to_string(),
        }))
    }

    /// The part's tier, or empty.
    pub fn tier_cell(&self, part: i64) -> Cell {
        Cell::from(self.of(part).and_then(|c| c.tier.clone()))
    }
}

/// The column of a tier's observations in `report origin` (names are static, as every
/// listing's are).
pub fn tier_column(tier: &str) -> &'static str {
    const COLUMNS: [&str; 6] = [
        "tier_1", "tier_2", "tier_3.A", "tier_3.B", "tier_4.A", "tier_4.B",
    ];
    TIERS
        .iter()
        .position(|t| *t == tier)
        .map_or("tier_other", |i| COLUMNS[i])
}

/// A `--tier` value checked against the list loaded (a tier the list lacks would filter
/// everything out silently).
pub fn check_tier(tier: &str, chpl: &Chpl) -> Result<String> {
    let t = tier.trim().to_uppercase();
    if !TIERS.contains(&t.as_str()) {
        bail!("--tier: '{tier}' is not a CHPL tier ({})", TIERS.join(", "));
    }
    if !chpl.items.iter().any(|i| i.tier == t) {
        bail!(
            "--tier {t}: the list loaded ({}) holds no code in tier {t}; load the full list with --chpl FILE",
            chpl.origin
        );
    }
    Ok(t)
}

/// Observations and distinct parts of one row of a tier table, apart by basis.
#[derive(Default)]
struct Count {
    observations: i64,
    parts: BTreeSet<i64>,
    stated: BTreeSet<i64>,
    inferred: BTreeSet<i64>,
}

impl Count {
    fn add(&mut self, r: &OriginRow, class: Option<&PartClass>) {
        self.observations += r.observations;
        self.parts.insert(r.part);
        match class.map(|c| &c.basis) {
            Some(Basis::Stated | Basis::Conflicting) => {
                self.stated.insert(r.part);
            }
            Some(Basis::Inferred { .. }) => {
                self.inferred.insert(r.part);
            }
            _ => {}
        }
    }
}

/// The order tier rows are shown in: the list's tiers, then not listed, conflicting, unmapped.
fn row_order(label: &str) -> usize {
    TIERS
        .iter()
        .position(|t| *t == label)
        .unwrap_or(match label {
            NOT_LISTED => TIERS.len(),
            CONFLICTING => TIERS.len() + 1,
            _ => TIERS.len() + 2,
        })
}

/// `report chpl`: observations and distinct parts by CHPL tier and by tier and maker country,
/// stated and inferred codes counted apart, the unmapped counted; conflicting statements and
/// the rules inference used listed.
pub fn chpl(
    store: &dyn ReportRows,
    scope: &Scope,
    filters: Vec<(&'static str, String)>,
    tiers: &Tiers,
    now: String,
) -> Result<Report> {
    let rows = store.origin(scope, false)?;
    let mut by_tier: BTreeMap<(usize, String), Count> = BTreeMap::new();
    let mut by_country: BTreeMap<(usize, String, String), Count> = BTreeMap::new();
    let mut rules: BTreeMap<String, Count> = BTreeMap::new();
    for r in &rows {
        let label = tiers.label(r.part).to_string();
        let class = tiers.of(r.part);
        let order = row_order(&label);
        by_tier
            .entry((order, label.clone()))
            .or_default()
            .add(r, class);
        let country = match (&r.country, r.maker_known) {
            (Some(c), _) => c.clone(),
            (None, false) => "(maker not identified)".into(),
            (None, true) => "(maker's country unknown)".into(),
        };
        by_country
            .entry((order, label, country))
            .or_default()
            .add(r, class);
        if let Some(PartClass {
            basis: Basis::Inferred { rule },
            ..
        }) = class
        {
            rules.entry(rule.clone()).or_default().add(r, class);
        }
    }
    let total: i64 = rows.iter().map(|r| r.observations).sum();
    let parts: BTreeSet<i64> = rows.iter().map(|r| r.part).collect();
    let mut table = Listing::new(&[
        "tier",
        "observations",
        "share_of_observations",
        "parts",
        "parts_stated",
        "parts_inferred",
    ]);
    let mut chart = Chart {
        title: "Observations by CHPL tier".into(),
        unit: "observations".into(),
        bars: Vec::new(),
        stacks: None,
    };
    for ((_, label), c) in &by_tier {
        chart.bars.push((tier_name(label), c.observations as f64));
        table.rows.push(vec![
            Cell::from(label.as_str()),
            Cell::Int(c.observations),
            pct(c.observations, total),
            Cell::Int(c.parts.len() as i64),
            Cell::Int(c.stated.len() as i64),
            Cell::Int(c.inferred.len() as i64),
        ]);
    }
    let mut countries = Listing::new(&[
        "tier",
        "country",
        "observations",
        "parts",
        "parts_stated",
        "parts_inferred",
    ]);
    let mut ordered: Vec<(&(usize, String, String), &Count)> = by_country.iter().collect();
    // within a tier, the most observations first; unknown countries last
    ordered.sort_by(|a, b| {
        (
            a.0 .0,
            a.0 .2.starts_with('('),
            std::cmp::Reverse(a.1.observations),
            &a.0 .2,
        )
            .cmp(&(
                b.0 .0,
                b.0 .2.starts_with('('),
                std::cmp::Reverse(b.1.observations),
                &b.0 .2,
            ))
    });
    for ((_, label, country), c) in ordered {
        countries.rows.push(vec![
            Cell::from(label.as_str()),
            Cell::from(country.as_str()),
            Cell::Int(c.observations),
            Cell::Int(c.parts.len() as i64),
            Cell::Int(c.stated.len() as i64),
            Cell::Int(c.inferred.len() as i64),
        ]);
    }
    let mut conflicts = Listing::new(&["part", "stated_codes", "tier"]);
    for part in &parts {
        if let Some(c) = tiers.of(*part).filter(|c| c.basis == Basis::Conflicting) {
            conflicts.rows.push(vec![
                Cell::from(tiers.names.get(part).cloned()),
                Cell::List(c.stated.iter().map(|s| display_hs(s)).collect()),
                Cell::from(c.tier.clone()),
            ]);
        }
    }
    let mut used = Listing::new(&["rule", "parts", "observations"]);
    let mut by_use: Vec<(&String, &Count)> = rules.iter().collect();
    by_use.sort_by(|a, b| b.1.observations.cmp(&a.1.observations).then(a.0.cmp(b.0)));
    for (rule, c) in by_use {
        used.rows.push(vec![
            Cell::from(rule.as_str()),
            Cell::Int(c.parts.len() as i64),
            Cell::Int(c.observations),
        ]);
    }
    let count_of = |label: &str| -> i64 {
        by_tier
            .iter()
            .filter(|((_, l), _)| l == label)
            .map(|(_, c)| c.observations)
            .sum()
    };
    let listed: i64 = by_tier
        .iter()
        .filter(|((o, _), _)| *o < TIERS.len())
        .map(|(_, c)| c.observations)
        .sum();
    Ok(Report {
        kind: "chpl",
        title: "Components by Common High Priority List tier".into(),
        counted: format!(
            "observations, and distinct parts, by the CHPL tier of each part's HS code and by the headquarters country of its maker (as stated with each finding, else as the catalogue records the maker). A part's code is stated (a finding's hs_code, or `classify`), else inferred from its category or its texts by a named rule (docs/classification.md); parts_stated and parts_inferred count them apart; codes on no tier are 'not listed', parts whose statements disagree 'conflicting statements' (listed below), parts with no code 'unmapped'. {}",
            tiers.chpl.basis_sentence()
        ),
        generated_at: now,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: super::reference_data_sha256(),
        withheld: None,
        chains: Vec::new(),
        catalogue_as_of: store.as_of()?,
        filters,
        totals: vec![
            ("observations", total),
            ("distinct parts", parts.len() as i64),
            ("observations on a listed tier", listed),
            ("observations unmapped", count_of(UNMAPPED)),
            ("parts with conflicting statements", conflicts.rows.len() as i64),
        ],
        findings: total,
        unsourced: rows.iter().map(|r| r.unsourced).sum(),
        chart: Some(chart),
        tables: vec![
            ("by tier", table),
            ("by tier and maker country", countries),
            ("conflicting statements", conflicts),
            ("inference rules used", used),
        ],
        sources: Vec::new(),
    })
}

/// A tier row's name in the chart.
fn tier_name(label: &str) -> String {
    if TIERS.contains(&label) {
        format!("tier {label}")
    } else {
        label.to_string()
    }
}
