//! Part names: the code that identifies a part, separated from the words around it.
//!
//! "ST STM32F405RGT6 MCU", "stm32f405 rgt6", "STM32F4O5RGT6" and "STM32F405RGT6TR" all carry
//! the code STM32F405RGT6: maker names, category words ("MCU", "GPS module") and packaging or
//! ordering suffixes (/TR, -REEL, #PBF: the chip inside the weapon is the same) are set aside,
//! and the OCR look-alikes O/0, I/1, Z/2, S/5, B/8, G/6 fold into one skeleton. Beyond that, any
//! change in the code — above all in its digits, decimal points included — is another part.

use std::collections::HashSet;

use super::families::{is_quantity, FamilyWords};
use super::reference::Reference;
use super::text::{ascii_words, latin, one_script, split_parenthesised};

/// Words that say what kind of component it is, never which one.
pub const CATEGORY_WORDS: &[&str] = &[
    "camera",
    "cam",
    "gimbal",
    "thermal",
    "imager",
    "module",
    "gps",
    "gnss",
    "glonass",
    "receiver",
    "front",
    "end",
    "frontend",
    "mcu",
    "microcontroller",
    "micro",
    "controller",
    "fpga",
    "cpld",
    "programmable",
    "logic",
    "dsp",
    "signal",
    "processor",
    "microprocessor",
    "digital",
    "analog",
    "voltage",
    "regulator",
    "converter",
    "dc",
    "ldo",
    "accelerometer",
    "gyroscope",
    "gyro",
    "imu",
    "sensor",
    "pressure",
    "engine",
    "motor",
    "brushless",
    "servo",
    "quadcopter",
    "drone",
    "transceiver",
    "transmitter",
    "rf",
    "chip",
    "ic",
    "memory",
    "flash",
    "eeprom",
    "sram",
    "dram",
    "sdram",
    "mosfet",
    "transistor",
    "diode",
    "capacitor",
    "resistor",
    "crystal",
    "oscillator",
    "antenna",
    "battery",
    "cell",
    "connector",
    "amplifier",
    "lna",
    "adc",
    "dac",
    "interface",
    "driver",
    "buffer",
    "switch",
    "filter",
    "power",
    "supply",
    "unit",
    "board",
    "the",
    "of",
    "and",
    "for",
    "with",
    "type",
    "series",
    "part",
    "uav",
    "usb",
    "component",
    "electronic",
    "computer",
    "carburetor",
    "carburettor",
    "lens",
    "lenses",
    "tracker",
    "modem",
    "radio",
    "video",
    "navigation",
    "inertial",
    "barometer",
    "magnetometer",
    "compass",
    "flight",
    "autopilot",
    "esc",
    "speed",
    "generator",
    "pump",
    "spark",
    "plug",
];

/// Ordering and packaging suffixes, as they end a part number (uppercase, with separator).
const PACKAGING_SUFFIXES: &[&str] = &[
    "/TR", "-TR", "#TR", "-T&R", "#TRPBF", "-TRPBF", "#PBF", "-PBF", "/PBF", "-REEL", "/REEL",
    "-REEL7", "-RL", "/NOPB", "-ND", "+T", "+",
];

/// The part of a name that identifies the part, and what was set aside around it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartName {
    /// The code as written, uppercase letters and digits (dots between digits kept).
    pub code: String,
    /// The code with OCR look-alikes folded: what candidates are found by.
    pub skeleton: String,
    /// A maker named inside the name ("AD9363 (Analog Devices Inc.)", "DJI Mavic 3T").
    pub maker_hint: Option<String>,
    /// A packaging or ordering suffix that was set aside ("/TR").
    pub packaging: Option<String>,
    /// For each character of `code`, whether a look-alike there can be a misreading (see
    /// `ocr_plausible`).
    pub ocr_ok: Vec<bool>,
}

/// Takes a part name apart for its identity (`normalize::code_key`): only what never
/// distinguishes two parts is set aside. `known_maker` says whether some words are a maker's
/// name.
pub fn analyse(name: &str, refs: &Reference, known_maker: &dyn Fn(&str) -> bool) -> PartName {
    analyse_with(name, refs, known_maker, false).0
}

/// Takes a part name apart for candidates (`cluster`, `dedup`): as `analyse`, and the words
/// that only describe a code are set aside too (`set_aside_descriptions`).
pub fn analyse_for_matching(
    name: &str,
    refs: &Reference,
    known_maker: &dyn Fn(&str) -> bool,
) -> PartName {
    analyse_with(name, refs, known_maker, true).0
}

