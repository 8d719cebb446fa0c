-- Intercepts (issue: picking is the point of no return): a client's cancel after picking
-- started is a request staff accept (the order is cancelled, its picked units go back to their
-- bins) or refuse (it ships). REQUESTED, ACCEPTED or REFUSED.
ALTER TABLE outbound_orders ADD COLUMN intercept TEXT;
ALTER TABLE outbound_orders ADD COLUMN intercept_reason TEXT;
CREATE INDEX outbound_orders_intercepts ON outbound_orders (warehouse_id, intercept);
