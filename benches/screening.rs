//! Screening benchmark (issue 18; docs/benchmarks.md, "Screening"):
//!
//!     cargo bench --bench screening
//!
//! 1. 10,000 organisations screened against 100,000 listed names by `screening::screen`
//!    (blocked candidates), timed end to end (names analysed, keys, buckets, judgements);
//! 2. on a sample of 1,000 organisations and 10,000 listed names, the candidates of `screen`
//!    against those of `screen_all_pairs` (every organisation with every listed name): the
//!    recall blocking loses.
//!
//! Names are generated (fixed seed): invented words joined with generic words, cities and legal
//! forms as company names are, in a dozen countries; a twentieth of the organisations are
//! listed names rewritten as catalogues write them (another legal form, case, a typing slip, a
//! dropped generic word, the country kept or changed).

use std::time::Instant;

use comptrace::matching::reference::Reference;
use comptrace::screening::{screen, screen_all_pairs, Org, Party};

/// xorshift64*: a fixed sequence, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ONSETS: &[&str] = &[
    "b", "k", "z", "v", "tr", "st", "m", "l", "qu", "dr", "gr", "h", "p", "sh", "n", "r", "t", "f",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "io", "ea"];
const CODAS: &[&str] = &["n", "r", "x", "th", "l", "k", "s", "m", "", "", "nd", "rk"];
const GENERIC: &[&str] = &[
    "Electronics",
    "Technology",
    "Trading",
    "Systems",
    "Components",
    "Industries",
    "Supply",
    "Avionics",
    "Precision",
    "Instruments",
    "Logistics",
    "Engineering",
];
const LEGAL: &[&str] = &[
    "Ltd",
    "LLC",
    "Co., Ltd.",
    "GmbH",
    "OOO",
    "JSC",
    "Limited",
    "Inc.",
    "FZE",
    "Sp. z o.o.",
];
const COUNTRIES: &[&str] = &[
    "CN", "HK", "RU", "AE", "TR", "KZ", "AM", "DE", "US", "IN", "IR", "BY",
];

fn word(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(2);
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick(ONSETS));
        w.push_str(rng.pick(VOWELS));
    }
    w.push_str(rng.pick(CODAS));
    let mut c = w.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn company(rng: &mut Rng) -> String {
    let words = 1 + rng.below(3);
    let mut parts: Vec<String> = (0..words).map(|_| word(rng)).collect();
    if rng.below(3) > 0 {
        parts.push(rng.pick(GENERIC).to_string());
    }
    parts.push(rng.pick(LEGAL).to_string());
    parts.join(" ")
}

fn parties(rng: &mut Rng, n: usize) -> Vec<Party> {
    (0..n)
        .map(|i| Party {
            entry_id: format!("e{i}"),
            schema: "Company".into(),
            name: company(rng),
            aliases: Vec::new(),
            countries: vec![rng.pick(COUNTRIES).to_string()],
            ..Party::default()
        })
        .collect()
}

/// A listed name as a catalogue may write it.
fn rewrite(rng: &mut Rng, name: &str) -> String {
    let mut words: Vec<String> = name.split(' ').map(str::to_string).collect();
    match rng.below(4) {
        0 => {
            // another legal form
            while words.len() > 1
                && LEGAL
                    .iter()
                    .any(|l| l.starts_with(words.last().unwrap().as_str()))
            {
                words.pop();
            }
            words.push(rng.pick(LEGAL).to_string());
        }
        1 => {
            // a typing slip: two letters of the first word swapped
            let w: Vec<char> = words[0].chars().collect();
            if w.len() > 4 {
                let i = 1 + rng.below(w.len() - 3);
                let mut s = w.clone();
                s.swap(i, i + 1);
                words[0] = s.into_iter().collect();
            }
        }
        2 => words = words.iter().map(|w| w.to_uppercase()).collect(),
        _ => {
            words.retain(|w| !GENERIC.contains(&w.as_str()));
        }
    }
    words.join(" ")
}

fn organisations(rng: &mut Rng, n: usize, listed: &[Party]) -> Vec<Org> {
    (0..n)
        .map(|i| {
            if i % 20 == 0 {
                let p = &listed[rng.below(listed.len())];
                let country = if rng.below(4) == 0 {
                    rng.pick(COUNTRIES).to_string()
                } else {
                    p.countries[0].clone()
                };
                Org {
                    id: i as i64,
                    name: rewrite(rng, &p.name),
                    country: Some(country),
                }
            } else {
                Org {
                    id: i as i64,
                    name: company(rng),
                    country: Some(rng.pick(COUNTRIES).to_string()),
                }
            }
        })
        .collect()
}

/// This process's CPU time so far (user + system, from /proc/self/stat at 100 ticks a second),
/// where the system gives it: on a shared machine wall time says as much about the neighbours.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    println!("load average before: {}", load_average());
    let refs = Reference::get();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let listed = parties(&mut rng, 100_000);
    let orgs = organisations(&mut rng, 10_000, &listed);
    let cpu = cpu_seconds();
    let started = Instant::now();
    let found = screen(&orgs, &listed, refs);
    let took = started.elapsed();
    let cpu = cpu.zip(cpu_seconds()).map(|(a, b)| b - a);
    println!(
        "screen: 10,000 organisations x 100,000 listed names: {:.2} s wall, {} s CPU (all threads), {} candidates",
        took.as_secs_f64(),
        cpu.map_or("?".to_string(), |c| format!("{c:.2}")),
        found.len()
    );

    let sample_listed = &listed[..10_000];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let sample_orgs = organisations(&mut rng, 1_000, sample_listed);
    let started = Instant::now();
    let blocked = screen(&sample_orgs, sample_listed, refs);
    let blocked_took = started.elapsed();
    let started = Instant::now();
    let all = screen_all_pairs(&sample_orgs, sample_listed, refs);
    let all_took = started.elapsed();
    let key = |c: &comptrace::screening::Candidate| (c.org, c.party);
    let blocked_keys: std::collections::BTreeSet<_> = blocked.iter().map(key).collect();
    let kept = all
        .iter()
        .filter(|c| blocked_keys.contains(&key(c)))
        .count();
    let extra = blocked.len()
        - blocked
            .iter()
            .filter(|c| all.iter().any(|a| key(a) == key(c)))
            .count();
    println!(
        "sample 1,000 x 10,000: all pairs {} candidates in {:.2} s; blocking {} in {:.2} s; recall of blocking {:.4} ({} lost); {} found only by blocking",
        all.len(),
        all_took.as_secs_f64(),
        blocked.len(),
        blocked_took.as_secs_f64(),
        if all.is_empty() { 1.0 } else { kept as f64 / all.len() as f64 },
        all.len() - kept,
        extra
    );
    for c in all
        .iter()
        .filter(|c| !blocked_keys.contains(&key(c)))
        .take(10)
    {
        println!(
            "  lost: {:?} ~ {:?} ({})",
            sample_orgs[c.org].name, c.listed_name, c.reasons
        );
    }
}
