//! Inbound orders: goods on their way into a warehouse, received at the dock and put away.
//!
//! Submitting an inbound puts its expected quantities in transit (OC reason IOS); receiving moves
//! them to received, with over- and short-receipts recorded as discrepancies; put-away makes them
//! available (PAC). Express inbounds wait for tracking numbers, others for an appointment.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    ids::SkuId,
    inventory::{Bucket, Reason, Transfer},
    CoreError, CoreResult,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShippingMode {
    Express,
    Sea,
    Air,
    Truck,
}

impl ShippingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Express => "EXPRESS",
            Self::Sea => "SEA",
            Self::Air => "AIR",
            Self::Truck => "TRUCK",
        }
    }
}

impl FromStr for ShippingMode {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.to_ascii_uppercase().as_str() {
            "EXPRESS" | "EX" => Ok(Self::Express),
            "SEA" | "OF" => Ok(Self::Sea),
            "AIR" | "AF" => Ok(Self::Air),
            "TRUCK" | "TK" | "RF" => Ok(Self::Truck),
            _ => Err(CoreError::invalid("shippingMethod", format!("unknown shipping mode '{s}'"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InboundStatus {
    Draft,
    AwaitingAppointment,
    AwaitingTracking,
    InTransit,
    Arrived,
    Receiving,
    PartiallyPutAway,
    PutAway,
    Cancelled,
}

impl InboundStatus {
    pub const ALL: [Self; 9] = [
        Self::Draft,
        Self::AwaitingAppointment,
        Self::AwaitingTracking,
        Self::InTransit,
        Self::Arrived,
        Self::Receiving,
        Self::PartiallyPutAway,
        Self::PutAway,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::AwaitingAppointment => "AWAITING_APPOINTMENT",
            Self::AwaitingTracking => "AWAITING_TRACKING",
            Self::InTransit => "IN_TRANSIT",
            Self::Arrived => "ARRIVED",
            Self::Receiving => "RECEIVING",
            Self::PartiallyPutAway => "PARTIALLY_PUT_AWAY",
            Self::PutAway => "PUT_AWAY",
            Self::Cancelled => "CANCELLED",
        }
    }

    /// Whether goods can still be received against the order.
    pub fn accepts_receipts(self) -> bool {
        matches!(
            self,
            Self::InTransit
                | Self::Arrived
                | Self::Receiving
                | Self::PartiallyPutAway
                | Self::AwaitingAppointment
                | Self::AwaitingTracking
        )
    }

    /// Whether the expected quantities are in the in-transit bucket.
    pub fn in_ledger(self) -> bool {
        !matches!(self, Self::Draft | Self::Cancelled)
    }
}

impl fmt::Display for InboundStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InboundStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| CoreError::invalid("status", format!("unknown inbound status '{s}'")))
    }
}

/// Stock transfers per SKU that a step of an inbound order makes.
pub type SkuMoves = Vec<(SkuId, Transfer)>;

/// One SKU of an inbound order and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundLine {
    pub sku_id: SkuId,
    pub expected: i64,
    /// Units received in good condition (they wait in the received bucket for put-away).
    pub received: i64,
    pub put_away: i64,
    /// Units received damaged: they went to the unfulfillable bucket and are never put away.
    #[serde(default)]
    pub damaged: i64,
}

impl InboundLine {
    /// A line expecting `expected` units, nothing received yet.
    pub fn expecting(sku_id: SkuId, expected: i64) -> Self {
        Self { sku_id, expected, received: 0, put_away: 0, damaged: 0 }
    }

    /// Every unit counted at the dock, good or damaged.
    pub fn counted(&self) -> i64 {
        self.received.saturating_add(self.damaged)
    }

    /// Units still in transit for this line.
    pub fn outstanding(&self) -> i64 {
        (self.expected - self.counted()).max(0)
    }

    /// Units the closed receipt found missing (0 while the receipt is open).
    pub fn short(&self, receipt_closed: bool) -> i64 {
        if receipt_closed {
            self.outstanding()
        } else {
            0
        }
    }
}

/// The condition a unit is received in: damaged goes to the unfulfillable bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Good,
    Damaged,
}

