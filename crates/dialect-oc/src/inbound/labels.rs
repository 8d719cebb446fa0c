//! An inbound's printed documents, and Inbound Label Query (spec §5.9).
//!
//! Two PDFs per inbound, rendered by `entrepot-labels` and kept in the blob store under the
//! inbound's file token ([`crate::files`]): `sku-labels.pdf`, one 60 × 30 mm label per unit
//! expected (one per SKU when that would exceed the page limit; print copies then) with a Code128
//! barcode of the MFSKUID, and `carton-marks.pdf`, one 100 × 100 mm mark per carton with a Code128
//! barcode of the carton number. They are rendered when the inbound is created, and again on a
//! label query if they went missing.
//!
//! Label query: `data.inboundOrderList:[{inboundOrder}]` (≤ 100) → one item per order found,
//! echoing `inboundOrder`, with the URLs of the creation reply; orders not found (or another
//! client's) are refused in `errors[]` with `id` = the number asked for.

use axum::{extract::State, http::HeaderMap, response::Response};
use entrepot_app::InboundView;
use entrepot_core::{ids::ClientId, CoreError};
use entrepot_labels::{carton_marks, sku_labels, CartonMark, SkuLabel, MAX_PAGES};
use serde_json::{json, Value};

use super::{
    transformers::{cartons, inbound_labels, CARTON_MARKS, SKU_LABELS},
    types::{InboundLabels, InboundOrderIn, LabelQuery, LabelsPage},
};
use crate::{
    envelope::{ErrorItem, OcError},
    files,
    request::OcCall,
    OcState,
};

/// Orders per label query.
pub const MAX_ORDERS: usize = 100;

/// The inbound's file token, given one first if it has none (an inbound of the Bird API).
pub async fn token(st: &OcState, client: &ClientId, v: &InboundView) -> Result<String, OcError> {
    if let Some(t) = v.details["fileToken"].as_str() {
        return Ok(t.to_owned());
    }
    let fresh = files::new_token();
    let details = st
        .app
        .update_inbound_details(client, &v.inbound.number, |d| {
            if d["fileToken"].as_str().is_none() {
                d["fileToken"] = json!(fresh);
            }
            Ok(())
        })
        .await?;
    details["fileToken"].as_str().map(str::to_owned).ok_or_else(OcError::internal)
}

/// Renders and stores the inbound's PDFs unless both are there.
pub async fn ensure(st: &OcState, client: &ClientId, v: &InboundView) -> Result<(), OcError> {
    let token = token(st, client, v).await?;
    if files::exists(st, &token, SKU_LABELS).await? && files::exists(st, &token, CARTON_MARKS).await? {
        return Ok(());
    }
    let ids: Vec<_> = v.inbound.lines.iter().map(|l| l.sku_id).collect();
    let skus = st.app.skus_by_ids(client, &ids).await?;
    let units: i64 = v.inbound.lines.iter().map(|l| l.expected).sum();
    let one_each = units > MAX_PAGES as i64;
    let labels: Vec<SkuLabel> = v
        .inbound
        .lines
        .iter()
        .filter_map(|l| {
            let s = skus.iter().find(|s| s.id == l.sku_id)?;
            Some(SkuLabel {
                mfskuid: s.mfskuid.clone(),
                seller_sku: s.seller_sku.clone(),
                title: s.name_en.clone(),
                origin: s.origin_country.clone(),
                copies: if one_each { 1 } else { u32::try_from(l.expected).unwrap_or(1) },
            })
        })
        .collect();
    let mfskuid_of = |id: i64| skus.iter().find(|s| s.id.0 == id).map(|s| s.mfskuid.clone()).unwrap_or_default();
    let wh = st.app.warehouse(&v.warehouse_id).await?;
    let a = &wh.address;
    let address: Vec<&str> = a
        .lines
        .iter()
        .map(String::as_str)
        .chain([a.city.as_str(), a.postcode.as_str(), a.country.as_str()])
        .filter(|s| !s.trim().is_empty())
        .collect();
    let list = cartons(v, mfskuid_of);
    let total = u32::try_from(list.len()).unwrap_or(0);
    let marks: Vec<CartonMark> = list
        .into_iter()
        .enumerate()
        .map(|(k, c)| CartonMark {
            carton_number: c.number,
            inbound_number: v.inbound.number.clone(),
            box_index: u32::try_from(k + 1).unwrap_or(0),
            box_total: total,
            warehouse: wh.code.clone(),
            warehouse_address: address.join(", "),
            lines: c.products.into_iter().map(|(s, q)| (s, u64::try_from(q).unwrap_or(0))).collect(),
        })
        .collect();
    let render_failed = |e: entrepot_labels::LabelError| {
        tracing::error!(error = %e, inbound = %v.inbound.number, "inbound documents could not be rendered");
        OcError::from(CoreError::Conflict(format!(
            "the labels of inbound {} could not be printed: {e}",
            v.inbound.number
        )))
    };
    let pdf = sku_labels(&labels).map_err(render_failed)?;
    files::put(st, &token, SKU_LABELS, &pdf).await?;
    let pdf = carton_marks(&marks).map_err(render_failed)?;
    files::put(st, &token, CARTON_MARKS, &pdf).await
}

/// The creation reply and label query item of an inbound.
pub async fn reply(st: &OcState, headers: &HeaderMap, v: &InboundView) -> Result<InboundLabels, OcError> {
    let wh = st.app.warehouse(&v.warehouse_id).await?;
    Ok(inbound_labels(headers, v, &wh))
}

/// `POST /openapi/3pp/inbound/v1/query/labels`.
pub async fn query(State(st): State<OcState>, headers: HeaderMap, call: OcCall) -> Response {
    match run(&st, &headers, &call.client, &call.data).await {
        Ok((items, errors)) => {
            let code = if errors.is_empty() { 0 } else { crate::envelope::code::REQUEST };
            call.respond_partial(LabelsPage { inbound_order_list: items }, errors, code)
        }
        Err(e) => call.refuse(e),
    }
}

async fn run(
    st: &OcState,
    headers: &HeaderMap,
    client: &ClientId,
    data: &Value,
) -> Result<(Vec<InboundLabels>, Vec<ErrorItem>), OcError> {
    let d: LabelQuery = crate::fields::data(data)?;
    let asked = d.inbound_order_list.texts("inboundOrderList", |o: &InboundOrderIn| {
        o.inbound_order.or(&o.inbound_order_number).or(&o.inbound_number)
    })?;
    if asked.is_empty() {
        return Err(OcError::invalid("inboundOrderList is required: [{\"inboundOrder\": \"OCI...\"}]."));
    }
    if asked.len() > MAX_ORDERS {
        return Err(OcError::invalid(format!(
            "inboundOrderList may name at most {MAX_ORDERS} orders; it has {}.",
            asked.len()
        )));
    }
    let mut items = vec![];
    let mut errors = vec![];
    for number in asked {
        let f = entrepot_app::InboundSearch { numbers: vec![number.clone()], limit: 1, ..Default::default() };
        let Some(v) = st.app.search_inbounds(client, &f).await?.0.pop() else {
            errors.push(ErrorItem::from_core(&CoreError::not_found("inboundNumber", &number), Some(number)));
            continue;
        };
        ensure(st, client, &v).await?;
        let v = st.app.find_inbound(client, &v.inbound.number).await?;
        let mut item = reply(st, headers, &v).await?;
        item.inbound_order = Some(number);
        items.push(item);
    }
    Ok((items, errors))
}
