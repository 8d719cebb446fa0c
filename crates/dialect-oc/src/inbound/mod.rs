//! PlaceInboundOrder (spec §5.6): a client announces cartons of approved SKUs on their way to a
//! fulfilment centre. The inbound is created submitted (its quantities go in transit) and waits
//! for tracking numbers (express, via [`crate::inbound::upload`]) or a receiving appointment (truck,
//! booked by staff: `entrepot admin inbound appointment`).
//!
//! Reply (OC does not publish one; this is what an ERP needs next):
//! `data: {inboundNumber, sellerInboundNumber, status, serviceRegion, warehouseCode,
//! skuLabelUrl, cartonMarkUrl, cartonList:[{cartonNumber, sellerCartonNumber, cartonMarkUrl}]}`.
//! The URLs are PDFs (see [`crate::files`]): one SKU label per unit, and one carton mark per
//! carton, each with a Code128 barcode of the MFSKUID or carton number; a carton's own URL points
//! at its page (`#page=n`).
//!
//! Choices where OC's documents are silent:
//! - `sellerInboundNumber` (≤ 50) is the idempotency key: the same number with the same content
//!   (region, methods, cartons) answers the existing inbound again; with different content it is
//!   refused, naming the inbound that has it. A second inbound is never created.
//! - `cartonNumber` is the seller's box id when given (unique in the inbound, printable ASCII,
//!   ≤ 50); otherwise `{inboundNumber}-{nnn}` in list order.
//! - `shippingMethod` is `TK` or `EX`; with `TK`, `transportMethod` (`OF`, `AF`, `RF`, `TK`) says
//!   how the goods travel. `eta` is a date with zone (`2024-07-01+0800`); other OC time forms are
//!   accepted too.
//! - At most 1000 cartons per inbound.

pub mod labels;
pub mod query;
pub mod upload;

use std::collections::{HashMap, HashSet};

use axum::{extract::State, http::HeaderMap, response::Response, routing::post, Router};
use entrepot_app::{InboundSearch, InboundView, NewInbound, SkuFilter};
use entrepot_core::{
    company::validate_country,
    ids::{ClientId, SkuId},
    inbound::ShippingMode,
    limits, CoreError,
};
use serde_json::{json, Value};

use crate::{envelope::OcError, fields::Obj, files, query_window, request::OcCall, time::DayEnd, OcState};

/// Cartons per inbound.
pub const MAX_CARTONS: usize = 1000;

pub fn routes() -> Router<OcState> {
    Router::new()
        .route("/openapi/3pp/inbound/v1/creation", post(create))
        .route("/openapi/3pp/inbound/v1/query", post(query::list))
        .route("/openapi/3pp/inbound/v1/detail", post(query::detail))
        .route("/openapi/3pp/inbound/v1/query/labels", post(labels::query))
        .route("/openapi/3pp/inbound/v1/upload/shipment-file", post(upload::shipment_file))
        .route("/openapi/3pp/inbound/v1/upload/customs-clearance-file", post(upload::customs_file))
}

async fn create(State(st): State<OcState>, headers: HeaderMap, call: OcCall) -> Response {
    call.respond(run(&st, &headers, &call.client, &call.data).await)
}

/// A carton as stored in the inbound's details.
fn carton_json(c: &Obj<'_>, k: usize, skus: &HashMap<String, SkuId>) -> Result<(Value, Vec<(SkuId, i64)>), CoreError> {
    let field = |f: &str| format!("cartonList[{k}].{f}");
    let number = c.optional(&["cartonNumber"], 50)?;
    if let Some(n) = &number {
        if !n.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(CoreError::invalid(
                field("cartonNumber"),
                "must be printable ASCII (it is printed as a barcode)",
            ));
        }
    }
    let origin = match c.text(&["cartonOriginCountry"]) {
        Some(o) => Some(validate_country(&field("cartonOriginCountry"), &o)?),
        None => None,
    };
    let products = c.objects(&["productList"])?;
    if products.is_empty() {
        return Err(CoreError::invalid(field("productList"), "needs at least one product"));
    }
    limits::lines(&field("productList"), products.len())?;
    let mut lines = vec![];
    let mut shown = vec![];
    for (j, p) in products.iter().enumerate() {
        let pf = |f: &str| format!("cartonList[{k}].productList[{j}].{f}");
        let id = p.text(&["mfskuid", "mfSkuId"]).ok_or_else(|| CoreError::invalid(pf("mfskuid"), "is required"))?;
        let qty = p
            .int(&["quantity", "skuQuantity"])
            .map_err(|_| CoreError::invalid(pf("quantity"), "must be a positive integer"))?
            .ok_or_else(|| CoreError::invalid(pf("quantity"), "is required"))?;
        if qty <= 0 {
            return Err(CoreError::invalid(pf("quantity"), format!("must be positive, not {qty}")));
        }
        limits::quantity(&pf("quantity"), qty)?;
        let sku = skus.get(&id.to_ascii_uppercase()).ok_or_else(|| CoreError::not_found("MFSKUID", &id))?;
        lines.push((*sku, qty));
        shown.push(json!({"mfskuid": id.to_ascii_uppercase(), "quantity": qty}));
    }
    let carton = json!({
        "cartonNumber": number,
        "sellerCartonNumber": c.optional(&["sellerCartonNumber"], 50)?,
        "cartonOriginCountry": origin,
        "labelSize": c.optional(&["labelSize"], 10)?,
        "products": shown,
    });
    Ok((carton, lines))
}

