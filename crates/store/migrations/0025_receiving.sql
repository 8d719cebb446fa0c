-- Receiving (issue 18 §4): damaged counts per line, the receipt's close and dock-to-stock times
-- per inbound, discrepancies as real records, scans (replay-safe by the client's scan id), dock
-- appointment slots and bookings, and the unidentified-freight queue.
ALTER TABLE inbound_lines ADD COLUMN damaged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbound_orders ADD COLUMN receipt_closed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbound_orders ADD COLUMN arrived_at BIGINT;
ALTER TABLE inbound_orders ADD COLUMN available_at BIGINT;
CREATE INDEX inbound_orders_available ON inbound_orders (available_at);

-- Discrepancies: one row per (inbound, SKU, kind) for over/short/damaged (id derived from them),
-- any number of unexpected ones. sku_id is null for a code that is no SKU of the client.
CREATE TABLE receipt_discrepancies (
    id TEXT PRIMARY KEY,
    inbound_id TEXT NOT NULL REFERENCES inbound_orders (id),
    client_id TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    sku_id BIGINT,
    code TEXT,
    expected BIGINT NOT NULL,
    received BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    note TEXT,
    photo_key TEXT,
    actor_name TEXT NOT NULL,
    user_id TEXT,
    created_at BIGINT NOT NULL
);
INSERT INTO receipt_discrepancies (id, inbound_id, client_id, warehouse_id, kind, sku_id, code, expected, received,
    quantity, note, photo_key, actor_name, user_id, created_at)
SELECT d.inbound_id || ':' || CAST(d.sku_id AS TEXT) || ':' || CASE WHEN d.received > d.expected THEN 'over' ELSE 'short' END,
    d.inbound_id, o.client_id, o.warehouse_id, CASE WHEN d.received > d.expected THEN 'over' ELSE 'short' END,
    d.sku_id, NULL, d.expected, d.received,
    CASE WHEN d.received > d.expected THEN d.received - d.expected ELSE d.expected - d.received END,
    NULL, NULL, 'system', NULL, d.created_at
FROM inbound_discrepancies d JOIN inbound_orders o ON o.id = d.inbound_id;
DROP TABLE inbound_discrepancies;
ALTER TABLE receipt_discrepancies RENAME TO inbound_discrepancies;
CREATE INDEX inbound_discrepancies_inbound ON inbound_discrepancies (inbound_id, created_at);

-- Every scan counted, keyed by the handheld's own scan id so a replayed scan counts once.
CREATE TABLE receiving_scans (
    inbound_id TEXT NOT NULL REFERENCES inbound_orders (id),
    scan_id TEXT NOT NULL,
    sku_id BIGINT,
    code TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    condition TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    device TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (inbound_id, scan_id)
);

-- Dock appointment slots per warehouse, capacity counted in inbounds.
CREATE TABLE dock_slots (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    booked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dock_slots_time ON dock_slots (warehouse_id, start_at);

-- One appointment per inbound: BOOKED, ARRIVED, NO_SHOW or CANCELLED.
CREATE TABLE inbound_appointments (
    inbound_id TEXT PRIMARY KEY REFERENCES inbound_orders (id),
    slot_id TEXT NOT NULL REFERENCES dock_slots (id),
    client_id TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    status TEXT NOT NULL,
    booked_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX inbound_appointments_slot ON inbound_appointments (slot_id, status);

-- Freight that came with no inbound order, until staff match it or close it.
CREATE TABLE unidentified_freight (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    carrier TEXT,
    tracking TEXT,
    cartons BIGINT NOT NULL,
    note TEXT,
    photo_key TEXT,
    status TEXT NOT NULL,
    client_id TEXT,
    inbound_id TEXT,
    reason TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_by TEXT,
    resolved_at BIGINT
);
CREATE INDEX unidentified_freight_open ON unidentified_freight (warehouse_id, status, created_at);
