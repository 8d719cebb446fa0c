//! The floor's one queue of things that arrived without a match: freight at the dock with no
//! inbound order, and returned parcels with no return authorisation.

use super::{receiving::Unidentified, returns::UnidentifiedReturn};

/// One item of the queue.
#[derive(Debug, Clone)]
pub enum UnidentifiedItem {
    /// Cartons at the dock: matched to a client's inbound, or closed with a reason.
    Freight(Unidentified),
    /// A returned parcel: matched to a return authorisation, or disposed of once old enough.
    Return(UnidentifiedReturn),
}

impl UnidentifiedItem {
    /// When it arrived, UTC ms.
    pub fn arrived_at_ms(&self) -> i64 {
        match self {
            Self::Freight(f) => f.created_at_ms,
            Self::Return(r) => r.created_at_ms,
        }
    }
}
