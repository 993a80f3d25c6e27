//! FollowTheMoney entities (the data model of Aleph and OpenSanctions) from the export's
//! entities, using only stock schemata so the followthemoney tooling validates them:
//! makers are `Company`; sources `Document`; weapon models and parts are `Asset`s marked with
//! the keyword `comptrace:weapon` or `comptrace:part` (FtM has no schema for them; this is the
//! project's convention, docs/exchange.md); a part's maker is an `UnknownLink` with role
//! "manufacturer"; each observation is an `UnknownLink` from the part to the weapon with role
//! "found in" and the documents as `proof`, and each source backing it a `Documentation`.
//! Corporate ownership from data/ownership.csv becomes `Ownership`. The supply chain
//! (docs/supply-chain.md): organisations other than makers are `Company` too; a shipment record
//! is an `EconomicActivity` (FtM's "Customs declaration": sender, receiver, goods, HS code as
//! its commodity code, value, countries of departure and destination); every other supply link
//! an `UnknownLink` from the seller to the buyer, with both roles and what moved in its
//! description; a weapon's producer an `UnknownLink` from the organisation to the weapon with
//! role "producer". Trace requests and their answers are an investigator's correspondence, not
//! published facts: they are left out (the links an answer established are exported as links).
//! The output follows the
//! export's order (makers, ownerships in the makers' order), so one catalogue always gives the
//! same bytes.

use serde_json::{json, Map, Value};

use crate::matching::reference::Reference;
use crate::safe_text::is_web_url;

fn id(uid: &str) -> String {
    format!("ct-{uid}")
}

fn entity(schema: &str, id: String, props: Vec<(&str, Vec<String>)>) -> Value {
    let mut p = Map::new();
    for (k, v) in props {
        let v: Vec<String> = v.into_iter().filter(|s| !s.trim().is_empty()).collect();
        if !v.is_empty() {
            p.insert(k.to_string(), json!(v));
        }
    }
    json!({"id": id, "schema": schema, "properties": p})
}

