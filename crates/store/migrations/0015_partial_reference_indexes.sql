-- Indexes written with every order and never read for the rows they hold most: the references
-- are only ever looked up by value, so an order without one (most have no custom identity
-- reference or platform order id) need not be in their index; and nothing reads events by
-- creation time (the fan-out reads its own partial index).
DROP INDEX outbound_identity_ref;
CREATE INDEX outbound_identity_ref ON outbound_orders (client_id, identity_ref) WHERE identity_ref IS NOT NULL;
DROP INDEX outbound_platform_order;
CREATE INDEX outbound_platform_order ON outbound_orders (client_id, platform_order_id)
    WHERE platform_order_id IS NOT NULL;
DROP INDEX outbound_sales_reference;
CREATE INDEX outbound_sales_reference ON outbound_orders (client_id, sales_reference)
    WHERE sales_reference IS NOT NULL;
DROP INDEX events_created;
