-- The column mapping a client gave for a sheet's header row (order imports), remembered so the
-- next file with the same headers needs none. `header_key` is the SHA-256 of the normalised
-- headers; `mapping` is JSON, header -> field.
CREATE TABLE import_mappings (
    client_id TEXT NOT NULL REFERENCES clients(id),
    header_key TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, header_key)
);
