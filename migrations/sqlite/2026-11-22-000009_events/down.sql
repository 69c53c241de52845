DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete;
DROP TABLE delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE events;
