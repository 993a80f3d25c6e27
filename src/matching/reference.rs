//! The curated reference lists compiled into the binary: maker aliases (data/maker-aliases.csv),
//! corporate ownership (data/ownership.csv) and weapon designations (data/weapon-aliases.csv).
//! Aliases are sameness ("TI" is Texas Instruments); ownership is not (Xilinx stays Xilinx, owned
//! by AMD), so a report can group by today's owner while the brand as printed stays what it is.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::makers::alias_key;
use super::weapons;

pub const MAKER_ALIASES_CSV: &str = include_str!("../../data/maker-aliases.csv");
pub const OWNERSHIP_CSV: &str = include_str!("../../data/ownership.csv");
pub const WEAPON_ALIASES_CSV: &str = include_str!("../../data/weapon-aliases.csv");

/// One acquisition: the brand printed on parts, its owner, and since when.
#[derive(Debug, Clone, PartialEq)]
pub struct Ownership {
    pub brand: String,
    pub owner: String,
    pub since: String,
    pub source: String,
}

#[derive(Debug, Default)]
pub struct Reference {
    makers: Vec<String>,
    maker_by_key: HashMap<String, usize>,
    pub ownership: Vec<Ownership>,
    weapons: Vec<String>,
    weapon_by_key: HashMap<String, usize>,
    /// The Latin spellings of the list by their sound folds (`weapons::latin_sounds`), for a
    /// name written in another script; `None` where two models share a fold.
    weapon_by_sound: HashMap<String, Option<usize>>,
}

fn rows(csv_text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.expect("reference CSV files are valid (checked by unit tests)"))
        .collect()
}

