//! Outbound orders (Bird consignments, OC outbound orders): one state machine, and the plan for
//! placing an order (suitability, fees, reservations) computed without touching storage.
//!
//! Stock and money follow the status: submitting reserves stock and holds the fee; cancelling
//! (only before picking starts) releases both; shipping consumes the reservation and charges the
//! fee. [`effect_of`] is the one table the store consults, so the ledgers cannot disagree with
//! the status.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    company::{validate_country, Address, Warehouse},
    compliance::{self, OrderOptions},
    fees::FeeQuote,
    ids::{ClientId, SkuId},
    inventory::{Bucket, Reason, Transfer},
    limits,
    service::{is_eu, is_valid_ioss, Parcel, Service},
    sku::Sku,
    CoreError, CoreResult,
};

/// Where an outbound order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutboundStatus {
    /// Being prepared by the client; no stock reserved (Bird PREPARING).
    Draft,
    /// Accepted, stock reserved, waiting for the warehouse (Bird PENDING).
    Submitted,
    /// Released to the floor (Bird WAIT_PICKING).
    WaitPicking,
    Picking,
    Packed,
    Shipped,
    Delivered,
    Cancelled,
    /// Stopped by a problem (address, damaged stock); stock stays reserved.
    Exception,
}

/// What a status change does to the ledgers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// available → reserved; hold fees.
    Reserve,
    /// reserved → available; release fees.
    Release,
    /// reserved → outside; charge fees.
    Consume,
}

impl OutboundStatus {
    pub const ALL: [Self; 9] = [
        Self::Draft,
        Self::Submitted,
        Self::WaitPicking,
        Self::Picking,
        Self::Packed,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Exception,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Submitted => "SUBMITTED",
            Self::WaitPicking => "WAIT_PICKING",
            Self::Picking => "PICKING",
            Self::Packed => "PACKED",
            Self::Shipped => "SHIPPED",
            Self::Delivered => "DELIVERED",
            Self::Cancelled => "CANCELLED",
            Self::Exception => "EXCEPTION",
        }
    }

    /// The moves the warehouse process allows.
    pub fn can_become(self, to: Self) -> bool {
        use OutboundStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted | Cancelled)
                | (Submitted, WaitPicking | Cancelled | Exception)
                | (WaitPicking, Picking | Cancelled | Exception)
                // Picking and Packed to Cancelled: staff accepting a client's intercept.
                | (Picking, Packed | Exception | Cancelled)
                | (Packed, Shipped | Exception | Cancelled)
                | (Shipped, Delivered)
                // Back to Submitted: staff putting a stopped order back onto the floor.
                | (Exception, WaitPicking | Submitted | Cancelled)
        )
    }

    /// Whether only the warehouse's staff may make this move: cancelling once picking has
    /// started (an intercept accepted), and putting a stopped order back onto the floor.
    pub fn staff_only(self, to: Self) -> bool {
        (to == Self::Cancelled && !self.client_can_cancel()) || (self == Self::Exception && to == Self::Submitted)
    }

    /// Whether a client may cancel an order in this status: until picking starts (seed: "cancel
    /// before picking"), and while it is held in Exception (the warehouse stopped it; its stock is
    /// released). The one place this rule lives; every door and the store ask it.
    pub fn client_can_cancel(self) -> bool {
        matches!(self, Self::Draft | Self::Submitted | Self::WaitPicking | Self::Exception)
    }

    /// Whether a client's cancel becomes an intercept request staff decide on: once picking has
    /// started and until the parcel is handed over.
    pub fn intercepts(self) -> bool {
        matches!(self, Self::Picking | Self::Packed)
    }

    /// Whether stock is reserved for the order in this status.
    pub fn holds_reservation(self) -> bool {
        matches!(self, Self::Submitted | Self::WaitPicking | Self::Picking | Self::Packed | Self::Exception)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Cancelled)
    }

    /// Checks a move and returns its ledger effect.
    pub fn transition(self, to: Self, id: &str) -> CoreResult<Effect> {
        if !self.can_become(to) {
            return Err(CoreError::InvalidTransition {
                entity: "outbound order",
                id: id.to_owned(),
                from: self.as_str().to_owned(),
                to: to.as_str().to_owned(),
            });
        }
        Ok(effect_of(self, to))
    }
}

