-- A project's view changes with rows in a dozen tables; `revision` counts those changes so a
-- reader can tell with one indexed read whether a view it built is still current (the GET
-- ETag and the view cache). Triggers keep it, so no writer can forget. Organisations, people
-- and the board, which every view names, count in `shared_revision` instead.
ALTER TABLE projects ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE shared_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO shared_revision (id, revision) VALUES (1, 0);

CREATE FUNCTION touch_project() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION touch_project_of_vote() RETURNS trigger AS $$
BEGIN
    UPDATE projects SET revision = revision + 1
        WHERE id = (SELECT project_id FROM approvals
                    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.approval_id ELSE NEW.approval_id END);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION touch_shared() RETURNS trigger AS $$
BEGIN
    UPDATE shared_revision SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER project_descriptions_touch_project AFTER INSERT OR UPDATE OR DELETE ON project_descriptions
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER project_participants_touch_project AFTER INSERT OR UPDATE OR DELETE ON project_participants
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER evidence_touch_project AFTER INSERT OR UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER approvals_touch_project AFTER INSERT OR UPDATE OR DELETE ON approvals
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER steering_groups_touch_project AFTER INSERT OR UPDATE OR DELETE ON steering_groups
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER steering_seats_touch_project AFTER INSERT OR UPDATE OR DELETE ON steering_seats
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER budgets_touch_project AFTER INSERT OR UPDATE OR DELETE ON budgets
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER progress_reports_touch_project AFTER INSERT OR UPDATE OR DELETE ON progress_reports
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER products_touch_project AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER coordination_groups_touch_project AFTER INSERT OR UPDATE OR DELETE ON coordination_groups
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER coordination_members_touch_project AFTER INSERT OR UPDATE OR DELETE ON coordination_members
    FOR EACH ROW EXECUTE FUNCTION touch_project();
CREATE TRIGGER votes_touch_project AFTER INSERT OR UPDATE OR DELETE ON votes
    FOR EACH ROW EXECUTE FUNCTION touch_project_of_vote();
CREATE TRIGGER organizations_touch_shared AFTER INSERT OR UPDATE OR DELETE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION touch_shared();
CREATE TRIGGER people_touch_shared AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION touch_shared();
CREATE TRIGGER board_seats_touch_shared AFTER INSERT OR UPDATE OR DELETE ON board_seats
    FOR EACH STATEMENT EXECUTE FUNCTION touch_shared();
CREATE TRIGGER board_roster_touch_shared AFTER INSERT OR UPDATE OR DELETE ON board_roster
    FOR EACH STATEMENT EXECUTE FUNCTION touch_shared();
