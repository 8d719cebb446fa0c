-- Carrier booking's queue in a narrow table of its own. Claiming (lease, owner, attempts) and
-- recording a booking each rewrote the wide order row, and on PostgreSQL every such update
-- also wrote an entry into each of the order's ten indexes (an indexed column or an index's
-- condition changed): the two took more database time per order than placing it. A queue row
-- exists while its order waits for a booking (SUBMITTED or WAIT_PICKING, no tracking number, not a
-- RETURN); the order row stays the truth, and a claim that finds its order moved on drops the row.
-- No foreign key: a queue row is written with its order, in the same transaction, and
-- `entrepot admin check` compares the two.
CREATE TABLE booking_queue (
    order_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    lease_until BIGINT,
    owner TEXT,
    attempts BIGINT NOT NULL DEFAULT 0
);
-- Never claimed, oldest first; and expired leases (retries due, claims of a worker that died).
CREATE INDEX booking_queue_fresh ON booking_queue (queued_at, order_id) WHERE lease_until IS NULL;
CREATE INDEX booking_queue_leases ON booking_queue (lease_until) WHERE lease_until IS NOT NULL;
INSERT INTO booking_queue (order_id, client_id, queued_at, lease_until, owner, attempts)
    SELECT id, client_id, created_at, booking_lease_until, booking_owner, booking_attempts FROM outbound_orders
    WHERE tracking_number IS NULL AND status IN ('SUBMITTED', 'WAIT_PICKING') AND kind <> 'RETURN';
DROP INDEX outbound_to_book;
DROP INDEX outbound_booking_leases;
ALTER TABLE outbound_orders DROP COLUMN booking_lease_until;
ALTER TABLE outbound_orders DROP COLUMN booking_owner;
ALTER TABLE outbound_orders DROP COLUMN booking_attempts;
