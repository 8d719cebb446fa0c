-- Due dates (issue: waves at the cut-off). A warehouse's calendar is the days it does not ship
-- (`core::calendar::Calendar` as JSON: closed weekdays 1 = Monday … 7 = Sunday, closed dates);
-- an order's due date is the warehouse-local day it is due to leave, set when it is submitted.
-- Orders submitted before this migration keep NULL: waves take them as due at once.
ALTER TABLE warehouses ADD COLUMN calendar TEXT NOT NULL DEFAULT '{"closed_weekdays":[],"closed_dates":[]}';
ALTER TABLE outbound_orders ADD COLUMN due_date TEXT;
-- A wave's candidates: one warehouse's submitted orders due by a day, oldest due first.
CREATE INDEX outbound_orders_due ON outbound_orders (warehouse_id, status, due_date, created_at);
