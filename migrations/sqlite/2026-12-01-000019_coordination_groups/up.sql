-- One or more coordination groups per product (report 4.1.5: "en eller flere
-- koordinationsgrupper for hvert produkt"), each with its own members and chair, keyed within
-- the product; the group there was is the product's main group.
--
-- SQLite cannot change a primary key in place: both tables are rebuilt
-- (https://www.sqlite.org/lang_altertable.html#otheralter) outside diesel's transaction
-- (metadata.toml), with foreign keys off while the old tables are dropped.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE coordination_groups_rebuilt (
    project_id TEXT NOT NULL REFERENCES projects (id),
    group_key TEXT NOT NULL,
    chair_organization_id TEXT REFERENCES organizations (id),
    supplier_organization_id TEXT REFERENCES organizations (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, group_key)
);
INSERT INTO coordination_groups_rebuilt (project_id, group_key, chair_organization_id, supplier_organization_id, updated_at)
    SELECT project_id, 'main', chair_organization_id, supplier_organization_id, updated_at FROM coordination_groups;
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

CREATE TABLE coordination_members_rebuilt (
    project_id TEXT NOT NULL REFERENCES projects (id),
    group_key TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    representative_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (project_id, group_key, organization_id),
    FOREIGN KEY (project_id, group_key) REFERENCES coordination_groups (project_id, group_key)
);
INSERT INTO coordination_members_rebuilt (project_id, group_key, organization_id, representative_id)
    SELECT project_id, 'main', organization_id, representative_id FROM coordination_members;
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

COMMIT;
PRAGMA foreign_keys = ON;
