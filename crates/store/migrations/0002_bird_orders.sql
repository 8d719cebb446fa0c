-- Order fields the dialects search by, the identity-reference window, line ids, booking leases.
ALTER TABLE outbound_orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'LOCAL';
ALTER TABLE outbound_orders ADD COLUMN identity_ref TEXT;
ALTER TABLE outbound_orders ADD COLUMN sales_reference TEXT;
ALTER TABLE outbound_orders ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE outbound_orders ADD COLUMN booking_lease_until BIGINT;
CREATE INDEX outbound_sales_reference ON outbound_orders (client_id, sales_reference);
CREATE INDEX outbound_identity_ref ON outbound_orders (client_id, identity_ref);
CREATE INDEX outbound_platform_order ON outbound_orders (client_id, platform_order_id);

ALTER TABLE outbound_lines ADD COLUMN line_id BIGINT;
CREATE UNIQUE INDEX outbound_lines_line_id ON outbound_lines (line_id);

-- One row per live identity reference: the upsert that claims it only succeeds when the previous
-- claim is older than the window, which makes the 6-month rule atomic on both backends.
CREATE TABLE identity_refs (
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    order_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, kind, warehouse_id, ref)
);
