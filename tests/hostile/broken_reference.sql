-- Broken references (issue 15, item 4), as a damaged or hand-edited file carries them, written
-- with foreign keys off (the build script and the tests do): the Lancet finding's weapon
-- spelling is gone, so a reader that pairs rows by position gives the next findings the wrong
-- sources; a source row a finding cites is gone (in the tests' catalogue, the one at
-- https://example.org/1/photo); and Orlan-10's stable id is not a UUID.
UPDATE weapon SET uid = 'Orlan-10' WHERE name = 'Orlan-10';
DELETE FROM weapon_spelling WHERE text = 'Lancet';
DELETE FROM source WHERE url = 'https://example.org/1/photo';
