-- A document may be a drug label. (SQLite rebuilds the table for this; PostgreSQL alters the
-- constraint in place.)
ALTER TABLE documents
    DROP CONSTRAINT documents_kind,
    ADD CONSTRAINT documents_kind
        CHECK (kind IN ('guideline', 'research', 'patient_information', 'drug_label'));
