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
use super::scripts::one_script_per_word;
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

/// Legal forms as a Cyrillic text writes them (transliterated): Russian spellings of English
/// forms ("Инк.", "Корпорейшн", "Ко., Лтд.", "Лимитед", "ГмбХ") at the end of a name. Only
/// for names written in another script: "ink" or "ko" can end a Latin brand.
const FOREIGN_LEGAL_FORMS: &[&str] = &[
    "ink",
    "inkorporeyted",
    "korp",
    "korporeyshn",
    "korporeishn",
    "ko",
    "kompani",
    "kompaniya",
    "ltd",
    "limited",
    "gmbkh",
    "ag",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "tov",
];

/// Generic words as Russian writes the English ones in Cyrillic ("Текнолоджи", "Электроникс",
/// "Семикондактор"), transliterated: they say what the company makes, as their originals do.
/// Dropped only to compare a name's sound with a Latin name's core (`sounds_alike`), never for
/// its own core or the alias list: "Микрон Текнолоджи" (Micron Technology) is neither the
/// Russian Mikron (Микрон) of the alias list nor one with it.
const FOREIGN_GENERIC: &[&str] = &[
    "teknolodzhi",
    "teknolodzhiz",
    "teknolodzhis",
    "tekhnolodzhi",
    "tekhnolodzhiz",
    "elektroniks",
    "semikondaktor",
    "semikondaktors",
];

/// Russian and Ukrainian legal forms a name starts with ("ООО Квектел", "АО ...", "ТОВ ..."),
/// for names written in another script.
const FOREIGN_LEADING_LEGAL_FORMS: &[&str] =
    &["ooo", "oao", "zao", "pao", "ao", "tov", "pp", "chp"];

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
    // German for engines, as "Motors" ("Hirth Motoren", "Limbach Flugmotoren" keeps its word)
    "motoren",
    "systems",
    "components",
    "company",
    "works",
    "factory",
    "enterprise",
    // industry words a Chinese legal name puts between the name and "Co., Ltd." ("Xiamen
    // Limbach Aviation Engine Co."): they say what the company makes, as "Technology" does
    "aviation",
    "aerospace",
    "engine",
    "engines",
    "machinery",
    "equipment",
    "precision",
    "intelligent",
    "science",
    "trading",
    "development",
    "automation",
    // words that name a product line, not the company ("Allegro MicroSystems", "Würth Elektronik")
    "microsystems",
    "microelectronics",
    "optoelectronics",
    "elektronik",
    "photonics",
    "optics",
    "optical",
    "wireless",
    "robotics",
    "communications",
    // abbreviations of the words above, as published ("Samsung Elec.", "Oxford Semicond")
    "elec",
    "electr",
    "semi",
    "semicond",
    "techn",
    "mfg",
    "intl",
    "ind",
    "sys",
];

/// Legal forms long enough that one typing slip in them ("Corporaton", "Limted") still names
/// them; shorter ones ("AG", "Co") would match real words.
const LONG_LEGAL_FORMS: &[&str] = &[
    "corporation",
    "incorporated",
    "limited",
    "company",
    "holding",
    "holdings",
];

/// Legal forms that name no company wherever they stand in a name ("Hitec Group USA").
const LEGAL_WORDS: &[&str] = &[
    "group",
    "holding",
    "holdings",
    "corporation",
    "corp",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "company",
    "co",
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
    /// The maker the curated alias list names, if any: for the name as written, or (for a name
    /// from another script) without the legal forms of that script ("ООО Миландр").
    pub alias: Option<usize>,
    /// The maker the alias list names for the name as written: what the identity key uses,
    /// so that the keys of a catalogue already written stay what they were.
    pub identity_alias: Option<usize>,
    /// The name was written in another script (transliterated to match).
    pub foreign: bool,
    /// Consonant skeleton of the phonetic fold, for names from another script.
    pub skeleton: String,
    /// The parenthesised note, kept aside ("AMD" in "Xilinx Inc. (AMD)").
    pub hint: Option<String>,
    /// The words that tell one company from another, in order: legal forms, city names and
    /// generic words set aside wherever they stand (`distinctive_words`).
    pub distinct: Vec<String>,
    /// A typing slip in a legal form or a generic word was forgiven to find `distinct`.
    pub distinct_slipped: bool,
}

