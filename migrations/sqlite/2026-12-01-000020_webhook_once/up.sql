-- Each event reaches each subscription once: a delivery is queued once per (webhook, event),
-- and only a redelivery asked for by the subscriber repeats one, naming the delivery it
-- repeats. Several dispatchers on one database (instances behind a load balancer) could queue
-- an event twice before; such repeats are kept, marked as repeats of the first.
ALTER TABLE webhook_deliveries ADD COLUMN redelivery_of TEXT;
UPDATE webhook_deliveries SET redelivery_of = (
    SELECT first.delivery_id FROM webhook_deliveries first
    WHERE first.webhook_id = webhook_deliveries.webhook_id
      AND first.event_seq = webhook_deliveries.event_seq
    ORDER BY first.id LIMIT 1
)
WHERE id > (
    SELECT MIN(first.id) FROM webhook_deliveries first
    WHERE first.webhook_id = webhook_deliveries.webhook_id
      AND first.event_seq = webhook_deliveries.event_seq
);
CREATE UNIQUE INDEX webhook_deliveries_once_idx ON webhook_deliveries (webhook_id, event_seq)
    WHERE redelivery_of IS NULL;
