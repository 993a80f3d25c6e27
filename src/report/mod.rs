//! Reports investigators publish: every figure with its basis — what was counted, the
//! catalogue's snapshot, the filters and the totals — and the unknowns shown as rows of their
//! own, never hidden in a percentage. Builders here aggregate rows from src/db/report.rs
//! (pure Rust from there on); src/output/ renders them.

pub mod chpl;
pub mod datecode;
pub mod route;
pub mod rows;

use std::collections::BTreeMap;

use anyhow::Result;

use crate::country;
use crate::table::{Cell, Listing};
pub use chpl::Tiers;
use datecode::{decode, Ordering3};
use rows::{OriginRow, ReportRows, Scope, SourceRow};

/// A bar chart: one bar per label, values in `unit`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    pub title: String,
    pub unit: String,
    pub bars: Vec<(String, f64)>,
    /// When set, each bar drawn as segments (the CHPL tiers of what it counts), so the chart
    /// shows tiers as the tables' tier columns do.
    pub stacks: Option<Stacks>,
}

/// A split of every bar of a chart into named segments: `values[i][j]` is bar i's share in
/// segment j; the segments of a bar add up to the bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stacks {
    pub names: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

impl Stacks {
    /// Segments for the listed tiers and one for the rest ("not on a listed tier": not
    /// listed, unmapped or conflicting), in the list's order.
    fn for_tiers(listed: &[&str]) -> Stacks {
        let mut names: Vec<String> = listed.iter().map(|t| format!("tier {t}")).collect();
        names.push("not on a listed tier".into());
        Stacks {
            names,
            values: Vec::new(),
        }
    }

    /// Adds a bar's segments: its value in each listed tier, the rest last.
    fn push_bar(&mut self, bar: f64, in_tiers: Vec<f64>) {
        let rest = (bar - in_tiers.iter().sum::<f64>()).max(0.0);
        let mut segments = in_tiers;
        segments.push(rest);
        self.values.push(segments);
    }
}

/// A finished report, ready for any output format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub kind: &'static str,
    pub title: String,
    /// What was counted, in one sentence.
    pub counted: String,
    pub generated_at: String,
    /// The latest observation logged: the catalogue as the report saw it.
    pub catalogue_as_of: Option<String>,
    /// `--as-of DATE`: the catalogue as it stood at the end of that day (UTC). The report then
    /// states no generation time, so the same binary gives the same bytes on any later day.
    pub as_of: Option<String>,
    /// What the figures were computed with: this comptrace's version and the SHA-256 of the
    /// reference data compiled into it (`reference_data_sha256`).
    pub version: &'static str,
    pub reference_sha256: String,
    /// `--public`: how many findings under embargo were left out.
    pub withheld: Option<i64>,
    pub filters: Vec<(&'static str, String)>,
    pub totals: Vec<(&'static str, i64)>,
    /// The findings (observations) the figures count, and how many of them rest on no source.
    pub findings: i64,
    pub unsourced: i64,
    pub chart: Option<Chart>,
    pub tables: Vec<(&'static str, Listing)>,
    pub sources: Vec<SourceRow>,
    /// Chains to draw, each its stops in order (`report route`); empty for other reports.
    pub chains: Vec<Vec<String>>,
}

/// The SHA-256 (hex) of the reference data compiled into this binary: the maker and weapon
/// aliases, the ownership list, the family words, the countries, the HS code tables and the
/// bundled CHPL. Each file is hashed with
/// its name and length, so moving a line from one file to another changes the digest. A report
/// states it, so a figure can be recomputed with the same lists.
pub fn reference_data_sha256() -> String {
    use crate::matching::{families, reference};
    use sha2::{Digest, Sha256};
    static DIGEST: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let mut h = Sha256::new();
        for (name, text) in [
            ("countries.csv", crate::country::COUNTRIES_CSV),
            ("family-words.csv", families::FAMILY_WORDS_CSV),
            ("maker-aliases.csv", reference::MAKER_ALIASES_CSV),
            ("ownership.csv", reference::OWNERSHIP_CSV),
            ("weapon-aliases.csv", reference::WEAPON_ALIASES_CSV),
            (
                "hs-categories.csv",
                crate::classification::HS_CATEGORIES_CSV,
            ),
            ("hs-rules.csv", crate::classification::HS_RULES_CSV),
            ("chpl.csv", crate::classification::CHPL_CSV),
        ] {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(text.len().to_le_bytes());
            h.update(text.as_bytes());
        }
        format!("{:x}", h.finalize())
    });
    DIGEST.clone()
}