/// `analyse_for_matching`, with the tokens the code was made of (uppercase Latin, as
/// written apart): what a slip in a model word is looked for in (`slip_keys`).
pub fn analyse_tokens(
    name: &str,
    refs: &Reference,
    known_maker: &dyn Fn(&str) -> bool,
) -> (PartName, Vec<String>) {
    analyse_with(name, refs, known_maker, true)
}

fn analyse_with(
    name: &str,
    refs: &Reference,
    known_maker: &dyn Fn(&str) -> bool,
    matching: bool,
) -> (PartName, Vec<String>) {
    let (head, note) = split_parenthesised(name);
    let mut maker_hint = note
        .filter(|n| known_maker(n) || refs.maker_alias(&super::makers::alias_key(n)).is_some())
        .map(str::to_string);
    let raw_tokens: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || ",;()".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    // a maker's name inside the part name: the longest run of digit-free words that names one
    let mut keep = vec![true; raw_tokens.len()];
    let mut i = 0;
    while i < raw_tokens.len() {
        let mut matched = 0;
        for len in (1..=6.min(raw_tokens.len() - i)).rev() {
            let span = &raw_tokens[i..i + len];
            if span.iter().any(|t| t.chars().any(|c| c.is_ascii_digit())) {
                continue;
            }
            // "LTC 3780": a maker's prefix spaced off its number is part of the code
            if raw_tokens
                .get(i + len)
                .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()))
            {
                continue;
            }
            let text = span.join(" ");
            if known_maker(&text) || refs.maker_alias(&super::makers::alias_key(&text)).is_some() {
                maker_hint.get_or_insert(text);
                matched = len;
                break;
            }
        }
        if matched > 0 {
            keep[i..i + matched].iter_mut().for_each(|k| *k = false);
            i += matched;
        } else {
            i += 1;
        }
    }
    let mut model: Vec<String> = Vec::new();
    // how each word was written: a lowercase word before a code in capitals describes it
    let mut written = WrittenCase::default();
    for (i, (t, k)) in raw_tokens.iter().zip(keep).enumerate() {
        let (lat, _) = latin(&one_script(t));
        let words = ascii_words(&lat);
        let is_category = !words.is_empty()
            && words.iter().all(|w| CATEGORY_WORDS.contains(&w.as_str()))
            && !(matching && model_size_word(&words, raw_tokens.get(i + 1).copied()));
        if k && !is_category {
            let up = lat.to_uppercase();
            written.note(t, &up);
            model.push(up);
        }
    }
    let mut packaging = strip_packaging(&mut model);
    // a suffix may have hidden a category word ("camera-TR"); a "micro" left here was kept as
    // a model's size above
    model.retain(|t| !is_category(t) || (matching && t == "MICRO"));
    if matching {
        roman_generations_as_numbers(&mut model);
    }
    if matching && set_aside_descriptions(&mut model, &written) && packaging.is_none() {
        // a description may have hidden a suffix ("LM1117-TR regulator chip")
        packaging = strip_packaging(&mut model);
    }
    let code = compact_code(&model.concat());
    let skeleton = ocr_skeleton(&code);
    let ocr_ok = ocr_plausible(&model);
    let part = PartName {
        code,
        skeleton,
        maker_hint,
        packaging,
        ocr_ok,
    };
    (part, model)
}

/// Words of five letters or more that name a model rather than describe it ("Mavic 3
/// Classic", "Matrice 30 Enterprise"): kept beside a code like the short model words.
const LONG_MODEL_WORDS: &[&str] = &[
    "ULTRA",
    "MICRO",
    "CLASSIC",
    "ENTERPRISE",
    "ADVANCED",
    "STANDARD",
    "PREMIUM",
    "EXPERT",
];

/// A generation written in Roman numerals after a model's word is its number ("EVO II" is
/// "EVO 2", "Mark III" is "Mark 3"), so the two spellings, spaced or glued ("Evo2"), give one
/// code. Only a token of its own after a word of letters, and only numerals of two letters or
/// more (II to IX): a lone I, V or X can be a model letter. An OCR "1" among the I's ("EVO 1I")
/// reads as I. For candidates only; the identity key keeps what was written.
fn roman_generations_as_numbers(model: &mut [String]) {
    const NUMERALS: [&str; 8] = ["II", "III", "IV", "VI", "VII", "VIII", "IX", "XI"];
    for i in 1..model.len() {
        // a word, or one misread with a look-alike digit ("EV0 II")
        let word = &model[i - 1];
        let after_word = word.chars().filter(char::is_ascii_alphabetic).count() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || "01258".contains(c))
            && !word
                .as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_digit());
        let read = model[i].replace('1', "I");
        let misread_ones = model[i].contains('I') || !model[i].contains('1');
        if let Some(n) = NUMERALS.iter().position(|r| *r == read) {
            if after_word && misread_ones {
                model[i] = [2, 3, 4, 6, 7, 8, 9, 11][n].to_string();
            }
        }
    }
}

