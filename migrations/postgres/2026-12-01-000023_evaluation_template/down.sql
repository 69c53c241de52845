ALTER TABLE evaluations DROP COLUMN template_version;
