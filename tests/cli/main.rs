//! Integration tests: the real binary on temporary catalogues.

mod util;

mod browser;
mod catalogue;
mod classification;
mod corrections;
mod demo;
mod determinism;
mod docs;
mod entity_corrections;
mod exchange;
mod hostile;
mod import;
mod layers;
mod log;
mod matching;
mod merging;
mod outputs;
mod queries;
mod real_world;
mod reliability;
mod repeats;
mod reports;
mod revisions;
mod round_trip;
mod screening;
mod supply;
mod web;