/// The request read into an inbound to create; `details.request` is what a replay must match.
async fn read(st: &OcState, client: &ClientId, d: &Obj<'_>) -> Result<NewInbound, OcError> {
    let reference = d.required(&["sellerInboundNumber"], 50)?;
    let region = d.required(&["serviceRegion"], 20)?;
    let from = validate_country("shippingFrom", &d.required(&["shippingFrom"], 2)?)?;
    let method = d.required(&["shippingMethod"], 10)?.to_ascii_uppercase();
    let transport = d.optional(&["transportMethod"], 10)?.map(|t| t.to_ascii_uppercase());
    let mode = match (method.as_str(), transport.as_deref()) {
        ("EX", _) => ShippingMode::Express,
        ("TK", None) => ShippingMode::Truck,
        ("TK", Some(t @ ("OF" | "AF" | "RF" | "TK"))) => t.parse()?,
        ("TK", Some(t)) => {
            return Err(CoreError::invalid("transportMethod", format!("'{t}' is not one of OF, AF, RF, TK")).into())
        }
        (m, _) => return Err(CoreError::invalid("shippingMethod", format!("'{m}' is not one of TK, EX")).into()),
    };
    let eta = d.time(&["eta"], DayEnd::Start)?.ok_or_else(|| CoreError::invalid("eta", "is required"))?;
    let warehouse = st.app.warehouse_for_client_by_region(client, &region).await.map_err(|e| match e {
        CoreError::NotFound { .. } => OcError::from(CoreError::invalid(
            "serviceRegion",
            format!("'{region}' is not a fulfilment centre of this operator (see getServiceList)"),
        )),
        other => other.into(),
    })?;
    let cartons = d.objects(&["cartonList"])?;
    if cartons.is_empty() {
        return Err(CoreError::invalid("cartonList", "needs at least one carton").into());
    }
    if cartons.len() > MAX_CARTONS {
        return Err(CoreError::invalid("cartonList", format!("may hold at most {MAX_CARTONS} cartons")).into());
    }
    let mut ids: Vec<String> = cartons
        .iter()
        .flat_map(|c| c.objects(&["productList"]).unwrap_or_default())
        .filter_map(|p| p.text(&["mfskuid", "mfSkuId"]).map(|s| s.to_ascii_uppercase()))
        .collect();
    ids.sort();
    ids.dedup();
    let skus: HashMap<String, SkuId> = if ids.is_empty() {
        HashMap::new()
    } else {
        let f = SkuFilter { mfskuids: ids, ..Default::default() };
        st.app.list_skus(client, &f).await?.0.into_iter().map(|s| (s.mfskuid.to_ascii_uppercase(), s.id)).collect()
    };
    let mut stored = vec![];
    let mut lines = vec![];
    let mut numbers = HashSet::new();
    for (k, c) in cartons.iter().enumerate() {
        let (carton, l) = carton_json(c, k, &skus)?;
        if let Some(n) = carton["cartonNumber"].as_str() {
            if !numbers.insert(n.to_owned()) {
                let m = format!("'{n}' is given to more than one carton");
                return Err(CoreError::invalid(format!("cartonList[{k}].cartonNumber"), m).into());
            }
        }
        stored.push(carton);
        lines.extend(l);
    }
    let request = json!({
        "serviceRegion": region.to_ascii_uppercase(),
        "shippingFrom": from,
        "shippingMethod": method,
        "transportMethod": transport,
        "cartons": stored,
    });
    let details = json!({
        "request": request,
        "eta": eta,
        "vat": d.optional(&["vat"], 50)?,
        "fileToken": files::new_token(),
        "trackingList": [],
        "fileList": [],
    });
    Ok(NewInbound { warehouse_id: warehouse.id, reference, mode, lines, details })
}

async fn run(st: &OcState, headers: &HeaderMap, client: &ClientId, data: &Value) -> Result<Value, OcError> {
    let d = query_window::obj(data)?;
    let new = read(st, client, &d).await?;
    let v = match existing(st, client, &new.reference).await? {
        Some(v) => same_request(v, &new)?,
        None => match st.app.create_inbound(client, new.clone()).await {
            Ok(v) => {
                tracing::info!(inbound = %v.inbound.number, "inbound created by the client");
                v
            }
            Err(CoreError::Duplicate { .. }) => {
                // Created by a concurrent call between our check and our insert.
                same_request(existing(st, client, &new.reference).await?.ok_or_else(OcError::internal)?, &new)?
            }
            Err(e) => return Err(e.into()),
        },
    };
    labels::ensure(st, client, &v).await?;
    labels::reply(st, headers, &v).await
}

async fn existing(st: &OcState, client: &ClientId, reference: &str) -> Result<Option<InboundView>, OcError> {
    let f = InboundSearch { references: vec![reference.to_owned()], limit: 1, ..Default::default() };
    Ok(st.app.search_inbounds(client, &f).await?.0.pop())
}

/// A retried creation gets the existing inbound, if the request is the same.
fn same_request(v: InboundView, new: &NewInbound) -> Result<InboundView, OcError> {
    if v.details.get("request") != new.details.get("request") {
        let e = CoreError::Duplicate { what: "sellerInboundNumber", key: v.reference.clone() };
        let mut err = OcError::from(e);
        if let Some(item) = err.items.first_mut() {
            item.message = format!(
                "Duplicate sellerInboundNumber [{}]: it is already used by inbound {} with other content; use a new sellerInboundNumber for another shipment.",
                v.reference, v.inbound.number
            );
        }
        return Err(err);
    }
    Ok(v)
}
