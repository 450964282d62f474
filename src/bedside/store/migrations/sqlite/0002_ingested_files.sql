-- A ledger of files ingested to completion, so that re-ingesting an unchanged file is a lookup.
-- A row is written only after every document of the file was stored without error; `reader_key`
-- names the reader and the chunking settings, so changing either re-reads the file.
CREATE TABLE ingested_files (
    path          TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    mtime_ns      INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    reader_key    TEXT NOT NULL,
    documents     INTEGER NOT NULL,
    finished_at   TEXT NOT NULL,
    PRIMARY KEY (path, reader_key)
);
