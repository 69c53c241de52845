-- A product's economy is the board's at N2 and N3 (report 4.1.5): its yearly budget frame is a
-- row of its own, in force once approved, no longer a field of the coordination group; a board
-- approval of a proposed frame is a subject of its own. A minor change records the supplier's
-- agreement (KOMBIT: *behovsændring*, agreed between supplier and project leader).
CREATE TABLE budget_frames (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    yearly_budget_frame_dkk BIGINT NOT NULL CHECK (yearly_budget_frame_dkk >= 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO budget_frames (project_id, yearly_budget_frame_dkk, updated_at)
    SELECT project_id, yearly_budget_frame_dkk, updated_at FROM coordination_groups
    WHERE yearly_budget_frame_dkk IS NOT NULL;
ALTER TABLE coordination_groups DROP COLUMN yearly_budget_frame_dkk;
CREATE TRIGGER budget_frames_touch_project AFTER INSERT OR UPDATE OR DELETE ON budget_frames
    FOR EACH ROW EXECUTE FUNCTION touch_project();

ALTER TABLE change_requests ADD COLUMN supplier_agreement TEXT;

ALTER TABLE approvals DROP CONSTRAINT approvals_subject_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_subject_check
    CHECK (subject IN ('project', 'steering_group', 'budget', 'cancellation', 'level_change', 'closure', 'change_request', 'budget_frame'));