/// Whether a compact uppercase word is a long model word ("CLASSIC").
pub fn is_long_model_word(word: &str) -> bool {
    LONG_MODEL_WORDS.contains(&word)
}

/// Whether a token can carry a part's identity alone: letters and digits written together,
/// three characters at least, and no quantity ("LM358", "NEO-M8N", "A40", "H20T"; not "3",
/// "5D", "3.3V", "8-BIT").
fn is_anchor(token: &str) -> bool {
    let c = compact_code(token);
    c.len() >= 3
        && c.chars().any(|ch| ch.is_ascii_digit())
        && c.chars().any(|ch| ch.is_ascii_alphabetic())
        && !is_quantity(token)
}

/// Sets aside the words that only describe a code, when the name has a code to stand on (a
/// token of letters and digits, `is_anchor`, or a word with a number spaced off it). Decided by the shape of a word, with lists only
/// for exceptions: a word with a digit is code; a word right before a token that begins with a
/// digit is the code's prefix spaced off ("ADIS 16488", "Mavic 3", "ATMEGA 2560"); a word the
/// family list has as a technology, interface or descriptor describes ("Ethernet", "LDO",
/// "op-amp"); other words of four letters or fewer distinguish models or are pieces of the
/// code ("Pro", "Mini", "TR", "NEO M8T", "PGFA"); longer words describe ("gyroscope",
/// "stabilised", "transceiver"), but for a few long model words (`LONG_MODEL_WORDS`). A name
/// without such a code ("EVO II", "Servo drive", "Thermal imaging module") keeps its words:
/// they are all that identifies it. Returns whether a word was set aside.
pub fn set_aside_descriptions(model: &mut Vec<String>, written: &WrittenCase) -> bool {
    // a word and the number spaced off it stand together ("Pixhawk 6C", "Mavic 3")
    // ("H 7" is no code to stand on, as "H7" is not: a name reads the same split or not)
    let prefixed = |i: usize| {
        let word = &model[i];
        word.chars().all(|c| c.is_ascii_alphabetic())
            && model.get(i + 1).is_some_and(|n| {
                n.starts_with(|c: char| c.is_ascii_digit())
                    && !is_quantity(n)
                    && compact_code(word).len() + compact_code(n).len() >= 3
            })
    };
    // a number of three digits or more with a short word after it ("912 ULS", "914 UL")
    let numbered = |i: usize| {
        let number = &model[i];
        number.len() >= 3
            && number.chars().all(|c| c.is_ascii_digit())
            && model.get(i + 1).is_some_and(|w| {
                (1..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_alphabetic())
            })
    };
    let anchored = (0..model.len()).any(|i| is_anchor(&model[i]) || prefixed(i) || numbered(i));
    if !anchored {
        return false;
    }
    let words = FamilyWords::get();
    let keep: Vec<bool> = (0..model.len())
        .map(|i| {
            let c = compact_code(&model[i]);
            if c.is_empty() || c.chars().any(|ch| ch.is_ascii_digit()) {
                return true;
            }
            // a word in lowercase before a code written in capitals is no prefix of it but a
            // description ("piston engine 912 ULS"), as "atmega 328p" is lowercase beside
            // lowercase and "ADIS 16488" capitals beside capitals
            let lowercase_before_capitals = written.lowercase.contains(&model[i])
                && model[i + 1..]
                    .iter()
                    .take(2)
                    .any(|t| written.capitals.contains(t));
            let prefix = model
                .get(i + 1)
                .is_some_and(|next| next.starts_with(|ch: char| ch.is_ascii_digit()))
                && !lowercase_before_capitals;
            if prefix {
                return true;
            }
            // letters paired with a slash name what is measured or carried ("rh/t", "tx/rx",
            // "I/O", "WiFi/BT"), never a model
            if words.describes(&c) || model[i].contains('/') {
                return false;
            }
            let after_code = i > 0 && model[i - 1].chars().any(|ch| ch.is_ascii_digit());
            c.len() <= 4
                || LONG_MODEL_WORDS.contains(&c.as_str())
                || after_code && written.all_capitals.contains(&model[i]) && unsayable(&c)
        })
        .collect();
    let before = model.len();
    let mut flags = keep.into_iter();
    model.retain(|_| flags.next().unwrap_or(true));
    model.len() < before
}

