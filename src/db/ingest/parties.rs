//! The companies a published maker label names besides its maker ("Texas Instruments Suppliers
//! JSC CHIP AND DIP"), recorded as supply links of the finding's part: each from the company,
//! in the role its marker gives, to a recipient the label does not name, known from the label
//! (`how_known = 'label'`), with the finding's confidence and sources. The maker itself is the
//! finding's maker (its spelling is keyed as the maker's, normalize::company_key).

use anyhow::Result;
use rusqlite::{params, Connection};

use super::Ingester;
use crate::db::new_uid;
use crate::matching::parties::split_label;

impl Ingester<'_> {
    /// Records a link for each company the finding's maker label names besides the maker.
    pub(super) fn record_parties(
        &mut self,
        label: &str,
        observation_id: i64,
        part_id: i64,
        confidence: Option<&str>,
        sources: &[i64],
    ) -> Result<()> {
        let (_, parties) = split_label(label);
        for party in parties {
            let (_, organisation) = self.party_organisation(&party.name)?;
            let link = insert_label_link(
                self.conn,
                &LabelLink {
                    organisation,
                    role: party.role.name(),
                    part_id,
                    observation_id,
                    confidence,
                    recorded_at: &self.now,
                },
            )?;
            cite(self.conn, link, sources)?;
        }
        Ok(())
    }
}

impl Ingester<'_> {
    /// Records who built the finding's weapon (and where), when its row says: the producer
    /// resolved as any organisation (exact spelling or key), citing the finding's sources.
    pub(super) fn record_producer(
        &mut self,
        f: &crate::finding::Finding,
        observation_id: i64,
        weapon: i64,
        unit: Option<i64>,
        sources: &[i64],
    ) -> Result<()> {
        let (producer, site) = (f.get("weapon_producer"), f.get("weapon_production_site"));
        if producer.is_none() && site.is_none() {
            return Ok(());
        }
        let organisation = producer
            .map(|name| self.party_organisation(name).map(|(_, org)| org))
            .transpose()?;
        self.conn
            .prepare_cached(
                "INSERT INTO weapon_producer (uid, weapon_id, unit_id, organisation_id, stated_as, site,
                    observation_id, confidence, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                new_uid(),
                weapon,
                unit,
                organisation,
                producer,
                site,
                observation_id,
                f.confidence(),
                self.now
            ])?;
        let id = self.conn.last_insert_rowid();
        let mut cite = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO weapon_producer_source (weapon_producer_id, source_id) VALUES (?1, ?2)",
        )?;
        for source in sources {
            cite.execute(params![id, source])?;
        }
        Ok(())
    }
}

/// A link a maker label states: from the named company to an unnamed recipient.
pub(crate) struct LabelLink<'a> {
    pub organisation: i64,
    pub role: &'a str,
    pub part_id: i64,
    pub observation_id: i64,
    pub confidence: Option<&'a str>,
    pub recorded_at: &'a str,
}

