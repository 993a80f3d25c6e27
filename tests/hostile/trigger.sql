-- A trigger planted in a shared catalogue: on the next finding logged into it, every maker's
-- country becomes Russia and every link from a finding to its evidence is deleted (issue 15,
-- item 5). Before the schema was checked on open, our next `log` fired it and `check` saw
-- nothing wrong.
CREATE TRIGGER planted AFTER INSERT ON observation
BEGIN
    UPDATE organisation SET country = 'RU';
    DELETE FROM observation_source;
END;
