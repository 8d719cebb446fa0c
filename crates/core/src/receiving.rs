//! Receiving by scanning: what a scan at the dock means for an open inbound, decided once.
//!
//! The carton mark of an inbound (the Code128 barcode Entrepot prints on its carton marks: the
//! carton number, `{inbound number}-{nnn}` unless the seller numbered its cartons) opens the
//! inbound's expected lines; each SKU label (the Code128 of the MFSKUID on the SKU labels) counts
//! one unit, or a quantity typed once, good or damaged. The store finds what a code is
//! ([`Scanned`]); this module decides whether it fits the open receipt and says what was expected
//! when it does not, so that a handheld shows "expected a SKU of inbound OCI…: MF1, MF2; got the
//! carton mark of OCI…" rather than "barcode not found".

use crate::{
    ids::{ClientId, SkuId},
    inbound::{Condition, Discrepancy, Inbound, InboundStatus, SkuMoves},
    inventory::Transfer,
    CoreError, CoreResult,
};

/// The most units one scan may count (a quantity typed once).
pub const MAX_SCAN_QUANTITY: i64 = 100_000;

/// What a scanned code turned out to be, as the store found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// The carton mark of the inbound numbered `inbound`.
    CartonMark { inbound: String },
    /// A SKU label: the SKU, its owner and whether it may be received (approved and active).
    Sku { sku: SkuId, client: ClientId, code: String, approved: bool },
    /// Neither a carton mark nor a SKU label Entrepot knows.
    Unknown,
}

/// One SKU the inbound expects, with the code its label carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedSku {
    pub sku_id: SkuId,
    /// The MFSKUID: what the SKU label's barcode encodes.
    pub code: String,
}

/// What a scan on an open receipt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// A SKU of the inbound: count it.
    Sku(SkuId),
    /// The carton mark of the inbound already open: nothing to count.
    SameInbound,
}

/// An inbound open for receiving at the dock: its owner, its state and its SKUs' codes.
#[derive(Debug, Clone)]
pub struct ReceivingSession {
    pub client: ClientId,
    pub inbound: Inbound,
    pub skus: Vec<ExpectedSku>,
}