pub(crate) fn insert_label_link(conn: &Connection, l: &LabelLink) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO supply_link (uid, from_organisation_id, from_role, part_id, how_known,
            confidence, observation_id, recorded_at)
         VALUES (?1, ?2, ?3, ?4, 'label', ?5, ?6, ?7)",
    )?
    .execute(params![
        new_uid(),
        l.organisation,
        l.role,
        l.part_id,
        l.confidence,
        l.observation_id,
        l.recorded_at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Links cite the sources of the finding that states them.
pub(crate) fn cite(conn: &Connection, link: i64, sources: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO supply_link_source (supply_link_id, source_id) VALUES (?1, ?2)",
    )?;
    for source in sources {
        stmt.execute(params![link, source])?;
    }
    Ok(())
}

/// Schema v11's step after its SQL: maker labels already recorded that name suppliers are read
/// again as imports now read them. Each such spelling is keyed as its maker; when another
/// organisation already has that key the spelling and the parts made under the label move to
/// it (as they would have joined it on import), else the label's organisation is renamed to
/// its maker. An organisation left with nothing naming it is removed (it only ever stood for
/// the label). Then each finding under such a label gets its links, and the derived columns
/// are recomputed from origins and the live judgements.
pub fn split_maker_labels(conn: &Connection, now: &str) -> Result<()> {
    let labels = spellings_naming_parties(conn)?;
    for (spelling, text, origin) in &labels {
        rekey_label(conn, *spelling, text, *origin)?;
    }
    if labels.is_empty() {
        return Ok(());
    }
    let mut ingester = Ingester::new(conn, now.to_string(), None)?;
    for (observation, label, part, confidence) in findings_under_labels(conn)? {
        let sources: Vec<i64> = conn
            .prepare_cached(
                "SELECT source_id FROM observation_source WHERE observation_id = ?1 ORDER BY source_id",
            )?
            .query_map([observation], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ingester.record_parties(&label, observation, part, confidence.as_deref(), &sources)?;
    }
    drop(ingester);
    for family in [
        crate::entity::Family::Manufacturer,
        crate::entity::Family::Part,
    ] {
        crate::db::merge::rederive(conn, family)?;
    }
    Ok(())
}

/// (spelling id, text, origin organisation) of every maker spelling that names other companies.
fn spellings_naming_parties(conn: &Connection) -> Result<Vec<(i64, String, i64)>> {
    let rows: Vec<(i64, String, i64)> = conn
        .prepare(
            "SELECT id, text, origin_organisation_id FROM organisation_spelling
             WHERE text LIKE '% Suppliers %' OR text LIKE '% Importers %'
                OR text LIKE '% Involved companies %'
             ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, text, _)| !split_label(text).1.is_empty())
        .collect())
}

fn rekey_label(conn: &Connection, spelling: i64, text: &str, origin: i64) -> Result<()> {
    use crate::matching::parties::maker_of;
    use crate::normalize::{company_key, split_parenthesised};
    let key = company_key(text);
    conn.execute(
        "UPDATE organisation_spelling SET key = ?2 WHERE id = ?1",
        params![spelling, key],
    )?;
    let target: Option<i64> = if key.is_empty() {
        None
    } else {
        rusqlite::OptionalExtension::optional(conn.query_row(
            "SELECT origin_organisation_id FROM organisation_spelling
             WHERE key = ?1 AND origin_organisation_id <> ?2 ORDER BY id LIMIT 1",
            params![key, origin],
            |r| r.get(0),
        ))?
    };
    let Some(target) = target else {
        conn.execute(
            "UPDATE organisation SET name = ?2 WHERE id = ?1 AND name = ?3",
            params![
                origin,
                split_parenthesised(maker_of(text)).0,
                split_parenthesised(text).0
            ],
        )?;
        return Ok(());
    };
    conn.execute(
        "UPDATE organisation_spelling SET origin_organisation_id = ?2, organisation_id = ?2 WHERE id = ?1",
        params![spelling, target],
    )?;
    conn.execute(
        "UPDATE part SET origin_manufacturer_id = ?2, manufacturer_id = ?2 WHERE origin_manufacturer_id = ?1",
        params![origin, target],
    )?;
    remove_if_unnamed(conn, origin)
}

/// Removes an organisation nothing names or points at any more.
fn remove_if_unnamed(conn: &Connection, org: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM organisation WHERE id = ?1
           AND NOT EXISTS (SELECT 1 FROM organisation_spelling WHERE origin_organisation_id = ?1 OR organisation_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM part WHERE origin_manufacturer_id = ?1 OR manufacturer_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM organisation WHERE merged_into = ?1)
           AND NOT EXISTS (SELECT 1 FROM judgement WHERE kind = 'manufacturer' AND (left_id = ?1 OR right_id = ?1))
           AND NOT EXISTS (SELECT 1 FROM merge_batch WHERE kind = 'manufacturer' AND into_id = ?1)",
        [org],
    )?;
    Ok(())
}

/// (observation, maker label, part origin, confidence) of a finding.
type LabelledFinding = (i64, String, i64, Option<String>);

