-- OC's needClearanceDoc: an inbound created with it is not received until its customs clearance
-- documents are uploaded. The flag, and the document types uploaded so far (comma-separated OC
-- fileTypes), live beside has_tracking and has_appointment so the receiving transaction reads them
-- with the rest of the inbound's state.
ALTER TABLE inbound_orders ADD COLUMN need_clearance_doc BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbound_orders ADD COLUMN clearance_docs TEXT NOT NULL DEFAULT '';
-- Why a client cancelled an order (OC's cancelReason), when it said.
ALTER TABLE outbound_orders ADD COLUMN cancel_reason TEXT;