/// How strong the evidence for one maker is: the name itself (alias list, same words), or a
/// resemblance (typing slips, the sound of a transliteration), which two makers of different
/// countries can share by chance (Peak / Poccio Electronics, NVS / NLT Technologies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Name,
    Resemblance,
}

/// The words of a company name that identify it (see the module comment).
pub fn base_words(name: &str) -> (Vec<String>, bool, Option<String>) {
    let (head, hint) = split_parenthesised(name);
    let (latin_head, foreign) = latin(&one_script_per_word(head));
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

/// The words of a name from another script without the legal forms it writes in that script
/// ("ООО Квектел", "Квектел Ко., Лтд.", "Мелексис Корпорейшн"), for candidates only: the
/// identity key keeps them, so the keys of a catalogue already written stay what they were.
fn without_foreign_legal_forms(words: &[String], foreign: bool) -> Vec<String> {
    let mut words = words.to_vec();
    if !foreign {
        return words;
    }
    while words.len() > 1 && FOREIGN_LEADING_LEGAL_FORMS.contains(&words[0].as_str()) {
        words.remove(0);
    }
    while words.len() > 1 && FOREIGN_LEGAL_FORMS.contains(&words[words.len() - 1].as_str()) {
        words.pop();
    }
    words
}

/// The compact key the alias list is indexed by.
pub fn alias_key(name: &str) -> String {
    base_words(name).0.concat()
}

/// Whether a word is one typing slip from one of `forms` (at least six letters, first letter
/// kept): "corporaton", "limted".
fn one_slip_from(word: &str, forms: &[&str]) -> bool {
    word.len() >= 6
        && forms
            .iter()
            .any(|f| f.as_bytes()[0] == word.as_bytes()[0] && edits(word, f) <= 1)
}

/// Whether a name ends with a short legal form typed with two letters swapped, right after
/// another legal form ("Co., Ldt.", "Co., Ldt"): the letters are the form's, and the form
/// before it says a legal form is what is written there. Alone ("Siyi Ldt") or with other
/// letters ("Co., Lid") the word stays.
fn transposed_legal_form_after_legal_form(words: &[String]) -> bool {
    let [.., before, last] = words else {
        return false;
    };
    if words.len() < 3 || !LEGAL_WORDS.contains(&before.as_str()) {
        return false;
    }
    let sorted = |w: &str| {
        let mut c: Vec<char> = w.chars().collect();
        c.sort_unstable();
        c
    };
    LEGAL_WORDS.iter().any(|form| {
        form.len() >= 3 && *form != last && sorted(form) == sorted(last) && edits(form, last) == 1
    })
}

/// Whether a word says what kind of company it is: a generic word, or a long one with a slip
/// ("Technolgy", "Semiconducctor": one slip up to nine letters, two when both have ten or
/// more; "Electric" is not "Electronic").
fn generic_word(word: &str) -> bool {
    GENERIC.contains(&word)
        || word.len() >= 7
            && GENERIC.iter().any(|g| {
                g.len() >= 7
                    && g.as_bytes()[0] == word.as_bytes()[0]
                    && edits(word, g) <= if g.len().min(word.len()) >= 10 { 2 } else { 1 }
            })
}

/// The words that tell one company from another (see `MakerName::distinct`), and whether a
/// typing slip was forgiven to find them. A last word one slip from a long legal form goes
/// ("Altera Corporaton"); legal words and city names go wherever they stand ("Hitec Group
/// USA", "Limbach Technology (Xiamen) Co."); then generic words go from the end, as for the
/// core, spelled right or with a slip ("Limbach Aviation Engine", "Semtech Electonics").
/// When nothing would remain, the words stay as they are.
pub fn distinctive_words(words: &[String]) -> (Vec<String>, bool) {
    let mut kept = words.to_vec();
    let mut slipped = false;
    while kept.len() > 1
        && kept
            .last()
            .is_some_and(|w| one_slip_from(w, LONG_LEGAL_FORMS))
    {
        kept.pop();
        slipped = true;
    }
    if transposed_legal_form_after_legal_form(&kept) {
        kept.pop();
        slipped = true;
    }
    let mut telling: Vec<String> = kept
        .iter()
        .filter(|w| {
            let w = w.as_str();
            !LEGAL_WORDS.contains(&w) && !CITIES.contains(&w) && w != "kong"
        })
        .cloned()
        .collect();
    while telling.len() > 1 && telling.last().is_some_and(|w| generic_word(w)) {
        slipped |= telling
            .last()
            .is_some_and(|w| !GENERIC.contains(&w.as_str()));
        telling.pop();
    }
    if telling.is_empty() {
        (kept, slipped)
    } else {
        (telling, slipped)
    }
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
    // the alias list is looked up as identity is keyed, by the words as written
    let written_core = core_of(&words);
    let identity_alias = refs.maker_alias(&compact).or_else(|| {
        (written_core.len() >= 4)
            .then(|| refs.maker_alias(&written_core))
            .flatten()
    });
    let words = without_foreign_legal_forms(&words, foreign);
    let core = core_of(&words);
    let alias = identity_alias.or_else(|| {
        (core != written_core && core.len() >= 4)
            .then(|| refs.maker_alias(&core))
            .flatten()
    });
    let skeleton = if foreign {
        consonant_skeleton(&phonetic(&compact))
    } else {
        String::new()
    };
    let (distinct, distinct_slipped) = distinctive_words(&words);
    MakerName {
        words,
        compact,
        core,
        alias,
        identity_alias,
        foreign,
        skeleton,
        hint,
        distinct,
        distinct_slipped,
    }
}

/// Whether two maker names are one company at two levels of its family: the same maker, one
/// name's distinctive words all among the other's ("Kyocera" in "Kyocera AVX", "Hitachi" in
/// "Hitachi Astemo"), or a brand and its owner by the ownership list (AVX, Kyocera). Family
/// only means that two makers of one part code do not conflict: it is not transitive
/// (Mitsubishi Electric and Mitsubishi Heavy Industries both contain Mitsubishi, and are not
/// family) and never a reason to merge two makers.
pub fn family(a: &str, b: &str, refs: &Reference) -> bool {
    let (x, y) = (analyse(a, refs), analyse(b, refs));
    if x.compact.is_empty() || y.compact.is_empty() {
        return false;
    }
    compare(&x, &y, refs).is_some_and(|v| v.same)
        || words_within(&x.distinct, &y.distinct)
        || words_within(&y.distinct, &x.distinct)
        || refs.owned_by(a, b)
        || refs.owned_by(b, a)
}

/// Whether a maker name names both of two others: all the distinctive words of each are among
/// its own ("BRP-Rotax" names BRP and Rotax, "Kyocera AVX" names Kyocera and AVX). Such a name on
/// one part code says that the two are one family there, as a printed "parent-brand" does.
pub fn names_both(name: &MakerName, a: &MakerName, b: &MakerName) -> bool {
    words_within(&a.distinct, &name.distinct) && words_within(&b.distinct, &name.distinct)
}

/// Whether every word of `part` is a word of `whole`, and one of them has three letters or
/// more (a parent named by its initials alone says too little).
fn words_within(part: &[String], whole: &[String]) -> bool {
    part.iter().any(|w| w.len() >= 3) && part.iter().all(|w| whole.contains(w))
}

/// The distinctive words in alphabetical order: a name whatever order its words come in.
fn sorted_words(m: &MakerName) -> String {
    let mut words: Vec<&str> = m.distinct.iter().map(String::as_str).collect();
    words.sort_unstable();
    words.join(" ")
}

/// Keys under which two names that may be the same maker meet (blocking). Deletion variants
/// of each word find names one slip apart without comparing all pairs.
pub fn blocking_keys(m: &MakerName) -> Vec<String> {
    let mut keys = Vec::new();
    for_each_blocking_key(m, |k| keys.push(k.to_string()));
    keys
}

/// The keys of `blocking_keys`, in its order, handed to `f` one at a time: the deletion
/// variants (most of the keys) are written into one reused buffer instead of a string each,
/// for callers that only hash them (screening hashes millions: benches/screening.rs).
pub fn for_each_blocking_key(m: &MakerName, mut f: impl FnMut(&str)) {
    if m.compact.is_empty() {
        return; // a name that normalises to nothing never matches anything
    }
    if let Some(a) = m.alias {
        f(&format!("a:{a}"));
    }
    f(&format!("c:{}", m.compact));
    f(&format!("k:{}", m.core));
    f(&format!("w:{}", sorted_words(m)));
    let phon_core = consonant_skeleton(&phonetic(&m.core));
    f(&format!("s:{phon_core}"));
    for n in [&m.compact, &m.core] {
        for fold in sound_folds(n) {
            f(&format!("f:{}", consonant_skeleton(&fold)));
        }
    }
    let distinct = m.distinct.concat();
    let mut d = String::new();
    for w in m.words.iter().chain([&m.compact, &distinct]) {
        if w.len() >= 5 {
            // the word itself meets the deletions of a word one letter longer
            d.clear();
            d.push_str("d:");
            d.push_str(w);
            f(&d);
            for (i, c) in w.char_indices() {
                d.clear();
                d.push_str("d:");
                d.push_str(&w[..i]);
                d.push_str(&w[i + c.len_utf8()..]);
                f(&d);
            }
        }
    }
}

/// Whether two maker names are the same maker, with the rule that decided.
pub fn compare(a: &MakerName, b: &MakerName, refs: &Reference) -> Option<Verdict> {
    judge(a, b, refs).map(|(verdict, _)| verdict)
}

/// As `compare`, for two makers whose countries are known: two makers of different countries
/// are one only on the evidence of their names, never on a resemblance (a slip, a sound).
pub fn compare_in_countries(
    a: &MakerName,
    b: &MakerName,
    countries: (Option<&str>, Option<&str>),
    refs: &Reference,
) -> Option<Verdict> {
    let (verdict, evidence) = judge(a, b, refs)?;
    let apart = match countries {
        (Some(x), Some(y)) => !x.trim().is_empty() && !y.trim().is_empty() && x != y,
        _ => false,
    };
    (!(apart && evidence == Evidence::Resemblance && verdict.same)).then_some(verdict)
}

/// The reason of a match between a name from another script and a Latin one by sound alone.
pub const SOUND: &str = "same sound after transliteration";

/// Whether a judged pair of makers rests on their sound alone (one of them from another script).
pub fn by_sound(verdict: &Verdict) -> bool {
    verdict.same && verdict.reason == SOUND
}

/// The verdict on two maker names and the kind of evidence it rests on.
pub fn judge(a: &MakerName, b: &MakerName, refs: &Reference) -> Option<(Verdict, Evidence)> {
    use Evidence::{Name, Resemblance};
    if a.compact.is_empty() || b.compact.is_empty() {
        return None;
    }
    match (a.alias, b.alias) {
        (Some(x), Some(y)) if x == y => {
            return Some((
                Verdict::new(1.0, format!("alias list: both are {}", refs.maker_name(x))),
                Name,
            ))
        }
        (Some(x), Some(y)) => {
            return Some((
                Verdict::different(format!(
                    "alias list: {} and {} are different makers",
                    refs.maker_name(x),
                    refs.maker_name(y)
                )),
                Name,
            ))
        }
        _ => {}
    }
    if numbers(&a.compact) != numbers(&b.compact) {
        return None;
    }
    if a.compact == b.compact {
        return Some((
            Verdict::new(
                0.99,
                "same name apart from case, punctuation and legal form".into(),
            ),
            Name,
        ));
    }
    let stripped = a.core != a.compact || b.core != b.compact;
    if a.core == b.core && (a.core.len() >= 4 || a.core.len() >= 3 && stripped) {
        return Some((
            Verdict::new(
                0.95,
                format!("same name without generic words ('{}')", a.core),
            ),
            Name,
        ));
    }
    let (sa, sb) = (sorted_words(a), sorted_words(b));
    if sa == sb && sa.len() >= 4 {
        let slipped = a.distinct_slipped || b.distinct_slipped;
        return Some((
            Verdict::new(
                0.93,
                format!("same words in any order, without legal forms, cities and generic words ('{sa}')"),
            ),
            if slipped { Resemblance } else { Name },
        ));
    }
    if let Some(v) = typing_slips(a, b) {
        return Some((v, Resemblance));
    }
    if a.foreign != b.foreign {
        let (f, l) = if a.foreign { (a, b) } else { (b, a) };
        if sounds_alike(f, l) {
            return Some((Verdict::new(0.9, SOUND.into()), Resemblance));
        }
    }
    None
}

/// One or two typing slips, counted where the names differ: two names that differ in one
/// word alone ("NVS Technologies", "NLT Technologies"; "Martek Microsystems", "Marvex
/// Microsystems") are judged by that word, so a long shared word does not lend a short one
/// the slips a long name may have. Their words as written are tried first, then their
/// distinctive words ("Vonix Instruments (Shenzhen) Technology Co." against "Vovex
/// Instruments" differ in "vonix" alone); names that differ in more words are judged whole.
fn typing_slips(a: &MakerName, b: &MakerName) -> Option<Verdict> {
    let len = a.compact.len().min(b.compact.len());
    for (x, y) in [(&a.words, &b.words), (&a.distinct, &b.distinct)] {
        if let Some(decided) = one_word_apart(x, y) {
            return decided.map(|_| slip_verdict(edits(&a.compact, &b.compact), len));
        }
    }
    // a slip in what remains once generic words are set aside is a second doubt on top of a
    // word dropped ("Dyfen Optics" and "Dygen"): only on names of seven letters or more
    let (da, db) = (a.distinct.concat(), b.distinct.concat());
    let long_enough = |x: &str, y: &str| x.len().min(y.len()) >= 7;
    slips(&a.compact, &b.compact)
        .or_else(|| {
            long_enough(&a.core, &b.core)
                .then(|| slips(&a.core, &b.core))
                .flatten()
        })
        .or_else(|| long_enough(&da, &db).then(|| slips(&da, &db)).flatten())
}

/// For two names of as many words that differ in one word: the slips in that word, if it may
/// have them (by the longer spelling's length). None when the names differ otherwise.
fn one_word_apart(a: &[String], b: &[String]) -> Option<Option<usize>> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let differing: Vec<(&String, &String)> = a.iter().zip(b).filter(|(x, y)| x != y).collect();
    match differing.as_slice() {
        [(x, y)] => Some(slips_within(x, y, x.len().max(y.len()))),
        _ => None,
    }
}

