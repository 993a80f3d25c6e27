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
    let mut by_from: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, l) in p.links.iter().enumerate() {
        if let Some(org) = l.from.organisation {
            by_from.entry(org).or_default().push(i);
        }
    }
    let received: std::collections::BTreeSet<i64> =
        p.links.iter().filter_map(|l| l.to.organisation).collect();
    // a chain starts at the maker, or at a link nothing in the set leads to
    let starts: Vec<(usize, bool)> = p
        .links
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match l.from.organisation {
            Some(org) if Some(org) == p.maker => Some((i, true)),
            Some(org) if received.contains(&org) => None,
            _ => Some((i, false)),
        })
        .collect();
    let mut out = Vec::new();
    let mut stopped = false;
    for (start, from_maker) in starts {
        let mut path = vec![start];
        extend(p, &by_from, &mut path, from_maker, &mut out, &mut stopped);
    }
    (out, stopped)
}

fn extend(
    p: &PartRoutes,
    by_from: &BTreeMap<i64, Vec<usize>>,
    path: &mut Vec<usize>,
    from_maker: bool,
    out: &mut Vec<Route>,
    stopped: &mut bool,
) {
    if out.len() >= COUNT_LIMIT {
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
        extend(p, by_from, path, from_maker, out, stopped);
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
pub fn tables(parts: &[PartRoutes], cap: usize) -> (Listing, Listing, Vec<Vec<String>>, usize) {
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
    let mut total = 0;
    for p in parts {
        let (all, _) = routes(p);
        total += all.len();
        for r in all.iter().take(cap) {
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
            ("routes", total as i64),
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
}
