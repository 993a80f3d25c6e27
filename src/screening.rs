//! Screening against lists of designated parties (pure; docs/screening.md): a list read from
//! FollowTheMoney JSON lines (as OpenSanctions publishes) or a plain CSV, what changed between
//! two versions of a list by entry id, and the organisations of a catalogue matched against
//! the listed names with the maker matching (blocked candidates, as `cluster` does).
//!
//! Precision first: a name of fewer than three distinctive words or under 8 letters is never a
//! candidate on the name alone; it needs a country the organisation and the entry share. A
//! resemblance (a typing slip, a sound) between names of different countries is never one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::country;
use crate::matching::makers::{self, Evidence, MakerName};
use crate::matching::reference::Reference;
use crate::matching::{Verdict, BUCKET_CAP};

/// One entry of a list of designated parties.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Party {
    /// The list's own id of the entry (stable across versions of the list).
    pub entry_id: String,
    /// Company, Organization, LegalEntity or Person.
    pub schema: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    pub programs: Vec<String>,
    pub listed_on: Option<String>,
    pub source_url: Option<String>,
}

/// The file formats `lists import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// FollowTheMoney entities, one JSON object a line (OpenSanctions' `entities.ftm.json`, or
    /// its `targets.nested.json` with sanctions nested in each entity).
    Ftm,
    /// id,name,aliases,country,program,listed_on,source_url (aliases, countries and programs
    /// separated by ';').
    Csv,
}

impl ListFormat {
    pub const ALL: [ListFormat; 2] = [ListFormat::Ftm, ListFormat::Csv];

    pub fn name(self) -> &'static str {
        match self {
            ListFormat::Ftm => "ftm",
            ListFormat::Csv => "csv",
        }
    }

    /// The format a file's first non-blank character says: `{` is JSON lines, anything else CSV.
    pub fn sniff(text: &str) -> ListFormat {
        if text.trim_start().starts_with('{') {
            ListFormat::Ftm
        } else {
            ListFormat::Csv
        }
    }
}

/// The FollowTheMoney schemata screened: organisations and people.
const SCREENED_SCHEMATA: [&str; 4] = ["Company", "Organization", "LegalEntity", "Person"];

/// Reads a list; an error names the line (1-based) and what is wrong.
pub fn parse_list(text: &str, format: ListFormat) -> Result<Vec<Party>, String> {
    let parties = match format {
        ListFormat::Ftm => parse_ftm(text)?,
        ListFormat::Csv => parse_csv(text)?,
    };
    let mut seen = BTreeSet::new();
    for p in &parties {
        if !seen.insert(p.entry_id.as_str()) {
            return Err(format!("entry id '{}' appears twice", p.entry_id));
        }
    }
    Ok(parties)
}

