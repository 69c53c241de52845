-- A project's revision needs one bump per transaction, not one per changed row: a row this
-- transaction has already written (inserted, updated, or bumped by an earlier trigger) carries
-- a new stamp anyway, since every update of a project bumps its version. A new idea writes its
-- description and participants after the project row and so no longer rewrites that row three
-- times.
CREATE OR REPLACE FUNCTION touch_project() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET revision = revision + 1
            WHERE id = OLD.project_id AND xmin <> pg_current_xact_id()::xid;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET revision = revision + 1
            WHERE id = NEW.project_id AND xmin <> pg_current_xact_id()::xid;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A stored idempotent reply is a whole project view (several kB): lz4 compresses it for a
-- fraction of pglz's CPU time, which every idea submission pays.
ALTER TABLE idempotency_keys ALTER COLUMN body SET COMPRESSION lz4;

-- The feed's order. Writers used to take one lock from their event until their commit so that
-- ids became visible in order; that lock made every writer's commit wait for the one before
-- (no group commit). Now an event is written without a place (`seq` NULL), and a sequencer,
-- one at a time (an advisory lock), gives the committed ones the next places in id order. A
-- reader only sees events that have a place, and places are only ever given after every lower
-- one: no reader can skip an event that commits late. Two changes of one subject are in order,
-- since the second waits for the first's row lock and so commits after it.
ALTER TABLE events ADD COLUMN seq BIGINT;

CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The one change an event may see: the sequencer giving it its place.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND to_jsonb(NEW) - 'seq' = to_jsonb(OLD) - 'seq' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events are append-only';
END;
$$;

-- Events written before this migration committed in id order.
UPDATE events SET seq = id;
CREATE UNIQUE INDEX events_seq_idx ON events (seq);
CREATE INDEX events_unsequenced_idx ON events (id) WHERE seq IS NULL;
DROP INDEX events_type_idx;
CREATE INDEX events_type_idx ON events (event_type, seq);
