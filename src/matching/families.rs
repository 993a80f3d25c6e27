//! Part numbers that name no product: a family ("STM32F", "Spartan-6"), a technology ("CMOS",
//! "MOSFET", "GNSS"), a package ("TQFP44", "SOIC-8") or a maker ("ALTERA"). Published
//! catalogues put such words in the part-number column; taken as identities they would gather
//! every CMOS chip of a maker into one "part". And the code that identifies the part instead,
//! when the component's text carries one ("GNSS module NEO-M8N-0-10").
//!
//! A list decides what is a family word, never the shape of a word alone: letter-only codes
//! are real (TIWI-BLE, DLVR-L, IHLP), so a word with no digit is a family word only when
//! data/family-words.csv (each word with its kind and a source), the category words of
//! `parts`, the maker alias list or the finding's own maker name it. Package designations are
//! a listed package family with a pin count ("TQFP44", "SOIC-8", "8-SOIC", "SOT-23-5"); a
//! series takes a short generation ("STM32F", "Spartan-6", "Cortex-M4", "DDR3"). Pure: no SQL.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::makers::alias_key;
use super::parts::CATEGORY_WORDS;
use super::reference::Reference;
use super::text::{latin, one_script};

pub const FAMILY_WORDS_CSV: &str = include_str!("../../data/family-words.csv");

/// How a listed word may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only as listed: a technology, a memory type, an interface, a plain descriptor.
    Word,
    /// Also with a generation of up to two characters or a Roman numeral ("Spartan-6").
    Series,
    /// Also with a pin count, joined or not ("TQFP44", "SOIC-8", "8-SOIC").
    Package,
    /// Also with a pin count after a separator only ("BGA-256"): unhyphenated, these letters
    /// begin product codes (BGA2869, TSOP4838, SC2440).
    PackageHyphen,
}

/// Units a number is followed by in a specification ("3.3V", "25MHz", "8-bit", "20Pin"):
/// such a token states a quantity, never a product. Single letters other than V, A, W and X
/// are left out: "357B", "220M" and "330K" are codes or markings as often as values.
const UNITS: &[&str] = &[
    "V", "MV", "KV", "UV", "VDC", "VAC", "A", "MA", "UA", "NA", "KA", "AH", "MAH", "W", "MW", "KW",
    "UW", "WH", "KWH", "VA", "KVA", "HP", "HZ", "KHZ", "MHZ", "GHZ", "KB", "MB", "GB", "TB",
    "KBIT", "MBIT", "GBIT", "BIT", "BITS", "BYTE", "BYTES", "BPS", "KBPS", "MBPS", "GBPS", "SPS",
    "KSPS", "MSPS", "OHM", "OHMS", "KOHM", "MOHM", "UF", "NF", "PF", "MF", "UH", "NH", "NM", "UM",
    "MM", "CM", "KM", "MS", "US", "NS", "PS", "DB", "DBM", "DBI", "DBC", "DEG", "DEGC", "PIN",
    "PINS", "CH", "CHANNEL", "CHANNELS", "AXIS", "AXES", "PORT", "PORTS", "WAY", "WAYS", "CELL",
    "CELLS", "CORE", "CORES", "ELEMENT", "ELEMENTS", "MP", "MPX", "RPM", "LM", "LUX", "FPS", "KG",
    "CC", "X",
];

/// Characters that separate the tokens of a component text.
const SEPARATORS: &str = "()[]{},;:\"'`*|«»“”‘’®™©–—";

/// Characters trimmed from both ends of a token ("NEO-M8N.", "#906").
const TRIM: &str = ".-/#+_~!?";

/// The family, technology and package words compiled in from data/family-words.csv, by their
/// compact uppercase form (letters and digits only: "RS-232" is RS232).
#[derive(Debug, Default)]
pub struct FamilyWords {
    words: HashMap<String, Kind>,
    /// Words of the list that only say what a component does (technologies, memories,
    /// interfaces, navigation, switch configurations, descriptors, translations), without a
    /// digit: beside a code they describe it ("Ethernet", "OPAMP"). Series, families, logic
    /// families and packages are left out: they begin codes ("ATMEGA 328P", "74HC 04").
    descriptive: std::collections::HashSet<String>,
}

/// What one token of a part number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A listed word, a package designation, a series with its generation, a maker's name.
    Family,
    /// Carries no identity of its own: one or two letters ("GNSS U", "LFCSP EP").
    Filler,
    /// Anything else: possibly a code.
    Other,
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A token in uppercase Latin letters ("ПЛИС" is PLIS), separators kept.
fn upper_latin(token: &str) -> String {
    if token.is_ascii() {
        // what `latin` gives an ASCII text, without its Unicode pass: most texts are ASCII
        return token.to_ascii_uppercase();
    }
    latin(token).0.to_ascii_uppercase()
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| "IVX".contains(c))
}