impl Report {
    /// The basis of the figures in one line, for the header of every format.
    pub fn basis_line(&self) -> String {
        let filters = if self.filters.is_empty() {
            "none".to_string()
        } else {
            self.filters
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let totals = self
            .totals
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let when = match &self.as_of {
            Some(day) => format!(
                "Catalogue as it stood at the end of {day} (UTC), last changed {}",
                self.catalogue_as_of.as_deref().unwrap_or("(empty)")
            ),
            None => format!(
                "Catalogue as of {}; generated {}",
                self.catalogue_as_of.as_deref().unwrap_or("(empty)"),
                self.generated_at
            ),
        };
        let public = match self.withheld {
            Some(n) => format!(
                " Public edition: {n} {} under embargo left out.",
                if n == 1 { "finding" } else { "findings" }
            ),
            None => String::new(),
        };
        format!(
            "Basis: {} Filters: {filters}. Totals: {totals}. {}{public} {when}; comptrace {}, reference data sha256:{}.",
            self.counted,
            self.unsourced_sentence(),
            self.version,
            self.reference_sha256
        )
    }

    /// How many of the findings counted rest on no source, said even when none do: a figure
    /// resting on no source cannot be checked by a reader.
    pub fn unsourced_sentence(&self) -> String {
        format!(
            "{} of the {} findings counted {} on no source.",
            self.unsourced,
            self.findings,
            if self.unsourced == 1 { "rests" } else { "rest" }
        )
    }
}

pub(crate) fn pct(part: i64, whole: i64) -> Cell {
    if whole == 0 {
        Cell::Null
    } else {
        Cell::Float((1000.0 * part as f64 / whole as f64).round() / 10.0)
    }
}

/// Observations, distinct parts and makers (with their observations) of one country.
#[derive(Default)]
struct Tally {
    observations: i64,
    parts: i64,
    makers: std::collections::HashMap<String, i64>,
    /// Observations per CHPL tier.
    tiers: BTreeMap<String, i64>,
}

/// How origin is counted: the maker's headquarters, or where the unit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Hq,
    Production,
}

impl By {
    pub const ALL: [By; 2] = [By::Hq, By::Production];

    /// The name `report origin --by` takes.
    pub fn name(self) -> &'static str {
        match self {
            By::Hq => "hq",
            By::Production => "production",
        }
    }
}

/// How `report origin` counts and what it adds.
#[derive(Debug, Clone, Copy)]
pub struct OriginOptions {
    pub by: By,
    /// Makers named per country.
    pub top: usize,
    /// Add the sources-by-publisher table.
    pub with_sources: bool,
    /// Name makers by today's owner.
    pub by_owner: bool,
}

