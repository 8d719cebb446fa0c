-- Tracking after the handover (issue: tracking): what the carrier reported of each parcel, one
-- row per stage; when the order was handed over; when its carrier was last asked (a tracking
-- loop claims the shipped orders not asked since, so several processes share them).
CREATE TABLE tracking_events (
    order_id TEXT NOT NULL,
    code TEXT NOT NULL,
    at BIGINT NOT NULL,
    description TEXT NOT NULL,
    location TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (order_id, code)
);
ALTER TABLE outbound_orders ADD COLUMN shipped_at BIGINT;
ALTER TABLE outbound_orders ADD COLUMN tracking_checked_at BIGINT;
CREATE INDEX outbound_orders_in_transit ON outbound_orders (tracking_checked_at) WHERE status = 'SHIPPED';
