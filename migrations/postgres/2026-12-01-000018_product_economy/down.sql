-- Frames go back to the coordination group; frame approvals and supplier agreements are
-- dropped (no earlier schema holds them).
ALTER TABLE coordination_groups ADD COLUMN yearly_budget_frame_dkk BIGINT
    CHECK (yearly_budget_frame_dkk IS NULL OR yearly_budget_frame_dkk >= 0);
UPDATE coordination_groups SET yearly_budget_frame_dkk =
    (SELECT f.yearly_budget_frame_dkk FROM budget_frames f WHERE f.project_id = coordination_groups.project_id);
DROP TABLE budget_frames;

ALTER TABLE change_requests DROP COLUMN supplier_agreement;

DELETE FROM votes WHERE approval_id IN (SELECT id FROM approvals WHERE subject = 'budget_frame');
DELETE FROM approvals WHERE subject = 'budget_frame';
ALTER TABLE approvals DROP CONSTRAINT approvals_subject_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_subject_check
    CHECK (subject IN ('project', 'steering_group', 'budget', 'cancellation', 'level_change', 'closure', 'change_request'));
