//! Names to keys: the pure functions that decide when two texts name the same thing exactly.
//!
//! A key ignores only what never distinguishes two things in this domain: Unicode compatibility
//! forms, letter case, punctuation and spacing, and (for companies) legal forms and a trailing
//! parenthesised note. Fuzzy similarity is *not* decided here: two keys that differ are different
//! until a person (or a reviewed merge) says otherwise. No SQL and no I/O in this module.

use unicode_normalization::UnicodeNormalization;

/// Legal-form words stripped from the end of company names, after folding to lowercase words.
/// Multi-word forms are listed as their words ("co ltd" strips "Co., Ltd.").
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
    "asa",
    "a s",
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
];

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

/// Splits a trailing parenthesised note off a name: "Xilinx Inc. (AMD)" -> ("Xilinx Inc.", Some("AMD")).
/// The note is a hint (an owner, a country), never part of the name's identity.
pub fn split_parenthesised(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim();
    if let (Some(open), true) = (trimmed.find('('), trimmed.ends_with(')')) {
        let head = trimmed[..open].trim();
        if !head.is_empty() {
            let note = trimmed[open + 1..trimmed.len() - 1].trim();
            return (head, (!note.is_empty()).then_some(note));
        }
    }
    (trimmed, None)
}

/// The identity key of a company name: folded words without trailing legal forms and without a
/// parenthesised note. "TEXAS INSTRUMENTS INC." and "Texas Instruments" share "texas instruments".
/// A name made only of a legal form keeps it, so "AG" stays "ag" rather than vanishing.
pub fn company_key(name: &str) -> String {
    let (head, _) = split_parenthesised(name);
    let mut ws = words(head);
    loop {
        let stripped = strip_legal_form(&ws);
        if stripped == ws.len() || stripped == 0 {
            break;
        }
        ws.truncate(stripped);
    }
    ws.join(" ")
}

/// How many leading words remain after removing one trailing legal form (the longest that fits).
fn strip_legal_form(ws: &[String]) -> usize {
    let mut best = ws.len();
    for form in LEGAL_FORMS {
        let parts: Vec<&str> = form.split(' ').collect();
        if parts.len() <= ws.len()
            && ws[ws.len() - parts.len()..]
                .iter()
                .zip(&parts)
                .all(|(w, p)| w == p)
        {
            best = best.min(ws.len() - parts.len());
        }
    }
    best
}

/// The identity key of a code-like name (part numbers, model names, weapon designations):
/// uppercase letters and digits only, so case, spaces, dashes and slashes do not count. A dot
/// between two digits is kept because it changes the value: 18.432 MHz is not 1.8432 MHz.
pub fn code_key(text: &str) -> String {
    let folded: Vec<char> = text.nfkc().flat_map(char::to_uppercase).collect();
    let mut key = String::with_capacity(folded.len());
    for (i, &c) in folded.iter().enumerate() {
        let keep_dot = c == '.'
            && i > 0
            && folded[i - 1].is_ascii_digit()
            && folded.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() || keep_dot {
            key.push(c);
        }
    }
    key
}

/// The identity key of a weapon model name: as for codes ("Shahed-136" = "SHAHED 136").
pub fn weapon_key(name: &str) -> String {
    code_key(name)
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
    fn company_legal_forms_and_case_do_not_count() {
        assert_eq!(company_key("Texas Instruments"), "texas instruments");
        assert_eq!(company_key("TEXAS INSTRUMENTS INC."), "texas instruments");
        assert_eq!(company_key("texas instruments inc"), "texas instruments");
        assert_eq!(
            company_key("Shenzhen Viewpro Technology Co., Ltd."),
            "shenzhen viewpro technology"
        );
        assert_eq!(company_key("Hirose Electric Co Ltd"), "hirose electric");
        assert_eq!(company_key("Robert Bosch GmbH"), "robert bosch");
        assert_eq!(company_key("NXP B.V."), "nxp");
    }

    #[test]
    fn company_parenthesised_note_is_not_identity() {
        assert_eq!(company_key("Xilinx Inc. (AMD)"), "xilinx");
        assert_eq!(
            split_parenthesised("Xilinx Inc. (AMD)"),
            ("Xilinx Inc.", Some("AMD"))
        );
        assert_eq!(split_parenthesised("(unknown)"), ("(unknown)", None));
    }

    #[test]
    fn company_made_only_of_a_legal_form_keeps_it() {
        assert_eq!(company_key("AG"), "ag");
        assert_eq!(company_key("Co., Ltd."), "co");
        assert_eq!(company_key("  ...  "), "");
    }

    #[test]
    fn different_companies_keep_different_keys() {
        assert_ne!(company_key("Microchip"), company_key("Micron"));
        assert_ne!(
            company_key("Samsung Electronics"),
            company_key("Samsung Electro-Mechanics")
        );
    }

    #[test]
    fn code_key_ignores_format_but_keeps_values() {
        assert_eq!(code_key("STM32F405RGT6"), "STM32F405RGT6");
        assert_eq!(code_key("stm32f405 rgt6"), "STM32F405RGT6");
        assert_eq!(code_key("NEO-M8N"), code_key("neo m8n"));
        assert_ne!(code_key("ASV-18.432MHZ"), code_key("ASV-1.8432MHZ"));
        assert_ne!(code_key("STM32F405RGT6"), code_key("STM32F407VGT6"));
        assert_ne!(code_key("ATMEGA328P"), code_key("ATMEGA328"));
        assert_eq!(code_key("Co. Ltd."), "COLTD");
    }

    #[test]
    fn fullwidth_and_compatibility_forms_fold() {
        assert_eq!(code_key("ＳＴＭ３２"), "STM32");
        assert_eq!(company_key("Ｔｅｘａｓ"), "texas");
    }

    #[test]
    fn weapon_keys_join_spacing_variants() {
        assert_eq!(weapon_key("Shahed-136"), weapon_key("Shahed 136"));
        assert_eq!(weapon_key("Kh-101"), "KH101");
        assert_ne!(weapon_key("Kh-55"), weapon_key("Kh-555"));
    }
}
