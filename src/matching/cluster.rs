//! Grouping a list of names of one kind: each row gets the number of its group (1, 2, ... in
//! order of first appearance). Rows with identical text are analysed once.

use std::collections::{HashMap, HashSet};

use super::reference::Reference;
use super::{families, group, judge_pairs, makers, parts, weapons, Pair, UnionFind};

/// What the names to group are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Parts,
    Manufacturers,
    Weapons,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Parts, Kind::Manufacturers, Kind::Weapons];

    /// The name `cluster --kind` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Parts => "parts",
            Kind::Manufacturers => "manufacturers",
            Kind::Weapons => "weapons",
        }
    }
}

/// One name to group; for parts, the maker as given (may be empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub name: String,
    pub manufacturer: Option<String>,
}

/// The group number (from 1, by first appearance) of every row.
pub fn cluster(kind: Kind, rows: &[Row], threshold: f64) -> Vec<usize> {
    let refs = Reference::get();
    let groups = match kind {
        Kind::Manufacturers => {
            let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            group_makers(&names, threshold, refs)
        }
        Kind::Weapons => {
            let (distinct, index) = distinct(rows.iter().map(|r| r.name.as_str()));
            let analysed: Vec<_> = distinct.iter().map(|n| weapons::analyse(n, refs)).collect();
            let mut pairs = judge_pairs(&analysed, weapons::blocking_keys, |a, b| {
                weapons::compare(a, b, refs)
            });
            let roots = group(distinct.len(), &mut pairs, threshold);
            index.iter().map(|&i| roots[i]).collect()
        }
        Kind::Parts => group_parts(rows, threshold, refs),
    };
    number_groups(&groups)
}

/// Distinct texts in first-appearance order, and each input's index among them.
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, Vec<usize>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut list = Vec::new();
    let index = names
        .map(|n| {
            *seen.entry(n).or_insert_with(|| {
                list.push(n);
                list.len() - 1
            })
        })
        .collect();
    (list, index)
}

/// The maker group root of every name.
pub fn group_makers(names: &[&str], threshold: f64, refs: &Reference) -> Vec<usize> {
    let (distinct, index) = distinct(names.iter().copied());
    let analysed: Vec<_> = distinct.iter().map(|n| makers::analyse(n, refs)).collect();
    let mut pairs = judge_pairs(&analysed, makers::blocking_keys, |a, b| {
        makers::compare(a, b, refs)
    });
    drop_ambiguous_sounds(&analysed, &mut pairs);
    let roots = group(distinct.len(), &mut pairs, threshold);
    index.iter().map(|&i| roots[i]).collect()
}

/// The judged pairs among maker names, for review.
pub fn maker_pairs(names: &[&str], refs: &Reference) -> Vec<Pair> {
    let analysed: Vec<_> = names.iter().map(|n| makers::analyse(n, refs)).collect();
    let mut pairs = judge_pairs(&analysed, makers::blocking_keys, |a, b| {
        makers::compare(a, b, refs)
    });
    drop_ambiguous_sounds(&analysed, &mut pairs);
    pairs
}

/// Drops the matches by resemblance (sound, a slip) of a name from another script that
/// resembles two Latin makers that are not one maker: "Холтек" sounds like both Holtek
/// Semiconductor and Holtec International, so it could be either and must bridge neither.
/// Latin names are one maker when a match between Latin names joins them (same core, alias
/// list, a slip); matches on the name itself (same key or core, alias list: 0.95 and more)
/// are kept.
fn drop_ambiguous_sounds(analysed: &[makers::MakerName], pairs: &mut Vec<Pair>) {
    let foreign = |i: usize| analysed[i].foreign;
    let mut latin = UnionFind::dense(analysed.len());
    for p in pairs
        .iter()
        .filter(|p| p.verdict.same && !foreign(p.a) && !foreign(p.b))
    {
        let (a, b) = (latin.find(p.a), latin.find(p.b));
        if a != b {
            latin.union(a, b);
        }
    }
    let mut resembles: HashMap<usize, HashSet<usize>> = HashMap::new();
    for p in pairs
        .iter()
        .filter(|p| p.verdict.same && foreign(p.a) != foreign(p.b))
    {
        let (f, other) = if foreign(p.a) { (p.a, p.b) } else { (p.b, p.a) };
        let root = latin.find(other);
        resembles.entry(f).or_default().insert(root);
    }
    let ambiguous: HashSet<usize> = resembles
        .into_iter()
        .filter(|(_, makers)| makers.len() > 1)
        .map(|(f, _)| f)
        .collect();
    pairs.retain(|p| {
        let weak = p.verdict.same && p.verdict.score < 0.95;
        !(weak && (ambiguous.contains(&p.a) || ambiguous.contains(&p.b)))
    });
}

