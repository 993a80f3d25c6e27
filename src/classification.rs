//! Export-control classification (pure): a part's HS code as stated or inferred, its ECCN as
//! stated, and the Common High Priority List (CHPL) tier its HS code falls in
//! (docs/classification.md).
//!
//! Inference reads two bundled tables: data/hs-categories.csv (a category -> an HS code) and
//! data/hs-rules.csv (words and part-number families in a part's texts -> an HS code), each line
//! with its reasoning. What was stated always beats what is inferred; statements that disagree
//! are kept and reported, never resolved by picking one.

use std::collections::BTreeSet;
use std::sync::LazyLock;

/// An HS code as stated: digits, with the dots and spaces people write ("8542.31", "8542 31 00")
/// dropped. Six digits (the internationally harmonised subheading) or more (national lines,
/// up to ten) are kept as given; its chapter must be 01 to 97.
pub fn parse_hs_code(text: &str) -> Result<String, String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .collect();
    let well_formed =
        (6..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    let chapter: u32 = digits.get(..2).and_then(|c| c.parse().ok()).unwrap_or(0);
    if !well_formed || !(1..=97).contains(&chapter) {
        return Err(format!(
            "'{text}' is not an HS code: 6 to 10 digits (dots and spaces allowed, as in 8542.31), chapter 01 to 97"
        ));
    }
    Ok(digits)
}

/// The six-digit subheading of a code `parse_hs_code` accepted.
pub fn subheading(code: &str) -> &str {
    &code[..6.min(code.len())]
}

/// A code as people read it: 8542.31, 8542.31.00, 8542.31.0000.
pub fn display_hs(code: &str) -> String {
    match code.len() {
        0..=4 => code.to_string(),
        5..=6 => format!("{}.{}", &code[..4], &code[4..]),
        _ => format!("{}.{}.{}", &code[..4], &code[4..6], &code[6..]),
    }
}

/// An Export Control Classification Number as stated: EAR99, or a digit, a letter A to E and
/// three digits (3A001), with the paragraphs after it kept as written (3A001.a.2).
pub fn parse_eccn(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("EAR99") {
        return Ok("EAR99".into());
    }
    let b = t.as_bytes();
    let head_ok = b.len() >= 5
        && b[0].is_ascii_digit()
        && matches!(b[1].to_ascii_uppercase(), b'A'..=b'E')
        && b[2..5].iter().all(u8::is_ascii_digit);
    let tail_ok = b
        .iter()
        .skip(5)
        .all(|c| c.is_ascii_alphanumeric() || *c == b'.');
    if !head_ok || !tail_ok {
        return Err(format!(
            "'{text}' is not an ECCN: EAR99, or a digit, a letter A to E and three digits (3A001, 3A001.a.2)"
        ));
    }
    Ok(format!("{}{}", t[..5].to_ascii_uppercase(), &t[5..]))
}

/// How a part's HS code is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// Stated by a finding's row or by `classify`; every statement agrees on the subheading.
    Stated,
    /// Statements disagree: all are kept and listed, none is chosen.
    Conflicting,
    /// Inferred by the named rule (a category, a word, a part-number family).
    Inferred { rule: String },
    /// Neither stated nor inferable.
    Unmapped,
}

impl Basis {
    /// The word reports count by.
    pub fn name(&self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Conflicting => "conflicting statements",
            Basis::Inferred { .. } => "inferred",
            Basis::Unmapped => "unmapped",
        }
    }
}

/// What a store knows of one part for classifying it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartFacts {
    pub part: i64,
    pub category: Option<String>,
    /// Its name, part number and the component texts of its findings.
    pub texts: Vec<String>,
    /// Every HS code stated for it (by findings' rows and by `classify`), as stored.
    pub stated: Vec<String>,
}

/// A part's classification: its code (None when unmapped, or when statements conflict), how it
/// is known, and its CHPL tier.
#[derive(Debug, Clone, PartialEq)]
pub struct PartClass {
    pub code: Option<String>,
    pub basis: Basis,
    /// Every distinct code stated, for the conflicts table.
    pub stated: Vec<String>,
    pub tier: Option<String>,
}

/// The rule an inference used, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    pub code: String,
    pub rule: String,
}

/// One line of data/hs-categories.csv.
#[derive(Debug, Clone)]
struct CategoryRule {
    category: String,
    code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Whole words of the text, in order.
    Words,
    /// A part-number family: a token starts with it.
    Family,
}

/// One line of data/hs-rules.csv.
#[derive(Debug, Clone)]
struct TextRule {
    name: String,
    how: Match,
    /// Words folded as texts are (`fold_words`), or the family in upper case.
    pattern: String,
    /// None: the text names something the rule cannot place; inference stops there.
    code: Option<String>,
}