/// The ledger effect of a (legal) status change.
pub fn effect_of(from: OutboundStatus, to: OutboundStatus) -> Effect {
    match (from.holds_reservation(), to.holds_reservation(), to) {
        (false, true, _) => Effect::Reserve,
        (true, false, OutboundStatus::Cancelled) => Effect::Release,
        (true, false, _) => Effect::Consume,
        _ => Effect::None,
    }
}

impl fmt::Display for OutboundStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutboundStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| CoreError::invalid("status", format!("unknown outbound status '{s}'")))
    }
}

/// Customs and compliance data of an order (the platform and its order id are the order's own
/// fields). Which of them a service requires is [`crate::compliance`]'s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customs {
    pub ioss: Option<String>,
    pub shipper_eori: Option<String>,
    pub reason_for_export: Option<String>,
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omp_vat_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_eori: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_pid_number: Option<String>,
}

/// The kind of fulfilment (Bird's consignment `type`); OC orders are all `Local`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderKind {
    /// Shipped from stock in the overseas warehouse.
    #[default]
    Local,
    /// China direct line.
    Direct,
    Return,
    /// The client ships the goods themselves through the operator's line.
    AgentDirect,
    ClientDirect,
    /// To an Amazon FBA warehouse.
    Fba,
}

impl OrderKind {
    pub const ALL: [Self; 6] =
        [Self::Local, Self::Direct, Self::Return, Self::AgentDirect, Self::ClientDirect, Self::Fba];

    /// Whether the order ships the client's stock from the warehouse. Agent-direct and
    /// client-direct parcels are brought by the client, and returns come back in, so they reserve
    /// nothing.
    pub fn uses_stock(self) -> bool {
        matches!(self, Self::Local | Self::Direct | Self::Fba)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "LOCAL",
            Self::Direct => "DIRECT",
            Self::Return => "RETURN",
            Self::AgentDirect => "AGENT_DIRECT",
            Self::ClientDirect => "CLIENT_DIRECT",
            Self::Fba => "FBA",
        }
    }
}

impl fmt::Display for OrderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| CoreError::invalid("type", format!("unknown consignment type '{s}'")))
    }
}

/// How long a client's identity reference stays taken, per kind and warehouse (seed: "同一种类型
/// 同一站点下的订单,6个月内不能有重复的标识").
pub const IDENTITY_REF_WINDOW_MS: i64 = 183 * 24 * 3600 * 1000;

/// An order as the client asks for it, before any rule is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewOutbound {
    pub client_id: ClientId,
    /// Unique per client for ever: the idempotency key of a create (OC `referenceNumber`). Dialects
    /// without one pass a generated value.
    pub reference: String,
    pub kind: OrderKind,
    /// Unique per client, kind and warehouse within [`IDENTITY_REF_WINDOW_MS`] (Bird
    /// `custom_identity_reference`).
    pub identity_ref: Option<String>,
    /// The client's sales reference, searchable (Bird `sales_reference`).
    pub sales_reference: Option<String>,
    /// Dialect fields the core does not interpret, kept and shown back (notes, prices, ...).
    pub attributes: BTreeMap<String, String>,
    pub platform: Option<String>,
    pub platform_order_id: Option<String>,
    pub recipient: Address,
    pub sender: Option<Address>,
    pub lines: Vec<(SkuId, i64)>,
    pub customs: Customs,
    /// What the order asks of its service beyond carriage (urgent handling, compensation for
    /// delay).
    pub options: OrderOptions,
    /// The order's own sales price on its platform (Bird's consignment `sales_price`).
    pub sales_price: Option<crate::money::Money>,
    /// Per line (by SKU, as lines are merged by SKU): its sales price and eBay ids.
    pub line_sales: BTreeMap<SkuId, crate::sale::LineSale>,
}

