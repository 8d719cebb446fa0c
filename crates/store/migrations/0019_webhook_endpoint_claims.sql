-- Webhook claims go endpoint by endpoint (so a slow endpoint's backlog cannot hold up the others,
-- nor make every claim scan it), and /metrics shows each endpoint's backlog: both read the pending
-- deliveries of one endpoint in due order. The (status, next_attempt_at) index served the old
-- claim, which took the delivery due first across all endpoints; this one serves both, and the
-- pending count, in its place.
CREATE INDEX webhook_deliveries_endpoint_due ON webhook_deliveries (status, webhook_id, next_attempt_at, id);
DROP INDEX webhook_deliveries_due;
