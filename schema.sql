-- comptrace catalogue schema: the full current version, applied as is by `comptrace init`.
--
-- The catalogue keeps apart what public catalogues conflate:
--   * weapon models (weapon) versus recovered physical items (weapon_unit);
--   * canonical components (part) versus every text they were logged under (part_spelling);
--   * organisations and their spellings (organisation, organisation_spelling);
--   * the maker's headquarters country (organisation.country) versus the country a unit
--     was produced in (observation.production_country);
--   * what was seen (observation) versus what proves it (source, linked many-to-many).
--
-- Observations point at *spellings*, never straight at parts, makers or weapons: the text an
-- investigator typed is the evidence, and which entity a spelling belongs to is a decision that
-- merges may change and undo. Nothing typed is ever lost.
--
-- Every entity has an integer key for joins and a stable uid (UUID v7 text) for exchange.
-- Timestamps are UTC RFC 3339 text; dates are ISO 8601 text at the precision the source gave
-- (YYYY, YYYY-MM or YYYY-MM-DD), so they sort and compare as text.
-- The version of this file is PRAGMA user_version, set by the program (src/db/mod.rs), which
-- migrates older catalogues step by step and refuses newer ones.

-- Catalogue-wide facts: its own uid, when it was created, by which version of the tool.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- ISO 3166-1 reference data, loaded from data/countries.csv at init. Input may name a country by
-- alpha-2, alpha-3 or any of its names; the catalogue stores the alpha-2 code.
CREATE TABLE country (
    code      TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
    alpha3    TEXT NOT NULL UNIQUE CHECK (length(alpha3) = 3),
    numeric   TEXT NOT NULL,
    name      TEXT NOT NULL,
    alt_names TEXT NOT NULL DEFAULT ''   -- '|'-separated
) STRICT, WITHOUT ROWID;

