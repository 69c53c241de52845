-- Expected benefits from the business case, and their measurements over time.
CREATE TABLE benefits (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    indicator TEXT NOT NULL,
    unit TEXT,
    baseline DOUBLE PRECISION NOT NULL,
    target DOUBLE PRECISION NOT NULL,
    owner TEXT NOT NULL,
    due_date DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX benefits_project_idx ON benefits (project_id, id);

CREATE TABLE benefit_measurements (
    id TEXT PRIMARY KEY,
    benefit_id TEXT NOT NULL REFERENCES benefits (id),
    measured_on DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX benefit_measurements_benefit_idx ON benefit_measurements (benefit_id, measured_on);
