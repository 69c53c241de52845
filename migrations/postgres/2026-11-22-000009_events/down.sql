DROP TRIGGER events_no_update ON events;
DROP FUNCTION events_are_append_only;
DROP TABLE delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE events;
