//! Maker labels that name other companies besides the maker, as Ukraine's defence intelligence
//! publishes them: `Texas Instruments Suppliers JSC CHIP AND DIP`, `Dynamixel (Robotis) Importers
//! TK MIR LLC`, `Swiwin Importers LLC IQ COMPONENTS, TREK JSC Foreign suppliers ALIGN TRADING
//! COMPANY LIMITED, ...`. The maker is the text before the first marker; each marker names the
//! role of the companies listed after it, up to the next marker.
//!
//! Pure text rules, no SQL. Precision first: a marker counts only as the catalogue writes it
//! (capitalised, a whole word, with a maker before it and a name after it), so a company whose
//! own name holds the word ("Global Suppliers Ltd", "suppliers of ...") is left whole.

/// What a label says the companies after a marker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartyRole {
    /// "Suppliers", "Foreign suppliers": supplied the part towards the weapon's producer
    Supplier,
    /// "Importers": brought it into the country of the weapon's producer
    Importer,
    /// "Involved companies": named beside a (Russian) maker; no supply is stated
    Involved,
}

impl PartyRole {
    pub fn name(self) -> &'static str {
        match self {
            PartyRole::Supplier => "supplier",
            PartyRole::Importer => "importer",
            PartyRole::Involved => "involved",
        }
    }
}

/// A company a label names besides its maker, with the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub role: PartyRole,
    pub name: String,
}

/// The markers, longest first so "Foreign suppliers" wins over a bare "suppliers".
const MARKERS: [(&str, PartyRole); 4] = [
    ("Foreign suppliers", PartyRole::Supplier),
    ("Involved companies", PartyRole::Involved),
    ("Suppliers", PartyRole::Supplier),
    ("Importers", PartyRole::Importer),
];

/// Words that end a company name after a comma ("CO., LTD"): a comma before one of them is
/// inside a name, not between two.
const TRAILING_LEGAL_FORMS: [&str; 10] = [
    "LTD", "LIMITED", "INC", "LLC", "CORP", "CO", "GMBH", "JSC", "PLC", "SA",
];

/// The maker part of a label: the whole label when it names no other company.
pub fn maker_of(label: &str) -> &str {
    match markers(label).first() {
        Some(&(at, _, _)) => label[..at].trim(),
        None => label.trim(),
    }
}

/// The maker part and the companies a label names besides it, in the label's order.
pub fn split_label(label: &str) -> (&str, Vec<Party>) {
    let found = markers(label);
    let Some(&(first, _, _)) = found.first() else {
        return (label.trim(), Vec::new());
    };
    let mut parties = Vec::new();
    for (i, &(at, len, role)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(label.len(), |next| next.0);
        parties.extend(names_in(&label[at + len..end]).map(|name| Party { role, name }));
    }
    (label[..first].trim(), parties)
}

/// Every marker of the label in order, as (byte offset, length, role). A marker counts when it
/// is a whole word with text before it, and what follows it up to the next marker is written
/// in capitals, as the published catalogue writes the companies it lists, and is more than a
/// legal form: "Global Suppliers Ltd" and "Best Suppliers Trading Co" stay one name.
fn markers(label: &str) -> Vec<(usize, usize, PartyRole)> {
    let mut found: Vec<(usize, usize, PartyRole)> = Vec::new();
    for &(marker, role) in &MARKERS {
        for (at, _) in label.match_indices(marker) {
            let overlaps = found
                .iter()
                .any(|&(a, l, _)| at < a + l && a < at + marker.len());
            if !overlaps && is_word_after_text(label, at, marker.len()) {
                found.push((at, marker.len(), role));
            }
        }
    }
    found.sort_by_key(|&(at, _, _)| at);
    let listed_in_capitals = |i: usize| {
        let (at, len, _) = found[i];
        let end = found.get(i + 1).map_or(label.len(), |next| next.0);
        names_companies(&label[at + len..end])
    };
    if (0..found.len()).all(listed_in_capitals) {
        found
    } else {
        Vec::new()
    }
}

fn is_word_after_text(label: &str, at: usize, len: usize) -> bool {
    let before = &label[..at];
    let after = &label[at + len..];
    before.ends_with(' ') && !before.trim().is_empty() && after.starts_with(' ')
}

/// Text after a marker that lists companies: capitals only, with a word besides legal forms.
fn names_companies(list: &str) -> bool {
    !list.chars().any(char::is_lowercase)
        && list.split([' ', ',']).any(|word| {
            let bare = word.trim_matches('.').to_ascii_uppercase();
            bare.chars().any(char::is_alphanumeric)
                && !TRAILING_LEGAL_FORMS.contains(&bare.as_str())
        })
}

/// The names a comma-separated list holds, a comma before a legal form kept inside its name.
fn names_in(list: &str) -> impl Iterator<Item = String> + '_ {
    let mut names: Vec<String> = Vec::new();
    for piece in list.split(',') {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let bare = piece.trim_end_matches('.').to_ascii_uppercase();
        match names.last_mut() {
            Some(last) if TRAILING_LEGAL_FORMS.contains(&bare.as_str()) => {
                last.push_str(", ");
                last.push_str(piece);
            }
            _ => names.push(piece.to_string()),
        }
    }
    names.into_iter()
}

