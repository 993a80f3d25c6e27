//! Weapon names: the designation and the name of a model, in any script.
//!
//! "Shahed-136", "SHAHED 136", "شاهد 136" and (by the curated list) "Geran-2" are one model;
//! "Kh-101", "X-101", "H-101" and "Х-101" are one designation. Words that say what kind of
//! weapon it is ("cruise missile", "UAV") are set aside. A name that pairs an index with a
//! name ("3M14 Kalibr", "Kh-47M2 Kinzhal", "Shahed-131 / Geran-1") ties both together. Numbers
//! never differ within a model: Kh-55 is not Kh-555, Orlan-10 is not Orlan-30.

use super::reference::Reference;
use super::scripts::one_script_per_word;
use super::text::{ascii_words, edits, latin, phonetic, split_parenthesised};

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
    // the same words as Russian and Ukrainian catalogues write them, transliterated (any-ascii):
    // "ракета Х-101", "БпЛА Шахед-136", "ударный БПЛА Герань-2", "крилата ракета Х-101",
    // with the case endings a label gives them
    "raketa",
    "rakety",
    "raketnyi",
    "krylataia",
    "krylataya",
    "krylata",
    "krylatoi",
    "kr",
    "ballisticheskaia",
    "ballisticheskaya",
    "balistychna",
    "bpla",
    "bespilotnik",
    "bezpilotnyk",
    "dron",
    "kamikadze",
    "udarnyi",
    "udarnyy",
    "udarnyj",
    "otrk",
    "rszo",
    "zrk",
    "kompleks",
    "upravliaemaia",
    "upravliaemyi",
    "aviabomba",
];

/// Words that describe one unit's look, never the model: its colour or finish ("UAV GERAN-2
/// black": a Geran-2 painted black), and a calibre's unit ("300 mm 9M549").
const DESCRIPTIVE_WORDS: &[&str] = &[
    "black",
    "white",
    "grey",
    "gray",
    "green",
    "red",
    "blue",
    "yellow",
    "brown",
    "camouflage",
    "camouflaged",
    "painted",
    // (issue 14, round 4) shades and finishes ("Geran-2 dark grey", "in black livery"), and
    // the colours Russian and Ukrainian labels write (чёрный, чорний, білий, серый, сірий),
    // transliterated
    "dark",
    "olive",
    "khaki",
    "silver",
    "orange",
    "matte",
    "livery",
    "colour",
    "color",
    "in",
    "chernyi",
    "chornyi",
    "belyi",
    "bilyi",
    "seryi",
    "siryi",
    "mm",
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
    /// Indexes the name pairs with a name ("9M549" of "Tornado-C 9M549"): two names with
    /// indexes and none in common are two models, whatever name they share.
    pub indexes: Vec<String>,
    /// The key without a first word before a named designation (`key_after_first_word`).
    pub after_first_word: Option<String>,
}

