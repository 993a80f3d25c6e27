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
//! - correct: findings by id, retractions, amendments and their history (docs/data-model.md)
//! - proposals: another catalogue's revisions and retractions of shared findings, for review
//! - replace: a corrected version of a published dataset as revisions and retractions
//! - shipments: customs-style shipment records, each a supply link
//! - trace: trace requests, their responses and clocks (docs/supply-chain.md)
//! - supply_not_imported: what `import` of an export does not read of its supply chain

pub mod carry_export_control;
pub mod classify;
pub mod correct;
pub mod correct_entity;
pub mod decide;
pub mod exchange;
pub mod import;
pub mod proposals;
pub mod record;
pub mod replace;
pub mod report;
pub mod review;
pub mod screening;
pub mod shipments;
pub mod supply_facts;
pub mod supply_not_imported;
pub mod trace;
