-- The association's self-assessment form answers each item `Ja`, `Nej`, `Ikke relevant`,
-- `Ved ikke` or `Planlagt` (its `statusChoices`); the first check knew three of them.
ALTER TABLE self_assessment_answers DROP CONSTRAINT self_assessment_answers_answer_check;
ALTER TABLE self_assessment_answers ADD CONSTRAINT self_assessment_answers_answer_check
    CHECK (answer IS NULL OR answer IN ('Ja', 'Nej', 'Ved ikke', 'Ikke relevant', 'Planlagt'));
