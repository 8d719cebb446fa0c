-- Bins: a warehouse's locations, the units each holds, and the ledger naming them.
--
-- `location_stock` is bucket-less: a bin holds units of a SKU, whatever they are reserved for.
-- For every (SKU, warehouse) its rows add up to the physical buckets (received, available,
-- reserved_allocated, reserved_hold, suspend, unfulfillable); `entrepot admin check` verifies it.
CREATE TABLE locations (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    code TEXT NOT NULL,
    zone TEXT NOT NULL,
    kind TEXT NOT NULL,
    pick_seq BIGINT NOT NULL,
    capacity BIGINT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (warehouse_id, code)
);
CREATE INDEX locations_pick_seq ON locations (warehouse_id, pick_seq);

CREATE TABLE location_stock (
    location_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    qty BIGINT NOT NULL,
    PRIMARY KEY (location_id, sku_id)
);
CREATE INDEX location_stock_sku ON location_stock (sku_id, warehouse_id);

-- The locations a transfer's units came from and went to (NULL: outside the warehouse or in
-- transit, or a transfer that moved no goods, such as a reservation).
ALTER TABLE stock_transfers ADD COLUMN from_location TEXT;
ALTER TABLE stock_transfers ADD COLUMN to_location TEXT;

-- Moves of units between locations that change no bucket (bin to bin), and the opening
-- placement below; with the transfers' locations they add up to `location_stock`.
CREATE TABLE location_moves (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    warehouse_id TEXT NOT NULL,
    from_location TEXT,
    to_location TEXT,
    qty BIGINT NOT NULL,
    doc_kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX location_moves_sku ON location_moves (sku_id, created_at);

-- Every warehouse's default locations (new warehouses get DOCK, DAMAGED and RETURNS when
-- created); STOCK holds what was on hand before locations existed.
INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at)
SELECT 'loc_' || id || '_DOCK', id, 'DOCK', 'DOCK', 'dock', 1000000000, NULL, 0, created_at FROM warehouses;
INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at)
SELECT 'loc_' || id || '_DAMAGED', id, 'DAMAGED', 'DAMAGED', 'damaged', 1000000001, NULL, 0, created_at FROM warehouses;
INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at)
SELECT 'loc_' || id || '_RETURNS', id, 'RETURNS', 'RETURNS', 'returns', 1000000002, NULL, 0, created_at FROM warehouses;
INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at)
SELECT 'loc_' || id || '_STOCK', id, 'STOCK', 'STOCK', 'reserve', 1000000003, NULL, 0, created_at FROM warehouses;

-- What is on hand now: received units at the dock, unfulfillable ones in DAMAGED, the rest in
-- STOCK; each placement also written to the location ledger.
INSERT INTO location_stock (location_id, sku_id, client_id, warehouse_id, qty)
SELECT 'loc_' || warehouse_id || '_DOCK', sku_id, client_id, warehouse_id, received FROM stock WHERE received > 0;
INSERT INTO location_stock (location_id, sku_id, client_id, warehouse_id, qty)
SELECT 'loc_' || warehouse_id || '_DAMAGED', sku_id, client_id, warehouse_id, unfulfillable FROM stock WHERE unfulfillable > 0;
INSERT INTO location_stock (location_id, sku_id, client_id, warehouse_id, qty)
SELECT 'loc_' || warehouse_id || '_STOCK', sku_id, client_id, warehouse_id,
       available + reserved_allocated + reserved_hold + suspend
FROM stock WHERE available + reserved_allocated + reserved_hold + suspend > 0;
INSERT INTO location_moves (id, client_id, sku_id, warehouse_id, from_location, to_location, qty, doc_kind, doc_id, note, created_at)
SELECT 'lmv_0024_' || location_id || '_' || sku_id, client_id, sku_id, warehouse_id, NULL, location_id, qty,
       'migration', '0024', 'on hand when locations were introduced', 0
FROM location_stock;

-- Putaway tasks read what waits per warehouse: units received (few rows) and the inbounds
-- being received, without walking every stock row or inbound.
CREATE INDEX stock_waiting_putaway ON stock (warehouse_id) WHERE received > 0;
CREATE INDEX inbound_orders_warehouse_status ON inbound_orders (warehouse_id, status);
