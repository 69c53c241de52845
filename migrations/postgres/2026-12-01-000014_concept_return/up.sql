-- Why the idea was last sent back to the idea stage (tilbageløb): by the business manager
-- before submission, or by the board; the owner reads it while reworking the idea.
ALTER TABLE project_descriptions ADD COLUMN return_reason TEXT;
