-- What a client sold an order for on its platform (Bird's `sales_price`, `ebay_transaction_id`,
-- `ebay_item_no`): per line, and the order's own sales price. Money as integer minor units with
-- its currency, like every other amount. Orders placed before this kept the consignment's price
-- as text in `attributes`, which the Bird row still shows when the column is empty.
ALTER TABLE outbound_lines ADD COLUMN sales_price BIGINT;
ALTER TABLE outbound_lines ADD COLUMN sales_currency TEXT;
ALTER TABLE outbound_lines ADD COLUMN ebay_transaction_id TEXT;
ALTER TABLE outbound_lines ADD COLUMN ebay_item_no TEXT;
ALTER TABLE outbound_orders ADD COLUMN sales_price BIGINT;
ALTER TABLE outbound_orders ADD COLUMN sales_currency TEXT;
