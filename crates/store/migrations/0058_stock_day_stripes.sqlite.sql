-- See 0058_stock_day_stripes.sql. SQLite cannot change a primary key in place: the table is
-- made again (its one writer never waits on a row, but the schema is the same on both).
CREATE TABLE stock_days_striped (
    client_id TEXT NOT NULL,
    day TEXT NOT NULL,
    stripe BIGINT NOT NULL DEFAULT 0,
    delta BIGINT NOT NULL,
    PRIMARY KEY (client_id, day, stripe)
);
INSERT INTO stock_days_striped (client_id, day, stripe, delta) SELECT client_id, day, 0, delta FROM stock_days;
DROP TABLE stock_days;
ALTER TABLE stock_days_striped RENAME TO stock_days;