impl Condition {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Damaged => "damaged",
        }
    }
}

impl FromStr for Condition {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "good" | "ok" => Ok(Self::Good),
            "damaged" | "damage" => Ok(Self::Damaged),
            _ => Err(CoreError::invalid("condition", format!("'{s}' is not good or damaged"))),
        }
    }
}

/// What kind of mismatch a receipt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// More units counted than expected.
    Over,
    /// Fewer units counted than expected, known when the receipt is closed.
    Short,
    /// Units counted damaged.
    Damaged,
    /// A SKU that is not on the inbound (or not approved) came with it.
    Unexpected,
}

impl DiscrepancyKind {
    pub const ALL: [Self; 4] = [Self::Over, Self::Short, Self::Damaged, Self::Unexpected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Over => "over",
            Self::Short => "short",
            Self::Damaged => "damaged",
            Self::Unexpected => "unexpected",
        }
    }
}

impl FromStr for DiscrepancyKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| CoreError::invalid("kind", format!("'{s}' is not over, short, damaged or unexpected")))
    }
}

/// An inbound order's state, as the core needs it to decide moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    pub number: String,
    pub mode: ShippingMode,
    pub status: InboundStatus,
    pub lines: Vec<InboundLine>,
    pub has_tracking: bool,
    pub has_appointment: bool,
    #[serde(default)]
    pub clearance: Clearance,
    /// Staff closed the receipt: nothing more is counted, what did not come is short, and the
    /// order is done once every good unit is put away.
    #[serde(default)]
    pub receipt_closed: bool,
}

/// The customs clearance documents every inbound created with OC's `needClearanceDoc` must have
/// before its goods are received (OC's guide: such an inbound "must" upload its clearance files).
/// OC does not say which; these are what customs asks of any import: a packing list and an
/// invoice. Each is `(code, types that count as it)`, by OC's clearance `fileType`: a commercial
/// invoice (`CI`) counts as the invoice.
pub const CLEARANCE_DOCS: [(&str, &str, &[&str]); 2] =
    [("PL", "packing list", &["PL"]), ("IN", "invoice", &["IN", "CI"])];

/// Whether an inbound needs customs clearance documents, and which types were uploaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clearance {
    /// OC's `needClearanceDoc`, as sent at creation.
    pub required: bool,
    /// Document types uploaded so far (OC's `fileType`, upper-case), each once, in upload order.
    pub uploaded: Vec<String>,
}

impl Clearance {
    /// The [`CLEARANCE_DOCS`] codes still missing; empty when none is required.
    pub fn missing(&self) -> Vec<&'static str> {
        if !self.required {
            return vec![];
        }
        CLEARANCE_DOCS
            .iter()
            .filter(|(_, _, kinds)| !kinds.iter().any(|k| self.uploaded.iter().any(|u| u == k)))
            .map(|(code, _, _)| *code)
            .collect()
    }

    /// Records uploaded document types (upper-cased; each kept once).
    pub fn add(&mut self, types: &[String]) {
        for t in types {
            let t = t.trim().to_ascii_uppercase();
            if !t.is_empty() && !self.uploaded.contains(&t) {
                self.uploaded.push(t);
            }
        }
    }
}

/// A receipt that did not match the expected quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub sku_id: SkuId,
    pub kind: DiscrepancyKind,
    pub expected: i64,
    /// Every unit counted, good or damaged.
    pub received: i64,
    /// The units the discrepancy is about (over, short or damaged).
    pub quantity: i64,
}

impl Inbound {
    fn refuse(&self, to: &str) -> CoreError {
        CoreError::InvalidTransition {
            entity: "inbound order",
            id: self.number.clone(),
            from: self.status.as_str().to_owned(),
            to: to.to_owned(),
        }
    }

    fn line_mut(&mut self, sku: SkuId) -> CoreResult<&mut InboundLine> {
        let number = self.number.clone();
        self.lines
            .iter_mut()
            .find(|l| l.sku_id == sku)
            .ok_or_else(|| CoreError::invalid("sku", format!("SKU {sku} is not on inbound order {number}")))
    }