/// Whether `s` is a number followed by a unit ("3.3V", "25MHZ", "8-BIT", "+-5.5V"), or a
/// memory organisation ("512KX8", "1MX4").
pub fn is_quantity(s: &str) -> bool {
    let s = s.trim_start_matches(['+', '-', '~']);
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits == 0 {
        return false;
    }
    let mut rest = &s[digits..];
    if let Some(r) = rest.strip_prefix(['.', ',']) {
        let more = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if more == 0 {
            return false;
        }
        rest = &r[more..];
    }
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    // "10A", "3.3V"; a longer number before a single letter is a code ("1596A-Q")
    if UNITS.contains(&rest) && (rest.len() > 1 || digits <= 3) {
        return true;
    }
    // an organisation: 512Kx8, 1Mx16, 64kx16
    let rest = rest.strip_prefix(['K', 'M', 'G']).unwrap_or(rest);
    rest.strip_prefix('X')
        .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
}

impl FamilyWords {
    /// The list shipped in the binary, parsed once.
    pub fn get() -> &'static FamilyWords {
        static WORDS: OnceLock<FamilyWords> = OnceLock::new();
        WORDS.get_or_init(|| FamilyWords::parse(FAMILY_WORDS_CSV))
    }

    pub fn parse(csv_text: &str) -> FamilyWords {
        let mut words = HashMap::new();
        let mut descriptive = std::collections::HashSet::new();
        for row in csv::Reader::from_reader(csv_text.as_bytes()).records() {
            let row = row.expect("data/family-words.csv is valid (checked by unit tests)");
            let describes = matches!(
                &row[1],
                "technology"
                    | "memory"
                    | "interface"
                    | "navigation"
                    | "switch"
                    | "descriptor"
                    | "translation"
            );
            if describes && !row[0].chars().any(|c| c.is_ascii_digit()) {
                descriptive.insert(compact(&row[0]));
            }
            let kind = match &row[1] {
                "series" => Kind::Series,
                "package" => Kind::Package,
                "package-hyphen" => Kind::PackageHyphen,
                _ => Kind::Word,
            };
            words.insert(compact(&row[0]), kind);
        }
        for word in CATEGORY_WORDS {
            words.entry(compact(word)).or_insert(Kind::Word);
        }
        FamilyWords { words, descriptive }
    }

    /// Whether a word (compact, uppercase) only says what a component does ("ETHERNET",
    /// "OPAMP", "LDO"): see `descriptive`.
    pub fn describes(&self, compact: &str) -> bool {
        self.descriptive.contains(compact)
    }

    fn kind(&self, compact: &str) -> Option<Kind> {
        self.words.get(compact).copied()
    }

    /// A listed word or a category word of `parts` ("GPS", "module", "engine").
    fn listed(&self, compact: &str) -> bool {
        self.words.contains_key(compact)
    }

    /// A listed package family with a pin count: "TQFP44", "SOIC-8", "SOT-23-5", "TO-220AB",
    /// "8-SOIC", "BGA-256" (never "BGA2869").
    fn is_package(&self, token: &str) -> bool {
        let is_family = |s: &str| {
            matches!(
                self.kind(s),
                Some(Kind::Package) | Some(Kind::PackageHyphen)
            )
        };
        // the pin count first: "8-SOIC", "20-TSSOP"
        if let Some((count, family)) = token.split_once('-') {
            if (1..=4).contains(&count.len())
                && count.chars().all(|c| c.is_ascii_digit())
                && is_family(family)
            {
                return true;
            }
        }
        let letters = token
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(token.len());
        let (family, rest) = token.split_at(letters);
        let rest = match self.kind(family) {
            Some(Kind::Package) => rest.strip_prefix('-').unwrap_or(rest),
            Some(Kind::PackageHyphen) => match rest.strip_prefix('-') {
                Some(r) => r,
                None => return false,
            },
            _ => return false,
        };
        let pins = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if !(1..=4).contains(&pins) {
            return false;
        }
        let mut rest = &rest[pins..];
        // a variant after the count: SOT-23-5
        if let Some(r) = rest.strip_prefix('-') {
            let more = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            if (1..=2).contains(&more) {
                rest = &r[more..];
            }
        }
        rest.len() <= 2 && rest.chars().all(|c| c.is_ascii_alphabetic())
    }

    /// A listed series with a generation: "STM32F", "SPARTAN6", "CORTEXM4", "VIRTEXII", "DDR3".
    fn is_series(&self, compact: &str) -> bool {
        // a generation has at most four characters (a Roman numeral)
        (compact.len().saturating_sub(4).max(1)..compact.len()).any(|cut| {
            let (head, generation) = compact.split_at(cut);
            self.kind(head) == Some(Kind::Series) && (generation.len() <= 2 || is_roman(generation))
        })
    }

    /// What one token of a part number (uppercase Latin, separators kept) is.
    fn classify(&self, token: &str) -> Class {
        let c = compact(token);
        if c.is_empty() {
            return Class::Filler;
        }
        if self.listed(&c) || self.is_package(token) || self.is_series(&c) {
            return Class::Family;
        }
        let pieces: Vec<&str> = token
            .split(['-', '.', '_'])
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() > 1 {
            let classes: Vec<Class> = pieces.iter().map(|p| self.classify(p)).collect();
            // "GPS-GLONASS", "HIGH-SPEED", "N-CHANNEL"; not "TIWI-BLE", "DLVR-L"
            if classes.iter().all(|k| *k != Class::Other) && classes.contains(&Class::Family) {
                return Class::Family;
            }
        }
        if c.len() <= 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return Class::Filler;
        }
        Class::Other
    }

    /// Whether a token of a component text can be the code that identifies a part: letters
    /// and digits, at least three, and none of a family word, a package, a quantity ("3.3V",
    /// "8-bit", "512Kx8") or a run of those ("RS-422/RS-485", "DC-6GHz").
    fn is_code(&self, token: &str) -> bool {
        let up = upper_latin(token);
        let written: Vec<&str> = token.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        let c = compact(&up);
        if c.len() < 3
            || !c.chars().any(|ch| ch.is_ascii_alphabetic())
            || !c.chars().any(|ch| ch.is_ascii_digit())
        {
            return false;
        }
        if self.classify(&up) == Class::Family || is_quantity(&up) {
            return false;
        }
        let pieces: Vec<&str> = up.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        // a number, a quantity, a unit, a listed word (not a series: "FCB-7520" is a code), a
        // fragment or a word written in lowercase ("2-wire", "Double-Data-Rate-3")
        let plain = |(p, w): (&&str, &&str)| {
            let letters = p.chars().all(|ch| ch.is_ascii_alphabetic());
            p.chars()
                .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',')
                || is_quantity(p)
                || UNITS.contains(p)
                || (letters && p.len() <= 2)
                || (self.listed(&compact(p))
                    && !matches!(
                        self.kind(&compact(p)),
                        Some(Kind::Series) | Some(Kind::Package)
                    ))
                || (w.chars().all(char::is_alphabetic) && w.chars().any(char::is_lowercase))
        };
        !(pieces.len() > 1
            && pieces.len() == written.len()
            && pieces.iter().zip(&written).all(plain))
    }
}

