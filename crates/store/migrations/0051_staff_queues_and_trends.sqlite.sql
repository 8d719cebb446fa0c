-- 0051_staff_queues_and_trends.sql as SQLite spells a day.
-- The seller dashboard's 30-day charts, read from daily tallies kept as things happen (like
-- money_months), not summed over a busy client's orders or movements:
-- ship_days: orders handed over, by the day they were due (warehouse-local), on time or late
-- (on time: handed over by that day's cut-off in the warehouse's zone).
CREATE TABLE ship_days (
    client_id TEXT NOT NULL,
    due_date TEXT NOT NULL,
    on_time BIGINT NOT NULL,
    late BIGINT NOT NULL,
    PRIMARY KEY (client_id, due_date)
);
-- stock_days: the net change of a client's units on hand (every held bucket but in transit) per
-- UTC day; a past day's level is today's less the changes after it.
CREATE TABLE stock_days (
    client_id TEXT NOT NULL,
    day TEXT NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (client_id, day)
);
INSERT INTO stock_days (client_id, day, delta)
SELECT client_id, strftime('%Y-%m-%d', created_at / 1000, 'unixepoch'),
       CAST(SUM(CASE WHEN to_bucket IN ('outside', 'in_transit') THEN 0 ELSE qty END
              - CASE WHEN from_bucket IN ('outside', 'in_transit') THEN 0 ELSE qty END) AS BIGINT)
FROM stock_transfers GROUP BY 1, 2;
-- An unidentified returned parcel nobody claimed is disposed of after a while: it leaves the queue.
ALTER TABLE unidentified_returns ADD COLUMN disposed_at BIGINT;
ALTER TABLE unidentified_returns ADD COLUMN disposed_by TEXT;
