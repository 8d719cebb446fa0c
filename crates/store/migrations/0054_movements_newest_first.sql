-- A SKU's newest movements (its console page) are asked for newest first, ties by id: with the
-- id in the index, the order is the index's, read backwards and stopped at the page's size, so no
-- plan has to sort or walk the client's whole ledger for a SKU whose movements are old.
CREATE INDEX stock_transfers_sku_newest ON stock_transfers (sku_id, created_at, id);
DROP INDEX stock_transfers_sku;
