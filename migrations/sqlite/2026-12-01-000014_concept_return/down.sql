ALTER TABLE project_descriptions DROP COLUMN return_reason;