/// Every value of a property (FollowTheMoney properties are arrays of strings).
fn values(props: &Value, name: &str) -> Vec<String> {
    props
        .get(name)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Countries as alpha-2 codes; what the ISO list does not know (historic codes such as "suhh")
/// is left out rather than guessed.
fn countries(raw: impl IntoIterator<Item = String>) -> Vec<String> {
    let set: BTreeSet<String> = raw
        .into_iter()
        .filter_map(|c| country::lookup(&c).map(|c| c.alpha2.clone()))
        .collect();
    set.into_iter().collect()
}

/// What a Sanction entity adds to the entity it names.
#[derive(Default)]
struct SanctionFacts {
    programs: Vec<String>,
    dates: Vec<String>,
    urls: Vec<String>,
}

fn sanction_facts(props: &Value, into: &mut SanctionFacts) {
    into.programs.extend(values(props, "program"));
    into.programs.extend(values(props, "programId"));
    for date in ["listingDate", "startDate"] {
        into.dates.extend(values(props, date));
    }
    into.urls.extend(values(props, "sourceUrl"));
}

fn parse_ftm(text: &str) -> Result<Vec<Party>, String> {
    let mut parties: Vec<Party> = Vec::new();
    let mut sanctions: HashMap<String, SanctionFacts> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |m: String| format!("line {}: {m}", n + 1);
        let entity: Value = serde_json::from_str(line).map_err(|e| at(format!("not JSON: {e}")))?;
        let schema = entity.get("schema").and_then(Value::as_str).unwrap_or("");
        let id = entity
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| at("an entity without an id".into()))?;
        let props = entity.get("properties").cloned().unwrap_or(Value::Null);
        if schema == "Sanction" {
            for target in values(&props, "entity") {
                sanction_facts(&props, sanctions.entry(target).or_default());
            }
            continue;
        }
        if !SCREENED_SCHEMATA.contains(&schema) {
            continue; // addresses, ownerships, vessels ...: not parties to screen
        }
        let mut names = values(&props, "name");
        if names.is_empty() {
            if let Some(caption) = entity.get("caption").and_then(Value::as_str) {
                names.push(caption.to_string());
            }
        }
        let Some(name) = names.first().cloned() else {
            return Err(at(format!("entity {id} has no name")));
        };
        let mut aliases: Vec<String> = names[1..].to_vec();
        // weakAlias is left out: short or generic names OpenSanctions itself does not match on
        aliases.extend(values(&props, "alias"));
        aliases.extend(values(&props, "previousName"));
        aliases.sort();
        aliases.dedup();
        aliases.retain(|a| *a != name);
        let mut raw_countries = values(&props, "country");
        for p in ["jurisdiction", "nationality", "citizenship", "mainCountry"] {
            raw_countries.extend(values(&props, p));
        }
        let mut facts = SanctionFacts::default();
        facts.programs.extend(values(&props, "program"));
        facts.urls.extend(values(&props, "sourceUrl"));
        // targets.nested.json: sanctions nested in the entity's properties
        if let Some(nested) = props.get("sanctions").and_then(Value::as_array) {
            for s in nested {
                sanction_facts(s.get("properties").unwrap_or(&Value::Null), &mut facts);
            }
        }
        let first_seen = entity
            .get("first_seen")
            .and_then(Value::as_str)
            .map(|d| d.chars().take(10).collect::<String>());
        facts.dates.extend(first_seen);
        let mut party = Party {
            entry_id: id.to_string(),
            schema: schema.to_string(),
            name,
            aliases,
            countries: countries(raw_countries),
            ..Party::default()
        };
        apply(&mut party, facts);
        parties.push(party);
    }
    // flat exports: Sanction entities name the party they list
    for p in &mut parties {
        if let Some(facts) = sanctions.remove(&p.entry_id) {
            apply(p, facts);
        }
    }
    Ok(parties)
}

/// Adds sanction facts to a party: every program, the earliest listing date, the first URL.
fn apply(p: &mut Party, facts: SanctionFacts) {
    let mut programs: BTreeSet<String> = p.programs.drain(..).collect();
    programs.extend(facts.programs);
    p.programs = programs.into_iter().collect();
    let earliest = facts
        .dates
        .into_iter()
        .chain(p.listed_on.take())
        .filter(|d| d.len() >= 4)
        .min();
    p.listed_on = earliest;
    if p.source_url.is_none() {
        p.source_url = facts.urls.into_iter().next();
    }
}

const CSV_COLUMNS: [&str; 7] = [
    "id",
    "name",
    "aliases",
    "country",
    "program",
    "listed_on",
    "source_url",
];

fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_csv(text: &str) -> Result<Vec<Party>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if header != CSV_COLUMNS {
        return Err(format!(
            "line 1: the header must be {} (found {})",
            CSV_COLUMNS.join(","),
            header.join(",")
        ));
    }
    let mut parties = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let at = |m: &str| format!("line {line}: {m}");
        if field(0).is_empty() || field(1).is_empty() {
            return Err(at("id and name are required"));
        }
        let mut unknown = Vec::new();
        let mut codes = Vec::new();
        for c in split_list(&field(3)) {
            match country::lookup(&c) {
                Some(found) => codes.push(found.alpha2.clone()),
                None => unknown.push(c),
            }
        }
        if !unknown.is_empty() {
            return Err(at(&format!("unknown country '{}'", unknown.join("; "))));
        }
        let listed_on = Some(field(5))
            .filter(|d| !d.is_empty())
            .map(|d| crate::dates::parse_partial_date(&d).map_err(|e| at(&e)))
            .transpose()?;
        parties.push(Party {
            entry_id: field(0),
            schema: "LegalEntity".into(),
            name: field(1),
            aliases: split_list(&field(2)),
            countries: countries(codes),
            programs: split_list(&field(4)),
            listed_on,
            source_url: Some(field(6)).filter(|u| !u.is_empty()),
        });
    }
    Ok(parties)
}