impl Reference {
    /// The lists shipped in the binary, parsed once.
    pub fn get() -> &'static Reference {
        static REFERENCE: OnceLock<Reference> = OnceLock::new();
        REFERENCE
            .get_or_init(|| Reference::parse(MAKER_ALIASES_CSV, OWNERSHIP_CSV, WEAPON_ALIASES_CSV))
    }

    pub fn parse(maker_aliases: &str, ownership: &str, weapon_aliases: &str) -> Reference {
        let mut r = Reference::default();
        for row in rows(maker_aliases) {
            let canonical = alias_key(&row[0]);
            let id = match r.maker_by_key.get(&canonical) {
                Some(&id) => id,
                None => {
                    r.makers.push(row[0].to_string());
                    r.maker_by_key.insert(canonical, r.makers.len() - 1);
                    r.makers.len() - 1
                }
            };
            let key = alias_key(&row[1]);
            if !key.is_empty() {
                r.maker_by_key.entry(key).or_insert(id);
            }
        }
        r.ownership = rows(ownership)
            .iter()
            .map(|row| Ownership {
                brand: row[0].to_string(),
                owner: row[1].to_string(),
                since: row[2].to_string(),
                source: row[3].to_string(),
            })
            .collect();
        for row in rows(weapon_aliases) {
            let canonical_keys = weapons::plain_keys(&row[0]);
            let id = match canonical_keys.iter().find_map(|k| r.weapon_by_key.get(k)) {
                Some(&id) => id,
                None => {
                    r.weapons.push(row[0].to_string());
                    r.weapons.len() - 1
                }
            };
            for key in canonical_keys
                .into_iter()
                .chain(weapons::plain_keys(&row[1]))
            {
                for sound in weapons::latin_sounds(&key) {
                    let entry = r.weapon_by_sound.entry(sound).or_insert(Some(id));
                    if *entry != Some(id) {
                        *entry = None; // two models sound alike: the sound names neither
                    }
                }
                r.weapon_by_key.entry(key).or_insert(id);
            }
        }
        r
    }

    /// The maker a compact name key belongs to by the alias list.
    pub fn maker_alias(&self, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.maker_by_key.get(key).copied()
    }

    pub fn maker_name(&self, id: usize) -> &str {
        &self.makers[id]
    }

    pub fn maker_count(&self) -> usize {
        self.makers.len()
    }

    /// The weapon model a designation key belongs to by the designation list.
    pub fn weapon_alias(&self, key: &str) -> Option<usize> {
        self.weapon_by_key.get(key).copied()
    }

    /// The weapon model whose Latin spelling in the list sounds as this fold does, when only
    /// one model does.
    pub fn weapon_by_sound(&self, fold: &str) -> Option<usize> {
        self.weapon_by_sound.get(fold).copied().flatten()
    }

    pub fn weapon_name(&self, id: usize) -> &str {
        &self.weapons[id]
    }

    /// Who a name is, for ownership: the maker the alias list names, else its own key.
    fn identity(&self, name: &str) -> String {
        let key = alias_key(name);
        match self.maker_alias(&key) {
            Some(id) => format!("={id}"),
            None => key,
        }
    }

    /// Whether two names are one maker by key or alias list (not by ownership).
    pub fn same_maker(&self, a: &str, b: &str) -> bool {
        self.identity(a) == self.identity(b)
    }

    /// Whether `owner` owns `brand`, directly or through a chain of acquisitions.
    pub fn owned_by(&self, brand: &str, owner: &str) -> bool {
        self.owners_of(brand)
            .iter()
            .any(|o| self.same_maker(&o.owner, owner))
    }

    /// The owners of a brand, nearest first (Spansion -> Cypress -> Infineon). Names are
    /// resolved through the alias list first ("Maxim Integrated Products" is Maxim Integrated).
    pub fn owners_of(&self, brand: &str) -> Vec<&Ownership> {
        let mut chain: Vec<&Ownership> = Vec::new();
        let mut who = self.identity(brand);
        while let Some(o) = self
            .ownership
            .iter()
            .find(|o| self.identity(&o.brand) == who)
        {
            let next = self.identity(&o.owner);
            if next == who
                || chain.iter().any(|c| self.identity(&c.owner) == next)
                || chain.len() > 8
            {
                break; // a rename (Broadcom Corporation -> Broadcom) or a loop ends the chain
            }
            chain.push(o);
            who = next;
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_files_parse_and_cover_the_common_abbreviations() {
        let r = Reference::get();
        assert!(r.maker_count() >= 200, "{} makers", r.maker_count());
        let ti = r.maker_alias(&alias_key("Texas Instruments")).unwrap();
        assert_eq!(r.maker_alias(&alias_key("TI")), Some(ti));
        let adi = r.maker_alias(&alias_key("Analog Devices")).unwrap();
        assert_eq!(r.maker_alias(&alias_key("ADI")), Some(adi));
        assert_ne!(
            r.maker_alias(&alias_key("Microchip")),
            r.maker_alias(&alias_key("Micron"))
        );
        assert_ne!(
            r.maker_alias(&alias_key("Samsung Electronics")),
            r.maker_alias(&alias_key("Samsung Electro-Mechanics"))
        );
    }

    #[test]
    fn ownership_is_a_chain_not_sameness() {
        let r = Reference::get();
        let owners: Vec<&str> = r
            .owners_of("Spansion")
            .iter()
            .map(|o| o.owner.as_str())
            .collect();
        assert_eq!(owners.first().copied(), Some("Cypress Semiconductor"));
        assert!(owners.contains(&"Infineon Technologies"), "{owners:?}");
        let maxim: Vec<&str> = r
            .owners_of("Maxim Integrated Products")
            .iter()
            .map(|o| o.owner.as_str())
            .collect();
        assert_eq!(maxim, ["Analog Devices"]);
        let (xilinx, amd) = (
            r.maker_alias(&alias_key("Xilinx")),
            r.maker_alias(&alias_key("AMD")),
        );
        assert!(
            xilinx.is_none() || xilinx != amd,
            "Xilinx is owned by AMD, not AMD"
        );
    }

    #[test]
    fn weapon_designations_resolve() {
        let r = Reference::get();
        let w = |n: &str| {
            weapons::plain_keys(n)
                .iter()
                .find_map(|k| r.weapon_alias(k))
        };
        assert!(w("Geran-2").is_some());
        assert_eq!(w("Geran-2"), w("Shahed-136"));
        assert_ne!(w("Shahed-131"), w("Shahed-136"));
        assert_ne!(w("Kh-55"), w("Kh-555"));
    }
}
