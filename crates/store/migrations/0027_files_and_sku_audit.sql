-- Files in the database: what every process on one PostgreSQL serves (the local directory stays
-- SQLite's default). One row per file, replaced whole.
CREATE TABLE blobs (
    key TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    content_length BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The SKU audit on the floor: what staff measured and weighed overrides the seller's declared
-- weight and dimensions (which stay in weight_g, length_mm, width_mm, height_mm); all four
-- measured values are set together, at measured_at. submitted_at orders the audit queue, oldest
-- first; SKUs already waiting count from their last change.
ALTER TABLE skus ADD COLUMN measured_weight_g BIGINT;
ALTER TABLE skus ADD COLUMN measured_length_mm BIGINT;
ALTER TABLE skus ADD COLUMN measured_width_mm BIGINT;
ALTER TABLE skus ADD COLUMN measured_height_mm BIGINT;
ALTER TABLE skus ADD COLUMN measured_at BIGINT;
ALTER TABLE skus ADD COLUMN submitted_at BIGINT;
UPDATE skus SET submitted_at = updated_at WHERE status = 'SUBMITTED';
CREATE INDEX skus_audit_queue ON skus (status, submitted_at, id);
