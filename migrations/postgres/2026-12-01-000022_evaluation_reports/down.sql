ALTER TABLE evaluation_marks DROP COLUMN report_columns;
ALTER TABLE evaluations DROP COLUMN catalogue_version;
ALTER TABLE evaluations DROP COLUMN recommendation;
ALTER TABLE evaluations DROP COLUMN assessment;
DELETE FROM evaluation_marks WHERE mark = 'grey';
ALTER TABLE evaluation_marks DROP CONSTRAINT evaluation_marks_mark_check;
ALTER TABLE evaluation_marks ADD CONSTRAINT evaluation_marks_mark_check
    CHECK (mark IN ('green', 'yellow', 'red'));
