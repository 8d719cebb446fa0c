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
    inbound::InboundStatus,
    sku::Sku,
};
use serde_json::{json, Value};

use crate::{
    envelope::OcError,
    files,
    inbound::labels::cartons,
    query_window,
    request::OcCall,
    time::{format_date, format_datetime},
    OcState,
};

/// Rows per list page: the default and the most.
pub const PAGE_SIZE: i64 = 100;
pub const MAX_PAGE_SIZE: i64 = 200;
/// Orders per detail answer.
pub const MAX_DETAILS: usize = 1000;

/// OC's name of a core inbound status (the portal's tabs, spec §6, in the API's English).
///
/// | core | OC |
/// |---|---|
/// | Draft | `Draft` |
/// | AwaitingAppointment | `Pending appointment` |
/// | AwaitingTracking | `Pending tracking number` (express, until the shipment file is uploaded) |
/// | InTransit | `In transit` (appointment booked or tracking given) |
/// | Arrived | `Arrived` |
/// | Receiving | `Receiving` |
/// | PartiallyPutAway | `Partially Put away` |
/// | PutAway | `Put away` |
/// | Cancelled | `Cancelled` |
pub fn oc_status(s: InboundStatus) -> &'static str {
    match s {
        InboundStatus::Draft => "Draft",
        InboundStatus::AwaitingAppointment => "Pending appointment",
        InboundStatus::AwaitingTracking => "Pending tracking number",
        InboundStatus::InTransit => "In transit",
        InboundStatus::Arrived => "Arrived",
        InboundStatus::Receiving => "Receiving",
        InboundStatus::PartiallyPutAway => "Partially Put away",
        InboundStatus::PutAway => "Put away",
        InboundStatus::Cancelled => "Cancelled",
    }
}

pub async fn list(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_list(&st, &call.client, &call.data).await)
}

async fn run_list(st: &OcState, client: &ClientId, data: &Value) -> Result<Value, OcError> {
    let d = query_window::obj(data)?;
    let w = query_window::required_obj(&d, crate::time::now_ms())?;
    let page = d.int(&["page", "pageNumber"])?.unwrap_or(1);
    let limit = d.int(&["limit", "pageSize"])?.unwrap_or(PAGE_SIZE);
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
    let rows: Vec<Value> = found
        .iter()
        .map(|v| {
            let wh = warehouses.get(&v.warehouse_id);
            let mut r = summary(v, wh);
            r["skuQty"] = json!(v.inbound.lines.iter().map(|l| l.expected).sum::<i64>());
            r["receivedQty"] = json!(v.inbound.lines.iter().map(|l| l.received).sum::<i64>());
            r["putAwayQty"] = json!(v.inbound.lines.iter().map(|l| l.put_away).sum::<i64>());
            r
        })
        .collect();
    Ok(json!({"inboundOrderList": rows, "total": total, "page": page, "limit": limit}))
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

/// What list rows and detail rows share.
fn summary(v: &InboundView, wh: Option<&Warehouse>) -> Value {
    let req = v.details.get("request").cloned().unwrap_or(Value::Null);
    json!({
        "inboundNumber": v.inbound.number,
        "inboundOrderNumber": v.inbound.number,
        "sellerInboundNumber": v.reference,
        "referenceNumber": v.reference,
        "status": oc_status(v.inbound.status),
        "serviceRegion": wh.and_then(|w| w.oc_region.clone()),
        "warehouseCode": wh.map(|w| w.code.clone()),
        "shippingMethod": req["shippingMethod"].as_str().map(str::to_owned).unwrap_or_else(|| mode_code(v)),
        "transportMethod": req["transportMethod"],
        "createTime": format_datetime(v.created_at_ms),
        "eta": v.details["eta"].as_i64().map(format_date),
    })
}

/// `EX` or `TK` for an inbound created without OC's fields (through the Bird API).
fn mode_code(v: &InboundView) -> String {
    match v.inbound.mode {
        entrepot_core::inbound::ShippingMode::Express => "EX".into(),
        _ => "TK".into(),
    }
}

pub async fn detail(State(st): State<OcState>, headers: HeaderMap, call: OcCall) -> Response {
    call.respond(run_detail(&st, &headers, &call.client, &call.data).await)
}

async fn run_detail(st: &OcState, headers: &HeaderMap, client: &ClientId, data: &Value) -> Result<Value, OcError> {
    let d = query_window::obj(data)?;
    let w = query_window::read_obj(&d, crate::time::now_ms())?;
    let numbers = d.texts(&["inboundNumberList"], &["inboundNumber"])?;
    let references = d.texts(&["sellerinboundNumberList"], &["sellerInboundNumber"])?;
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
    let mut ids: Vec<SkuId> = found.iter().flat_map(|v| v.inbound.lines.iter().map(|l| l.sku_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    let skus: HashMap<SkuId, Sku> = if ids.is_empty() {
        HashMap::new()
    } else {
        st.app.skus_by_ids(client, &ids).await?.into_iter().map(|s| (s.id, s)).collect()
    };
    let rows: Vec<Value> =
        found.iter().map(|v| detail_row(headers, v, warehouses.get(&v.warehouse_id), &skus)).collect();
    Ok(json!({"inboundOrderList": rows}))
}

fn detail_row(headers: &HeaderMap, v: &InboundView, wh: Option<&Warehouse>, skus: &HashMap<SkuId, Sku>) -> Value {
    let mut r = summary(v, wh);
    r["sellerinboundNumber"] = json!(v.reference);
    r["shippingFrom"] = v.details.pointer("/request/shippingFrom").cloned().unwrap_or(Value::Null);
    r["vat"] = v.details["vat"].clone();
    r["asnList"] = json!([{"asnNumber": v.inbound.number}]);
    r["batchList"] = json!([]);
    r["bookingNumber"] = Value::Null;
    r["appointmentBooked"] = json!(v.inbound.has_appointment);
    r["SKUList"] = v
        .inbound
        .lines
        .iter()
        .map(|l| {
            let s = skus.get(&l.sku_id);
            json!({
                "MFSKUID": s.map(|s| s.mfskuid.clone()),
                "sellerSKUID": s.map(|s| s.seller_sku.clone()),
                "skuquantity": l.expected,
                "receivedQuantity": l.received,
                "putAwayQuantity": l.put_away,
            })
        })
        .collect();
    let mfskuid = |id: i64| skus.get(&SkuId(id)).map(|s| s.mfskuid.clone()).unwrap_or_default();
    r["cartonList"] = cartons(v, mfskuid)
        .into_iter()
        .map(|c| {
            let products: Vec<Value> = c.products.iter().map(|(m, q)| json!({"MFSKUID": m, "quantity": q})).collect();
            json!({"cartonNumber": c.number, "sellerCartonNumber": c.seller_number, "productList": products})
        })
        .collect();
    r["trackingList"] = v.details.get("trackingList").cloned().unwrap_or_else(|| json!([]));
    let token = v.details["fileToken"].as_str().unwrap_or_default();
    r["fileList"] = v.details["fileList"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            json!({
                "fileName": f["fileName"],
                "fileType": f["fileType"],
                "file": files::url(headers, token, f["name"].as_str().unwrap_or_default()),
                "verifyStatus": f["verifyStatus"],
                "failReason": Value::Null,
            })
        })
        .collect();
    r
}
