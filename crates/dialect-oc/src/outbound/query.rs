//! OrdersQuery, "Outbound Order Query v2" (spec §5.13): a client's orders by number lists or by a
//! creation time slot, rendered in OC's shape.
//!
//! Choices where OC's documents are silent:
//! - The lists (`orderNumberList`, `referenceNumberList`, `ebayOrderIdList`) are a union: an order
//!   named by any of them is returned. With `startTime`/`endTime` too, only those created in the
//!   slot. The slot alone also works; it may span at most 7 days and start within 12 months.
//! - More than 1000 matches are refused ("narrow the time range"), never silently cut: an ERP
//!   syncing by slot would otherwise lose orders without knowing.
//! - `trackingNumberList` always has one entry, so the fee (an estimate until the order ships,
//!   nothing once cancelled) and SKUs are visible from the start; `trackingNumber` is `""` until
//!   the carrier is booked. `LMCarrierCode` is the service's carrier code, `LMCarrierName` the
//!   booked carrier's name. `feeAmount` is a JSON number rendered from integer minor units.
//! - `orderStatus` names ([`super::types::oc_status`]) follow the OC statuses third-party ERPs handle.

use std::collections::HashMap;

use axum::{extract::State, response::Response};
use entrepot_app::{OrderFilter, OrderView};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, ServiceId, SkuId},
    outbound::OutboundStatus,
    service::Service,
};
use serde_json::Value;

use super::{
    transformers::order_row,
    types::{EbayOrderIn, OrderNumberIn, OrderQuery, OrderRow, ReferenceNumberIn},
};
use crate::{
    envelope::OcError,
    query_window::{self, Window},
    request::OcCall,
    OcState,
};

/// Most orders one query returns (spec §4.5).
pub const MAX_RESULTS: usize = 1000;

pub async fn query(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run(&st, &call.client, &call.data).await)
}

/// What the lists ask for.
struct Lists {
    numbers: Vec<String>,
    references: Vec<String>,
    /// (ebayOrderId, ebayId if given).
    ebay: Vec<(String, Option<String>)>,
}

fn lists(q: &OrderQuery) -> Result<Lists, OcError> {
    let numbers = q.order_number_list.texts("orderNumberList", |n: &OrderNumberIn| &n.order_number)?;
    let references =
        q.reference_number_list.texts("referenceNumberList", |r: &ReferenceNumberIn| &r.reference_number)?;
    let mut ebay = vec![];
    for e in q.ebay_order_id_list.objects::<EbayOrderIn>("ebayOrderIdList")? {
        match e.ebay_order_id.text() {
            Some(id) => ebay.push((id, e.ebay_id.text())),
            None => return Err(OcError::invalid("ebayOrderIdList[].ebayOrderId is required.")),
        }
    }
    for (name, n) in [("orderNumberList", numbers.len()), ("referenceNumberList", references.len())] {
        if n > MAX_RESULTS {
            return Err(OcError::invalid(format!("{name} may name at most {MAX_RESULTS} orders; it has {n}.")));
        }
    }
    if ebay.len() > MAX_RESULTS {
        return Err(OcError::invalid(format!("ebayOrderIdList may name at most {MAX_RESULTS} orders.")));
    }
    Ok(Lists { numbers, references, ebay })
}

