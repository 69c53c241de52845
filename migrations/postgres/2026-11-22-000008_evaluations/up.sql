-- The association's half-yearly evaluation of each product: a traffic light per requirement
-- and a concluding level recommendation.
CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    period TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('N1', 'N2', 'N3')),
    recommended_level TEXT NOT NULL CHECK (recommended_level IN ('N1', 'N2', 'N3')),
    conclusion TEXT NOT NULL,
    -- The board approval a recommended level change became, if it did.
    level_change_approval_id TEXT REFERENCES approvals (id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX evaluations_product_idx ON evaluations (product_id, id);

CREATE TABLE evaluation_marks (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    requirement_key TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('green', 'yellow', 'red')),
    reasoning TEXT,
    PRIMARY KEY (evaluation_id, requirement_key)
);
