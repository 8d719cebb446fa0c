-- What each location holds in all, kept by the writes of `location_stock` (the store's
-- `location::placement`, the only place that changes it): the putaway suggestion finds the first
-- empty bins of a type through the partial index below, instead of walking every full bin before
-- them (a warehouse whose bins are mostly full walked all of them for every new SKU). `admin
-- check` verifies it against `location_stock`. Bins only: the default locations (DOCK, DAMAGED,
-- RETURNS, STOCK, ...) keep 0, every scan passes through them.
ALTER TABLE locations ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
UPDATE locations SET units = (SELECT COALESCE(SUM(ls.qty), 0) FROM location_stock ls WHERE ls.location_id = locations.id)
    WHERE pick_seq < 1000000000;
CREATE INDEX locations_empty ON locations (warehouse_id, kind, pick_seq, code) WHERE units = 0 AND disabled = 0;
