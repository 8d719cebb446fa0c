-- Lookups by a client's ids: without these, SQLite's planner (which has no statistics on a young
-- database) prefers the client's updated_at index and scans every SKU of a large catalogue.
CREATE INDEX skus_client_id ON skus (client_id, id);
CREATE INDEX stock_client_sku ON stock (client_id, sku_id, warehouse_id);