/// Whether a word of five or six capitals has at most one vowel, as ordering codes spaced
/// off a part number do ("AD7450 IDGST", "TPS62130 RGTR"), where words that describe are
/// spoken and alternate vowels and consonants ("SENSOR", "MODULE", "DRIVER"). Longer words
/// describe whatever their letters ("STRENGTH").
fn unsayable(word: &str) -> bool {
    let vowels = word.chars().filter(|c| "AEIOUY".contains(*c)).count();
    (5..=6).contains(&word.len()) && vowels <= 1
}

/// How the tokens of a name were written, by their uppercase Latin form (the model's tokens
/// lose their case): words written in lowercase only ("piston"), and tokens with a capital
/// ("ULS", "KV420").
#[derive(Debug, Default)]
pub struct WrittenCase {
    lowercase: HashSet<String>,
    capitals: HashSet<String>,
    /// tokens written in capitals only ("BRWZ", not "Gyroscope")
    all_capitals: HashSet<String>,
}

impl WrittenCase {
    /// Notes how a token (`up`: its uppercase Latin form) was written.
    fn note(&mut self, token: &str, up: &str) {
        if token.chars().any(|c| c.is_ascii_uppercase()) {
            self.capitals.insert(up.to_string());
            if !token.chars().any(|c| c.is_lowercase()) {
                self.all_capitals.insert(up.to_string());
            }
        } else if token.chars().all(|c| c.is_ascii_lowercase()) {
            self.lowercase.insert(up.to_string());
        }
    }
}

/// Whether a token that is the category word "micro" names a model's size instead, as Mini
/// and Nano do ("Predator Micro V5" is not "Predator V5"): alone, and not before another
/// category word ("micro controller"). For candidates only: the identity key keeps reading
/// it as before, so keys already written do not change.
fn model_size_word(words: &[String], next: Option<&str>) -> bool {
    words.len() == 1 && words[0] == "micro" && !next.is_some_and(is_category)
}

/// Whether a token is made only of category words ("micro-controller", "GPS").
fn is_category(token: &str) -> bool {
    let words = ascii_words(&token.to_lowercase());
    !words.is_empty() && words.iter().all(|w| CATEGORY_WORDS.contains(&w.as_str()))
}

/// Removes an ordering suffix from the last model token; a bare "TR" glued to the code only
/// when the code stands alone and is long enough not to be a model name ("A40TR" is a camera,
/// "Q10FTR" a Q10F on tape and reel).
fn strip_packaging(model: &mut Vec<String>) -> Option<String> {
    // a suffix written as a word of its own: "STM32F405RGT6 TR", "AD9363 -REEL"
    if model.len() > 1 {
        let last = compact_code(model.last().expect("len > 1"));
        if ["TR", "REEL", "PBF", "TRPBF", "ND", "NOPB"].contains(&last.as_str()) {
            model.pop();
            return Some(last);
        }
    }
    // the code before the suffix has three characters at least, in this token or with the
    // tokens before it ("Pixhawk 6C#PBF")
    let (last, before) = model.split_last_mut()?;
    let spaced_off = before.iter().any(|t| !t.is_empty());
    for suffix in PACKAGING_SUFFIXES {
        let rest = last.len().saturating_sub(suffix.len());
        if (rest >= 3 || (rest >= 1 && spaced_off)) && last.ends_with(suffix) {
            last.truncate(last.len() - suffix.len());
            return Some((*suffix).to_string());
        }
    }
    // a reel designator after a slash: "/R7", "/R13" (the reel's diameter in inches)
    if let Some(at) = last.rfind("/R") {
        let digits = &last[at + 2..];
        let reel = (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
        if reel && compact_code(&last[..at]).len() >= 3 {
            let suffix = last[at..].to_string();
            last.truncate(at);
            return Some(suffix);
        }
    }
    // the code stands alone, glued or with its letter prefix spaced off its number
    // ("IRLML 6402TRPBF" as "IRLML6402TRPBF")
    let spaced_prefix = model.len() == 2
        && model[0].chars().all(|c| c.is_ascii_alphabetic())
        && model[1].starts_with(|c: char| c.is_ascii_digit());
    if model.len() == 1 || spaced_prefix {
        let whole = compact_code(&model.concat());
        let last = compact_code(model.last().expect("one token at least"));
        // glued on: tape and reel, lead-free ("MAX3232TR", "SIM800LTRPBF"); "PBF" never
        // ends a model's name, "TR" only after a long code with a digit
        for glued in ["TRPBF", "PBF", "TR"] {
            let base = &whole[..whole.len().saturating_sub(glued.len())];
            if last.len() > glued.len()
                && last.ends_with(glued)
                && base.len() >= 4
                && base.chars().any(|c| c.is_ascii_digit())
            {
                *model.last_mut().expect("one token at least") =
                    last[..last.len() - glued.len()].to_string();
                return Some(glued.into());
            }
        }
    }
    None
}

/// Uppercase letters and digits; a dot between two digits stays (18.432 is not 1.8432).
pub fn compact_code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let dot = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_alphanumeric() || dot {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// Where in a code a letter/digit look-alike is plausibly a misreading rather than a real
/// difference. Part numbers mix letters and digits on purpose (STM32F103C8T6 and ...CBT6 are
/// two chips), so a look-alike counts only where its neighbours say which it should be: next to
/// a digit, or as the one odd character of an otherwise all-letter or all-digit segment
/// ("NE0-M8T", "Mav1c"). One entry per character of the compact code.
pub fn ocr_plausible(model: &[String]) -> Vec<bool> {
    let mut out = Vec::new();
    for token in model {
        for segment in token.split(|c: char| !c.is_ascii_alphanumeric() && c != '.') {
            let chars: Vec<char> = segment
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            for (i, &c) in chars.iter().enumerate() {
                let next_to_digit = (i > 0 && chars[i - 1].is_ascii_digit())
                    || chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                let others = chars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, o)| *o);
                let odd_one_out = chars.len() > 1
                    && (others.clone().all(|o| o.is_ascii_alphabetic())
                        || others.clone().all(|o| o.is_ascii_digit()));
                let _ = c;
                out.push(next_to_digit || odd_one_out);
            }
        }
    }
    out
}

