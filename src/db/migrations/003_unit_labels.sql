-- Version 3: a recovered unit keeps the label it was published under and what the label said
-- besides its serial (dates, notes, the sub-assembly the parts came from).
ALTER TABLE weapon_unit ADD COLUMN label TEXT;
ALTER TABLE weapon_unit ADD COLUMN note TEXT;