    /// Submits a draft: expected goods go in transit; the order then waits for tracking numbers
    /// (express) or an appointment (everything else).
    pub fn submit(&mut self) -> CoreResult<SkuMoves> {
        if self.status != InboundStatus::Draft {
            return Err(self.refuse("SUBMITTED"));
        }
        if self.lines.is_empty() || self.lines.iter().any(|l| l.expected <= 0) {
            return Err(CoreError::invalid("lines", "an inbound order needs positive quantities"));
        }
        self.status = if self.mode == ShippingMode::Express {
            InboundStatus::AwaitingTracking
        } else {
            InboundStatus::AwaitingAppointment
        };
        self.advance_if_ready();
        self.lines
            .iter()
            .map(|l| {
                Ok((l.sku_id, Transfer::new(Bucket::Outside, Bucket::InTransit, l.expected, Reason::InboundSubmitted)?))
            })
            .collect()
    }

    fn advance_if_ready(&mut self) {
        let ready = match self.status {
            InboundStatus::AwaitingTracking => self.has_tracking,
            InboundStatus::AwaitingAppointment => self.has_appointment,
            _ => false,
        };
        if ready {
            self.status = InboundStatus::InTransit;
        }
    }

    /// Records tracking numbers (express inbounds).
    pub fn add_tracking(&mut self) -> CoreResult<()> {
        if self.mode != ShippingMode::Express {
            return Err(CoreError::Conflict(format!(
                "inbound {} is not an express inbound; it needs an appointment",
                self.number
            )));
        }
        if matches!(self.status, InboundStatus::Cancelled | InboundStatus::PutAway) {
            return Err(self.refuse("IN_TRANSIT"));
        }
        self.has_tracking = true;
        self.advance_if_ready();
        Ok(())
    }

    /// Books the delivery appointment (non-express inbounds).
    pub fn book_appointment(&mut self) -> CoreResult<()> {
        if self.mode == ShippingMode::Express {
            return Err(CoreError::Conflict(format!(
                "inbound {} is an express inbound; it takes tracking numbers",
                self.number
            )));
        }
        if matches!(self.status, InboundStatus::Cancelled | InboundStatus::PutAway | InboundStatus::Draft) {
            return Err(self.refuse("IN_TRANSIT"));
        }
        self.has_appointment = true;
        self.advance_if_ready();
        Ok(())
    }

    /// Cancels a booked appointment (or records a no-show): the order waits for a new one.
    pub fn cancel_appointment(&mut self) -> CoreResult<()> {
        if self.mode == ShippingMode::Express || !self.has_appointment {
            return Err(CoreError::Conflict(format!("inbound {} has no appointment booked", self.number)));
        }
        if !matches!(self.status, InboundStatus::InTransit | InboundStatus::AwaitingAppointment) {
            return Err(self.refuse("AWAITING_APPOINTMENT"));
        }
        self.has_appointment = false;
        self.status = InboundStatus::AwaitingAppointment;
        Ok(())
    }

    /// The goods are at the dock.
    pub fn arrive(&mut self) -> CoreResult<()> {
        match self.status {
            InboundStatus::InTransit | InboundStatus::AwaitingAppointment | InboundStatus::AwaitingTracking => {
                self.status = InboundStatus::Arrived;
                Ok(())
            }
            _ => Err(self.refuse("ARRIVED")),
        }
    }

    /// Receives `qty` good units: from in transit up to what is outstanding, the excess from
    /// outside (goods nobody announced still exist and must be counted).
    pub fn receive(&mut self, sku: SkuId, qty: i64) -> CoreResult<Vec<Transfer>> {
        self.receive_as(sku, qty, Condition::Good)
    }

