DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP FUNCTION audit_log_is_append_only;
DROP TABLE requirements;
DROP TABLE catalogue_versions;
DROP TABLE organizations;
