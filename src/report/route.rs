//! `report route`: every known chain from a part's maker towards the weapons it was found in,
//! built from the part's supply links (docs/supply-chain.md). Pure: the store reads the links
//! (src/db/route.rs); this joins them into routes and lays the report out.
//!
//! A route starts at the maker when its first link leaves the maker; otherwise the chain is
//! broken before it ("no known link" from the maker). It ends where no link leaves its last
//! organisation: a break before the weapon, unless that organisation built it. Routes are
//! maximal paths through the links (each link once per path); they are counted, and at most
//! `cap` per part are listed, so a report stays finite however the links branch. A link naming
//! only a brand is a possible route of the brand, shown once, never once per part.

use std::collections::BTreeMap;

use crate::table::{Cell, Listing};

/// One end of a link: the organisation (unknown when None), its role and country there.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct End {
    pub organisation: Option<i64>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub country: Option<String>,
}

/// A supply link as a route reads it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkRow {
    pub uid: String,
    pub from: End,
    pub to: End,
    pub lot: Option<String>,
    pub date_code: Option<String>,
    pub moved_on: Option<String>,
    pub how_known: String,
    pub confidence: Option<String>,
    pub sources: Vec<String>,
}

/// A part with its maker, its links and the weapons it was found in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartRoutes {
    pub part: String,
    pub maker: Option<i64>,
    pub maker_name: Option<String>,
    pub maker_country: Option<String>,
    pub links: Vec<LinkRow>,
    pub weapons: Vec<String>,
    /// who built those weapons: (organisation, weapon name), from `weapon_producer`
    pub producers: Vec<(i64, String)>,
}

/// One route: the links it follows in order, whether it starts at the maker.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub links: Vec<usize>,
    pub from_maker: bool,
}

/// Paths are enumerated up to this many per part, so counting stays bounded too.
pub const COUNT_LIMIT: usize = 10_000;

/// The routes of one part's links (all maximal paths, at most COUNT_LIMIT), and whether the
/// enumeration stopped at the limit.
pub fn routes(p: &PartRoutes) -> (Vec<Route>, bool) {
    routes_up_to(p, COUNT_LIMIT)
}

/// The links leaving each organisation, by index into the part's links.
fn links_by_sender(p: &PartRoutes) -> BTreeMap<i64, Vec<usize>> {
    let mut by_from: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, l) in p.links.iter().enumerate() {
        if let Some(org) = l.from.organisation {
            by_from.entry(org).or_default().push(i);
        }
    }
    by_from
}

/// Where chains start: a link leaving the maker (true), or a link nothing in the set leads to.
fn starts(p: &PartRoutes) -> Vec<(usize, bool)> {
    let received: std::collections::BTreeSet<i64> =
        p.links.iter().filter_map(|l| l.to.organisation).collect();
    p.links
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match l.from.organisation {
            Some(org) if Some(org) == p.maker => Some((i, true)),
            Some(org) if received.contains(&org) => None,
            _ => Some((i, false)),
        })
        .collect()
}

/// The first `limit` routes of one part's links, in the order `routes` lists them, and
/// whether there were more to enumerate. Listing needs only the capped ones; `count_routes`
/// counts them all.
pub fn routes_up_to(p: &PartRoutes, limit: usize) -> (Vec<Route>, bool) {
    let by_from = links_by_sender(p);
    let mut out = Vec::new();
    let mut stopped = false;
    for (start, from_maker) in starts(p) {
        let mut path = vec![start];
        extend(
            p,
            &by_from,
            &mut path,
            from_maker,
            limit,
            &mut out,
            &mut stopped,
        );
    }
    (out, stopped)
}

/// How many routes the part's links make, and whether that is only a floor. When no chain of
/// links loops back to an organisation it passed, every path is a route and they are counted
/// by dynamic programming over the organisations (the routes after an organisation are the
/// sum of those after each link leaving it), without listing one: exact, however they branch.
/// With a loop, a route may not take a link twice, which the sum cannot see: they are then
/// enumerated up to COUNT_LIMIT (`stopped` says the count is a floor).
pub fn count_routes(p: &PartRoutes) -> (u64, bool) {
    let by_from = links_by_sender(p);
    match routes_after_each_organisation(p, &by_from) {
        Some(after) => {
            let after_link = |i: usize| {
                p.links[i]
                    .to
                    .organisation
                    .map_or(1, |o| after.get(&o).copied().unwrap_or(1))
            };
            let total = starts(p)
                .into_iter()
                .fold(0u64, |sum, (i, _)| sum.saturating_add(after_link(i)));
            (total, false)
        }
        None => {
            let (all, stopped) = routes(p);
            (all.len() as u64, stopped)
        }
    }
}

