//! Part names: the code that identifies a part, separated from the words around it.
//!
//! "ST STM32F405RGT6 MCU", "stm32f405 rgt6", "STM32F4O5RGT6" and "STM32F405RGT6TR" all carry
//! the code STM32F405RGT6: maker names, category words ("MCU", "GPS module") and packaging or
//! ordering suffixes (/TR, -REEL, #PBF: the chip inside the weapon is the same) are set aside,
//! and the OCR look-alikes O/0, I/1, Z/2, S/5, B/8 fold into one skeleton. Beyond that, any
//! change in the code — above all in its digits, decimal points included — is another part.

use super::reference::Reference;
use super::text::{ascii_words, latin, split_parenthesised};

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

/// Takes a part name apart; `known_maker` says whether some words are a maker's name.
pub fn analyse(name: &str, refs: &Reference, known_maker: &dyn Fn(&str) -> bool) -> PartName {
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
    for (t, k) in raw_tokens.iter().zip(keep) {
        let (lat, _) = latin(t);
        let words = ascii_words(&lat);
        let is_category =
            !words.is_empty() && words.iter().all(|w| CATEGORY_WORDS.contains(&w.as_str()));
        if k && !is_category {
            model.push(lat.to_uppercase());
        }
    }
    let packaging = strip_packaging(&mut model);
    // a suffix may have hidden a category word ("camera-TR")
    model.retain(|t| !is_category(t));
    let code = compact_code(&model.concat());
    let skeleton = ocr_skeleton(&code);
    let ocr_ok = ocr_plausible(&model);
    PartName {
        code,
        skeleton,
        maker_hint,
        packaging,
        ocr_ok,
    }
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
    let last = model.last_mut()?;
    for suffix in PACKAGING_SUFFIXES {
        if last.len() > suffix.len() + 2 && last.ends_with(suffix) {
            last.truncate(last.len() - suffix.len());
            return Some((*suffix).to_string());
        }
    }
    if model.len() == 1 {
        let compact = compact_code(&model[0]);
        let base = &compact[..compact.len().saturating_sub(2)];
        if compact.ends_with("TR") && base.len() >= 4 && base.chars().any(|c| c.is_ascii_digit()) {
            model[0] = base.to_string();
            return Some("TR".into());
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

/// Folds the letters an OCR or a tired eye reads for digits: O/0, I/1, Z/2, S/5, B/8.
pub fn ocr_skeleton(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            'O' => '0',
            'I' => '1',
            'Z' => '2',
            'S' => '5',
            'B' => '8',
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
