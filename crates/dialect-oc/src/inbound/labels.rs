//! An inbound's printed documents, and Inbound Label Query (spec §5.9).
//!
//! Two PDFs per inbound, rendered as every door renders them ([`entrepot_ops::inbound_files`])
//! and kept in the blob store under the inbound's file token ([`crate::files`]):
//! `sku-labels.pdf` and `carton-marks.pdf`. They are rendered when the inbound is created, and
//! again on a label query if they went missing.
//!
//! Label query: `data.inboundOrderList:[{inboundOrder}]` (≤ 100) → one item per order found,
//! echoing `inboundOrder`, with the URLs of the creation reply; orders not found (or another
//! client's) are refused in `errors[]` with `id` = the number asked for.

use axum::{extract::State, http::HeaderMap, response::Response};
use entrepot_app::InboundView;
use entrepot_core::{ids::ClientId, CoreError};
use entrepot_ops::inbound_files;
use serde_json::Value;

use super::{
    transformers::{inbound_labels, CARTON_MARKS, SKU_LABELS},
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
    Ok(inbound_files::token(&st.app, client, v).await?)
}

/// Renders and stores the inbound's PDFs unless both are there.
pub async fn ensure(st: &OcState, client: &ClientId, v: &InboundView) -> Result<(), OcError> {
    let token = token(st, client, v).await?;
    if files::exists(st, &token, SKU_LABELS).await? && files::exists(st, &token, CARTON_MARKS).await? {
        return Ok(());
    }
    let docs = inbound_files::documents(&st.app, client, v).await?;
    files::put(st, &token, SKU_LABELS, &docs.sku_labels).await?;
    files::put(st, &token, CARTON_MARKS, &docs.carton_marks).await
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