/// For each organisation a link reaches or leaves, how many ways the chain can go on from it to
/// an end (1 where no link leaves it); None when the links loop. Iterative, so a long chain
/// cannot exhaust the stack.
fn routes_after_each_organisation(
    p: &PartRoutes,
    by_from: &BTreeMap<i64, Vec<usize>>,
) -> Option<std::collections::HashMap<i64, u64>> {
    let mut after: std::collections::HashMap<i64, u64> = std::collections::HashMap::new();
    let mut on_path: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for &root in by_from.keys() {
        if after.contains_key(&root) {
            continue;
        }
        // (organisation, how many of its outgoing links are done)
        let mut stack: Vec<(i64, usize)> = vec![(root, 0)];
        on_path.insert(root);
        while let Some(&mut (org, ref mut done)) = stack.last_mut() {
            let out = by_from.get(&org).map_or(&[][..], |v| v.as_slice());
            if *done == out.len() {
                let sum = out.iter().fold(0u64, |s, &i| {
                    let next = p.links[i].to.organisation;
                    s.saturating_add(next.map_or(1, |o| after.get(&o).copied().unwrap_or(1)))
                });
                after.insert(org, if out.is_empty() { 1 } else { sum });
                on_path.remove(&org);
                stack.pop();
                continue;
            }
            let next = p.links[out[*done]].to.organisation;
            *done += 1;
            if let Some(next) = next {
                if on_path.contains(&next) {
                    return None;
                }
                if !after.contains_key(&next) {
                    on_path.insert(next);
                    stack.push((next, 0));
                }
            }
        }
    }
    Some(after)
}

fn extend(
    p: &PartRoutes,
    by_from: &BTreeMap<i64, Vec<usize>>,
    path: &mut Vec<usize>,
    from_maker: bool,
    limit: usize,
    out: &mut Vec<Route>,
    stopped: &mut bool,
) {
    if out.len() >= limit {
        *stopped = true;
        return;
    }
    let last = &p.links[*path.last().expect("a path has a link")];
    let next: Vec<usize> = last
        .to
        .organisation
        .and_then(|org| by_from.get(&org))
        .map(|v| v.iter().copied().filter(|i| !path.contains(i)).collect())
        .unwrap_or_default();
    if next.is_empty() {
        out.push(Route {
            links: path.clone(),
            from_maker,
        });
        return;
    }
    for i in next {
        path.push(i);
        extend(p, by_from, path, from_maker, limit, out, stopped);
        path.pop();
    }
}

