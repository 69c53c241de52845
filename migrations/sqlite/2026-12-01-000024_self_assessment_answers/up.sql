-- The association's self-assessment form answers each item `Ja`, `Nej`, `Ikke relevant`,
-- `Ved ikke` or `Planlagt` (its `statusChoices`); the first check knew three of them. SQLite
-- changes a CHECK by rebuilding the table.
CREATE TABLE self_assessment_answers_new (
    self_assessment_id TEXT NOT NULL REFERENCES self_assessments (id),
    item_id TEXT NOT NULL,
    answer TEXT CHECK (answer IS NULL OR answer IN ('Ja', 'Nej', 'Ved ikke', 'Ikke relevant', 'Planlagt')),
    documentation TEXT,
    PRIMARY KEY (self_assessment_id, item_id)
);
INSERT INTO self_assessment_answers_new
    SELECT self_assessment_id, item_id, answer, documentation FROM self_assessment_answers;
DROP TABLE self_assessment_answers;
ALTER TABLE self_assessment_answers_new RENAME TO self_assessment_answers;
