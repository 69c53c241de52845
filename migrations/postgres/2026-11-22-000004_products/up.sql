-- Products: what an implemented project (or an approved adoption) becomes.
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL UNIQUE REFERENCES projects (id),
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('N1', 'N2', 'N3')),
    catalogue_version TEXT NOT NULL REFERENCES catalogue_versions (version),
    state TEXT NOT NULL CHECK (state IN ('active', 'closed')),
    owner_organization_id TEXT NOT NULL REFERENCES organizations (id),
    closed_reason TEXT,
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_state_idx ON products (state, id);

-- The coordination group follows the product; it is formed on the project before go-live
-- (required at N2/N3) and stays keyed by the project the product came from.
CREATE TABLE coordination_groups (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    chair_organization_id TEXT REFERENCES organizations (id),
    supplier_organization_id TEXT REFERENCES organizations (id),
    yearly_budget_frame_dkk BIGINT CHECK (yearly_budget_frame_dkk IS NULL OR yearly_budget_frame_dkk >= 0),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE coordination_members (
    project_id TEXT NOT NULL REFERENCES projects (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    representative_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, organization_id)
);

CREATE TABLE change_requests (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    category TEXT NOT NULL CHECK (category IN ('legal_maintenance', 'technical_maintenance', 'minor_change', 'further_development', 're_tender')),
    description TEXT NOT NULL,
    estimated_cost_dkk BIGINT NOT NULL CHECK (estimated_cost_dkk >= 0),
    -- Who decides: nobody (recorded, the group is informed), the coordination group, the board.
    route TEXT NOT NULL CHECK (route IN ('recorded', 'coordination_group', 'board')),
    state TEXT NOT NULL CHECK (state IN ('recorded', 'pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TIMESTAMP,
    reason TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX change_requests_product_idx ON change_requests (product_id, id);
