-- Whether the board approved or appointed the steering group in force. A group put in force at
-- N1 never went to the board, and `steering_group_approved` must not count it once the project
-- is at N2. Groups in force today above N1 were put there by the board, except those carried
-- up from N1 by a level change: those are the ones left unapproved here.
ALTER TABLE steering_groups ADD COLUMN approved_by_board BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE steering_groups SET approved_by_board = TRUE
WHERE EXISTS (
    SELECT 1 FROM approvals a
    WHERE a.project_id = steering_groups.project_id
      AND a.subject = 'steering_group' AND a.state = 'decided' AND a.outcome = 'approve'
);