/// Whether a run of digit-free words names a maker: by the alias list, or as the start of the
/// finding's own maker name ("OXFORD SEMICOND" of "Oxford Semiconductor").
fn names_maker(run: &str, maker_key: Option<&str>, refs: &Reference) -> bool {
    let key = alias_key(run);
    !key.is_empty()
        && (refs.maker_alias(&key).is_some()
            || maker_key.is_some_and(|m| key.len() >= 3 && m.starts_with(&key)))
}

/// Whether a part number names a family, a technology, a package or a maker rather than a
/// product: every word of it is listed, a package designation, a series with its generation
/// or a maker's name ("XILINX SPARTAN", "FPGA ALTERA", "GPS/GLONASS", "TQFP44"), apart from
/// one- or two-letter fragments ("GNSS U", "LFCSP EP"). `maker` is the finding's maker as
/// stated. A word outside the lists is a code, letters only or not ("TIWI-BLE", "IHLP"),
/// except beside a maker's name or a listed word, where the component text shows it to be the
/// bare prefix of its code ("RFMD UMX" where the text says "RFMD UMX-406-D16-G").
pub fn names_a_family(
    part_number: &str,
    maker: Option<&str>,
    component: Option<&str>,
    refs: &Reference,
) -> bool {
    let words = FamilyWords::get();
    let upper = upper_latin(part_number);
    let tokens: Vec<&str> = upper
        .split(|c: char| c.is_whitespace() || "/,;:()+&*|\\".contains(c))
        .map(|t| t.trim_matches(|c: char| TRIM.contains(c)))
        .filter(|t| !t.is_empty())
        .collect();
    let mut classes: Vec<Class> = tokens.iter().map(|t| words.classify(t)).collect();
    // a generation written apart: "SPARTAN 6", "CYCLONE IV"
    for i in 1..tokens.len() {
        let generation = compact(tokens[i]);
        if words.kind(&compact(tokens[i - 1])) == Some(Kind::Series)
            && (generation.len() <= 2 || is_roman(&generation))
        {
            classes[i] = Class::Family;
        }
    }
    // a word with a digit outside the lists is a code, whatever surrounds it (most part
    // numbers end here, before any maker name is worked out)
    let coded =
        |(t, k): (&&str, &Class)| *k == Class::Other && t.chars().any(|c| c.is_ascii_digit());
    if tokens.iter().zip(&classes).any(coded) {
        return false;
    }
    let maker_key = maker.map(alias_key);
    let mut i = 0;
    while i < tokens.len() {
        let longest = (1..=4.min(tokens.len() - i)).rev().find(|&len| {
            let span = &tokens[i..i + len];
            !span.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()))
                && names_maker(&span.join(" "), maker_key.as_deref(), refs)
        });
        match longest {
            Some(len) => {
                classes[i..i + len].fill(Class::Family);
                i += len;
            }
            None => i += 1,
        }
    }
    if classes.contains(&Class::Family) {
        // a series prefix beside a maker or a listed word: the text's code begins with it
        let codes: Vec<String> = component
            .map(|text| {
                tokens_of(text)
                    .into_iter()
                    .filter(|t| words.is_code(t))
                    .map(upper_latin)
                    .collect()
            })
            .unwrap_or_default();
        for (token, class) in tokens.iter().zip(classes.iter_mut()) {
            let begins = |code: &String| {
                code.strip_prefix(token)
                    .is_some_and(|rest| rest.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
            };
            if *class == Class::Other
                && token.chars().all(|c| c.is_ascii_alphabetic())
                && codes.iter().any(begins)
            {
                *class = Class::Family;
            }
        }
    }
    classes.contains(&Class::Family) && !classes.contains(&Class::Other)
}

