ALTER TABLE requirements DROP COLUMN not_for_adoptions;