/// The bundled inference tables.
#[derive(Debug, Clone)]
pub struct Rules {
    categories: Vec<CategoryRule>,
    text: Vec<TextRule>,
}

/// The bundled tables, also hashed into every report's basis (`report::reference_data_sha256`).
pub const HS_CATEGORIES_CSV: &str = include_str!("../data/hs-categories.csv");
pub const HS_RULES_CSV: &str = include_str!("../data/hs-rules.csv");
pub const CHPL_CSV: &str = include_str!("../data/chpl.csv");

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    Rules::parse(HS_CATEGORIES_CSV, HS_RULES_CSV)
        .unwrap_or_else(|e| panic!("bundled HS tables: {e}"))
});

/// The records of a bundled CSV, its '#' comment lines skipped.
fn records(text: &str) -> Result<Vec<csv::StringRecord>, String> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())
}

fn optional_code(text: &str) -> Result<Option<String>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_hs_code(text).map(Some)
    }
}

impl Rules {
    /// The bundled tables.
    pub fn bundled() -> &'static Rules {
        &RULES
    }

    fn parse(categories: &str, rules: &str) -> Result<Rules, String> {
        let categories = records(categories)?
            .iter()
            .map(|r| {
                Ok(CategoryRule {
                    category: r[0].trim().to_lowercase(),
                    code: optional_code(&r[1])?,
                })
            })
            .collect::<Result<_, String>>()?;
        let text = records(rules)?
            .iter()
            .map(|r| {
                let how = match &r[1] {
                    "word" => Match::Words,
                    "family" => Match::Family,
                    other => return Err(format!("rule '{}': unknown kind '{other}'", &r[0])),
                };
                Ok(TextRule {
                    name: r[0].to_string(),
                    how,
                    pattern: match how {
                        Match::Words => fold_words(&r[2]),
                        Match::Family => r[2].to_uppercase(),
                    },
                    code: optional_code(&r[3])?,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Rules { categories, text })
    }

    /// The HS code a part's category, else its texts, imply, with the rule; None when neither
    /// does (or when the first matching rule says its text cannot be placed).
    pub fn infer(&self, category: Option<&str>, texts: &[String]) -> Option<Inference> {
        if let Some(c) = category.map(|c| c.trim().to_lowercase()) {
            if let Some(rule) = self.categories.iter().find(|r| r.category == c) {
                if let Some(code) = &rule.code {
                    return Some(Inference {
                        code: code.clone(),
                        rule: format!("category '{c}'"),
                    });
                }
            }
        }
        let folded: Vec<(String, Vec<String>)> = texts
            .iter()
            .map(|t| (fold_words(t), family_tokens(t)))
            .collect();
        for rule in &self.text {
            let hit = folded.iter().any(|(words, tokens)| match rule.how {
                Match::Words => words.contains(&rule.pattern),
                Match::Family => tokens.iter().any(|t| in_family(t, &rule.pattern)),
            });
            if hit {
                return rule.code.as_ref().map(|code| Inference {
                    code: code.clone(),
                    rule: format!(
                        "{} '{}'",
                        if rule.how == Match::Words {
                            "words"
                        } else {
                            "family"
                        },
                        rule.name
                    ),
                });
            }
        }
        None
    }
}

/// Text as whole lower-case words between single spaces, padded with a space each side, so a
/// phrase is found by `contains(" words ")`. Punctuation is a space ("DC/DC" is "dc dc").
fn fold_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

/// Upper-case tokens of a text, and each token joined to a next one that starts with a digit,
/// so "MAX 3221EAE" is also "MAX3221EAE".
fn family_tokens(text: &str) -> Vec<String> {
    let tokens: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect();
    let mut out = Vec::with_capacity(tokens.len() * 2);
    for (i, t) in tokens.iter().enumerate() {
        out.push(t.clone());
        if let Some(next) = tokens
            .get(i + 1)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        {
            out.push(format!("{t}{next}"));
        }
    }
    out
}

/// Whether a token belongs to a family: it starts with it and goes on, with a digit next when
/// the family ends in a letter (MAX3221 is Maxim's, MAXIM is not).
fn in_family(token: &str, family: &str) -> bool {
    let Some(rest) = token.strip_prefix(family) else {
        return false;
    };
    match (family.chars().last(), rest.chars().next()) {
        (_, None) => false,
        (Some(last), Some(next)) if last.is_alphabetic() => next.is_ascii_digit(),
        _ => true,
    }
}

/// One line of the CHPL.
#[derive(Debug, Clone, PartialEq)]
pub struct ChplItem {
    pub code: String,
    pub tier: String,
    pub description: String,
    pub version: String,
    pub page: String,
}

/// The Common High Priority List a report ranks by: the bundled data/chpl.csv or a file given
/// with `--chpl`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chpl {
    pub items: Vec<ChplItem>,
    /// Where it came from: "bundled data/chpl.csv" or the file's name.
    pub origin: String,
    /// Its header says it holds only some tiers.
    pub partial: bool,
}

/// The tiers in the list's own order.
pub const TIERS: [&str; 6] = ["1", "2", "3.A", "3.B", "4.A", "4.B"];

static BUNDLED_CHPL: LazyLock<Chpl> = LazyLock::new(|| {
    Chpl::parse(CHPL_CSV, "bundled data/chpl.csv").unwrap_or_else(|e| panic!("bundled CHPL: {e}"))
});

impl Chpl {
    pub fn bundled() -> &'static Chpl {
        &BUNDLED_CHPL
    }

    /// Reads a list in data/chpl.csv's columns (hs_code, tier, description, list_version, page;
    /// more columns are allowed); a comment line starting `# partial` marks it partial. Errors
    /// name the line.
    pub fn parse(text: &str, origin: &str) -> Result<Chpl, String> {
        let partial = text
            .lines()
            .any(|l| l.trim_start_matches(['#', ' ']).starts_with("partial"));
        let mut items: Vec<ChplItem> = Vec::new();
        let mut header_seen = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let at = |m: String| format!("{origin}:{}: {m}", n + 1);
            let record = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes())
                .records()
                .next()
                .transpose()
                .map_err(|e| at(e.to_string()))?
                .unwrap_or_default();
            if !header_seen {
                let names: Vec<&str> = record.iter().collect();
                if names.get(..5)
                    != Some(&["hs_code", "tier", "description", "list_version", "page"][..])
                {
                    return Err(at(
                        "the header must start hs_code,tier,description,list_version,page".into(),
                    ));
                }
                header_seen = true;
                continue;
            }
            let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let code = parse_hs_code(&field(0)).map_err(at)?;
            if code.len() != 6 {
                return Err(at(format!(
                    "'{}': the CHPL lists six-digit codes",
                    field(0)
                )));
            }
            let tier = field(1).to_uppercase();
            if !TIERS.contains(&tier.as_str()) {
                return Err(at(format!(
                    "'{}' is not a tier ({})",
                    field(1),
                    TIERS.join(", ")
                )));
            }
            if items.iter().any(|i| i.code == code) {
                return Err(at(format!("{} is listed twice", display_hs(&code))));
            }
            items.push(ChplItem {
                code,
                tier,
                description: field(2),
                version: field(3),
                page: field(4),
            });
        }
        if items.is_empty() {
            return Err(format!("{origin}: no items"));
        }
        Ok(Chpl {
            items,
            origin: origin.to_string(),
            partial,
        })
    }

    /// The tier of an HS code (by its six-digit subheading), if listed.
    pub fn tier_of(&self, code: &str) -> Option<&str> {
        let six = subheading(code);
        self.items
            .iter()
            .find(|i| i.code == six)
            .map(|i| i.tier.as_str())
    }

    /// The list's versions, joined.
    pub fn versions(&self) -> String {
        let v: BTreeSet<&str> = self.items.iter().map(|i| i.version.as_str()).collect();
        v.into_iter().collect::<Vec<_>>().join(", ")
    }

    /// The sentence every report that shows tiers adds to its basis.
    pub fn basis_sentence(&self) -> String {
        let tiers: BTreeSet<&str> = self.items.iter().map(|i| i.tier.as_str()).collect();
        let tiers: Vec<&str> = TIERS
            .iter()
            .copied()
            .filter(|t| tiers.contains(t))
            .collect();
        format!(
            "CHPL tiers from {} (version {}; {} codes in tiers {}){}",
            self.origin,
            self.versions(),
            self.items.len(),
            tiers.join(", "),
            if self.partial {
                ": PARTIAL, parts in the missing tiers count as not listed; load the full list with --chpl FILE."
            } else {
                "."
            }
        )
    }
}

