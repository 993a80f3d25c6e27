-- Version 12 (issue 16): corrections of facts about an entity itself (a maker's headquarters
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
