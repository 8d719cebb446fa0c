-- Native API lists paged by cursor stop after their page (issue: list endpoints with filters and
-- cursors at p99 ≤ 50 ms with 10^5 SKUs and 10^6 orders).
--
-- Putaway tasks: the open inbounds of a warehouse in list order (creation, number), their lines
-- still waiting by SKU (what the received units with no inbound are counted against), and the
-- received stock of a warehouse by SKU, which replaces the index on the warehouse alone. The
-- statuses are spelt as the store's query spells them, so that both backends use the index.
CREATE INDEX inbound_orders_open ON inbound_orders (warehouse_id, created_at, number)
    WHERE status IN ('RECEIVING', 'PARTIALLY_PUT_AWAY');
CREATE INDEX inbound_lines_waiting ON inbound_lines (sku_id) WHERE received > put_away;
CREATE INDEX stock_received_sku ON stock (warehouse_id, sku_id) WHERE received > 0;
DROP INDEX stock_waiting_putaway;

-- The putaway suggestion's first empty bins of one type in walking order: only that type's
-- bins, already in list order.
CREATE INDEX locations_kind_seq ON locations (warehouse_id, kind, pick_seq, code);
