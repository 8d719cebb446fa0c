-- The booking claim takes the oldest waiting order (`ORDER BY created_at, id LIMIT 1`). With the
-- index on status alone, SQLite's planner (whose statistics come from start-up, often an empty
-- table) read every SUBMITTED order and sorted them on each claim, on the one writer connection:
-- at 100,000 open orders that was tens of milliseconds per claim, which every intake waited behind.
-- An index in claim order over only the waiting orders makes a claim read one entry. Nothing else
-- filters orders by status without the client, whose own index serves it.
DROP INDEX outbound_status;
DROP INDEX outbound_to_book;
CREATE INDEX outbound_to_book ON outbound_orders (created_at, id)
    WHERE tracking_number IS NULL AND status IN ('SUBMITTED', 'WAIT_PICKING');
