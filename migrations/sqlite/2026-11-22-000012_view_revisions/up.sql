-- A project's view changes with rows in a dozen tables; `revision` counts those changes so a
-- reader can tell with one indexed read whether a view it built is still current (the GET
-- ETag and the view cache). Triggers keep it, so no writer can forget. Organisations, people
-- and the board, which every view names, count in `shared_revision` instead.
-- SQLite drops a table's triggers with the table: a later migration that rebuilds one of these
-- tables must create its triggers again.
ALTER TABLE projects ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE shared_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO shared_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER project_descriptions_touch_project_insert AFTER INSERT ON project_descriptions BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER project_descriptions_touch_project_update AFTER UPDATE ON project_descriptions BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER project_descriptions_touch_project_delete AFTER DELETE ON project_descriptions BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER project_participants_touch_project_insert AFTER INSERT ON project_participants BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER project_participants_touch_project_update AFTER UPDATE ON project_participants BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER project_participants_touch_project_delete AFTER DELETE ON project_participants BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER evidence_touch_project_insert AFTER INSERT ON evidence BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER evidence_touch_project_update AFTER UPDATE ON evidence BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER evidence_touch_project_delete AFTER DELETE ON evidence BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER approvals_touch_project_insert AFTER INSERT ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER approvals_touch_project_update AFTER UPDATE ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER approvals_touch_project_delete AFTER DELETE ON approvals BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER steering_groups_touch_project_insert AFTER INSERT ON steering_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER steering_groups_touch_project_update AFTER UPDATE ON steering_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER steering_groups_touch_project_delete AFTER DELETE ON steering_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER steering_seats_touch_project_insert AFTER INSERT ON steering_seats BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER steering_seats_touch_project_update AFTER UPDATE ON steering_seats BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER steering_seats_touch_project_delete AFTER DELETE ON steering_seats BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER budgets_touch_project_insert AFTER INSERT ON budgets BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER budgets_touch_project_update AFTER UPDATE ON budgets BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER budgets_touch_project_delete AFTER DELETE ON budgets BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER progress_reports_touch_project_insert AFTER INSERT ON progress_reports BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER progress_reports_touch_project_update AFTER UPDATE ON progress_reports BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER progress_reports_touch_project_delete AFTER DELETE ON progress_reports BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER products_touch_project_insert AFTER INSERT ON products BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER products_touch_project_update AFTER UPDATE ON products BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER products_touch_project_delete AFTER DELETE ON products BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER coordination_groups_touch_project_insert AFTER INSERT ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER coordination_groups_touch_project_update AFTER UPDATE ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER coordination_groups_touch_project_delete AFTER DELETE ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER coordination_members_touch_project_insert AFTER INSERT ON coordination_members BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER coordination_members_touch_project_update AFTER UPDATE ON coordination_members BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER coordination_members_touch_project_delete AFTER DELETE ON coordination_members BEGIN
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
CREATE TRIGGER organizations_touch_shared_insert AFTER INSERT ON organizations BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER organizations_touch_shared_update AFTER UPDATE ON organizations BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER organizations_touch_shared_delete AFTER DELETE ON organizations BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER people_touch_shared_insert AFTER INSERT ON people BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER people_touch_shared_update AFTER UPDATE ON people BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER people_touch_shared_delete AFTER DELETE ON people BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_seats_touch_shared_insert AFTER INSERT ON board_seats BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_seats_touch_shared_update AFTER UPDATE ON board_seats BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_seats_touch_shared_delete AFTER DELETE ON board_seats BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_roster_touch_shared_insert AFTER INSERT ON board_roster BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_roster_touch_shared_update AFTER UPDATE ON board_roster BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER board_roster_touch_shared_delete AFTER DELETE ON board_roster BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
END;
