ALTER TABLE votes DROP COLUMN voter_organization;
