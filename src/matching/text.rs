//! Text folding shared by the matchers: one Latin form for every script, the phonetic folds
//! that let a transliterated name ("Техас Инструментс") meet its English original, and the
//! splitting of a trailing note. The lowest layer of names: it imports nothing from the crate,
//! so matching/ and normalize.rs can both build on it.

use unicode_normalization::UnicodeNormalization;

/// A name in lowercase Latin letters and digits (other characters kept as separators), and
/// whether it had letters from a non-Latin script (Cyrillic, Arabic, CJK ...) before.
pub fn latin(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut foreign = false;
    for c in text.nfkc() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            if c.is_alphabetic() && (c as u32) > 0x024F {
                foreign = true;
            }
            // apostrophes any_ascii emits for soft and hard signs are dropped by word splitting
            out.push_str(&any_ascii::any_ascii_char(c).to_ascii_lowercase());
            if c.is_alphabetic() && (0x3000..0xA000).contains(&(c as u32)) {
                out.push(' '); // CJK syllables are separate words
            }
        }
    }
    (out, foreign)
}

/// Cyrillic and Greek capitals drawn like a Latin capital, with that capital: a code typed on a
/// Cyrillic keyboard or read by a Cyrillic OCR ("МАХ2235", "74НС373D", "MAX603ESА") prints
/// exactly as the Latin code.
const HOMOGLYPHS: &[(char, char)] = &[
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('Ё', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('У', 'Y'),
    ('Х', 'X'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
];

/// A code token written in one script, uppercase: a code is typed in one script, and a
/// letter of another script drawn the same is a slip of the keyboard or the OCR. When every
/// non-Latin letter has a Latin twin, the token is Latin ("МАХ2235" is MAX2235, "74НС373D" is
/// 74HC373D, and a Soviet code made only of such letters, "1986ВЕ91Т", reads as it prints,
/// 1986BE91T); when it also holds a letter with no Latin twin (Ц, И, Ф ...), it is Cyrillic or
/// Greek, and its Latin letters that have a twin take it ("14Ц821C" is 14Ц821С). Only tokens
/// with a digit or a Latin letter are codes: a word wholly in Cyrillic ("ТРАКТ") stays as
/// written, for transliteration.
pub fn one_script(token: &str) -> String {
    let upper = token.to_uppercase();
    let is_latin = |c: char| c.is_ascii_alphabetic();
    let twin = |c: char| HOMOGLYPHS.iter().find(|(f, _)| *f == c).map(|(_, l)| *l);
    let foreign: Vec<char> = upper
        .chars()
        .filter(|&c| c.is_alphabetic() && !is_latin(c))
        .collect();
    let code_like = upper.chars().any(|c| c.is_ascii_digit() || is_latin(c));
    if foreign.is_empty() || !code_like {
        return upper;
    }
    if foreign.iter().all(|&c| twin(c).is_some()) {
        return upper.chars().map(|c| twin(c).unwrap_or(c)).collect();
    }
    // a Cyrillic (or Greek) code with Latin slips in it: the Latin twins go back
    let greek = foreign
        .iter()
        .any(|c| ('\u{0370}'..='\u{03FF}').contains(c));
    upper
        .chars()
        .map(|c| {
            HOMOGLYPHS
                .iter()
                .filter(|(f, _)| ('\u{0370}'..='\u{03FF}').contains(f) == greek)
                .find(|(_, l)| *l == c)
                .map_or(c, |(f, _)| *f)
        })
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

/// Lowercase for searching: every char that lowercases to one char of the same UTF-8 length is
/// lowered, any other is kept as it is ("İ" lowers to two chars, the Kelvin sign "K" to a
/// one-byte "k"). A byte offset found in the result is therefore the same char boundary in
/// `text`, so `text` can be sliced there; offsets found in `to_lowercase()` cannot be trusted.
pub fn lowercase_aligned(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// Lowercase ASCII words of a Latin text: runs of letters and digits.
pub fn ascii_words(latin: &str) -> Vec<String> {
    latin
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Folds spellings that transliteration and English spelling make differ for the same sound:
/// c/k/q, ch, ph/f, w/v, y/i, x/ks, kh, dzh (Russian for the English soft g).
pub fn phonetic(compact: &str) -> String {
    let s = compact
        .replace("dzh", "g")
        .replace("zh", "j")
        .replace("kh", "k")
        .replace("ch", "c")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace('x', "ks");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'c' | 'q' => 'k',
            'w' => 'v',
            'y' | 'j' => 'i',
            other => other,
        };
        if out.ends_with(c) && c.is_ascii_alphabetic() {
            continue; // doubled letters
        }
        out.push(c);
    }
    out
}

/// The consonant skeleton of a phonetic fold: vowels after the first letter dropped, so
/// "maikrokip" (Майкрочип) and "mikrokip" (Microchip) meet. Only for names from another script.
pub fn consonant_skeleton(phonetic: &str) -> String {
    let mut out = String::new();
    for (i, c) in phonetic.chars().enumerate() {
        if i > 0 && "aeiou".contains(c) {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Damerau-Levenshtein distance (adjacent transpositions count as one edit).
pub fn edits(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_scripts_become_latin() {
        assert_eq!(
            latin("Техас Инструментс"),
            ("tekhas instruments".to_string(), true)
        );
        assert_eq!(latin("Х-101").0, "kh-101");
        assert!(!latin("Texas").1);
        assert!(!latin("Côte").1, "accented Latin is not another script");
    }

    #[test]
    fn transliterations_meet_their_originals() {
        let skel = |s: &str| consonant_skeleton(&phonetic(&ascii_words(&latin(s).0).concat()));
        assert_eq!(skel("Техас Инструментс"), skel("Texas Instruments"));
        assert_eq!(skel("Майкрочип"), skel("Microchip"));
        assert_eq!(skel("Вьюпро"), skel("Viewpro"));
        assert_eq!(skel("СТМикроэлектроникс"), skel("STMicroelectronics"));
        assert_eq!(skel("Микрон Текнолоджи"), skel("Micron Technology"));
        assert_ne!(skel("Майкрочип"), skel("Micron"));
        assert_eq!(phonetic("superkam"), phonetic("supercam"));
        assert_eq!(phonetic("kartograph"), phonetic("kartograf"));
    }

    #[test]
    fn aligned_lowercase_keeps_every_byte_offset() {
        for text in [
            "İ No.Ы5",
            "STRAẞE ﬀ \u{2126} \u{212A} \u{212B} Ǆ Ω",
            "ЫЫ ТАИЛ Nо. 748",
            "無人機 No.5 ΣΑΣ",
            "",
        ] {
            let lower = lowercase_aligned(text);
            assert_eq!(lower.len(), text.len(), "{text}");
            for (i, _) in lower.char_indices() {
                assert!(text.is_char_boundary(i), "{text} at {i}");
            }
        }
        assert_eq!(lowercase_aligned("No. ЫЫ ΣΑΣ"), "no. ыы σασ");
        // kept: the lowercase of İ is two chars, of the Kelvin and Ohm signs a shorter char
        assert_eq!(
            lowercase_aligned("İ \u{212A} \u{2126}"),
            "İ \u{212A} \u{2126}"
        );
    }

    #[test]
    fn a_trailing_note_is_split_off_but_never_the_whole_name() {
        assert_eq!(
            split_parenthesised(" Xilinx Inc. (AMD) "),
            ("Xilinx Inc.", Some("AMD"))
        );
        assert_eq!(split_parenthesised("Xilinx ( )"), ("Xilinx", None));
        assert_eq!(split_parenthesised("(unknown)"), ("(unknown)", None));
        assert_eq!(split_parenthesised("A (B) C"), ("A (B) C", None));
    }

    #[test]
    fn a_code_is_read_in_one_script() {
        let latin_of = |t: &str| latin(&one_script(t)).0;
        assert_eq!(
            latin_of("14Ц821C"),
            latin_of("14Ц821С"),
            "Latin C, Cyrillic С"
        );
        assert_eq!(latin_of("МАХ2235"), "max2235");
        assert_eq!(latin_of("74НС373D"), "74hc373d");
        assert_eq!(latin_of("MAX603ESА"), latin_of("MAX603ESA"));
        assert_eq!(latin_of("ΑΤ91RM9200"), "at91rm9200", "Greek twins too");
        // genuinely Cyrillic codes stay themselves and apart
        assert_eq!(latin_of("5559ИН4"), latin_of("5559ИH4"));
        assert_ne!(latin_of("5559ИН4"), latin_of("5559ИН5"));
        assert_ne!(latin_of("1986ВЕ91Т"), latin_of("1986ВЕ92Т"));
        assert_ne!(latin_of("14Ц821С"), latin_of("14Ц822С"));
        assert_eq!(
            latin_of("1986ВЕ91Т"),
            latin_of("1986BE91T"),
            "prints the same"
        );
        // words wholly in another script are left to transliteration
        assert_eq!(latin_of("ТРАКТ"), "trakt");
        assert_eq!(one_script("Вьюпро"), "ВЬЮПРО");
    }

    #[test]
    fn transpositions_are_one_edit() {
        assert_eq!(edits("hloybro", "holybro"), 1);
        assert_eq!(edits("smeiconductor", "semiconductor"), 1);
    }
}
