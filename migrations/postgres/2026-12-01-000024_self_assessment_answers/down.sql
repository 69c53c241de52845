-- The earlier schema has no such answers: they become unanswered.
UPDATE self_assessment_answers SET answer = NULL WHERE answer IN ('Ikke relevant', 'Planlagt');
ALTER TABLE self_assessment_answers DROP CONSTRAINT self_assessment_answers_answer_check;
ALTER TABLE self_assessment_answers ADD CONSTRAINT self_assessment_answers_answer_check
    CHECK (answer IS NULL OR answer IN ('Ja', 'Nej', 'Ved ikke'));
