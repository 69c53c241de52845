-- A vote names the organisation its voter represented when it was cast: once the approval is
-- decided, the public sees the votes by organisation, not by person. Earlier votes take their
-- voter's organisation as the people register has it now.
ALTER TABLE votes ADD COLUMN voter_organization TEXT;
UPDATE votes SET voter_organization = (
    SELECT COALESCE(o.code, o.id) FROM people p JOIN organizations o ON o.id = p.organization_id
    WHERE p.sub = votes.voter_sub
);
