//! Catalogue text on its way out, made harmless for where it lands (pure: no files, no SQL).
//! Names come from other people's files, so they may carry what a terminal, a spreadsheet or a
//! browser would act on. The stored text is never changed; only what is shown is:
//! - for people (tables, messages, errors): control characters and bidirectional overrides
//!   are written as `\u{1b}`, so nothing a name holds can retitle a terminal window, clear it,
//!   or reorder the characters a reader sees (`for_people`);
//! - for spreadsheets (CSV listings and report CSV): a text cell a spreadsheet would run as a
//!   formula gets a leading `'`, as OWASP recommends (`csv_cell`);
//! - for web pages and FollowTheMoney: only http(s) addresses are links (`is_web_url`).
//!
//! JSON is always exact (serde_json escapes control characters itself).

use std::borrow::Cow;

/// Whether a character is shown escaped to people: every C0 control (tab and line breaks
/// too: a table cell or a quoted field is one line), DEL, every C1 control, the bidirectional
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), and the left-to-right
/// and right-to-left marks (U+200E, U+200F), which are invisible and can move what follows.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text as shown to people: each `is_hidden_control` character written as `\u{hex}` (as Rust
/// writes it: ESC is `\u{1b}`), everything else as it is. Borrowed when nothing needed escaping.
pub fn for_people(text: &str) -> Cow<'_, str> {
    escaped(text, is_hidden_control)
}

/// `for_people`, with the invisible characters (`is_invisible`) written as `\u{hex}` too: for
/// a message about a name that holds them, which would otherwise look like the name it is not.
pub fn with_invisible_shown(text: &str) -> Cow<'_, str> {
    escaped(text, |c| is_hidden_control(c) || is_invisible(c))
}

/// `text` with each character `hidden` picks written as `\u{hex}`.
fn escaped(text: &str, hidden: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message of several lines for people: `for_people` on each line, the line breaks kept
/// (a message's own layout), so only the text a name carried is escaped.
pub fn message_for_people(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(for_people)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"):
/// `=`, `+`, `-`, `@`, and tab and carriage return, which some spreadsheets skip before one.
fn starts_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell for a CSV a person may open in a spreadsheet: one starting with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading `'` (the spreadsheet then shows it as text, and
/// the `'` says it was added). Every text cell is treated so, "-5" included: the text came from
/// someone's file and a spreadsheet cannot tell it from a formula; numbers the catalogue
/// counted are not text and are written as they are (`Cell::Int`, `Cell::Float`).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if starts_a_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether an address may become a link or a URL property: http or https only, so a
/// `javascript:`, `data:` or `file:` address in a source is shown as text.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Characters that show nothing (zero-width space, joiners, word joiner, byte-order mark,
/// soft hyphen) or only steer direction: two names that differ by these alone look the same.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    ) || (is_hidden_control(c) && !c.is_control())
}

/// The text with `is_invisible` characters removed: what a reader sees.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_invisible) {
        Cow::Owned(text.chars().filter(|c| !is_invisible(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_escaped() {
        assert_eq!(
            for_people("A\u{1b}]0;pwned\u{7}B\u{1b}[2J"),
            "A\\u{1b}]0;pwned\\u{7}B\\u{1b}[2J"
        );
        assert_eq!(for_people("a\u{9b}b\u{7f}"), "a\\u{9b}b\\u{7f}");
        assert_eq!(for_people("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(for_people("l\u{200f}r"), "l\\u{200f}r");
        assert!(matches!(
            for_people("Техас Инструментс 斉藤"),
            Cow::Borrowed(_)
        ));
        assert_eq!(message_for_people("a\u{1b}\nb\tc"), "a\\u{1b}\nb\\u{9}c");
    }

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for bad in ["=1+1", "+1", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"));
        }
        for good in ["Texas Instruments", "STM32F405", "", "a=b", "'quoted"] {
            assert_eq!(csv_cell(good), good);
        }
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_web_url("https://e.org/x"));
        assert!(is_web_url(" HTTP://e.org"));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "e.org",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn invisible_characters_are_what_a_reader_does_not_see() {
        assert_eq!(
            visible("Texas\u{200b} Instr\u{ad}uments\u{feff}"),
            "Texas Instruments"
        );
        assert_eq!(visible("a\u{202e}b\u{2060}c"), "abc");
        assert_eq!(visible("a\u{1b}b"), "a\u{1b}b");
        assert_eq!(
            with_invisible_shown("a\u{200b}b\u{1b}"),
            "a\\u{200b}b\\u{1b}"
        );
    }
}
