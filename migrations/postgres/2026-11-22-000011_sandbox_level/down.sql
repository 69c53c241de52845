-- Removes the 2025 catalogue, which needs the sandbox level; refused (a foreign key or check
-- violation) while any project or product is pinned to it or at the sandbox level. The
-- catalogue is seeded again by the next start on the newer schema.
DELETE FROM requirements WHERE catalogue_version = 'os2-styringsmodel-2025';
DELETE FROM catalogue_versions WHERE version = 'os2-styringsmodel-2025';
ALTER TABLE evaluations
    DROP CONSTRAINT evaluations_level_check,
    ADD CONSTRAINT evaluations_level_check CHECK (level IN ('N1','N2','N3')),
    DROP CONSTRAINT evaluations_recommended_level_check,
    ADD CONSTRAINT evaluations_recommended_level_check CHECK (recommended_level IN ('N1','N2','N3'));
ALTER TABLE products
    DROP CONSTRAINT products_level_check,
    ADD CONSTRAINT products_level_check CHECK (level IN ('N1','N2','N3'));
ALTER TABLE approvals
    DROP CONSTRAINT approvals_level_check,
    ADD CONSTRAINT approvals_level_check CHECK (level IN ('N1','N2','N3'));
ALTER TABLE projects
    DROP CONSTRAINT projects_level_check,
    ADD CONSTRAINT projects_level_check CHECK (level IS NULL OR level IN ('N1','N2','N3'));
ALTER TABLE requirements
    DROP CONSTRAINT requirements_level_check,
    ADD CONSTRAINT requirements_level_check CHECK (level IN ('N1','N2','N3')),
    DROP CONSTRAINT requirements_max_level_check,
    ADD CONSTRAINT requirements_max_level_check
        CHECK (max_level IS NULL OR max_level IN ('N1','N2','N3')),
    DROP COLUMN computed_as,
    DROP COLUMN recommended;
ALTER TABLE catalogue_versions DROP COLUMN levels;
