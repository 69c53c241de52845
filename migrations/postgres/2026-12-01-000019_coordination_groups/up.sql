-- One or more coordination groups per product (report 4.1.5: "en eller flere
-- koordinationsgrupper for hvert produkt"), each with its own members and chair, keyed within
-- the product; the group there was is the product's main group.
ALTER TABLE coordination_groups ADD COLUMN group_key TEXT NOT NULL DEFAULT 'main';
ALTER TABLE coordination_groups ALTER COLUMN group_key DROP DEFAULT;
ALTER TABLE coordination_groups DROP CONSTRAINT coordination_groups_pkey;
ALTER TABLE coordination_groups ADD PRIMARY KEY (project_id, group_key);
ALTER TABLE coordination_members ADD COLUMN group_key TEXT NOT NULL DEFAULT 'main';
ALTER TABLE coordination_members ALTER COLUMN group_key DROP DEFAULT;
ALTER TABLE coordination_members DROP CONSTRAINT coordination_members_pkey;
ALTER TABLE coordination_members ADD PRIMARY KEY (project_id, group_key, organization_id);
ALTER TABLE coordination_members ADD CONSTRAINT coordination_members_group_fkey
    FOREIGN KEY (project_id, group_key) REFERENCES coordination_groups (project_id, group_key);