/// Whether two codes with one skeleton differ only where a misreading is plausible in at
/// least one of them.
pub fn ocr_variants(a: &PartName, b: &PartName) -> bool {
    if a.skeleton != b.skeleton || a.code.len() != b.code.len() {
        return false;
    }
    a.code
        .chars()
        .zip(b.code.chars())
        .enumerate()
        .all(|(i, (x, y))| {
            x == y
                || a.ocr_ok.get(i).copied().unwrap_or(false)
                || b.ocr_ok.get(i).copied().unwrap_or(false)
        })
}

/// Whether, of two codes with one skeleton and one maker that differ where no misreading is
/// plausible by position (a look-alike between two letters: "EP4CE6E22CB", "MK64FNIM0VLL12"),
/// the rare one is a misreading of the other by the evidence of the set: one reading is
/// written by one or two rows, the other by five or more and at least three times as many.
/// Two real products are each written by several rows (STM32F103C8T6 and STM32F103CBT6 are
/// both well attested, and stay apart); a misreading is a slip of one record, and the reading
/// it slipped from is there in numbers. Within one maker's rows only (the caller's bucket),
/// and only where one code of the skeleton is attested (`ATTESTED_ROWS`): beside
/// STM32F103C8T6 and STM32F103CBT6, "STM32FI03C8T6" could be a slip of either.
pub fn misread_by_evidence(rows_a: usize, rows_b: usize) -> bool {
    let (rare, common) = (rows_a.min(rows_b), rows_a.max(rows_b));
    rare <= 2 && common >= 5 && common >= 3 * rare
}

/// Whether a token is a word: letters only, three at least ("PRO", "MINI").
fn is_word(token: &str) -> bool {
    token.len() >= 3 && token.chars().all(|c| c.is_ascii_alphabetic())
}

/// Blocking keys for a slip in a model word: the tokens of a name with a code (a token with a
/// digit), once for each word with one letter left out or as it is, so "A40 PRP" and "A40 PRO"
/// share "A40 PR". None for a name without a code: words alone describe, and a slip in them is
/// no evidence of one model.
pub fn slip_keys(tokens: &[String]) -> Vec<String> {
    let coded = tokens.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()));
    if !coded || tokens.len() < 2 {
        return Vec::new();
    }
    let mut keys = Vec::new();
    for (i, word) in tokens.iter().enumerate().filter(|(_, t)| is_word(t)) {
        let variants = (0..word.len())
            .map(|cut| format!("{}{}", &word[..cut], &word[cut + 1..]))
            .chain([word.clone()]);
        for variant in variants {
            let mut spelled = tokens.to_vec();
            spelled[i] = variant;
            keys.push(format!("slip {i} {}", spelled.join(" ")));
        }
    }
    keys
}

