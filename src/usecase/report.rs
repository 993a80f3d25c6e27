//! Building a report: names resolved and every row read inside one read transaction, so a
//! report never mixes two states of a catalogue that is being written.

use anyhow::Result;

use crate::classification::Chpl;
use crate::db::query::{
    exactly_one, find_organisations, find_weapons, makers_with_spellings, require,
};
use crate::db::report::Scope;
use crate::db::{Catalogue, Store};
use crate::matching::reference::Reference;
use crate::report::chpl::check_tier;
use crate::report::{self, By, OriginOptions, Report, Tiers};

/// Which report, with its filters as given (dates already checked).
#[derive(Debug, Clone)]
pub enum Request {
    Origin {
        weapon: Option<String>,
        by: By,
        since: Option<String>,
        until: Option<String>,
        top: usize,
        sources: bool,
        by_owner: bool,
        tier: Option<String>,
    },
    Manufacturer {
        name: String,
        by_owner: bool,
    },
    Weapon {
        name: String,
        tier: Option<String>,
    },
    DateCodes {
        after: String,
        weapon: Option<String>,
        tier: Option<String>,
    },
    Chpl {
        weapon: Option<String>,
        since: Option<String>,
    },
    ThirdCountries {
        manufacturer: Option<String>,
        since: Option<String>,
    },
    Suppliers {
        weapon: Option<String>,
    },
    Route {
        part: Option<String>,
        manufacturer: Option<String>,
        weapon: Option<String>,
        cap: usize,
    },
}

/// Which state of the catalogue a report or listing shows: as it stood at the end of a day
/// (`as_of`, a checked date), and with `public` without the findings under embargo on that day
/// (today when no day is asked).
#[derive(Debug, Clone, Default)]
pub struct View {
    pub as_of: Option<String>,
    pub public: bool,
}

impl View {
    /// Shadows the catalogue for this connection as the view asks (`db::as_of`); returns how
    /// many findings `public` left out.
    pub fn apply(&self, store: &Store) -> Result<Option<i64>> {
        if let Some(day) = &self.as_of {
            crate::db::as_of::shadow(store, day)?;
        }
        if !self.public {
            return Ok(None);
        }
        let today = crate::dates::now().chars().take(10).collect::<String>();
        let day = self.as_of.clone().unwrap_or(today);
        Ok(Some(crate::db::as_of::shadow_public(store, &day)?))
    }
}

/// Builds the report a request names, as of now (`stamp`), or from the catalogue as `view`
/// shows it, ranking by the list `chpl`.
pub fn build(
    catalogue: &mut Catalogue,
    request: &Request,
    chpl: &Chpl,
    stamp: String,
    view: &View,
) -> Result<Report> {
    let read = catalogue.read()?;
    let store = &*read;
    let withheld = view.apply(store)?;
    let mut report = build_in(store, request, chpl, stamp)?;
    report.as_of = view.as_of.clone();
    report.withheld = withheld;
    Ok(report)
}

fn build_in(store: &Store, request: &Request, chpl: &Chpl, stamp: String) -> Result<Report> {
    let tier_of = |t: &Option<String>| t.as_deref().map(|t| check_tier(t, chpl)).transpose();
    Ok(match request {
        Request::Origin {
            weapon,
            by,
            since,
            until,
            top,
            sources,
            by_owner,
            tier,
        } => {
            let tier = tier_of(tier)?;
            let mut filters = Vec::new();
            let weapons = weapon_scope(store, weapon, &mut filters)?;
            filters.extend(since.iter().map(|s| ("since", s.clone())));
            filters.extend(until.iter().map(|u| ("until", u.clone())));
            let by_name = if *by == By::Hq { "hq" } else { "production" };
            filters.push(("by", by_name.into()));
            let scope = Scope {
                weapons,
                since: since.clone(),
                until: until.clone(),
            };
            if *by_owner {
                filters.push(("by_owner", "yes".into()));
            }
            filters.extend(tier.iter().map(|t| ("tier", t.clone())));
            let how = OriginOptions {
                by: *by,
                top: *top,
                with_sources: *sources || scope.weapons.is_some(),
                by_owner: *by_owner,
            };
            let tiers = Tiers::build(store, chpl)?;
            report::origin(store, &scope, filters, &how, &tiers, tier.as_deref(), stamp)?
        }
        Request::Manufacturer { name, by_owner } => {
            let makers = makers_named(store, name, *by_owner)?;
            let mut r = report::manufacturer(store, name, &makers, stamp)?;
            if *by_owner {
                r.filters.push(("by_owner", "yes".into()));
            }
            r
        }
        Request::Weapon { name, tier } => {
            let tier = tier_of(tier)?;
            let found = find_weapons(store, name)?;
            let display = found.first().map(|n| n.name.clone()).unwrap_or_default();
            let id = exactly_one(found, "weapon", name)?;
            let tiers = Tiers::build(store, chpl)?;
            report::weapon(store, name, id, &display, &tiers, tier.as_deref(), stamp)?
        }
        Request::ThirdCountries {
            manufacturer,
            since,
        } => {
            let mut filters = Vec::new();
            let makers = match manufacturer {
                Some(m) => {
                    filters.push(("manufacturer", m.clone()));
                    Some(require(
                        find_organisations(store, m)?,
                        "manufacturer",
                        m,
                        "--manufacturer",
                    )?)
                }
                None => None,
            };
            filters.extend(since.iter().map(|s| ("since", s.clone())));
            let table = crate::db::supply_view::third_countries(
                store,
                makers.as_deref(),
                since.as_deref(),
            )?;
            report::route::listing_report(
                "third-countries",
                "Countries parts passed through besides their maker's",
                "the ends of supply links (the country stated, else where the organisation is registered) that lie outside the headquarters country of the part's maker, by link and by the value shipments give (summed per country; see the currency column); in_weapon_country says whether a weapon the part was found in comes from that country.",
                ("countries", table),
                filters,
                crate::db::route::latest_link(store)?,
                stamp,
            )
        }
        Request::Suppliers { weapon } => {
            let mut filters = Vec::new();
            let weapons = weapon_scope(store, weapon, &mut filters)?;
            let table = crate::db::supply_view::suppliers(store, weapons.as_deref())?;
            report::route::listing_report(
                "suppliers",
                "Suppliers, distributors, exporters and importers",
                "organisations in supply links in any role but maker, with the parts, makers and weapons their links reach and the evidence for them.",
                ("suppliers", table),
                filters,
                crate::db::route::latest_link(store)?,
                stamp,
            )
        }
        Request::Route {
            part,
            manufacturer,
            weapon,
            cap,
        } => route(store, part, manufacturer, weapon, *cap, stamp)?,
        Request::DateCodes {
            after,
            weapon,
            tier,
        } => {
            let tier = tier_of(tier)?;
            let mut filters = Vec::new();
            let weapons = weapon_scope(store, weapon, &mut filters)?;
            let scope = Scope {
                weapons,
                ..Scope::default()
            };
            let tiers = match &tier {
                Some(_) => Some(Tiers::build(store, chpl)?),
                None => None,
            };
            let by_tier = tiers.as_ref().zip(tier.as_deref());
            report::date_codes(store, &scope, filters, after, by_tier, stamp)?
        }
        Request::Chpl { weapon, since } => {
            let mut filters = Vec::new();
            let weapons = weapon_scope(store, weapon, &mut filters)?;
            filters.extend(since.iter().map(|s| ("since", s.clone())));
            let scope = Scope {
                weapons,
                since: since.clone(),
                until: None,
            };
            let tiers = Tiers::build(store, chpl)?;
            report::chpl::chpl(store, &scope, filters, &tiers, stamp)?
        }
    })
}

