//! getServiceList (spec §5.5): the active logistics services of the caller's sites, grouped by
//! `serviceRegion`, with their names in every language Entrepot knows them in.

pub mod transformers;
pub mod types;

use axum::{extract::State, response::Response, routing::get, Router};
use entrepot_core::{ids::ClientId, outbound::OrderKind};

use crate::{envelope::OcError, request::OcCall, OcState};
use types::{ServiceProduct, ServiceRegion};

pub fn routes() -> Router<OcState> {
    Router::new().route("/openapi/3pp/base/v1/service", get(service_list).post(service_list))
}

async fn service_list(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(list(&st, &call.client).await)
}

/// The services of the client's sites only; two sites of one region share its entry.
async fn list(st: &OcState, client: &ClientId) -> Result<Vec<ServiceRegion>, OcError> {
    let warehouses = st.app.client_warehouses(client).await?;
    let services = st.app.client_services(client, None).await?;
    let mut regions: Vec<ServiceRegion> = vec![];
    for wh in &warehouses {
        let Some(region) = wh.oc_region.as_deref() else { continue };
        // OC orders are all LOCAL: a service that carries another type only (FBA UK) is not theirs.
        let products = services
            .iter()
            .filter(|s| s.active && s.warehouse_id == wh.id && s.carries(OrderKind::Local))
            .map(ServiceProduct::from);
        match regions.iter_mut().find(|r| r.service_region == region) {
            Some(r) => r.product_list.extend(products),
            None => regions.push(ServiceRegion { service_region: region.to_owned(), product_list: products.collect() }),
        }
    }
    Ok(regions)
}
