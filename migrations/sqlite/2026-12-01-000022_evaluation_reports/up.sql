-- An evaluation marks every requirement of the checklist, and one that does not apply to the
-- product is grey (*ikke relevant*). SQLite changes a CHECK by rebuilding the table.
CREATE TABLE evaluation_marks_new (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    requirement_key TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('green', 'yellow', 'red', 'grey')),
    reasoning TEXT,
    PRIMARY KEY (evaluation_id, requirement_key)
);
INSERT INTO evaluation_marks_new SELECT evaluation_id, requirement_key, mark, reasoning FROM evaluation_marks;
DROP TABLE evaluation_marks;
ALTER TABLE evaluation_marks_new RENAME TO evaluation_marks;

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
