//! Corrections of facts about an entity itself (schema v12): a maker's headquarters country, a
//! weapon model's origin country and type, a part's category. The entity's column holds the
//! current value, which every report reads; `entity_revision` is the append-only record of
//! each change with the value before and after, who, when and why. Replaying it gives the
//! value at any time: the latest new value recorded by then, else the first row's old value
//! (the log has no row for the state before: a fact never corrected is as its column says).

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::new_uid;

/// A fact about an entity that a correction may change: its entity kind (which is also its
/// table) and its column there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    MakerCountry,
    WeaponOriginCountry,
    WeaponType,
    PartCategory,
}

impl Fact {
    pub const ALL: [Fact; 4] = [
        Fact::MakerCountry,
        Fact::WeaponOriginCountry,
        Fact::WeaponType,
        Fact::PartCategory,
    ];

    /// The entity kind as the log names it, which is also the entity's table.
    pub fn kind(self) -> &'static str {
        match self {
            Fact::MakerCountry => "organisation",
            Fact::WeaponOriginCountry | Fact::WeaponType => "weapon",
            Fact::PartCategory => "part",
        }
    }

    /// The entity's column holding the fact, as the log's `field` names it.
    pub fn field(self) -> &'static str {
        match self {
            Fact::MakerCountry => "country",
            Fact::WeaponOriginCountry => "origin_country",
            Fact::WeaponType => "type",
            Fact::PartCategory => "category",
        }
    }

    /// The fact a log row names, if it is one of ours.
    pub fn from_names(kind: &str, field: &str) -> Option<Fact> {
        Fact::ALL
            .into_iter()
            .find(|f| f.kind() == kind && f.field() == field)
    }

    /// The SQL expression of an entity's name in its table: a part's number, else its name.
    fn name_column(self) -> &'static str {
        match self.kind() {
            "part" => "coalesce(part_number, name)",
            _ => "name",
        }
    }

    /// SQL naming an entity of this kind whose id is `id` (an SQL expression), for messages.
    fn name_sql(self, id: &str) -> String {
        format!(
            "(SELECT {} FROM {} WHERE id = {id})",
            self.name_column(),
            self.kind()
        )
    }
}

/// A correction as the log keeps it: who, why, what shows it, when (and its uid when it came
/// from another catalogue, else a new one).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub uid: Option<&'a str>,
    pub author: &'a str,
    pub reason: &'a str,
    pub evidence_url: Option<&'a str>,
    pub evidence_file: Option<&'a str>,
    pub evidence_sha256: Option<&'a str>,
    pub at: &'a str,
}

/// The fact's value on entity `id` now (None: unknown, or no such entity).
pub fn current(conn: &Connection, fact: Fact, id: i64) -> Result<Option<String>> {
    // the table and column are the constants of Fact; the id is a parameter
    let value = conn
        .query_row(
            &format!("SELECT {} FROM {} WHERE id = ?1", fact.field(), fact.kind()),
            [id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?;
    Ok(value.flatten())
}

/// The uid and name of entity `id` of the fact's kind (a part's number, else its name).
pub fn uid_and_name(conn: &Connection, fact: Fact, id: i64) -> Result<(String, String)> {
    Ok(conn.query_row(
        &format!(
            "SELECT uid, {} FROM {} WHERE id = ?1",
            fact.name_column(),
            fact.kind()
        ),
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        },
    )?)
}

/// Sets the fact on entity `id` to `new` and appends the change (from what the column held) to
/// the log, in the caller's transaction; returns the log row's uid.
pub fn correct(conn: &Connection, fact: Fact, id: i64, new: &str, e: &Entry) -> Result<String> {
    let old = current(conn, fact, id)?;
    let uid = e.uid.map_or_else(new_uid, str::to_string);
    conn.execute(
        "INSERT INTO entity_revision (uid, entity_kind, entity_id, field, old_value, new_value,
                                      author, reason, evidence_url, evidence_file, evidence_sha256, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            uid,
            fact.kind(),
            id,
            fact.field(),
            old,
            new,
            e.author,
            e.reason.trim(),
            e.evidence_url,
            e.evidence_file,
            e.evidence_sha256,
            e.at
        ],
    )?;
    conn.execute(
        &format!(
            "UPDATE {} SET {} = ?2 WHERE id = ?1",
            fact.kind(),
            fact.field()
        ),
        params![id, new],
    )?;
    Ok(uid)
}

