-- The feed's order, as on PostgreSQL: `seq`. SQLite has one writer, which commits before the
-- next one begins, so ids already become visible in order and an event's place is its id,
-- given as it is written.
ALTER TABLE events ADD COLUMN seq INTEGER;

DROP TRIGGER events_no_update;
UPDATE events SET seq = id;
CREATE UNIQUE INDEX events_seq_idx ON events (seq);
DROP INDEX events_type_idx;
CREATE INDEX events_type_idx ON events (event_type, seq);

CREATE TRIGGER events_sequenced AFTER INSERT ON events WHEN NEW.seq IS NULL
BEGIN
    UPDATE events SET seq = NEW.id WHERE id = NEW.id;
END;
-- The one change an event may see: being given its place.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.event_id IS NOT OLD.event_id
    OR NEW.event_type IS NOT OLD.event_type OR NEW.subject_type IS NOT OLD.subject_type
    OR NEW.subject_id IS NOT OLD.subject_id OR NEW.organization_id IS NOT OLD.organization_id
    OR NEW.public IS NOT OLD.public OR NEW.occurred_at IS NOT OLD.occurred_at
    OR NEW.actor_sub IS NOT OLD.actor_sub OR NEW.payload IS NOT OLD.payload
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
