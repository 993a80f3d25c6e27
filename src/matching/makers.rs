//! Company names: what identifies a maker in a name, and when two names are the same maker.
//!
//! A name is reduced to words in Latin letters without legal forms ("Co., Ltd.", "GmbH", "JSC"),
//! without a leading Chinese city ("Shenzhen ..."), and without a trailing parenthesis (kept as
//! a hint: an owner or a country). Two names are the same maker when the curated alias list
//! says so, when those words are equal (spaces aside), when they are equal without generic
//! trailing words ("Technology", "Semiconductor"), when they are one or two typing slips apart
//! on a long name, or — for a name written in another script — when they sound the same.
//! Two names the alias list gives to two different makers are never the same.

use super::reference::Reference;
use super::text::{ascii_words, consonant_skeleton, edits, latin, phonetic, split_parenthesised};
use super::Verdict;

/// Legal forms stripped from the end of names, as word sequences ("s a" is "S.A.", "co kg"
/// is "& Co. KG"). Single letters are stripped only as part of such a sequence, so "R&S" keeps
/// its letters.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "l l c",
    "plc",
    "gmbh",
    "gmbh co kg",
    "co kg",
    "kg",
    "ag",
    "se",
    "sa",
    "s a",
    "sas",
    "s a s",
    "sarl",
    "srl",
    "s r l",
    "spa",
    "s p a",
    "nv",
    "n v",
    "bv",
    "b v",
    "ab",
    "oy",
    "oyj",
    "as",
    "a s",
    "asa",
    "aps",
    "kk",
    "k k",
    "jsc",
    "pjsc",
    "ojsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "llp",
    "lp",
    "pte",
    "pty",
    "pvt",
    "bhd",
    "sdn bhd",
    "sdn",
    "s de rl de cv",
    "sa de cv",
    "s de r l",
    "group",
    "holding",
    "holdings",
];

/// How many words remain after removing the longest legal form that ends the name (at least
/// one word always remains).
fn without_legal_form(words: &[String]) -> usize {
    let mut best = words.len();
    for form in LEGAL_FORMS {
        let parts: Vec<&str> = form.split(' ').collect();
        if parts.len() < words.len()
            && words[words.len() - parts.len()..]
                .iter()
                .zip(&parts)
                .all(|(w, p)| w == p)
        {
            best = best.min(words.len() - parts.len());
        }
    }
    best
}

/// Words that say what kind of company it is; dropped from the end to find the core name.
/// Not "instruments" or "devices": National Instruments and National Semiconductor differ.
const GENERIC: &[&str] = &[
    "technology",
    "technologies",
    "tech",
    "semiconductor",
    "semiconductors",
    "electronics",
    "electronic",
    "integrated",
    "products",
    "solutions",
    "manufacturing",
    "industries",
    "industrial",
    "international",
    "motor",
    "motors",
    "systems",
    "components",
    "company",
    "works",
    "factory",
    "enterprise",
];

/// First words of Chinese legal names that give the city, not the company.
const CITIES: &[&str] = &[
    "shenzhen",
    "shanghai",
    "beijing",
    "guangzhou",
    "xiamen",
    "hangzhou",
    "suzhou",
    "nanjing",
    "wuhan",
    "chengdu",
    "dongguan",
    "ningbo",
    "tianjin",
    "xian",
    "zhuhai",
    "foshan",
    "changsha",
    "qingdao",
    "hefei",
    "jiangsu",
    "guangdong",
    "zhejiang",
    "hong",
];

/// A company name taken apart for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct MakerName {
    /// Words without legal forms, city prefix or parenthesis.
    pub words: Vec<String>,
    /// The words joined without spaces: "AdvancedMicro Devices" = "Advanced Micro Devices".
    pub compact: String,
    /// The compact form without generic trailing words ("hobbywing" for Hobbywing Technology).
    pub core: String,
    /// The maker the curated alias list names, if any.
    pub alias: Option<usize>,
    /// The name was written in another script (transliterated to match).
    pub foreign: bool,
    /// Consonant skeleton of the phonetic fold, for names from another script.
    pub skeleton: String,
    /// The parenthesised note, kept aside ("AMD" in "Xilinx Inc. (AMD)").
    pub hint: Option<String>,
}

/// The words of a company name that identify it (see the module comment).
pub fn base_words(name: &str) -> (Vec<String>, bool, Option<String>) {
    let (head, hint) = split_parenthesised(name);
    let (latin_head, foreign) = latin(head);
    let mut words = ascii_words(&latin_head);
    loop {
        let keep = without_legal_form(&words);
        if keep == words.len() {
            break;
        }
        words.truncate(keep);
    }
    if words.len() > 1 && CITIES.contains(&words[0].as_str()) {
        words.remove(0);
        if words.first().is_some_and(|w| w == "kong") && words.len() > 1 {
            words.remove(0);
        }
    }
    words.dedup();
    (words, foreign, hint.map(str::to_string))
}

/// The compact key the alias list is indexed by.
pub fn alias_key(name: &str) -> String {
    base_words(name).0.concat()
}

fn core_of(words: &[String]) -> String {
    let mut end = words.len();
    while end > 1 && GENERIC.contains(&words[end - 1].as_str()) {
        end -= 1;
    }
    words[..end].concat()
}

pub fn analyse(name: &str, refs: &Reference) -> MakerName {
    let (words, foreign, hint) = base_words(name);
    let compact = words.concat();
    let core = core_of(&words);
    let alias = refs
        .maker_alias(&compact)
        .or_else(|| (core.len() >= 4).then(|| refs.maker_alias(&core)).flatten());
    let skeleton = if foreign {
        consonant_skeleton(&phonetic(&compact))
    } else {
        String::new()
    };
    MakerName {
        words,
        compact,
        core,
        alias,
        foreign,
        skeleton,
        hint,
    }
}

