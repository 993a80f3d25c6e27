//! Duplicate candidates among a catalogue's entities: every spelling of every entity is
//! analysed, pairs are judged by the same rules as `cluster`, and each pair of entities keeps
//! its best judgement. Pairs a person judged different never come back.

use std::collections::{HashMap, HashSet};

use super::reference::Reference;
use super::{each_judged_pair, makers, parts, weapons, Groups, Verdict};
use crate::entity::Family;

/// An entity as dedup sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: i64,
    pub names: Vec<String>,
    /// For parts: the maker (root organisation id), if known.
    pub maker: Option<i64>,
    /// For parts: the maker's name; for makers: the country. A part code named by a parent and
    /// its division is one part (`makers::family`), and two makers of different countries are
    /// one only on the evidence of their names (`makers::compare_in_countries`).
    pub about: Option<String>,
    pub observations: i64,
}

/// Two entities that look like one, with the best reason found.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub a: i64,
    pub b: i64,
    pub score: f64,
    pub reason: String,
}

/// Every candidate pair of entities (a < b), best first.
pub fn candidates(
    family: Family,
    entities: &[Entity],
    apart: &HashSet<(i64, i64)>,
) -> Vec<Candidate> {
    let refs = Reference::get();
    let mut owner = Vec::new();
    let mut names = Vec::new();
    for e in entities {
        for n in &e.names {
            owner.push(e);
            names.push(n.as_str());
        }
    }
    // each pair of entities keeps its best judgement; of equal ones, that of the first pair of
    // spellings, so the reason shown does not depend on the order pairs are judged in
    let mut best: HashMap<(i64, i64), (Candidate, (usize, usize))> = HashMap::new();
    let mut keep = |x: usize, y: usize, verdict: Verdict| {
        let (a, b) = (owner[x].id.min(owner[y].id), owner[x].id.max(owner[y].id));
        if a == b || !verdict.same || apart.contains(&(a, b)) {
            return;
        }
        let better = |(c, at): &(Candidate, (usize, usize))| {
            verdict.score > c.score || (verdict.score == c.score && (x, y) < *at)
        };
        if best.get(&(a, b)).is_none_or(better) {
            let reason = format!("'{}' ~ '{}': {}", names[x], names[y], verdict.reason);
            let c = Candidate {
                a,
                b,
                score: verdict.score,
                reason,
            };
            best.insert((a, b), (c, (x, y)));
        }
    };
    match family {
        Family::Manufacturer => {
            let items: Vec<_> = names
                .iter()
                .zip(&owner)
                .map(|(n, e)| (makers::analyse(n, refs), e.about.as_deref()))
                .collect();
            each_judged_pair(
                &items,
                |(m, _)| makers::blocking_keys(m),
                |(a, ca), (b, cb)| makers::compare_in_countries(a, b, (*ca, *cb), refs),
                &mut keep,
            );
        }
        Family::Weapon => {
            let items: Vec<_> = names.iter().map(|n| weapons::analyse(n, refs)).collect();
            each_judged_pair(
                &items,
                weapons::blocking_keys,
                |a, b| weapons::compare(a, b, refs),
                &mut keep,
            );
        }
        Family::Part => {
            let maker_names: HashMap<i64, &str> = entities
                .iter()
                .filter_map(|e| Some((e.maker?, e.about.as_deref()?)))
                .collect();
            let family = |a: i64, b: i64| match (maker_names.get(&a), maker_names.get(&b)) {
                (Some(x), Some(y)) => makers::family(x, y, refs),
                _ => false,
            };
            let items: Vec<PartItem> = names
                .iter()
                .zip(&owner)
                .map(|(n, e)| {
                    let (part, tokens) = parts::analyse_tokens(n, refs, &|_| false);
                    PartItem {
                        part,
                        maker: e.maker,
                        tokens,
                    }
                })
                .collect();
            each_judged_pair(
                &items,
                part_keys,
                |x, y| compare_part_items(x, y, &family),
                &mut keep,
            );
        }
    }
    let mut best: Vec<Candidate> = best.into_values().map(|(c, _)| c).collect();
    if family == Family::Part {
        drop_bridges(&mut best, entities);
    }
    if family == Family::Manufacturer {
        drop_weak_bridges(&mut best);
    }
    let mut out = best;
    out.sort_by(|p, q| {
        q.score
            .total_cmp(&p.score)
            .then(p.a.cmp(&q.a))
            .then(p.b.cmp(&q.b))
    });
    out
}

