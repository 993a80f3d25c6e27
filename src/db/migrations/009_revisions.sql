-- Version 9: revisions (issue 16). Amending a finding records what it stated before and after,
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
