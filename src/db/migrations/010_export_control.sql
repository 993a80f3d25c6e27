-- Version 10: export-control classification and screening against designated parties (issue 18;
-- docs/classification.md, docs/screening.md).
-- What a finding's row stated of its part's classification: an HS code (digits only, six to
-- ten) and an ECCN, kept on the observation like its stated category; a part's stated codes
-- are read from its findings and from the classification log below, never overwritten.
ALTER TABLE observation ADD COLUMN stated_hs_code TEXT CHECK (stated_hs_code IS NULL OR (length(stated_hs_code) BETWEEN 6 AND 10 AND stated_hs_code NOT GLOB '*[^0-9]*'));
ALTER TABLE observation ADD COLUMN stated_eccn TEXT;
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
