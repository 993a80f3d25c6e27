//! Weapon names: the designation and the name of a model, in any script.
//!
//! "Shahed-136", "SHAHED 136", "شاهد 136" and (by the curated list) "Geran-2" are one model;
//! "Kh-101", "X-101", "H-101" and "Х-101" are one designation. Words that say what kind of
//! weapon it is ("cruise missile", "UAV") are set aside. A name that pairs an index with a
//! name ("3M14 Kalibr", "Kh-47M2 Kinzhal", "Shahed-131 / Geran-1") ties both together. Numbers
//! never differ within a model: Kh-55 is not Kh-555, Orlan-10 is not Orlan-30.

use super::reference::Reference;
use super::text::{ascii_words, edits, latin, phonetic};

/// Words that say what kind of weapon it is, never which one.
const TYPE_WORDS: &[&str] = &[
    "uav",
    "uas",
    "drone",
    "missile",
    "cruise",
    "hypersonic",
    "ballistic",
    "loitering",
    "munition",
    "rocket",
    "bomb",
    "guided",
    "kamikaze",
    "attack",
    "reconnaissance",
    "recon",
    "system",
    "complex",
    "mlrs",
    "helicopter",
    "aircraft",
    "unmanned",
    "aerial",
    "vehicle",
    "anti",
    "ship",
    "tank",
    "air",
    "defence",
    "defense",
    "launcher",
    "the",
    "of",
    "type",
    "strike",
];

/// A weapon name taken apart for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct WeaponName {
    /// One key per alternative the name gives ("Shahed-131 / Geran-1" gives two).
    pub keys: Vec<String>,
    /// Phonetic folds of the keys ("SUPERKAM" = "SUPERCAM").
    pub phonetic: Vec<String>,
    /// Entries of the curated designation list the name matched.
    pub aliases: Vec<usize>,
}

fn designation_words(text: &str) -> Vec<String> {
    let (lat, _) = latin(text);
    let mut words = ascii_words(&lat);
    // Kh-, X- and H- before a number are one designation prefix (Х-101 / X-101 / H-101)
    for i in 0..words.len().saturating_sub(1) {
        if matches!(words[i].as_str(), "x" | "h" | "kh")
            && words[i + 1].starts_with(|c: char| c.is_ascii_digit())
        {
            words[i] = "kh".into();
        }
    }
    if let Some(first) = words.first_mut() {
        for prefix in ["x", "h"] {
            if first.len() > 1
                && first.starts_with(prefix)
                && first[1..].chars().all(|c| c.is_ascii_digit())
            {
                *first = format!("kh{}", &first[1..]);
            }
        }
    }
    words
}

fn key_of(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| !TYPE_WORDS.contains(&w.as_str()))
        .map(|w| w.to_uppercase())
        .collect()
}

