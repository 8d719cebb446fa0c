-- Cycle counts (issue 18 §7): count tasks per location (of every SKU in it, or of one SKU), their
-- lines (what the location held when the count was recorded, what was counted), and each
-- warehouse's approval threshold: a variance of at most that many units per SKU is applied at
-- once, a larger one waits for a supervisor.
ALTER TABLE warehouses ADD COLUMN count_approval_units BIGINT NOT NULL DEFAULT 10;

-- state: open, counted (waits for a supervisor), adjusted (applied at once), approved, rejected.
CREATE TABLE count_tasks (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    location_code TEXT NOT NULL,
    client_id TEXT,
    sku_id BIGINT,
    state TEXT NOT NULL,
    threshold BIGINT,
    hold_reason TEXT,
    scan_id TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    counted_by TEXT,
    counted_at BIGINT,
    decided_by TEXT,
    decided_at BIGINT,
    reason TEXT
);
CREATE INDEX count_tasks_warehouse ON count_tasks (warehouse_id, state, id);
-- One open count per location at a time.
CREATE UNIQUE INDEX count_tasks_open_location ON count_tasks (location_id) WHERE state = 'open';

CREATE TABLE count_lines (
    task_id TEXT NOT NULL REFERENCES count_tasks (id),
    client_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    expected BIGINT NOT NULL,
    counted BIGINT NOT NULL,
    applied BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, sku_id)
);