/// "JSC Chip and Dip (supplier, RU)"; an unknown organisation is "?".
pub fn node(end: &End) -> String {
    let Some(name) = &end.name else {
        return "?".to_string();
    };
    let about: Vec<&str> = [end.role.as_deref(), end.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if about.is_empty() {
        name.clone()
    } else {
        format!("{name} ({})", about.join(", "))
    }
}

/// The part's weapons that the route's last organisation built: there the chain reaches the
/// weapon, with no break before it.
pub fn weapons_reached(p: &PartRoutes, r: &Route) -> Vec<String> {
    let last = r.links.last().and_then(|&i| p.links[i].to.organisation);
    let Some(last) = last else {
        return Vec::new();
    };
    p.weapons
        .iter()
        .filter(|w| {
            p.producers
                .iter()
                .any(|(o, built)| *o == last && built == *w)
        })
        .cloned()
        .collect()
}

/// The stops of a route in order, for text and drawing: maker, a break where no link is
/// known, each organisation, then the weapons its last organisation built, else a break
/// before the weapons the part was found in.
pub fn stops(p: &PartRoutes, r: &Route) -> Vec<String> {
    const BREAK: &str = "[no known link]";
    let maker = End {
        organisation: p.maker,
        name: p.maker_name.clone(),
        role: Some("manufacturer".into()),
        country: p.maker_country.clone(),
    };
    let mut stops = vec![node(&maker)];
    let first = &p.links[r.links[0]];
    if !r.from_maker {
        stops.push(BREAK.into());
        stops.push(node(&first.from));
    }
    for &i in &r.links {
        stops.push(node(&p.links[i].to));
    }
    let reached = weapons_reached(p, r);
    if !reached.is_empty() {
        stops.push(reached.join("; "));
        return stops;
    }
    stops.push(BREAK.into());
    stops.push(if p.weapons.is_empty() {
        "(no weapon recorded)".to_string()
    } else {
        p.weapons.join("; ")
    });
    stops
}

/// The report's tables for these parts: one row per route listed, one per link of each
/// listed route, and how many routes each part has in all.
pub fn tables(parts: &[PartRoutes], cap: usize) -> (Listing, Listing, Vec<Vec<String>>, u64) {
    let mut routes_t = Listing::new(&[
        "route",
        "part",
        "manufacturer",
        "chain",
        "links",
        "starts_at_maker",
        "reaches_weapon",
        "weapons",
    ]);
    let mut links_t = Listing::new(&[
        "route",
        "step",
        "from",
        "from_role",
        "from_country",
        "to",
        "to_role",
        "to_country",
        "lot",
        "date_code",
        "moved_on",
        "how_known",
        "confidence",
        "sources",
    ]);
    let mut drawn = Vec::new();
    let mut total: u64 = 0;
    for p in parts {
        let (count, _) = count_routes(p);
        total = total.saturating_add(count);
        let (listed, _) = routes_up_to(p, cap);
        for r in &listed {
            let n = routes_t.rows.len() as i64 + 1;
            let chain = stops(p, r);
            routes_t.rows.push(vec![
                Cell::Int(n),
                p.part.as_str().into(),
                p.maker_name.clone().into(),
                chain.join(" -> ").into(),
                Cell::Int(r.links.len() as i64),
                (if r.from_maker { "yes" } else { "no" }).into(),
                (if weapons_reached(p, r).is_empty() {
                    "no"
                } else {
                    "yes"
                })
                .into(),
                Cell::List(p.weapons.clone()),
            ]);
            for (step, &i) in r.links.iter().enumerate() {
                links_t.rows.push(link_row(n, step as i64 + 1, &p.links[i]));
            }
            drawn.push(chain);
        }
    }
    (routes_t, links_t, drawn, total)
}

fn link_row(route: i64, step: i64, l: &LinkRow) -> Vec<Cell> {
    vec![
        Cell::Int(route),
        Cell::Int(step),
        l.from.name.clone().into(),
        l.from.role.clone().into(),
        l.from.country.clone().into(),
        l.to.name.clone().into(),
        l.to.role.clone().into(),
        l.to.country.clone().into(),
        l.lot.clone().into(),
        l.date_code.clone().into(),
        l.moved_on.clone().into(),
        l.how_known.as_str().into(),
        l.confidence.clone().into(),
        Cell::List(l.sources.clone()),
    ]
}

/// Links that name only a maker's brand: possible routes, each listed once.
pub fn brand_table(links: &[LinkRow]) -> Listing {
    let mut t = Listing::new(&[
        "link",
        "from",
        "from_role",
        "from_country",
        "to",
        "to_role",
        "to_country",
        "moved_on",
        "how_known",
        "sources",
    ]);
    for l in links {
        t.rows.push(vec![
            l.uid.as_str().into(),
            l.from.name.clone().into(),
            l.from.role.clone().into(),
            l.from.country.clone().into(),
            l.to.name.clone().into(),
            l.to.role.clone().into(),
            l.to.country.clone().into(),
            l.moved_on.clone().into(),
            l.how_known.as_str().into(),
            Cell::List(l.sources.clone()),
        ]);
    }
    t
}

/// What `report route` covers, as the report's filters name it.
pub struct Scope {
    pub filters: Vec<(&'static str, String)>,
    /// Routes listed per part at most.
    pub cap: usize,
    pub as_of: Option<String>,
}

/// The route report: routes per part (capped, counted), their links, possible routes of the
/// brand, and the chains to draw.
pub fn report(
    parts: &[PartRoutes],
    brand: &[LinkRow],
    scope: Scope,
    stamp: String,
) -> super::Report {
    let (routes_t, links_t, drawn, total) = tables(parts, scope.cap);
    let links: Vec<&LinkRow> = parts.iter().flat_map(|p| &p.links).chain(brand).collect();
    let unsourced = links.iter().filter(|l| l.sources.is_empty()).count() as i64;
    let listed = routes_t.rows.len() as i64;
    super::Report {
        kind: "route",
        title: "Supply routes from the maker towards the weapons".into(),
        counted: format!(
            "the supply links of each part (a link counts as a finding below), joined into routes from the maker; at most {} routes listed per part, all counted; a link naming only a brand is a possible route, listed once.",
            scope.cap
        ),
        generated_at: stamp,
        as_of: None,
        version: env!("CARGO_PKG_VERSION"),
        reference_sha256: super::reference_data_sha256(),
        withheld: None,
        catalogue_as_of: scope.as_of,
        filters: scope.filters,
        totals: vec![
            ("parts", parts.len() as i64),
            ("routes", i64::try_from(total).unwrap_or(i64::MAX)),
            ("routes listed", listed),
            ("links", links.len() as i64),
            ("brand-only links", brand.len() as i64),
        ],
        findings: links.len() as i64,
        unsourced,
        chart: None,
        tables: vec![
            ("routes", routes_t),
            ("links", links_t),
            ("possible routes (brand only)", brand_table(brand)),
        ],
        sources: Vec::new(),
        chains: drawn,
    }
}

/// A report that is one listing of the supply chain (`third-countries`, `suppliers`): its
/// rows are counted as its lines; it counts no findings.
pub fn listing_report(
    kind: &'static str,
    title: &str,
    counted: &str,
    table: (&'static str, Listing),
    filters: Vec<(&'static str, String)>,
    as_of: Option<String>,
    stamp: String,
) -> super::Report {
    super::Report {
        kind,
        title: title.into(),
        counted: counted.into(),
        generated_at: stamp,
        catalogue_as_of: as_of,
        filters,
        totals: vec![(table.0, table.1.rows.len() as i64)],
        tables: vec![table],
        ..super::Report::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(org: i64, name: &str, role: &str) -> End {
        End {
            organisation: Some(org),
            name: Some(name.into()),
            role: Some(role.into()),
            country: None,
        }
    }

    fn link(from: End, to: End) -> LinkRow {
        LinkRow {
            from,
            to,
            how_known: "report".into(),
            ..LinkRow::default()
        }
    }

    fn part(links: Vec<LinkRow>) -> PartRoutes {
        PartRoutes {
            part: "P".into(),
            maker: Some(1),
            maker_name: Some("Maker".into()),
            links,
            weapons: vec!["W".into()],
            ..PartRoutes::default()
        }
    }

    #[test]
    fn a_chain_from_the_maker_branches_into_one_route_per_path() {
        // maker -> A; A -> B; A -> C; C -> D
        let p = part(vec![
            link(end(1, "Maker", "manufacturer"), end(2, "A", "distributor")),
            link(end(2, "A", "exporter"), end(3, "B", "importer")),
            link(end(2, "A", "exporter"), end(4, "C", "importer")),
            link(end(4, "C", "supplier"), end(5, "D", "producer")),
        ]);
        let (all, stopped) = routes(&p);
        assert!(!stopped);
        let paths: Vec<Vec<usize>> = all.iter().map(|r| r.links.clone()).collect();
        assert_eq!(paths, [vec![0, 1], vec![0, 2, 3]]);
        assert!(all.iter().all(|r| r.from_maker));
        assert_eq!(
            stops(&p, &all[1]).join(" -> "),
            "Maker (manufacturer) -> A (distributor) -> C (importer) -> D (producer) -> [no known link] -> W"
        );
    }

    #[test]
    fn a_route_ending_at_the_weapons_producer_reaches_the_weapon_without_a_break() {
        // maker -> A -> B; A -> C. B built W; C built only another weapon X
        let mut p = part(vec![
            link(end(1, "Maker", "manufacturer"), end(2, "A", "distributor")),
            link(end(2, "A", "exporter"), end(3, "B", "importer")),
            link(end(2, "A", "exporter"), end(4, "C", "importer")),
        ]);
        p.producers = vec![(3, "W".into()), (4, "X".into())];
        let (all, _) = routes(&p);
        assert_eq!(
            stops(&p, &all[0]).join(" -> "),
            "Maker (manufacturer) -> A (distributor) -> B (importer) -> W"
        );
        assert_eq!(weapons_reached(&p, &all[0]), ["W"]);
        assert_eq!(
            stops(&p, &all[1]).join(" -> "),
            "Maker (manufacturer) -> A (distributor) -> C (importer) -> [no known link] -> W"
        );
        assert!(weapons_reached(&p, &all[1]).is_empty());
        // a producer in the middle of a route is not its end
        p.producers = vec![(2, "W".into())];
        let (all, _) = routes(&p);
        assert!(all.iter().all(|r| weapons_reached(&p, r).is_empty()));
    }

    #[test]
    fn a_link_not_reached_from_the_maker_is_a_route_after_a_break() {
        let unknown_recipient = End::default();
        let p = part(vec![link(
            end(7, "JSC Chip and Dip", "supplier"),
            unknown_recipient,
        )]);
        let (all, _) = routes(&p);
        assert_eq!(all.len(), 1);
        assert!(!all[0].from_maker);
        assert_eq!(
            stops(&p, &all[0]).join(" -> "),
            "Maker (manufacturer) -> [no known link] -> JSC Chip and Dip (supplier) -> ? -> [no known link] -> W"
        );
    }

    #[test]
    fn cycles_end_and_listing_is_capped_but_counted() {
        // maker -> A -> maker: the path stops before reusing a link
        let p = part(vec![
            link(end(1, "Maker", "manufacturer"), end(2, "A", "distributor")),
            link(end(2, "A", "distributor"), end(1, "Maker", "manufacturer")),
        ]);
        let (all, _) = routes(&p);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].links, [0, 1]);
        // a fan of 5 distributors: 5 routes, 2 listed
        let fan = part(
            (0..5)
                .map(|i| {
                    link(
                        end(1, "Maker", "manufacturer"),
                        end(10 + i, "D", "distributor"),
                    )
                })
                .collect(),
        );
        let (routes_t, links_t, drawn, total) = tables(&[fan], 2);
        assert_eq!(
            (routes_t.rows.len(), links_t.rows.len(), drawn.len(), total),
            (2, 2, 2, 5)
        );
    }

    #[test]
    fn routes_are_counted_without_listing_them_however_they_branch() {
        // 20 layers of two organisations, every one linked to both of the next: 2^20 routes
        // from the maker, far past what enumeration would count
        let layer = |n: i64, k: i64| 100 + 2 * n + k;
        let mut links = vec![
            link(
                end(1, "Maker", "manufacturer"),
                end(layer(0, 0), "L", "distributor"),
            ),
            link(
                end(1, "Maker", "manufacturer"),
                end(layer(0, 1), "L", "distributor"),
            ),
        ];
        for n in 0..19 {
            for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                links.push(link(
                    end(layer(n, a), "L", "exporter"),
                    end(layer(n + 1, b), "L", "importer"),
                ));
            }
        }
        let p = part(links);
        assert_eq!(count_routes(&p), (1 << 20, false));
        let (listed, more) = routes_up_to(&p, 3);
        assert_eq!((listed.len(), more), (3, true));
        // the first listed are the first the full enumeration gives
        assert_eq!(listed, routes(&p).0[..3]);
        let (routes_t, _, _, total) = tables(&[p], 3);
        assert_eq!((routes_t.rows.len(), total), (3, 1 << 20));
    }

    use proptest::prelude::*;

    fn any_end() -> impl Strategy<Value = End> {
        // a few organisations (1 is the maker), or an unknown one
        prop::option::of(1i64..7).prop_map(|o| End {
            organisation: o,
            name: o.map(|o| format!("O{o}")),
            ..End::default()
        })
    }

    proptest! {
        /// Counting by dynamic programming agrees with listing every route, on link sets with
        /// and without loops, unknown ends and links that lead nowhere from the maker.
        #[test]
        fn the_count_equals_the_number_of_routes_enumerated(
            ends in prop::collection::vec((any_end(), any_end()), 1..9)
        ) {
            let links = ends
                .into_iter()
                .filter(|(f, t)| f.organisation.is_some() || t.organisation.is_some())
                .map(|(from, to)| link(from, to))
                .collect::<Vec<_>>();
            prop_assume!(!links.is_empty());
            let p = part(links);
            let (all, stopped) = routes(&p);
            prop_assert!(!stopped);
            prop_assert_eq!(count_routes(&p), (all.len() as u64, false));
        }
    }
}
