-- Documents (one row per version of a source) and their passages.
CREATE TABLE documents (
    document_id       TEXT PRIMARY KEY,
    document_key      TEXT NOT NULL,               -- origin:source_id, shared by every version
    origin            TEXT NOT NULL,
    source_id         TEXT NOT NULL,
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'deleted')),
    kind              TEXT NOT NULL CHECK (kind IN ('guideline', 'research', 'patient_information')),
    title             TEXT NOT NULL,
    source            TEXT,
    year              INTEGER,
    authors           TEXT NOT NULL DEFAULT '[]',  -- JSON array
    pmid              TEXT,
    pmcid             TEXT,
    doi               TEXT,
    url               TEXT,
    publication_types TEXT NOT NULL DEFAULT '[]',  -- JSON array
    mesh_terms        TEXT NOT NULL DEFAULT '[]',  -- JSON array
    licence           TEXT,
    language          TEXT,
    extra             TEXT NOT NULL DEFAULT '{}',  -- JSON object
    content_hash      TEXT NOT NULL,
    path              TEXT,
    body              TEXT NOT NULL,
    passage_count     INTEGER NOT NULL,
    ingested_at       TEXT NOT NULL,               -- ISO 8601, UTC
    superseded_by     TEXT REFERENCES documents (document_id),
    UNIQUE (document_key, version)
);
CREATE UNIQUE INDEX documents_one_current ON documents (document_key) WHERE status = 'current';
CREATE INDEX documents_pmid ON documents (pmid) WHERE pmid IS NOT NULL;
CREATE INDEX documents_origin ON documents (origin, status);

CREATE TABLE passages (
    passage_id   TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents (document_id),
    ordinal      INTEGER NOT NULL,
    section_path TEXT NOT NULL DEFAULT '[]',       -- JSON array
    page         INTEGER,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    text         TEXT NOT NULL CHECK (length(text) > 0),
    question     TEXT,
    UNIQUE (document_id, ordinal)
);
