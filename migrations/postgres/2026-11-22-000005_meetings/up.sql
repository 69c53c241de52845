-- The board's meetings; agenda deadline and material date are computed from the date.
CREATE TABLE board_meetings (
    id TEXT PRIMARY KEY,
    meeting_date DATE NOT NULL UNIQUE,
    place TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    created_at TIMESTAMP NOT NULL
);

-- Agenda items beside the recommendations (which the meeting takes by their submission date).
CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES board_meetings (id),
    kind TEXT NOT NULL CHECK (kind IN ('orientation', 'strategy', 'other')),
    title TEXT NOT NULL,
    description TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX agenda_items_meeting_idx ON agenda_items (meeting_id, id);