/// What changed between two versions of a list, by entry id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
}

/// What a listing says of a party: everything but the schema its format names (a CSV says
/// LegalEntity where a FollowTheMoney file said Organization).
fn listing_facts(p: &Party) -> impl PartialEq + '_ {
    (
        &p.name,
        &p.aliases,
        &p.countries,
        &p.programs,
        &p.listed_on,
        &p.source_url,
    )
}

pub fn changes(old: &[Party], new: &[Party]) -> Changes {
    let old: BTreeMap<&str, &Party> = old.iter().map(|p| (p.entry_id.as_str(), p)).collect();
    let new: BTreeMap<&str, &Party> = new.iter().map(|p| (p.entry_id.as_str(), p)).collect();
    let mut c = Changes::default();
    for (id, p) in &new {
        match old.get(id) {
            None => c.added.push(id.to_string()),
            Some(o) if listing_facts(o) != listing_facts(p) => c.changed.push(id.to_string()),
            Some(_) => c.unchanged += 1,
        }
    }
    c.removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .map(|id| id.to_string())
        .collect();
    c
}

/// Which organisations `screen` covers, by their role in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Distributors and other intermediaries (organisation role distributor).
    Supplier,
    /// Manufacturers.
    Maker,
    /// Every organisation.
    All,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Supplier, Role::Maker, Role::All];

    pub fn name(self) -> &'static str {
        match self {
            Role::Supplier => "supplier",
            Role::Maker => "maker",
            Role::All => "all",
        }
    }

    /// Whether an organisation of this catalogue role (organisation.role) is covered.
    pub fn covers(self, role: &str) -> bool {
        match self {
            Role::All => true,
            Role::Maker => role == "manufacturer",
            Role::Supplier => role == "distributor",
        }
    }
}

/// An investigator's decision on a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Match,
    NoMatch,
    Unsure,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Match, Decision::NoMatch, Decision::Unsure];

    /// The flag value.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::NoMatch => "no-match",
            Decision::Unsure => "unsure",
        }
    }

    /// As stored and shown.
    pub fn stored(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::NoMatch => "no match",
            Decision::Unsure => "unsure",
        }
    }
}

/// An organisation of the catalogue to screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
}

/// A possible match: an organisation and a listed entry (by index into the parties given), the
/// listed name that matched, the score and the reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub org: usize,
    pub party: usize,
    pub listed_name: String,
    pub score: f64,
    pub reasons: String,
}

/// Names this short say too little to stand on their own (fewer distinctive words, or fewer
/// letters).
const MIN_WORDS_ALONE: usize = 3;
const MIN_LETTERS_ALONE: usize = 8;

/// One name on either side of a screening.
struct Item<'a> {
    /// The organisation, or the party (index), and the name as written.
    org: Option<usize>,
    party: Option<usize>,
    text: &'a str,
    countries: &'a [String],
    name: MakerName,
}

/// Whether a name may be a candidate on the name alone.
fn strong_name(m: &MakerName) -> bool {
    m.distinct.len() >= MIN_WORDS_ALONE
        && m.distinct.iter().map(|w| w.chars().count()).sum::<usize>() >= MIN_LETTERS_ALONE
}

/// The verdict on one organisation name and one listed name, under the screening rules.
fn judge_pair(org: &Item, listed: &Item, refs: &Reference) -> Option<Verdict> {
    let shared = org.countries.iter().find(|c| listed.countries.contains(c));
    let alone = strong_name(&org.name) && strong_name(&listed.name);
    if shared.is_none() && !alone {
        return None; // decided before the names are compared: the cheap test first
    }
    let (verdict, evidence) = makers::judge(&org.name, &listed.name, refs)?;
    if !verdict.same {
        return None;
    }
    let apart = !org.countries.is_empty() && !listed.countries.is_empty() && shared.is_none();
    if apart && evidence == Evidence::Resemblance {
        return None; // a slip or a sound across two countries is chance, not evidence
    }
    let why_country = match shared {
        Some(c) => format!("country {c} on both"),
        None if alone => format!(
            "name alone ({} distinctive words)",
            org.name.distinct.len().min(listed.name.distinct.len())
        ),
        None => return None,
    };
    Some(Verdict::new(
        verdict.score,
        format!("{}; {why_country}", verdict.reason),
    ))
}

