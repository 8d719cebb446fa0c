-- A seller's orders by the day they are due (the console's dashboard: today's orders by state,
-- orders per day): read from the index alone, however many orders the client has.
CREATE INDEX outbound_client_due ON outbound_orders (client_id, due_date, status, warehouse_id);