/// The countries the findings of maker `id` state for it themselves, other than `country`,
/// with how many findings state each: `report origin --by hq` counts a finding under the
/// country it states, so a correction of the maker's country does not move those.
pub fn stated_otherwise(conn: &Connection, id: i64, country: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT o.manufacturer_country, count(*) FROM observation o
           JOIN part_spelling ps ON ps.id = o.part_spelling_id
           JOIN part p ON p.id = ps.part_id
          WHERE p.manufacturer_id = ?1 AND o.retracted = 0
            AND o.manufacturer_country IS NOT NULL AND o.manufacturer_country <> ?2
          GROUP BY 1 ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![id, country], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `check`: each corrected fact's column equals its log replayed (the latest row's new value),
/// and each row starts from the value the row before it left (else the column was changed
/// outside `correct` between them).
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for fact in Fact::ALL {
        let (kind, field) = (fact.kind(), fact.field());
        // the table and column are the constants of Fact
        let sql = format!(
            "SELECT e.uid, {name}, e.{field}, r.new_value, r.uid FROM {kind} e
               JOIN entity_revision r ON r.entity_id = e.id AND r.entity_kind = ?1 AND r.field = ?2
                AND r.id = (SELECT max(q.id) FROM entity_revision q
                             WHERE q.entity_kind = ?1 AND q.field = ?2 AND q.entity_id = e.id)
              WHERE e.{field} IS NOT r.new_value
              ORDER BY e.id",
            name = fact.name_sql("e.id")
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![kind, field], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (uid, name, now, logged, entry) = row?;
            out.push(format!(
                "entity revision: {kind} {} ({uid}) has {field} {} but its corrections log says {logged} (entry {entry}): the column was changed outside `correct`",
                name.unwrap_or_default(),
                now.as_deref().unwrap_or("(none)")
            ));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT r.uid, r.entity_kind, r.entity_id, r.field, r.old_value, p.new_value
           FROM entity_revision r
           JOIN entity_revision p ON p.id = (SELECT max(q.id) FROM entity_revision q
                                              WHERE q.entity_kind = r.entity_kind AND q.entity_id = r.entity_id
                                                AND q.field = r.field AND q.id < r.id)
          WHERE r.old_value IS NOT p.new_value
          ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (entry, kind, id, field, old, before) = row?;
        let named = match Fact::from_names(&kind, &field) {
            Some(fact) => uid_and_name(conn, fact, id)
                .map(|(uid, name)| format!("{name} ({uid})"))
                .unwrap_or_else(|_| format!("row {id}")),
            None => format!("row {id}"),
        };
        out.push(format!(
            "entity revision: entry {entry} changed {kind} {named}'s {field} from {}, but the entry before it left {before}: the column was changed outside `correct` between them",
            old.as_deref().unwrap_or("(none)")
        ));
    }
    Ok(out)
}

