-- PostgreSQL only (SQLite has no such settings). Room on each page for the next version of a row
-- that is updated in place all day (stock levels, balances, an order's booking), so that the
-- update stays on its page and writes no index entry (a "HOT" update); a full page forces a new
-- entry into every index of the table, and the dead entries slow each lookup until vacuumed.
ALTER TABLE stock SET (fillfactor = 50);
ALTER TABLE balances SET (fillfactor = 50);
ALTER TABLE outbound_orders SET (fillfactor = 80);
-- Labels (a few kB of PDF each) compressed with LZ4 rather than the default pglz, which cost more
-- CPU than the rest of recording a booking. Left as it is on a server built without LZ4.
DO $$
BEGIN
    ALTER TABLE order_labels ALTER COLUMN pdf SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'labels keep the default compression: %', SQLERRM;
END
$$;
-- No foreign-key triggers on the rows written per order: checking them was a fifth of the
-- database's CPU during intake and booking (a query and a row lock on the client, warehouse,
-- service, SKU and order rows, per row written). Those rows are never deleted, every writer
-- takes the ids from rows it has just read, and `entrepot admin check` reports any order, line or
-- label that names a row that is not there. SQLite, whose checks are a plain index lookup,
-- keeps them.
ALTER TABLE outbound_orders DROP CONSTRAINT IF EXISTS outbound_orders_client_id_fkey;
ALTER TABLE outbound_orders DROP CONSTRAINT IF EXISTS outbound_orders_warehouse_id_fkey;
ALTER TABLE outbound_orders DROP CONSTRAINT IF EXISTS outbound_orders_service_id_fkey;
ALTER TABLE outbound_lines DROP CONSTRAINT IF EXISTS outbound_lines_order_id_fkey;
ALTER TABLE outbound_lines DROP CONSTRAINT IF EXISTS outbound_lines_sku_id_fkey;
ALTER TABLE order_labels DROP CONSTRAINT IF EXISTS order_labels_order_id_fkey;
