-- The least SQLite itself needs to write a catalogue's rows: every table of an imported
-- catalogue (ATTACHed as `src` by benches/compare.sh) copied by INSERT ... SELECT into an empty
-- one, in the cheapest way SQLite offers — no parsing, no normalising, no lookups, foreign keys
-- off, secondary indexes dropped and built after. Any import into this schema costs at least
-- this; compare.sh times it against the flat `.import` to show what the schema alone costs.
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -65536;
PRAGMA temp_store = MEMORY;
BEGIN;
DROP INDEX organisation_country;
DROP INDEX organisation_name;
DROP INDEX organisation_spelling_key;
DROP INDEX organisation_spelling_organisation;
DROP INDEX weapon_name;
DROP INDEX weapon_spelling_key;
DROP INDEX weapon_spelling_weapon;
DROP INDEX weapon_unit_weapon;
DROP INDEX part_manufacturer;
DROP INDEX part_category;
DROP INDEX part_spelling_key;
DROP INDEX observation_part_spelling;
DROP INDEX observation_weapon_spelling;
DROP INDEX observation_unit;
DROP INDEX observation_source_source;
INSERT INTO main.import_batch SELECT * FROM src.import_batch;
INSERT INTO main.organisation SELECT * FROM src.organisation;
INSERT INTO main.organisation_spelling SELECT * FROM src.organisation_spelling;
INSERT INTO main.weapon SELECT * FROM src.weapon;
INSERT INTO main.weapon_spelling SELECT * FROM src.weapon_spelling;
INSERT INTO main.weapon_unit SELECT * FROM src.weapon_unit;
INSERT INTO main.part SELECT * FROM src.part;
INSERT INTO main.part_spelling SELECT * FROM src.part_spelling;
INSERT INTO main.source SELECT * FROM src.source;
INSERT INTO main.observation SELECT * FROM src.observation;
INSERT INTO main.observation_source SELECT * FROM src.observation_source;
INSERT INTO main.name_search (text, kind, ref) SELECT text, kind, ref FROM src.name_search;
CREATE INDEX organisation_country ON organisation(country);
CREATE INDEX organisation_name ON organisation(name);
CREATE INDEX organisation_spelling_key ON organisation_spelling(key);
CREATE INDEX organisation_spelling_organisation ON organisation_spelling(organisation_id);
CREATE INDEX weapon_name ON weapon(name);
CREATE INDEX weapon_spelling_key ON weapon_spelling(key);
CREATE INDEX weapon_spelling_weapon ON weapon_spelling(weapon_id);
CREATE INDEX weapon_unit_weapon ON weapon_unit(weapon_id);
CREATE INDEX part_manufacturer ON part(manufacturer_id);
CREATE INDEX part_category ON part(category);
CREATE INDEX part_spelling_key ON part_spelling(key);
CREATE INDEX observation_part_spelling ON observation(part_spelling_id);
CREATE INDEX observation_weapon_spelling ON observation(weapon_spelling_id);
CREATE INDEX observation_unit ON observation(unit_id);
CREATE INDEX observation_source_source ON observation_source(source_id);
COMMIT;