-- One import run: which file (and its SHA-256) brought which observations.
CREATE TABLE import_batch (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    observations_added INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Manufacturers now; distributors and assemblers later. country is the headquarters.
CREATE TABLE organisation (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'manufacturer'
               -- comparisons, not IN (...): see src/db/migrations/005_checks_as_comparisons.sql
               CHECK (role = 'manufacturer' OR role = 'distributor' OR role = 'assembler' OR role = 'other'),
    country    TEXT REFERENCES country(code),
    created_at TEXT NOT NULL,
    -- set when a merge absorbed this organisation into another (derived from judgement)
    merged_into INTEGER REFERENCES organisation(id)
) STRICT;
CREATE INDEX organisation_country ON organisation(country);
CREATE INDEX organisation_name ON organisation(name);

-- Every text an organisation was written as. key is the normalised name (src/normalize.rs):
-- a new spelling whose key is already here joins that organisation.
CREATE TABLE organisation_spelling (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    text            TEXT NOT NULL UNIQUE,
    key             TEXT NOT NULL,
    origin          TEXT NOT NULL DEFAULT 'logged' CHECK (origin IN ('logged', 'alias')),
    created_at      TEXT NOT NULL,
    -- the organisation this spelling was first recorded under; organisation_id is derived
    -- from it and the live merge judgements
    origin_organisation_id INTEGER REFERENCES organisation(id)
) STRICT;
CREATE INDEX organisation_spelling_key ON organisation_spelling(key);
CREATE INDEX organisation_spelling_organisation ON organisation_spelling(organisation_id);

-- A weapon model (Shahed-136, Kh-101, Gerbera ...), not a physical item.
CREATE TABLE weapon (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    origin_country TEXT REFERENCES country(code),
    type           TEXT,
    created_at     TEXT NOT NULL,
    merged_into    INTEGER REFERENCES weapon(id)
) STRICT;
CREATE INDEX weapon_name ON weapon(name);

CREATE TABLE weapon_spelling (
    id         INTEGER PRIMARY KEY,
    weapon_id  INTEGER NOT NULL REFERENCES weapon(id),
    text       TEXT NOT NULL UNIQUE,
    key        TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'logged' CHECK (origin IN ('logged', 'alias')),
    created_at TEXT NOT NULL,
    origin_weapon_id INTEGER REFERENCES weapon(id)
) STRICT;
CREATE INDEX weapon_spelling_key ON weapon_spelling(key);
CREATE INDEX weapon_spelling_weapon ON weapon_spelling(weapon_id);

-- One recovered physical item of a weapon model. key makes re-imports idempotent:
-- the same model, serial, date and place name the same unit. Published labels such as
-- `Orlan-10 UAV No. 14662` give the serial (src/matching/labels.rs).
CREATE TABLE weapon_unit (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    weapon_id  INTEGER NOT NULL REFERENCES weapon(id),
    serial     TEXT,
    found_on   TEXT,
    found_at   TEXT,
    key        TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    origin_weapon_id INTEGER REFERENCES weapon(id),
    label      TEXT,   -- the weapon label as published, when the unit came from one
    note       TEXT,   -- what the label said besides the serial: dates, notes, sub-assembly
    -- when the unit was built, at the precision stated: the first and last day the statement
    -- allows (produced_to NULL when open-ended, "not earlier than 2021"), and the statement as
    -- written; when it was used (schema v7). Recovery is found_on and found_at. A label that
    -- says only when its unit was built or used still names that unit.
    produced_from TEXT,
    produced_to   TEXT,
    produced_as   TEXT,
    used_on       TEXT,
    CHECK (serial IS NOT NULL OR found_on IS NOT NULL OR found_at IS NOT NULL OR produced_as IS NOT NULL OR used_on IS NOT NULL)
) STRICT;
CREATE INDEX weapon_unit_weapon ON weapon_unit(weapon_id);

-- A canonical component: maker (NULL when unknown, a real state of knowledge) plus part number
-- or model name. The same part number from two makers is two parts.
CREATE TABLE part (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    manufacturer_id INTEGER REFERENCES organisation(id),
    part_number     TEXT,
    name            TEXT NOT NULL,
    category        TEXT,
    created_at      TEXT NOT NULL,
    merged_into     INTEGER REFERENCES part(id),
    origin_manufacturer_id INTEGER REFERENCES organisation(id),
    -- 1 for a part known for one finding alone: its part number named a family, a technology
    -- or a package ("GNSS", "CMOS", "TQFP44") and its text carried no code (schema v7;
    -- docs/matching.md). part_number is NULL and the name says "unidentified ...".
    unidentified    INTEGER NOT NULL DEFAULT 0 CHECK (unidentified = 0 OR unidentified = 1)
) STRICT;
CREATE INDEX part_manufacturer ON part(manufacturer_id);
CREATE INDEX part_category ON part(category);

-- Every text a part was logged under: its part number as typed, or its name when it has none.
-- key is the normalised code (src/normalize.rs). A spelling joins the part with the same key
-- and the same maker.
CREATE TABLE part_spelling (
    id         INTEGER PRIMARY KEY,
    part_id    INTEGER NOT NULL REFERENCES part(id),
    text       TEXT NOT NULL,
    key        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('part_number', 'name')),
    created_at TEXT NOT NULL,
    origin_part_id INTEGER REFERENCES part(id),
    UNIQUE (part_id, text)
) STRICT;
CREATE INDEX part_spelling_key ON part_spelling(key);

