-- A ledger of files ingested to completion, so that re-ingesting an unchanged file is a lookup.
-- A row is written only after every document of the file was stored without error; `reader_key`
-- names the reader and the chunking settings, so changing either re-reads the file.
CREATE TABLE ingested_files (
    path          text NOT NULL,
    size_bytes    bigint NOT NULL,
    mtime_ns      bigint NOT NULL,
    content_hash  text NOT NULL,
    reader_key    text NOT NULL,
    documents     integer NOT NULL,
    finished_at   text COLLATE "C" NOT NULL,
    PRIMARY KEY (path, reader_key)
);
CREATE INDEX ingested_files_by_hash ON ingested_files (content_hash, reader_key);
