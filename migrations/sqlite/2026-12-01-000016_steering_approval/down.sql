ALTER TABLE steering_groups DROP COLUMN approved_by_board;
