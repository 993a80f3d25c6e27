-- Version 8: corrections on the record. A finding is retracted (and unretracted) by appending
-- to a log, never by deleting it: who, when, why, and what shows it wrong. Retracting a source
-- is logged too, and retracts nothing by itself (`retract-source` lists the findings that rest
-- on it alone). Nothing is ever deleted or edited in this log.
CREATE TABLE retraction (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    -- exactly one of the two: a finding, or a source
    observation_id INTEGER REFERENCES observation(id),
    source_id      INTEGER REFERENCES source(id),
    action         TEXT NOT NULL CHECK (action = 'retract' OR action = 'unretract'),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- what shows the finding wrong: a web page, or a file kept in the evidence store by hash
    evidence_url    TEXT,
    evidence_file   TEXT,
    evidence_sha256 TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
    author         TEXT NOT NULL CHECK (length(trim(author)) > 0),
    created_at     TEXT NOT NULL,
    CHECK ((observation_id IS NULL) <> (source_id IS NULL))
) STRICT;
CREATE INDEX retraction_observation ON retraction(observation_id);
CREATE INDEX retraction_source ON retraction(source_id);
-- Derived from the log: 1 while the finding's latest entry in it is a retraction. Every
-- listing and report reads only findings with 0; `check` replays the log to prove the flag.
ALTER TABLE observation ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0 CHECK (retracted = 0 OR retracted = 1);
-- The readable views count only findings that stand.
DROP VIEW findings;
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
LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id
WHERE o.retracted = 0;
DROP VIEW origin_by_hq_country;
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
WHERE o.retracted = 0
GROUP BY 1;
-- Who retracted what, for people reading the catalogue in Datasette.
CREATE VIEW retractions AS
SELECT r.uid, r.action, o.uid AS observation_uid, s.uid AS source_uid,
       coalesce(s.url, s.title, s.file_name) AS source, r.reason,
       r.evidence_url, r.evidence_file, r.evidence_sha256, r.author, r.created_at
FROM retraction r
LEFT JOIN observation o ON o.id = r.observation_id
LEFT JOIN source s ON s.id = r.source_id;