/// The tokens of a component text, their surrounding punctuation trimmed.
fn tokens_of(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || SEPARATORS.contains(c))
        .map(|t| t.trim_matches(|c: char| TRIM.contains(c)))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The first code in a component text that can identify a part ("NEO-M8N-0-10" in "GNSS
/// module NEO-M8N-0-10"), as written; None when the text names none. A number spaced off an
/// uppercase prefix of two to six letters that is neither listed nor a maker's name is one
/// code with it ("IRF 5305", "ADXL 357B", "TEN 8-2411WI"), as a part name's code is
/// (`parts::analyse`).
pub fn code_in_text(text: &str, maker: Option<&str>, refs: &Reference) -> Option<String> {
    let words = FamilyWords::get();
    let tokens = tokens_of(text);
    (0..tokens.len()).find_map(|i| {
        joined(&tokens, i, maker, refs)
            .or_else(|| words.is_code(tokens[i]).then(|| tokens[i].to_string()))
    })
}

/// Token `i` with the prefix spaced off before it, when it is a number that goes with one:
/// digits and at most two letters ("5305", "357B"; not "93LC56BI"), or digits and a hyphen
/// ("8-2411WI"), after two to six uppercase letters that are neither listed nor a maker's name.
fn joined(tokens: &[&str], i: usize, maker: Option<&str>, refs: &Reference) -> Option<String> {
    let token = tokens[i];
    let before = *tokens.get(i.checked_sub(1)?)?;
    let words = FamilyWords::get();
    let digits = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    let rest = &token[digits..];
    let number = digits >= 1
        && if rest.starts_with('-') {
            words.is_code(token)
        } else {
            digits >= 3 && rest.len() <= 2 && rest.chars().all(|c| c.is_ascii_uppercase())
        };
    let prefix = (2..=6).contains(&before.len())
        && before.chars().all(|c| c.is_ascii_uppercase())
        && words.classify(before) != Class::Family
        && !names_maker(before, maker.map(alias_key).as_deref(), refs);
    (number && prefix).then(|| format!("{before} {token}"))
}

/// A part number that the component text carries only inside a longer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Inside a token that is no code: "422/RS" of "RS-422/RS-485". It names no product.
    OfFamily,
    /// The tail of a longer code after a hyphen: "2411WI" of "TEN 8-2411WI", "16AU" of
    /// "ATmega128-16AU". The longer code (as written) identifies the part.
    TailOf(String),
}

/// How a part number sits in its component text: None when the text carries it whole (alone
/// or as a run of tokens: "ADM 3222") or not at all; otherwise the longer token it is a piece
/// of. A part number cut at its front names the family of the code it was cut from, and two
/// records cut alike ("TEN 8-2411WI", "THN 30-2411WI") would otherwise be one part. A part
/// number cut at its end ("NEO-M8N" of "NEO-M8N-0-10") is an ordering code's base and stays.
pub fn fragment(
    part_number: &str,
    text: &str,
    maker: Option<&str>,
    refs: &Reference,
) -> Option<Fragment> {
    let words = FamilyWords::get();
    let stated = compact(&upper_latin(part_number));
    if stated.len() < 3 {
        return None;
    }
    if !compact(&upper_latin(text)).contains(&stated) {
        return None;
    }
    let tokens = tokens_of(text);
    let compacts: Vec<String> = tokens.iter().map(|t| compact(&upper_latin(t))).collect();
    let whole = (0..compacts.len()).any(|i| {
        (i + 1..=compacts.len().min(i + 4)).any(|end| compacts[i..end].concat() == stated)
    });
    if whole {
        return None;
    }
    let i = compacts
        .iter()
        .position(|c| c.len() > stated.len() && c.contains(&stated))?;
    // every alternative of the token a family word: "RS-422/RS-485"
    let family = upper_latin(tokens[i])
        .split('/')
        .all(|alt| !alt.is_empty() && words.classify(alt) == Class::Family);
    if family {
        return Some(Fragment::OfFamily);
    }
    if !words.is_code(tokens[i]) {
        return None;
    }
    // the stated part must be the token's tail, after a hyphen as written
    let written = upper_latin(tokens[i]);
    let mut left = stated.len();
    let cut = written.char_indices().rev().find_map(|(at, c)| {
        if c.is_ascii_alphanumeric() {
            left -= 1;
        }
        (left == 0).then_some(at)
    })?;
    let tail = compacts[i].ends_with(&stated) && written[..cut].ends_with('-');
    tail.then(|| {
        Fragment::TailOf(joined(&tokens, i, maker, refs).unwrap_or_else(|| tokens[i].to_string()))
    })
}

