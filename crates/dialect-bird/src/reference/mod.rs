//! Reference data ERPs read to fill their drop-downs: delivery services (with the restriction
//! columns), countries, sites (`company-list`), warehouses and return actions.

use axum::{extract::State, http::StatusCode, response::Response};
use entrepot_core::{country::COUNTRIES, service::Service};
use serde_json::{json, Value};

use crate::{
    envelope::{list, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// Bird's row for a service.
pub fn service_row(s: &Service, company_id: Option<i64>) -> Value {
    let c = &s.constraints;
    json!({
        "id": s.bird_id.map(|i| i.to_string()),
        "company_id": company_id.map(|i| i.to_string()),
        "name": s.name,
        "locale_name": s.name_cn,
        "code": s.code,
        "status": if s.active { "ACTIVE" } else { "DELETED" },
        "consignment_type": "LOCAL",
        "is_tracking": if s.tracking { "1" } else { "0" },
        "is_signature": if s.signature { "1" } else { "0" },
        "is_express": if s.express { "1" } else { "0" },
        "is_international": if c.destinations.len() == 1 { "0" } else { "1" },
        "is_customs_required": if c.requires_ioss_for_eu || c.requires_shipper_eori { "1" } else { "0" },
        "is_internal": "0",
        "is_allow_urgent_consignment": "0",
        "is_hide_delivery_reference_to_consignment": "0",
        "is_check_post_code": "0",
        "is_check_telephone": "0",
        "restrict_max_length_contact": "100",
        "restrict_max_length_address_line1": "100",
        "restrict_max_length_address_line2": "100",
        "restrict_max_length_address_line3": "100",
        "restrict_max_length_post_code": "10",
        "restrict_regex_post_code": null,
        "restrict_regex_telephone": null,
        "max_weight": c.max_weight_g.map(|g| g.to_string()),
        "max_length": c.max_length_mm.map(|g| g.to_string()),
        "destination_country_iso_list": c.destinations.join(","),
        "forbidden_customs_property_list": c.forbidden.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
        "currency_code": s.rates.currency,
        "special_type": null,
        "consignment_notice_enable": "0",
        "consignment_notice": null,
        "primary_keys": ["id"],
    })
}

/// `GET /client/Delivery-Service`: the services of the addressed site (all the client's sites
/// without `company_id`), with Bird's filters.
pub async fn delivery_services(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let warehouses = state.app.client_warehouses(&req.client).await?;
    let services = state.app.client_services(&req.client, req.site.as_ref().map(|w| &w.id)).await?;
    let rows = services
        .iter()
        .filter(|s| s.bird_id.is_some())
        .map(|s| service_row(s, warehouses.iter().find(|w| w.id == s.warehouse_id).and_then(|w| w.bird_company_id)))
        .collect();
    let q = ListQuery::parse(
        &req.params,
        &[
            "id",
            "status",
            "name",
            "consignment_type",
            "is_tracking",
            "is_signature",
            "is_express",
            "is_hide_delivery_reference_to_consignment",
        ],
    )?;
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/Country`: every ISO 3166-1 country.
pub async fn countries(req: BirdRequest) -> Result<Response, BirdError> {
    let rows = COUNTRIES
        .iter()
        .map(|c| json!({"id": c.iso2, "iso": c.iso2, "country_iso": c.iso2, "name": c.name, "primary_keys": ["id"]}))
        .collect();
    let q = ListQuery::parse_with(&req.params, &["id", "iso", "name"], usize::MAX, usize::MAX)?;
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/public/company-list`: the sites (Bird `company_id`s). With an `api_key`, the
/// client's sites. Without one (no login needed, as on BirdSystem) the installation's sites if
/// they all belong to one operator company; with several operators, none, so that no operator's
/// sites are shown to strangers.
pub async fn company_list(
    State(state): State<BirdState>,
    req: Result<BirdRequest, BirdError>,
) -> Result<Response, BirdError> {
    let sites = match req {
        Ok(req) => state.app.client_warehouses(&req.client).await?,
        Err(e) if e.status == StatusCode::FORBIDDEN => {
            let all = state.app.reference_data().await?.warehouses.clone();
            match all.first() {
                Some(first) if all.iter().all(|w| w.company_id == first.company_id) => all,
                _ => vec![],
            }
        }
        Err(e) => return Err(e),
    };
    let rows: Vec<Value> = sites
        .iter()
        .filter_map(|w| {
            w.bird_company_id
                .map(|id| json!({"id": id.to_string(), "site_name": w.name, "code": w.code, "country_iso": w.country}))
        })
        .collect();
    Ok(list(rows.len(), rows))
}

/// `GET /client/Warehouse`: the client's warehouses with their addresses (for return labels and
/// inbound shipments).
pub async fn warehouses(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let rows = state
        .app
        .client_warehouses(&req.client)
        .await?
        .iter()
        .map(|w| {
            json!({
                "id": w.bird_company_id.map(|i| i.to_string()),
                "company_id": w.bird_company_id.map(|i| i.to_string()),
                "code": w.code,
                "name": w.name,
                "contact": w.address.name,
                "address_line1": w.address.lines.first(),
                "address_line2": w.address.lines.get(1),
                "city": w.address.city,
                "post_code": w.address.postcode,
                "country_iso": w.country,
                "timezone": w.timezone,
                "primary_keys": ["id"],
            })
        })
        .collect();
    let (total, rows) = ListQuery::parse(&req.params, &["id", "code"])?.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/return-consignment-action`: what the warehouse can do with a return.
pub async fn return_actions(req: BirdRequest) -> Result<Response, BirdError> {
    let company = req.site.as_ref().and_then(|w| w.bird_company_id).unwrap_or(0);
    let rows = RETURN_ACTIONS
        .iter()
        .map(|(id, kind, name, cost)| {
            json!({"id": id.to_string(), "company_id": company.to_string(), "name": name, "type": kind, "cost": cost,
                   "weight_unit_price": "0.000", "volume_unit_price": "0.000", "sku_unit_price": "0.000", "product_unit_price": "0.000",
                   "return_consignment_type": "SINGLE", "status": "ACTIVE", "primary_keys": ["id"]})
        })
        .collect();
    let (total, rows) = ListQuery::parse(&req.params, &["id", "type", "status"])?.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// Return actions (spec §6.3), with ids stable across installations.
pub const RETURN_ACTIONS: [(i64, &str, &str, &str); 5] = [
    (91, "CONTAINER", "Return to shelf", "1.50"),
    (92, "SELLER", "Hold for shipment home", "1.00"),
    (93, "DISPOSE", "Dispose", "0.80"),
    (94, "CHECK", "Inspect", "2.00"),
    (95, "TRANSFER", "Forward", "1.50"),
];
