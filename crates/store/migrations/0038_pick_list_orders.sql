-- A pick list's orders (its totes), read on every pick scan and pick list view: without this a
-- scan read every order in the database.
CREATE INDEX outbound_orders_pick_list ON outbound_orders (pick_list_id) WHERE pick_list_id IS NOT NULL;
