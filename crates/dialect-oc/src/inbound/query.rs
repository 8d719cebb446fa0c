//! Inbound Order List Query (spec §5.7) and Inbound Order Detail Query (§5.8).
//!
//! List: `startTime`/`endTime` (required; ≤ 7 days, within 12 months) and paging by `page` +
//! `limit` or `pageNumber` + `pageSize` (1-based; default 100 rows, at most 200). `data` is
//! `{inboundOrderList:[...], total, page, limit}`; a short page is the last.
//!
//! Detail: `inboundNumberList` and `sellerinboundNumberList` (either spelling of the "i"; strings
//! or `{inboundNumber}` objects) name orders, and/or a time slot selects them by creation; at most
//! 1000 orders per answer (more are refused: narrow the slot). Rows carry the SKUs with expected,
//! received and put-away quantities, the tracking numbers and the uploaded customs files (their
//! `file` is a download URL). Entrepot has no batches or ASNs apart from the inbound itself, so
//! `batchList` is empty and `asnList` names the inbound; `bookingNumber` is null and
//! `appointmentBooked` says whether staff booked the receiving appointment.

use std::collections::HashMap;

use axum::{extract::State, http::HeaderMap, response::Response};
use entrepot_app::{InboundSearch, InboundView};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId, WarehouseId},
    sku::Sku,
};
use serde_json::Value;

use super::{
    transformers::{detail_row, list_row},
    types::{
        InboundDetailPage, InboundDetailQuery, InboundListPage, InboundListQuery, InboundNumberIn,
        SellerInboundNumberIn,
    },
};
use crate::{envelope::OcError, query_window, request::OcCall, OcState};

/// Rows per list page: the default and the most.
pub const PAGE_SIZE: i64 = 100;
pub const MAX_PAGE_SIZE: i64 = 200;
/// Orders per detail answer.
pub const MAX_DETAILS: usize = 1000;

pub async fn list(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_list(&st, &call.client, &call.data).await)
}

async fn run_list(st: &OcState, client: &ClientId, data: &Value) -> Result<InboundListPage, OcError> {
    let d: InboundListQuery = crate::fields::data(data)?;
    let w = query_window::required(&d.start_time, &d.end_time, crate::time::now_ms())?;
    let page = d.page.or(&d.page_number).int("page")?.unwrap_or(1);
    let limit = d.limit.or(&d.page_size).int("limit")?.unwrap_or(PAGE_SIZE);
    if page < 1 {
        return Err(OcError::invalid(format!("page must be 1 or more, not {page}.")));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(OcError::invalid(format!("limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}.")));
    }
    let f = InboundSearch {
        created_from_ms: Some(w.from_ms),
        created_to_ms: Some(w.to_ms),
        offset: (page - 1).saturating_mul(limit),
        limit,
        ..Default::default()
    };
    let (found, total) = st.app.search_inbounds(client, &f).await?;
    let warehouses = warehouses(st, &found).await?;
    let rows = found.iter().map(|v| list_row(v, warehouses.get(&v.warehouse_id))).collect();
    Ok(InboundListPage { inbound_order_list: rows, total, page, limit })
}

async fn warehouses(st: &OcState, found: &[InboundView]) -> Result<HashMap<WarehouseId, Warehouse>, OcError> {
    let mut out = HashMap::new();
    for v in found {
        if !out.contains_key(&v.warehouse_id) {
            out.insert(v.warehouse_id.clone(), st.app.warehouse(&v.warehouse_id).await?);
        }
    }
    Ok(out)
}

pub async fn detail(State(st): State<OcState>, headers: HeaderMap, call: OcCall) -> Response {
    call.respond(run_detail(&st, &headers, &call.client, &call.data).await)
}

async fn run_detail(
    st: &OcState,
    headers: &HeaderMap,
    client: &ClientId,
    data: &Value,
) -> Result<InboundDetailPage, OcError> {
    let d: InboundDetailQuery = crate::fields::data(data)?;
    let w = query_window::read(&d.start_time, &d.end_time, crate::time::now_ms())?;
    let numbers = d.inbound_number_list.texts("inboundNumberList", |n: &InboundNumberIn| &n.inbound_number)?;
    let references = d
        .seller_inbound_number_list
        .texts("sellerinboundNumberList", |n: &SellerInboundNumberIn| &n.seller_inbound_number)?;
    if numbers.is_empty() && references.is_empty() && w.is_none() {
        return Err(OcError::invalid("Give inboundNumberList, sellerinboundNumberList, or startTime and endTime."));
    }
    if numbers.len() + references.len() > MAX_DETAILS {
        return Err(OcError::invalid(format!("At most {MAX_DETAILS} inbound orders can be named per query.")));
    }
    let f = InboundSearch {
        numbers,
        references,
        created_from_ms: w.map(|w| w.from_ms),
        created_to_ms: w.map(|w| w.to_ms),
        limit: MAX_DETAILS as i64 + 1,
        ..Default::default()
    };
    let (found, total) = st.app.search_inbounds(client, &f).await?;
    if total > MAX_DETAILS as i64 {
        return Err(OcError::invalid(format!(
            "{total} inbound orders match; at most {MAX_DETAILS} are returned per query. Narrow the time range."
        )));
    }
    let warehouses = warehouses(st, &found).await?;
    let mut discrepancies = Vec::with_capacity(found.len());
    for v in &found {
        // Only an inbound counted at the dock can have discrepancies: no read for the others.
        let counted = v.arrived_at_ms.is_some() || v.inbound.lines.iter().any(|l| l.counted() > 0);
        discrepancies.push(if counted || v.inbound.receipt_closed {
            st.app.inbound_discrepancies(client, &v.id.0).await?
        } else {
            vec![]
        });
    }
    // The SKUs of the lines, and the client's own SKUs that came unexpected (named like the rest).
    let mut ids: Vec<SkuId> = found.iter().flat_map(|v| v.inbound.lines.iter().map(|l| l.sku_id)).collect();
    ids.extend(discrepancies.iter().flatten().filter_map(|d| d.sku_id));
    ids.sort_unstable();
    ids.dedup();
    let skus: HashMap<SkuId, Sku> = if ids.is_empty() {
        HashMap::new()
    } else {
        st.app.skus_by_ids(client, &ids).await?.into_iter().map(|s| (s.id, s)).collect()
    };
    let rows = found
        .iter()
        .zip(&discrepancies)
        .map(|(v, d)| detail_row(headers, v, warehouses.get(&v.warehouse_id), &skus, d))
        .collect();
    Ok(InboundDetailPage { inbound_order_list: rows })
}
