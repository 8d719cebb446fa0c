-- Webhook endpoints, their deliveries (the delivery log), the outbox fan-out mark, and the columns
-- asynchronous carrier booking keeps on an order.

-- An ERP's callback. `dialect` says whose payload shapes it receives (`bird`); `resource_type` and
-- `action` are that dialect's names for what it subscribes to.
CREATE TABLE webhooks (
    id BIGINT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    dialect TEXT NOT NULL,
    url TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    action TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhooks_client ON webhooks (client_id, status);

-- One message for one endpoint: rendered once at fan-out (so every retry sends the same bytes),
-- then attempted under a lease until it succeeds or its retry schedule runs out.
CREATE TABLE webhook_deliveries (
    id BIGINT PRIMARY KEY,
    client_id TEXT NOT NULL,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    response_code BIGINT,
    response_body TEXT,
    last_error TEXT,
    last_attempt_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (event_id, webhook_id, subject);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (client_id, webhook_id, id);

-- Fan-out mark: NULL until the event's deliveries are written, set in the same transaction by a
-- conditional UPDATE, so each event fans out exactly once however many dispatchers race. Events
-- from before this migration had no endpoints to go to.
ALTER TABLE events ADD COLUMN fanned_out_at BIGINT;
UPDATE events SET fanned_out_at = created_at;
CREATE INDEX events_fan_out ON events (created_at, id) WHERE fanned_out_at IS NULL;

-- Carrier booking: who holds the booking lease (booking_lease_until is in 0002), how many times it
-- was tried (for the back-off) and why a carrier refused it.
ALTER TABLE outbound_orders ADD COLUMN booking_owner TEXT;
ALTER TABLE outbound_orders ADD COLUMN booking_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbound_orders ADD COLUMN booking_error TEXT;
CREATE INDEX outbound_to_book ON outbound_orders (created_at)
    WHERE tracking_number IS NULL AND status IN ('SUBMITTED', 'WAIT_PICKING');