/// Everything decided about a new order, for the store to persist atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPlan {
    /// Lines with duplicates merged, in SKU order (a stable lock order for the store).
    pub lines: Vec<(SkuId, i64)>,
    pub parcel: Parcel,
    pub quote: FeeQuote,
}

impl OrderPlan {
    /// The stock transfers submitting this order makes.
    pub fn reservations(&self) -> CoreResult<Vec<(SkuId, Transfer)>> {
        ledger_moves(&self.lines, Effect::Reserve)
    }
}

/// The stock transfers of an effect on an order's lines.
pub fn ledger_moves(lines: &[(SkuId, i64)], effect: Effect) -> CoreResult<Vec<(SkuId, Transfer)>> {
    let (from, to, reason) = match effect {
        Effect::None => return Ok(vec![]),
        Effect::Reserve => (Bucket::Available, Bucket::ReservedAllocated, Reason::OutboundSubmitted),
        Effect::Release => (Bucket::ReservedAllocated, Bucket::Available, Reason::OutboundCancelled),
        Effect::Consume => (Bucket::ReservedAllocated, Bucket::Outside, Reason::OutboundFulfilled),
    };
    lines.iter().map(|(sku, qty)| Ok((*sku, Transfer::new(from, to, *qty, reason)?))).collect()
}

/// Checks what a draft needs (a draft may have no lines yet): references, recipient, and that the
/// service belongs to the warehouse.
pub fn validate_draft(new: &NewOutbound, warehouse: &Warehouse, service: &Service) -> CoreResult<()> {
    let reference = new.reference.trim();
    if reference.len() > 64 {
        return Err(CoreError::invalid("reference", "must be at most 64 characters"));
    }
    if new.identity_ref.as_deref().is_some_and(|r| r.trim().len() > 50) {
        return Err(CoreError::invalid("custom_identity_reference", "must be at most 50 characters"));
    }
    validate_recipient(&new.recipient)?;
    crate::sale::validate_sales(new.sales_price.as_ref(), &new.lines, &new.line_sales)?;
    if service.code == crate::returns::RETURN_SERVICE_CODE && new.kind != OrderKind::Return {
        return Err(CoreError::invalid(
            "delivery_service_id",
            format!("service {} carries return authorisations only", service.code),
        ));
    }
    if service.warehouse_id != warehouse.id {
        return Err(CoreError::invalid(
            "delivery_service_id",
            format!("service {} is not offered by warehouse {}", service.code, warehouse.code),
        ));
    }
    if let Some(kind) = service.constraints.consignment_type.filter(|_| !service.carries(new.kind)) {
        return Err(CoreError::invalid(
            "delivery_service_id",
            format!("service {} carries {kind} consignments only, not {}", service.code, new.kind),
        ));
    }
    if let Some((sku, _)) = new.lines.iter().find(|(_, q)| *q <= 0) {
        return Err(CoreError::invalid("quantity", format!("quantity of SKU {sku} must be positive")));
    }
    limits::lines("products", new.lines.len())?;
    for (k, (_, q)) in new.lines.iter().enumerate() {
        limits::quantity(&format!("products[{k}].quantity"), *q)?;
    }
    Ok(())
}