/// Whether a name from another script sounds like a Latin one: the phonetic consonant
/// skeletons are equal and have five letters or more ("Техас Инструментс"); or the phonetic
/// folds are equal, vowels included, once the English spellings Russian writes otherwise are
/// folded (`sound_folds`): for a short name of four to seven letters on both sides ("Вьюпро",
/// "Кэнон", "Сони"), names of six or seven letters may differ in one more letter; longer
/// names ("Мелексис" = Melexis) must fold to the same letters. A skeleton of two or three
/// consonants alone is shared by many brands (Ломар and Lummar: l-m-r). Both the whole name
/// and its core (generic words dropped) are tried on both sides ("Квектел" = Quectel Wireless
/// Solutions).
fn sounds_alike(f: &MakerName, l: &MakerName) -> bool {
    let latin_names = [&l.compact, &l.core];
    let foreign_core = core_of(&without_foreign_generic(&f.words));
    let foreign_names = [&f.compact, &f.core, &foreign_core];
    // short skeletons say too little: "infn" is both Инфинеон and the typo "Infinea"
    if foreign_names.iter().any(|fname| {
        let skeleton = consonant_skeleton(&phonetic(fname));
        skeleton.len() >= 5
            && latin_names
                .iter()
                .any(|n| consonant_skeleton(&phonetic(n)) == skeleton)
    }) {
        return true;
    }
    foreign_names
        .iter()
        .any(|fname| latin_names.iter().any(|n| fold_alike(fname, n)))
}

