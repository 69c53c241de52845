-- The transactional outbox: every change writes its event in the same transaction as the change
-- and its audit entry. `id` is the feed's order: writers take a lock before they insert, so ids
-- become visible in the order they were given (no reader skips a later-committing lower id).
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    -- The organisation the subject belongs to: an integration sees its own organisation's events.
    organization_id TEXT,
    -- Public items' events are seen by every integration; people's are not.
    public BOOLEAN NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_sub TEXT NOT NULL,
    payload TEXT
);
CREATE INDEX events_type_idx ON events (event_type, id);

-- Webhook subscriptions: an organisation's (integration) or the association's own (admin).
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations (id),
    url TEXT NOT NULL,
    -- JSON array of event types or `subject.*` prefixes; empty: every event.
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- The last event considered for this subscription: deliveries are made from here on.
    cursor BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);

-- One event for one subscription; delivered in id order per subscription.
CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    event_seq BIGINT NOT NULL REFERENCES events (id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A dispatcher holds the delivery until then, so two never send it at once.
    leased_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_queue_idx ON webhook_deliveries (webhook_id, state, id);

CREATE TABLE delivery_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
