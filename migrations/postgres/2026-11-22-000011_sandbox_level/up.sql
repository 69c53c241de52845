-- The 2025 checklist as a second catalogue version: the sandbox level (`sandkasse`) below N1,
-- recommended requirements that never block, and derived requirements that share a 2016
-- requirement's computation.
ALTER TABLE catalogue_versions ADD COLUMN levels TEXT NOT NULL DEFAULT 'N1,N2,N3';

ALTER TABLE requirements
    ADD COLUMN recommended BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN computed_as TEXT,
    DROP CONSTRAINT requirements_level_check,
    ADD CONSTRAINT requirements_level_check CHECK (level IN ('sandkasse','N1','N2','N3')),
    DROP CONSTRAINT requirements_max_level_check,
    ADD CONSTRAINT requirements_max_level_check
        CHECK (max_level IS NULL OR max_level IN ('sandkasse','N1','N2','N3'));

ALTER TABLE projects
    DROP CONSTRAINT projects_level_check,
    ADD CONSTRAINT projects_level_check
        CHECK (level IS NULL OR level IN ('sandkasse','N1','N2','N3'));

ALTER TABLE approvals
    DROP CONSTRAINT approvals_level_check,
    ADD CONSTRAINT approvals_level_check CHECK (level IN ('sandkasse','N1','N2','N3'));

ALTER TABLE products
    DROP CONSTRAINT products_level_check,
    ADD CONSTRAINT products_level_check CHECK (level IN ('sandkasse','N1','N2','N3'));

ALTER TABLE evaluations
    DROP CONSTRAINT evaluations_level_check,
    ADD CONSTRAINT evaluations_level_check CHECK (level IN ('sandkasse','N1','N2','N3')),
    DROP CONSTRAINT evaluations_recommended_level_check,
    ADD CONSTRAINT evaluations_recommended_level_check
        CHECK (recommended_level IN ('sandkasse','N1','N2','N3'));