/// `--as-of`: every corrected fact of the shadowed entity tables (`as_of::shadow`, with
/// `entity_revision` shadowed too) as it stood at the end of `day`: the latest new value
/// recorded by then, else the value before the first correction.
pub fn as_they_stood(conn: &Connection, day: &str) -> Result<()> {
    for fact in Fact::ALL {
        let (kind, field) = (fact.kind(), fact.field());
        // temp.entity_revision holds the rows recorded by `day`, main.entity_revision all; only
        // the entities corrected after `day` differ from their column now
        conn.execute(
            &format!(
                "UPDATE temp.{kind} SET {field} = coalesce(
                    (SELECT r.new_value FROM temp.entity_revision r
                      WHERE r.entity_kind = ?1 AND r.field = ?2 AND r.entity_id = {kind}.id
                      ORDER BY r.id DESC LIMIT 1),
                    (SELECT r.old_value FROM main.entity_revision r
                      WHERE r.entity_kind = ?1 AND r.field = ?2 AND r.entity_id = {kind}.id
                      ORDER BY r.id LIMIT 1))
                  WHERE EXISTS (SELECT 1 FROM main.entity_revision l
                                 WHERE l.entity_kind = ?1 AND l.field = ?2 AND l.entity_id = {kind}.id
                                   AND substr(l.recorded_at, 1, length(?3)) > ?3)"
            ),
            params![kind, field, day],
        )?;
    }
    Ok(())
}

/// A correction as a history event (the columns of `correction::history`): when, who, why,
/// and `kind name: field: before -> after` with what shows it.
pub fn event_sql() -> String {
    let names: Vec<String> = Fact::ALL
        .iter()
        .map(|f| {
            format!(
                "WHEN r.entity_kind = '{}' AND r.field = '{}' THEN {}",
                f.kind(),
                f.field(),
                f.name_sql("r.entity_id")
            )
        })
        .collect();
    format!(
        "SELECT r.recorded_at AS at, 3 AS rank, r.id AS seq, 'correct ' || r.entity_kind AS event,
                NULL AS finding, r.author AS author, r.reason AS reason,
                r.entity_kind || ' ' || coalesce(CASE {} END, r.entity_id) || ': ' || r.field || ': '
                  || coalesce(r.old_value, '(none)') || ' -> ' || r.new_value
                  || coalesce(' evidence ' || r.evidence_url, '')
                  || coalesce(' evidence file ' || r.evidence_file || ' sha256:' || r.evidence_sha256, '') AS detail,
                r.uid AS uid
         FROM entity_revision r",
        names.join(" ")
    )
}

/// One row of the log, its entity named by uid and name (for exchange between catalogues).
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub uid: String,
    pub fact: Fact,
    pub entity_id: i64,
    pub entity_uid: String,
    pub entity_name: String,
    pub old_value: Option<String>,
    pub new_value: String,
    pub author: String,
    pub reason: String,
    pub evidence_url: Option<String>,
    pub evidence_file: Option<String>,
    pub evidence_sha256: Option<String>,
    pub recorded_at: String,
}

impl Logged {
    /// The row as an export's JSON object of type `entity_revision`.
    pub fn to_json(&self) -> Value {
        json!({"type": "entity_revision", "uid": self.uid,
            "entity_kind": self.fact.kind(), "entity": self.entity_uid,
            "entity_name": self.entity_name, "field": self.fact.field(),
            "old_value": self.old_value, "new_value": self.new_value,
            "author": self.author, "reason": self.reason,
            "evidence_url": self.evidence_url, "evidence_file": self.evidence_file,
            "evidence_sha256": self.evidence_sha256, "recorded_at": self.recorded_at})
    }
}

