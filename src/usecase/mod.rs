//! Use cases: what a person does with a catalogue, each in its own transaction. They sit
//! between the commands (which parse arguments and render results) and the store (src/db/, the
//! only code that runs SQL): a use case takes a `db::Catalogue`, opens the transaction it
//! needs (`read` for a consistent view, `write` for an all-or-nothing change), calls the store
//! and the pure modules, and returns plain results. Nothing here prints.
//!
//! - record: one finding from `log`
//! - import: a CSV file of findings
//! - exchange: export, and combining another catalogue
//! - decide: merges, "different" judgements, undoing a merge
//! - report: reports, each read from one state of the catalogue
//! - correct: findings by id, retractions and their history (docs/data-model.md)
//! - shipments: customs-style shipment records, each a supply link
//! - trace: trace requests, their responses and clocks (docs/supply-chain.md)

pub mod correct;
pub mod decide;
pub mod exchange;
pub mod import;
pub mod record;
pub mod report;
pub mod shipments;
pub mod supply_facts;
pub mod trace;