/// The keys of one alternative: the whole, and — when it starts with an index such as 3M14,
/// 9K515 or Kh-47M2 followed by a name — the index and the name on their own.
fn alternative_keys(text: &str) -> Vec<String> {
    let words = designation_words(text);
    let mut keys = vec![key_of(&words)];
    let index_len = match words.as_slice() {
        [k, n, ..] if k == "kh" && n.starts_with(|c: char| c.is_ascii_digit()) => 2,
        [first, ..]
            if first.starts_with(|c: char| c.is_ascii_digit())
                && first.chars().any(|c| c.is_ascii_alphabetic()) =>
        {
            1
        }
        _ => 0,
    };
    if index_len > 0 && words.len() > index_len {
        let rest = key_of(&words[index_len..]);
        if rest.chars().any(|c| c.is_ascii_alphabetic()) && rest.len() >= 4 {
            keys.push(key_of(&words[..index_len]));
            keys.push(rest);
        }
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// The keys of a name, without looking anything up (the designation list is indexed by these).
pub fn plain_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for alternative in name.split(['/', ';']) {
        keys.extend(alternative_keys(alternative));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The key of a whole name (every alternative, type words set aside), for identity.
pub fn whole_key(name: &str) -> String {
    name.split(['/', ';'])
        .map(|alternative| key_of(&designation_words(alternative)))
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn analyse(name: &str, refs: &Reference) -> WeaponName {
    let keys = plain_keys(name);
    let phonetic = keys.iter().map(|k| phonetic(&k.to_lowercase())).collect();
    let mut aliases: Vec<usize> = keys.iter().filter_map(|k| refs.weapon_alias(k)).collect();
    aliases.sort();
    aliases.dedup();
    WeaponName {
        keys,
        phonetic,
        aliases,
    }
}

/// Digits of a key, in order: two names of one model never differ in them.
fn numbers(key: &str) -> Vec<&str> {
    key.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Blocking keys: every key, its phonetic fold, the alias entries.
pub fn blocking_keys(w: &WeaponName) -> Vec<String> {
    let mut out: Vec<String> = w.keys.iter().map(|k| format!("k:{k}")).collect();
    out.extend(w.phonetic.iter().map(|p| format!("p:{p}")));
    out.extend(w.aliases.iter().map(|a| format!("a:{a}")));
    out.extend(w.keys.iter().map(|k| format!("n:{}", numbers(k).join("-"))));
    out
}

/// Whether two weapon names are one model, with the rule that decided.
pub fn compare(a: &WeaponName, b: &WeaponName, refs: &Reference) -> Option<super::Verdict> {
    use super::Verdict;
    if let Some(x) = a.aliases.iter().find(|x| b.aliases.contains(x)) {
        return Some(Verdict::new(
            1.0,
            format!("designation list: both are {}", refs.weapon_name(*x)),
        ));
    }
    if !a.aliases.is_empty() && !b.aliases.is_empty() {
        return Some(Verdict::different(
            "designation list: different models".into(),
        ));
    }
    if let Some(k) = a.keys.iter().find(|k| b.keys.contains(k)) {
        return Some(Verdict::new(0.99, format!("same designation '{k}'")));
    }
    if a.phonetic.iter().any(|p| b.phonetic.contains(p)) {
        return Some(Verdict::new(0.95, "same name after transliteration".into()));
    }
    for ka in &a.keys {
        for kb in &b.keys {
            let letters = |k: &str| k.chars().filter(|c| c.is_ascii_alphabetic()).count();
            if numbers(ka) == numbers(kb)
                && ka.len() == kb.len()
                && letters(ka) >= 5
                && edits(ka, kb) == 1
            {
                return Some(Verdict::new(
                    0.9,
                    format!("one letter apart with the same numbers ('{ka}', '{kb}')"),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let r = Reference::get();
        compare(&analyse(a, r), &analyse(b, r), r).is_some_and(|v| v.same)
    }

    #[test]
    fn designations_in_any_script_meet() {
        assert!(same("Kh-101", "X-101"));
        assert!(same("Kh-101", "H-101"));
        assert!(same("Kh-101", "Х-101"));
        assert!(same("Shahed 136", "SHAHED-136"));
        assert!(same("KH-55 cruise missile", "Kh55"));
        assert!(same("Орлан-30", "Orlan 30"));
        assert!(same("Суперкам", "Supercam"));
        assert!(same("3M14 Kalibr", "Kalibr"));
        assert!(same("Shahed-131 / Geran-1", "Geran-1"));
        assert!(same("Orkan-10", "Orlan-10"));
    }

    #[test]
    fn different_models_stay_apart() {
        assert!(!same("Kh-55", "Kh-555"));
        assert!(!same("Orlan-10", "Orlan-30"));
        assert!(!same("Supercam S150", "Supercam S350"));
        assert!(!same("Forpost", "Forpost-R"));
        assert!(!same("Geran-2", "Geran-3"));
        assert!(!same("Zala 421-16E", "Zala 421-08"));
    }
}
