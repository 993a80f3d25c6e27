-- Version 9: export-control classification (issue 18; docs/classification.md).
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
