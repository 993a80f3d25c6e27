-- Not an attack: a table and a view of someone's own, as Datasette users add. Allowed, never
-- read by comptrace, and listed by `check`.
CREATE TABLE my_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO my_notes (note) VALUES ('ask the lab about the Gerbera photo');
CREATE VIEW my_counts AS SELECT count(*) AS findings FROM observation;