/// A name before analysis: its organisation or party, the text, the countries.
type Unanalysed<'a> = (Option<usize>, Option<usize>, &'a str, &'a [String]);

fn items<'a>(
    orgs: &'a [Org],
    org_countries: &'a [Vec<String>],
    parties: &'a [Party],
    refs: &Reference,
) -> Vec<Item<'a>> {
    // (organisation, party, text, countries) first; names analysed on every core
    let mut named: Vec<Unanalysed<'a>> = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        named.push((Some(i), None, &o.name, &org_countries[i]));
    }
    for (i, p) in parties.iter().enumerate() {
        for text in std::iter::once(&p.name).chain(&p.aliases) {
            named.push((None, Some(i), text, &p.countries));
        }
    }
    let analysed = par_map(&named, |(_, _, text, _)| makers::analyse(text, refs));
    named
        .into_iter()
        .zip(analysed)
        .map(|((org, party, text, countries), name)| Item {
            org,
            party,
            text,
            countries,
            name,
        })
        .collect()
}

/// Keeps the best candidate of each (organisation, party), in (organisation, party) order.
fn best(found: Vec<Candidate>) -> Vec<Candidate> {
    let mut by_pair: BTreeMap<(usize, usize), Candidate> = BTreeMap::new();
    for c in found {
        let key = (c.org, c.party);
        match by_pair.get(&key) {
            Some(b) if (b.score, &c.listed_name) >= (c.score, &b.listed_name) => {}
            _ => {
                by_pair.insert(key, c);
            }
        }
    }
    by_pair.into_values().collect()
}

fn candidate(a: &Item, b: &Item, verdict: Verdict) -> Option<Candidate> {
    let (org, listed) = match (a.org, b.org) {
        (Some(_), None) => (a, b),
        (None, Some(_)) => (b, a),
        _ => return None,
    };
    Some(Candidate {
        org: org.org?,
        party: listed.party?,
        listed_name: listed.text.to_string(),
        score: verdict.score,
        reasons: verdict.reason,
    })
}

fn org_countries(orgs: &[Org]) -> Vec<Vec<String>> {
    orgs.iter()
        .map(|o| o.country.iter().cloned().collect())
        .collect()
}

/// `f` over `items` on every core (the machine's parallelism), results in the items' order.
fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 1024 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a screening thread panicked"))
            .collect()
    })
}

/// A blocking key's hash: FNV-1a over its bytes, then a 64-bit finaliser (splitmix64) so every
/// bit depends on every byte. Fixed: the same on every run. Much cheaper than SipHash over the
/// millions of keys a large list gives; a collision only puts two names in one bucket, where
/// judging decides, as it does for every pair there.
fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A name's blocking keys as distinct hashes.
fn key_hashes(name: &MakerName) -> Vec<u64> {
    let mut own: Vec<u64> = Vec::new();
    makers::for_each_blocking_key(name, |k| own.push(key_hash(k)));
    own.sort_unstable();
    own.dedup();
    own
}

/// A hasher for keys that are hashes already (`key_hash`): the map uses them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // only u64 keys are hashed here; fold anything else so it is still a hash
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<Prehashed>>;