/// A name's words without the generic words Russian writes in Cyrillic at its end.
fn without_foreign_generic(words: &[String]) -> Vec<String> {
    let mut words = words.to_vec();
    while words.len() > 1 && FOREIGN_GENERIC.contains(&words[words.len() - 1].as_str()) {
        words.pop();
    }
    words
}

/// Whether two compact names (one from another script) fold to the same sound.
fn fold_alike(foreign: &str, latin: &str) -> bool {
    if foreign.len() < 4 || latin.len() < 4 {
        return false;
    }
    let short = foreign.len() <= 7 && latin.len() <= 7;
    sound_folds(foreign).iter().any(|fold| {
        sound_folds(latin).iter().any(|other| {
            let allowed = usize::from(short && other.len().min(fold.len()) >= 6);
            consonant_skeleton(other) == consonant_skeleton(fold) && edits(fold, other) <= allowed
        })
    })
}

/// The phonetic folds of a name, with the English spellings a Russian transliteration writes
/// by sound folded: "ew" as "iu" (View = Вью), "e" with "a" (Canon = Кэнон), "qu" as "kv"
/// (Quectel = Квектел), a soft c before e, i, y as "s" (Lattice = Латтис), "th" as "t"
/// (Hirth = Хирт); a final silent "e" may be dropped (Lattice), and Х (any-ascii's "kh") may
/// stand for an h (Хирт). Every variant is tried.
fn sound_folds(name: &str) -> Vec<String> {
    let soft = name
        .replace("qu", "kv")
        .replace("ce", "se")
        .replace("ci", "si")
        .replace("cy", "sy")
        .replace("th", "t");
    let mut variants = vec![name.to_string(), soft.clone()];
    if let Some(silent) = soft.strip_suffix('e') {
        variants.push(silent.to_string());
    }
    if name.contains("kh") {
        variants.push(name.replace("kh", "h"));
    }
    // English reads "igh" and a leading "i" before a consonant as "ai", which Russian writes
    // Ай (iFlight = Айфлайт, Light = Лайт)
    if soft.contains("igh") || soft.starts_with('i') {
        let mut english = soft.replace("igh", "ay");
        if english.starts_with('i') && english[1..].starts_with(|c: char| !"aeiouy".contains(c)) {
            english = format!("ay{}", &english[1..]);
        }
        variants.push(english);
    }
    let mut folds: Vec<String> = variants.iter().map(|v| short_fold(v)).collect();
    folds.sort();
    folds.dedup();
    folds
}

