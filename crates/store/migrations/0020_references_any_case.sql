-- Bird searches consignments by sales and custom identity reference as its MySQL compares text,
-- without regard to case (`lower(col) = lower(?)`, see `engine::bulk::any_case_eq`): the indexes
-- hold the lowered references, so that search stays an index lookup.
DROP INDEX outbound_identity_ref;
CREATE INDEX outbound_identity_ref ON outbound_orders (client_id, lower(identity_ref))
    WHERE identity_ref IS NOT NULL;
DROP INDEX outbound_sales_reference;
CREATE INDEX outbound_sales_reference ON outbound_orders (client_id, lower(sales_reference))
    WHERE sales_reference IS NOT NULL;