fn text(v: &Value, key: &str) -> Vec<String> {
    match &v[key] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// FtM entities for the export's entities (as `db::export::entities` returns them).
pub fn entities(exported: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    let refs = Reference::get();
    // (uid, name) in export order: a map here put the Ownership entities in hash order
    let mut makers: Vec<(String, String)> = Vec::new();
    // an organisation is exported once as a maker and again as the supply chain names it
    let mut companies: std::collections::HashSet<String> = std::collections::HashSet::new();
    for e in exported {
        let uid = e["uid"].as_str().unwrap_or_default();
        match e["type"].as_str() {
            Some("organisation") if companies.contains(uid) => {}
            Some("organisation") => {
                companies.insert(uid.to_string());
                out.push(company(e, uid));
            }
            Some("supply_link") if e["shipment"].is_string() => {}
            Some("supply_link") => out.push(supply_link(e, uid)),
            Some("shipment") => out.push(shipment(e, uid)),
            Some("weapon_producer") => out.push(weapon_producer(e, uid)),
            Some("manufacturer") => {
                let name = text(e, "name");
                makers.push((uid.to_string(), name.first().cloned().unwrap_or_default()));
                companies.insert(uid.to_string());
                out.push(company(e, uid));
            }
            Some("weapon") => {
                let name = text(e, "name");
                let aliases: Vec<String> = text(e, "spellings")
                    .into_iter()
                    .filter(|s| !name.contains(s))
                    .collect();
                out.push(entity(
                    "Asset",
                    id(uid),
                    vec![
                        ("name", name),
                        ("alias", aliases),
                        (
                            "country",
                            text(e, "origin_country")
                                .into_iter()
                                .map(|c| c.to_lowercase())
                                .collect(),
                        ),
                        ("keywords", vec!["comptrace:weapon".into()]),
                        ("description", text(e, "weapon_type")),
                    ],
                ));
            }
            Some("part") => {
                let name: Vec<String> = text(e, "part_number")
                    .into_iter()
                    .chain(text(e, "name"))
                    .take(1)
                    .collect();
                let aliases: Vec<String> = text(e, "spellings")
                    .into_iter()
                    .filter(|s| !name.contains(s))
                    .collect();
                let mut keywords = vec!["comptrace:part".to_string()];
                keywords.extend(text(e, "category"));
                out.push(entity(
                    "Asset",
                    id(uid),
                    vec![("name", name), ("alias", aliases), ("keywords", keywords)],
                ));
                if let Some(m) = e["manufacturer"].as_str() {
                    out.push(entity(
                        "UnknownLink",
                        id(&format!("{uid}-maker")),
                        vec![
                            ("subject", vec![id(uid)]),
                            ("object", vec![id(m)]),
                            ("role", vec!["manufacturer".into()]),
                        ],
                    ));
                }
            }
            Some("source") => {
                // only a web address is a URL property; another (javascript:, file:) is kept
                // as text a reader sees, never as something a tool would open
                let (web, other): (Vec<String>, Vec<String>) =
                    text(e, "url").into_iter().partition(|u| is_web_url(u));
                let described: Vec<String> = other
                    .iter()
                    .map(|u| format!("source address (not a web link): {u}"))
                    .collect();
                out.push(entity(
                    "Document",
                    id(uid),
                    vec![
                        ("title", text(e, "title")),
                        ("publisher", text(e, "publisher")),
                        ("sourceUrl", web),
                        ("description", described),
                        ("date", text(e, "date")),
                        ("fileName", text(e, "file_name")),
                        ("contentHash", text(e, "sha256")),
                    ],
                ));
            }
            // a retracted finding is not published: FtM has no place to say it was retracted
            Some("observation") if e["retracted"] == true => {}
            Some("observation") => {
                let proof: Vec<String> = text(e, "sources").iter().map(|s| id(s)).collect();
                let mut description = vec![format!(
                    "part as logged: {}",
                    e["part_as_logged"].as_str().unwrap_or("")
                )];
                for (k, label) in [
                    ("marking", "marking"),
                    ("date_code", "date code"),
                    ("production_country", "made in"),
                ] {
                    if let Some(v) = e[k].as_str() {
                        description.push(format!("{label}: {v}"));
                    }
                }
                out.push(entity(
                    "UnknownLink",
                    id(uid),
                    vec![
                        ("subject", vec![id(e["part"].as_str().unwrap_or_default())]),
                        ("object", vec![id(e["weapon"].as_str().unwrap_or_default())]),
                        ("role", vec!["found in".into()]),
                        ("date", text(e, "observed_on")),
                        ("description", vec![description.join("; ")]),
                        ("proof", proof),
                    ],
                ));
                for s in text(e, "sources") {
                    out.push(entity(
                        "Documentation",
                        id(&format!("{uid}-{s}")),
                        vec![
                            ("document", vec![id(&s)]),
                            ("entity", vec![id(e["part"].as_str().unwrap_or_default())]),
                            ("role", vec![format!("evidence of observation {uid}")]),
                        ],
                    ));
                }
            }
            _ => {}
        }
    }
    out.extend(ownerships(&makers, refs));
    out
}

/// A maker or any other organisation: its name, the other spellings, its country.
fn company(e: &Value, uid: &str) -> Value {
    let name = text(e, "name");
    let aliases: Vec<String> = text(e, "spellings")
        .into_iter()
        .filter(|s| !name.contains(s))
        .collect();
    entity(
        "Company",
        id(uid),
        vec![
            ("name", name),
            ("alias", aliases),
            ("country", lower(text(e, "country"))),
        ],
    )
}

fn lower(codes: Vec<String>) -> Vec<String> {
    codes.into_iter().map(|c| c.to_lowercase()).collect()
}

/// The ids of the uids a property names (one, or a list such as `sources`).
fn ids(e: &Value, key: &str) -> Vec<String> {
    text(e, key).iter().map(|u| id(u)).collect()
}

/// "label: value" for each of `fields` the object states, joined for a description.
fn stated(e: &Value, fields: &[(&str, &str)]) -> Vec<String> {
    let parts: Vec<String> = fields
        .iter()
        .flat_map(|(k, label)| text(e, k).into_iter().map(move |v| format!("{label}: {v}")))
        .collect();
    if parts.is_empty() {
        Vec::new()
    } else {
        vec![parts.join("; ")]
    }
}

/// A supply link with no customs record behind it: from the seller to the buyer.
fn supply_link(e: &Value, uid: &str) -> Value {
    let role = format!(
        "{} to {}",
        e["from_role"].as_str().unwrap_or("unknown"),
        e["to_role"].as_str().unwrap_or("unknown")
    );
    // what moved: a part, or only a maker's brand, named by its entity id
    let mut what: Vec<String> = ids(e, "part")
        .into_iter()
        .map(|p| format!("part: {p}"))
        .chain(
            ids(e, "brand")
                .into_iter()
                .map(|b| format!("parts of brand: {b}")),
        )
        .collect();
    what.extend(stated(
        e,
        &[
            ("lot", "lot"),
            ("date_code", "date code"),
            ("quantity", "quantity"),
            ("value", "value"),
            ("currency", "currency"),
            ("from_country", "from country"),
            ("to_country", "to country"),
            ("how_known", "known from"),
            ("confidence", "confidence"),
            ("note", "note"),
        ],
    ));
    let what = if what.is_empty() {
        Vec::new()
    } else {
        vec![what.join("; ")]
    };
    entity(
        "UnknownLink",
        id(uid),
        vec![
            ("subject", ids(e, "from")),
            ("object", ids(e, "to")),
            ("role", vec![role]),
            ("date", text(e, "moved_on")),
            ("description", what),
            ("proof", ids(e, "sources")),
        ],
    )
}

/// A customs record, as FollowTheMoney's customs declaration.
fn shipment(e: &Value, uid: &str) -> Value {
    let value: Vec<String> = match (e["value"].as_str(), e["currency"].as_str()) {
        (Some(v), Some(c)) => vec![format!("{v} {c}")],
        (Some(v), None) => vec![v.to_string()],
        _ => Vec::new(),
    };
    entity(
        "EconomicActivity",
        id(uid),
        vec![
            ("sender", ids(e, "exporter")),
            ("receiver", ids(e, "importer")),
            ("goodsDescription", text(e, "description")),
            (
                "description",
                stated(
                    e,
                    &[
                        ("part_number", "part number"),
                        ("brand", "brand"),
                        ("quantity", "quantity"),
                    ],
                ),
            ),
            ("vedCode", text(e, "hs_code")),
            ("customsAmount", value),
            ("startDate", text(e, "date")),
            ("departureCountry", lower(text(e, "exporter_country"))),
            ("destinationCountry", lower(text(e, "importer_country"))),
            ("proof", ids(e, "source")),
        ],
    )
}

/// Who built a weapon model, and where.
fn weapon_producer(e: &Value, uid: &str) -> Value {
    entity(
        "UnknownLink",
        id(uid),
        vec![
            ("subject", ids(e, "organisation")),
            ("object", ids(e, "weapon")),
            ("role", vec!["producer".into()]),
            (
                "description",
                stated(
                    e,
                    &[
                        ("site", "site"),
                        ("country", "country"),
                        ("confidence", "confidence"),
                    ],
                ),
            ),
            ("proof", ids(e, "sources")),
        ],
    )
}

/// Ownership among the exported makers, by the reference list, in the makers' order; a brand's
/// owner is the first exported maker the list says is it.
fn ownerships(makers: &[(String, String)], refs: &Reference) -> Vec<Value> {
    let mut out = Vec::new();
    for (brand_uid, brand) in makers {
        let Some(&o) = refs.owners_of(brand).first() else {
            continue;
        };
        if let Some((owner_uid, _)) = makers.iter().find(|(_, n)| refs.same_maker(n, &o.owner)) {
            out.push(entity(
                "Ownership",
                id(&format!("{brand_uid}-owned")),
                vec![
                    ("owner", vec![id(owner_uid)]),
                    ("asset", vec![id(brand_uid)]),
                    ("startDate", vec![o.since.clone()]),
                    ("description", vec![format!("source: {}", o.source)]),
                ],
            ));
        }
    }
    out
}
