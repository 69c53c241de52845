DROP TRIGGER events_no_update;
DROP TRIGGER events_sequenced;
DROP INDEX events_type_idx;
CREATE INDEX events_type_idx ON events (event_type, id);
DROP INDEX events_seq_idx;
ALTER TABLE events DROP COLUMN seq;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