/// The two spellings of the one word in which two names differ by a single edit ("PRP" and
/// "PRO" of "A40 Prp" and "A40 Pro"), where everything else, a code among it, is the same.
/// A word of three letters or more: a digit or a letter of a code is never a slip here (A40
/// and A40T are two cameras).
pub fn model_word_slip(a: &[String], b: &[String]) -> Option<(String, String)> {
    if a.len() != b.len() || !a.iter().any(|t| t.chars().any(|c| c.is_ascii_digit())) {
        return None;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    let [i] = differing[..] else {
        return None;
    };
    (is_word(&a[i]) && is_word(&b[i]) && super::text::edits(&a[i], &b[i]) == 1)
        .then(|| (a[i].clone(), b[i].clone()))
}

/// Rows that attest a reading: a code written by this many rows is a real product's.
pub const ATTESTED_ROWS: usize = 3;

/// Folds the letters an OCR or a tired eye reads for digits: O/0, I/1, Z/2, S/5, B/8, G/6.
pub fn ocr_skeleton(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            'O' => '0',
            'I' => '1',
            'Z' => '2',
            'S' => '5',
            'B' => '8',
            // G and 6 differ by one stroke: a classic OCR confusion ("GD25QG4CSIG")
            'G' => '6',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str) -> String {
        analyse(name, Reference::get(), &|_| false).skeleton
    }

    fn matching_code(name: &str) -> String {
        analyse_for_matching(name, Reference::get(), &|_| false).code
    }

    #[test]
    fn an_ordering_code_spaced_off_in_capitals_is_kept_and_a_word_is_set_aside() {
        assert_eq!(matching_code("LMV7219 IDGST"), "LMV7219IDGST");
        assert_eq!(matching_code("LMV7219 RGTR"), "LMV7219RGTR");
        // words that describe are spoken: vowels among their consonants
        assert_eq!(matching_code("LMV7219 SENSOR"), "LMV7219");
        assert_eq!(matching_code("LMV7219 Idgst"), "LMV7219");
        assert_eq!(matching_code("LMV7219 STRENGTH"), "LMV7219");
    }

    #[test]
    fn micro_alone_is_a_models_size_and_before_controller_a_category() {
        assert_eq!(matching_code("STM32F405 micro controller"), "STM32F405");
        assert_eq!(matching_code("Raptor Micro V5"), "RAPTORMICROV5");
        // the identity key reads it as before
        assert_eq!(code("Raptor Micro V5"), code("Raptor V5"));
    }

    #[test]
    fn a_name_reads_the_same_split_or_not() {
        assert_eq!(matching_code("Kakute H 7"), matching_code("Kakute H7"));
        assert_eq!(
            matching_code("IRLQL 6402TRPBF"),
            matching_code("IRLQL6402TRPBF")
        );
        assert_eq!(matching_code("IRLQL 6402TRPBF"), "IRLQL6402");
        assert_eq!(matching_code("Mavic 3 drone"), "MAVIC3");
    }

    #[test]
    fn spellings_of_one_part_share_a_skeleton() {
        let s = code("STM32F405RGT6");
        for v in [
            "stm32f405 rgt6",
            "STM32F4O5RGT6",
            "STM32F405RGT6TR",
            "STM32F405RGT6/TR",
            "ST STM32F405RGT6 MCU",
            "micro-controller STM32F405RGT6",
            "STM32F405RGT6#PBF",
        ] {
            assert_eq!(code(v), s, "{v}");
        }
        assert_eq!(code("NEO-M8N GPS module"), code("neo m8n"));
        assert_eq!(code("XC7A35T Xilinx"), code("XC7A35T"));
        assert_eq!(code("AD9363 (Analog Devices Inc.)"), code("AD9363-REEL"));
    }

    #[test]
    fn different_parts_keep_different_skeletons() {
        for (a, b) in [
            ("STM32F405RGT6", "STM32F407VGT6"),
            ("AD9361", "AD9363"),
            ("BMP280", "BME280"),
            ("NEO-M8N", "NEO-M8T"),
            ("A40 Pro", "A40TR Pro"),
            ("A40TR", "A40"),
            ("ATMEGA328P", "ATMEGA328"),
            ("ASV-18.432MHZ", "ASV-1.8432MHZ"),
            ("Kh-55", "Kh-555"),
        ] {
            assert_ne!(code(a), code(b), "{a} vs {b}");
        }
    }

    #[test]
    fn look_alikes_count_only_where_a_misreading_is_plausible() {
        let p = |n: &str| analyse(n, Reference::get(), &|_| false);
        assert!(ocr_variants(&p("STM32F4O5RGT6"), &p("STM32F405RGT6")));
        assert!(ocr_variants(&p("NE0-M8T"), &p("NEO-M8T")));
        assert!(ocr_variants(&p("MAXZ769"), &p("MAX2769")));
        assert!(
            !ocr_variants(&p("STM32F103CBT6"), &p("STM32F103C8T6")),
            "C8 and CB are two chips"
        );
        // G read for 6 (or 6 for G) beside a digit; between two letters it says nothing
        assert!(ocr_variants(&p("W25QG4JV"), &p("W25Q64JV")));
        assert!(ocr_variants(&p("IXDNG14PI"), &p("IXDN614PI")));
        assert!(!ocr_variants(&p("STM32F405R6T6"), &p("STM32F405RGT6")));
    }

    fn matching(name: &str) -> String {
        analyse_for_matching(name, Reference::get(), &|_| false).code
    }

    #[test]
    fn words_that_only_describe_a_code_are_set_aside_by_their_shape() {
        // words of no list: long words beside a code describe it, wherever they stand
        for (name, bare) in [
            ("LM4040 shunt reference", "LM4040"),
            ("shunt reference LM4040", "LM4040"),
            ("TPS62130 stepdown", "TPS62130"),
            ("KSZ9031 Ethernet PHY", "KSZ9031"),
            ("HX711 weighing frontend", "HX711"),
            ("motion tracker MPU6050", "MPU6050"),
            ("VL53L0X rangefinder", "VL53L0X"),
            ("op-amp OPA2134", "OPA2134"),
            ("NEO-M8N satnav receiver", "NEO-M8N"),
            ("Pixhawk 6C autopilot assembly", "Pixhawk 6C"),
            ("stabilised A40 Pro", "A40 Pro"),
            ("ATMEGA 2560 controller", "ATMEGA2560"),
        ] {
            assert_eq!(matching(name), matching(bare), "{name}");
        }
        // the identity reading keeps them: a key only drops what never distinguishes
        assert_ne!(
            analyse("LM4040 shunt reference", Reference::get(), &|_| false).code,
            "LM4040"
        );
    }

    #[test]
    fn a_lowercase_word_before_a_code_in_capitals_describes_it() {
        for (name, bare) in [
            ("piston engine 712 QLS", "712 QLS"),
            ("flight controller 6C QX", "6C QX"),
        ] {
            assert_eq!(matching(name), matching(bare), "{name}");
        }
        // a prefix spaced off in the code's own case stays its prefix
        for (name, code) in [
            ("ADIS 16488", "ADIS16488"),
            ("atmega 2560", "ATMEGA2560"),
            ("mavic 3", "MAVIC3"),
            ("Mavic 3", "MAVIC3"),
        ] {
            assert_eq!(matching(name), code, "{name}");
        }
    }

    #[test]
    fn letters_paired_with_a_slash_describe() {
        for (name, bare) in [
            ("qx35-dis rh/t sensor", "QX35-DIS"),
            ("QX8864 tx/rx switch", "QX8864"),
        ] {
            assert_eq!(matching(name), matching(bare), "{name}");
        }
        // a code with a slash and digits is still code
        assert_ne!(matching("HFD4/12-LS"), matching("HFD4"));
    }

    #[test]
    fn reel_and_lead_free_suffixes_are_packaging_by_their_shape() {
        for (name, bare) in [
            ("QX4410C/R7", "QX4410C"),
            ("QX77-VARN-9E/R13", "QX77-VARN-9E"),
            ("QX4410CTRPBF", "QX4410C"),
            ("QX4410CPBF", "QX4410C"),
        ] {
            assert_eq!(matching(name), matching(bare), "{name}");
        }
        for (a, b) in [
            ("QX4410C/R7", "QX4410C/R"),
            ("RS-485/R12X", "RS-485"),
            ("QPBF", "Q"),
            ("QX/R7", "QX"),
        ] {
            assert_ne!(matching(a), matching(b), "{a} vs {b}");
        }
    }

    #[test]
    fn a_number_with_a_short_word_after_it_is_a_code_to_stand_on() {
        assert_eq!(matching("712 QLS piston engine"), matching("712 QLS"));
        assert_eq!(matching("914 ul carburettor"), matching("914 UL"));
        assert_ne!(matching("712 QLS"), matching("712 QLX"));
        // two digits are no such code, and a long word after the number is kept
        assert_ne!(matching("12 QLS piston"), matching("12 QLS"));
    }

    #[test]
    fn a_roman_generation_after_a_word_is_its_number() {
        for (a, b) in [
            ("Vexa II", "Vexa 2"),
            ("Vexa II", "Vexa2"),
            ("vexa iii drone", "Vexa 3"),
            ("Vexa 1I", "Vexa 2"),
            ("Vex0 II", "Vex0 2"),
        ] {
            assert_eq!(matching(a), matching(b), "{a} vs {b}");
        }
        for (a, b) in [
            ("Vexa II", "Vexa 3"),
            ("Vexa II Pro", "Vexa 2"),
            ("Vexa X", "Vexa 10"),
            ("Vexa 11", "Vexa 2"),
            ("Q5 II", "Q5 2"),
        ] {
            assert_ne!(matching(a), matching(b), "{a} vs {b}");
        }
    }

    #[test]
    fn model_words_code_pieces_and_names_without_a_code_keep_their_words() {
        for (a, b) in [
            ("A40 Pro", "A40 Plus"),
            ("A40 Pro", "A40"),
            ("X30 Mini", "X30"),
            ("Mavic 3 Classic", "Mavic 3"),
            ("Matrice 30 Enterprise", "Matrice 30"),
            ("Mini 3 Pro", "Mini 3"),
            ("EVO folding", "EVO"),
            ("NEO M8T", "M8T"),
            ("TMS320F28334 PGFA", "TMS320F28334"),
            ("AMS1117 3.3V", "AMS1117 5V"),
            ("Servo drive", "Servo actuator"),
            ("EOS 5D Mark II", "EOS 5D"),
        ] {
            assert_ne!(matching(a), matching(b), "{a} vs {b}");
        }
        assert_eq!(matching("NEO M8T"), matching("NEO-M8T"));
    }

    #[test]
    fn a_code_in_two_scripts_is_one_code() {
        let code = |n: &str| analyse(n, Reference::get(), &|_| false).code;
        assert_eq!(code("МАХ2235"), "MAX2235");
        assert_eq!(code("74НС373D"), code("74HC373D"));
        assert_eq!(code("MAX603ESА"), code("MAX603ESA"));
        assert_eq!(code("14Ц821C"), code("14Ц821С"));
        assert_ne!(code("14Ц821C"), code("14Ц822С"));
        assert_ne!(code("1986ВЕ91Т"), code("1986ВЕ92Т"));
        assert_ne!(code("5559ИН4"), code("5559ИН5"));
    }

    #[test]
    fn a_misreading_between_letters_needs_the_evidence_of_the_set() {
        assert!(
            misread_by_evidence(1, 12),
            "one row against a well attested code"
        );
        assert!(misread_by_evidence(12, 2));
        assert!(!misread_by_evidence(9, 12), "two well attested products");
        assert!(!misread_by_evidence(1, 3), "too little evidence either way");
        assert!(!misread_by_evidence(2, 5), "not three times as many");
    }

    #[test]
    fn a_slip_in_a_model_word_is_found_by_its_keys() {
        let tokens = |n: &str| analyse_tokens(n, Reference::get(), &|_| false).1;
        let (a, b) = (tokens("A40 Prp"), tokens("A40 Pro"));
        let shared: Vec<String> = slip_keys(&a)
            .into_iter()
            .filter(|k| slip_keys(&b).contains(k))
            .collect();
        assert!(!shared.is_empty());
        assert_eq!(
            model_word_slip(&a, &b),
            Some(("PRP".to_string(), "PRO".to_string()))
        );
        for (x, y) in [
            ("A40 Pro", "A40T Pro"),
            ("A41 Pro", "A40 Pro"),
            ("A40 Pro", "A40 Plus"),
            ("Servo drive", "Servo driver"),
        ] {
            assert_eq!(model_word_slip(&tokens(x), &tokens(y)), None, "{x} vs {y}");
        }
        assert!(
            slip_keys(&tokens("Servo drive")).is_empty(),
            "no code, no slip"
        );
    }

    #[test]
    fn the_maker_inside_a_name_is_a_hint() {
        let p = analyse("AD9363 (Analog Devices Inc.)", Reference::get(), &|_| false);
        assert_eq!(p.maker_hint.as_deref(), Some("Analog Devices Inc."));
        let p = analyse("XC7A35T Xilinx", Reference::get(), &|t| t == "Xilinx");
        assert_eq!(p.maker_hint.as_deref(), Some("Xilinx"));
        assert_eq!(p.code, "XC7A35T");
    }
}
