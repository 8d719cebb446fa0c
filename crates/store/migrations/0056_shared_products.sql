-- Shared products (Bird's 普通共享 and 定向共享): a client lets other clients order one of its
-- SKUs, every client (`shared_with` = '*') or named ones. The stock stays the owner's: an order
-- line on another client's SKU names that owner, and the ledger rows it makes name the client
-- whose order moved the owner's units.
CREATE TABLE sku_shares (
    sku_id BIGINT NOT NULL,
    shared_with TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (sku_id, shared_with)
);
CREATE INDEX sku_shares_with ON sku_shares (shared_with, sku_id);
ALTER TABLE outbound_lines ADD COLUMN owner_id TEXT;
ALTER TABLE stock_transfers ADD COLUMN for_client TEXT;
