-- A broken reference (issue 15, item 4): the Lancet finding's weapon spelling is gone, so a
-- reader that pairs rows by position gives the next findings the wrong sources. Run with
-- foreign keys off (the build script and the tests do).
DELETE FROM weapon_spelling WHERE text = 'Lancet';
