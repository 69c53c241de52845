-- Back to one group per product: the main group is kept, further groups are dropped (no
-- earlier schema holds them).
ALTER TABLE coordination_members DROP CONSTRAINT coordination_members_group_fkey;
DELETE FROM coordination_members WHERE group_key <> 'main';
DELETE FROM coordination_groups WHERE group_key <> 'main';
ALTER TABLE coordination_members DROP CONSTRAINT coordination_members_pkey;
ALTER TABLE coordination_members DROP COLUMN group_key;
ALTER TABLE coordination_members ADD PRIMARY KEY (project_id, organization_id);
ALTER TABLE coordination_groups DROP CONSTRAINT coordination_groups_pkey;
ALTER TABLE coordination_groups DROP COLUMN group_key;
ALTER TABLE coordination_groups ADD PRIMARY KEY (project_id);
