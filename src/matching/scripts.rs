//! Letters that look alike across Latin and Cyrillic. A word typed from a printed label or
//! pasted from two sources can mix them: "Peak Еlectronics" (a Cyrillic Е in a Latin word),
//! "14Ц821C" (a Latin C in a Cyrillic index). Such a word is one word in one script: the
//! look-alike letters take the script of the letters that only one script has. Transliterating
//! it as written would read the Cyrillic Е as a sign of a name in another script, and the Latin
//! C of "14Ц821C" as a C where the Cyrillic С reads S. Pure, and below the matchers.

/// Latin and Cyrillic letters that are drawn alike (upper and lower case).
const LOOK_ALIKES: &[(char, char)] = &[
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
    ('I', 'І'),
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
    ('i', 'і'),
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn look_alike_latin(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|p| p.1 == c).map(|p| p.0)
}

fn look_alike_cyrillic(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|p| p.0 == c).map(|p| p.1)
}

/// Which script a word's letters that only one script draws belong to, when they agree.
#[derive(PartialEq)]
enum Script {
    Latin,
    Cyrillic,
}

fn telling_script(word: &str) -> Option<Script> {
    let (mut latin, mut cyrillic) = (false, false);
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if c.is_ascii_alphabetic() && look_alike_cyrillic(c).is_none() {
            latin = true;
        } else if is_cyrillic(c) && look_alike_latin(c).is_none() {
            cyrillic = true;
        }
    }
    match (latin, cyrillic) {
        (true, false) => Some(Script::Latin),
        (false, true) => Some(Script::Cyrillic),
        // only look-alikes, or both scripts' own letters: read the look-alikes as Latin
        _ => Some(Script::Latin),
    }
}

/// The text with each word that mixes Latin and Cyrillic letters written in one script (see the
/// module comment). Words in one script, and words of other scripts, are left as they are.
pub fn one_script_per_word(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let mixed = word.chars().any(|c| c.is_ascii_alphabetic()) && word.chars().any(is_cyrillic);
        if mixed {
            let cyrillic = telling_script(word) == Some(Script::Cyrillic);
            for c in word.chars() {
                let folded = if cyrillic {
                    look_alike_cyrillic(c)
                } else {
                    look_alike_latin(c)
                };
                out.push(folded.unwrap_or(c));
            }
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixed_word_takes_the_script_of_its_own_letters() {
        assert_eq!(one_script_per_word("Peak Еlectronics"), "Peak Electronics");
        assert_eq!(one_script_per_word("14Ц821C"), "14Ц821С");
        assert_eq!(
            one_script_per_word("PЕAK"),
            "PEAK",
            "only look-alikes: read as Latin"
        );
    }

    #[test]
    fn words_in_one_script_stay_as_written() {
        assert_eq!(
            one_script_per_word("Техас Инструментс"),
            "Техас Инструментс"
        );
        assert_eq!(
            one_script_per_word("Texas Instruments"),
            "Texas Instruments"
        );
        assert_eq!(one_script_per_word("Ы-954 UAV"), "Ы-954 UAV");
        assert_eq!(one_script_per_word(""), "");
    }
}
