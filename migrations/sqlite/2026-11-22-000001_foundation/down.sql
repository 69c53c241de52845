DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE requirements;
DROP TABLE catalogue_versions;
DROP TABLE organizations;
