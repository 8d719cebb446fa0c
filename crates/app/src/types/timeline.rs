//! An order's life as the seller reads it: what the warehouse scanned and what the carrier
//! reported, in time order.

use serde::Serialize;

use crate::types::orders::OrderView;

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Moment {
    Placed,
    /// A scan or decision in the warehouse, by its audit action (`pick.scanned`, `pack.closed`,
    /// `order.intercept`, ...), with what it recorded.
    Scan {
        action: String,
        detail: Option<String>,
    },
    /// Scanned onto the carrier's manifest of the day.
    Manifested {
        carrier: String,
    },
    /// The manifest was closed at the carrier's pickup: the parcel left.
    HandedOver {
        carrier: String,
    },
    /// A stage the carrier reported.
    Carrier {
        code: String,
        description: String,
        location: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at_ms: i64,
    /// Who (a person's name, or the carrier's).
    pub by: String,
    pub moment: Moment,
}

#[derive(Debug, Clone)]
pub struct OrderTimeline {
    pub order: OrderView,
    /// Oldest first.
    pub entries: Vec<TimelineEntry>,
}
