-- bedside: rebuilds tables
-- A document may be a drug label. SQLite cannot alter a CHECK constraint, so the documents
-- table is rebuilt the way SQLite documents it (https://www.sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"): foreign keys off around the migration (the
-- first line above tells the runner), copy, drop, rename, recreate the indexes, then
-- `PRAGMA foreign_key_check` before commit.
CREATE TABLE documents_new (
    document_id       TEXT PRIMARY KEY,
    document_key      TEXT NOT NULL,
    origin            TEXT NOT NULL,
    source_id         TEXT NOT NULL,
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'deleted')),
    kind              TEXT NOT NULL
                      CHECK (kind IN ('guideline', 'research', 'patient_information', 'drug_label')),
    title             TEXT NOT NULL,
    source            TEXT,
    year              INTEGER,
    authors           TEXT NOT NULL DEFAULT '[]',
    pmid              TEXT,
    pmcid             TEXT,
    doi               TEXT,
    url               TEXT,
    publication_types TEXT NOT NULL DEFAULT '[]',
    mesh_terms        TEXT NOT NULL DEFAULT '[]',
    licence           TEXT,
    language          TEXT,
    extra             TEXT NOT NULL DEFAULT '{}',
    content_hash      TEXT NOT NULL,
    path              TEXT,
    body              TEXT NOT NULL,
    passage_count     INTEGER NOT NULL,
    ingested_at       TEXT NOT NULL,
    superseded_by     TEXT REFERENCES documents (document_id),
    UNIQUE (document_key, version)
);
INSERT INTO documents_new SELECT * FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE UNIQUE INDEX documents_one_current ON documents (document_key) WHERE status = 'current';
CREATE INDEX documents_pmid ON documents (pmid) WHERE pmid IS NOT NULL;
CREATE INDEX documents_origin ON documents (origin, status);
