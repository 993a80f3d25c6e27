-- Version 6: a finding's identity is what its row stated. The part number, unit serial and
-- recovery date a row gave itself are kept on the observation (a unit's serial or date may have
-- come from a published label, and a part spelling's text may be another row's part number
-- where this row only named the component), so an export writes back exactly what was stated and re-importing
-- it adds nothing. Fingerprints are then recomputed from the stated text with runs of white
-- space read as one (src/db/refingerprint.rs).
ALTER TABLE observation ADD COLUMN stated_part_number TEXT;
ALTER TABLE observation ADD COLUMN stated_unit_serial TEXT;
ALTER TABLE observation ADD COLUMN stated_found_on TEXT;