/// Classifies one part: its stated codes if they agree (by subheading), else a conflict; with
/// none stated, the inference; its tier from the code (a conflict has a tier only when every
/// stated code has the same one).
pub fn classify(facts: &PartFacts, rules: &Rules, chpl: &Chpl) -> PartClass {
    let stated: Vec<String> = facts
        .stated
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let subheadings: BTreeSet<&str> = stated.iter().map(|c| subheading(c)).collect();
    let (code, basis) = match subheadings.len() {
        0 => match rules.infer(facts.category.as_deref(), &facts.texts) {
            Some(i) => (Some(i.code), Basis::Inferred { rule: i.rule }),
            None => (None, Basis::Unmapped),
        },
        // the longest statement says the most (8542.31.00 over 8542.31)
        1 => (
            stated.iter().max_by_key(|c| (c.len(), c.as_str())).cloned(),
            Basis::Stated,
        ),
        _ => (None, Basis::Conflicting),
    };
    let tier = match &code {
        Some(c) => chpl.tier_of(c).map(str::to_string),
        None if basis == Basis::Conflicting => {
            let tiers: BTreeSet<Option<&str>> = stated.iter().map(|c| chpl.tier_of(c)).collect();
            match tiers.into_iter().collect::<Vec<_>>()[..] {
                [Some(t)] => Some(t.to_string()),
                _ => None,
            }
        }
        None => None,
    };
    PartClass {
        code,
        basis,
        stated,
        tier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hs_codes_keep_their_digits_and_refuse_the_rest() {
        assert_eq!(parse_hs_code("8542.31").unwrap(), "854231");
        assert_eq!(parse_hs_code("8542 31 00").unwrap(), "85423100");
        assert_eq!(parse_hs_code("8542310000").unwrap(), "8542310000");
        for bad in [
            "8542",
            "85423",
            "8542.3X",
            "99999999",
            "000000",
            "85423100001",
            "",
            "ic",
        ] {
            assert!(parse_hs_code(bad).is_err(), "{bad}");
        }
        assert_eq!(display_hs("854231"), "8542.31");
        assert_eq!(display_hs("85423100"), "8542.31.00");
    }

    #[test]
    fn eccns_are_checked_not_inferred() {
        assert_eq!(parse_eccn("3a001.a.2").unwrap(), "3A001.a.2");
        assert_eq!(parse_eccn("ear99").unwrap(), "EAR99");
        for bad in ["3F001", "A3001", "3A01", "3A001 x", ""] {
            assert!(parse_eccn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_bundled_tables_parse_and_every_category_line_is_known() {
        let rules = Rules::bundled();
        assert!(rules.categories.len() >= 10);
        assert!(rules.text.len() >= 50);
        let chpl = Chpl::bundled();
        assert!(chpl.partial, "the bundled list holds tiers 1 and 2 only");
        assert_eq!(chpl.items.len(), 9);
        assert_eq!(chpl.tier_of("85423100"), Some("1"));
        assert_eq!(chpl.tier_of("853221"), Some("2"));
        assert_eq!(chpl.tier_of("853222"), None);
        assert!(chpl.basis_sentence().contains("PARTIAL"));
    }

    #[test]
    fn category_first_then_families_then_words() {
        let r = Rules::bundled();
        let infer = |c: Option<&str>, t: &[&str]| r.infer(c, &texts(t)).map(|i| (i.code, i.rule));
        assert_eq!(
            infer(Some("MCU"), &["whatever"]).unwrap().0,
            "854231",
            "a category with a code decides"
        );
        // a mixed category falls through to the text
        assert_eq!(
            infer(Some("passive"), &["Tantalum capacitor 226E"])
                .unwrap()
                .0,
            "853221"
        );
        let (code, rule) = infer(None, &["Universal GPS receiver MAXIM 2769E"]).unwrap();
        assert_eq!(
            code, "854239",
            "a receiver chip by its family, not a receiver module"
        );
        assert!(rule.starts_with("family"), "{rule}");
        assert_eq!(
            infer(None, &["GPS module NEO-M8Q-0-10"]).unwrap().0,
            "852691"
        );
        assert_eq!(
            infer(None, &["Microcircuit XC18V04-VQG44BR"]).unwrap().0,
            "854232"
        );
        assert_eq!(
            infer(None, &["PLD XILINX SPARTAN-6 XC6SLX16"]).unwrap().0,
            "854231"
        );
        assert_eq!(
            infer(None, &["Memory card SanDisk CompactFlash"])
                .unwrap()
                .0,
            "852351"
        );
        assert_eq!(
            infer(None, &["DC/DC converter TEN 20-2411"]).unwrap().0,
            "850440"
        );
    }

    #[test]
    fn a_chip_family_beats_words_that_translations_garble() {
        let r = Rules::bundled();
        let code = |c: Option<&str>, t: &str| r.infer(c, &texts(&[t])).map(|i| i.code);
        // "converter" rendered as "transformer": the family says it is an ADC chip
        assert_eq!(
            code(None, "Transformer AD9218  BSTZ-105").as_deref(),
            Some("854239")
        );
        // regulator chips described as DC/DC converters, in the mixed 'power' category
        assert_eq!(
            code(Some("power"), "DC/DC converter (LT8640S)").as_deref(),
            Some("854239")
        );
        assert_eq!(
            code(None, "Step-down DC-DC converter XL4015E1").as_deref(),
            Some("854239")
        );
        assert_eq!(code(None, "DC/DC controller").as_deref(), Some("854239"));
        // a module moulded with its inductor is a chip, though its text names the inductor
        assert_eq!(
            code(
                None,
                "A module that combines a 3-A DC-DC converter, shielded inductor LMZM33604"
            )
            .as_deref(),
            Some("854239")
        );
        // a converter module with no chip family stays a static converter
        assert_eq!(
            code(Some("power"), "DC/DC converter URB2409S-6WR3").as_deref(),
            Some("850440")
        );
        assert_eq!(
            code(None, "Transformer TEN 8-4813WI").as_deref(),
            Some("850440")
        );
    }

    #[test]
    fn cells_are_placed_by_their_designation() {
        let r = Rules::bundled();
        let code = |t: &str| r.infer(None, &texts(&[t])).map(|i| i.code);
        assert_eq!(
            code("Battery NCR18650B").as_deref(),
            Some("850760"),
            "lithium-ion"
        );
        assert_eq!(
            code("Industrial battery INR18650MJ1").as_deref(),
            Some("850760")
        );
        assert_eq!(
            code("Battery, lithium 3V CR2032").as_deref(),
            Some("850650"),
            "primary"
        );
        assert_eq!(
            code("Battery"),
            None,
            "primary or rechargeable: the text does not say"
        );
    }

    #[test]
    fn what_a_text_cannot_place_stays_unmapped() {
        let r = Rules::bundled();
        for t in [
            "Capacitor 330uF25V",
            "Transistor IRFH7085",
            "Chip capacitor 10uF",
            "unidentified part, record 17",
            "Servo drive",
            "MAXIMUM",
            // a MOSFET also called a DC-DC converter: the MOSFET stop comes first
            "N-channel MOSFET, high-frequency DC-DC converter F7413",
            // a power module the text calls an inductance coil: its family stops inference
            "Inductance coil PTN78020WAH",
        ] {
            assert_eq!(r.infer(None, &texts(&[t])), None, "{t}");
        }
    }

    #[test]
    fn statements_beat_inference_and_conflicts_are_kept() {
        let chpl = Chpl::bundled();
        let rules = Rules::bundled();
        let facts = |stated: &[&str]| PartFacts {
            part: 1,
            category: Some("mcu".into()),
            texts: texts(&["STM32F405"]),
            stated: texts(stated),
        };
        let inferred = classify(&facts(&[]), rules, chpl);
        assert!(matches!(inferred.basis, Basis::Inferred { .. }));
        assert_eq!(inferred.tier.as_deref(), Some("1"));
        let stated = classify(&facts(&["853221"]), rules, chpl);
        assert_eq!(
            (stated.basis.clone(), stated.code.as_deref()),
            (Basis::Stated, Some("853221"))
        );
        assert_eq!(stated.tier.as_deref(), Some("2"));
        let same = classify(&facts(&["854231", "85423100"]), rules, chpl);
        assert_eq!(
            same.code.as_deref(),
            Some("85423100"),
            "one subheading, the longest statement"
        );
        let conflict = classify(&facts(&["854231", "854239"]), rules, chpl);
        assert_eq!(conflict.basis, Basis::Conflicting);
        assert_eq!(conflict.code, None);
        assert_eq!(conflict.tier.as_deref(), Some("1"), "both tier 1");
        assert_eq!(conflict.stated, texts(&["854231", "854239"]));
        let apart = classify(&facts(&["854231", "853221"]), rules, chpl);
        assert_eq!(apart.tier, None, "tiers disagree: no tier is chosen");
    }

    #[test]
    fn another_list_is_read_with_line_numbers() {
        let ok = "hs_code,tier,description,list_version,page\n8542.31,1,ICs,2024-02-23,p\n8471.50,3.b,x,v,p\n";
        let chpl = Chpl::parse(ok, "full.csv").unwrap();
        assert!(!chpl.partial);
        assert_eq!(chpl.tier_of("847150"), Some("3.B"));
        let bad = "hs_code,tier,description,list_version,page\n854231,7,x,v,p\n";
        let e = Chpl::parse(bad, "full.csv").unwrap_err();
        assert!(e.starts_with("full.csv:2:"), "{e}");
    }
}
