-- The 2025 checklist as a second catalogue version: the sandbox level (`sandkasse`) below N1,
-- recommended requirements that never block, and derived requirements that share a 2016
-- requirement's computation.
--
-- SQLite cannot change a CHECK constraint in place, so the tables that name the levels are
-- rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter): outside diesel's
-- transaction (metadata.toml), with foreign keys off while the old tables are dropped, in a
-- transaction of its own.
PRAGMA foreign_keys = OFF;
BEGIN;

ALTER TABLE catalogue_versions ADD COLUMN levels TEXT NOT NULL DEFAULT 'N1,N2,N3';

CREATE TABLE requirements_rebuilt (
    catalogue_version TEXT NOT NULL REFERENCES catalogue_versions (version),
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('sandkasse','N1','N2','N3')),
    max_level TEXT CHECK (max_level IS NULL OR max_level IN ('sandkasse','N1','N2','N3')),
    theme TEXT NOT NULL CHECK (theme IN ('relevance','form','governance','strategy')),
    kind TEXT NOT NULL CHECK (kind IN ('attestation','document','follow_or_explain','count','derived')),
    gate TEXT NOT NULL CHECK (gate IN ('approval','start','go_live')),
    title_da TEXT NOT NULL,
    title_en TEXT NOT NULL,
    not_applicable_allowed BOOLEAN NOT NULL,
    per_organization BOOLEAN NOT NULL,
    minimum BIGINT,
    recommended BOOLEAN NOT NULL DEFAULT FALSE,
    computed_as TEXT,
    PRIMARY KEY (catalogue_version, key)
);
INSERT INTO requirements_rebuilt (catalogue_version, key, position, level, max_level, theme, kind, gate, title_da, title_en, not_applicable_allowed, per_organization, minimum)
    SELECT catalogue_version, key, position, level, max_level, theme, kind, gate, title_da, title_en, not_applicable_allowed, per_organization, minimum FROM requirements;
DROP TABLE requirements;
ALTER TABLE requirements_rebuilt RENAME TO requirements;

CREATE TABLE projects_rebuilt (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('project', 'adoption')),
    state TEXT NOT NULL CHECK (state IN ('idea','concept','awaiting_approval','approved','returned','rejected','in_progress','paused','cancelled','implemented')),
    level TEXT CHECK (level IS NULL OR level IN ('sandkasse','N1','N2','N3')),
    catalogue_version TEXT REFERENCES catalogue_versions (version),
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),
    intended_funding TEXT NOT NULL CHECK (intended_funding IN ('local', 'os2', 'mixed')),
    approval_round INTEGER NOT NULL,
    -- lower-cased title and summary, computed in Rust (SQLite folds only ASCII).
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO projects_rebuilt (id, title, summary, kind, state, level, catalogue_version, owner_organization_id, intended_funding, approval_round, search_text, version, created_by, created_at, updated_at)
    SELECT id, title, summary, kind, state, level, catalogue_version, owner_organization_id, intended_funding, approval_round, search_text, version, created_by, created_at, updated_at FROM projects;
DROP TABLE projects;
ALTER TABLE projects_rebuilt RENAME TO projects;
CREATE INDEX projects_state_idx ON projects (state, id);
CREATE INDEX projects_level_idx ON projects (level, id);
CREATE INDEX projects_owner_idx ON projects (owner_organization_id, id);

CREATE TABLE approvals_rebuilt (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    approval_round INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('sandkasse','N1','N2','N3')),
    approver TEXT NOT NULL CHECK (approver IN ('forretningsleder', 'board')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'decided')),
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('approve', 'return', 'reject')),
    reason TEXT,
    decided_by TEXT,
    decided_at TIMESTAMP,
    -- A decision recorded from a board meeting's minutes.
    meeting_date DATE,
    members_present TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    subject TEXT NOT NULL DEFAULT 'project'
        CHECK (subject IN ('project', 'steering_group', 'budget', 'cancellation', 'level_change', 'closure', 'change_request')),
    payload TEXT
);
INSERT INTO approvals_rebuilt (id, project_id, approval_round, level, approver, state, outcome, reason, decided_by, decided_at, meeting_date, members_present, version, created_at, subject, payload)
    SELECT id, project_id, approval_round, level, approver, state, outcome, reason, decided_by, decided_at, meeting_date, members_present, version, created_at, subject, payload FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_rebuilt RENAME TO approvals;
CREATE INDEX approvals_state_idx ON approvals (state, approver, id);
CREATE UNIQUE INDEX approvals_one_pending_idx ON approvals (project_id, subject) WHERE state = 'pending';

CREATE TABLE products_rebuilt (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL UNIQUE REFERENCES projects (id),
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('sandkasse','N1','N2','N3')),
    catalogue_version TEXT NOT NULL REFERENCES catalogue_versions (version),
    state TEXT NOT NULL CHECK (state IN ('active', 'closed')),
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),
    closed_reason TEXT,
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO products_rebuilt (id, project_id, name, level, catalogue_version, state, owner_organization_id, closed_reason, search_text, version, created_at, updated_at)
    SELECT id, project_id, name, level, catalogue_version, state, owner_organization_id, closed_reason, search_text, version, created_at, updated_at FROM products;
DROP TABLE products;
ALTER TABLE products_rebuilt RENAME TO products;
CREATE INDEX products_state_idx ON products (state, id);

CREATE TABLE evaluations_rebuilt (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('sandkasse','N1','N2','N3')),
    recommended_level TEXT NOT NULL CHECK (recommended_level IN ('sandkasse','N1','N2','N3')),
    conclusion TEXT NOT NULL,
    -- The board approval a recommended level change became, if it did.
    level_change_approval_id TEXT REFERENCES approvals (id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO evaluations_rebuilt (id, product_id, period, level, recommended_level, conclusion, level_change_approval_id, created_by, created_at)
    SELECT id, product_id, period, level, recommended_level, conclusion, level_change_approval_id, created_by, created_at FROM evaluations;
DROP TABLE evaluations;
ALTER TABLE evaluations_rebuilt RENAME TO evaluations;
CREATE INDEX evaluations_product_idx ON evaluations (product_id, id);
COMMIT;
PRAGMA foreign_keys = ON;
