DROP TABLE evaluation_marks;
DROP TABLE evaluations;