/// Legal forms and abbreviations kept in capitals when a name in capitals is made readable.
const KEPT_IN_CAPITALS: [&str; 9] = [
    "JSC", "LLC", "PJSC", "CJSC", "OJSC", "OOO", "AO", "SEZ", "LLP",
];

/// A name written all in capitals made readable: "JSC CHIP AND DIP" -> "JSC Chip and Dip",
/// "SHENZHEN HI-LINK ELECTRONIC CO., LTD" -> "Shenzhen Hi-Link Electronic Co., Ltd". Legal
/// forms, words of two letters ("TK", "IQ") and words without a vowel ("PSB") stay in
/// capitals. A name with any lower-case
/// letter is left as written: its writer chose its capitals.
pub fn readable_name(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    name.split(' ')
        .map(readable_word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn readable_word(word: &str) -> String {
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let no_vowel = !letters.chars().any(|c| "AEIOUY".contains(c)) && letters != "LTD";
    if KEPT_IN_CAPITALS.contains(&letters.as_str())
        || (letters.chars().count() <= 2 && letters != "CO")
        || no_vowel
    {
        return word.to_string();
    }
    if matches!(letters.as_str(), "AND" | "OF" | "THE" | "FOR") {
        return word.to_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    let mut start_of_part = true;
    for c in word.chars() {
        if start_of_part {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start_of_part = !c.is_alphanumeric();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(label: &str) -> Vec<(&'static str, String)> {
        split_label(label)
            .1
            .into_iter()
            .map(|p| (p.role.name(), p.name))
            .collect()
    }

    #[test]
    fn a_supplier_label_names_the_maker_and_the_supplier() {
        let (maker, _) = split_label("Texas Instruments Suppliers JSC CHIP AND DIP");
        assert_eq!(maker, "Texas Instruments");
        assert_eq!(
            parties("Texas Instruments Suppliers JSC CHIP AND DIP"),
            [("supplier", "JSC CHIP AND DIP".to_string())]
        );
        assert_eq!(
            maker_of("Maxim Integrated Products (Analog Devices) Suppliers JSC CHIP AND DIP"),
            "Maxim Integrated Products (Analog Devices)"
        );
    }

    #[test]
    fn several_markers_and_lists_keep_each_role_and_commas_inside_names() {
        let label = "Swiwin Importers LLC IQ COMPONENTS, TREK JSC Foreign suppliers ALIGN TRADING COMPANY LIMITED, HYTERA COMMUNICATIONS LIMITED, HADSUND INTERNATIONAL TECHNOLOGY LIMITED";
        assert_eq!(maker_of(label), "Swiwin");
        assert_eq!(
            parties(label),
            [
                ("importer", "LLC IQ COMPONENTS".to_string()),
                ("importer", "TREK JSC".to_string()),
                ("supplier", "ALIGN TRADING COMPANY LIMITED".to_string()),
                ("supplier", "HYTERA COMMUNICATIONS LIMITED".to_string()),
                (
                    "supplier",
                    "HADSUND INTERNATIONAL TECHNOLOGY LIMITED".to_string()
                ),
            ]
        );
        assert_eq!(
            parties("Shenzhen Hi-Link Electronic Foreign suppliers SHENZHEN HI-LINK ELECTRONIC CO., LTD"),
            [("supplier", "SHENZHEN HI-LINK ELECTRONIC CO., LTD".to_string())]
        );
        assert_eq!(
            split_label("Ningbo Connfly Electronic Co., Ltd. Suppliers JSC CHIP AND DIP").0,
            "Ningbo Connfly Electronic Co., Ltd."
        );
        assert_eq!(
            parties("VNIIR-PROGRESS JSC Involved companies PANTES LLC, PSB TECHNOLOGIES LLC"),
            [
                ("involved", "PANTES LLC".to_string()),
                ("involved", "PSB TECHNOLOGIES LLC".to_string())
            ]
        );
    }

    #[test]
    fn a_name_that_only_holds_the_word_is_left_whole() {
        for name in [
            "Global Suppliers Ltd",
            "Suppliers JSC CHIP AND DIP",
            "Texas Instruments",
            "Best suppliers Co",
            "Best Suppliers Trading Co",
            "Global Suppliers LTD",
            "Importers",
            "ACME Importers",
        ] {
            assert_eq!(maker_of(name), name.trim(), "{name}");
            assert!(split_label(name).1.is_empty(), "{name}");
        }
    }

    #[test]
    fn names_in_capitals_become_readable_and_others_stay() {
        assert_eq!(readable_name("JSC CHIP AND DIP"), "JSC Chip and Dip");
        assert_eq!(readable_name("TK MIR LLC"), "TK Mir LLC");
        assert_eq!(
            readable_name("PSB TECHNOLOGIES LLC"),
            "PSB Technologies LLC"
        );
        assert_eq!(
            readable_name("SHENZHEN HI-LINK ELECTRONIC CO., LTD"),
            "Shenzhen Hi-Link Electronic Co., Ltd"
        );
        assert_eq!(readable_name("Texas Instruments"), "Texas Instruments");
    }
}
