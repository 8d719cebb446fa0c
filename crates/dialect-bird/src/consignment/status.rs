//! Bird's consignment status names: a table of its own, importing nothing of the crate, because
//! the error envelope names statuses too (an illegal status change) and the consignment types
//! import the envelope.

use entrepot_core::{outbound::OutboundStatus, returns::ReturnStatus};

/// Bird's name of a core status.
pub fn bird_status(s: OutboundStatus) -> &'static str {
    match s {
        OutboundStatus::Draft => "PREPARING",
        OutboundStatus::Submitted => "PENDING",
        OutboundStatus::WaitPicking => "WAIT_PICKING",
        OutboundStatus::Picking => "PICKING",
        OutboundStatus::Packed => "PROCESSING",
        OutboundStatus::Shipped | OutboundStatus::Delivered => "FINISHED",
        OutboundStatus::Cancelled => "CANCELLED",
        OutboundStatus::Exception => "PROBLEM",
    }
}

/// Bird's name of a received return's status: RECEIVED, then PROCESSING while it is inspected,
/// FINISHED once its action ran (before receipt a return shows its consignment status).
pub fn bird_return_status(s: ReturnStatus) -> &'static str {
    match s {
        ReturnStatus::Received => "RECEIVED",
        ReturnStatus::Inspecting => "PROCESSING",
        ReturnStatus::Completed => "FINISHED",
    }
}
