-- Intercepts (issue: picking is the point of no return): a client's cancel after picking
-- started is a request staff accept (the order is cancelled, its picked units go back to their
-- bins) or refuse (it ships). REQUESTED, ACCEPTED or REFUSED.
ALTER TABLE outbound_orders ADD COLUMN intercept TEXT;
ALTER TABLE outbound_orders ADD COLUMN intercept_reason TEXT;
CREATE INDEX outbound_orders_intercepts ON outbound_orders (warehouse_id, intercept);

-- Orders now wait for a carrier booking until packed (a parcel picked before the background
-- booking came round still gets its label): those picking or packed without one are queued.
INSERT INTO booking_queue (order_id, client_id, queued_at)
    SELECT id, client_id, updated_at FROM outbound_orders
    WHERE tracking_number IS NULL AND status IN ('PICKING', 'PACKED') AND kind <> 'RETURN'
    ON CONFLICT (order_id) DO NOTHING;
