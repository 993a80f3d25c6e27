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
    fn transpositions_are_one_edit() {
        assert_eq!(edits("hloybro", "holybro"), 1);
        assert_eq!(edits("smeiconductor", "semiconductor"), 1);
    }
}
