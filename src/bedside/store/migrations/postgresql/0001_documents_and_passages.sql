-- Documents (one row per version of a source) and their passages.
--
-- The PostgreSQL migrations mirror the SQLite ones number for number: schema version N is the
-- same tables on both engines. As on SQLite, times are ISO 8601 text and lists are JSON text, so
-- a record reads back exactly as it was written; time and name columns compare byte by byte
-- (COLLATE "C"), as SQLite does, whatever the database's locale. `seq` is the insertion order
-- that SQLite's rowid gives.
CREATE TABLE documents (
    seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    document_id       text PRIMARY KEY,
    document_key      text NOT NULL,               -- origin:source_id, shared by every version
    origin            text NOT NULL,
    source_id         text NOT NULL,
    version           integer NOT NULL,
    status            text NOT NULL CHECK (status IN ('current', 'superseded', 'deleted')),
    kind              text NOT NULL
                      CONSTRAINT documents_kind
                      CHECK (kind IN ('guideline', 'research', 'patient_information')),
    title             text NOT NULL,
    source            text,
    year              integer,
    authors           text NOT NULL DEFAULT '[]',  -- JSON array
    pmid              text,
    pmcid             text,
    doi               text,
    url               text,
    publication_types text NOT NULL DEFAULT '[]',  -- JSON array
    mesh_terms        text NOT NULL DEFAULT '[]',  -- JSON array
    licence           text,
    language          text,
    extra             text NOT NULL DEFAULT '{}',  -- JSON object
    content_hash      text NOT NULL,
    path              text,
    body              text NOT NULL,
    passage_count     integer NOT NULL,
    ingested_at       text COLLATE "C" NOT NULL,   -- ISO 8601, UTC
    superseded_by     text REFERENCES documents (document_id),
    UNIQUE (document_key, version)
);
CREATE UNIQUE INDEX documents_one_current ON documents (document_key) WHERE status = 'current';
CREATE INDEX documents_pmid ON documents (pmid) WHERE pmid IS NOT NULL;
CREATE INDEX documents_origin ON documents (origin, status);

CREATE TABLE passages (
    seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    passage_id   text PRIMARY KEY,
    document_id  text NOT NULL REFERENCES documents (document_id),
    ordinal      integer NOT NULL,
    section_path text NOT NULL DEFAULT '[]',       -- JSON array
    page         integer,
    char_start   integer NOT NULL,
    char_end     integer NOT NULL,
    text         text NOT NULL CHECK (length(text) > 0),
    question     text,
    UNIQUE (document_id, ordinal)
);
