-- Shipping labels live beside their booking, written in the transaction that records it: one
-- small row per label, so booking a batch is one durable commit. A file per label cost an inode,
-- its fsync and its folder's fsync per order, which took more CPU than the order's intake.
-- Orders booked before this kept their labels as files; asked for again, such a label is printed
-- again by the carrier (bookings are idempotent: the same shipment, the same label).
CREATE TABLE order_labels (
    order_id TEXT PRIMARY KEY REFERENCES outbound_orders (id),
    pdf BYTEA NOT NULL
);
ALTER TABLE outbound_orders DROP COLUMN label_path;
