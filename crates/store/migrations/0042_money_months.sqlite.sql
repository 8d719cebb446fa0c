-- 0042_money_months.sql as SQLite spells a month.
-- A client's money per calendar month (UTC) and reason, kept with every ledger row, so that a
-- statement's totals are read, not summed over a busy month's entries; and the ledger's index
-- ordered to the row, so that a statement pages through its entries newest first.
CREATE TABLE money_months (
    client_id TEXT NOT NULL,
    month TEXT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    amount BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    PRIMARY KEY (client_id, month, currency, reason)
);
INSERT INTO money_months (client_id, month, currency, reason, amount, entries)
SELECT client_id, strftime('%Y-%m', created_at / 1000, 'unixepoch'), currency, reason,
       CAST(SUM(amount) AS BIGINT), COUNT(*)
FROM money_transfers GROUP BY 1, 2, 3, 4;
DROP INDEX money_transfers_client;
CREATE INDEX money_transfers_client ON money_transfers (client_id, created_at, id);
