//! The rows reports are built from, and what a store must answer to build them. Pure: the
//! store (src/db/report.rs) implements `ReportRows` with SQL; the builders in this module's
//! parent only ever see these types.

use anyhow::Result;

/// What a report counts over.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub weapons: Option<Vec<i64>>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// Observations of one part in one country (a part has one maker).
#[derive(Debug, Clone, PartialEq)]
pub struct OriginRow {
    pub country: Option<String>,
    pub part: i64,
    pub maker: Option<String>,
    /// the maker's organisation id (for its screening decisions)
    pub maker_id: Option<i64>,
    pub maker_known: bool,
    pub observations: i64,
    /// Of `observations`, those linked to no source.
    pub unsourced: i64,
}

/// One source, for the lists of evidence under a report.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub uid: String,
    pub kind: String,
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub sha256: Option<String>,
}

/// One line of a maker's record: a part of it seen in a weapon model.
#[derive(Debug, Clone, PartialEq)]
pub struct MakerLine {
    pub weapon: String,
    pub part: String,
    pub category: Option<String>,
    pub brand: String,
    pub observations: i64,
    pub units: i64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub sources: i64,
    /// Of `observations`, those linked to no source.
    pub unsourced: i64,
}

/// One line of a weapon's bill of components.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLine {
    /// The part's id, for its classification.
    pub part_id: i64,
    /// The maker's id, for its designations.
    pub maker_id: Option<i64>,
    pub part: String,
    pub category: Option<String>,
    pub maker: Option<String>,
    pub country: Option<String>,
    pub units: i64,
    pub observations: i64,
    /// Of `observations`, those linked to no source.
    pub unsourced: i64,
    pub evidence: Vec<String>,
}

/// An observation with a date code, for `report date-codes`.
#[derive(Debug, Clone, PartialEq)]
pub struct DateCodeRow {
    /// The part's id, for its classification.
    pub part_id: i64,
    pub part: String,
    pub maker: Option<String>,
    pub country: Option<String>,
    pub weapon: String,
    pub date_code: String,
    pub observed_on: Option<String>,
    /// Whether the observation is linked to a source.
    pub sourced: bool,
}

/// A recovered unit with a production date, for `report date-codes`: the weapon, the unit as
/// named (serial, else its label), the production date as stated and the days it allows.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitProducedRow {
    pub weapon: String,
    pub unit: String,
    pub produced_as: String,
    pub produced_from: String,
    pub produced_to: Option<String>,
    pub observations: i64,
}

/// What reports ask of a catalogue. All answers come from one state of it: the use case hands
/// the builders a read transaction.
pub trait ReportRows {
    /// Counts by country (headquarters, or production when `production`) and part.
    fn origin(&self, scope: &Scope, production: bool) -> Result<Vec<OriginRow>>;
    /// Sources behind the observations in scope, by publisher: (publisher, sources, observations).
    fn publishers(&self, scope: &Scope) -> Result<Vec<(Option<String>, i64, i64)>>;
    /// Every source behind the observations of one maker's parts.
    fn maker_sources(&self, maker: i64) -> Result<Vec<SourceRow>>;
    /// Every source behind the observations in one weapon model.
    fn weapon_sources(&self, weapon: i64) -> Result<Vec<SourceRow>>;
    /// Every (weapon, part) of the given makers.
    fn maker_lines(&self, makers: &[i64]) -> Result<Vec<MakerLine>>;
    /// The bill of components of one weapon model.
    fn bill(&self, weapon: i64) -> Result<Vec<BillLine>>;
    /// Observations with a date code in scope.
    fn date_codes(&self, scope: &Scope) -> Result<Vec<DateCodeRow>>;
    /// Observations in scope with a candidate date code read from their marking or component
    /// text (and no stated one), the candidate in `date_code`.
    fn marking_date_codes(&self, scope: &Scope) -> Result<Vec<DateCodeRow>>;
    /// Recovered units with a production date that observations in scope were seen in.
    fn units_produced(&self, scope: &Scope) -> Result<Vec<UnitProducedRow>>;
    /// When the catalogue last changed.
    fn as_of(&self) -> Result<Option<String>>;
    /// What classifies each part seen in a standing finding (src/classification.rs).
    fn part_facts(&self) -> Result<Vec<crate::classification::PartFacts>>;
    /// Organisations confirmed as designated (latest screening decision a match), each with
    /// "LIST: listed name (programs, listed DATE)".
    fn designations(&self) -> Result<std::collections::BTreeMap<i64, Vec<String>>>;
}