/// The rows of the log whose entity `among` (an SQL condition on `e`, the entity's row) admits,
/// in log order.
fn logged_where(conn: &Connection, among: &dyn Fn(Fact) -> String) -> Result<Vec<Logged>> {
    let mut out = Vec::new();
    for fact in Fact::ALL {
        // the table, columns and conditions are constants of this module
        let sql = format!(
            "SELECT r.id, r.uid, e.id, e.uid, {name}, r.old_value, r.new_value, r.author, r.reason,
                    r.evidence_url, r.evidence_file, r.evidence_sha256, r.recorded_at
               FROM entity_revision r JOIN {kind} e ON e.id = r.entity_id
              WHERE r.entity_kind = ?1 AND r.field = ?2 AND ({among})",
            kind = fact.kind(),
            name = fact.name_sql("e.id"),
            among = among(fact)
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![fact.kind(), fact.field()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Logged {
                    uid: r.get(1)?,
                    fact,
                    entity_id: r.get(2)?,
                    entity_uid: r.get(3)?,
                    entity_name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    old_value: r.get(5)?,
                    new_value: r.get(6)?,
                    author: r.get(7)?,
                    reason: r.get(8)?,
                    evidence_url: r.get(9)?,
                    evidence_file: r.get(10)?,
                    evidence_sha256: r.get(11)?,
                    recorded_at: r.get(12)?,
                },
            ))
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(out.into_iter().map(|(_, l)| l).collect())
}

/// The whole log, in order (what `import-catalogue` reads from the other catalogue).
pub fn log(conn: &Connection) -> Result<Vec<Logged>> {
    logged_where(conn, &|_| "1".to_string())
}

/// The corrections of the entities the selected findings (`export::select`) name, or of an
/// entity merged into one of them, as JSON objects of type `entity_revision` in log order: what
/// an export carries so a correction travels with the findings it bears on.
pub fn exported(conn: &Connection) -> Result<Vec<Value>> {
    const NAMED: &str = "FROM temp.selected sel JOIN observation o ON o.id = sel.id
        JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id
        JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
        LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id";
    let among = |fact: Fact| {
        let ids = match fact.kind() {
            "organisation" => {
                format!("SELECT p.manufacturer_id {NAMED} UNION SELECT os.organisation_id {NAMED}")
            }
            "weapon" => format!("SELECT ws.weapon_id {NAMED}"),
            _ => format!("SELECT ps.part_id {NAMED}"),
        };
        format!("e.id IN ({ids}) OR e.merged_into IN ({ids})")
    };
    Ok(logged_where(conn, &among)?
        .iter()
        .map(Logged::to_json)
        .collect())
}

/// The uid of the latest entry on a fact of entity `id`, with the value it set; None when the
/// fact was never corrected here.
pub fn latest(conn: &Connection, fact: Fact, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT uid, new_value FROM entity_revision
              WHERE entity_kind = ?1 AND field = ?2 AND entity_id = ?3 ORDER BY id DESC LIMIT 1",
            params![fact.kind(), fact.field(), id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The highest row id of each entity table now, by kind: an entity with a higher id after an
/// import was added by it.
pub fn newest_ids(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    ["organisation", "weapon", "part"]
        .into_iter()
        .map(|kind| {
            // the table names are the constants above
            let max: i64 = conn.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {kind}"),
                [],
                |r| r.get(0),
            )?;
            Ok((kind, max))
        })
        .collect()
}

/// Appends an entry carried from another catalogue as it was made there (uid, author, reason,
/// evidence URL, time), for entity `id` here whose column already holds its value: the entity
/// came in with this import, and its record comes with it.
pub fn carry(conn: &Connection, id: i64, l: &Logged) -> Result<()> {
    conn.execute(
        "INSERT INTO entity_revision (uid, entity_kind, entity_id, field, old_value, new_value,
                                      author, reason, evidence_url, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            l.uid,
            l.fact.kind(),
            id,
            l.fact.field(),
            l.old_value,
            l.new_value,
            l.author,
            l.reason,
            l.evidence_url,
            l.recorded_at
        ],
    )?;
    Ok(())
}

/// Whether the log holds an entry with this uid (one carried in from another catalogue).
pub fn has_entry(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM entity_revision WHERE uid = ?1",
            [uid],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The row id of an entity of the fact's kind by its exact uid, following merges to the entity
/// that stands (a correction carried in applies to it, as one made here would).
pub fn entity_by_uid(conn: &Connection, fact: Fact, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT coalesce(merged_into, id) FROM {} WHERE uid = ?1",
                fact.kind()
            ),
            [uid],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_is_found_by_its_names_and_no_other_pair_is() {
        for fact in Fact::ALL {
            assert_eq!(Fact::from_names(fact.kind(), fact.field()), Some(fact));
        }
        assert_eq!(Fact::from_names("organisation", "name"), None);
        assert_eq!(Fact::from_names("part", "country"), None);
    }
}
