//! What an ingest run reads once when it begins or remembers as it goes, beyond the name caches
//! the ingester holds: the units it has met, which families were empty, and the merge roots.
//!
//! Nothing here writes to the catalogue or decides identity; the ingester consults these
//! to skip lookups whose answer it already knows.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

/// Units met in this run, by a 128-bit hash of their key (two independently keyed SipHashes):
/// a drone whose forty parts are forty rows is looked up once. Bounded, so memory stays flat:
/// when full it starts over and the unique index on `weapon_unit.key` answers.
#[derive(Default)]
pub(super) struct UnitCache {
    hashers: (
        std::collections::hash_map::RandomState,
        std::collections::hash_map::RandomState,
    ),
    ids: HashMap<u128, i64>,
}

impl UnitCache {
    // 400,000 entries fit a 2^19-bucket table: about 13 MB at most
    const CAPACITY: usize = 400_000;

    pub(super) fn key_of(&self, key: &str) -> u128 {
        use std::hash::BuildHasher;
        let (a, b) = &self.hashers;
        (u128::from(a.hash_one(key)) << 64) | u128::from(b.hash_one(key))
    }

    pub(super) fn get(&self, key: u128) -> Option<i64> {
        self.ids.get(&key).copied()
    }

    pub(super) fn remember(&mut self, key: u128, id: i64) {
        if self.ids.len() >= Self::CAPACITY {
            self.ids.clear();
        }
        self.ids.insert(key, id);
    }
}

/// Which entity families held nothing when the run began. For those, the run's own caches
/// know every entity there is, so a name they do not hold is new without asking the catalogue.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct EmptyAtStart {
    pub(super) organisations: bool,
    pub(super) weapons: bool,
    pub(super) parts: bool,
}

impl EmptyAtStart {
    pub(super) fn read(conn: &Connection) -> Result<EmptyAtStart> {
        let empty = |table: &str| -> Result<bool> {
            // table names are the constants below
            Ok(conn.query_row(
                &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
                [],
                |r| r.get(0),
            )?)
        };
        Ok(EmptyAtStart {
            organisations: empty("organisation_spelling")?,
            weapons: empty("weapon_spelling")?,
            parts: empty("part_spelling")?,
        })
    }
}

/// Where the live merges send each merged entity, per family, read once per run.
#[derive(Debug, Default)]
pub(super) struct Roots {
    pub(super) organisations: HashMap<i64, i64>,
    pub(super) weapons: HashMap<i64, i64>,
    pub(super) parts: HashMap<i64, i64>,
}

impl Roots {
    pub(super) fn read(conn: &Connection) -> Result<Roots> {
        use crate::db::merge::{live, roots, Family};
        Ok(Roots {
            organisations: roots(&live(conn, Family::Manufacturer)?),
            weapons: roots(&live(conn, Family::Weapon)?),
            parts: roots(&live(conn, Family::Part)?),
        })
    }

    pub(super) fn of(map: &HashMap<i64, i64>, id: i64) -> i64 {
        map.get(&id).copied().unwrap_or(id)
    }
}
