DROP INDEX webhook_deliveries_once_idx;
ALTER TABLE webhook_deliveries DROP COLUMN redelivery_of;
