-- The units of an order (the sum of its lines' quantities, fixed once it leaves the draft
-- state), kept on the order so that the cut-off board counts a day's orders and their open units
-- from one index, without reading every line of every order due. State before day: the board's
-- overdue count reads open states' past days, and led by the day it would read a million
-- delivered orders' past days.
ALTER TABLE outbound_orders ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
UPDATE outbound_orders SET units = CAST(COALESCE((SELECT SUM(l.qty) FROM outbound_lines l
    WHERE l.order_id = outbound_orders.id), 0) AS BIGINT);
CREATE INDEX outbound_board ON outbound_orders (warehouse_id, status, due_date, service_id, units);