/// The words of a token in lowercase Latin letters ("Micro-controller": micro, controller).
fn ascii_lower_words(token: &str) -> Vec<String> {
    upper_latin(token)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a token is written with a "#" before it in the text ("#321").
fn text_has_hash_before(text: &str, token: &str) -> bool {
    text.match_indices(token)
        .any(|(at, _)| text[..at].ends_with('#'))
}

/// Words that distinguish a model when they follow its code ("A40 Pro", "Mavic Mini"): a
/// descriptive text whose code is followed by one of these is not read by its code alone.
const MODEL_WORDS: &[&str] = &[
    "PRO", "MINI", "MICRO", "PLUS", "LITE", "AIR", "ULTRA", "NANO", "SE", "NEO", "ZOOM", "DUO",
];

/// Whether a compact uppercase word is one of the words that distinguish a model ("PRO").
pub fn is_model_word(word: &str) -> bool {
    MODEL_WORDS.contains(&word)
}

/// The code a descriptive part text carries, for grouping (`cluster --kind parts`): the first
/// code of the text (as `code_in_text` finds it), with an ordering suffix spaced off it joined
/// back ("CY7C1069DV33 -10ZSXI", "AD7450 BRZ") and a short letter prefix spaced off a code that
/// begins with a digit ("MAX 3221EAE", "AD 9755"). The words around it describe
/// ("Microcircuit", "12-bit analog-to-digital converter") and the tokens after it are markings
/// (lot and date groups, "#1718 3819916.1"). None when the text is no description — no word
/// of three letters or more beside the code — so a bare name ("stm32f405 rgt6") keeps its
/// own reading, or when a model word follows the code ("A40 Pro").
pub fn code_of_description(text: &str, refs: &Reference) -> Option<String> {
    description_reading(text, refs).map(|(code, _)| code)
}

/// The word a token reads as when its digits are misread letters (0 O, 1 I, 2 Z, 5 S, 8 B),
/// lowercase: "boson" for "8oson", "module" for "M0dule". None when a digit is no look-alike
/// or stands beside another digit (a code's number is a group of digits: "bzx55"), or when
/// fewer than four letters remain. Whether it is a misreading is for the set to say (the word
/// written elsewhere), not the shape: "lfe5u" reads "lfesu" and is a code.
pub fn misread_word(token: &str) -> Option<String> {
    let has_digit = token.chars().any(|c| c.is_ascii_digit());
    let grouped = token
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_digit());
    if !has_digit || grouped {
        return None;
    }
    let letters: Option<String> = token
        .chars()
        .map(|c| match c {
            '0' => Some('o'),
            '1' => Some('i'),
            '2' => Some('z'),
            '5' => Some('s'),
            '8' => Some('b'),
            c if c.is_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    letters.filter(|w| w.chars().count() >= 4)
}

/// `code_of_description`, with the tokens written after the code (markings, or the rest of a
/// model's name: "KV340" of "MN5212 KV340 outrunner"), for the caller to weigh against the set.
pub fn description_reading(text: &str, refs: &Reference) -> Option<(String, Vec<String>)> {
    let words = FamilyWords::get();
    // tokens, with whether a dash stood right before each ("-10ZSXI", "– 45ZSXI")
    let mut tokens: Vec<(&str, bool)> = Vec::new();
    let mut dash = false;
    for piece in text.split(|c: char| c.is_whitespace() || SEPARATORS.contains(c) && c != '–') {
        if piece.is_empty() {
            continue;
        }
        let trimmed = piece.trim_matches(|c: char| TRIM.contains(c) || c == '–');
        if trimmed.is_empty() {
            dash = piece.contains(['-', '–']);
            continue;
        }
        let lead = piece.starts_with(['-', '–']);
        tokens.push((trimmed, dash || lead));
        dash = false;
    }
    let plain: Vec<&str> = tokens.iter().map(|t| t.0).collect();
    // a code of four characters at least: "E0S" and "1II" of "E0S 5D Mark 1II" are no codes
    // nor is a range ("2.5...36V")
    let at = (0..plain.len()).find(|&i| {
        let long = compact(plain[i]).len() >= 4 && !plain[i].contains("..");
        long && (words.is_code(plain[i]) || joined(&plain, i, None, refs).is_some())
    })?;
    // a code typed in one script: Cyrillic capitals drawn like Latin ones are the Latin
    // letters ("МАХ233АЕWP" is MAX233AEWP, not MAKH233AEWP), as a bare name reads them
    let mut code = if plain[at].is_ascii() {
        upper_latin(plain[at])
    } else {
        upper_latin(&one_script(plain[at]))
    };
    let mut first = at;
    // a short prefix spaced off: "MAX 3221EAE", "ADV 7180", "AD 9755"
    if at > 0 && code.starts_with(|c: char| c.is_ascii_digit()) {
        let before = plain[at - 1];
        let up = upper_latin(before);
        let short = (2..=4).contains(&before.len()) || !names_maker(before, None, refs);
        // written in capitals, or in lowercase beside a lowercase code ("atmega 328p-au")
        let written = before.chars().all(|c| c.is_ascii_uppercase())
            || (before.chars().all(|c| c.is_ascii_lowercase())
                && !plain[at].chars().any(|c| c.is_ascii_uppercase()));
        let letters = (2..=6).contains(&before.len())
            && written
            && !CATEGORY_WORDS.contains(&up.to_ascii_lowercase().as_str())
            && !MODEL_WORDS.contains(&up.as_str())
            && !UNITS.contains(&up.as_str())
            && short;
        // a series with its generation spaced off the number: "TMS320F 28335PGFA"
        let series = before.chars().any(|c| c.is_ascii_digit())
            && before.chars().all(|c| c.is_ascii_alphanumeric())
            && words.is_series(&compact(&up));
        if letters || series {
            code = format!("{before}{code}");
            first = at - 1;
        }
    }
    let mut last = at;
    if let Some(&(next, dashed)) = tokens.get(at + 1) {
        let up = upper_latin(next);
        let alnum = next.chars().all(|c| c.is_ascii_alphanumeric());
        // "-10ZSXI": an ordering code after a dash, with a letter in it
        let ordering =
            dashed && alnum && next.len() >= 2 && next.chars().any(|c| c.is_ascii_alphabetic());
        // "BRZ", "ARUZ": two to four capitals, no word of the lists, after a code ending in a digit
        let suffix = !dashed
            && (2..=4).contains(&next.len())
            && next.chars().all(|c| c.is_ascii_uppercase())
            && code.ends_with(|c: char| c.is_ascii_digit())
            && words.classify(&up) != Class::Family
            && !UNITS.contains(&up.as_str())
            && !MODEL_WORDS.contains(&up.as_str());
        if ordering || suffix {
            code = format!("{code}-{up}");
            last = at + 1;
        }
    }
    // a model word after the code: "A40 Pro", "X8 Mini"
    if let Some(&(next, _)) = tokens.get(last + 1) {
        if MODEL_WORDS.contains(&upper_latin(next).as_str()) {
            return None;
        }
    }
    // a description: some word of three letters or more beside the code
    // ("GPS module", "DSP", "programmable logic": a part name's category words are set aside
    // by `parts::analyse` already, with the code's own spacing)
    // by `parts::analyse` already, with the code's own spacing), a quantity ("12-bit",
    // "3.3V"), a marking after the code ("#321", "1525 622721") or brackets around the code
    // lot and date groups after the code: "VP230 26M AJ1T", "PS767D301 22T AK3F"
    let markings = plain[last + 1..]
        .iter()
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .count();
    let describes = plain.iter().enumerate().any(|(i, t)| {
        let word = t.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !t.chars().any(|c| c.is_ascii_digit())
            && !ascii_lower_words(t)
                .iter()
                .all(|w| CATEGORY_WORDS.contains(&w.as_str()));
        let marking = i > last
            && (text_has_hash_before(text, t)
                || (t.len() >= 3 && t.chars().all(|c| c.is_ascii_digit())));
        let family = t.chars().any(|c| c.is_ascii_digit())
            && words.classify(&upper_latin(t)) == Class::Family;
        !(first..=last).contains(&i) && (word || family || is_quantity(&upper_latin(t)) || marking)
    }) || text[..text.find(plain[first]).unwrap_or(0)].contains(['(', '['])
        || markings >= 2;
    let after = plain[last + 1..].iter().map(|t| t.to_string()).collect();
    describes.then_some((code, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(pn: &str) -> bool {
        names_a_family(pn, None, None, Reference::get())
    }

    fn code(text: &str) -> Option<String> {
        code_in_text(text, None, Reference::get())
    }

    #[test]
    fn the_list_parses_and_every_word_has_a_kind_and_a_source() {
        let mut reader = csv::Reader::from_reader(FAMILY_WORDS_CSV.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["word", "kind", "source"]
        );
        let kinds = [
            "technology",
            "memory",
            "interface",
            "navigation",
            "switch",
            "logic",
            "series",
            "family",
            "package",
            "package-hyphen",
            "descriptor",
            "translation",
        ];
        let mut seen = std::collections::HashSet::new();
        for row in reader.records() {
            let row = row.unwrap();
            assert!(kinds.contains(&&row[1]), "{row:?}: unknown kind");
            assert!(!row[2].trim().is_empty(), "{row:?}: no source");
            assert!(seen.insert(compact(&row[0])), "{row:?}: listed twice");
        }
        assert!(FamilyWords::get().words.len() >= 200);
    }

    #[test]
    fn family_technology_and_package_words_are_recognised() {
        for pn in [
            "MOSFET",
            "FPGA",
            "CMOS",
            "GNSS",
            "EEPROM",
            "SRAM",
            "STM32F",
            "TQFP44",
            "SOIC-8",
            "QFN32",
            "SOT-23",
            "SOT-23-5",
            "8-SOIC",
            "BGA-256",
            "TSSOP-16",
            "ALTERA",
            "XILINX SPARTAN",
            "FPGA ALTERA",
            "XILINX ZYNQ",
            "SPARTAN 6",
            "Spartan-6",
            "Cortex-M4",
            "DDR2",
            "GPS/GLONASS",
            "GPS-GLONASS",
            "IGBT/MOSFET",
            "GNSS U",
            "LFCSP EP",
            "CMOS RS",
            "HIGH-SPEED LOW",
            "RS-232",
            "ПЛИС",
            "microcontroller",
        ] {
            assert!(family(pn), "{pn} names a family");
        }
    }

    #[test]
    fn codes_are_not_family_words_even_made_only_of_letters() {
        for pn in [
            "TIWI-BLE",
            "DLVR-L",
            "IHLP",
            "STM32F405RGT6",
            "NEO-M8N",
            "CGGP",
            "HCS-LTS",
            "BGA2869",
            "TSOP4838",
            "SC2440",
            "ATMEGA8",
            "DLE 120",
            "Jetson TX2",
            "CMOS 14",
            "EOS Kiss",
            "A",
            "",
        ] {
            assert!(!family(pn), "{pn} is a code");
        }
    }

    #[test]
    fn a_maker_name_is_a_family_word_by_the_alias_list_or_the_findings_maker() {
        let refs = Reference::get();
        assert!(family("MAXIM"));
        assert!(names_a_family(
            "OXFORD SEMICOND",
            Some("Oxford Semiconductor"),
            None,
            refs
        ));
        assert!(names_a_family(
            "GOLLEDGE",
            Some("Golledge Electronics Ltd."),
            None,
            refs
        ));
        assert!(!names_a_family(
            "GOLLEDGE",
            Some("Texas Instruments"),
            None,
            refs
        ));
        assert!(!names_a_family(
            "TIWI-BLE",
            Some("Laird Connectivity"),
            Some("WiFi and Bluetooth module TIWI-BLE p/n 450-0064"),
            refs
        ));
    }

    #[test]
    fn a_series_prefix_beside_a_maker_is_shown_by_the_code_in_the_text() {
        let refs = Reference::get();
        let text = "Voltage regulator generator RFMD UMX-406-D16-G";
        assert!(names_a_family(
            "RFMD UMX",
            Some("RF Micro Devices"),
            Some(text),
            refs
        ));
        assert!(!names_a_family(
            "RFMD UMX",
            Some("RF Micro Devices"),
            None,
            refs
        ));
        assert!(
            !names_a_family(
                "DLVR-L",
                Some("All Sensors"),
                Some("Board level pressure sensor DLVR-L-10D-E1BD-1PI3N"),
                refs
            ),
            "alone, a code made of letters stays a code"
        );
    }

    #[test]
    fn the_code_in_a_component_text_is_its_first_code_token() {
        for (text, expected) in [
            ("GNSS receiver NEO-M8N", Some("NEO-M8N")),
            ("GNSS module LEA-M8S-0-10", Some("LEA-M8S-0-10")),
            (
                "Microcircuit CY7C1069DV33-10ZSXI",
                Some("CY7C1069DV33-10ZSXI"),
            ),
            (
                "GNSS module NEO-M8N based on the receiver M8030-KT M8030-KT 83000A",
                Some("NEO-M8N"),
            ),
            ("Microcontroller M5-1-4 in TQFP44 package", Some("M5-1-4")),
            ("Microcontroller М5-2-4 TQFP44", Some("М5-2-4")),
            (
                "8-pin 8-bit CMOS microcontroller with nanoWatt technology 12F683",
                Some("12F683"),
            ),
            (
                "CMOS RS-232 driver/receiver, 120 kb/s, 3.3V, ADM211 ARSZ",
                Some("ADM211"),
            ),
            ("MOSFET transistor IRF 5305", Some("IRF 5305")),
            (
                "Low noise 3-axis MEMS accelerometer ADXL 357B #2207",
                Some("ADXL 357B"),
            ),
            (
                "Programmable logic ALTERA Cyclone IV EP4CGX110DF3117N",
                Some("EP4CGX110DF3117N"),
            ),
            (
                "FPGA chip XILINX SPARTAN-6 XC6SLX16 CSG225",
                Some("XC6SLX16"),
            ),
            ("RF JFET DC-6GHz 28V 25W CREE CGH40025", Some("CGH40025")),
            (
                "interface chip, 4.75-5.25V power supply, MAX3045",
                Some("MAX3045"),
            ),
            ("SRAM 1Mx16 4-Port 65nm Cortex-M4 DDR3 I2C", None),
            ("N-channel MOSFET", None),
            ("Engine T-MOTOR", None),
            ("Double-Data-Rate-3 DRAM", None),
            (
                "2-wire serial EEPROM (memory) FM24C08A 1040JOR",
                Some("FM24C08A"),
            ),
            ("SONY FCB-7520", Some("FCB-7520")),
            ("GPS GLONASS antenna 1596A-Q", Some("1596A-Q")),
            ("HDMI switcher STHDLS 101T A172", Some("STHDLS 101T")),
            ("serial PPROM 93LC56BI SN 1835", Some("93LC56BI")),
            (
                "2-channel RS232/V.28 receiver ADM 3222 ARUZ",
                Some("ADM 3222"),
            ),
        ] {
            assert_eq!(code(text).as_deref(), expected, "{text}");
        }
        assert_eq!(
            code_in_text(
                "Regulator MAXIM 2769E",
                Some("Maxim Integrated"),
                Reference::get()
            )
            .as_deref(),
            Some("2769E"),
            "a maker's name is not a prefix of the code"
        );
    }

    #[test]
    fn a_part_number_cut_from_a_longer_token_is_a_fragment() {
        let f = |pn: &str, text: &str| fragment(pn, text, None, Reference::get());
        assert_eq!(
            f("2411WI", "DC/DC converter TEN 8-2411WI"),
            Some(Fragment::TailOf("TEN 8-2411WI".into()))
        );
        assert_eq!(
            f("7245MH", "Servo drive HS-7245MH"),
            Some(Fragment::TailOf("HS-7245MH".into()))
        );
        assert_eq!(
            f("16AU", "Microcontroller ATmega128-16AU Atvel"),
            Some(Fragment::TailOf("ATmega128-16AU".into()))
        );
        assert_eq!(
            f("422/RS", "RS-422/RS-485 receiver (MAX3471EUA)"),
            Some(Fragment::OfFamily)
        );
        for (pn, text) in [
            ("NEO-M8N", "GPS module NEO-M8N-0-01"),
            ("ADM3222", "Transceiver ADM 3222 ARUZ"),
            ("STM32F405RGT6", "Microcontroller STM32F405RGT6"),
            ("A40", "camera"),
            ("00R20", "Car tire Michelin XZL+, 16.00R20"),
            ("2411", "DC/DC converter TEN 20-2411"),
            ("0020-8", "Antenna grid 11-0020-8"),
            (
                "100/1000",
                "Built-in 10/100/1000 Ethernet transceiver 88E1111-BAB1",
            ),
        ] {
            assert_eq!(f(pn, text), None, "{pn} in {text}");
        }
    }

    #[test]
    fn quantities_are_numbers_with_units() {
        for q in [
            "3.3V", "25MHZ", "8-BIT", "20PIN", "2CH", "512KX8", "1MX4", "+-5.5V", "65NM",
        ] {
            assert!(is_quantity(q), "{q}");
        }
        for c in ["357B", "12F683", "2N2222", "1N4148", "78M05", "220M"] {
            assert!(!is_quantity(c), "{c}");
        }
    }
}

#[cfg(test)]
mod description_tests {
    use super::*;

    fn code(text: &str) -> Option<String> {
        code_of_description(text, Reference::get())
    }

    #[test]
    fn a_description_is_read_by_the_code_it_carries() {
        for (text, want) in [
            ("Microcircuits CY7C1069DV33-10ZSXI", "CY7C1069DV33-10ZSXI"),
            (
                "integrated circuit CY7C1069DV33 -10ZSXI 1525 622721",
                "CY7C1069DV33-10ZSXI",
            ),
            (
                "Microcircuit CY62157EV30L – 45ZSXI 1813 614000 04",
                "CY62157EV30L-45ZSXI",
            ),
            ("Integrated circuit AD7450 BRZ", "AD7450-BRZ"),
            (
                "Two-channel digital isolator 1201CRZ 18108 16029",
                "1201CRZ",
            ),
            ("Transceiver (MAX 3221EAE)", "MAX3221EAE"),
            ("GOAT (AD9717)", "AD9717"),
            ("3.3V CAN bus transceiver VP230 26M AJ1T", "VP230"),
            // Cyrillic twins in a code are its Latin letters, as in a bare name
            (
                "Interface chip (multi-channel driver/receiver) МАХ233АЕWP",
                "MAX233AEWP",
            ),
        ] {
            assert_eq!(code(text).as_deref(), Some(want), "{text}");
        }
        // a code with a letter no Latin letter looks like stays Cyrillic (И is no N), and
        // its number still decides
        assert_eq!(
            code("Microcircuit (logic) 5559ИН4").as_deref(),
            Some("5559IN4")
        );
        assert_ne!(
            code("Microcircuit (logic) 5559ИН4"),
            code("Microcircuit (logic) 5559ИН5")
        );
    }

    #[test]
    fn a_word_misread_with_digits_reads_as_letters() {
        assert_eq!(misread_word("8oson").as_deref(), Some("boson"));
        assert_eq!(misread_word("M0dule").as_deref(), Some("module"));
        assert_eq!(misread_word("bzx55"), None, "a group of digits is a number");
        assert_eq!(misread_word("Boson"), None, "no digit");
        assert_eq!(misread_word("AD8"), None, "too short");
        assert_eq!(misread_word("QX7A"), None, "7 is no letter");
    }

    #[test]
    fn a_bare_name_or_a_model_word_keeps_the_whole_reading() {
        for text in [
            "stm32f405 rgt6",
            "NEO M8T GPS module",
            "camera A40T Pro",
            "EOS 5D Mark 1II",
            "TMS320F 28335PGFA DSP",
            "AMS1117-3.3",
        ] {
            assert_eq!(code(text), None, "{text}");
        }
    }
}
