-- Packing and manifests (issue: packing, shipping).
--
-- Units scanned into an order's parcel, per SKU, and the scan ids already applied.
CREATE TABLE pack_lines (
    order_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    scanned BIGINT NOT NULL,
    PRIMARY KEY (order_id, sku_id)
);
CREATE TABLE pack_scans (
    order_id TEXT NOT NULL,
    scan_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (order_id, scan_id)
);

-- The parcel as packed: why it waits for a supervisor (weight out of tolerance), its box, when
-- and by whom; the fee held at submission when packing re-rated it (settled at shipping); the
-- manifest it left on.
ALTER TABLE outbound_orders ADD COLUMN pack_hold TEXT;
ALTER TABLE outbound_orders ADD COLUMN packed_weight_g BIGINT;
ALTER TABLE outbound_orders ADD COLUMN package TEXT;
ALTER TABLE outbound_orders ADD COLUMN packed_at BIGINT;
ALTER TABLE outbound_orders ADD COLUMN packed_by TEXT;
ALTER TABLE outbound_orders ADD COLUMN fee_held BIGINT;
ALTER TABLE outbound_orders ADD COLUMN manifest_id TEXT;

-- A carrier's manifest of one warehouse-local day: OPEN while parcels are scanned onto it,
-- CLOSED when handed over. One open manifest per warehouse, carrier and day.
CREATE TABLE manifests (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    carrier TEXT NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_by TEXT,
    closed_at BIGINT
);
CREATE UNIQUE INDEX manifests_open ON manifests (warehouse_id, carrier, day) WHERE status = 'OPEN';
CREATE INDEX manifests_warehouse ON manifests (warehouse_id, created_at);
CREATE TABLE manifest_parcels (
    order_id TEXT PRIMARY KEY,
    manifest_id TEXT NOT NULL REFERENCES manifests (id),
    scanned_by TEXT NOT NULL,
    scanned_at BIGINT NOT NULL
);
CREATE INDEX manifest_parcels_manifest ON manifest_parcels (manifest_id, scanned_at);
