-- Adoptions come in on the same terms as projects (report 5.2) and go live through the start
-- and go-live gates; the catalogue says which requirement a finished solution cannot meet, and
-- why. The requirements stay as they were: this only marks the stored versions' one such item.
ALTER TABLE requirements ADD COLUMN not_for_adoptions TEXT;
UPDATE requirements
SET not_for_adoptions = 'An adoption is built already, under its own project model; the association''s model governs the development it runs.'
WHERE (catalogue_version = 'os2-2016' AND key = 'project_model_follow_or_explain')
   OR (catalogue_version = 'os2-styringsmodel-2025' AND key = 'G8');