/// Takes out the weak candidates (a resemblance: sound, slips; below 0.95) of a maker that is
/// a candidate of two makers that are not candidates of one another: "Холтек" beside Holtek
/// Semiconductor and Holtec International could be either, and is suggested with neither by
/// resemblance alone (as `cluster` drops such a name's weak matches).
fn drop_weak_bridges(candidates: &mut Vec<Candidate>) {
    let linked: HashSet<(i64, i64)> = candidates.iter().map(|c| (c.a, c.b)).collect();
    let mut neighbours: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in candidates.iter() {
        neighbours.entry(c.a).or_default().push(c.b);
        neighbours.entry(c.b).or_default().push(c.a);
    }
    let together = |x: i64, y: i64| linked.contains(&(x.min(y), x.max(y)));
    let bridges: HashSet<i64> = neighbours
        .into_iter()
        .filter(|(_, others)| {
            others
                .iter()
                .enumerate()
                .any(|(i, &x)| others[i + 1..].iter().any(|&y| !together(x, y)))
        })
        .map(|(id, _)| id)
        .collect();
    candidates.retain(|c| c.score >= 0.95 || !(bridges.contains(&c.a) || bridges.contains(&c.b)));
}

/// A part spelling as dedup judges it: its reading, its entity's maker, and the tokens its
/// code was made of.
struct PartItem {
    part: parts::PartName,
    maker: Option<i64>,
    tokens: Vec<String>,
}

/// The blocking keys of a part spelling: its OCR skeleton, and its tokens with one word
/// shortened by a letter (`parts::slip_keys`), so "A40 Prp" meets "A40 Pro".
fn part_keys(item: &PartItem) -> Vec<String> {
    let mut keys = parts::slip_keys(&item.tokens);
    if !item.part.skeleton.is_empty() {
        keys.push(item.part.skeleton.clone());
    }
    keys
}

fn compare_part_items(
    x: &PartItem,
    y: &PartItem,
    family: &dyn Fn(i64, i64) -> bool,
) -> Option<Verdict> {
    let (p, q) = (&x.part, &y.part);
    // a name with no digit in what is left of it ("Servo drive", "Power elements",
    // "Thermal imaging module") is a description, not an identity: it is one part only
    // within one known maker
    let described = |part: &parts::PartName| !part.code.chars().any(|c| c.is_ascii_digit());
    if (described(p) || described(q)) && !(x.maker.is_some() && x.maker == y.maker) {
        return None;
    }
    if !p.skeleton.is_empty() && p.skeleton == q.skeleton {
        return compare_parts(&(p.clone(), x.maker), &(q.clone(), y.maker), family);
    }
    // a slip in a model word ("A40 Prp" for "A40 Pro"), where the maker is known and the same
    let slip = parts::model_word_slip(&x.tokens, &y.tokens)?;
    if !(x.maker.is_some() && x.maker == y.maker) {
        return None;
    }
    Some(Verdict::new(
        0.9,
        format!("a slip in the model word ({} ~ {})", slip.0, slip.1),
    ))
}

/// Takes out the candidates through which a part of unknown maker would bridge two parts of
/// makers that were not suggested together: "Servo drive" (no maker) beside "Servo drive
/// (GXSERVO)" and "Servo drive (Arwico)". A maker-less part is suggested with parts of known
/// makers only where those parts are candidates of one another (one maker, or makers the rules
/// let meet), as `cluster` lets a row of unknown maker join only the one maker of its code.
fn drop_bridges(candidates: &mut Vec<Candidate>, entities: &[Entity]) {
    let maker: HashMap<i64, Option<i64>> = entities.iter().map(|e| (e.id, e.maker)).collect();
    let known = |id: i64| maker.get(&id).copied().flatten().is_some();
    let linked: HashSet<(i64, i64)> = candidates.iter().map(|c| (c.a, c.b)).collect();
    let mut partners: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in candidates.iter() {
        match (known(c.a), known(c.b)) {
            (false, true) => partners.entry(c.a).or_default().push(c.b),
            (true, false) => partners.entry(c.b).or_default().push(c.a),
            _ => {}
        }
    }
    let bridges: HashSet<i64> = partners
        .into_iter()
        .filter(|(_, known_ones)| {
            known_ones.iter().enumerate().any(|(i, &a)| {
                known_ones[i + 1..]
                    .iter()
                    .any(|&b| !linked.contains(&(a.min(b), a.max(b))))
            })
        })
        .map(|(id, _)| id)
        .collect();
    candidates.retain(|c| {
        let bridged =
            (bridges.contains(&c.a) && known(c.b)) || (bridges.contains(&c.b) && known(c.a));
        !bridged
    });
}

fn compare_parts(
    x: &(parts::PartName, Option<i64>),
    y: &(parts::PartName, Option<i64>),
    family: &dyn Fn(i64, i64) -> bool,
) -> Option<Verdict> {
    let ((p, pm), (q, qm)) = (x, y);
    if p.skeleton.is_empty() || p.skeleton != q.skeleton {
        return None;
    }
    let (mut score, mut reason) = if p.code == q.code {
        (
            0.99,
            format!(
                "same code {} without packaging, category and maker words",
                p.code
            ),
        )
    } else {
        (
            0.95,
            format!(
                "same code after OCR look-alikes fold ({} ~ {})",
                p.code, q.code
            ),
        )
    };
    match (pm, qm) {
        // one number from two makers: two parts, unless one company's family
        (Some(a), Some(b)) if a != b && !family(*a, *b) => return None,
        (Some(_), None) | (None, Some(_)) => {
            score -= 0.05;
            reason.push_str("; maker unknown on one side");
        }
        _ => {}
    }
    Some(Verdict::new(score, reason))
}

