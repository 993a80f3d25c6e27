-- Version 7: figures that hold on real published data.
-- A finding states how many identical parts were found in the unit (`quantity`), so two
-- identical rows are one finding stated twice, not two chips.
ALTER TABLE observation ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1);
-- A recovered unit keeps when it was built, at the precision stated, as the first and last day
-- the statement allows (`produced_to` NULL when open-ended: "not earlier than 2021") and the
-- statement as written; and when it was used. Its recovery date and place stay found_on and
-- found_at.
ALTER TABLE weapon_unit ADD COLUMN produced_from TEXT;
ALTER TABLE weapon_unit ADD COLUMN produced_to TEXT;
ALTER TABLE weapon_unit ADD COLUMN produced_as TEXT;
ALTER TABLE weapon_unit ADD COLUMN used_on TEXT;
-- A part whose part number named a family, a technology or a package ("GNSS", "TQFP44") and
-- whose text carried no code is known for one finding alone, and says so.
ALTER TABLE part ADD COLUMN unidentified INTEGER NOT NULL DEFAULT 0 CHECK (unidentified = 0 OR unidentified = 1);
