-- Version 9 (issue 16): revisions, embargoes, sources' archived copies. Amending a finding records what it stated before and after,
-- with who, when and why; the observation row is updated in place (it keeps its id and uid, so
-- every log naming it stays true). A finding with no revision is its first revision, as
-- logged: every existing finding keeps that state, and its first amendment writes revision 1
-- (the state before, dated when the finding was logged) beside revision 2.
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
