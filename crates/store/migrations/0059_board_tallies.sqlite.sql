-- See 0059_board_tallies.sql. SQLite's triggers are per row and written inline.
CREATE TABLE board_tallies (
    warehouse_id TEXT NOT NULL,
    due_date TEXT NOT NULL,
    service_id TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    units BIGINT NOT NULL,
    PRIMARY KEY (warehouse_id, due_date, service_id, status)
);
CREATE INDEX board_tallies_status ON board_tallies (warehouse_id, status, due_date);
CREATE TABLE board_deltas (
    warehouse_id TEXT NOT NULL,
    due_date TEXT NOT NULL,
    service_id TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    units BIGINT NOT NULL
);
CREATE INDEX board_deltas_day ON board_deltas (warehouse_id, due_date);
INSERT INTO board_tallies (warehouse_id, due_date, service_id, status, n, units)
SELECT warehouse_id, due_date, service_id, status, COUNT(*), CAST(SUM(units) AS BIGINT)
FROM outbound_orders WHERE due_date IS NOT NULL GROUP BY warehouse_id, due_date, service_id, status;

CREATE TRIGGER board_order_inserted AFTER INSERT ON outbound_orders WHEN NEW.due_date IS NOT NULL
BEGIN
    INSERT INTO board_deltas (warehouse_id, due_date, service_id, status, n, units)
    VALUES (NEW.warehouse_id, NEW.due_date, NEW.service_id, NEW.status, 1, NEW.units);
END;
CREATE TRIGGER board_order_updated AFTER UPDATE OF warehouse_id, due_date, service_id, status, units
    ON outbound_orders
    WHEN OLD.warehouse_id IS NOT NEW.warehouse_id OR OLD.due_date IS NOT NEW.due_date
         OR OLD.service_id IS NOT NEW.service_id OR OLD.status IS NOT NEW.status OR OLD.units IS NOT NEW.units
BEGIN
    INSERT INTO board_deltas (warehouse_id, due_date, service_id, status, n, units)
    SELECT OLD.warehouse_id, OLD.due_date, OLD.service_id, OLD.status, -1, -OLD.units WHERE OLD.due_date IS NOT NULL;
    INSERT INTO board_deltas (warehouse_id, due_date, service_id, status, n, units)
    SELECT NEW.warehouse_id, NEW.due_date, NEW.service_id, NEW.status, 1, NEW.units WHERE NEW.due_date IS NOT NULL;
END;
CREATE TRIGGER board_order_deleted AFTER DELETE ON outbound_orders WHEN OLD.due_date IS NOT NULL
BEGIN
    INSERT INTO board_deltas (warehouse_id, due_date, service_id, status, n, units)
    VALUES (OLD.warehouse_id, OLD.due_date, OLD.service_id, OLD.status, -1, -OLD.units);
END;

DROP INDEX picks_warehouse_updated;
CREATE INDEX picks_picked_since ON picks (warehouse_id, updated_at, picked) WHERE picked > 0;
