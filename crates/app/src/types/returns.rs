//! Returns (RMAs) on the floor: what receiving one and running its action take, and what the
//! seller and staff read back.

use entrepot_core::{
    ids::{ClientId, OrderId, UnidentifiedReturnId, WarehouseId},
    outbound::OutboundStatus,
    returns::{Condition, Counted, ReceivedLine, ReturnAction, ReturnStatus},
};
use serde::Serialize;

/// A return authorisation and what the warehouse did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnView {
    /// The RETURN consignment (outbound order) it belongs to.
    pub order_id: OrderId,
    /// Bird's consignment id.
    pub bird_id: i64,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    /// The consignment's own status (PREPARING/PENDING in Bird while it is expected).
    pub order_status: OutboundStatus,
    /// `None` while the goods are expected.
    pub status: Option<ReturnStatus>,
    /// What the seller asked for.
    pub requested: Option<ReturnAction>,
    /// The action that completed it.
    pub outcome: Option<ReturnAction>,
    pub inspected: bool,
    /// The buyer's tracking number.
    pub tracking_number: Option<String>,
    /// Per SKU: expected (from the authorisation), good and damaged units received.
    pub lines: Vec<ReceivedLine>,
    pub notes: Option<String>,
    /// Blob keys of inspection photos.
    pub photos: Vec<String>,
    pub forward_reference: Option<String>,
    pub forward_address: Option<String>,
    /// What completing it cost the client, minor units of `currency`.
    pub fee: i64,
    pub currency: Option<String>,
    pub received_at_ms: Option<i64>,
    pub completed_at_ms: Option<i64>,
}

/// One scanned line of an arriving return: a SKU as its label reads (product id, seller SKU or
/// MFSKUID), its condition and how many units (1 per scan, or a quantity typed once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedUnit {
    pub sku: String,
    pub condition: Condition,
    pub qty: i64,
}

/// What staff scanned of an arriving return, with an optional note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnArrival {
    pub lines: Vec<ScannedUnit>,
    pub note: Option<String>,
}

/// A receipt with its SKUs resolved: what the store records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnReceipt {
    pub counted: Vec<Counted>,
    pub note: Option<String>,
}

/// An action staff run on a received return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnCommand {
    /// `None`: the action the seller asked for.
    pub action: Option<ReturnAction>,
    /// Inspection notes (appended to earlier ones).
    pub notes: Option<String>,
    /// Blob keys of photos already stored (`returns/<id>/<n>.jpg`).
    pub photos: Vec<String>,
    /// Forwarding: the carrier's reference of the onward parcel (required to forward).
    pub forward_reference: Option<String>,
    pub forward_address: Option<String>,
}

impl ReturnCommand {
    pub fn of(action: Option<ReturnAction>) -> Self {
        Self { action, notes: None, photos: vec![], forward_reference: None, forward_address: None }
    }
}

/// Returned goods that came with no authorisation: what was scanned, kept until staff match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnidentifiedReturn {
    pub id: UnidentifiedReturnId,
    pub warehouse_id: WarehouseId,
    /// The code staff scanned (a tracking number, a label) that matched no RMA.
    pub scanned: String,
    pub note: Option<String>,
    pub created_at_ms: i64,
    /// The return authorisation staff matched it to, once they did.
    pub matched_order_id: Option<OrderId>,
}