/// Checks a new order against the warehouse, the service and the SKUs, and prices it. `skus` are
/// the ones the client may order, as the caller loaded them: its own, and other clients' shared
/// with it (see [`crate::share`]); a line on any other SKU is not found.
pub fn plan_order(new: &NewOutbound, warehouse: &Warehouse, service: &Service, skus: &[Sku]) -> CoreResult<OrderPlan> {
    validate_draft(new, warehouse, service)?;
    if new.lines.is_empty() {
        return Err(CoreError::invalid("products", "an order needs at least one product"));
    }
    let mut merged: BTreeMap<SkuId, i64> = BTreeMap::new();
    for (sku, qty) in &new.lines {
        if *qty <= 0 {
            return Err(CoreError::invalid("quantity", format!("quantity of SKU {sku} must be positive")));
        }
        let total = merged.entry(*sku).or_default();
        *total = total.checked_add(*qty).ok_or_else(|| limits::too_large("quantity"))?;
    }
    let mut with_skus = Vec::with_capacity(merged.len());
    for (id, qty) in &merged {
        let sku = skus.iter().find(|s| s.id == *id).ok_or_else(|| CoreError::not_found("SKU", id))?;
        if new.kind.uses_stock() {
            sku.ensure_usable()?;
        }
        with_skus.push((sku, *qty));
    }
    let country = validate_country("country", &new.recipient.country)?;
    let parcel = Parcel::from_lines(&country, with_skus)?;
    if new.kind == OrderKind::Return {
        // The buyer sends a return back: no carrier of ours, so no suitability and no fee held;
        // its fees come from the returns rate card when the warehouse completes it.
        let quote = FeeQuote {
            currency: service.rates.currency.clone(),
            handling: 0,
            delivery: 0,
            actual_weight_g: parcel.weight_g,
            volumetric_weight_g: 0,
            chargeable_weight_g: parcel.weight_g,
        };
        return Ok(OrderPlan { lines: merged.into_iter().collect(), parcel, quote });
    }
    service.check(&parcel).map_err(|reason| CoreError::UnsuitableService { service: service.code.clone(), reason })?;
    check_compliance(new, warehouse, service, &country)?;
    let quote = service.rates.quote_for(&parcel, new.options)?;
    Ok(OrderPlan { lines: merged.into_iter().collect(), parcel, quote })
}

/// Plans an order whose physical facts the client declares instead of the warehouse deriving them
/// from SKUs: the client packed the goods itself (Bird CLIENT_DIRECT `packages`), so there are no
/// SKU lines and no stock. Suitability, customs rules and the fee are those of [`plan_order`],
/// computed on `parcel` (its `country` is taken from the recipient).
pub fn plan_parcel_order(
    new: &NewOutbound,
    warehouse: &Warehouse,
    service: &Service,
    parcel: Parcel,
) -> CoreResult<OrderPlan> {
    validate_draft(new, warehouse, service)?;
    if new.kind.uses_stock() {
        return Err(CoreError::invalid(
            "type",
            format!("{} orders ship warehouse stock and are planned from their products", new.kind),
        ));
    }
    if !new.lines.is_empty() {
        return Err(CoreError::invalid("products", "an order planned from its parcels has no SKU lines"));
    }
    if parcel.items <= 0 {
        return Err(CoreError::invalid("packages", "an order needs at least one package"));
    }
    if parcel.weight_g <= 0 {
        return Err(CoreError::invalid("weight", "the packages' weight must be positive"));
    }
    if parcel.volume_mm3 < 0 || parcel.largest_item_mm.iter().any(|s| *s < 0) {
        return Err(CoreError::invalid("length", "package dimensions must not be negative"));
    }
    let packages = usize::try_from(parcel.items).unwrap_or(usize::MAX);
    limits::lines("packages", packages)?;
    let most = limits::MAX_LINES as i64;
    limits::within("weight", parcel.weight_g, 1, limits::MAX_WEIGHT_G * most)?;
    for side in parcel.largest_item_mm {
        limits::dimension_mm("length", side)?;
    }
    limits::within("volume", parcel.volume_mm3, 0, limits::MAX_DIMENSION_MM.pow(3) * most)?;
    let country = validate_country("country", &new.recipient.country)?;
    let mut largest = parcel.largest_item_mm;
    largest.sort_unstable_by(|a, b| b.cmp(a));
    let parcel = Parcel { country: country.clone(), largest_item_mm: largest, ..parcel };
    service.check(&parcel).map_err(|reason| CoreError::UnsuitableService { service: service.code.clone(), reason })?;
    check_compliance(new, warehouse, service, &country)?;
    let quote = service.rates.quote_for(&parcel, new.options)?;
    Ok(OrderPlan { lines: vec![], parcel, quote })
}

