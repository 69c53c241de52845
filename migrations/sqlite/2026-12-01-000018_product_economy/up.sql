-- A product's economy is the board's at N2 and N3 (report 4.1.5): its yearly budget frame is a
-- row of its own, in force once approved, no longer a field of the coordination group; a board
-- approval of a proposed frame is a subject of its own. A minor change records the supplier's
-- agreement (KOMBIT: *behovsændring*, agreed between supplier and project leader).
--
-- SQLite cannot change a CHECK constraint in place, so `approvals` is rebuilt
-- (https://www.sqlite.org/lang_altertable.html#otheralter): outside diesel's transaction
-- (metadata.toml), with foreign keys off while the old table is dropped.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE budget_frames (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    yearly_budget_frame_dkk BIGINT NOT NULL CHECK (yearly_budget_frame_dkk >= 0),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO budget_frames (project_id, yearly_budget_frame_dkk, updated_at)
    SELECT project_id, yearly_budget_frame_dkk, updated_at FROM coordination_groups
    WHERE yearly_budget_frame_dkk IS NOT NULL;
ALTER TABLE coordination_groups DROP COLUMN yearly_budget_frame_dkk;
CREATE TRIGGER budget_frames_touch_project_insert AFTER INSERT ON budget_frames BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER budget_frames_touch_project_update AFTER UPDATE ON budget_frames BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER budget_frames_touch_project_delete AFTER DELETE ON budget_frames BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

ALTER TABLE change_requests ADD COLUMN supplier_agreement TEXT;

-- The votes' triggers read `approvals`: SQLite refuses the rename while they name a missing
-- table, so they are made again after it.
DROP TRIGGER votes_touch_project_insert;
DROP TRIGGER votes_touch_project_update;
DROP TRIGGER votes_touch_project_delete;
CREATE TABLE approvals_rebuilt (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    approval_round INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('sandkasse','N1','N2','N3')),
    approver TEXT NOT NULL CHECK (approver IN ('forretningsleder', 'board')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'decided')),
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('approve', 'return', 'reject')),
    reason TEXT,
    decided_by TEXT,
    decided_at TIMESTAMP,
    -- A decision recorded from a board meeting's minutes.
    meeting_date DATE,
    members_present TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    subject TEXT NOT NULL DEFAULT 'project'
        CHECK (subject IN ('project', 'steering_group', 'budget', 'cancellation', 'level_change', 'closure', 'change_request', 'budget_frame')),
    payload TEXT
);
INSERT INTO approvals_rebuilt (id, project_id, approval_round, level, approver, state, outcome, reason, decided_by, decided_at, meeting_date, members_present, version, created_at, subject, payload)
    SELECT id, project_id, approval_round, level, approver, state, outcome, reason, decided_by, decided_at, meeting_date, members_present, version, created_at, subject, payload FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_rebuilt RENAME TO approvals;
CREATE INDEX approvals_state_idx ON approvals (state, approver, id);
CREATE UNIQUE INDEX approvals_one_pending_idx ON approvals (project_id, subject) WHERE state = 'pending';
CREATE TRIGGER approvals_touch_project_insert AFTER INSERT ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER approvals_touch_project_update AFTER UPDATE ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER approvals_touch_project_delete AFTER DELETE ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

CREATE TRIGGER votes_touch_project_insert AFTER INSERT ON votes BEGIN
    UPDATE projects SET revision = revision + 1
        WHERE id = (SELECT project_id FROM approvals WHERE id = NEW.approval_id);
END;
CREATE TRIGGER votes_touch_project_update AFTER UPDATE ON votes BEGIN
    UPDATE projects SET revision = revision + 1
        WHERE id = (SELECT project_id FROM approvals WHERE id = NEW.approval_id);
END;
CREATE TRIGGER votes_touch_project_delete AFTER DELETE ON votes BEGIN
    UPDATE projects SET revision = revision + 1
        WHERE id = (SELECT project_id FROM approvals WHERE id = OLD.approval_id);
END;

COMMIT;
PRAGMA foreign_keys = ON;
