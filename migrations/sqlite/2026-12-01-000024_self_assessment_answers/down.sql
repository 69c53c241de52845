-- The earlier schema has no such answers: they become unanswered.
CREATE TABLE self_assessment_answers_old (
    self_assessment_id TEXT NOT NULL REFERENCES self_assessments (id),
    item_id TEXT NOT NULL,
    answer TEXT CHECK (answer IS NULL OR answer IN ('Ja', 'Nej', 'Ved ikke')),
    documentation TEXT,
    PRIMARY KEY (self_assessment_id, item_id)
);
INSERT INTO self_assessment_answers_old
    SELECT self_assessment_id, item_id,
        CASE WHEN answer IN ('Ikke relevant', 'Planlagt') THEN NULL ELSE answer END,
        documentation
    FROM self_assessment_answers;
DROP TABLE self_assessment_answers;
ALTER TABLE self_assessment_answers_old RENAME TO self_assessment_answers;
