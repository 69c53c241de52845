CREATE TABLE people (
    id TEXT PRIMARY KEY,
    sub TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email TEXT,
    created_at TIMESTAMP NOT NULL
);

-- The board roster. A seat is held from seat_from until seat_until (inclusive, open when NULL).
CREATE TABLE board_seats (
    person_id TEXT NOT NULL REFERENCES people (id),
    chair BOOLEAN NOT NULL,
    seat_from DATE NOT NULL,
    seat_until DATE,
    PRIMARY KEY (person_id, seat_from)
);

-- One row: the roster's version, for ETag/If-Match on PUT /board/members.
CREATE TABLE board_roster (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO board_roster (id, version) VALUES (1, 1);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('project', 'adoption')),
    state TEXT NOT NULL CHECK (state IN ('idea','concept','awaiting_approval','approved','returned','rejected','in_progress','paused','cancelled','implemented')),
    level TEXT CHECK (level IS NULL OR level IN ('N1','N2','N3')),
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
CREATE INDEX projects_state_idx ON projects (state, id);
CREATE INDEX projects_level_idx ON projects (level, id);
CREATE INDEX projects_owner_idx ON projects (owner_organization_id, id);

-- What the idea says, apart from its governance state above.
CREATE TABLE project_descriptions (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    local_value TEXT NOT NULL,
    value_for_others TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    placement_rationale TEXT
);

CREATE TABLE project_participants (
    project_id TEXT NOT NULL REFERENCES projects (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (project_id, organization_id)
);
CREATE INDEX project_participants_org_idx ON project_participants (organization_id, project_id);

-- Evidence per requirement; per-organisation requirements have one row per organisation,
-- the others organization_id ''.
CREATE TABLE evidence (
    project_id TEXT NOT NULL REFERENCES projects (id),
    requirement_key TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('met', 'explained', 'not_applicable')),
    explanation TEXT,
    link TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, requirement_key, organization_id)
);

CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    approval_round INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('N1','N2','N3')),
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
    created_at TIMESTAMP NOT NULL
);
-- At most one open approval per project.
CREATE UNIQUE INDEX approvals_one_pending_idx ON approvals (project_id) WHERE state = 'pending';
CREATE INDEX approvals_state_idx ON approvals (state, approver, id);

CREATE TABLE votes (
    approval_id TEXT NOT NULL REFERENCES approvals (id),
    voter_sub TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'return', 'reject')),
    reason TEXT,
    cast_at TIMESTAMP NOT NULL,
    PRIMARY KEY (approval_id, voter_sub)
);

-- A replayed answer to a change carries the ETag of the first.
ALTER TABLE idempotency_keys ADD COLUMN etag TEXT;
