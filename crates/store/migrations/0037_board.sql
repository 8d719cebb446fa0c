-- The cut-off board's pick rate: the units a warehouse picked since its day began.
CREATE INDEX picks_warehouse_updated ON picks (warehouse_id, updated_at);
-- What the warehouse measures (`/metrics`, `GET /warehouses/{code}/measures`): orders handed
-- over lately, and the floor's scans by action.
CREATE INDEX outbound_orders_shipped_at ON outbound_orders (shipped_at);
CREATE INDEX audit_log_action ON audit_log (action, at);
