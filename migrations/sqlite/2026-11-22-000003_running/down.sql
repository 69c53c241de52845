DROP TABLE progress_reports;
DROP TABLE budgets;
DROP TABLE steering_seats;
DROP TABLE steering_groups;
DROP INDEX approvals_one_pending_idx;
CREATE UNIQUE INDEX approvals_one_pending_idx ON approvals (project_id) WHERE state = 'pending';
ALTER TABLE approvals DROP COLUMN payload;
ALTER TABLE approvals DROP COLUMN subject;
