//! ISO 3166-1 countries, from data/countries.csv compiled into the binary, and the lookup that
//! turns "CN", "CHN", "China" or "People's Republic of China" into the alpha-2 code.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The reference file, shipped in the binary so a catalogue never depends on a data folder.
pub const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");

#[derive(Debug, Clone)]
pub struct Country {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name: String,
    pub alt_names: Vec<String>,
}

struct Table {
    countries: Vec<Country>,
    by_key: HashMap<String, usize>,
}

/// Lookup key for a country name or code: no accents, case, spaces or punctuation.
fn country_key(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(COUNTRIES_CSV.as_bytes());
        let mut countries = Vec::new();
        let mut by_key = HashMap::new();
        for record in reader.records() {
            let r = record.expect("data/countries.csv is valid CSV (checked by a unit test)");
            let c = Country {
                alpha2: r[0].to_string(),
                alpha3: r[1].to_string(),
                numeric: r[2].to_string(),
                name: r[3].to_string(),
                alt_names: r[4]
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            };
            let i = countries.len();
            for name in [&c.alpha2, &c.alpha3, &c.name]
                .into_iter()
                .chain(&c.alt_names)
            {
                by_key.entry(country_key(name)).or_insert(i);
            }
            countries.push(c);
        }
        Table { countries, by_key }
    })
}

/// Every country, in alpha-2 order.
pub fn all() -> &'static [Country] {
    &table().countries
}

/// Resolves a code or name to its country, or None when nothing matches.
pub fn lookup(text: &str) -> Option<&'static Country> {
    let t = table();
    t.by_key.get(&country_key(text)).map(|&i| &t.countries[i])
}

/// Resolves an optional field: empty is Ok(None), unknown is an error message for the caller to place.
pub fn resolve(text: Option<&str>) -> Result<Option<&'static str>, String> {
    match text {
        None => Ok(None),
        Some(t) => lookup(t).map(|c| Some(c.alpha2.as_str())).ok_or_else(|| {
            format!(
                "unknown country '{t}' (use an ISO 3166-1 code such as CN or CHN, or an English name)"
            )
        }),
    }
}

/// The English short name of an alpha-2 code, for display.
pub fn name_of(alpha2: &str) -> Option<&'static str> {
    lookup(alpha2).map(|c| c.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_assigned_code_is_present_once() {
        assert_eq!(all().len(), 249);
        let mut codes: Vec<&str> = all().iter().map(|c| c.alpha2.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 249);
    }

    #[test]
    fn codes_names_and_alternatives_resolve() {
        for (input, code) in [
            ("CN", "CN"),
            ("chn", "CN"),
            ("China", "CN"),
            ("People's Republic of China", "CN"),
            ("USA", "US"),
            ("United States of America", "US"),
            ("UK", "GB"),
            ("Great Britain", "GB"),
            ("Korea, Republic of", "KR"),
            ("South Korea", "KR"),
            ("DPRK", "KP"),
            ("Iran", "IR"),
            ("Islamic Republic of Iran", "IR"),
            ("Russian Federation", "RU"),
            ("Taiwan", "TW"),
            ("Hong Kong", "HK"),
            ("Czech Republic", "CZ"),
            ("Turkey", "TR"),
            ("Côte d'Ivoire", "CI"),
            ("cote divoire", "CI"),
            ("Viet Nam", "VN"),
        ] {
            assert_eq!(
                lookup(input).map(|c| c.alpha2.as_str()),
                Some(code),
                "{input}"
            );
        }
    }

    #[test]
    fn unknown_names_do_not_resolve() {
        assert!(lookup("Atlantis").is_none());
        assert!(lookup("").is_none());
        assert!(resolve(Some("Mordor")).unwrap_err().contains("Mordor"));
        assert_eq!(resolve(None), Ok(None));
    }
}
