-- Schema version 5: the value checks of three tables written once per finding are spelled as
-- comparisons. SQLite evaluates `x IN (three or more constants)` in a CHECK by building a
-- temporary table on every insert, about a tenth of a bulk import's time; `x = 'a' OR x = 'b'`
-- allows exactly the same values and costs nothing.
--
-- A table's constraints change only by rebuilding it, the way SQLite documents
-- (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
-- create the new table, copy the rows, drop the old one, rename, recreate its indexes. Editing
-- sqlite_schema in place (`writable_schema`) is what SQLite's defensive mode forbids, and every
-- connection runs in it (src/db/mod.rs). The program switches foreign keys off around this step
-- and runs `foreign_key_check` before committing. The views name these tables, and a rename
-- checks every view, so they are dropped first and made again, as they were, at the end.
DROP VIEW findings;
DROP VIEW origin_by_hq_country;

CREATE TABLE organisation_v5 (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'manufacturer'
               CHECK (role = 'manufacturer' OR role = 'distributor' OR role = 'assembler' OR role = 'other'),
    country    TEXT REFERENCES country(code),
    created_at TEXT NOT NULL,
    merged_into INTEGER REFERENCES organisation(id)
) STRICT;
INSERT INTO organisation_v5 (id, uid, name, role, country, created_at, merged_into)
     SELECT id, uid, name, role, country, created_at, merged_into FROM organisation;
DROP TABLE organisation;
ALTER TABLE organisation_v5 RENAME TO organisation;
CREATE INDEX organisation_country ON organisation(country);
CREATE INDEX organisation_name ON organisation(name);

CREATE TABLE source_v5 (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL
                 CHECK (kind = 'photo' OR kind = 'video' OR kind = 'document' OR kind = 'report' OR kind = 'webpage' OR kind = 'other'),
    url          TEXT,
    file_name    TEXT,
    sha256       TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    publisher    TEXT,
    title        TEXT,
    published_on TEXT,
    key          TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    CHECK (url IS NOT NULL OR sha256 IS NOT NULL OR publisher IS NOT NULL OR title IS NOT NULL)
) STRICT;
INSERT INTO source_v5 (id, uid, kind, url, file_name, sha256, publisher, title, published_on, key, created_at)
     SELECT id, uid, kind, url, file_name, sha256, publisher, title, published_on, key, created_at FROM source;
DROP TABLE source;
ALTER TABLE source_v5 RENAME TO source;

CREATE TABLE observation_v5 (
    id                       INTEGER PRIMARY KEY,
    uid                      TEXT NOT NULL UNIQUE,
    part_spelling_id         INTEGER NOT NULL REFERENCES part_spelling(id),
    organisation_spelling_id INTEGER REFERENCES organisation_spelling(id),
    weapon_spelling_id       INTEGER NOT NULL REFERENCES weapon_spelling(id),
    unit_id                  INTEGER REFERENCES weapon_unit(id),
    component_text           TEXT,
    marking                  TEXT,
    date_code                TEXT,
    lot                      TEXT,
    production_country       TEXT REFERENCES country(code),
    manufacturer_country     TEXT REFERENCES country(code),
    observed_on              TEXT,
    confidence               TEXT CHECK (confidence = 'high' OR confidence = 'medium' OR confidence = 'low'),
    investigator             TEXT,
    notes                    TEXT,
    logged_at                TEXT NOT NULL,
    import_id                INTEGER REFERENCES import_batch(id),
    fingerprint              BLOB NOT NULL UNIQUE
) STRICT;
INSERT INTO observation_v5 (id, uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, unit_id,
                            component_text, marking, date_code, lot, production_country, manufacturer_country,
                            observed_on, confidence, investigator, notes, logged_at, import_id, fingerprint)
     SELECT id, uid, part_spelling_id, organisation_spelling_id, weapon_spelling_id, unit_id,
            component_text, marking, date_code, lot, production_country, manufacturer_country,
            observed_on, confidence, investigator, notes, logged_at, import_id, fingerprint
       FROM observation;
DROP TABLE observation;
ALTER TABLE observation_v5 RENAME TO observation;
CREATE INDEX observation_part_spelling ON observation(part_spelling_id);
CREATE INDEX observation_weapon_spelling ON observation(weapon_spelling_id);
CREATE INDEX observation_unit ON observation(unit_id);

-- the views as version 4 made them
CREATE VIEW findings AS
SELECT o.uid AS observation_uid,
       w.name AS weapon,
       ws.text AS weapon_as_logged,
       u.serial AS unit_serial,
       u.found_on,
       u.found_at,
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

CREATE VIEW origin_by_hq_country AS
SELECT coalesce(o.manufacturer_country, m.country) AS hq_country,
       c.name AS country_name,
       count(*) AS observations,
       count(DISTINCT p.id) AS parts,
       count(DISTINCT p.manufacturer_id) AS manufacturers
FROM observation o
JOIN part_spelling ps ON ps.id = o.part_spelling_id
JOIN part p ON p.id = ps.part_id
LEFT JOIN organisation m ON m.id = p.manufacturer_id
LEFT JOIN country c ON c.code = coalesce(o.manufacturer_country, m.country)
GROUP BY 1;
