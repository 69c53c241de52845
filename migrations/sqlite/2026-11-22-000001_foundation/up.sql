CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('municipality','region','state_agency','association','supplier')),
    cvr TEXT CHECK (cvr IS NULL OR length(cvr) = 8),
    region_code TEXT,
    -- lower-cased name and code, computed in Rust: SQLite's lower() and LIKE only fold ASCII.
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organizations_name_idx ON organizations (name, id);
CREATE INDEX organizations_kind_name_idx ON organizations (kind, name, id);

CREATE TABLE catalogue_versions (
    version TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE requirements (
    catalogue_version TEXT NOT NULL REFERENCES catalogue_versions (version),
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('N1','N2','N3')),
    max_level TEXT CHECK (max_level IS NULL OR max_level IN ('N1','N2','N3')),
    theme TEXT NOT NULL CHECK (theme IN ('relevance','form','governance','strategy')),
    kind TEXT NOT NULL CHECK (kind IN ('attestation','document','follow_or_explain','count','derived')),
    gate TEXT NOT NULL CHECK (gate IN ('approval','start','go_live')),
    title_da TEXT NOT NULL,
    title_en TEXT NOT NULL,
    not_applicable_allowed BOOLEAN NOT NULL,
    per_organization BOOLEAN NOT NULL,
    minimum BIGINT,
    PRIMARY KEY (catalogue_version, key)
);

-- The audit trail: append-only, enforced by the database itself (triggers below).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TIMESTAMP NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_sub TEXT NOT NULL,
    actor_roles TEXT NOT NULL,
    actor_org TEXT,
    before_state TEXT,
    after_state TEXT,
    reason TEXT
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, id);

-- The first response to each (caller, Idempotency-Key), replayed for retries.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request_body TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, key)
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