/// The phonetic fold of a short name: "ew" as "iu" (View = Вью), and "e" with "a".
fn short_fold(name: &str) -> String {
    phonetic(&name.replace("ew", "iu")).replace('e', "a")
}

/// Typing slips: one edit on names of 5-9 letters, two on longer ones, first letter kept
/// (transpositions count as one); on a name of four letters, one doubled letter ("Sonny").
fn slips(a: &str, b: &str) -> Option<Verdict> {
    let len = a.len().min(b.len());
    slips_within(a, b, len).map(|d| slip_verdict(d, len))
}

/// The edits between two words when a name of `len` letters may have that many slips.
fn slips_within(a: &str, b: &str, len: usize) -> Option<usize> {
    let allowed = match len {
        0..=3 => 0,
        4 => usize::from(doubled_letter(a, b)),
        5..=9 => 1,
        _ => 2,
    };
    if allowed == 0 || a.chars().next() != b.chars().next() {
        return None;
    }
    let d = edits(a, b);
    (d <= 1 || d <= allowed && spread(a, b)).then_some(d)
}

/// Whether the letters two names differ in span five letters or more: two slips within a few
/// letters rewrite a short word ("Voix Instruments", "VovexInstruments"), two slips of a long
/// name fall apart ("Natioonal Instrumnts").
fn spread(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let shared = (prefix + suffix).min(a.len().min(b.len()));
    a.len().max(b.len()) - shared >= 5
}