fn designation_words(text: &str) -> Vec<String> {
    let (lat, _) = latin(&one_script_per_word(text));
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

/// Whether a word says nothing of which model it is: a type word, a colour, a calibre ("300"
/// before "mm").
fn says_nothing(words: &[String], i: usize) -> bool {
    let w = words[i].as_str();
    TYPE_WORDS.contains(&w)
        || DESCRIPTIVE_WORDS.contains(&w)
        || w.chars().all(|c| c.is_ascii_digit()) && words.get(i + 1).is_some_and(|n| n == "mm")
}

fn key_of(words: &[String]) -> String {
    (0..words.len())
        .filter(|&i| !says_nothing(words, i))
        .map(|i| &words[i])
        .map(|w| w.to_uppercase())
        .collect()
}

/// Whether a word is an index: digits, letters, digits ("9M549", "3M14", "9K515", "1L111M"),
/// not a designation's tail cut off at a hyphen ("2R" of Molniya-2R, "5UN", "2A").
fn is_index(word: &str) -> bool {
    let body = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let letters = body.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    body.len() < word.len()
        && letters.len() < body.len()
        && letters.starts_with(|c: char| c.is_ascii_digit())
}

/// Where an index stands among the words of a name (its first word and how many words), type
/// words and calibres aside, and whether it comes first: "9M549 Tornado-S", "Kh-47M2
/// Kinzhal" (first), or "Tornado-C 9M549 MLRS guided missile" (after a name of one or two
/// words, with nothing but type words after it).
fn index_at(words: &[String]) -> Option<(usize, usize, bool)> {
    let telling: Vec<usize> = (0..words.len())
        .filter(|&i| !says_nothing(words, i))
        .collect();
    telling.iter().enumerate().find_map(|(n, &i)| {
        let w = &words[i];
        let len = if w == "kh"
            && words
                .get(i + 1)
                .is_some_and(|x| x.starts_with(|c: char| c.is_ascii_digit()))
        {
            2
        } else if is_index(w) {
            1
        } else {
            return None;
        };
        let last_telling = telling[telling.len() - 1] < i + len;
        match n {
            0 => Some((i, len, true)),
            1 | 2 if last_telling => Some((i, len, false)),
            _ => None,
        }
    })
}

/// The index and the name of one alternative, when it pairs an index with a name of four
/// letters or more ("3M14 Kalibr", "Tornado-C 9M549 MLRS guided missile"); the name only
/// when the index comes first: a name before an index is a system's ("Tornado-C" fires the
/// 9M544 and the 9M549), and would tie two of its missiles together.
fn index_and_name(text: &str) -> Option<(String, Option<String>)> {
    // a trailing note ("(researched in May 2024)") is no part of the name
    let words = designation_words(split_parenthesised(text).0);
    let (at, len, first) = index_at(&words)?;
    let rest: Vec<String> = words[..at]
        .iter()
        .chain(&words[at + len..])
        .cloned()
        .collect();
    let name = key_of(&rest);
    (name.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 4)
        .then(|| (key_of(&words[at..at + len]), first.then_some(name)))
}

/// The keys of one alternative: the whole, and — when it pairs an index such as 3M14, 9K515
/// or Kh-47M2 with a name — the index and (index first) the name on their own.
fn alternative_keys(text: &str) -> Vec<String> {
    let words = designation_words(text);
    let mut keys = vec![key_of(&words)];
    if let Some((index, name)) = index_and_name(text) {
        keys.push(index);
        keys.extend(name);
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// The alternatives of a name written with "/" or ";", a bare number completed by the letters
/// of the one before ("KN-23/24" names KN-23 and KN-24).
fn alternatives(name: &str) -> Vec<String> {
    let name = without_repeated_note(name);
    let mut out: Vec<String> = Vec::new();
    for alternative in name.split(['/', ';']) {
        let bare_number = {
            let t = alternative.trim();
            !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
        };
        match out.last() {
            Some(previous) if bare_number => {
                let head = previous.trim_end_matches(|c: char| c.is_ascii_digit());
                out.push(format!("{head}{}", alternative.trim()));
            }
            _ => out.push(alternative.to_string()),
        }
    }
    out
}

/// A name without a trailing parenthesis that only repeats it, in another script or spacing
/// ("Kh-101 (Х-101)", "Geran-2 (Герань-2)"): the note names no second model. Any other
/// note stays part of the name.
fn without_repeated_note(name: &str) -> &str {
    match split_parenthesised(name) {
        (head, Some(note))
            if !key_of(&designation_words(head)).is_empty()
                && key_of(&designation_words(note)) == key_of(&designation_words(head)) =>
        {
            head
        }
        _ => name,
    }
}

/// The key of a name without its first word, when that word is a word of letters before a
/// named designation: a maker's or a series' name ("Zala Lancet-3", "Qods Mohajer-6"). Only
/// where what remains has a name of four letters or more and a number: "Supercam S350"
/// leaves "S350", an index that could be another system (the S-350 air defence), and keeps
/// its first word. Candidates only: the identity key keeps the word.
fn key_after_first_word(name: &str) -> Option<String> {
    let words = designation_words(split_parenthesised(name).0);
    let telling: Vec<usize> = (0..words.len())
        .filter(|&i| !says_nothing(&words, i))
        .collect();
    let (&first, rest) = telling.split_first()?;
    let remainder: Vec<String> = rest.iter().map(|&i| words[i].clone()).collect();
    let named = remainder
        .iter()
        .any(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()));
    let numbered = remainder
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_digit()));
    let first_is_word =
        words[first].len() >= 3 && words[first].chars().all(|c| c.is_ascii_alphabetic());
    (first_is_word && named && numbered).then(|| key_of(&remainder))
}