/// Keys under which two names that may be the same maker meet (blocking). Deletion variants
/// of each word find names one slip apart without comparing all pairs.
pub fn blocking_keys(m: &MakerName) -> Vec<String> {
    let mut keys = Vec::new();
    if m.compact.is_empty() {
        return keys; // a name that normalises to nothing never matches anything
    }
    if let Some(a) = m.alias {
        keys.push(format!("a:{a}"));
    }
    keys.push(format!("c:{}", m.compact));
    keys.push(format!("k:{}", m.core));
    let phon_core = consonant_skeleton(&phonetic(&m.core));
    keys.push(format!("s:{phon_core}"));
    for w in m.words.iter().chain(std::iter::once(&m.compact)) {
        if w.len() >= 5 {
            for i in 0..w.len() {
                let mut d = w.clone();
                d.remove(i);
                keys.push(format!("d:{d}"));
            }
        }
    }
    keys
}

/// Whether two maker names are the same maker, with the rule that decided.
pub fn compare(a: &MakerName, b: &MakerName, refs: &Reference) -> Option<Verdict> {
    if a.compact.is_empty() || b.compact.is_empty() {
        return None;
    }
    match (a.alias, b.alias) {
        (Some(x), Some(y)) if x == y => {
            return Some(Verdict::new(
                1.0,
                format!("alias list: both are {}", refs.maker_name(x)),
            ))
        }
        (Some(x), Some(y)) => {
            return Some(Verdict::different(format!(
                "alias list: {} and {} are different makers",
                refs.maker_name(x),
                refs.maker_name(y)
            )))
        }
        _ => {}
    }
    if numbers(&a.compact) != numbers(&b.compact) {
        return None;
    }
    if a.compact == b.compact {
        return Some(Verdict::new(
            0.99,
            "same name apart from case, punctuation and legal form".into(),
        ));
    }
    let stripped = a.core != a.compact || b.core != b.compact;
    if a.core == b.core && (a.core.len() >= 4 || a.core.len() >= 3 && stripped) {
        return Some(Verdict::new(
            0.95,
            format!("same name without generic words ('{}')", a.core),
        ));
    }
    if let Some(v) = slips(&a.compact, &b.compact).or_else(|| slips(&a.core, &b.core)) {
        return Some(v);
    }
    if a.foreign != b.foreign {
        let (f, l) = if a.foreign { (a, b) } else { (b, a) };
        let latin_skeletons = [
            consonant_skeleton(&phonetic(&l.compact)),
            consonant_skeleton(&phonetic(&l.core)),
        ];
        // short skeletons say too little: "infn" is both Инфинеон and the typo "Infinea"
        if f.skeleton.len() >= 5 && latin_skeletons.contains(&f.skeleton) {
            return Some(Verdict::new(0.9, "same sound after transliteration".into()));
        }
    }
    None
}

/// Typing slips: one edit on names of 5-9 letters, two on longer ones, first letter kept.
fn slips(a: &str, b: &str) -> Option<Verdict> {
    let len = a.len().min(b.len());
    let allowed = match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    };
    if allowed == 0 || a.chars().next() != b.chars().next() {
        return None;
    }
    let d = edits(a, b);
    (d <= allowed).then(|| {
        Verdict::new(
            1.0 - d as f64 / (2.0 * len as f64).max(1.0) - 0.05,
            format!("{d} typing slip{} apart", if d == 1 { "" } else { "s" }),
        )
    })
}

fn numbers(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let r = Reference::get();
        compare(&analyse(a, r), &analyse(b, r), r).is_some_and(|v| v.same)
    }

    #[test]
    fn legal_forms_punctuation_and_cities_do_not_count() {
        assert!(same("Texas Instruments", "TEXAS INSTRUMENTS INC."));
        assert!(same("Advanced Micro Devices", "AdvancedMicro Devices"));
        assert!(same("Viewpro", "Shenzhen Viewpro Technology Co., Ltd."));
        assert!(same("u-blox", "ublox"));
        assert!(same(
            "Hobbywing Technology",
            "Hobbywing Technology Technology Co., Ltd."
        ));
        assert!(same("Infinera (USA)", "Infinera B.V."));
        assert!(same(
            "Advanced Micro Devices, Technology Co., Ltd.",
            "Advanced Micro Devices"
        ));
        assert!(same("Robert Bosch GmbH & Co. KG", "Robert Bosch"));
        assert_eq!(
            base_words("R&S").0,
            ["r", "s"],
            "single letters go only as part of a legal form"
        );
    }

    #[test]
    fn slips_and_scripts_are_forgiven_on_long_names() {
        assert!(same("Cypress Semiconductor", "Cypress Smeiconductor"));
        assert!(same("Holybro", "Hloybro"));
        assert!(same("Texas Instruments", "Техас Инструментс"));
        assert!(same("Microchip Technology", "Майкрочип"));
    }

    #[test]
    fn different_makers_stay_apart() {
        assert!(!same("Microchip", "Micron"));
        assert!(!same("Texas Instruments", "National Instruments"));
        assert!(!same("Samsung Electronics", "Samsung Electro-Mechanics"));
        assert!(!same("Maxim", "Maxon"));
        assert!(!same("Infineon", "Infinera"));
        assert!(!same("...", "---"));
    }
}
