-- Back to one group per product: the main group is kept, further groups are dropped (no
-- earlier schema holds them).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE coordination_members_rebuilt (
    project_id TEXT NOT NULL REFERENCES projects (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    representative_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, organization_id)
);
INSERT INTO coordination_members_rebuilt (project_id, organization_id, representative_id)
    SELECT project_id, organization_id, representative_id FROM coordination_members WHERE group_key = 'main';
DROP TABLE coordination_members;
ALTER TABLE coordination_members_rebuilt RENAME TO coordination_members;
CREATE TRIGGER coordination_members_touch_project_insert AFTER INSERT ON coordination_members BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER coordination_members_touch_project_update AFTER UPDATE ON coordination_members BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER coordination_members_touch_project_delete AFTER DELETE ON coordination_members BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

CREATE TABLE coordination_groups_rebuilt (
    project_id TEXT PRIMARY KEY REFERENCES projects (id),
    chair_organization_id TEXT REFERENCES organizations (id),
    supplier_organization_id TEXT REFERENCES organizations (id),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO coordination_groups_rebuilt (project_id, chair_organization_id, supplier_organization_id, updated_at)
    SELECT project_id, chair_organization_id, supplier_organization_id, updated_at FROM coordination_groups WHERE group_key = 'main';
DROP TABLE coordination_groups;
ALTER TABLE coordination_groups_rebuilt RENAME TO coordination_groups;
CREATE TRIGGER coordination_groups_touch_project_insert AFTER INSERT ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER coordination_groups_touch_project_update AFTER UPDATE ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
CREATE TRIGGER coordination_groups_touch_project_delete AFTER DELETE ON coordination_groups BEGIN
    UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

COMMIT;
PRAGMA foreign_keys = ON;
