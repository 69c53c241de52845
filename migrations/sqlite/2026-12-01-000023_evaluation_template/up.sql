-- The evaluation template's version a published report states (the association's are 0.9.2),
-- kept as the report wrote it beside the checklist version its marks were checked against.
ALTER TABLE evaluations ADD COLUMN template_version TEXT;
