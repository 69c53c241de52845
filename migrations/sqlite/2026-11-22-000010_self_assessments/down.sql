DROP TABLE self_assessment_answers;
DROP TABLE self_assessments;