/// `report origin`: shares of parts and observations by country, with the makers behind each.
pub fn origin(
    store: &dyn ReportRows,
    scope: &Scope,
    filters: Vec<(&'static str, String)>,
    how: &OriginOptions,
    tiers: &Tiers,
    only_tier: Option<&str>,
    now: String,
) -> Result<Report> {
    let OriginOptions {
        by,
        top,
        with_sources,
        by_owner,
    } = *how;
    let production = by == By::Production;
    let refs = crate::matching::reference::Reference::get();
    // with --by-owner, a brand counts under today's owner (Maxim and Linear under Analog Devices)
    let mut owner_of: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut owner = |maker: &str| -> String {
        if !by_owner {
            return maker.to_string();
        }
        owner_of
            .entry(maker.to_string())
            .or_insert_with(|| {
                refs.owners_of(maker)
                    .last()
                    .map_or(maker.to_string(), |o| o.owner.clone())
            })
            .clone()
    };
    let mut data = store.origin(scope, production)?;
    if let Some(t) = only_tier {
        data.retain(|r| tiers.in_tier(r.part, t));
    }
    let listed_tiers = tiers.listed_tiers();
    let total_obs: i64 = data.iter().map(|r| r.observations).sum();
    let unsourced: i64 = data.iter().map(|r| r.unsourced).sum();
    let total_parts = data
        .iter()
        .map(|r| r.part)
        .collect::<std::collections::HashSet<_>>()
        .len() as i64;
    // per country: observations, distinct parts, and observations per maker
    let mut countries: BTreeMap<String, Tally> = BTreeMap::new();
    for r in &data {
        let label = match (&r.country, production, r.maker_known) {
            (Some(c), _, _) => c.clone(),
            (None, true, _) => "(not marked)".into(),
            (None, false, false) => "(maker not identified)".into(),
            (None, false, true) => "(maker's country unknown)".into(),
        };
        let e = countries.entry(label).or_default();
        e.observations += r.observations;
        e.parts += 1; // rows are per (country, part)
        if let Some(t) = tiers.of(r.part).and_then(|c| c.tier.clone()) {
            *e.tiers.entry(t).or_default() += r.observations;
        }
        let maker = r
            .maker
            .as_deref()
            .map_or_else(|| "not identified".to_string(), &mut owner);
        *e.makers.entry(maker).or_default() += r.observations;
    }
    let mut ordered: Vec<(String, Tally)> = countries.into_iter().collect();
    ordered.sort_by(|a, b| {
        let unknown = |s: &str| s.starts_with('(');
        unknown(&a.0)
            .cmp(&unknown(&b.0))
            .then(b.1.observations.cmp(&a.1.observations))
            .then(a.0.cmp(&b.0))
    });
    let mut columns = vec![
        "country",
        "country_name",
        "parts",
        "share_of_parts",
        "observations",
        "share_of_observations",
    ];
    columns.extend(listed_tiers.iter().map(|t| chpl::tier_column(t)));
    columns.push("top_manufacturers");
    let mut table = Listing::new(&columns);
    let mut chart = Chart {
        title: format!(
            "Share of observations by {}",
            if production {
                "production country"
            } else {
                "maker's headquarters country"
            }
        ),
        unit: "%".into(),
        bars: Vec::new(),
        stacks: None,
    };
    let mut stacks = Stacks::for_tiers(&listed_tiers);
    for (
        label,
        Tally {
            observations: obs,
            parts,
            makers,
            tiers: by_tier,
        },
    ) in ordered
    {
        let mut makers: Vec<(String, i64)> = makers.into_iter().collect();
        makers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let listed: Vec<String> = makers
            .iter()
            .take(top)
            .map(|(m, n)| format!("{m} ({n})"))
            .collect();
        let name = country::name_of(&label)
            .map(str::to_string)
            .unwrap_or_else(|| label.trim_matches(['(', ')']).to_string());
        let share = |n: i64| 100.0 * n as f64 / total_obs.max(1) as f64;
        chart.bars.push((name.clone(), share(obs)));
        stacks.push_bar(
            share(obs),
            listed_tiers
                .iter()
                .map(|t| share(by_tier.get(*t).copied().unwrap_or(0)))
                .collect(),
        );
        let mut row = vec![
            if label.starts_with('(') {
                Cell::Null
            } else {
                Cell::from(label.as_str())
            },
            name.into(),
            Cell::Int(parts),
            pct(parts, total_parts),
            Cell::Int(obs),
            pct(obs, total_obs),
        ];
        row.extend(
            listed_tiers
                .iter()
                .map(|t| Cell::Int(by_tier.get(*t).copied().unwrap_or(0))),
        );
        row.push(Cell::List(listed));
        table.rows.push(row);
    }
    chart.stacks = Some(stacks);
    let mut tables = vec![("countries", table)];
    let designations = designated_makers(&data, &store.designations()?);
    if !designations.rows.is_empty() {
        tables.push(("confirmed designations", designations));
    }
    if with_sources {
        let mut publishers = Listing::new(&["publisher", "sources", "observations"]);
        for (p, s, o) in store.publishers(scope)? {
            publishers
                .rows
                .push(vec![Cell::from(p), Cell::Int(s), Cell::Int(o)]);
        }
        tables.push(("sources by publisher", publishers));
    }
    let counted = if production {
        "observations, and distinct parts, by the country each unit was marked as produced in (\"Made in ...\"); unmarked units are a row of their own."
    } else {
        "observations, and distinct parts, by the headquarters country of each part's maker as stated with each finding (else as the catalogue records the maker), so the figures can be recomputed from the findings themselves; unidentified makers and unknown countries are rows of their own. A part seen under two countries counts once in each."
    };
    let counted = format!(
        "{counted} The tier_ columns count observations of parts in each CHPL tier (stated or inferred HS codes: `report chpl` counts them apart){}. {}",
        if only_tier.is_some() { "; only parts in the tier filtered on are counted" } else { "" },
        tiers.chpl.basis_sentence()
    );
    Ok(Report {
        kind: "origin",
        title: "Country of origin of components".into(),
        counted,
        generated_at: now,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: reference_data_sha256(),
        withheld: None,
        catalogue_as_of: store.as_of()?,
        filters,
        totals: vec![("observations", total_obs), ("distinct parts", total_parts)],
        findings: total_obs,
        unsourced,
        chart: Some(chart),
        tables,
        sources: Vec::new(),
        chains: Vec::new(),
    })
}

/// The makers counted in an origin report that are confirmed as designated (latest screening
/// decision a match: docs/screening.md), one row per designation, with the observations counted
/// of their parts; by the maker itself, whatever `--by-owner` groups it under.
fn designated_makers(data: &[OriginRow], designated: &BTreeMap<i64, Vec<String>>) -> Listing {
    let mut makers: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for r in data {
        if let (Some(id), Some(name)) = (r.maker_id, &r.maker) {
            if designated.contains_key(&id) {
                *makers.entry((name.clone(), id)).or_default() += r.observations;
            }
        }
    }
    let mut out = Listing::new(&["manufacturer", "observations", "designated"]);
    for ((name, id), observations) in makers {
        for d in &designated[&id] {
            out.rows.push(vec![
                Cell::from(name.as_str()),
                Cell::Int(observations),
                Cell::from(d.as_str()),
            ]);
        }
    }
    out
}

/// `report manufacturer`: every weapon model the maker's parts were found in.
pub fn manufacturer(
    store: &dyn ReportRows,
    name: &str,
    makers: &[(i64, String)],
    now: String,
) -> Result<Report> {
    let ids: Vec<i64> = makers.iter().map(|(id, _)| *id).collect();
    let lines = store.maker_lines(&ids)?;
    let several = makers.len() > 1;
    let mut columns = vec![
        "weapon",
        "part",
        "category",
        "observations",
        "units",
        "first_seen",
        "last_seen",
        "sources",
    ];
    if several {
        columns.insert(2, "brand");
    }
    let mut table = Listing::new(&columns);
    let mut per_weapon: BTreeMap<String, i64> = BTreeMap::new();
    for l in &lines {
        *per_weapon.entry(l.weapon.clone()).or_default() += l.observations;
        let mut row = vec![
            Cell::from(l.weapon.as_str()),
            Cell::from(l.part.as_str()),
            Cell::from(l.category.clone()),
            Cell::Int(l.observations),
            Cell::Int(l.units),
            Cell::from(l.first.clone()),
            Cell::from(l.last.clone()),
            Cell::Int(l.sources),
        ];
        if several {
            row.insert(2, Cell::from(l.brand.as_str()));
        }
        table.rows.push(row);
    }
    let mut sources = Vec::new();
    for id in &ids {
        sources.extend(store.maker_sources(*id)?);
    }
    sources.sort_by(|a, b| {
        (&a.date, &a.publisher, &a.title, &a.uid).cmp(&(&b.date, &b.publisher, &b.title, &b.uid))
    });
    sources.dedup_by(|a, b| a.uid == b.uid);
    let total: i64 = lines.iter().map(|l| l.observations).sum();
    let mut bars: Vec<(String, f64)> = per_weapon.into_iter().map(|(w, n)| (w, n as f64)).collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let brands: Vec<&str> = makers.iter().map(|(_, n)| n.as_str()).collect();
    let designated = store.designations()?;
    let mut designations = Listing::new(&["manufacturer", "designated"]);
    for (id, name) in makers {
        for d in designated.get(id).into_iter().flatten() {
            designations
                .rows
                .push(vec![Cell::from(name.as_str()), Cell::from(d.as_str())]);
        }
    }
    let mut tables = vec![("weapons and parts", table)];
    if !designations.rows.is_empty() {
        tables.push(("confirmed designations", designations));
    }
    Ok(Report {
        kind: "manufacturer",
        title: format!("Weapons containing parts of {}", brands.join(", ")),
        counted: "observations of this maker's parts, per weapon model and part, with the units they were seen in and the sources behind them.".into(),
        generated_at: now,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: reference_data_sha256(),
        withheld: None,
        catalogue_as_of: store.as_of()?,
        filters: vec![("manufacturer", name.to_string())],
        totals: vec![("observations", total), ("weapon-part lines", lines.len() as i64), ("sources", sources.len() as i64)],
        findings: total,
        unsourced: lines.iter().map(|l| l.unsourced).sum(),
        chart: Some(Chart { title: "Observations per weapon model".into(), unit: "observations".into(), bars, stacks: None }),
        tables,
        sources,
        chains: Vec::new(),
    })
}

/// `report weapon`: the bill of components of one weapon model.
pub fn weapon(
    store: &dyn ReportRows,
    name: &str,
    id: i64,
    display: &str,
    tiers: &Tiers,
    only_tier: Option<&str>,
    now: String,
) -> Result<Report> {
    let mut lines = store.bill(id)?;
    if let Some(t) = only_tier {
        lines.retain(|l| tiers.in_tier(l.part_id, t));
    }
    let mut table = Listing::new(&[
        "part",
        "manufacturer",
        "hq_country",
        "category",
        "hs_code",
        "hs_basis",
        "chpl_tier",
        "maker_designated",
        "units",
        "observations",
        "evidence",
    ]);
    let designated = store.designations()?;
    // per country: parts, and parts per CHPL tier
    let mut by_country: BTreeMap<String, PartsByTier> = BTreeMap::new();
    for l in &lines {
        let c = l
            .country
            .clone()
            .map(|c| country::name_of(&c).unwrap_or(&c).to_string())
            .unwrap_or_else(|| "unknown".into());
        let entry = by_country.entry(c).or_default();
        entry.0 += 1;
        if let Some(t) = tiers.of(l.part_id).and_then(|c| c.tier.clone()) {
            *entry.1.entry(t).or_default() += 1;
        }
        table.rows.push(vec![
            Cell::from(l.part.as_str()),
            Cell::from(l.maker.clone().unwrap_or_else(|| "not identified".into())),
            Cell::from(l.country.clone()),
            Cell::from(l.category.clone()),
            tiers.code_cell(l.part_id),
            tiers.basis_cell(l.part_id),
            tiers.tier_cell(l.part_id),
            Cell::List(
                l.maker_id
                    .and_then(|m| designated.get(&m).cloned())
                    .unwrap_or_default(),
            ),
            Cell::Int(l.units),
            Cell::Int(l.observations),
            Cell::List(l.evidence.clone()),
        ]);
    }
    let total_obs: i64 = lines.iter().map(|l| l.observations).sum();
    let chart = parts_by_country_chart(by_country, &tiers.listed_tiers());
    Ok(Report {
        kind: "weapon",
        title: format!("Bill of components: {display}"),
        counted: format!("distinct parts seen in this weapon model (all its spellings and recovered units), each with its maker, the maker's headquarters country, its HS code (stated, or inferred by the rule named: docs/classification.md) and CHPL tier, whether its maker is confirmed as designated (a screening decision: list, listed name, programs, listing date; docs/screening.md), the units it was seen in and the evidence{}. {}", if only_tier.is_some() { "; only parts in the tier filtered on" } else { "" }, tiers.chpl.basis_sentence()),
        generated_at: now,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: reference_data_sha256(),
        withheld: None,
        catalogue_as_of: store.as_of()?,
        filters: std::iter::once(("weapon", name.to_string())).chain(only_tier.map(|t| ("tier", t.to_string()))).collect(),
        totals: vec![("parts", lines.len() as i64), ("observations", total_obs)],
        findings: total_obs,
        unsourced: lines.iter().map(|l| l.unsourced).sum(),
        chart: Some(chart),
        tables: vec![("components", table)],
        sources: store.weapon_sources(id)?,
        chains: Vec::new(),
    })
}

/// A country's parts in a bill, and its parts per CHPL tier.
type PartsByTier = (i64, BTreeMap<String, i64>);

/// A weapon's parts by maker's country, largest first, each bar split by CHPL tier.
fn parts_by_country_chart(by_country: BTreeMap<String, PartsByTier>, listed: &[&str]) -> Chart {
    let mut ordered: Vec<(String, PartsByTier)> = by_country.into_iter().collect();
    ordered.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut stacks = Stacks::for_tiers(listed);
    let mut bars = Vec::with_capacity(ordered.len());
    for (country, (parts, in_tier)) in ordered {
        let per_tier = listed
            .iter()
            .map(|t| in_tier.get(*t).copied().unwrap_or(0) as f64)
            .collect();
        stacks.push_bar(parts as f64, per_tier);
        bars.push((country, parts as f64));
    }
    Chart {
        title: "Parts by maker's headquarters country, by CHPL tier".into(),
        unit: "parts".into(),
        bars,
        stacks: Some(stacks),
    }
}

/// Date codes of one basis (stated, or read from markings) placed against a cut-off: counts per
/// maker, the observations after it, and the codes that could not be decoded.
struct Placed {
    summary: Listing,
    after: Listing,
    undecoded: Listing,
    n_after: i64,
    n_undecoded: i64,
    bars: Vec<(String, f64)>,
}

/// Places each row's date code, decoded by `decode` (given the year the part was found).
fn place_codes(
    data: &[rows::DateCodeRow],
    cutoff: jiff::civil::Date,
    decode: impl Fn(&str, Option<i32>) -> Result<datecode::YearWeek, datecode::Undecoded>,
) -> Placed {
    let mut per_maker: BTreeMap<(String, String), [i64; 5]> = BTreeMap::new();
    let mut after_rows = Listing::new(&[
        "part",
        "manufacturer",
        "country",
        "weapon",
        "date_code",
        "produced",
        "observed_on",
    ]);
    let mut undecoded = Listing::new(&["part", "manufacturer", "date_code", "reason"]);
    for r in data {
        let maker = r.maker.clone().unwrap_or_else(|| "not identified".into());
        let key = (maker.clone(), r.country.clone().unwrap_or_default());
        let e = per_maker.entry(key).or_insert([0; 5]);
        let seen_year = r
            .observed_on
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        match decode(&r.date_code, seen_year) {
            Ok(yw) => match yw.against(cutoff) {
                Ordering3::After => {
                    e[0] += 1;
                    after_rows.rows.push(vec![
                        Cell::from(r.part.as_str()),
                        Cell::from(maker.as_str()),
                        Cell::from(r.country.clone()),
                        Cell::from(r.weapon.as_str()),
                        Cell::from(r.date_code.as_str()),
                        Cell::from(yw.label()),
                        Cell::from(r.observed_on.clone()),
                    ]);
                }
                Ordering3::Straddles => e[1] += 1,
                Ordering3::Before => e[2] += 1,
            },
            Err(why) => {
                e[3] += 1;
                undecoded.rows.push(vec![
                    Cell::from(r.part.as_str()),
                    Cell::from(maker.as_str()),
                    Cell::from(r.date_code.as_str()),
                    Cell::from(why.reason()),
                ]);
            }
        }
        e[4] += 1;
    }
    let mut summary = Listing::new(&[
        "manufacturer",
        "country",
        "with_date_code",
        "after_cutoff",
        "cutoff_week",
        "before_cutoff",
        "undecoded",
    ]);
    let mut bars = Vec::new();
    let (mut n_after, mut n_undecoded) = (0, 0);
    for ((maker, c), [a, s, b, u, all]) in &per_maker {
        n_after += a;
        n_undecoded += u;
        if *a > 0 {
            bars.push((maker.clone(), *a as f64));
        }
        summary.rows.push(vec![
            Cell::from(maker.as_str()),
            if c.is_empty() {
                Cell::Null
            } else {
                Cell::from(c.as_str())
            },
            Cell::Int(*all),
            Cell::Int(*a),
            Cell::Int(*s),
            Cell::Int(*b),
            Cell::Int(*u),
        ]);
    }
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Placed {
        summary,
        after: after_rows,
        undecoded,
        n_after,
        n_undecoded,
        bars,
    }
}

/// Recovered units with a production date placed against a cut-off: those built after it, and
/// those whose date's precision straddles it (the year 2022, "not earlier than 2021"), each a
/// list of its own; (after, straddling, before) counted.
fn place_units(
    units: &[rows::UnitProducedRow],
    cutoff: jiff::civil::Date,
) -> (Listing, Listing, [i64; 3]) {
    let columns = [
        "weapon",
        "unit",
        "produced",
        "produced_from",
        "produced_to",
        "observations",
    ];
    let (mut after, mut straddling) = (Listing::new(&columns), Listing::new(&columns));
    let mut counts = [0; 3];
    for u in units {
        let from = crate::dates::first_day(&u.produced_from);
        let to = u.produced_to.as_deref().and_then(crate::dates::first_day);
        let Some(from) = from else { continue };
        let (list, n) = match Ordering3::of_period(from, to, cutoff) {
            Ordering3::After => (Some(&mut after), 0),
            Ordering3::Straddles => (Some(&mut straddling), 1),
            Ordering3::Before => (None, 2),
        };
        counts[n] += 1;
        if let Some(list) = list {
            list.rows.push(vec![
                Cell::from(u.weapon.as_str()),
                Cell::from(u.unit.as_str()),
                Cell::from(u.produced_as.as_str()),
                Cell::from(u.produced_from.as_str()),
                Cell::from(u.produced_to.clone()),
                Cell::Int(u.observations),
            ]);
        }
    }
    (after, straddling, counts)
}

/// `report date-codes`: parts whose date code shows production after a cut-off; apart from
/// them, recovered units built after it (a unit's production date says when the weapon was
/// built, not its parts), and date codes read from markings rather than stated.
pub fn date_codes(
    store: &dyn ReportRows,
    scope: &Scope,
    filters: Vec<(&'static str, String)>,
    after: &str,
    tier: Option<(&Tiers, &str)>,
    now: String,
) -> Result<Report> {
    let cutoff = crate::dates::first_day(after).ok_or_else(|| {
        anyhow::anyhow!("--after: '{after}' is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)")
    })?;
    let in_tier = |rows: &mut Vec<rows::DateCodeRow>| {
        if let Some((tiers, t)) = tier {
            rows.retain(|r| tiers.in_tier(r.part_id, t));
        }
    };
    let mut data = store.date_codes(scope)?;
    in_tier(&mut data);
    let stated = place_codes(&data, cutoff, decode);
    let mut read = store.marking_date_codes(scope)?;
    in_tier(&mut read);
    let from_markings = place_codes(&read, cutoff, |code, _| {
        datecode::decode_marking(code).ok_or(datecode::Undecoded::Unrecognised)
    });
    let units = store.units_produced(scope)?;
    let (units_after, units_straddling, [u_after, u_straddling, _]) = place_units(&units, cutoff);
    let mut filters = filters;
    filters.push(("after", after.to_string()));
    let tier_note = match tier {
        Some((tiers, t)) => {
            filters.push(("tier", t.to_string()));
            format!(" Only parts in CHPL tier {t} (their HS code stated or inferred: docs/classification.md) are counted, by their own date codes; a unit's production date says nothing of when its parts were made, so the units below are not filtered by tier. {}", tiers.chpl.basis_sentence())
        }
        None => String::new(),
    };
    Ok(Report {
        kind: "date-codes",
        title: format!("Parts produced after {after}, by date code"),
        counted: format!("observations with a date code, decoded as YYWW, YY-WW, YYYYWW or YWW (a one-digit year placed in the decade of the observation); a part is 'after' when its production week starts after the cut-off, 'cut-off week' when the week contains it; codes that fit no form or name a week their year does not have (week 53 of 2022) are listed as undecoded, not guessed. Apart from them: recovered units by their production date (after the cut-off only when the first day the date allows is; a date whose precision contains the cut-off, such as the year 2022 or 'not earlier than 2021', straddles it), and candidate date codes read from markings (a four-digit year-week after a part code in the component text or marking of a finding that states none), which are guesses and never counted with stated codes.{tier_note}"),
        generated_at: now,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: reference_data_sha256(),
        withheld: None,
        catalogue_as_of: store.as_of()?,
        filters,
        totals: vec![
            ("observations with a date code", data.len() as i64),
            ("after the cut-off", stated.n_after),
            ("undecoded", stated.n_undecoded),
            ("units with a production date", units.len() as i64),
            ("units built after the cut-off", u_after),
            ("units straddling the cut-off", u_straddling),
            ("date codes read from markings", read.len() as i64),
            ("read from markings, after the cut-off", from_markings.n_after),
        ],
        chart: Some(Chart { title: format!("Observations of parts produced after {after}, by maker"), unit: "observations".into(), bars: stated.bars, stacks: None }),
        tables: vec![
            ("by manufacturer", stated.summary),
            ("produced after the cut-off", stated.after),
            ("undecoded", stated.undecoded),
            ("units built after the cut-off", units_after),
            ("units straddling the cut-off", units_straddling),
            ("read from markings, by manufacturer", from_markings.summary),
            ("read from markings, produced after the cut-off", from_markings.after),
        ],
        findings: data.len() as i64,
        unsourced: data.iter().filter(|r| !r.sourced).count() as i64,
        sources: Vec::new(),
        chains: Vec::new(),
    })
}
