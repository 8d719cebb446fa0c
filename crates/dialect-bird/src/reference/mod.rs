//! Reference data ERPs read to fill their drop-downs: delivery services (with the restriction
//! columns), countries, sites (`company-list`), warehouses and return actions. Shapes in
//! [`types`], rows from core reference data in [`transformers`].

pub mod transformers;
pub mod types;

use axum::{extract::State, http::StatusCode, response::Response};
use entrepot_core::country::COUNTRIES;

use self::{
    transformers::return_action_rows,
    types::{
        CompanyRow, CountryRow, ServiceRow, WarehouseRow, COUNTRY_COLUMNS, RETURN_ACTION_COLUMNS, SERVICE_COLUMNS,
        WAREHOUSE_COLUMNS,
    },
};

use crate::{
    envelope::{list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// `GET /client/Delivery-Service`: the services of the addressed site (all the client's sites
/// without `company_id`), with Bird's filters.
pub async fn delivery_services(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let warehouses = state.app.client_warehouses(&req.client).await?;
    let services = state.app.client_services(&req.client, req.site.as_ref().map(|w| &w.id)).await?;
    let rows = services.iter().filter(|s| s.bird_id.is_some()).map(|s| {
        ServiceRow::new(s, warehouses.iter().find(|w| w.id == s.warehouse_id).and_then(|w| w.bird_company_id))
    });
    let rows = values(rows);
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
    )?
    .typed(SERVICE_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/Country`: every ISO 3166-1 country.
pub async fn countries(req: BirdRequest) -> Result<Response, BirdError> {
    let rows = values(COUNTRIES.iter().map(CountryRow::from));
    let q = ListQuery::parse_with(&req.params, &["id", "iso", "name"], usize::MAX, usize::MAX)?.typed(COUNTRY_COLUMNS);
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
    let rows = values(sites.iter().filter_map(CompanyRow::new));
    Ok(list(rows.len(), rows))
}

/// `GET /client/Warehouse`: the client's warehouses with their addresses (for return labels and
/// inbound shipments).
pub async fn warehouses(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let warehouses = state.app.client_warehouses(&req.client).await?;
    let rows = values(warehouses.iter().map(WarehouseRow::from));
    let q = ListQuery::parse(&req.params, &["id", "code"])?.typed(WAREHOUSE_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/return-consignment-action`: what the warehouse can do with a return.
pub async fn return_actions(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let company = req.site.as_ref().and_then(|w| w.bird_company_id).unwrap_or(0);
    let rates = match &req.site {
        Some(w) => state.app.return_rates(&w.id).await?,
        None => entrepot_core::returns::ReturnRates::standard(),
    };
    let rows = values(return_action_rows(company, &rates));
    let q = ListQuery::parse(&req.params, &["id", "type", "status"])?.typed(RETURN_ACTION_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}
