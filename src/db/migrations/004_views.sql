-- Version 4: readable views, so the catalogue opens usefully in Datasette or any SQLite browser.
CREATE VIEW findings AS
SELECT o.uid AS observation_uid,
       w.name AS weapon,
       ws.text AS weapon_as_logged,
       u.serial AS unit_serial,
       u.found_on,
       u.found_at,
       coalesce(p.part_number, p.name) AS part,
       ps.text AS part_as_logged,
       p.category,
       m.name AS manufacturer,
       os.text AS manufacturer_as_logged,
       coalesce(o.manufacturer_country, m.country) AS hq_country,
       o.production_country,
       o.marking,
       o.date_code,
       o.lot,
       o.observed_on,
       o.confidence,
       o.investigator,
       o.notes,
       (SELECT group_concat(coalesce(s.publisher || ': ', '') || coalesce(s.title, s.file_name, '')
                            || coalesce(' <' || s.url || '>', ''), ' | ')
          FROM observation_source x JOIN source s ON s.id = x.source_id
         WHERE x.observation_id = o.id) AS sources
FROM observation o
JOIN part_spelling ps ON ps.id = o.part_spelling_id
JOIN part p ON p.id = ps.part_id
JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id
JOIN weapon w ON w.id = ws.weapon_id
LEFT JOIN weapon_unit u ON u.id = o.unit_id
LEFT JOIN organisation m ON m.id = p.manufacturer_id
LEFT JOIN organisation_spelling os ON os.id = o.organisation_spelling_id;

CREATE VIEW origin_by_hq_country AS
SELECT coalesce(o.manufacturer_country, m.country) AS hq_country,
       c.name AS country_name,
       count(*) AS observations,
       count(DISTINCT p.id) AS parts,
       count(DISTINCT p.manufacturer_id) AS manufacturers
FROM observation o
JOIN part_spelling ps ON ps.id = o.part_spelling_id
JOIN part p ON p.id = ps.part_id
LEFT JOIN organisation m ON m.id = p.manufacturer_id
LEFT JOIN country c ON c.code = coalesce(o.manufacturer_country, m.country)
GROUP BY 1;