    /// Receives `qty` units in `condition`: good ones into received, damaged ones into
    /// unfulfillable; in transit first, the excess from outside.
    pub fn receive_as(&mut self, sku: SkuId, qty: i64, condition: Condition) -> CoreResult<Vec<Transfer>> {
        if qty <= 0 {
            return Err(CoreError::invalid("quantity", "must be positive"));
        }
        if !self.status.accepts_receipts() {
            return Err(self.refuse("RECEIVING"));
        }
        if self.receipt_closed {
            return Err(CoreError::Conflict(format!("the receipt of inbound {} is closed", self.number)));
        }
        self.ensure_cleared()?;
        let line = self.line_mut(sku)?;
        let from_transit = line.outstanding().min(qty);
        let excess = qty - from_transit;
        let (mut received, mut damaged) = (line.received, line.damaged);
        let counter = match condition {
            Condition::Good => &mut received,
            Condition::Damaged => &mut damaged,
        };
        *counter = counter.checked_add(qty).ok_or_else(|| crate::limits::too_large("quantity"))?;
        received.checked_add(damaged).ok_or_else(|| crate::limits::too_large("quantity"))?;
        (line.received, line.damaged) = (received, damaged);
        let to = match condition {
            Condition::Good => Bucket::Received,
            Condition::Damaged => Bucket::Unfulfillable,
        };
        let mut out = vec![];
        if from_transit > 0 {
            out.push(Transfer::new(Bucket::InTransit, to, from_transit, Reason::Received)?);
        }
        if excess > 0 {
            out.push(Transfer::new(Bucket::Outside, to, excess, Reason::Received)?);
        }
        if matches!(
            self.status,
            InboundStatus::InTransit
                | InboundStatus::Arrived
                | InboundStatus::AwaitingAppointment
                | InboundStatus::AwaitingTracking
        ) {
            self.status = InboundStatus::Receiving;
        }
        Ok(out)
    }

    /// Refuses receiving while clearance documents the inbound needs are missing, naming them.
    pub fn ensure_cleared(&self) -> CoreResult<()> {
        let missing = self.clearance.missing();
        if missing.is_empty() {
            return Ok(());
        }
        let named: Vec<String> = CLEARANCE_DOCS
            .iter()
            .filter(|(code, _, _)| missing.contains(code))
            .map(|(code, name, _)| format!("{name} ({code})"))
            .collect();
        Err(CoreError::Conflict(format!(
            "inbound {} cannot be received until its customs clearance documents are uploaded (it was created with needClearanceDoc): missing {}",
            self.number,
            named.join(", ")
        )))
    }

    /// Records uploaded customs clearance documents of `types` (OC's `fileType`).
    pub fn add_clearance_docs(&mut self, types: &[String]) -> CoreResult<()> {
        if self.status == InboundStatus::Cancelled {
            return Err(CoreError::Conflict(format!("inbound {} is cancelled", self.number)));
        }
        self.clearance.add(types);
        Ok(())
    }

    /// Puts away `qty` received units, making them sellable.
    pub fn put_away(&mut self, sku: SkuId, qty: i64) -> CoreResult<Transfer> {
        if qty <= 0 {
            return Err(CoreError::invalid("quantity", "must be positive"));
        }
        if !matches!(self.status, InboundStatus::Receiving | InboundStatus::PartiallyPutAway) {
            return Err(self.refuse("PUT_AWAY"));
        }
        let line = self.line_mut(sku)?;
        let waiting = line.received - line.put_away;
        if qty > waiting {
            return Err(CoreError::invalid(
                "quantity",
                format!("only {waiting} received units of SKU {sku} wait for put-away"),
            ));
        }
        line.put_away += qty;
        self.status = if self.all_put_away() { InboundStatus::PutAway } else { InboundStatus::PartiallyPutAway };
        Transfer::new(Bucket::Received, Bucket::Available, qty, Reason::PutAway)
    }

    /// Whether every good unit is put away and nothing more is coming (all counted, or the
    /// receipt closed).
    fn all_put_away(&self) -> bool {
        self.lines.iter().all(|l| l.put_away >= l.received && (self.receipt_closed || l.outstanding() == 0))
    }