-- A piece of evidence: a photo, video, document, report or web page, by URL and/or a local file
-- kept in the evidence store by its SHA-256. key identifies it across rows: the URL, else the
-- file hash, else publisher + title + date.
CREATE TABLE source (
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

-- This part seen in this unit (or in this model, when no unit is known), with what was read off
-- it. Raw texts stay as typed; fingerprint (a hash of the finding's fields) makes re-importing
-- the same finding a no-op.
CREATE TABLE observation (
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
    -- the maker's headquarters country as this finding states it; what reports use when the
    -- maker itself is unknown ("a company in England")
    manufacturer_country     TEXT REFERENCES country(code),
    observed_on              TEXT,   -- recovery date, else the earliest source date
    confidence               TEXT CHECK (confidence = 'high' OR confidence = 'medium' OR confidence = 'low'),
    investigator             TEXT,
    notes                    TEXT,
    logged_at                TEXT NOT NULL,
    import_id                INTEGER REFERENCES import_batch(id),
    fingerprint              BLOB NOT NULL UNIQUE,
    -- what the finding's own row stated, where the entities it points at cannot say: its part
    -- number (the spelling's text may be another row's part number where this row named only
    -- the component), and its unit's serial and recovery date (the unit's may have come from a
    -- weapon label) (schema v6)
    stated_part_number       TEXT,
    stated_unit_serial       TEXT,
    stated_found_on          TEXT,
    -- how many identical parts of this kind the unit held (schema v7): identical rows are one
    -- finding stated twice, so two chips are one row with quantity 2
    quantity                 INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
    -- the recovery place, production date and date of use its own row stated (schema v7): the
    -- unit's may have come from a weapon label, as its serial and recovery date may
    stated_found_at          TEXT,
    stated_unit_produced     TEXT,
    stated_unit_used_on      TEXT,
    -- a candidate date code read from the component text or marking (a four-digit group after
    -- a part code, src/report/datecode.rs), kept apart from the date code a row states
    marking_date_code        TEXT,
    -- the category its row stated (schema v7): the part's is the first any row gave it
    stated_category          TEXT,
    -- 1 while the finding's latest entry in the retraction log is a retraction (schema v8):
    -- derived from the log, which `check` replays; listings and reports read only 0
    retracted                INTEGER NOT NULL DEFAULT 0 CHECK (retracted = 0 OR retracted = 1),
    -- ---- classification (schema v10, issue 18; docs/classification.md) ----
    -- the HS code (digits only, six to ten) and ECCN its row stated for its part
    stated_hs_code           TEXT CHECK (stated_hs_code IS NULL OR (length(stated_hs_code) BETWEEN 6 AND 10 AND stated_hs_code NOT GLOB '*[^0-9]*')),
    stated_eccn              TEXT
) STRICT;
CREATE INDEX observation_part_spelling ON observation(part_spelling_id);
CREATE INDEX observation_weapon_spelling ON observation(weapon_spelling_id);
CREATE INDEX observation_unit ON observation(unit_id);

CREATE TABLE observation_source (
    observation_id INTEGER NOT NULL REFERENCES observation(id),
    source_id      INTEGER NOT NULL REFERENCES source(id),
    PRIMARY KEY (observation_id, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX observation_source_source ON observation_source(source_id);

-- Merges are decisions recorded as data (after OpenSanctions' nomenklatura). A merge_batch is
-- one `merge` (or one accepted dedup group, or an `unmerge`, which names what it undoes); each
-- judgement says of two entities: same, different or unsure, with the matcher's score and
-- reasons and the investigator's note. The log is append-only: a later judgement on the same
-- pair supersedes an earlier one. Which entity each spelling belongs to (and merged_into) is
-- derived from the live "same" judgements (src/db/merge.rs); `comptrace check` verifies it.
CREATE TABLE merge_batch (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('part', 'manufacturer', 'weapon')),
    into_id     INTEGER NOT NULL,
    undoes      INTEGER REFERENCES merge_batch(id),
    author      TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE judgement (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('part', 'manufacturer', 'weapon')),
    left_id     INTEGER NOT NULL,
    right_id    INTEGER NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('same', 'different', 'unsure')),
    score       REAL,
    reasons     TEXT,
    note        TEXT,
    author      TEXT,
    batch_id    INTEGER REFERENCES merge_batch(id),
    supersedes  INTEGER REFERENCES judgement(id),
    created_at  TEXT NOT NULL,
    CHECK (left_id <> right_id)
) STRICT;
CREATE INDEX judgement_pair ON judgement(kind, left_id, right_id);
CREATE INDEX judgement_batch ON judgement(batch_id);

-- Corrections on the record (schema v8): a finding is retracted and unretracted by appending to
-- this log, never by deleting it, with who, when, why and what shows it wrong. Retracting a
-- source is logged too and retracts nothing by itself (`retract-source` lists the findings that
-- rest on it alone). observation.retracted is derived from it (src/db/correction.rs).
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
-- ---- classification (schema v10, issue 18; docs/classification.md) ----
-- Classifications stated by `comptrace classify PART --hs CODE --source ...`: appended, never
-- edited; two that disagree are both kept and reported. part_id is the part the statement
-- named; reports follow merges to its root (part.merged_into).
CREATE TABLE classification (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    part_id     INTEGER NOT NULL REFERENCES part(id),
    hs_code     TEXT CHECK (hs_code IS NULL OR (length(hs_code) BETWEEN 6 AND 10 AND hs_code NOT GLOB '*[^0-9]*')),
    eccn        TEXT,
    source      TEXT NOT NULL CHECK (length(trim(source)) > 0),
    note        TEXT,
    author      TEXT NOT NULL CHECK (length(trim(author)) > 0),
    recorded_at TEXT NOT NULL,
    CHECK (hs_code IS NOT NULL OR eccn IS NOT NULL)
) STRICT;
CREATE INDEX classification_part ON classification(part_id);
-- ---- end of classification ----
-- ---- screening against designated parties (schema v10, issue 18; docs/screening.md) ----
-- One version of a list of designated parties as `lists import FILE --name NAME` loaded it.
-- A newer version of the same name replaces it for screening; the older stays on record.
CREATE TABLE designation_list (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    format      TEXT NOT NULL CHECK (format = 'ftm' OR format = 'csv'),
    entries     INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX designation_list_name ON designation_list(name, id);
-- One entry of a version of a list, kept apart from findings: names, aliases, countries and
-- programs as JSON arrays; entry_id is the list's own id, stable across its versions.
CREATE TABLE designated_party (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES designation_list(id),
    entry_id    TEXT NOT NULL,
    schema      TEXT NOT NULL,
    name        TEXT NOT NULL,
    aliases     TEXT NOT NULL DEFAULT '[]',
    countries   TEXT NOT NULL DEFAULT '[]',
    programs    TEXT NOT NULL DEFAULT '[]',
    listed_on   TEXT,
    source_url  TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (list_id, entry_id)
) STRICT;
-- The investigator's decisions on screening candidates, appended like merge judgements (a
-- later decision on the same organisation and entry supersedes the earlier one). Kept in a
-- table of their own: the judgement table's kinds are a CHECK that only a rebuild could widen.
CREATE TABLE screening_decision (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    list_name       TEXT NOT NULL,
    entry_id        TEXT NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict = 'match' OR verdict = 'no match' OR verdict = 'unsure'),
    score           REAL,
    reasons         TEXT,
    note            TEXT,
    author          TEXT NOT NULL CHECK (length(trim(author)) > 0),
    supersedes      INTEGER REFERENCES screening_decision(id),
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX screening_decision_pair ON screening_decision(organisation_id, list_name, entry_id);
-- ---- end of screening ----

-- ===== Schema v11: the supply chain past the maker (src/db/migrations/011_supply_chain.sql) =====
-- Organisations keep one table (makers, suppliers, distributors, exporters, importers, weapon producers): a role belongs
-- to a link, never to the organisation, since a distributor in one chain may be an importer in
-- another. Every row here is a fact entered over time and carries recorded_at (the clock's UTC
-- time, COMPTRACE_NOW in tests), so a later --as-of can show the chain as it stood.

-- A request for a trace, sent to an organisation (a maker, then the distributor it names ...)
-- about findings; due 28 days after it was sent unless stated. Its state is derived from its
-- responses: open while it has none.
CREATE TABLE trace_request (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    sent_on         TEXT NOT NULL,   -- ISO 8601 day
    due_on          TEXT NOT NULL,   -- ISO 8601 day
    subject         TEXT,            -- the lot, marking or question as sent
    author          TEXT NOT NULL CHECK (length(trim(author)) > 0),
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX trace_request_organisation ON trace_request(organisation_id);

CREATE TABLE trace_request_finding (
    trace_request_id INTEGER NOT NULL REFERENCES trace_request(id),
    observation_id   INTEGER NOT NULL REFERENCES observation(id),
    PRIMARY KEY (trace_request_id, observation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX trace_request_finding_observation ON trace_request_finding(observation_id);

-- What came back, appended: the latest response gives the request's status.
CREATE TABLE trace_response (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    trace_request_id INTEGER NOT NULL REFERENCES trace_request(id),
    status           TEXT NOT NULL CHECK (status = 'answered' OR status = 'declined' OR status = 'no_answer'),
    received_on      TEXT,           -- ISO 8601 day
    answer           TEXT,
    evidence_url     TEXT,
    evidence_file    TEXT,
    evidence_sha256  TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
    author           TEXT NOT NULL CHECK (length(trim(author)) > 0),
    recorded_at      TEXT NOT NULL
) STRICT;
CREATE INDEX trace_response_request ON trace_response(trace_request_id);

-- One customs-style record as a file stated it (`shipments import`); each becomes a link.
CREATE TABLE shipment (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    shipped_on       TEXT,
    hs_code          TEXT,
    description      TEXT,
    part_number      TEXT,
    brand            TEXT,
    quantity         INTEGER CHECK (quantity IS NULL OR quantity >= 0),
    value            REAL,
    currency         TEXT CHECK (currency IS NULL OR length(currency) = 3),
    exporter_id      INTEGER NOT NULL REFERENCES organisation(id),
    exporter_country TEXT REFERENCES country(code),
    importer_id      INTEGER NOT NULL REFERENCES organisation(id),
    importer_country TEXT REFERENCES country(code),
    source_id        INTEGER REFERENCES source(id),
    import_id        INTEGER REFERENCES import_batch(id),
    fingerprint      BLOB NOT NULL UNIQUE,
    recorded_at      TEXT NOT NULL
) STRICT;

-- Goods moved from one organisation to another: what (a part, or only a maker's brand; a lot or
-- date code; a quantity), when (at the precision known), where (the countries the goods left
-- and entered, when stated), how it is known and on what evidence. Either end may be unknown
-- (NULL): a supplier named by a published label is known to have supplied the part, not from
-- whom it bought it. part_id and brand_id are origins, as part.origin_manufacturer_id is:
-- readers map them through merged_into.
CREATE TABLE supply_link (
    id                   INTEGER PRIMARY KEY,
    uid                  TEXT NOT NULL UNIQUE,
    from_organisation_id INTEGER REFERENCES organisation(id),
    from_role            TEXT CHECK (from_role IS NULL OR from_role = 'manufacturer' OR from_role = 'supplier' OR from_role = 'distributor' OR from_role = 'exporter' OR from_role = 'importer' OR from_role = 'producer' OR from_role = 'involved'),
    from_country         TEXT REFERENCES country(code),
    to_organisation_id   INTEGER REFERENCES organisation(id),
    to_role              TEXT CHECK (to_role IS NULL OR to_role = 'manufacturer' OR to_role = 'supplier' OR to_role = 'distributor' OR to_role = 'exporter' OR to_role = 'importer' OR to_role = 'producer' OR to_role = 'involved'),
    to_country           TEXT REFERENCES country(code),
    part_id              INTEGER REFERENCES part(id),
    brand_id             INTEGER REFERENCES organisation(id),
    lot                  TEXT,
    date_code            TEXT,
    quantity             INTEGER CHECK (quantity IS NULL OR quantity >= 0),
    value                REAL,
    currency             TEXT CHECK (currency IS NULL OR length(currency) = 3),
    moved_on             TEXT,   -- ISO 8601 at the precision known
    how_known            TEXT NOT NULL CHECK (how_known = 'label' OR how_known = 'trace_answer' OR how_known = 'customs' OR how_known = 'report' OR how_known = 'document'),
    confidence           TEXT CHECK (confidence = 'high' OR confidence = 'medium' OR confidence = 'low'),
    -- what states it: a finding (a published maker label), a trace request's answer, a shipment
    observation_id       INTEGER REFERENCES observation(id),
    trace_request_id     INTEGER REFERENCES trace_request(id),
    shipment_id          INTEGER REFERENCES shipment(id),
    note                 TEXT,
    recorded_at          TEXT NOT NULL,
    CHECK (from_organisation_id IS NOT NULL OR to_organisation_id IS NOT NULL),
    CHECK (part_id IS NOT NULL OR brand_id IS NOT NULL)
) STRICT;
CREATE INDEX supply_link_part ON supply_link(part_id);
CREATE INDEX supply_link_brand ON supply_link(brand_id);
CREATE INDEX supply_link_from ON supply_link(from_organisation_id);
CREATE INDEX supply_link_to ON supply_link(to_organisation_id);
CREATE INDEX supply_link_observation ON supply_link(observation_id);
CREATE INDEX supply_link_trace_request ON supply_link(trace_request_id);
CREATE INDEX supply_link_shipment ON supply_link(shipment_id);

CREATE TABLE supply_link_source (
    supply_link_id INTEGER NOT NULL REFERENCES supply_link(id),
    source_id      INTEGER NOT NULL REFERENCES source(id),
    PRIMARY KEY (supply_link_id, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX supply_link_source_source ON supply_link_source(source_id);

-- Who built a weapon model (or one recovered unit) and where: the chain's last link.
CREATE TABLE weapon_producer (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    weapon_id       INTEGER NOT NULL REFERENCES weapon(id),   -- origin, as weapon_unit's
    unit_id         INTEGER REFERENCES weapon_unit(id),
    organisation_id INTEGER REFERENCES organisation(id),
    stated_as       TEXT,           -- the producer as the finding's row wrote it
    site            TEXT,           -- the production site as stated ("Alabuga SEZ, Yelabuga")
    country         TEXT REFERENCES country(code),
    observation_id  INTEGER REFERENCES observation(id),       -- the finding that stated it
    confidence      TEXT CHECK (confidence = 'high' OR confidence = 'medium' OR confidence = 'low'),
    recorded_at     TEXT NOT NULL,
    CHECK (organisation_id IS NOT NULL OR site IS NOT NULL)
) STRICT;
CREATE INDEX weapon_producer_weapon ON weapon_producer(weapon_id);
CREATE INDEX weapon_producer_organisation ON weapon_producer(organisation_id);
CREATE INDEX weapon_producer_observation ON weapon_producer(observation_id);

CREATE TABLE weapon_producer_source (
    weapon_producer_id INTEGER NOT NULL REFERENCES weapon_producer(id),
    source_id          INTEGER NOT NULL REFERENCES source(id),
    PRIMARY KEY (weapon_producer_id, source_id)
) STRICT, WITHOUT ROWID;
-- ===== end of schema v11 =====

-- Full-text search (trigram, so part-number fragments like '405RGT' match) over every spelling.
-- Filled by the program after each write (src/db/mod.rs, refresh_search_index) rather than by
-- triggers: FTS5 flushes its buffer at every statement of a transaction that touches it, which
-- made bulk imports several times slower. Markings are searched in observation directly.
CREATE VIRTUAL TABLE name_search USING fts5(text, kind UNINDEXED, ref UNINDEXED, tokenize = 'trigram');

-- Readable views for Datasette and SQLite browsers (docs/exchange.md). Nothing reads them
-- back; they are for people. They show only findings that stand (not retracted).
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

-- ===== Schema v9 (issue 16): revisions, embargoes, archived sources ===== Amending a finding records what it stated before
-- and after, with who, when and why; the observation row is updated in place (it keeps its id
-- and uid, so every log naming it stays true). A finding with no revision is its first
-- revision, as logged; its first amendment writes revision 1 (the state before, dated when the
-- finding was logged) beside revision 2.
CREATE TABLE revision (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    observation_id INTEGER NOT NULL REFERENCES observation(id),
    number         INTEGER NOT NULL CHECK (number >= 1),
    -- the observation's columns in this revision (a JSON object, db/revision.rs lists them)
    -- and the ids of the sources it cited (a JSON array): `--as-of` shows the finding as it
    -- stood, `check` compares the latest with the row
    state          TEXT NOT NULL,
    sources        TEXT NOT NULL,
    -- its fingerprint, looked up by import: a file stating an earlier revision adds nothing
    fingerprint    BLOB NOT NULL,
    -- the fields this revision changed, {field: [before, after]}; NULL for revision 1
    changes        TEXT,
    author         TEXT NOT NULL CHECK (length(trim(author)) > 0),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- when this state began to hold in this catalogue (UTC, the program's clock)
    recorded_at    TEXT NOT NULL,
    UNIQUE (observation_id, number)
) STRICT;
CREATE INDEX revision_fingerprint ON revision(fingerprint);

-- Embargoes (issue 16): a finding or a source withheld from public output until a date (a
-- trace request awaiting the maker's right of reply, a source not yet published). A log: the
-- latest entry for an item says until when it is withheld; an entry with no date lifts it.
-- `--public` leaves out every finding under embargo or citing a source under one; `backup`
-- copies the file whole, embargoes and all.
CREATE TABLE embargo (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    -- exactly one of the two: a finding, or a source
    observation_id INTEGER REFERENCES observation(id),
    source_id      INTEGER REFERENCES source(id),
    -- withheld while the day is before this date (YYYY-MM-DD); NULL: the embargo is lifted
    until          TEXT CHECK (until IS NULL OR length(until) = 10),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    author         TEXT NOT NULL CHECK (length(trim(author)) > 0),
    recorded_at    TEXT NOT NULL,
    CHECK ((observation_id IS NULL) <> (source_id IS NULL))
) STRICT;
CREATE INDEX embargo_observation ON embargo(observation_id);
CREATE INDEX embargo_source ON embargo(source_id);

-- Sources: when each was read and an archived copy (issue 16), so a withdrawn page does not take
-- the evidence with it. A log of facts about the source entity: each entry gives the day it was
-- accessed, a saved copy (a page or PDF kept in the evidence store by its SHA-256), or both;
-- the latest entry giving each is current.
CREATE TABLE source_archive (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    source_id      INTEGER NOT NULL REFERENCES source(id),
    accessed_on    TEXT,
    archive_file   TEXT,
    archive_sha256 TEXT CHECK (archive_sha256 IS NULL OR length(archive_sha256) = 64),
    author         TEXT NOT NULL CHECK (length(trim(author)) > 0),
    recorded_at    TEXT NOT NULL,
    CHECK (accessed_on IS NOT NULL OR archive_sha256 IS NOT NULL)
) STRICT;
CREATE INDEX source_archive_source ON source_archive(source_id);

-- ===== Schema v12 (issue 16): entity corrections =====
-- Corrections of facts about an entity itself (a maker's headquarters
-- country, a weapon model's origin country or type, a part's category), with the same history
-- as a finding's amendments. The entity's own column keeps the current value (what every
-- report reads); this log is the record: each correction appends one row per fact it changed,
-- with the value before and after, who, when and why. Nothing here is ever edited.
--
-- No row is written for the state before: a fact never corrected is as the entity's column
-- holds it, and a corrected fact's first row says what it was before (old_value). So every
-- catalogue migrated from an earlier version starts with an empty log, and replaying the log
-- (`check`, `--as-of`) gives: the latest new_value recorded by then, else the first old_value.
-- The row names its entity by the kind (its table) and row id; a merge or unmerge never
-- moves a row: a correction made through a merged name was recorded on the surviving entity.
CREATE TABLE entity_revision (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    -- comparisons, not IN (...): see src/db/migrations/005_checks_as_comparisons.sql
    entity_kind     TEXT NOT NULL
                    CHECK (entity_kind = 'organisation' OR entity_kind = 'weapon' OR entity_kind = 'part'),
    entity_id       INTEGER NOT NULL,
    -- the entity's column: organisation.country, weapon.origin_country, weapon.type, part.category
    field           TEXT NOT NULL
                    CHECK ((entity_kind = 'organisation' AND field = 'country')
                        OR (entity_kind = 'weapon' AND (field = 'origin_country' OR field = 'type'))
                        OR (entity_kind = 'part' AND field = 'category')),
    old_value       TEXT,
    new_value       TEXT NOT NULL CHECK (length(trim(new_value)) > 0),
    author          TEXT NOT NULL CHECK (length(trim(author)) > 0),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- what shows the new value right: a URL, or a file kept in the evidence store by its hash
    evidence_url    TEXT,
    evidence_file   TEXT,
    evidence_sha256 TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
    -- when the new value began to hold in this catalogue (UTC, the program's clock)
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX entity_revision_entity ON entity_revision(entity_kind, entity_id, field);
