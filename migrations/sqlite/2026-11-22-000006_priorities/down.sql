DROP TABLE priority_scores;
DROP TABLE priority_criteria;
