-- The board's prioritisation criteria, versioned: a new set is a new version.
CREATE TABLE priority_criteria (
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    weight BIGINT NOT NULL CHECK (weight > 0),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (version, key)
);

-- Each board member's score (0-5) per criterion and candidate, under a criteria version.
CREATE TABLE priority_scores (
    version INTEGER NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id),
    member_sub TEXT NOT NULL,
    criterion TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 5),
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (version, project_id, member_sub, criterion)
);
