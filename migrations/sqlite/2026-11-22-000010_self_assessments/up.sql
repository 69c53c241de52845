-- Self-assessments (selvevaluering) imported for a product, against the 2025 checklist: the
-- original file as sent, and each item's answer.
CREATE TABLE self_assessments (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    checklist_version TEXT NOT NULL,
    product_name TEXT NOT NULL,
    filled_by TEXT NOT NULL,
    filled_date TEXT NOT NULL,
    generated_at TEXT,
    original TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE INDEX self_assessments_product_idx ON self_assessments (product_id, imported_at);

CREATE TABLE self_assessment_answers (
    self_assessment_id TEXT NOT NULL REFERENCES self_assessments (id),
    item_id TEXT NOT NULL,
    answer TEXT CHECK (answer IS NULL OR answer IN ('Ja', 'Nej', 'Ved ikke')),
    documentation TEXT,
    PRIMARY KEY (self_assessment_id, item_id)
);
