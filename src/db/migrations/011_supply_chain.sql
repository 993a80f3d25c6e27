-- Version 11: the supply chain past the maker (docs/supply-chain.md). Organisations keep one
-- table (makers, suppliers, distributors, exporters, importers, weapon producers): a role belongs
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
