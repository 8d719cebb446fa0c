-- The weight a carrier label declares (issue 19 §3): packing re-books a parcel whose packed
-- weight falls on another step of its service's price list. NULL: booked before this, or by a
-- path that did not say; such labels are kept as they are.
ALTER TABLE outbound_orders ADD COLUMN booked_weight_g BIGINT;
