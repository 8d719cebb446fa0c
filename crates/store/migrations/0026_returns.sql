-- Returns (RMAs) on the floor. The authorisation is an outbound order of kind RETURN (created,
-- read, listed and filled like any consignment); these tables hold what the warehouse did with
-- it: the receipt per SKU (good and damaged units), the action that ran, its fee. Goods that came
-- back with no authorisation wait in unidentified_returns until staff match them.
CREATE TABLE returns (
    order_id TEXT PRIMARY KEY REFERENCES outbound_orders (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    status TEXT NOT NULL,
    outcome TEXT,
    inspected BIGINT NOT NULL DEFAULT 0,
    notes TEXT,
    photos TEXT NOT NULL DEFAULT '[]',
    forward_reference TEXT,
    forward_address TEXT,
    fee BIGINT NOT NULL DEFAULT 0,
    currency TEXT,
    received_at BIGINT NOT NULL,
    completed_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX returns_open ON returns (warehouse_id, status);

CREATE TABLE return_lines (
    order_id TEXT NOT NULL REFERENCES returns (order_id),
    sku_id BIGINT NOT NULL REFERENCES skus (id),
    expected BIGINT NOT NULL,
    good BIGINT NOT NULL,
    damaged BIGINT NOT NULL,
    PRIMARY KEY (order_id, sku_id)
);

CREATE TABLE unidentified_returns (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    scanned TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL,
    matched_order_id TEXT REFERENCES outbound_orders (id),
    matched_at BIGINT
);
CREATE INDEX unidentified_returns_warehouse ON unidentified_returns (warehouse_id, created_at);

-- A scan of the buyer's tracking number finds its return among every client's.
CREATE INDEX outbound_return_tracking ON outbound_orders (tracking_number) WHERE kind = 'RETURN';

-- Each warehouse's returns rate card (JSON, minor units of the client's currency); a warehouse
-- without one charges the standard card.
CREATE TABLE return_rate_cards (
    warehouse_id TEXT PRIMARY KEY REFERENCES warehouses (id),
    rates TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
