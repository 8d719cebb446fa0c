//! Tracking after the handover: what a carrier says became of a parcel, and the sandbox
//! carrier's own story of it.
//!
//! The sandbox tells the same story for the same parcel every time it is asked: one stage per
//! `step` after the handover (accepted, in transit, out for delivery, delivered), except that
//! one parcel in twenty (by its tracking number) meets a delivery exception instead of being
//! delivered. A demo or a test shortens the step to watch it happen.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// A stage of a parcel's journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TrackingCode {
    Accepted,
    InTransit,
    OutForDelivery,
    Delivered,
    /// The carrier could not deliver (address, refused, damaged).
    DeliveryException,
}

impl TrackingCode {
    pub const ALL: [Self; 5] =
        [Self::Accepted, Self::InTransit, Self::OutForDelivery, Self::Delivered, Self::DeliveryException];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "ACCEPTED",
            Self::InTransit => "IN_TRANSIT",
            Self::OutForDelivery => "OUT_FOR_DELIVERY",
            Self::Delivered => "DELIVERED",
            Self::DeliveryException => "DELIVERY_EXCEPTION",
        }
    }

    /// Words for people (and OC's routing information).
    pub fn description(self) -> &'static str {
        match self {
            Self::Accepted => "Accepted by the carrier",
            Self::InTransit => "In transit",
            Self::OutForDelivery => "Out for delivery",
            Self::Delivered => "Delivered",
            Self::DeliveryException => "Delivery exception: the carrier could not deliver",
        }
    }

    /// Whether the journey ends here.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::DeliveryException)
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TrackingCode {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| CoreError::invalid("code", format!("unknown tracking code '{s}'")))
    }
}

/// One thing a carrier reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingEvent {
    pub code: TrackingCode,
    /// When it happened, UTC ms.
    pub at_ms: i64,
    pub description: String,
    pub location: Option<String>,
}

/// The sandbox carrier's events for a parcel handed over at `handed_over_ms`, as of `now_ms`,
/// one stage every `step_ms`.
pub fn sandbox_events(tracking_number: &str, handed_over_ms: i64, step_ms: i64, now_ms: i64) -> Vec<TrackingEvent> {
    let step = step_ms.max(1);
    // One parcel in twenty, by a hash of its number that does not change between runs.
    let unlucky = tracking_number.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 20 == 0;
    let last = if unlucky { TrackingCode::DeliveryException } else { TrackingCode::Delivered };
    let stages = [TrackingCode::Accepted, TrackingCode::InTransit, TrackingCode::OutForDelivery, last];
    let places = [Some("Collection depot"), Some("Sorting centre"), Some("Delivery office"), None];
    stages
        .into_iter()
        .zip(places)
        .enumerate()
        .map(|(k, (code, place))| (code, place, handed_over_ms.saturating_add(step.saturating_mul(k as i64 + 1))))
        .filter(|(_, _, at)| *at <= now_ms)
        .map(|(code, place, at_ms)| TrackingEvent {
            code,
            at_ms,
            description: code.description().to_owned(),
            location: place.map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_tells_one_stage_per_step_the_same_every_time() {
        let none = sandbox_events("RM000000019GB", 1_000, 100, 1_099);
        assert!(none.is_empty());
        let two = sandbox_events("RM000000019GB", 1_000, 100, 1_200);
        assert_eq!(two.iter().map(|e| e.code).collect::<Vec<_>>(), [TrackingCode::Accepted, TrackingCode::InTransit]);
        assert_eq!(two[1].at_ms, 1_200);
        let all = sandbox_events("RM000000019GB", 1_000, 100, 10_000);
        assert_eq!(all.len(), 4);
        assert!(all[3].code.is_final());
        assert_eq!(all, sandbox_events("RM000000019GB", 1_000, 100, 10_000));
        // Some parcels in a hundred end in an exception, most are delivered.
        let ends: Vec<TrackingCode> =
            (0..100).map(|k| sandbox_events(&format!("T{k}"), 0, 1, 10).pop().map(|e| e.code).unwrap()).collect();
        let bad = ends.iter().filter(|c| **c == TrackingCode::DeliveryException).count();
        assert!((1..20).contains(&bad), "{bad}");
        assert_eq!("DELIVERED".parse::<TrackingCode>().ok(), Some(TrackingCode::Delivered));
    }
}
