-- Version 13: no change to the tables. The matching rules of this version key some weapon and
-- part spellings differently (colour and shade words, a note that repeats the name, codes read
-- the same split or glued), so every spelling's key is computed again by the program after this
-- step (src/db/mod.rs: `ingest::rekey`), as versions 2 and 3 did. Without it a spelling written
-- before would keep its old key, and the same text imported again would not find it.
--
-- Rule for later versions: a change to a key function (src/normalize.rs, src/matching/) ships
-- with a migration whose step is `ingest::rekey`.
SELECT 1;