    /// The discrepancies of the lines as counted so far: over and damaged at any time, short once
    /// the receipt is closed.
    pub fn discrepancies(&self) -> Vec<Discrepancy> {
        let mut out = vec![];
        for l in &self.lines {
            let d = |kind, quantity| Discrepancy {
                sku_id: l.sku_id,
                kind,
                expected: l.expected,
                received: l.counted(),
                quantity,
            };
            if l.counted() > l.expected {
                out.push(d(DiscrepancyKind::Over, l.counted() - l.expected));
            }
            if l.short(self.receipt_closed) > 0 {
                out.push(d(DiscrepancyKind::Short, l.short(true)));
            }
            if l.damaged > 0 {
                out.push(d(DiscrepancyKind::Damaged, l.damaged));
            }
        }
        out
    }

    /// Closes the receipt: nothing more is counted; what is still in transit leaves the ledger
    /// (short), and every mismatch becomes a discrepancy. Received units wait at the dock for
    /// put-away; the order is done when they are all put away (at once if none wait).
    pub fn close_receipt(&mut self) -> CoreResult<(SkuMoves, Vec<Discrepancy>)> {
        if !matches!(self.status, InboundStatus::Arrived | InboundStatus::Receiving | InboundStatus::PartiallyPutAway)
            || self.receipt_closed
        {
            return Err(CoreError::Conflict(format!(
                "the receipt of inbound {} cannot be closed in status {}{}",
                self.number,
                self.status,
                if self.receipt_closed { " (it is closed already)" } else { "" }
            )));
        }
        let mut moves = vec![];
        for l in &self.lines {
            if l.outstanding() > 0 {
                moves.push((
                    l.sku_id,
                    Transfer::new(Bucket::InTransit, Bucket::Outside, l.outstanding(), Reason::InboundClosed)?,
                ));
            }
        }
        self.receipt_closed = true;
        if self.all_put_away() {
            self.status = InboundStatus::PutAway;
        }
        Ok((moves, self.discrepancies()))
    }

    /// Closes an order whose goods will not all come, once every received unit is put away: what
    /// is still in transit leaves the ledger, and every line that did not match becomes a
    /// discrepancy.
    pub fn close(&mut self) -> CoreResult<(SkuMoves, Vec<Discrepancy>)> {
        if !matches!(self.status, InboundStatus::Receiving | InboundStatus::PartiallyPutAway | InboundStatus::Arrived) {
            return Err(self.refuse("PUT_AWAY"));
        }
        if self.lines.iter().any(|l| l.put_away < l.received) {
            return Err(CoreError::Conflict(format!("inbound {} has received goods not yet put away", self.number)));
        }
        if self.receipt_closed {
            self.status = InboundStatus::PutAway;
            return Ok((vec![], self.discrepancies()));
        }
        self.close_receipt()
    }