fn validate_recipient(a: &Address) -> CoreResult<()> {
    if a.name.trim().is_empty() {
        return Err(CoreError::invalid("contact", "recipient name is required"));
    }
    if a.lines.first().is_none_or(|l| l.trim().is_empty()) {
        return Err(CoreError::invalid("address_line1", "is required"));
    }
    if a.city.trim().is_empty() {
        return Err(CoreError::invalid("city", "is required"));
    }
    validate_country("country", &a.country)?;
    Ok(())
}

/// Everything a service asks of an order beyond its parcel: IOSS and EORI into the EU, the
/// carrier's compliance fields, the options it offers, and the sender where the label prints it.
fn check_compliance(new: &NewOutbound, warehouse: &Warehouse, service: &Service, country: &str) -> CoreResult<()> {
    let facts = compliance::OrderFacts {
        origin: &warehouse.country,
        country,
        business: new.recipient.company.as_deref(),
        postcode: &new.recipient.postcode,
        platform: new.platform.as_deref(),
        platform_order_id: new.platform_order_id.as_deref(),
        customs: &new.customs,
        options: new.options,
    };
    compliance::check(&facts, service)?;
    check_customs(&new.customs, warehouse, service, country)?;
    check_sender(new.sender.as_ref(), service)
}

/// A service that prints the sender needs a complete sender address.
fn check_sender(sender: Option<&Address>, service: &Service) -> CoreResult<()> {
    if !service.constraints.requires_sender {
        return Ok(());
    }
    let missing = |v: &str| v.trim().is_empty();
    let Some(s) = sender else {
        return Err(CoreError::invalid(
            "sender_contact",
            format!("service {} requires the sender's address", service.code),
        ));
    };
    for (field, value) in [
        ("sender_contact", s.name.as_str()),
        ("sender_address_line1", s.lines.first().map(String::as_str).unwrap_or("")),
        ("sender_city", s.city.as_str()),
        ("sender_post_code", s.postcode.as_str()),
        ("sender_country_iso", s.country.as_str()),
    ] {
        if missing(value) {
            return Err(CoreError::invalid(field, format!("is required by service {}", service.code)));
        }
    }
    Ok(())
}

/// The seeds' EU rules: IOSS for EU destinations where the service requires it, the shipper's
/// EORI for UK → EU.
fn check_customs(c: &Customs, warehouse: &Warehouse, service: &Service, country: &str) -> CoreResult<()> {
    let crossing_into_eu = is_eu(country) && !country.eq_ignore_ascii_case(&warehouse.country);
    if service.constraints.requires_ioss_for_eu && crossing_into_eu {
        match c.ioss.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                return Err(CoreError::invalid(
                    "ioss_vat_number",
                    format!("an IOSS number is required for destination {country}"),
                ))
            }
            Some(v) if !is_valid_ioss(v) => {
                return Err(CoreError::invalid(
                    "ioss_vat_number",
                    format!("'{v}' is not a valid IOSS number (2 letters + 10 digits)"),
                ))
            }
            Some(_) => {}
        }
    }
    if service.constraints.requires_shipper_eori
        && crossing_into_eu
        && c.shipper_eori.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        return Err(CoreError::invalid(
            "shipper_eori",
            format!(
                "is required by service {} ({}) for exports into the EU ({} → {country})",
                service.code, service.carrier, warehouse.country
            ),
        ));
    }
    Ok(())
}