/// Every candidate, found by blocking: an organisation is compared only with the listed names
/// that share one of its blocking keys (`makers::blocking_keys`, as `cluster` blocks), in
/// buckets of at most `BUCKET_CAP` listed names (a bigger one says too little, as in
/// `cluster`). Unlike `cluster`, the two sides are kept apart: listed names are never compared
/// with one another. The organisations (thousands) are the index: a listed name (of hundreds of
/// thousands) costs its keys and a lookup each, and only keys some organisation has are kept,
/// so the millions of keys of a large list are never stored or sorted. A bucket holds every
/// listed name with the key, so the cap applies as if every key were kept.
pub fn screen(orgs: &[Org], parties: &[Party], refs: &Reference) -> Vec<Candidate> {
    let oc = org_countries(orgs);
    let all = items(orgs, &oc, parties, refs);
    let (org_items, listed): (Vec<&Item>, Vec<&Item>) = all.iter().partition(|i| i.org.is_some());
    let org_keys: Vec<Vec<u64>> = par_map(&org_items, |o| key_hashes(&o.name));
    let mut buckets: KeyMap<Vec<u32>> = KeyMap::default();
    for h in org_keys.iter().flatten() {
        buckets.entry(*h).or_default();
    }
    let shared = par_map(&listed, |item| {
        let mut own = key_hashes(&item.name);
        own.retain(|h| buckets.contains_key(h));
        own
    });
    for (i, own) in shared.into_iter().enumerate() {
        for h in own {
            buckets
                .get_mut(&h)
                .expect("kept keys are in the index")
                .push(i as u32);
        }
    }
    let with_keys: Vec<(&Item, Vec<u64>)> = org_items.iter().copied().zip(org_keys).collect();
    let found = par_map(&with_keys, |(o, keys)| {
        let mut seen: Vec<u32> = Vec::new();
        for h in keys {
            let bucket = &buckets[h];
            if bucket.len() <= BUCKET_CAP {
                seen.extend_from_slice(bucket);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.iter()
            .filter_map(|&l| {
                let l = listed[l as usize];
                judge_pair(o, l, refs).and_then(|v| candidate(o, l, v))
            })
            .collect::<Vec<_>>()
    });
    best(found.into_iter().flatten().collect())
}

/// Every candidate, comparing every organisation with every listed name: what blocking is
/// measured against (benches/screening.rs). Quadratic; for samples only.
pub fn screen_all_pairs(orgs: &[Org], parties: &[Party], refs: &Reference) -> Vec<Candidate> {
    let oc = org_countries(orgs);
    let all = items(orgs, &oc, parties, refs);
    let (org_items, listed_items): (Vec<&Item>, Vec<&Item>) =
        all.iter().partition(|i| i.org.is_some());
    let mut found = Vec::new();
    for o in &org_items {
        for l in &listed_items {
            if let Some(v) = judge_pair(o, l, refs) {
                found.extend(candidate(o, l, v));
            }
        }
    }
    best(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FTM: &str = r#"{"id":"ent-1","schema":"Company","properties":{"name":["Zorvath Quillon Belmark Trading Limited"],"alias":["Zorvath Micro"],"country":["hk"],"sourceUrl":["https://example.org/1"]},"first_seen":"2023-05-02T00:00:00"}
{"id":"san-1","schema":"Sanction","properties":{"entity":["ent-1"],"program":["RUSSIA-EO14024"],"listingDate":["2023-05-19"]}}
{"id":"adr-1","schema":"Address","properties":{"full":["1 Nowhere Street"]}}
{"id":"per-1","schema":"Person","properties":{"name":["Ivo Quillmark"],"nationality":["ru"],"sanctions":[{"schema":"Sanction","properties":{"program":["EU-RUS"],"startDate":["2022-04-08"]}}]}}
"#;

    #[test]
    fn ftm_lines_give_parties_with_their_sanctions() {
        let parties = parse_list(FTM, ListFormat::sniff(FTM)).unwrap();
        assert_eq!(parties.len(), 2, "the address is no party");
        let c = &parties[0];
        assert_eq!(c.name, "Zorvath Quillon Belmark Trading Limited");
        assert_eq!(c.aliases, vec!["Zorvath Micro"]);
        assert_eq!(c.countries, vec!["HK"]);
        assert_eq!(c.programs, vec!["RUSSIA-EO14024"]);
        assert_eq!(
            c.listed_on.as_deref(),
            Some("2023-05-02"),
            "the earliest date known"
        );
        let p = &parties[1];
        assert_eq!(
            (p.countries.clone(), p.programs.clone()),
            (vec!["RU".to_string()], vec!["EU-RUS".to_string()])
        );
        assert_eq!(p.listed_on.as_deref(), Some("2022-04-08"));
        let e = parse_list(
            "{\"id\":\"x\",\"schema\":\"Company\",\"properties\":{}}\nnot json",
            ListFormat::Ftm,
        )
        .unwrap_err();
        assert!(e.starts_with("line 1:"), "{e}");
    }

    #[test]
    fn csv_lists_are_checked_by_line() {
        let ok = "id,name,aliases,country,program,listed_on,source_url\nx1,Qarnet Avionics Supply LLC,Qarnet;QAS,AE;RU,P1;P2,2024-02-23,https://e.org\n";
        let p = parse_list(ok, ListFormat::sniff(ok)).unwrap();
        assert_eq!(p[0].countries, vec!["AE", "RU"]);
        assert_eq!(p[0].aliases, vec!["Qarnet", "QAS"]);
        let bad = "id,name,aliases,country,program,listed_on,source_url\nx1,A,,Atlantis,,,\n";
        assert!(parse_list(bad, ListFormat::Csv)
            .unwrap_err()
            .starts_with("line 2:"));
        let twice = "id,name,aliases,country,program,listed_on,source_url\nx1,A,,,,,\nx1,B,,,,,\n";
        assert!(parse_list(twice, ListFormat::Csv)
            .unwrap_err()
            .contains("twice"));
    }

    #[test]
    fn changes_are_reported_by_entry_id() {
        let p = |id: &str, name: &str| Party {
            entry_id: id.into(),
            name: name.into(),
            ..Party::default()
        };
        let c = changes(
            &[p("a", "A"), p("b", "B"), p("c", "C")],
            &[p("a", "A"), p("b", "B2"), p("d", "D")],
        );
        assert_eq!(
            (c.added, c.removed, c.changed, c.unchanged),
            (
                vec!["d".to_string()],
                vec!["c".to_string()],
                vec!["b".to_string()],
                1
            )
        );
    }

    fn org(id: i64, name: &str, country: Option<&str>) -> Org {
        Org {
            id,
            name: name.into(),
            country: country.map(str::to_string),
        }
    }

    #[test]
    fn short_names_need_a_shared_country_and_long_ones_stand_alone() {
        let refs = Reference::get();
        let parties = parse_list(FTM, ListFormat::Ftm).unwrap();
        let orgs = [
            // three distinctive words: a candidate on the name alone, whatever the country
            org(1, "Zorvath Quillon Belmark Trading Ltd", Some("CN")),
            // two words, same country as the entry: a candidate with the country as evidence
            org(2, "Zorvath Micro Co., Ltd.", Some("HK")),
            // two words, another country: never on the name alone
            org(3, "Zorvath Micro", Some("DE")),
            org(4, "Unrelated Devices", Some("HK")),
        ];
        let found = screen(&orgs, &parties, refs);
        let hits: Vec<(i64, &str)> = found
            .iter()
            .map(|c| (orgs[c.org].id, c.reasons.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{hits:?}");
        assert_eq!(orgs[found[0].org].id, 1);
        assert!(found[0].reasons.contains("name alone"), "{hits:?}");
        assert_eq!(orgs[found[1].org].id, 2);
        assert!(found[1].reasons.contains("country HK on both"), "{hits:?}");
        assert_eq!(
            screen_all_pairs(&orgs, &parties, refs),
            found,
            "blocking loses nothing here"
        );
    }

    #[test]
    fn many_names_are_analysed_on_every_core_in_order() {
        // past the size where names are analysed on several threads: the same candidates as
        // comparing every pair, each pointing at the right entry
        let refs = Reference::get();
        let parties: Vec<Party> = (0..1500)
            .map(|i| Party {
                entry_id: format!("e{i}"),
                name: format!("Listed{i} Quorvane Belstrad Holding LLC"),
                countries: vec!["AE".into()],
                ..Party::default()
            })
            .collect();
        let orgs = [
            org(1, "Listed7 Quorvane Belstrad Holding Ltd", Some("DE")),
            org(
                2,
                "Listed1499 Quorvane Belstrad Holding Limited",
                Some("AE"),
            ),
        ];
        let found = screen(&orgs, &parties, refs);
        let entries: Vec<&str> = found
            .iter()
            .map(|c| parties[c.party].entry_id.as_str())
            .collect();
        assert_eq!(entries, ["e7", "e1499"]);
        assert_eq!(screen_all_pairs(&orgs, &parties, refs), found);
    }
}
