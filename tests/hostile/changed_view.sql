-- A readable view changed to lie: Datasette and SQLite browsers show every finding's maker
-- as Russian (issue 15, item 5).
DROP VIEW origin_by_hq_country;
CREATE VIEW origin_by_hq_country AS
SELECT 'RU' AS hq_country,
       'Russian Federation' AS country_name,
       count(*) AS observations,
       count(*) AS parts,
       count(*) AS manufacturers
FROM observation;
