-- Waves, pick lists and picks (issue: waves at the cut-off, picking).
--
-- A bin's units of a SKU carry the time the oldest of them arrived (`since`, UTC ms; 0 for what
-- was there before this migration) so that waves allocate first in, first out, and the units
-- open picks promised (`allocated`), so that a wave takes only what no other wave took.
-- `admin check` verifies `allocated` against the open picks.
ALTER TABLE location_stock ADD COLUMN since BIGINT NOT NULL DEFAULT 0;
ALTER TABLE location_stock ADD COLUMN allocated BIGINT NOT NULL DEFAULT 0;

-- status: OPEN (picks left), DONE (every pick done or cancelled).
CREATE TABLE waves (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    number BIGINT NOT NULL,
    due_by TEXT NOT NULL,
    service_id TEXT,
    status TEXT NOT NULL,
    orders BIGINT NOT NULL,
    units BIGINT NOT NULL,
    released_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (warehouse_id, number)
);
CREATE INDEX waves_warehouse ON waves (warehouse_id, created_at);

-- One picker's walk: a cart of totes (one order each) or one large order (`single`).
-- status: OPEN, PICKING (taken by `picker`), DONE.
CREATE TABLE pick_lists (
    id TEXT PRIMARY KEY,
    wave_id TEXT NOT NULL REFERENCES waves (id),
    warehouse_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    service_id TEXT NOT NULL,
    zone TEXT,
    single BIGINT NOT NULL,
    totes BIGINT NOT NULL,
    status TEXT NOT NULL,
    picker TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX pick_lists_wave ON pick_lists (wave_id, number);
CREATE INDEX pick_lists_open ON pick_lists (warehouse_id, status, created_at);

-- Units of an order's SKU to take from one bin into the order's tote; `short`: units the bin
-- did not have (re-allocated elsewhere, or the order stopped); `cancelled`: no longer wanted.
CREATE TABLE picks (
    id TEXT PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES pick_lists (id),
    wave_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    location_id TEXT NOT NULL,
    tote BIGINT NOT NULL,
    qty BIGINT NOT NULL,
    picked BIGINT NOT NULL DEFAULT 0,
    short BIGINT NOT NULL DEFAULT 0,
    cancelled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX picks_list ON picks (list_id);
CREATE INDEX picks_order ON picks (order_id);
CREATE INDEX picks_location ON picks (location_id, sku_id);

-- Pick scans already applied, by the handheld's scan id: a replay changes nothing.
CREATE TABLE pick_scans (
    list_id TEXT NOT NULL,
    scan_id TEXT NOT NULL,
    pick_id TEXT NOT NULL,
    qty BIGINT NOT NULL,
    short BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, scan_id)
);

-- The wave, pick list and tote an order was released to.
ALTER TABLE outbound_orders ADD COLUMN wave_id TEXT;
ALTER TABLE outbound_orders ADD COLUMN pick_list_id TEXT;
ALTER TABLE outbound_orders ADD COLUMN tote BIGINT;

-- Every warehouse's PACK location: picked units wait there (in their totes) to be packed and
-- handed to the carrier.
INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at)
SELECT 'loc_' || id || '_PACK', id, 'PACK', 'PACK', 'staging', 1000000004, NULL, 0, created_at FROM warehouses;