/// eBay order ids are three dash-separated digit groups, `NN-NNNNN-NNNNN` (seed: `02-05696-00555`).
pub fn validate_ebay_order_id(s: &str) -> CoreResult<()> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let ok = parts.len() == 3
        && [2usize, 5, 5].iter().zip(&parts).all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid("ebayOrderId", format!("'{s}' is not an eBay order id of the form 12-34567-89012")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        service::tests::service,
        sku::{tests::sample, SkuStatus},
    };

    fn warehouse() -> Warehouse {
        crate::company::tests::uk()
    }

    fn approved(id: i64) -> Sku {
        let mut s = sample(id);
        s.status = SkuStatus::Approved;
        s
    }

    fn order(lines: Vec<(SkuId, i64)>) -> NewOutbound {
        NewOutbound {
            client_id: "cli_1".into(),
            reference: "R1".into(),
            platform: None,
            platform_order_id: None,
            recipient: Address {
                name: "Ann".into(),
                lines: vec!["1 High St".into()],
                city: "Leeds".into(),
                postcode: "LS1 1AA".into(),
                country: "GB".into(),
                ..Default::default()
            },
            sender: None,
            lines,
            customs: Customs::default(),
            ..Default::default()
        }
    }

    #[test]
    fn which_statuses_a_client_may_cancel() {
        use OutboundStatus::*;
        let expected = [
            (Draft, true),
            (Submitted, true),
            (WaitPicking, true),
            (Picking, false),
            (Packed, false),
            (Shipped, false),
            (Delivered, false),
            (Cancelled, false),
            (Exception, true),
        ];
        assert_eq!(expected.len(), OutboundStatus::ALL.len());
        for (s, may) in expected {
            assert_eq!(s.client_can_cancel(), may, "{s}");
            // The rule never allows what the status machine does not.
            assert!(!may || s.can_become(Cancelled), "{s}");
        }
    }

    #[test]
    fn clients_cancel_only_before_picking_then_staff_accept_intercepts() {
        use OutboundStatus::*;
        assert_eq!(Draft.transition(Submitted, "o").unwrap(), Effect::Reserve);
        assert_eq!(Submitted.transition(Cancelled, "o").unwrap(), Effect::Release);
        assert_eq!(WaitPicking.transition(Cancelled, "o").unwrap(), Effect::Release);
        // Past picking a client's cancel is an intercept; staff accepting it release the stock.
        assert!(!Picking.client_can_cancel() && Picking.intercepts() && Packed.intercepts());
        assert_eq!(Picking.transition(Cancelled, "o").unwrap(), Effect::Release);
        assert_eq!(Packed.transition(Cancelled, "o").unwrap(), Effect::Release);
        assert!(!Shipped.intercepts() && !Submitted.intercepts());
        assert_eq!(Packed.transition(Shipped, "o").unwrap(), Effect::Consume);
        assert_eq!(Draft.transition(Cancelled, "o").unwrap(), Effect::None);
        assert_eq!(Exception.transition(Cancelled, "o").unwrap(), Effect::Release);
        assert!(Shipped.transition(Cancelled, "o").is_err());
        for s in OutboundStatus::ALL {
            assert_eq!(s.as_str().parse::<OutboundStatus>().unwrap(), s);
            assert!(!s.can_become(s), "{s} to itself is not a move");
        }
    }

    #[test]
    fn every_reachable_path_balances_reservations() {
        // Along any legal path the reserve/release/consume effects alternate correctly: never a
        // release or consume without a reservation, never two reservations.
        fn walk(s: OutboundStatus, reserved: bool, depth: u8) {
            if depth == 0 {
                return;
            }
            for to in OutboundStatus::ALL {
                if let Ok(e) = s.transition(to, "o") {
                    let now = match e {
                        Effect::Reserve => {
                            assert!(!reserved);
                            true
                        }
                        Effect::Release | Effect::Consume => {
                            assert!(reserved);
                            false
                        }
                        Effect::None => reserved,
                    };
                    assert_eq!(now, to.holds_reservation());
                    walk(to, now, depth - 1);
                }
            }
        }
        walk(OutboundStatus::Draft, false, 8);
    }

    #[test]
    fn plan_merges_lines_and_prices() {
        let skus = vec![approved(1), approved(2)];
        let plan =
            plan_order(&order(vec![(SkuId(2), 1), (SkuId(1), 1), (SkuId(2), 1)]), &warehouse(), &service(), &skus)
                .unwrap();
        assert_eq!(plan.lines, vec![(SkuId(1), 1), (SkuId(2), 2)]);
        assert_eq!(plan.parcel.weight_g, 1500);
        let r = plan.reservations().unwrap();
        assert_eq!(
            r[1].1,
            Transfer::new(Bucket::Available, Bucket::ReservedAllocated, 2, Reason::OutboundSubmitted).unwrap()
        );
    }

    #[test]
    fn plan_refuses_what_the_seeds_refuse() {
        let w = warehouse();
        let skus = vec![approved(1), sample(9)];
        // A SKU the caller did not load (unknown, or another client's not shared with this one).
        assert!(matches!(
            plan_order(&order(vec![(SkuId(5), 1)]), &w, &service(), &skus),
            Err(CoreError::NotFound { .. })
        ));
        // Draft SKU.
        assert!(matches!(plan_order(&order(vec![(SkuId(9), 1)]), &w, &service(), &skus), Err(CoreError::Conflict(_))));
        // Zero quantity.
        assert!(plan_order(&order(vec![(SkuId(1), 0)]), &w, &service(), &skus).is_err());
        // Quantities past the bound, as in issue 16, are refused naming the line.
        let e = plan_order(&order(vec![(SkuId(1), 1), (SkuId(1), 6_148_914_691_236_483_869)]), &w, &service(), &skus)
            .unwrap_err();
        assert!(e.to_string().starts_with("products[1].quantity: must be between 1 and 1000000"), "{e}");
        let many = order(vec![(SkuId(1), 1); crate::limits::MAX_LINES + 1]);
        assert!(plan_order(&many, &w, &service(), &skus).unwrap_err().to_string().contains("products"));
        // Unsuitable: destination.
        let mut o = order(vec![(SkuId(1), 1)]);
        o.recipient.country = "FR".into();
        assert!(matches!(plan_order(&o, &w, &service(), &skus), Err(CoreError::UnsuitableService { .. })));
        // IOSS required for the EU where the service says so.
        let mut s = service();
        s.constraints.destinations.clear();
        s.constraints.requires_ioss_for_eu = true;
        let err = plan_order(&o, &w, &s, &skus).unwrap_err();
        assert!(err.to_string().contains("ioss_vat_number"), "{err}");
        o.customs.ioss = Some("IM12345".into());
        assert!(plan_order(&o, &w, &s, &skus).unwrap_err().to_string().contains("not a valid IOSS"));
        o.customs.ioss = Some("IM1234567890".into());
        plan_order(&o, &w, &s, &skus).unwrap();
        // Missing address line.
        let mut o = order(vec![(SkuId(1), 1)]);
        o.recipient.lines.clear();
        assert!(plan_order(&o, &w, &service(), &skus).unwrap_err().to_string().contains("address_line1"));
    }

    #[test]
    fn parcel_orders_are_checked_and_priced_from_the_declared_parcel() {
        let w = warehouse();
        let mut s = service();
        s.rates.handling_per_order = 100;
        s.rates.handling_per_additional_item = 10;
        s.rates.bands = vec![crate::fees::WeightBand { up_to_g: 2000, fee: 300 }];
        let mut o = order(vec![]);
        o.kind = OrderKind::ClientDirect;
        let parcel = |weight_g, sides: [i64; 3], items| Parcel {
            country: String::new(),
            weight_g,
            largest_item_mm: sides,
            volume_mm3: sides.iter().product::<i64>() * items,
            items,
            properties: vec![],
        };
        let plan = plan_parcel_order(&o, &w, &s, parcel(1500, [100, 300, 200], 2)).unwrap();
        assert!(plan.lines.is_empty());
        assert_eq!(plan.parcel.country, "GB");
        assert_eq!(plan.parcel.largest_item_mm, [300, 200, 100], "sides sorted longest first");
        assert_eq!((plan.quote.handling, plan.quote.delivery), (110, 300));
        assert!(plan.reservations().unwrap().is_empty());
        // The service's limits apply to the declared facts.
        assert!(matches!(
            plan_parcel_order(&o, &w, &s, parcel(2500, [100, 100, 100], 1)),
            Err(CoreError::UnsuitableService { reason: crate::service::Unsuitable::Overweight { .. }, .. })
        ));
        assert!(matches!(
            plan_parcel_order(&o, &w, &s, parcel(500, [700, 100, 100], 1)),
            Err(CoreError::UnsuitableService { reason: crate::service::Unsuitable::TooLong { .. }, .. })
        ));
        // Nonsense facts, stock orders and SKU lines are refused.
        assert!(plan_parcel_order(&o, &w, &s, parcel(0, [1, 1, 1], 1)).unwrap_err().to_string().contains("weight"));
        assert!(plan_parcel_order(&o, &w, &s, parcel(10, [1, 1, 1], 0)).unwrap_err().to_string().contains("packages"));
        let mut local = o.clone();
        local.kind = OrderKind::Local;
        assert!(plan_parcel_order(&local, &w, &s, parcel(10, [1, 1, 1], 1)).is_err());
        let mut with_lines = o.clone();
        with_lines.lines = vec![(SkuId(1), 1)];
        assert!(plan_parcel_order(&with_lines, &w, &s, parcel(10, [1, 1, 1], 1)).is_err());
        let huge = Parcel { volume_mm3: i64::MAX, ..parcel(10, [1, 1, 1], 1) };
        assert!(plan_parcel_order(&o, &w, &s, huge).unwrap_err().to_string().contains("volume"));
        assert!(plan_parcel_order(&o, &w, &s, parcel(i64::MAX, [1, 1, 1], 1))
            .unwrap_err()
            .to_string()
            .contains("weight"));
        let mut abroad = o;
        abroad.recipient.country = "FR".into();
        assert!(matches!(
            plan_parcel_order(&abroad, &w, &s, parcel(10, [1, 1, 1], 1)),
            Err(CoreError::UnsuitableService { .. })
        ));
    }

    #[test]
    fn services_that_print_the_sender_need_one() {
        let w = warehouse();
        let skus = vec![approved(1)];
        let mut s = service();
        s.constraints.requires_sender = true;
        let mut o = order(vec![(SkuId(1), 1)]);
        let err = plan_order(&o, &w, &s, &skus).unwrap_err();
        assert!(err.to_string().contains("sender_contact"), "{err}");
        o.sender = Some(Address {
            name: "Shop".into(),
            lines: vec!["1 Way".into()],
            city: "Leeds".into(),
            country: "GB".into(),
            ..Default::default()
        });
        assert!(plan_order(&o, &w, &s, &skus).unwrap_err().to_string().contains("sender_post_code"));
        o.sender.as_mut().unwrap().postcode = "LS1".into();
        plan_order(&o, &w, &s, &skus).unwrap();
    }

    #[test]
    fn a_typed_service_carries_its_consignment_type_only() {
        let w = warehouse();
        let skus = vec![approved(1)];
        let mut s = service();
        let mut o = order(vec![(SkuId(1), 1)]);
        for kind in [OrderKind::Local, OrderKind::Direct, OrderKind::Fba] {
            o.kind = kind;
            plan_order(&o, &w, &s, &skus).unwrap();
        }
        s.constraints.consignment_type = Some(OrderKind::Fba);
        plan_order(&o, &w, &s, &skus).unwrap();
        o.kind = OrderKind::Local;
        let err = plan_order(&o, &w, &s, &skus).unwrap_err();
        assert_eq!(
            err.to_string(),
            "delivery_service_id: service GBDomesticStandard carries FBA consignments only, not LOCAL"
        );
        assert!(validate_draft(&o, &w, &s).is_err(), "a draft is refused as early");
    }

    #[test]
    fn ebay_order_ids() {
        validate_ebay_order_id("02-05696-00555").unwrap();
        assert!(validate_ebay_order_id("0205696-00555").is_err());
        assert!(validate_ebay_order_id("02-0569a-00555").is_err());
    }
}
