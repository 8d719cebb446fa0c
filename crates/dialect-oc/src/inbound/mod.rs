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
//! - `needClearanceDoc` (`true`/`false`, `1`/`0`; default `false`): such an inbound is not
//!   received until its customs clearance documents are uploaded ([`crate::inbound::upload`]);
//!   the list and detail queries answer `needClearanceDoc` and `missingClearanceDocList`.

pub mod labels;
pub mod query;
pub mod transformers;
pub mod types;
pub mod upload;

use std::collections::HashMap;

use axum::{extract::State, http::HeaderMap, response::Response, routing::post, Router};
use entrepot_app::{InboundSearch, InboundView, NewInbound, SkuFilter};
use entrepot_core::{
    ids::{ClientId, SkuId},
    CoreError,
};
use serde_json::Value;

use crate::{envelope::OcError, request::OcCall, OcState};
use transformers::{carton_list, named_mfskuids, new_inbound, InboundHeader};
use types::{InboundIn, InboundLabels};

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

/// The request read into an inbound to create.
async fn read(st: &OcState, client: &ClientId, d: &InboundIn) -> Result<NewInbound, OcError> {
    let header = InboundHeader::try_from(d)?;
    let region = &header.region;
    let warehouse = st.app.warehouse_for_client_by_region(client, region).await.map_err(|e| match e {
        CoreError::NotFound { .. } => OcError::from(CoreError::invalid(
            "serviceRegion",
            format!("'{region}' is not a fulfilment centre of this operator (see getServiceList)"),
        )),
        other => other.into(),
    })?;
    let cartons = carton_list(d)?;
    let ids = named_mfskuids(&cartons);
    let skus: HashMap<String, SkuId> = if ids.is_empty() {
        HashMap::new()
    } else {
        let f = SkuFilter { mfskuids: ids, ..Default::default() };
        st.app.list_skus(client, &f).await?.0.into_iter().map(|s| (s.mfskuid.to_ascii_uppercase(), s.id)).collect()
    };
    Ok(new_inbound(header, d, &cartons, &skus, warehouse.id)?)
}

async fn run(st: &OcState, headers: &HeaderMap, client: &ClientId, data: &Value) -> Result<InboundLabels, OcError> {
    let d: InboundIn = crate::fields::data(data)?;
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