/// The keys of a name, without looking anything up (the designation list is indexed by these).
pub fn plain_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for alternative in alternatives(name) {
        keys.extend(alternative_keys(&alternative));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The key of a whole name (every alternative, type words set aside), for identity.
pub fn whole_key(name: &str) -> String {
    alternatives(name)
        .iter()
        .map(|alternative| key_of(&designation_words(alternative)))
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn analyse(name: &str, refs: &Reference) -> WeaponName {
    if names_two_models(name, refs) {
        // "Ballistic missile KN-23/KN-24": one of two models, never a bridge between them; it
        // meets only a label naming the same two
        let key = whole_key(name);
        return WeaponName {
            phonetic: vec![],
            keys: vec![key],
            aliases: vec![],
            indexes: vec![],
            after_first_word: None,
        };
    }
    let keys = plain_keys(name);
    let mut phonetic: Vec<String> = keys.iter().map(|k| phonetic(&k.to_lowercase())).collect();
    if latin(name).1 {
        phonetic.extend(
            keys.iter()
                .map(|k| cyrillic_sounds_as_latin(&k.to_lowercase())),
        );
    } else {
        phonetic.extend(
            keys.iter()
                .map(|k| latin_as_cyrillic_writes(&k.to_lowercase())),
        );
    }
    phonetic.sort();
    phonetic.dedup();
    let mut aliases: Vec<usize> = keys.iter().filter_map(|k| refs.weapon_alias(k)).collect();
    if aliases.is_empty() && latin(name).1 {
        // a name from another script that the list does not hold as written: its
        // transliteration may sound as one of the list's Latin spellings does ("Зульфикар" is
        // Zulfiqar, so Zolfaghar)
        aliases.extend(phonetic.iter().filter_map(|p| refs.weapon_by_sound(p)));
    }
    aliases.sort();
    aliases.dedup();
    let mut indexes: Vec<String> = alternatives(name)
        .iter()
        .filter_map(|a| index_and_name(a).map(|(index, _)| index))
        .collect();
    indexes.sort();
    indexes.dedup();
    let after_first_word = key_after_first_word(name).filter(|k| !keys.contains(k));
    WeaponName {
        keys,
        phonetic,
        aliases,
        indexes,
        after_first_word,
    }
}

/// The phonetic fold of a transliterated key read as the Latin letters Russian and Ukrainian
/// write for sounds they lack: Х for an English or Persian h ("Фатех" = Fateh, "Мохаджер" =
/// Mohajer) and Дж/Ж for j. Any-ascii writes these kh, dzh and zh, which the plain fold
/// keeps apart from h and j; numbers are untouched, so Фатех-110 still differs from Fateh-313.
/// Only for names written in another script: two Latin spellings "Kh..." and "H..." are not
/// one name by this.
fn cyrillic_sounds_as_latin(key: &str) -> String {
    let key = key.strip_prefix("kh").map_or_else(
        || key.to_string(),
        // the designation prefix Kh- (Х-101) keeps its fold, which the Latin side also has
        |rest| {
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                key.to_string()
            } else {
                format!("h{rest}")
            }
        },
    );
    phonetic(
        &key.replace("kh", "h")
            .replace("dzh", "j")
            .replace("zh", "j"),
    )
}

/// The phonetic fold of a Latin key spelt as Russian and Ukrainian write its sounds, so that the
/// Cyrillic spelling of a name transliterated back meets it: a soft c (before e, i, y) is Ц,
/// "ts" (Lancet = Ланцет); "gh", a Persian or Arabic sound, is Г (Zolfaghar = Золфагар); a
/// Korean syllable's final "ng" before the number or at the end is Н by the Russian
/// convention (Hwasong-15 = Хвасон-15). Numbers are untouched, so Lancet-1 ≠ Ланцет-3.
fn latin_as_cyrillic_writes(key: &str) -> String {
    let chars: Vec<char> = key.replace("gh", "g").chars().collect();
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == 'c' && next.is_some_and(|n| "eiy".contains(n)) {
            out.push_str("ts");
        } else if c == 'g'
            && out.ends_with('n')
            && next.is_none_or(|n| n.is_ascii_digit())
            && chars[..i.saturating_sub(1)]
                .iter()
                .any(|p| "aeiou".contains(*p))
        {
            // the "g" of a final "ng": dropped
        } else {
            out.push(c);
        }
    }
    phonetic(&out)
}