/// Each finding under a label naming other companies that has no link from its label yet.
fn findings_under_labels(conn: &Connection) -> Result<Vec<LabelledFinding>> {
    let rows: Vec<LabelledFinding> = conn
        .prepare(
            "SELECT o.id, os.text, ps.origin_part_id, o.confidence
             FROM observation o
             JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
             JOIN part_spelling ps ON ps.id = o.part_spelling_id
             WHERE (os.text LIKE '% Suppliers %' OR os.text LIKE '% Importers %' OR os.text LIKE '% Involved companies %')
               AND NOT EXISTS (SELECT 1 FROM supply_link l WHERE l.observation_id = o.id AND l.how_known = 'label')
             ORDER BY o.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A producer row as a finding stated it: weapon, producer as written, site, unit.
type StatedProducer = (i64, Option<String>, Option<String>, Option<i64>);

impl Ingester<'_> {
    /// An amended finding's supply facts stated again: the suppliers its maker label named and
    /// the producer its row named are derived from its text, so when an amendment changes that
    /// text (or the weapon), the links and producer the earlier text gave are replaced by what
    /// the amended text gives. The earlier text stays on record in its revision; facts stated
    /// by anything else (a trace answer, a shipment, another finding) are never touched.
    pub(super) fn restate_parties(
        &mut self,
        f: &crate::finding::Finding,
        observation_id: i64,
        part_id: i64,
        weapon: i64,
        unit: Option<i64>,
    ) -> Result<()> {
        let stated_label: Option<String> = self.conn.query_row(
            "SELECT os.text FROM observation o
               LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
              WHERE o.id = ?1",
            [observation_id],
            |r| r.get(0),
        )?;
        // links the label gave that name another part than the amended finding's
        let moved_links: i64 = self.conn.query_row(
            "SELECT count(*) FROM supply_link
              WHERE observation_id = ?1 AND how_known = 'label' AND part_id IS NOT ?2",
            params![observation_id, part_id],
            |r| r.get(0),
        )?;
        let producers: Vec<StatedProducer> = self
            .conn
            .prepare(
                "SELECT weapon_id, stated_as, site, unit_id FROM weapon_producer
                  WHERE observation_id = ?1",
            )?
            .query_map([observation_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let sources: Vec<i64> = self
            .conn
            .prepare("SELECT source_id FROM observation_source WHERE observation_id = ?1")?
            .query_map([observation_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let label_changed = stated_label.as_deref() != f.manufacturer() || moved_links > 0;
        if label_changed {
            self.conn.execute(
                "DELETE FROM supply_link_source WHERE supply_link_id IN
                   (SELECT id FROM supply_link WHERE observation_id = ?1 AND how_known = 'label')",
                [observation_id],
            )?;
            self.conn.execute(
                "DELETE FROM supply_link WHERE observation_id = ?1 AND how_known = 'label'",
                [observation_id],
            )?;
            if let Some(label) = f.manufacturer() {
                self.record_parties(label, observation_id, part_id, f.confidence(), &sources)?;
            }
        }
        let wanted = (
            f.get("weapon_producer").map(str::to_string),
            f.get("weapon_production_site").map(str::to_string),
        );
        let unchanged = match producers.as_slice() {
            [] => wanted.0.is_none() && wanted.1.is_none(),
            [(w, stated, site, u)] => {
                *w == weapon && *u == unit && (stated.clone(), site.clone()) == wanted
            }
            _ => false,
        };
        if !unchanged {
            self.conn.execute(
                "DELETE FROM weapon_producer_source WHERE weapon_producer_id IN
                   (SELECT id FROM weapon_producer WHERE observation_id = ?1)",
                [observation_id],
            )?;
            self.conn.execute(
                "DELETE FROM weapon_producer WHERE observation_id = ?1",
                [observation_id],
            )?;
            self.record_producer(f, observation_id, weapon, unit, &sources)?;
        }
        Ok(())
    }
}
