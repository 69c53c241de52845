DROP INDEX events_type_idx;
CREATE INDEX events_type_idx ON events (event_type, id);
DROP INDEX events_unsequenced_idx;
DROP INDEX events_seq_idx;
ALTER TABLE events DROP COLUMN seq;
CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;

ALTER TABLE idempotency_keys ALTER COLUMN body SET COMPRESSION pglz;

CREATE OR REPLACE FUNCTION touch_project() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