fn group_parts(rows: &[Row], threshold: f64, refs: &Reference) -> Vec<usize> {
    // names of makers present in the input, as compact names and cores
    let mut known: HashSet<String> = HashSet::new();
    for m in rows.iter().filter_map(|r| r.manufacturer.as_deref()) {
        let a = makers::analyse(m, refs);
        known.extend([a.compact, a.core].into_iter().filter(|k| k.len() >= 2));
    }
    let is_maker = |text: &str| {
        let a = makers::analyse(text, refs);
        a.alias.is_some()
            || known.contains(&a.compact)
            || (a.core.len() >= 3 && known.contains(&a.core))
    };
    let (distinct_names, name_index) = distinct(rows.iter().map(|r| r.name.as_str()));
    // a descriptive text is read by the code it carries ("Microcircuit CY7C1069DV33-10ZSXI
    // (16Mbit SRAM)"); the maker it names stays a hint
    let wholes: Vec<parts::PartName> = distinct_names
        .iter()
        .map(|n| parts::analyse_for_matching(n, refs, &is_maker))
        .collect();
    // the words of the set, lowercase: the evidence that "8oson" is the word "Boson" misread
    let set_words: HashSet<String> = distinct_names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    let mut readings: Vec<Option<(String, Vec<String>)>> = distinct_names
        .iter()
        .map(|n| {
            families::description_reading(n, refs)
                .filter(|(code, _)| !misread_word_of_set(code, &set_words))
        })
        .collect();
    // the codes that names written bare (no description around them) give in full: what
    // says that the tokens after a description's code belong to it ("MN5212 KV340")
    let bare_codes: HashSet<&str> = wholes
        .iter()
        .zip(&readings)
        .filter(|(_, r)| r.is_none())
        .map(|(w, _)| w.code.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    // a name read whole gives a code the set writes bare: the set says what its code is, and
    // the tokens the description reading would cut off are a piece of it ("max-m 10s-00b"
    // beside "MAX-M10S-00B", "lpc1768fbd 100" beside "LPC1768FBD100"), not a description
    // or a lot marking
    for (reading, whole) in readings.iter_mut().zip(&wholes) {
        if reading.is_some() && bare_codes.contains(whole.code.as_str()) {
            *reading = None;
        }
    }
    read_model_numbers_whole(&distinct_names, &name_index, &mut readings);
    let mut written: Vec<String> = Vec::with_capacity(distinct_names.len());
    let mut analysed: Vec<parts::PartName> = Vec::with_capacity(distinct_names.len());
    for ((n, whole), reading) in distinct_names.iter().zip(&wholes).zip(&readings) {
        match reading {
            Some((code, after)) => {
                let code = attested_extension(code, after, &bare_codes).unwrap_or(code.clone());
                analysed.push(parts::PartName {
                    maker_hint: whole.maker_hint.clone(),
                    ..parts::analyse_for_matching(&code, refs, &is_maker)
                });
                written.push(code);
            }
            None => {
                // from where the code is written: the hyphen or the word after its base is
                // looked up by counting the code's characters ("Microcontroller
                // ATMEGA128A-AU": the hyphen after ATMEGA128A, not after "Microcontr")
                written.push(from_code_start(n, &whole.code).to_string());
                analysed.push(whole.clone());
            }
        }
    }
    // the maker of each row: as given, else as named inside the part name
    let maker_texts: Vec<Option<String>> = rows
        .iter()
        .zip(&name_index)
        .map(|(r, &i)| {
            r.manufacturer
                .as_deref()
                .filter(|m| !m.trim().is_empty())
                .map(str::to_string)
                .or_else(|| analysed[i].maker_hint.clone())
        })
        .collect();
    let present: Vec<&str> = maker_texts.iter().flatten().map(String::as_str).collect();
    let maker_roots = group_makers(&present, threshold, refs);
    let mut maker_of_row: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut next = 0;
    for m in &maker_texts {
        maker_of_row.push(m.as_ref().map(|_| {
            next += 1;
            maker_roots[next - 1]
        }));
    }
    one_family_one_maker_per_code(
        &mut maker_of_row,
        &maker_texts,
        &name_index,
        &analysed,
        refs,
    );
    // which known makers each skeleton belongs to: an unknown maker joins the only one
    let mut makers_by_skeleton: HashMap<&str, HashSet<usize>> = HashMap::new();
    for (row, &i) in name_index.iter().enumerate() {
        if let Some(m) = maker_of_row[row] {
            makers_by_skeleton
                .entry(analysed[i].skeleton.as_str())
                .or_default()
                .insert(m);
        }
    }
    // rows with one maker and one skeleton are candidates; within them, codes join when equal
    // or when they differ only by plausible misreadings
    let mut buckets: HashMap<(Option<usize>, &str), Vec<usize>> = HashMap::new();
    for (row, &i) in name_index.iter().enumerate() {
        let skeleton = analysed[i].skeleton.as_str();
        if skeleton.is_empty() {
            continue; // nothing identifies it: a group of its own
        }
        let maker = maker_of_row[row].or_else(|| match makers_by_skeleton.get(skeleton) {
            Some(set) if set.len() == 1 => set.iter().next().copied(),
            _ => None,
        });
        buckets.entry((maker, skeleton)).or_default().push(row);
    }
    // how many rows write each code, whatever their maker: the evidence for a reading
    let mut rows_of_code: HashMap<&str, usize> = HashMap::new();
    for &i in &name_index {
        *rows_of_code.entry(analysed[i].code.as_str()).or_default() += 1;
    }
    // how many codes of a skeleton are attested (three rows or more): where two are, both are
    // real products, and a rare reading could be a slip of either
    let mut attested: HashMap<&str, usize> = HashMap::new();
    for (code, &n) in &rows_of_code {
        if n >= parts::ATTESTED_ROWS {
            let skeleton = parts::ocr_skeleton(code);
            if let Some((key, _)) = makers_by_skeleton.get_key_value(skeleton.as_str()) {
                *attested.entry(key).or_default() += 1;
            }
        }
    }
    let mut groups = super::Groups::new(rows.len());
    // buckets come in hash order, which cannot show: joins commute (nothing is kept apart here)
    // and groups are numbered by the first appearance of a row
    for members in buckets.values() {
        let mut by_code: HashMap<&str, usize> = HashMap::new();
        for &row in members {
            let code = analysed[name_index[row]].code.as_str();
            match by_code.get(code) {
                Some(&first) => {
                    groups.join(first, row);
                }
                None => {
                    by_code.insert(code, row);
                }
            }
        }
        let distinct: Vec<(&str, usize)> = by_code.into_iter().collect();
        for (x, &(code_a, a)) in distinct.iter().enumerate() {
            for &(code_b, b) in &distinct[x + 1..] {
                let (pa, pb) = (&analysed[name_index[a]], &analysed[name_index[b]]);
                let evidence = attested.get(pa.skeleton.as_str()) == Some(&1)
                    && parts::misread_by_evidence(rows_of_code[code_a], rows_of_code[code_b]);
                if parts::ocr_variants(pa, pb) || evidence {
                    groups.join(a, b);
                }
            }
        }
    }
    join_bare_bases(
        &analysed,
        &written,
        &name_index,
        &maker_of_row,
        &rows_of_code,
        &mut groups,
    );
    groups.roots()
}

/// A number written after a code by two rows or more is part of a model's name ("XING2 2207"
/// beside "XING2 2306": two motor sizes), not a lot or date marking, which belongs to one
/// unit: a name that is only a code and such a number is read whole. Counted by the code's
/// OCR skeleton, so that a misread copy ("XIN62 2207") counts with it. Names with words
/// besides ("Two-channel digital isolator 1201CRZ 18108") keep their description reading.
fn read_model_numbers_whole(
    names: &[&str],
    name_index: &[usize],
    readings: &mut [Option<(String, Vec<String>)>],
) {
    let lone_number = |name: &str, reading: &Option<(String, Vec<String>)>| {
        let (code, after) = reading.as_ref()?;
        let [number] = after.as_slice() else {
            return None;
        };
        let only_code_and_number = number.chars().all(|c| c.is_ascii_digit())
            && parts::compact_code(name) == parts::compact_code(&format!("{code}{number}"));
        only_code_and_number.then(|| {
            (
                parts::ocr_skeleton(&parts::compact_code(code)),
                number.clone(),
            )
        })
    };
    let keys: Vec<Option<(String, String)>> = names
        .iter()
        .zip(readings.iter())
        .map(|(n, r)| lone_number(n, r))
        .collect();
    let mut rows: HashMap<&(String, String), usize> = HashMap::new();
    for &i in name_index {
        if let Some(key) = &keys[i] {
            *rows.entry(key).or_default() += 1;
        }
    }
    for (reading, key) in readings.iter_mut().zip(&keys) {
        if key.as_ref().is_some_and(|k| rows[k] >= 2) {
            *reading = None;
        }
    }
}

/// Whether a description's code is a word of the set misread with digits ("8oson" where
/// "Boson" is written): then it is no code, the number after it is the model ("8oson 640" is
/// Boson 640, not a "code" 8OSON with a marking 640), and the name keeps its whole reading.
fn misread_word_of_set(code: &str, set_words: &HashSet<String>) -> bool {
    families::misread_word(code).is_some_and(|w| set_words.contains(&w))
}

/// A description's code with the tokens written after it ("MN5212" and "KV340" of "MN5212
/// KV340 outrunner", "ESP32" and "WROOM 32E" of "ESP32 WROOM 32E WiFi/BT module"), when a name
/// of the set written bare gives that longer code: then the tokens are the rest of the model's
/// name, not markings, and cutting them off would make one code of two models. The longest
/// such reading, of at most four tokens; a group of digits right after the code is a lot or
/// date marking and ends the reading ("1201CRZ 18108 16029"), but not after a word ("KV 420").
fn attested_extension(code: &str, after: &[String], bare_codes: &HashSet<&str>) -> Option<String> {
    const MOST_TOKENS: usize = 4;
    let mut best = None;
    let mut text = code.to_string();
    for (k, token) in after.iter().take(MOST_TOKENS).enumerate() {
        // "rh/t", "10/100": an abbreviation or a range describes
        if !token.chars().all(|c| c.is_alphanumeric() || c == '-') {
            break;
        }
        let digits_only = token.chars().all(|c| c.is_ascii_digit());
        // the word before: the last token read, or the last piece of the code ("VX88-KQ")
        let before = match k {
            0 => code.rsplit([' ', '-']).next().unwrap_or(""),
            _ => after[k - 1].as_str(),
        };
        let after_word = !before.is_empty() && before.chars().all(char::is_alphabetic);
        if digits_only && !after_word {
            break;
        }
        let (latin, _) = super::text::latin(&super::text::one_script(token));
        text.push(' ');
        text.push_str(&latin.to_uppercase());
        if bare_codes.contains(parts::compact_code(&text).as_str()) {
            best = Some(text.clone());
        }
    }
    best
}

/// A parent and its division or brand named on one part code ("Kyocera", "Kyocera AVX",
/// "AVX"; "Hitachi", "Hitachi Astemo") are one maker for that code: every row of the code
/// takes the first of their groups, so identical codes are not split into two parts and the
/// rows without a maker join them. Only when every pair of the code's makers is family
/// (`makers::family`), or is named together by a third maker written on the code ("BRP" and
/// "Rotax" beside "BRP-Rotax": `makers::names_both`): family is not transitive, and Mitsubishi
/// Electric and Mitsubishi Heavy Industries on one code stay two makers. A code with many
/// makers is left as it is. A code here is its OCR skeleton, so that a misread copy ("912
/// UL5" of "912 ULS") takes the same maker as the code it may be a misreading of; whether the
/// two codes are one is still judged by `parts::ocr_variants`.
fn one_family_one_maker_per_code(
    maker_of_row: &mut [Option<usize>],
    maker_texts: &[Option<String>],
    name_index: &[usize],
    analysed: &[parts::PartName],
    refs: &Reference,
) {
    const MOST_MAKERS: usize = 6;
    let mut makers_of_code: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    // every maker text written on a code, whatever its group ("BRP-Rotax" is Rotax's group)
    let mut texts_of_code: HashMap<&str, Vec<&str>> = HashMap::new();
    for (row, &i) in name_index.iter().enumerate() {
        if let (Some(m), Some(text)) = (maker_of_row[row], maker_texts[row].as_deref()) {
            let seen = makers_of_code
                .entry(analysed[i].skeleton.as_str())
                .or_default();
            if !seen.iter().any(|&(g, _)| g == m) {
                seen.push((m, text));
            }
            let texts = texts_of_code
                .entry(analysed[i].skeleton.as_str())
                .or_default();
            if !texts.contains(&text) && texts.len() < 2 * MOST_MAKERS {
                texts.push(text);
            }
        }
    }
    let mut one_maker: HashMap<(&str, usize), usize> = HashMap::new();
    // maker texts analysed once, when a pair of a code's makers is no family by itself
    let mut analysed_makers: HashMap<&str, makers::MakerName> = HashMap::new();
    for (code, seen) in &makers_of_code {
        if code.is_empty() || seen.len() < 2 || seen.len() > MOST_MAKERS {
            continue;
        }
        // family, or both named by a third maker of the code ("BRP" and "Rotax" beside
        // "BRP-Rotax"): the printed compound says they are one family here
        let all_family = seen.iter().enumerate().all(|(x, &(_, a))| {
            seen[x + 1..].iter().all(|&(_, b)| {
                makers::family(a, b, refs)
                    || named_together(a, b, &texts_of_code[code], &mut analysed_makers, refs)
            })
        });
        if all_family {
            for &(m, _) in seen {
                one_maker.insert((code, m), seen[0].0);
            }
        }
    }
    for (row, &i) in name_index.iter().enumerate() {
        if let Some(m) = maker_of_row[row] {
            if let Some(&first) = one_maker.get(&(analysed[i].skeleton.as_str(), m)) {
                maker_of_row[row] = Some(first);
            }
        }
    }
}

/// Whether a third maker text written on a code names both `a` and `b` (`makers::names_both`).
fn named_together<'a>(
    a: &str,
    b: &str,
    texts: &[&'a str],
    analysed: &mut HashMap<&'a str, makers::MakerName>,
    refs: &Reference,
) -> bool {
    for &t in texts {
        analysed
            .entry(t)
            .or_insert_with(|| makers::analyse(t, refs));
    }
    let (Some(ma), Some(mb)) = (analysed.get(a), analysed.get(b)) else {
        return false;
    };
    texts
        .iter()
        .filter(|&&c| c != a && c != b)
        .any(|c| makers::names_both(&analysed[c], ma, mb))
}

/// A bare base code joins the codes that extend it by an ordering suffix ("AD7450" and
/// "AD7450BRZ", "CY7C1069DV33" and "CY7C1069DV33-10ZSXI"), as a packaging suffix is set aside
/// from a bare name, where the makers do not differ. The base has four characters or more,
/// letters and digits; the suffix has two characters or more, with a letter, and is written
/// after a hyphen ("K6R4016V1D-UI10", "SUM110P06-08L"), or begins with a letter after a base
/// ending in a digit ("AD7450BRZ"). A single letter is a model (ATMEGA328P ≠ ATMEGA328), a
/// digit glued on is another number (LM35 ≠ LM358DR), and 14052BG never extends 14053.
fn join_bare_bases(
    analysed: &[parts::PartName],
    written: &[String],
    name_index: &[usize],
    maker_of_row: &[Option<usize>],
    rows_of_code: &HashMap<&str, usize>,
    groups: &mut super::Groups,
) {
    // one row stands for each distinct name and maker: the others are in its group already
    // (same code, same bucket), and joining every pair of rows would be quadratic
    let mut first_row: HashMap<(usize, Option<usize>), usize> = HashMap::new();
    for (row, &i) in name_index.iter().enumerate() {
        first_row.entry((i, maker_of_row[row])).or_insert(row);
    }
    let mut reps: Vec<((usize, Option<usize>), usize)> = first_row.into_iter().collect();
    reps.sort_unstable();
    let mut bases_by_code: HashMap<&str, Vec<(Option<usize>, usize)>> = HashMap::new();
    for &((i, maker), row) in &reps {
        let code = analysed[i].code.as_str();
        let base_like = code.len() >= 4
            && code.chars().any(|c| c.is_ascii_digit())
            && code.chars().any(|c| c.is_ascii_alphabetic());
        if base_like {
            bases_by_code.entry(code).or_default().push((maker, row));
        }
    }
    if bases_by_code.is_empty() {
        return;
    }
    // every base with the rows that extend it
    let mut extensions: HashMap<usize, Vec<usize>> = HashMap::new();
    for &((i, maker), row) in &reps {
        let code = analysed[i].code.as_str();
        for cut in 4..code.len().saturating_sub(1) {
            let (base, suffix) = code.split_at(cut);
            if !suffix.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let glued = base.ends_with(|c: char| c.is_ascii_digit())
                && suffix.starts_with(|c: char| c.is_ascii_alphabetic());
            let letters = suffix.chars().all(|c| c.is_ascii_alphabetic());
            let after_slash = letters && separator_after(&written[i], cut, '/');
            // never where the base without its letter is written bare too: the code would
            // then bridge two models (MAX3232 and MAX3232E through MAX3232ECPE)
            let after_revision = letters
                && suffix.len() >= 3
                && ends_with_revision(base)
                && !bases_by_code.contains_key(&base[..base.len() - 1]);
            if !glued && !after_slash && !after_revision && !separator_after(&written[i], cut, '-')
            {
                continue;
            }
            if model_word_after(&written[i], cut, suffix) {
                continue;
            }
            let Some(bases) = bases_by_code.get(base) else {
                continue;
            };
            for &(other_maker, other) in bases {
                let makers_agree = match (maker, other_maker) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                if makers_agree {
                    extensions.entry(other).or_default().push(row);
                }
            }
        }
    }
    let mut bases: Vec<(usize, Vec<usize>)> = extensions.into_iter().collect();
    bases.sort_unstable();
    // a base beside two extensions that are two models ("ESP32" beside ESP32-WROOM-32D and
    // ESP32-WROOM-32E) could be either: it joins neither, and the two are kept apart
    let mut plain = Vec::with_capacity(bases.len());
    for (base, rows) in bases {
        let base_len = analysed[name_index[base]].code.len();
        let rows = without_rare_misreadings(rows, analysed, name_index, rows_of_code);
        let variants = distinct_variants(base_len, &rows, analysed, name_index, groups);
        if variants.len() > 1 {
            for pair in variants.windows(2) {
                groups.keep_apart(pair[0], pair[1]);
            }
        } else {
            plain.push((base, rows));
        }
    }
    for (base, rows) in plain {
        for row in rows {
            groups.join(base, row);
        }
    }
}

/// The extensions of one base less those that may be a misreading of another: a code written
/// by fewer than `parts::ATTESTED_ROWS` rows whose OCR skeleton is that of another extension
/// that is attested ("ADS1115IDG5R", once, beside "ADS1115IDGSR", three times). Such a code
/// is no evidence of a second model (the base would otherwise join neither), and it does not
/// join the base either: whether it is a slip is `misread_by_evidence`'s to judge.
fn without_rare_misreadings(
    rows: Vec<usize>,
    analysed: &[parts::PartName],
    name_index: &[usize],
    rows_of_code: &HashMap<&str, usize>,
) -> Vec<usize> {
    let code_of = |row: usize| analysed[name_index[row]].code.as_str();
    let written_by = |code: &str| rows_of_code.get(code).copied().unwrap_or(0);
    // each attested extension by its skeleton
    let attested: HashMap<String, &str> = rows
        .iter()
        .map(|&row| code_of(row))
        .filter(|code| written_by(code) >= parts::ATTESTED_ROWS)
        .map(|code| (parts::ocr_skeleton(code), code))
        .collect();
    rows.into_iter()
        .filter(|&row| {
            let code = code_of(row);
            let misreads_another = attested
                .get(&parts::ocr_skeleton(code))
                .is_some_and(|&other| other != code);
            !(written_by(code) < parts::ATTESTED_ROWS && misreads_another)
        })
        .collect()
}

/// Two rows, in two groups, of the extensions of one base that are two models
/// (`two_variants`); none when the base is no abbreviation of two models. At most a few
/// groups are compared: a base is ambiguous as soon as two conflict.
fn distinct_variants(
    base_len: usize,
    rows: &[usize],
    analysed: &[parts::PartName],
    name_index: &[usize],
    groups: &mut super::Groups,
) -> Vec<usize> {
    const MOST_COMPARED: usize = 8;
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for &row in rows {
        let root = groups.find(row);
        if kept.iter().any(|&(r, _)| r == root) {
            continue;
        }
        let code = analysed[name_index[row]].code.as_str();
        let conflict = kept.iter().find(|&&(_, other)| {
            two_variants(base_len, code, analysed[name_index[other]].code.as_str())
        });
        if let Some(&(_, other)) = conflict {
            return vec![other, row];
        }
        if kept.len() < MOST_COMPARED {
            kept.push((root, row));
        }
    }
    Vec::new()
}

/// Whether two codes that extend one base of `base_len` characters are two models rather
/// than two orderings of the base: they first differ in a number ("ACS712ELCTR" + "20AT" /
/// "30AT", "MN5212" + "KV340" / "KV420", two speed grades "10ZSXI" / "15ZSXI") or in the letter
/// right after a number ("ESP32" + "WROOM32D" / "WROOM32E", a revision). Package and ordering
/// letters differ among letters ("ADM3202" + "ARN" / "ARU" / "ARNZ", "DKRND" / "R7"): one part.
fn two_variants(base_len: usize, a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let Some(at) = (base_len..a.len().min(b.len())).find(|&i| a[i] != b[i]) else {
        return false; // one extends the other
    };
    let number = a[at].is_ascii_digit() || b[at].is_ascii_digit();
    let after_number = at > base_len && a[at - 1].is_ascii_digit();
    number || after_number
}

/// Whether the suffix after the first `count` letters and digits of a written code is a
/// model word rather than an ordering code: written apart as a word in lowercase letters
/// after a capital ("EVO 2 Pro", "Mavic 3 Classic"), or a listed model word ("EVO-2 PRO").
/// An ordering code is written in capitals ("AD7450 BRZ").
fn model_word_after(written: &str, count: usize, suffix: &str) -> bool {
    if families::is_model_word(suffix) || parts::is_long_model_word(suffix) {
        return true;
    }
    let mut seen = 0;
    for (at, c) in written.char_indices() {
        if seen == count {
            let rest = written[at..].trim_start_matches([' ', '-']);
            let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            // a model word first, whatever follows it ("Phoenix 2 se fpv camera")
            if families::is_model_word(&word.to_ascii_uppercase()) {
                return true;
            }
            let mut chars = word.chars();
            return word.chars().count() >= 3
                && chars.next().is_some_and(char::is_uppercase)
                && chars.all(char::is_lowercase);
        }
        if c.is_ascii_alphanumeric() {
            seen += 1;
        }
    }
    false
}

/// The text of a name from where its code begins: the first place whose letters and digits,
/// read in capitals, spell the code. The whole name where they never do (a code read across
/// scripts or with a maker's prefix set aside from inside it).
fn from_code_start<'a>(name: &'a str, code: &str) -> &'a str {
    if code.is_empty() {
        return name;
    }
    let spells_code = |from: &str| {
        let mut wanted = code.chars();
        let mut next = wanted.next();
        for c in from.chars().filter(char::is_ascii_alphanumeric) {
            match next {
                None => break,
                Some(w) if w == c.to_ascii_uppercase() => next = wanted.next(),
                Some(_) => return false,
            }
        }
        next.is_none()
    };
    name.char_indices()
        .filter(|&(at, c)| {
            c.is_ascii_alphanumeric() && !name[..at].ends_with(|p: char| p.is_ascii_alphanumeric())
        })
        .map(|(at, _)| &name[at..])
        .find(|from| spells_code(from))
        .unwrap_or(name)
}