async fn run(st: &OcState, client: &ClientId, data: &Value) -> Result<Vec<OrderRow>, OcError> {
    let q: OrderQuery = crate::fields::data(data)?;
    let window = query_window::read(&q.start_time, &q.end_time, crate::time::now_ms())?;
    let l = lists(&q)?;
    let by_lists = !(l.numbers.is_empty() && l.references.is_empty() && l.ebay.is_empty());
    if !by_lists && window.is_none() {
        return Err(OcError::invalid(
            "Give orderNumberList, referenceNumberList, ebayOrderIdList, or startTime and endTime.",
        ));
    }
    let slot = |mut f: OrderFilter, w: Option<Window>| {
        f.created_from_ms = w.map(|w| w.from_ms);
        f.created_to_ms = w.map(|w| w.to_ms);
        f.limit = MAX_RESULTS as i64 + 1;
        f
    };
    // (filter, whether it is the eBay list's: its matches must also match a given ebayId)
    let mut filters = vec![];
    if !by_lists {
        filters.push((slot(OrderFilter::default(), window), false));
    }
    if !l.numbers.is_empty() {
        filters.push((slot(OrderFilter { oc_numbers: l.numbers.clone(), ..Default::default() }, window), false));
    }
    if !l.references.is_empty() {
        filters.push((slot(OrderFilter { references: l.references.clone(), ..Default::default() }, window), false));
    }
    if !l.ebay.is_empty() {
        let ids = l.ebay.iter().map(|(id, _)| id.clone()).collect();
        filters.push((slot(OrderFilter { platform_order_ids: ids, ..Default::default() }, window), true));
    }
    let mut found: Vec<OrderView> = vec![];
    for (f, ebay) in &filters {
        let (orders, total) = st.app.list_orders(client, f).await?;
        if total > MAX_RESULTS as i64 {
            return Err(too_many(total));
        }
        for o in orders {
            if *ebay && !ebay_id_matches(&o, &l) {
                continue;
            }
            if !found.iter().any(|f| f.id == o.id) {
                found.push(o);
            }
        }
    }
    if found.len() > MAX_RESULTS {
        return Err(too_many(found.len() as i64));
    }
    found.sort_by(|a, b| b.created_at_ms.cmp(&a.created_at_ms).then_with(|| b.id.cmp(&a.id)));
    render(st, client, &found).await
}

fn too_many(n: i64) -> OcError {
    OcError::invalid(format!(
        "{n} orders match; at most {MAX_RESULTS} are returned per query. Narrow the time range or the lists."
    ))
}

/// An `ebayOrderIdList` entry naming an `ebayId` matches only the order of that eBay account.
fn ebay_id_matches(o: &OrderView, l: &Lists) -> bool {
    let ebay_id = o.attributes.get("ebayId");
    l.ebay.iter().any(|(id, account)| {
        Some(id) == o.platform_order_id.as_ref() && account.as_ref().is_none_or(|a| Some(a) == ebay_id)
    })
}

/// Services, warehouses and SKUs of the orders, loaded once per query.
async fn render(st: &OcState, client: &ClientId, orders: &[OrderView]) -> Result<Vec<OrderRow>, OcError> {
    let mut services: HashMap<ServiceId, (Service, Warehouse)> = HashMap::new();
    for o in orders {
        if !services.contains_key(&o.service_id) {
            let svc = st.app.service(&o.service_id).await?;
            let wh = st.app.warehouse(&svc.warehouse_id).await?;
            services.insert(o.service_id.clone(), (svc, wh));
        }
    }
    // Shared lines name their owner's SKUs.
    let mfskuids: HashMap<SkuId, String> =
        st.app.line_skus(orders.iter()).await?.into_iter().map(|s| (s.id, s.mfskuid)).collect();
    let mut rows = Vec::with_capacity(orders.len());
    for o in orders {
        // The carrier's routing information exists once a parcel is handed over.
        let events = if matches!(o.status, OutboundStatus::Shipped | OutboundStatus::Delivered) {
            st.app.tracking_of(client, &o.id).await?
        } else {
            vec![]
        };
        rows.push(order_row(o, services.get(&o.service_id), &mfskuids, &events));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::super::{transformers::amount, types::oc_status};
    use entrepot_core::outbound::OutboundStatus;

    #[test]
    fn amounts_are_exact_decimals() {
        assert_eq!(amount(300, "GBP").to_string(), "3.0");
        assert_eq!(amount(1999, "GBP").to_string(), "19.99");
        assert_eq!(amount(1, "EUR").to_string(), "0.01");
        assert_eq!(amount(123_456_789_012, "GBP").to_string(), "1234567890.12");
        assert_eq!(amount(-250, "GBP").to_string(), "-2.5");
    }

    #[test]
    fn every_status_has_a_name() {
        for s in OutboundStatus::ALL {
            assert!(!oc_status(s).is_empty());
        }
        assert_eq!(oc_status(OutboundStatus::Shipped), "Outbound");
    }
}
