-- Version 2: merges as recorded, reversible decisions.
-- Every reference that a merge may redirect keeps its original value beside it (origin_*), so the
-- current value is always derivable from the origin and the live judgements; entities absorbed
-- by a merge stay, marked merged_into.

ALTER TABLE organisation ADD COLUMN merged_into INTEGER REFERENCES organisation(id);
ALTER TABLE weapon ADD COLUMN merged_into INTEGER REFERENCES weapon(id);
ALTER TABLE part ADD COLUMN merged_into INTEGER REFERENCES part(id);
ALTER TABLE part ADD COLUMN origin_manufacturer_id INTEGER REFERENCES organisation(id);
ALTER TABLE organisation_spelling ADD COLUMN origin_organisation_id INTEGER REFERENCES organisation(id);
ALTER TABLE weapon_spelling ADD COLUMN origin_weapon_id INTEGER REFERENCES weapon(id);
ALTER TABLE part_spelling ADD COLUMN origin_part_id INTEGER REFERENCES part(id);
ALTER TABLE weapon_unit ADD COLUMN origin_weapon_id INTEGER REFERENCES weapon(id);

UPDATE part SET origin_manufacturer_id = manufacturer_id;
UPDATE organisation_spelling SET origin_organisation_id = organisation_id;
UPDATE weapon_spelling SET origin_weapon_id = weapon_id;
UPDATE part_spelling SET origin_part_id = part_id;
UPDATE weapon_unit SET origin_weapon_id = weapon_id;

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