/// The sound folds of a key of the designation list written in Latin letters (plain, and as
/// Russian writes its sounds); none for a key from another script or without a letter.
pub fn latin_sounds(key: &str) -> Vec<String> {
    let lower = key.to_lowercase();
    if !lower.is_ascii() || !lower.chars().any(|c| c.is_ascii_alphabetic()) {
        return Vec::new();
    }
    let mut out = vec![phonetic(&lower), latin_as_cyrillic_writes(&lower)];
    out.dedup();
    out
}

/// Whether a name's alternatives name two models: two designations whose numbers differ
/// ("KN-23/KN-24", "KN-23/24", "Kh-59M2/M2A"), unless the designation list makes them one
/// ("Shahed-131 / Geran-1").
fn names_two_models(name: &str, refs: &Reference) -> bool {
    let designations: Vec<String> = alternatives(name)
        .iter()
        .map(|a| key_of(&designation_words(a)))
        .filter(|k| k.chars().any(|c| c.is_ascii_digit()))
        .collect();
    designations.iter().enumerate().any(|(i, x)| {
        designations[i + 1..].iter().any(|y| {
            let one_by_list =
                refs.weapon_alias(x).is_some() && refs.weapon_alias(x) == refs.weapon_alias(y);
            numbers(x) != numbers(y) && !one_by_list
        })
    })
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
    out.extend(w.after_first_word.iter().map(|k| format!("k:{k}")));
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
    if !a.indexes.is_empty()
        && !b.indexes.is_empty()
        && !a.indexes.iter().any(|i| b.indexes.contains(i))
    {
        return Some(Verdict::different(format!(
            "two indexes of one name: {} and {}",
            a.indexes.join("/"),
            b.indexes.join("/")
        )));
    }
    if let Some(k) = a.keys.iter().find(|k| b.keys.contains(k)) {
        return Some(Verdict::new(0.99, format!("same designation '{k}'")));
    }
    if a.phonetic.iter().any(|p| b.phonetic.contains(p)) {
        return Some(Verdict::new(0.95, "same name after transliteration".into()));
    }
    let after_word = |x: &WeaponName, y: &WeaponName| {
        x.after_first_word
            .as_ref()
            .filter(|k| y.keys.contains(k) && y.after_first_word.is_none())
            .cloned()
    };
    if let Some(k) = after_word(a, b).or_else(|| after_word(b, a)) {
        return Some(Verdict::new(
            0.9,
            format!("'{k}' after a maker's or series' word"),
        ));
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

    #[test]
    fn issue_14_colours_indexes_and_homoglyphs() {
        assert!(same("UAV GERAN-2 black", "Geran-2"));
        assert!(same(
            "Tornado-C 9M549 MLRS guided missile",
            "300 mm 9M549 Tornado-S MLRS"
        ));
        assert!(same(
            "Guided missile 9M549 Tornado S MLRS",
            "300 mm 9M549 \"Tornado-S\" MLRS"
        ));
        assert!(same(
            "Satellite navigation equipment 14Ц821C",
            "Satellite navigation equipment 14Ц821С"
        ));
        assert!(
            same("KN-23/24", "Ballistic missile KN-23/KN-24"),
            "the same two models"
        );
    }

    #[test]
    fn issue_14_round_4_shades_repeated_notes_and_a_leading_makers_word() {
        assert!(same("Geran-2 dark grey", "Geran-2"));
        assert!(same("Geran-2 in black livery", "Geran-2"));
        assert!(same("Kh-101 (Х-101)", "Kh-101"));
        assert!(same("Zala Lancet-3", "Lancet-3"));
        assert!(same("Qods Mohajer-6", "Mohajer 6"));
        // a note naming something else stays part of the name
        assert!(!same("Kh-101 (Kh-555)", "Kh-101"));
        // what follows the word must be a named designation, not an index
        assert!(!same("Supercam S350", "S-350"));
        assert!(!same("Zala Lancet-3", "Lancet-1"));
        // two names with a leading word each meet only through the bare designation
        assert!(!same("Zala Lancet-3", "Kub Lancet-3"));
        assert_eq!(whole_key("Kh-101 (Х-101)"), whole_key("Kh-101"));
    }

    #[test]
    fn cyrillic_kh_and_dzh_meet_latin_h_and_j() {
        assert!(same("Фатех-110", "Fateh-110"));
        assert!(same("Мохаджер-6", "Mohajer-6"));
        assert!(same("Х-101", "Kh-101"));
        // near misses: the numbers still decide, and two Latin spellings are not folded
        assert!(!same("Фатех-110", "Fateh-313"));
        assert!(!same("Мохаджер-6", "Mohajer-4"));
        assert!(!same("Khamsin-2", "Hamsin-2"));
    }

    #[test]
    fn cyrillic_latin_and_spacing_variants_of_one_designation_meet() {
        // the Kh prefix in every script and spacing; an index's letter in either script
        for variant in ["Х-101", "X-101", "H-101", "Kh 101", "Х101", "KH101"] {
            assert!(same("Kh-101", variant), "{variant}");
        }
        for variant in ["Х-59МК2", "X-59MK2", "Kh-59 MK2", "Kh59MK2", "Х-59MK2"] {
            assert!(same("Kh-59MK2", variant), "{variant}");
        }
        for variant in ["9М723", "9M-723", "9 M 723"] {
            assert!(same("9M723", variant), "{variant}");
        }
        assert!(same("3M-14", "3М14"));
        // near misses: another number, another variant letter
        assert!(!same("Kh-59MK2", "Kh-59MK"));
        assert!(!same("Х-31П", "Kh-31A"));
        assert!(!same("9М723", "9M727"));
    }

    #[test]
    fn russian_and_ukrainian_type_words_are_set_aside() {
        assert!(same("БпЛА Шахед-136", "Shahed-136"));
        assert!(same("ударный БПЛА Герань-2", "Geran-2"));
        assert!(same("Оникс ракета", "Oniks"));
        assert!(same("крилата ракета Х-101", "Kh-101"));
        assert!(same("КР Х-101", "Kh-101"));
        assert!(!same("БпЛА Шахед-136", "Shahed-131"));
    }

    #[test]
    fn latin_names_as_russian_writes_their_sounds() {
        assert!(same("Ланцет-1", "Lancet-1"), "a soft c is Ц");
        assert!(same("Золфагар", "Zolfaghar"), "gh is Г");
        assert!(same("Хвасон-15", "Hwasong-15"), "a Korean final ng is Н");
        assert!(same("Хвасонг-15", "Hwasong-15"));
        // numbers still decide; a hard c is no Ц; the ng of a longer word stays
        assert!(!same("Ланцет-1", "Lancet-3"));
        assert!(!same("Хвасон-15", "Hwasong-17"));
        assert!(!same("Канон-2", "Cantsn-2"));
        assert!(!same("Мустан-3", "Mustang-4"));
    }

    #[test]
    fn sourced_designations_of_the_list() {
        assert!(same("KN-22", "Hwasong-15"));
        assert!(same("Zulfiqar", "Zolfaghar"));
        assert!(same("Zolfaqar", "Золфагар"));
        assert!(same("Fath-360", "Fateh 360"));
        assert!(same("Uran", "Kh-35"));
        assert!(same("Yakhont", "P-800 Oniks"));
        assert!(same("Ch-47M", "Kinzhal"));
        assert!(same("KN-20", "Hwasong-14"));
        assert!(same("KN-17", "Хвасон-12"));
        assert!(same("Product 53", "Izdeliye-53"));
        assert!(!same("KN-20", "KN-22"));
        assert!(!same("Hwasong-14", "Hwasong-15"));
        assert!(same("Kinschal", "Kh-47M2"));
        // a Cyrillic spelling that sounds as one of the list's Latin spellings
        assert!(same("Зульфикар", "Zolfaghar"));
        assert!(same("Яхонт", "Оникс"));
        assert!(!same("Зульфикар-2", "Zolfaghar"));
        // two entries of the list stay two models
        assert!(!same("KN-22", "KN-23"));
        assert!(!same("Fath-360", "Fateh-110"));
        assert!(!same("CH-47 Chinook", "Kh-47M2"));
    }

    #[test]
    fn issue_14_two_models_and_two_indexes_stay_apart() {
        assert!(!same("Ballistic missile KN-23/KN-24", "KN-24"));
        assert!(!same("Ballistic missile KN-23/KN-24", "KN-23"));
        assert!(!same("KN-23/24", "KN-23"));
        assert!(!same(
            "Tornado-C 9M544 MLRS guided missile",
            "Tornado-C 9M549 MLRS guided missile"
        ));
        assert!(
            !same("Molniya-2R", "Molniya"),
            "2R is a designation's tail, not an index"
        );
        assert!(!same("UAV GERAN-2 black", "Geran-3"));
    }
}