/// Whether a base ends in one letter after a number of three digits or more, as a revision
/// or grade letter closes a part number ("ADM2587E", "MAX3232E"): letters glued after it
/// are its ordering code ("ADM2587EBRWZ"). A model name's short number ("A40T") is not such
/// a base.
fn ends_with_revision(base: &str) -> bool {
    let b = base.as_bytes();
    let n = b.len();
    n >= 5 && b[n - 1].is_ascii_alphabetic() && b[n - 4..n - 1].iter().all(u8::is_ascii_digit)
}

/// Whether a separator ('-' before an ordering code, '/' before a packing code such as
/// "/CM" or "/NOPB") follows the first `count` letters and digits of a written code.
fn separator_after(written: &str, count: usize, separator: char) -> bool {
    let mut seen = 0;
    for (at, c) in written.char_indices() {
        if seen == count {
            return written[at..].trim_start().starts_with(separator);
        }
        if c.is_ascii_alphanumeric() {
            seen += 1;
        }
    }
    false
}

fn number_groups(roots: &[usize]) -> Vec<usize> {
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    roots
        .iter()
        .map(|r| {
            let n = numbers.len() + 1;
            *numbers.entry(*r).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_sounds_like_two_latin_makers_bridges_neither() {
        let refs = Reference::get();
        let alone = group_makers(&["Horvek Semiconductor", "Хорвек"], 0.85, refs);
        assert_eq!(alone[0], alone[1], "one Latin maker: the sound joins them");
        let names = ["Horvek Semiconductor", "Horvec International", "Хорвек"];
        let groups = group_makers(&names, 0.85, refs);
        assert_ne!(groups[0], groups[1], "two makers one letter apart");
        assert_ne!(
            groups[2], groups[0],
            "{names:?}: the Cyrillic name could be either"
        );
        assert_ne!(groups[2], groups[1]);
        // a name that spells one of them (same core) joins it, and bridges nothing
        let names = ["Dorvek Semiconductor", "Dorvec International", "Дорвек"];
        let groups = group_makers(&names, 0.85, refs);
        assert_ne!(groups[0], groups[1], "{names:?}");
        assert_eq!(groups[2], groups[0], "{names:?}");
        // two spellings of one Latin maker are one maker to sound like
        let one = [
            "Horvek Semiconductor",
            "Horvek Semiconductor Co., Ltd.",
            "Хорвек",
        ];
        let groups = group_makers(&one, 0.85, refs);
        assert!(groups.iter().all(|&g| g == groups[0]), "{one:?}");
    }

    fn rows(items: &[(&str, &str)]) -> Vec<Row> {
        items
            .iter()
            .map(|(n, m)| Row {
                name: n.to_string(),
                manufacturer: (!m.is_empty()).then(|| m.to_string()),
            })
            .collect()
    }

    #[test]
    fn a_rare_misreading_of_one_ordering_code_does_not_make_the_base_ambiguous() {
        let mut items = vec![("LMV7219", "Acme")];
        items.extend([("LMV7219IDGSR", "Acme"); 3]);
        items.extend([("LMV7219IDGST", "Acme"); 3]);
        items.push(("LMV7219IDG5R", "Acme"));
        let g = cluster(Kind::Parts, &rows(&items), 0.85);
        assert_eq!(g[0], g[1], "the base joins its ordering codes");
        assert_eq!(g[1], g[4], "two reels of one part");
        assert_ne!(
            g[7], g[0],
            "a misreading written once joins nothing by the base"
        );
        // two attested codes of one skeleton are two models: the base joins neither
        let mut items = vec![("QRF7103", "Acme")];
        items.extend([("QRF7103C8T6", "Acme"); 3]);
        items.extend([("QRF7103CBT6", "Acme"); 3]);
        let g = cluster(Kind::Parts, &rows(&items), 0.85);
        assert_ne!(g[1], g[4]);
        assert_ne!(g[0], g[1]);
        assert_ne!(g[0], g[4]);
    }

    #[test]
    fn letters_after_a_revision_letter_or_a_slash_are_an_ordering_code() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QDM4417E", "Acme"),
                ("QDM4417EBRWZ", "Acme"),
                ("QDM4417E BRWZ-REEL7", "Acme"),
                ("TJQ7050T", "Acme"),
                ("TJQ7050T/CM", "Acme"),
                // a model name's short number takes no such suffix
                ("A40T", "Viewpro"),
                ("A40TR Pro", "Viewpro"),
            ]),
            0.85,
        );
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[2]);
        assert_eq!(g[3], g[4]);
        assert_ne!(g[5], g[6]);
        // where the base without its letter is written too, the letter may name a model
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("MQX3232", "Acme"),
                ("MQX3232E", "Acme"),
                ("MQX3232ECPE", "Acme"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1], "{g:?}");
    }

    #[test]
    fn a_name_read_whole_as_a_code_the_set_writes_bare_keeps_that_code() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QAX-M10S-00B", "Acme"),
                ("qax-m 10s-00b", "Acme"),
                ("QAX-M 10S-00B positioning module", "Acme"),
                ("LQC1768FBD100", "Acme"),
                ("lqc1768fbd 100", "Acme"),
                // not written bare: the number after the code stays a lot marking
                ("Microcircuit 1207CRZ 18108", "Acme"),
                ("1207CRZ", "Acme"),
            ]),
            0.85,
        );
        assert_eq!(g[0], g[1], "{g:?}");
        assert_eq!(g[0], g[2], "{g:?}");
        assert_eq!(g[3], g[4], "{g:?}");
        assert_eq!(g[5], g[6], "{g:?}");
        assert_ne!(g[0], g[3]);
    }

    #[test]
    fn model_sizes_words_and_numbers_keep_two_models_apart() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("Raptor V5", "Acme"),
                ("Raptor Micro V5", "Acme"),
                ("raptor micro v5 camera", "Acme"),
                ("Falcon 2", "Acme"),
                ("falcon 2 se fpv camera", "Acme"),
                ("VANE2 2207", "Acme"),
                ("VANE2 2207", "Acme"),
                ("VANE2 2306", "Acme"),
                ("VANE2 2306", "Acme"),
                ("VAN62 2207", "Acme"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1], "Micro is a model's size: {g:?}");
        assert_eq!(g[1], g[2], "{g:?}");
        assert_ne!(g[3], g[4], "SE is a model word, whatever follows it: {g:?}");
        assert_eq!(g[5], g[6]);
        assert_ne!(
            g[5], g[7],
            "a number written by several rows is a model's: {g:?}"
        );
        assert_ne!(g[7], g[9], "{g:?}");
    }

    #[test]
    fn the_same_number_from_two_makers_is_two_parts() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("AMS1117-3.3", "Advanced Monolithic Systems"),
                ("AMS1117-3.3", "Texas Instruments"),
                ("ams1117 3.3", "TI"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
        assert_eq!(g[1], g[2]);
    }

    #[test]
    fn a_misreading_between_letters_joins_only_a_code_the_set_attests_alone() {
        let mut items = vec![("EP4CE6E22CB", "Altera")];
        items.extend([("EP4CE6E22C8", "Altera"); 6]);
        let g = cluster(Kind::Parts, &rows(&items), 0.85);
        assert!(g.iter().all(|&x| x == 1), "{g:?}");
        // two well attested products, and a slip that could be of either
        let mut items = vec![("STM32FI03C8T6", "STMicroelectronics")];
        items.extend([("STM32F103C8T6", "STMicroelectronics"); 6]);
        items.extend([("STM32F103CBT6", "STMicroelectronics"); 6]);
        let g = cluster(Kind::Parts, &rows(&items), 0.85);
        assert_ne!(g[1], g[7], "C8T6 and CBT6 are two chips");
        // a rare reading alone is no evidence
        let g = cluster(
            Kind::Parts,
            &rows(&[("EP4CE6E22CB", "Altera"), ("EP4CE6E22C8", "Altera")]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
    }

    #[test]
    fn an_unknown_maker_joins_the_only_maker_with_that_code() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("STM32F405RGT6", "STMicroelectronics"),
                ("STM32F4O5RGT6", ""),
                ("STM32F407VGT6", ""),
            ]),
            0.85,
        );
        assert_eq!(g, vec![1, 1, 2]);
    }

    #[test]
    fn a_bare_base_beside_two_variants_of_a_model_joins_neither() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QX77", ""),
                ("QX77-VARN-9D", "Quonex"),
                ("QX77-VARN-9E", "Quonex"),
                ("QX77-VARN-9E", ""),
            ]),
            0.85,
        );
        assert_ne!(g[1], g[2], "9D and 9E are two models");
        assert_ne!(g[0], g[1], "the base could be either");
        assert_eq!(g[2], g[3]);
        // two orderings of the base part right after it, with letters: one part
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("ZK4410", "Quonex"),
                ("ZK4410-DKR", "Quonex"),
                ("ZK4410-CTX", "Quonex"),
                ("ZK4410 ARN", "Quonex"),
                ("ZK4410 ARU", "Quonex"),
            ]),
            0.85,
        );
        assert_eq!(g, vec![1, 1, 1, 1, 1]);
        // two speed grades differ in a number
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("ZK4410", "Quonex"),
                ("ZK4410-10Q", "Quonex"),
                ("ZK4410-15Q", "Quonex"),
            ]),
            0.85,
        );
        assert_eq!(g, vec![1, 2, 3]);
    }

    #[test]
    fn a_model_word_is_no_ordering_suffix_of_a_bare_base() {
        let g = cluster(
            Kind::Parts,
            &rows(&[("Vexa 4", ""), ("Vexa 4 Pro", "Quonex"), ("VEXA-4 PRO", "")]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
        assert_ne!(g[0], g[2]);
        assert_eq!(g[1], g[2]);
        let g = cluster(
            Kind::Parts,
            &rows(&[("VEXA4", "Quonex"), ("VEXA4 TRX", "Quonex")]),
            0.85,
        );
        assert_eq!(
            g[0], g[1],
            "an ordering code in capitals still joins its base"
        );
    }

    #[test]
    fn an_ordering_code_after_a_hyphen_is_found_after_a_category_word() {
        // the hyphen is looked for after the code, not after as many characters of the name
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QX128A", ""),
                ("Microcontroller QX128A-TU", ""),
                ("Microcontroller QX128A", ""),
            ]),
            0.85,
        );
        assert_eq!(g[0], g[1]);
        assert_eq!(g[1], g[2]);
        // still no join where the rest is glued on without a hyphen after a letter
        let g = cluster(
            Kind::Parts,
            &rows(&[("QX128A", ""), ("Microcontroller QX128ATU", "")]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
    }

    #[test]
    fn the_model_after_a_description_code_is_kept_where_the_set_writes_it_bare() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("VX88 KQ210", "Quonex"),
                ("VX88 KQ330", "Quonex"),
                ("gearbox motor VX88 KQ210", "Quonex"),
                ("VX88 KQ330 outrunner", "Quonex"),
                ("VX88 KQ 210 outrunner", "Quonex"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
        assert_eq!(g[0], g[2]);
        assert_eq!(g[1], g[3]);
        assert_eq!(
            g[0], g[4],
            "a number spaced off a word is part of the model"
        );
        // digit groups right after a code are markings, written bare or not
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QL4410", "Quonex"),
                ("isolator chip QL4410 18108 16029", "Quonex"),
                ("QL4410 18108", "Quonex"),
            ]),
            0.85,
        );
        assert_eq!(g[0], g[1]);
    }

    #[test]
    fn a_word_misread_with_digits_keeps_the_number_after_it() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("Bravex 320", "Quonex"),
                ("Bravex 640", "Quonex"),
                ("8ravex 320", "Quonex"),
                ("8ravex 640", "Quonex"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
        assert_eq!(g[0], g[2]);
        assert_eq!(g[1], g[3]);
        assert_ne!(
            g[2], g[3],
            "the misread word is no code with markings after it"
        );
        // without the word in the set, a token of letters and a look-alike is a code
        let g = cluster(
            Kind::Parts,
            &rows(&[("qfe5u stabiliser chip", "Quonex"), ("QFE5U", "Quonex")]),
            0.85,
        );
        assert_eq!(g[0], g[1]);
    }

    #[test]
    fn a_parent_and_its_division_on_one_code_are_one_part() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("TAJB106K016RNJ", "Kyocera AVX"),
                ("TAJB106K016RNJ", "Kyocera"),
                ("TAJB106K016RNJ", ""),
                ("M5M51008", "Mitsubishi Electric"),
                ("M5M51008", "Mitsubishi Heavy Industries"),
            ]),
            0.85,
        );
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[2], "the maker-less copy joins them");
        assert_ne!(g[3], g[4], "two divisions are not family");
    }

    #[test]
    fn a_maker_that_names_two_others_makes_them_one_family_on_its_code() {
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QX500", "Kalden"),
                ("QX500", "Morvi"),
                ("QX500", "Kalden-Morvi"),
                ("QX5OO", "Morvi"),
                ("QX500", ""),
            ]),
            0.85,
        );
        assert!(g.iter().all(|&x| x == g[0]), "{g:?}");
        // without the name that names both, two makers of one code stay two parts
        let g = cluster(
            Kind::Parts,
            &rows(&[("QX500", "Kalden"), ("QX500", "Morvi")]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
        // a name that contains one of them only bridges nothing
        let g = cluster(
            Kind::Parts,
            &rows(&[
                ("QX700", "Kalden Electric"),
                ("QX700", "Kalden Heavy Industries"),
                ("QX700", "Kalden"),
            ]),
            0.85,
        );
        assert_ne!(g[0], g[1]);
    }
}
