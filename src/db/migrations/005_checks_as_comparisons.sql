-- Schema version 5: the value checks of three tables written once per finding are spelled as
-- comparisons. SQLite evaluates `x IN (three or more constants)` in a CHECK by building a
-- temporary table on every insert, about a tenth of a bulk import's time; `x = 'a' OR x = 'b'`
-- allows exactly the same values and costs nothing. Only the text of the constraints changes,
-- which SQLite documents as safe to edit in place (https://sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"): no row is rewritten, and every row already
-- satisfies the new checks. The program bumps schema_version afterwards (src/db/mod.rs).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (role IN (''manufacturer'', ''distributor'', ''assembler'', ''other''))',
                          'CHECK (role = ''manufacturer'' OR role = ''distributor'' OR role = ''assembler'' OR role = ''other'')')
 WHERE type = 'table' AND name = 'organisation';
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''photo'', ''video'', ''document'', ''report'', ''webpage'', ''other''))',
                          'CHECK (kind = ''photo'' OR kind = ''video'' OR kind = ''document'' OR kind = ''report'' OR kind = ''webpage'' OR kind = ''other'')')
 WHERE type = 'table' AND name = 'source';
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (confidence IN (''high'', ''medium'', ''low''))',
                          'CHECK (confidence = ''high'' OR confidence = ''medium'' OR confidence = ''low'')')
 WHERE type = 'table' AND name = 'observation';
PRAGMA writable_schema = OFF;
