-- Approvals now decide more than projects: a steering group, a budget, a cancellation.
ALTER TABLE approvals ADD COLUMN subject TEXT NOT NULL DEFAULT 'project'
    CHECK (subject IN ('project', 'steering_group', 'budget', 'cancellation', 'level_change', 'closure', 'change_request'));
-- What the approval would put in force (a proposed steering group), as JSON.
ALTER TABLE approvals ADD COLUMN payload TEXT;
DROP INDEX approvals_one_pending_idx;
CREATE UNIQUE INDEX approvals_one_pending_idx ON approvals (project_id, subject) WHERE state = 'pending';

-- The steering group in force. At N2/N3 a row exists only once the board approved (N2) or
-- appointed (N3) it.
CREATE TABLE steering_groups (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    chair_organization_id TEXT REFERENCES organizations (id),
    project_leader_id TEXT REFERENCES people (id),
    -- N1 only: a single project owner instead of seats.
    project_owner_id TEXT REFERENCES people (id),
    updated_at TIMESTAMP NOT NULL
);

-- A seat belongs to an organisation; the representative fills it.
CREATE TABLE steering_seats (
    project_id TEXT NOT NULL REFERENCES projects (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    representative_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, organization_id)
);

CREATE TABLE budgets (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    amount_dkk BIGINT NOT NULL CHECK (amount_dkk >= 0),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    funding TEXT NOT NULL CHECK (funding IN ('local', 'os2', 'mixed')),
    expected_costs TEXT,
    expected_benefits TEXT,
    expected_effects TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'chair_approved', 'approved')),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE progress_reports (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('green', 'amber', 'red')),
    status_reason TEXT,
    progress TEXT NOT NULL,
    budget_dkk BIGINT NOT NULL,
    spent_dkk BIGINT NOT NULL,
    forecast_dkk BIGINT NOT NULL,
    -- JSON array of {name, planned, actual}.
    milestones TEXT NOT NULL,
    risks TEXT,
    reported_by TEXT NOT NULL,
    reported_at TIMESTAMP NOT NULL
);
CREATE INDEX progress_reports_project_idx ON progress_reports (project_id, id);
