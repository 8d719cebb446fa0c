-- stock_days was one row per client and day, updated by every transaction that moves units in
-- or out of the warehouse: on PostgreSQL a client's concurrent receive scans each waited for
-- the previous one's commit on that row. A transaction now adds to one of a few stripes of the
-- day (chosen at random), and a read sums them.
ALTER TABLE stock_days ADD COLUMN stripe BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stock_days DROP CONSTRAINT stock_days_pkey;
ALTER TABLE stock_days ADD PRIMARY KEY (client_id, day, stripe);
