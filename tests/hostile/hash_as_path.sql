-- Hashes that are paths (issue 15, item 1): the Gerbera finding's photo names a file beside
-- the catalogue, the Lancet finding's names /dev/zero; both are 64 characters long, which is
-- all the schema checks.
UPDATE source SET sha256 = './././././././././././././././././././././././././../planted_.sh'
 WHERE id = (SELECT x.source_id FROM observation_source x
               JOIN observation o ON o.id = x.observation_id
               JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
              WHERE ws.text = 'Gerbera');
UPDATE source SET sha256 = '////////////////////////////////////////////////////////dev/zero'
 WHERE id = (SELECT x.source_id FROM observation_source x
               JOIN observation o ON o.id = x.observation_id
               JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
              WHERE ws.text = 'Lancet');
UPDATE source SET key = 'sha256:' || sha256 WHERE length(sha256) = 64;
