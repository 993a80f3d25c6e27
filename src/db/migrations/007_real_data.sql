-- Version 7: figures that hold on real published data.
-- A finding states how many identical parts were found in the unit (`quantity`), so two
-- identical rows are one finding stated twice, not two chips.
ALTER TABLE observation ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1);
-- A recovered unit keeps when it was built, at the precision stated, as the first and last day
-- the statement allows (`produced_to` NULL when open-ended: "not earlier than 2021") and the
-- statement as written; and when it was used. Its recovery date and place stay found_on and
-- found_at.
ALTER TABLE weapon_unit ADD COLUMN produced_from TEXT;
ALTER TABLE weapon_unit ADD COLUMN produced_to TEXT;
ALTER TABLE weapon_unit ADD COLUMN produced_as TEXT;
ALTER TABLE weapon_unit ADD COLUMN used_on TEXT;
-- What a row stated of its unit's recovery place, production date and date of use, beside
-- the serial and recovery date v6 keeps: a weapon label may now give a unit those too, and an
-- export writes back what the row itself stated. Before v7 only a row gave a unit its place.
ALTER TABLE observation ADD COLUMN stated_found_at TEXT;
ALTER TABLE observation ADD COLUMN stated_unit_produced TEXT;
ALTER TABLE observation ADD COLUMN stated_unit_used_on TEXT;
UPDATE observation
   SET stated_found_at = (SELECT u.found_at FROM weapon_unit u WHERE u.id = observation.unit_id)
 WHERE unit_id IS NOT NULL;
-- A candidate date code read from the component text or marking (src/report/datecode.rs),
-- kept apart from a stated date code; filled for existing rows by the program (src/db/mod.rs).
ALTER TABLE observation ADD COLUMN marking_date_code TEXT;
-- The category a row stated (a part's category is the first any row gave it; an export writes
-- each row's own). Rows written before v7 take their part's, which is what they exported.
ALTER TABLE observation ADD COLUMN stated_category TEXT;
UPDATE observation
   SET stated_category = (SELECT p.category FROM part_spelling ps JOIN part p ON p.id = ps.part_id
                           WHERE ps.id = observation.part_spelling_id);
-- The readable findings view shows each finding's quantity and when its unit was built and used.
DROP VIEW findings;
-- A label that says only when its unit was built or used ("Missile 3M-14 Kalibr (produced not
-- earlier than 2021)") names a unit too. The unit check is widened by rebuilding the table, as
-- migration 5 rebuilds its tables (see there why not in place): every row satisfies the wider
-- check. The findings view naming it was dropped above and is made again below.
CREATE TABLE weapon_unit_v7 (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    weapon_id  INTEGER NOT NULL REFERENCES weapon(id),
    serial     TEXT,
    found_on   TEXT,
    found_at   TEXT,
    key        TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    origin_weapon_id INTEGER REFERENCES weapon(id),
    label      TEXT,
    note       TEXT,
    produced_from TEXT,
    produced_to   TEXT,
    produced_as   TEXT,
    used_on       TEXT,
    CHECK (serial IS NOT NULL OR found_on IS NOT NULL OR found_at IS NOT NULL OR produced_as IS NOT NULL OR used_on IS NOT NULL)
) STRICT;
INSERT INTO weapon_unit_v7 (id, uid, weapon_id, serial, found_on, found_at, key, created_at, origin_weapon_id,
                            label, note, produced_from, produced_to, produced_as, used_on)
     SELECT id, uid, weapon_id, serial, found_on, found_at, key, created_at, origin_weapon_id,
            label, note, produced_from, produced_to, produced_as, used_on
       FROM weapon_unit;
DROP TABLE weapon_unit;
ALTER TABLE weapon_unit_v7 RENAME TO weapon_unit;
CREATE INDEX weapon_unit_weapon ON weapon_unit(weapon_id);
CREATE VIEW findings AS
SELECT o.uid AS observation_uid,
       w.name AS weapon,
       ws.text AS weapon_as_logged,
       u.serial AS unit_serial,
       u.found_on,
       u.found_at,
       u.produced_as AS unit_produced,
       u.used_on AS unit_used_on,
       coalesce(p.part_number, p.name) AS part,
       ps.text AS part_as_logged,
       p.category,
       m.name AS manufacturer,
       os.text AS manufacturer_as_logged,
       coalesce(o.manufacturer_country, m.country) AS hq_country,
       o.production_country,
       o.marking,
       o.date_code,
       o.lot,
       o.quantity,
       o.observed_on,
       o.confidence,
       o.investigator,
       o.notes,
       (SELECT group_concat(coalesce(s.publisher || ': ', '') || coalesce(s.title, s.file_name, '')
                            || coalesce(' <' || s.url || '>', ''), ' | ')
          FROM observation_source x JOIN source s ON s.id = x.source_id
         WHERE x.observation_id = o.id) AS sources
FROM observation o
JOIN part_spelling ps ON ps.id = o.part_spelling_id
JOIN part p ON p.id = ps.part_id
JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
JOIN weapon w ON w.id = ws.weapon_id
LEFT JOIN weapon_unit u ON u.id = o.unit_id
LEFT JOIN organisation m ON m.id = p.manufacturer_id
LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id;
-- A part whose part number named a family, a technology or a package ("GNSS", "TQFP44") and
-- whose text carried no code is known for one finding alone, and says so.
ALTER TABLE part ADD COLUMN unidentified INTEGER NOT NULL DEFAULT 0 CHECK (unidentified = 0 OR unidentified = 1);
