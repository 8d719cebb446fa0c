-- A seller's order list filtered by state (a rare one, e.g. EXCEPTION, among 10⁶ delivered) and
-- an order found by its tracking number (as Bird's text compares, see 0020) stay index reads.
CREATE INDEX outbound_client_status ON outbound_orders (client_id, status, created_at, id);
CREATE INDEX outbound_client_tracking ON outbound_orders (client_id, lower(tracking_number))
    WHERE tracking_number IS NOT NULL;
