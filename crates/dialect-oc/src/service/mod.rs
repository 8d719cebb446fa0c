//! getServiceList (spec §5.5): the active logistics services of the caller's sites, grouped by
//! `serviceRegion`, with their names in every language Entrepot knows them in.

use axum::{extract::State, response::Response, routing::get, Router};
use entrepot_core::ids::ClientId;
use serde_json::{json, Value};

use crate::{envelope::OcError, request::OcCall, OcState};

pub fn routes() -> Router<OcState> {
    Router::new().route("/openapi/3pp/base/v1/service", get(service_list).post(service_list))
}

async fn service_list(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(list(&st, &call.client).await)
}

/// The services of the client's sites only.
async fn list(st: &OcState, client: &ClientId) -> Result<Value, OcError> {
    let warehouses = st.app.client_warehouses(client).await?;
    let services = st.app.client_services(client, None).await?;
    let mut regions: Vec<Value> = vec![];
    for wh in &warehouses {
        let Some(region) = wh.oc_region.as_deref() else { continue };
        let products: Vec<Value> = services
            .iter()
            .filter(|s| s.active && s.warehouse_id == wh.id)
            .map(|s| {
                let mut names =
                    vec![json!({"applyPlatform": "0,1", "language": "en-US", "shippingServiceName": s.name})];
                if let Some(cn) = &s.name_cn {
                    names.push(json!({"applyPlatform": "0,1", "language": "zh-CN", "shippingServiceName": cn}));
                }
                json!({"shippingServiceCode": s.code, "shippingServiceNameList": names})
            })
            .collect();
        match regions.iter_mut().find(|r| r["serviceRegion"] == region) {
            Some(r) => r["productList"].as_array_mut().into_iter().for_each(|l| l.extend(products.clone())),
            None => regions.push(json!({"serviceRegion": region, "productList": products})),
        }
    }
    Ok(Value::Array(regions))
}