/// The inbound number a carton mark code names: the number itself, or `{number}-{digits}` (the
/// carton numbers Entrepot gives cartons the seller did not number).
pub fn carton_inbound(code: &str) -> Option<&str> {
    let code = code.trim();
    let number = match code.rsplit_once('-') {
        Some((n, box_no)) if !box_no.is_empty() && box_no.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => code,
    };
    let digits = number.strip_prefix("OCI")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

impl ReceivingSession {
    /// Whether goods can still be counted against the inbound.
    pub fn is_open(&self) -> bool {
        self.inbound.status.accepts_receipts() && !self.inbound.receipt_closed
    }

    /// Refuses a session that no longer counts anything, saying why.
    pub fn ensure_open(&self) -> CoreResult<()> {
        if self.is_open() {
            return Ok(());
        }
        let why = if self.inbound.receipt_closed {
            "its receipt is closed".to_owned()
        } else {
            format!("it is {}", self.inbound.status)
        };
        Err(CoreError::Conflict(format!(
            "inbound {} is not open for receiving ({why}); expected the carton mark of an inbound on its way or at the dock",
            self.inbound.number
        )))
    }

    /// "expected a SKU of inbound OCI…: MF1, MF2".
    pub fn expected(&self) -> String {
        let codes: Vec<&str> = self
            .inbound
            .lines
            .iter()
            .filter_map(|l| self.skus.iter().find(|s| s.sku_id == l.sku_id).map(|s| s.code.as_str()))
            .collect();
        format!("expected a SKU of inbound {}: {}", self.inbound.number, codes.join(", "))
    }

    fn wrong(&self, got: String) -> CoreError {
        CoreError::invalid("code", format!("{}; got {got}", self.expected()))
    }

    /// Decides whether the scan of `code`, found to be `scanned`, counts on this receipt.
    pub fn accept(&self, code: &str, scanned: &Scanned) -> CoreResult<Accepted> {
        self.ensure_open()?;
        match scanned {
            Scanned::CartonMark { inbound } if *inbound == self.inbound.number => Ok(Accepted::SameInbound),
            Scanned::CartonMark { inbound } => Err(self.wrong(format!("the carton mark of inbound {inbound}"))),
            Scanned::Sku { client, .. } if *client != self.client => {
                Err(self.wrong(format!("'{code}', a SKU of another client")))
            }
            Scanned::Sku { sku, code, approved, .. } => {
                if !self.inbound.lines.iter().any(|l| l.sku_id == *sku) {
                    return Err(self.wrong(format!(
                        "SKU {code}, which is not on this inbound (record it as an unexpected discrepancy)"
                    )));
                }
                if !approved {
                    return Err(self
                        .wrong(format!("SKU {code}, which is not approved (record it as an unexpected discrepancy)")));
                }
                Ok(Accepted::Sku(*sku))
            }
            Scanned::Unknown => Err(self.wrong(format!("'{code}', which is neither a SKU label nor a carton mark"))),
        }
    }

    /// Counts `qty` units of `sku` in `condition`; the transfers to make.
    pub fn count(&mut self, sku: SkuId, qty: i64, condition: Condition) -> CoreResult<Vec<Transfer>> {
        check_quantity(qty)?;
        self.inbound.receive_as(sku, qty, condition)
    }

    /// Decides whether `scanned` may be recorded as an unexpected SKU of this inbound: one that is
    /// not on it, not approved, or not known at all. Returns the SKU when it is the client's own.
    pub fn unexpected(&self, code: &str, scanned: &Scanned, qty: i64) -> CoreResult<Option<SkuId>> {
        check_quantity(qty)?;
        if matches!(self.inbound.status, InboundStatus::Cancelled | InboundStatus::Draft) {
            return Err(CoreError::Conflict(format!(
                "inbound {} is {}; nothing can be received against it",
                self.inbound.number, self.inbound.status
            )));
        }
        match scanned {
            Scanned::CartonMark { inbound } => Err(CoreError::invalid(
                "code",
                format!("expected the label of the unexpected SKU; got the carton mark of inbound {inbound}"),
            )),
            Scanned::Sku { sku, client, approved, .. } if *client == self.client => {
                if *approved && self.inbound.lines.iter().any(|l| l.sku_id == *sku) {
                    return Err(CoreError::invalid(
                        "code",
                        format!("SKU {code} is on inbound {}: scan it as a receipt", self.inbound.number),
                    ));
                }
                Ok(Some(*sku))
            }
            Scanned::Sku { .. } | Scanned::Unknown => {
                if code.trim().is_empty() {
                    return Err(CoreError::invalid("code", "the scanned code is empty"));
                }
                Ok(None)
            }
        }
    }

    /// Closes the receipt (see [`Inbound::close_receipt`]).
    pub fn close(&mut self) -> CoreResult<(SkuMoves, Vec<Discrepancy>)> {
        self.inbound.close_receipt()
    }
}

fn check_quantity(qty: i64) -> CoreResult<()> {
    if !(1..=MAX_SCAN_QUANTITY).contains(&qty) {
        return Err(CoreError::invalid("quantity", format!("must be between 1 and {MAX_SCAN_QUANTITY}, got {qty}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{
        inbound::{Clearance, DiscrepancyKind, InboundLine, ShippingMode},
        inventory::{Bucket, Reason},
    };

    fn session() -> ReceivingSession {
        ReceivingSession {
            client: ClientId::from("cli_a"),
            inbound: Inbound {
                number: "OCI3000000000001".into(),
                mode: ShippingMode::Sea,
                status: InboundStatus::Arrived,
                lines: vec![InboundLine::expecting(SkuId(1), 10), InboundLine::expecting(SkuId(2), 5)],
                has_tracking: false,
                has_appointment: true,
                clearance: Clearance::default(),
                receipt_closed: false,
            },
            skus: vec![
                ExpectedSku { sku_id: SkuId(1), code: "MF1".into() },
                ExpectedSku { sku_id: SkuId(2), code: "MF2".into() },
            ],
        }
    }

    fn sku(id: i64, client: &str, approved: bool) -> Scanned {
        Scanned::Sku { sku: SkuId(id), client: ClientId::from(client), code: format!("MF{id}"), approved }
    }

    #[test]
    fn carton_marks_name_their_inbound() {
        assert_eq!(carton_inbound("OCI3000000000001-002"), Some("OCI3000000000001"));
        assert_eq!(carton_inbound(" OCI3000000000001 "), Some("OCI3000000000001"));
        assert_eq!(carton_inbound("MF0000001"), None);
        assert_eq!(carton_inbound("OCI-001"), None);
        assert_eq!(carton_inbound("OCIX-001"), None);
    }

    #[test]
    fn good_and_damaged_scans_count_and_move_stock() {
        let mut s = session();
        assert_eq!(s.accept("MF1", &sku(1, "cli_a", true)).unwrap(), Accepted::Sku(SkuId(1)));
        let t = s.count(SkuId(1), 1, Condition::Good).unwrap();
        assert_eq!(t, vec![Transfer::new(Bucket::InTransit, Bucket::Received, 1, Reason::Received).unwrap()]);
        let t = s.count(SkuId(1), 2, Condition::Damaged).unwrap();
        assert_eq!(t, vec![Transfer::new(Bucket::InTransit, Bucket::Unfulfillable, 2, Reason::Received).unwrap()]);
        assert_eq!((s.inbound.lines[0].received, s.inbound.lines[0].damaged), (1, 2));
        assert_eq!(s.inbound.lines[0].outstanding(), 7);
        assert_eq!(s.inbound.status, InboundStatus::Receiving);
    }

    #[test]
    fn an_over_receipt_comes_from_outside_and_is_a_discrepancy() {
        let mut s = session();
        s.count(SkuId(2), 4, Condition::Good).unwrap();
        let t = s.count(SkuId(2), 3, Condition::Good).unwrap();
        assert_eq!(
            t,
            vec![
                Transfer::new(Bucket::InTransit, Bucket::Received, 1, Reason::Received).unwrap(),
                Transfer::new(Bucket::Outside, Bucket::Received, 2, Reason::Received).unwrap(),
            ]
        );
        let d = s.inbound.discrepancies();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].kind, d[0].quantity, d[0].expected, d[0].received), (DiscrepancyKind::Over, 2, 5, 7));
    }

    #[test]
    fn wrong_scans_say_what_was_expected() {
        let s = session();
        let e = s.accept("OCI3000000000009-001", &Scanned::CartonMark { inbound: "OCI3000000000009".into() });
        assert_eq!(
            e.unwrap_err().to_string(),
            "code: expected a SKU of inbound OCI3000000000001: MF1, MF2; got the carton mark of inbound OCI3000000000009"
        );
        let e = s.accept("MF7", &sku(7, "cli_b", true)).unwrap_err().to_string();
        assert!(e.ends_with("got 'MF7', a SKU of another client"), "{e}");
        let e = s.accept("MF3", &sku(3, "cli_a", true)).unwrap_err().to_string();
        assert!(e.contains("got SKU MF3, which is not on this inbound"), "{e}");
        let e = s.accept("MF1", &sku(1, "cli_a", false)).unwrap_err().to_string();
        assert!(e.contains("which is not approved"), "{e}");
        let e = s.accept("hello", &Scanned::Unknown).unwrap_err().to_string();
        assert!(e.ends_with("got 'hello', which is neither a SKU label nor a carton mark"), "{e}");
        let same = Scanned::CartonMark { inbound: "OCI3000000000001".into() };
        assert_eq!(s.accept("OCI3000000000001-001", &same).unwrap(), Accepted::SameInbound);
        let mut closed = session();
        closed.close().unwrap();
        let e = closed.accept("MF1", &sku(1, "cli_a", true)).unwrap_err().to_string();
        assert!(e.contains("is not open for receiving (its receipt is closed)"), "{e}");
        assert!(session().count(SkuId(1), MAX_SCAN_QUANTITY + 1, Condition::Good).is_err());
        assert!(session().count(SkuId(1), 0, Condition::Good).is_err());
    }

    #[test]
    fn unexpected_skus_are_recorded_not_received() {
        let s = session();
        assert_eq!(s.unexpected("MF3", &sku(3, "cli_a", true), 2).unwrap(), Some(SkuId(3)));
        assert_eq!(s.unexpected("MF1", &sku(1, "cli_a", false), 1).unwrap(), Some(SkuId(1)));
        assert_eq!(s.unexpected("MF9", &sku(9, "cli_b", true), 1).unwrap(), None, "another client's id is not kept");
        assert_eq!(s.unexpected("??", &Scanned::Unknown, 1).unwrap(), None);
        let e = s.unexpected("MF1", &sku(1, "cli_a", true), 1).unwrap_err().to_string();
        assert!(e.contains("scan it as a receipt"), "{e}");
    }

    #[test]
    fn closing_records_short_over_and_damaged_and_waits_for_put_away() {
        let mut s = session();
        s.count(SkuId(1), 6, Condition::Good).unwrap();
        s.count(SkuId(1), 1, Condition::Damaged).unwrap();
        s.count(SkuId(2), 6, Condition::Good).unwrap();
        let (moves, d) = s.close().unwrap();
        assert_eq!(
            moves,
            vec![(SkuId(1), Transfer::new(Bucket::InTransit, Bucket::Outside, 3, Reason::InboundClosed).unwrap())]
        );
        let kinds: Vec<_> = d.iter().map(|d| (d.sku_id, d.kind, d.quantity)).collect();
        assert_eq!(
            kinds,
            vec![
                (SkuId(1), DiscrepancyKind::Short, 3),
                (SkuId(1), DiscrepancyKind::Damaged, 1),
                (SkuId(2), DiscrepancyKind::Over, 1)
            ]
        );
        assert_eq!(s.inbound.status, InboundStatus::Receiving, "received units wait at the dock");
        assert!(s.count(SkuId(1), 1, Condition::Good).is_err(), "a closed receipt counts nothing");
        assert!(s.close().is_err(), "closed once");
        s.inbound.put_away(SkuId(1), 6).unwrap();
        assert_eq!(s.inbound.status, InboundStatus::PartiallyPutAway);
        s.inbound.put_away(SkuId(2), 6).unwrap();
        assert_eq!(s.inbound.status, InboundStatus::PutAway, "done once every good unit is put away");
    }

    #[test]
    fn closing_with_nothing_to_put_away_finishes_the_inbound() {
        let mut s = session();
        s.count(SkuId(1), 1, Condition::Damaged).unwrap();
        s.close().unwrap();
        assert_eq!(s.inbound.status, InboundStatus::PutAway);
    }
}
