//! Names to keys: the pure functions that decide when two texts name the same thing exactly.
//!
//! A key ignores only what never distinguishes two things in this domain: Unicode compatibility
//! forms, letter case, punctuation and spacing, and (for companies) legal forms and a trailing
//! parenthesised note. Fuzzy similarity is *not* decided here: two keys that differ are different
//! until a person (or a reviewed merge) says otherwise. No SQL and no I/O in this module.

use unicode_normalization::UnicodeNormalization;

use crate::matching::reference::Reference;
use crate::matching::{families, labels, makers, parties, parts, weapons};

// the helper lives below matching/, which needs it too; this path is kept for the callers of
// `normalize::split_parenthesised`
pub use crate::matching::text::split_parenthesised;

/// Unicode NFKC, then lowercase: the common first step of every key.
fn fold_case(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

/// Lowercase words of a text: every run of letters or digits is a word, everything else
/// separates words. "Texas Instruments, Inc." -> ["texas", "instruments", "inc"].
pub fn words(text: &str) -> Vec<String> {
    fold_case(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The identity key of a company name: its words in Latin letters without legal forms, a
/// leading Chinese city or a parenthesised note, spaces removed; or, when the curated alias list
/// knows the name, "=" and the key of the maker it names. "TEXAS INSTRUMENTS INC.", "Texas
/// Instruments" and "TI" share one key, and so does "Texas Instruments Suppliers JSC CHIP AND
/// DIP" (a label naming a supplier after the maker: matching/parties.rs). Empty when nothing identifying is left.
pub fn company_key(name: &str) -> String {
    // a published label that names suppliers after the maker is keyed as its maker
    let name = parties::maker_of(name);
    let refs = Reference::get();
    let m = makers::analyse(name, refs);
    match m.identity_alias {
        Some(id) => format!("={}", makers::alias_key(refs.maker_name(id))),
        None => m.compact,
    }
}

/// The identity key of a part name: its code without maker names, category words and
/// packaging or ordering suffixes ("ST STM32F405RGT6 MCU" and "stm32f405 rgt6/TR" share
/// STM32F405RGT6). A dot between digits is kept: 18.432 MHz is not 1.8432 MHz. OCR look-alikes
/// are *not* folded here; that is a candidate for review (`comptrace dedup`), not identity.
pub fn code_key(text: &str) -> String {
    // the key of a key is itself: analyse again until nothing more is set aside (a suffix
    // hidden behind a maker's name, say), which takes at most a few rounds
    let mut key = parts::analyse(text, Reference::get(), &|_| false).code;
    for _ in 0..4 {
        let again = parts::analyse(&key, Reference::get(), &|_| false).code;
        if again == key {
            break;
        }
        key = again;
    }
    key
}

/// What identifies the part a finding names (docs/matching.md, "Family words").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartIdentity {
    /// The part number, else the component name, is the code: its key (`code_key`).
    Stated(String),
    /// The part number named a family, a technology, a package or a maker ("GNSS", "TQFP44",
    /// "ALTERA"); the code found in the component text identifies the part.
    InText { code: String, key: String },
    /// The part number named a family and the component text carried no code: the part is
    /// known for this finding alone.
    Unidentified,
    /// The part number is the tail of a longer code the component text carries ("2411WI" of
    /// "TEN 8-2411WI"): that code identifies the part.
    Truncated { code: String, key: String },
}

/// The identity of a finding's part from its part number, component text and maker as stated:
/// a part number that names a family, or a piece of one ("422/RS" of "RS-422/RS-485"), is never
/// an identity (`families::names_a_family`); the first code of the component text stands in for
/// it (`families::code_in_text`). A part number cut from the front of a code the text carries
/// is completed from it (`families::fragment`).
pub fn part_identity(
    part_number: Option<&str>,
    component: Option<&str>,
    maker: Option<&str>,
) -> PartIdentity {
    let refs = Reference::get();
    let Some(pn) = part_number else {
        return PartIdentity::Stated(code_key(component.unwrap_or_default()));
    };
    let family = families::names_a_family(pn, maker, component, refs);
    let fragment = match family {
        true => None,
        false => component.and_then(|text| families::fragment(pn, text, maker, refs)),
    };
    if family || fragment == Some(families::Fragment::OfFamily) {
        return component
            .and_then(|text| families::code_in_text(text, maker, refs))
            .map(|code| (code_key(&code), code))
            .filter(|(key, _)| !key.is_empty())
            .map_or(PartIdentity::Unidentified, |(key, code)| {
                PartIdentity::InText { code, key }
            });
    }
    match fragment {
        Some(families::Fragment::TailOf(code)) if !code_key(&code).is_empty() => {
            PartIdentity::Truncated {
                key: code_key(&code),
                code,
            }
        }
        _ => PartIdentity::Stated(code_key(pn)),
    }
}

/// Whether a name given on the command line names a family, a technology or a package ("GNSS",
/// "TQFP44"): its key finds no part, the exact spelling finds every part logged under it.
pub fn names_a_family(text: &str) -> bool {
    families::names_a_family(text, None, None, Reference::get())
}

/// The name of a part known for one finding alone: "unidentified GNSS (U-blox)". The maker's
/// parenthesised note (an owner) is left out.
pub fn unidentified_name(stated: &str, maker: Option<&str>) -> String {
    match maker.map(|m| split_parenthesised(m).0) {
        Some(m) if !m.is_empty() => format!("unidentified {} ({m})", stated.trim()),
        _ => format!("unidentified {}", stated.trim()),
    }
}

/// The identity key of a weapon model name: designation and name without type words, in Latin
/// letters ("Х-101" = "X-101" = "Kh-101"); or, when the curated designation list knows it, "="
/// and the key of the model it names ("Geran-2" = "Shahed-136").
pub fn weapon_key(name: &str) -> String {
    let refs = Reference::get();
    // a published label names a model and often a unit ("Orlan-10 UAV No. 14662"): the key is
    // the model's
    let name = labels::parse(name, refs).model;
    let name = name.as_str();
    let w = weapons::analyse(name, refs);
    match w.aliases.as_slice() {
        [one] => format!("={}", weapons::plain_keys(refs.weapon_name(*one)).join("/")),
        _ => settled(weapons::whole_key(name), weapons::whole_key),
    }
}

/// A key that is its own key: words joined across punctuation can spell a word the rules set
/// aside ("o(f" gives OF, and "of" is a filler word), so the rule runs again until nothing
/// changes (a key only ever shrinks, so this ends).
fn settled(mut key: String, rule: impl Fn(&str) -> String) -> String {
    loop {
        let again = rule(&key);
        if again == key {
            return key;
        }
        key = again;
    }
}

/// Trims a field and turns an empty one into None.
pub fn non_empty(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weapon_key_is_its_own_key_even_when_joined_words_spell_a_filler() {
        // found by the property test below: "o(f" keyed to OF, and OF to nothing
        for name in ["o(f", "O F", "of", "Orlan-10 UAV No. 14662"] {
            let k = weapon_key(name);
            assert_eq!(weapon_key(&k), k, "{name}");
        }
    }

    #[test]
    fn company_legal_forms_case_and_aliases_do_not_count() {
        let ti = company_key("Texas Instruments");
        for v in [
            "TEXAS INSTRUMENTS INC.",
            "texas instruments inc",
            "Texas Instruments Incorporated",
            "TI",
        ] {
            assert_eq!(company_key(v), ti, "{v}");
        }
        assert_eq!(
            company_key("Hirose Electric Co Ltd"),
            company_key("HIROSE ELECTRIC")
        );
        assert_eq!(
            company_key("Robert Bosch GmbH"),
            company_key("Robert Bosch")
        );
        assert_eq!(company_key("Xilinx Inc. (AMD)"), company_key("Xilinx"));
        assert_ne!(
            company_key("Xilinx"),
            company_key("AMD"),
            "ownership is not sameness"
        );
        assert_eq!(
            split_parenthesised("Xilinx Inc. (AMD)"),
            ("Xilinx Inc.", Some("AMD"))
        );
        assert_eq!(split_parenthesised("(unknown)"), ("(unknown)", None));
    }

    #[test]
    fn a_name_that_normalises_to_nothing_has_an_empty_key() {
        assert_eq!(company_key("  ...  "), "");
        assert_eq!(code_key("--"), "");
    }

    #[test]
    fn different_companies_keep_different_keys() {
        assert_ne!(company_key("Microchip"), company_key("Micron"));
        assert_ne!(
            company_key("Samsung Electronics"),
            company_key("Samsung Electro-Mechanics")
        );
        assert_ne!(
            company_key("Texas Instruments"),
            company_key("National Instruments")
        );
    }

    #[test]
    fn code_key_ignores_format_and_packaging_but_keeps_values() {
        assert_eq!(code_key("stm32f405 rgt6"), "STM32F405RGT6");
        assert_eq!(code_key("STM32F405RGT6/TR"), "STM32F405RGT6");
        assert_eq!(code_key("NEO-M8N"), code_key("neo m8n"));
        assert_ne!(code_key("ASV-18.432MHZ"), code_key("ASV-1.8432MHZ"));
        assert_ne!(code_key("STM32F405RGT6"), code_key("STM32F407VGT6"));
        assert_ne!(code_key("ATMEGA328P"), code_key("ATMEGA328"));
        assert_ne!(
            code_key("STM32F4O5RGT6"),
            code_key("STM32F405RGT6"),
            "OCR is for review, not identity"
        );
    }

    #[test]
    fn a_part_number_that_names_a_family_gives_way_to_the_code_in_the_text() {
        let id = |pn: &str, text: &str| part_identity(Some(pn), Some(text), Some("U-blox"));
        assert_eq!(
            id("GNSS", "GNSS receiver NEO-M8N"),
            PartIdentity::InText {
                code: "NEO-M8N".into(),
                key: code_key("NEO-M8N")
            }
        );
        assert_ne!(
            id("GNSS", "GNSS receiver NEO-M8N"),
            id("GNSS", "GNSS module LEA-M8S")
        );
        assert_eq!(id("GNSS", "GNSS antenna"), PartIdentity::Unidentified);
        assert_eq!(
            id("422/RS", "RS-422/RS-485 receiver (MAX3471EUA)"),
            id("RS-422", "RS-422/RS-485 receiver (MAX3471EUA)"),
        );
        assert_eq!(
            id("2411WI", "DC/DC converter TEN 8-2411WI"),
            PartIdentity::Truncated {
                code: "TEN 8-2411WI".into(),
                key: code_key("TEN 8-2411WI")
            }
        );
        assert_ne!(
            id("2411WI", "DC/DC converter TEN 8-2411WI"),
            id("2411WI", "DC/DC converter THN 30-2411WI")
        );
        assert_eq!(
            id(
                "TIWI-BLE",
                "WiFi and Bluetooth module TIWI-BLE p/n 450-0064"
            ),
            PartIdentity::Stated(code_key("TIWI-BLE"))
        );
        assert_eq!(
            part_identity(None, Some("GNSS module"), None),
            PartIdentity::Stated(code_key("GNSS module")),
            "a name without a part number is the part's name, as before"
        );
        assert_eq!(
            unidentified_name("GNSS", Some("U-blox")),
            "unidentified GNSS (U-blox)"
        );
        assert_eq!(
            unidentified_name("FPGA", Some("Xilinx Inc. (AMD)")),
            "unidentified FPGA (Xilinx Inc.)"
        );
        assert_eq!(unidentified_name("CMOS", None), "unidentified CMOS");
    }

    #[test]
    fn fullwidth_and_compatibility_forms_fold() {
        assert_eq!(code_key("ＳＴＭ３２"), "STM32");
        assert_eq!(company_key("Ｔｅｘａｓ"), company_key("texas"));
    }

    #[test]
    fn weapon_keys_join_spellings_scripts_and_designations() {
        assert_eq!(weapon_key("Shahed-136"), weapon_key("Shahed 136"));
        assert_eq!(weapon_key("Kh-101"), weapon_key("Х-101"));
        assert_eq!(weapon_key("Geran-2"), weapon_key("Shahed-136"));
        assert_ne!(weapon_key("Kh-55"), weapon_key("Kh-555"));
        assert_eq!(
            weapon_key("UAV \"GERAN-2\" (Shahed-136) Ы-954"),
            weapon_key("Shahed-136")
        );
        assert_eq!(weapon_key("Orlan-10 UAV No. 14662"), weapon_key("Orlan 10"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Names as they come: any Unicode, with the punctuation, digits, scripts and suffixes
    /// real input carries.
    fn names() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[A-Za-z0-9 .,/#()&+-]{0,40}",
            "(Texas|TI|Shenzhen|ST|Х|Kh|Co\\.|Ltd|GmbH|\\(AMD\\)|-TR|/TR|#PBF|camera|MCU|[0-9]{1,4}| ){1,8}",
            "[\\p{Cyrillic}\\p{Arabic}\\p{Han} 0-9-]{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn keys_never_panic_and_are_idempotent(name in names()) {
            let c = company_key(&name);
            prop_assert_eq!(company_key(&c), c.clone(), "company_key of {:?}", name);
            let p = code_key(&name);
            prop_assert_eq!(code_key(&p), p.clone(), "code_key of {:?}", name);
            let w = weapon_key(&name);
            prop_assert_eq!(weapon_key(&w), w.clone(), "weapon_key of {:?}", name);
        }

        #[test]
        fn part_identity_never_panics(pn in names(), text in names(), maker in names()) {
            let id = part_identity(Some(&pn), Some(&text), Some(&maker));
            prop_assert_eq!(part_identity(Some(&pn), Some(&text), Some(&maker)), id);
        }
    }
}