/// Candidates at or above `min_score` formed into groups (members kept apart by a "different"
/// judgement are not joined), best group first: (best score, members).
pub fn groups(
    candidates: &[Candidate],
    min_score: f64,
    apart: &HashSet<(i64, i64)>,
) -> Vec<(f64, Vec<i64>)> {
    let mut ids: Vec<i64> = candidates.iter().flat_map(|c| [c.a, c.b]).collect();
    ids.sort();
    ids.dedup();
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut g = Groups::new(ids.len());
    for &(a, b) in apart {
        if let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b)) {
            g.keep_apart(x, y);
        }
    }
    let accepted: Vec<&Candidate> = candidates.iter().filter(|c| c.score >= min_score).collect();
    for c in &accepted {
        g.join(index[&c.a], index[&c.b]);
    }
    let mut best: HashMap<usize, f64> = HashMap::new();
    for c in &accepted {
        let (x, y) = (g.find(index[&c.a]), g.find(index[&c.b]));
        if x == y {
            let e = best.entry(x).or_insert(c.score);
            *e = e.max(c.score);
        }
    }
    let roots = g.roots();
    let mut members: HashMap<usize, Vec<i64>> = HashMap::new();
    for (i, r) in roots.iter().enumerate() {
        members.entry(*r).or_default().push(ids[i]);
    }
    let mut out: Vec<(f64, Vec<i64>)> = members
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(r, m)| (best.get(&r).copied().unwrap_or(0.0), m))
        .collect();
    out.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maker(id: i64, name: &str) -> Entity {
        Entity {
            id,
            names: vec![name.to_string()],
            maker: None,
            about: None,
            observations: 1,
        }
    }

    #[test]
    fn a_maker_resembling_two_makers_is_suggested_with_neither() {
        let pairs = |names: &[&str]| -> Vec<(i64, i64)> {
            let ents: Vec<Entity> = (0..).zip(names).map(|(i, n)| maker(i, n)).collect();
            candidates(Family::Manufacturer, &ents, &HashSet::new())
                .iter()
                .map(|c| (c.a, c.b))
                .collect()
        };
        assert_eq!(pairs(&["Horvek Semiconductor", "Хорвек"]), vec![(0, 1)]);
        let three = pairs(&["Horvek Semiconductor", "Horvec International", "Хорвек"]);
        assert!(three.is_empty(), "{three:?}");
        // two spellings of one maker, suggested together, leave the sound match standing
        let one = pairs(&["Horvek Semiconductor", "Horvek Semiconductor Ltd", "Хорвек"]);
        assert_eq!(one.len(), 3, "{one:?}");
    }

    /// `n` maker names in the shape a large generated catalogue has: one to three words of
    /// five letters or more (each gives deletion variants) and a legal form; a few in ten are
    /// a slip of another.
    fn makers(n: usize) -> Vec<Entity> {
        const SYLLABLES: [&str; 16] = [
            "ko", "tel", "ra", "vin", "sor", "del", "ma", "nix", "bel", "tro", "qua", "zen", "lor",
            "pex", "dyn", "sil",
        ];
        const WORDS: [&str; 6] = [
            "Optics",
            "Electronics",
            "Technology",
            "Semiconductor",
            "Instruments",
            "",
        ];
        const FORMS: [&str; 4] = ["Co., Ltd.", "GmbH", "Inc.", "S.A."];
        let syllable = |i: usize, k: u32| SYLLABLES[(i / 16usize.pow(k)) % 16];
        (0..n)
            .map(|i| {
                let stem = format!(
                    "{}{}{}{}",
                    syllable(i, 0),
                    syllable(i, 1),
                    syllable(i, 2),
                    syllable(i, 3)
                );
                let mut name = format!(
                    "{}{} {} {}",
                    stem[..1].to_uppercase(),
                    &stem[1..],
                    WORDS[i % 6],
                    FORMS[i % 4]
                );
                if i % 7 == 3 {
                    name = name.replacen('o', "0", 1); // a typing slip
                }
                Entity {
                    id: i as i64 + 1,
                    names: vec![name],
                    maker: None,
                    about: None,
                    observations: 0,
                }
            })
            .collect()
    }

    #[test]
    fn look_alike_candidates_hold_little_beyond_the_keys_of_the_names() {
        // the look-alike hint after an import compares every maker spelling: a map from key
        // strings to members held 5,400 bytes a name here, and lifted the peak of a 1M-row
        // import from 270 MB to 370 MB
        let ents = makers(10_000);
        let (cands, peak) = crate::test_alloc::peak_during(|| {
            candidates(Family::Manufacturer, &ents, &HashSet::new())
        });
        assert!(cands.len() > 1_000, "{} candidates", cands.len());
        assert!(
            peak < 2_000 * ents.len(),
            "{} bytes a name, for {} names",
            peak / ents.len(),
            ents.len()
        );
    }
}