fn slip_verdict(d: usize, len: usize) -> Verdict {
    Verdict::new(
        1.0 - d as f64 / (2.0 * len as f64).max(1.0) - 0.05,
        format!("{d} typing slip{} apart", if d == 1 { "" } else { "s" }),
    )
}

/// Whether one name is the other with one letter typed twice ("Sonny" for "Sony").
fn doubled_letter(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    let l = long.as_bytes();
    long.len() == short.len() + 1
        && (1..l.len())
            .any(|i| l[i] == l[i - 1] && [&l[..i], &l[i + 1..]].concat() == short.as_bytes())
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

    #[test]
    fn issue_14_typos_decorations_and_scripts_are_forgiven() {
        assert!(
            same("Cortekgen", "Cotekgen"),
            "one deletion, found by the word's own key"
        );
        assert!(same("Sony", "Sonny"), "a doubled letter on four letters");
        assert!(
            same("Altera Corporaton", "Altera"),
            "a slip in the legal form"
        );
        assert!(
            same("Kamon Systems", "Kaon Systems"),
            "a slip in one word of two"
        );
        assert!(same("Xiamen Limbach", "Xiamen Limbach Aviation Engine Co."));
        assert!(same("Holybro Technology (Shanghai) Co., Ltd.", "Holybro"));
        assert!(same("Hitec Group USA", "Hitec USA Group"));
        assert!(same("Вьюпро", "Viewpro"));
        assert!(same("Кэнон", "Canon"));
    }

    #[test]
    fn cyrillic_spellings_of_english_sounds_meet_the_latin_name() {
        // qu as кв, soft c as с and a silent e, th as т, Х for h, igh and a leading i as ай
        assert!(same("Квестор", "Questor"));
        assert!(same("Квектел", "Quectel Wireless Solutions"));
        assert!(same("Латтис", "Lattice Semiconductor"));
        assert!(same("Хирт", "Hirth"));
        assert!(same("Айфлайт", "iFlight Technology"));
        // longer than seven letters: the folds must be equal
        assert!(same("Мелексис", "Melexis"));
        // near misses: one sound more or less is another name
        assert!(!same("Квантел", "Quectel"));
        assert!(!same("Латтик", "Lattice"));
        assert!(!same("Хирш", "Hirth"));
        assert!(!same("Айфлекс", "iFlight"));
        assert!(!same("Мелексон", "Melexis"));
        assert!(!same("Мелексис", "Melexim"));
    }

    #[test]
    fn cyrillic_legal_forms_and_swapped_letters_in_a_legal_form() {
        assert!(same("Квектел Ко., Лтд.", "Quectel"));
        assert!(same("ООО Квектел", "Quectel"));
        assert!(same("Мелексис Инк.", "Melexis"));
        assert!(same("Мелексис Корпорейшн", "Melexis Corp."));
        let core = |n: &str| analyse(n, Reference::get()).core;
        assert_eq!(core("Сан Инк."), "san");
        assert_eq!(core("Sun Ink"), "sunink", "a Latin brand may end in Ink");
        assert_eq!(
            alias_key("ООО Сан"),
            "ooosan",
            "identity keys stay as they were: the catalogue's keys are not rewritten"
        );
        assert!(same("Майкрочип Текнолоджи", "Microchip"));
        assert!(
            !same("Микрон Текнолоджи", "Микрон"),
            "Micron Technology is not the Russian Mikron of the alias list"
        );
        assert!(same("Микрон Текнолоджи", "Micron Technology"));
        assert!(
            same("ООО Миландр", "Milandr"),
            "the alias list, legal form aside"
        );
        assert!(
            !same("ООО Микрон", "Micron"),
            "a Russian legal form: the Russian Mikron of the alias list, not Micron"
        );
        assert!(same("Foxeer Technology Co., Ldt.", "Foxeer"));
        assert!(
            !same("Foxeer Ldt", "Foxeer"),
            "alone, Ldt is not read as Ltd"
        );
        assert!(
            same("Hirth Motoren", "Hirth"),
            "Motoren is German for engines"
        );
    }

    #[test]
    fn issue_14_near_misses_stay_apart() {
        assert!(
            !same("NVS Technologies", "NLT Technologies"),
            "two slips in three letters"
        );
        assert!(!same("Martek Microsystems", "Marvex Microsystems"));
        assert!(
            !same("Peak Еlectronics", "Poccio Electronics Co., Ltd"),
            "a Cyrillic Е is no other script"
        );
        assert!(
            !same("Ломар", "Lummar"),
            "a short skeleton with another vowel"
        );
        assert!(!same(
            "Standard Microsystems Corp",
            "International standard"
        ));
        assert!(
            !same("Dyfen Optics", "Dygen"),
            "a word dropped and a slip on five letters"
        );
        assert!(!same("Sony", "Sona"));
    }

    #[test]
    fn makers_of_other_countries_need_their_names_to_agree() {
        let r = Reference::get();
        let (a, b) = (analyse("Selda", r), analyse("Seldy", r));
        assert!(compare_in_countries(&a, &b, (Some("DE"), None), r).is_some_and(|v| v.same));
        assert!(compare_in_countries(&a, &b, (Some("DE"), Some("CN")), r).is_none());
        let (a, b) = (analyse("Hitec Group USA", r), analyse("Hitec USA Group", r));
        assert!(compare_in_countries(&a, &b, (Some("US"), Some("CN")), r).is_some_and(|v| v.same));
    }

    #[test]
    fn a_parent_and_its_division_are_family_but_not_one_maker() {
        let r = Reference::get();
        assert!(family("Kyocera", "Kyocera AVX", r));
        assert!(family("Kyocera", "AVX", r), "by the ownership list");
        assert!(family("Mitsubishi", "Mitsubishi Electric", r));
        assert!(family("Hitachi", "Hitachi Astemo", r));
        assert!(!family(
            "Mitsubishi Electric",
            "Mitsubishi Heavy Industries",
            r
        ));
        assert!(!family("Texas Instruments", "National Instruments", r));
        assert!(
            !same("Mitsubishi", "Mitsubishi Electric"),
            "family is no merge"
        );
        assert!(!same("Hitachi", "Hitachi Astemo"));
    }
}
