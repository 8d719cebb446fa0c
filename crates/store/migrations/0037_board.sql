-- The cut-off board's pick rate: the units a warehouse picked since its day began.
CREATE INDEX picks_warehouse_updated ON picks (warehouse_id, updated_at);