    /// Cancels an order before anything arrived.
    pub fn cancel(&mut self) -> CoreResult<SkuMoves> {
        let moves = match self.status {
            InboundStatus::Draft => vec![],
            InboundStatus::AwaitingAppointment | InboundStatus::AwaitingTracking | InboundStatus::InTransit => self
                .lines
                .iter()
                .map(|l| {
                    Ok((
                        l.sku_id,
                        Transfer::new(Bucket::InTransit, Bucket::Outside, l.expected, Reason::InboundClosed)?,
                    ))
                })
                .collect::<CoreResult<_>>()?,
            _ => return Err(self.refuse("CANCELLED")),
        };
        self.status = InboundStatus::Cancelled;
        Ok(moves)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Position;

    fn inbound(mode: ShippingMode) -> Inbound {
        Inbound {
            number: "OCI1".into(),
            mode,
            status: InboundStatus::Draft,
            lines: vec![InboundLine::expecting(SkuId(1), 10), InboundLine::expecting(SkuId(2), 5)],
            has_tracking: false,
            has_appointment: false,
            clearance: Clearance::default(),
            receipt_closed: false,
        }
    }

    fn apply(p: &mut Position, ts: impl IntoIterator<Item = Transfer>) {
        for t in ts {
            p.apply(&t, "s", "w").unwrap();
        }
    }

    #[test]
    fn a_receipt_that_would_overflow_the_line_is_refused() {
        let mut i = inbound(ShippingMode::Express);
        i.submit().unwrap();
        i.add_tracking().unwrap();
        i.receive(SkuId(1), i64::MAX).unwrap();
        assert!(i.receive(SkuId(1), i64::MAX).is_err());
        assert_eq!(i.lines[0].received, i64::MAX, "a refused receipt counts nothing");
    }

    #[test]
    fn express_waits_for_tracking_then_receives_and_puts_away() {
        let mut i = inbound(ShippingMode::Express);
        let mut p1 = Position::default();
        let moves = i.submit().unwrap();
        assert_eq!(i.status, InboundStatus::AwaitingTracking);
        apply(&mut p1, moves.into_iter().filter(|(s, _)| *s == SkuId(1)).map(|(_, t)| t));
        assert_eq!(p1.get(Bucket::InTransit), 10);
        assert!(i.book_appointment().is_err(), "express takes tracking, not appointments");
        i.add_tracking().unwrap();
        assert_eq!(i.status, InboundStatus::InTransit);
        i.arrive().unwrap();
        // Over-receipt: 12 of 10, the excess comes from outside.
        apply(&mut p1, i.receive(SkuId(1), 12).unwrap());
        assert_eq!(p1.get(Bucket::InTransit), 0);
        assert_eq!(p1.get(Bucket::Received), 12);
        p1.apply(&i.put_away(SkuId(1), 12).unwrap(), "s", "w").unwrap();
        assert_eq!(p1.get(Bucket::Available), 12);
        assert_eq!(i.status, InboundStatus::PartiallyPutAway);
        assert!(i.put_away(SkuId(1), 1).is_err(), "nothing left to put away");
        // SKU 2 arrives short and the order is closed.
        i.receive(SkuId(2), 3).unwrap();
        assert!(i.close().is_err(), "received goods must be put away first");
        i.put_away(SkuId(2), 3).unwrap();
        let (moves, disc) = i.close().unwrap();
        assert_eq!(
            moves,
            vec![(SkuId(2), Transfer::new(Bucket::InTransit, Bucket::Outside, 2, Reason::InboundClosed).unwrap())]
        );
        assert_eq!(disc.len(), 2);
        assert_eq!(i.status, InboundStatus::PutAway);
    }

    #[test]
    fn an_inbound_needing_clearance_documents_is_received_once_they_are_uploaded() {
        let mut i = inbound(ShippingMode::Express);
        i.clearance.required = true;
        i.submit().unwrap();
        i.add_tracking().unwrap();
        assert_eq!(i.clearance.missing(), vec!["PL", "IN"]);
        let e = i.receive(SkuId(1), 1).unwrap_err().to_string();
        assert!(e.contains("inbound OCI1 cannot be received"), "{e}");
        assert!(e.ends_with("missing packing list (PL), invoice (IN)"), "{e}");
        i.add_clearance_docs(&["pl".into(), "BL".into()]).unwrap();
        assert_eq!(i.clearance.missing(), vec!["IN"]);
        assert!(i.receive(SkuId(1), 1).unwrap_err().to_string().ends_with("missing invoice (IN)"));
        assert_eq!(i.lines[0].received, 0, "a refused receipt counts nothing");
        i.add_clearance_docs(&["CI".into(), "PL".into()]).unwrap();
        assert_eq!(i.clearance.uploaded, vec!["PL", "BL", "CI"]);
        assert!(i.clearance.missing().is_empty());
        i.receive(SkuId(1), 1).unwrap();
        assert!(Clearance::default().missing().is_empty(), "not required: nothing missing");
    }

    #[test]
    fn non_express_needs_appointment_and_cancels_before_arrival() {
        let mut i = inbound(ShippingMode::Sea);
        i.submit().unwrap();
        assert_eq!(i.status, InboundStatus::AwaitingAppointment);
        assert!(i.add_tracking().is_err());
        i.book_appointment().unwrap();
        assert_eq!(i.status, InboundStatus::InTransit);
        let moves = i.cancel().unwrap();
        assert_eq!(moves.len(), 2);
        assert_eq!(i.status, InboundStatus::Cancelled);
        let mut j = inbound(ShippingMode::Sea);
        j.submit().unwrap();
        j.arrive().unwrap();
        assert!(j.cancel().is_err(), "cannot cancel goods at the dock");
    }
}
