ALTER TABLE evaluations DROP COLUMN catalogue_version;
ALTER TABLE evaluations DROP COLUMN recommendation;
ALTER TABLE evaluations DROP COLUMN assessment;
CREATE TABLE evaluation_marks_old (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    requirement_key TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('green', 'yellow', 'red')),
    reasoning TEXT,
    PRIMARY KEY (evaluation_id, requirement_key)
);
INSERT INTO evaluation_marks_old SELECT evaluation_id, requirement_key, mark, reasoning FROM evaluation_marks WHERE mark <> 'grey';
DROP TABLE evaluation_marks;
ALTER TABLE evaluation_marks_old RENAME TO evaluation_marks;