fn weapon_scope(
    store: &Store,
    weapon: &Option<String>,
    filters: &mut Vec<(&'static str, String)>,
) -> Result<Option<Vec<i64>>> {
    let Some(w) = weapon else {
        return Ok(None);
    };
    filters.push(("weapon", w.clone()));
    Ok(Some(require(
        find_weapons(store, w)?,
        "weapon",
        w,
        "--weapon",
    )?))
}

/// The makers a maker report covers: those the name resolves to, and with `by_owner` every
/// brand the name owns today, by the ownership list or as a label states it in its
/// parenthesis ("Maxim Integrated Products (Analog Devices)").
fn makers_named(store: &Store, name: &str, by_owner: bool) -> Result<Vec<(i64, String)>> {
    let mut makers: Vec<(i64, String)> = find_organisations(store, name)?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect();
    if by_owner {
        let refs = Reference::get();
        let stated_owner = |spelling: &str| {
            crate::normalize::split_parenthesised(spelling)
                .1
                .is_some_and(|note| {
                    note.split(',').any(|item| {
                        refs.same_maker(item.trim(), name) || refs.owned_by(item.trim(), name)
                    })
                })
        };
        let mut owned: Vec<(i64, String)> = makers_with_spellings(store)?
            .into_iter()
            .filter(|(id, n, spelling)| {
                (refs.owned_by(n, name) || stated_owner(spelling))
                    && !makers.iter().any(|(m, _)| m == id)
            })
            .map(|(id, n, _)| (id, n))
            .collect();
        owned.dedup_by_key(|(id, _)| *id);
        makers.extend(owned);
    }
    if makers.is_empty() {
        exactly_one(Vec::new(), "manufacturer", name)?;
    }
    Ok(makers)
}

/// `report route`: the parts a --part or --manufacturer names (in --weapon), their routes, and
/// the maker's brand-only links.
fn route(
    store: &Store,
    part: &Option<String>,
    manufacturer: &Option<String>,
    weapon: &Option<String>,
    cap: usize,
    stamp: String,
) -> Result<Report> {
    let mut filters = Vec::new();
    let part_ids = match part {
        Some(p) => {
            filters.push(("part", p.clone()));
            require(crate::db::query::find_parts(store, p)?, "part", p, "--part")?
        }
        None => Vec::new(),
    };
    let makers = match manufacturer {
        Some(m) => {
            filters.push(("manufacturer", m.clone()));
            require(
                find_organisations(store, m)?,
                "manufacturer",
                m,
                "--manufacturer",
            )?
        }
        None => Vec::new(),
    };
    let weapons = weapon_scope(store, weapon, &mut filters)?;
    let parts = crate::db::route::parts(store, &part_ids, &makers, weapons.as_deref())?;
    let brand = crate::db::route::brand_links(store, &makers)?;
    let scope = report::route::Scope {
        filters,
        cap,
        as_of: crate::db::route::latest_link(store)?,
    };
    Ok(report::route::report(&parts, &brand, scope, stamp))
}
