-- An evaluation marks every requirement of the checklist, and one that does not apply to the
-- product is grey (*ikke relevant*).
ALTER TABLE evaluation_marks DROP CONSTRAINT evaluation_marks_mark_check;
ALTER TABLE evaluation_marks ADD CONSTRAINT evaluation_marks_mark_check
    CHECK (mark IN ('green', 'yellow', 'red', 'grey'));

-- The report the association publishes: its overall assessment and recommendation beside the
-- conclusion (its resumé), and the checklist version (template) it was marked against.
ALTER TABLE evaluations ADD COLUMN assessment TEXT;
ALTER TABLE evaluations ADD COLUMN recommendation TEXT;
ALTER TABLE evaluations ADD COLUMN catalogue_version TEXT;
-- A mark read from a published report keeps every column of its row (JSON: [{header, text}]).
ALTER TABLE evaluation_marks ADD COLUMN report_columns TEXT;
UPDATE evaluations SET catalogue_version = (
    SELECT p.catalogue_version FROM products p WHERE p.id = evaluations.product_id
);
