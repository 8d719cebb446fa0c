-- Files in the database: what every process on one PostgreSQL serves (the local directory stays
-- SQLite's default). One row per file, replaced whole.
CREATE TABLE blobs (
    key TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    content_length BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
