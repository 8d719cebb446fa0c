//! Delivery package sizes (spec §6.4), the reference data a CLIENT_DIRECT order's
//! `delivery_package_size_id` names. The spec records the table's columns but infers the path.

pub mod transformers;
pub mod types;

use axum::{extract::State, response::Response};

use self::types::{PackageSizeRow, PACKAGE_SIZE_COLUMNS};
use crate::{
    envelope::{list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// `GET /client/Delivery-Package-Size`: the addressed site's size (every site of the client's
/// without `company_id`, as `Delivery-Service` does).
pub async fn package_sizes(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let sites = match &req.site {
        Some(site) => vec![site.clone()],
        None => state.app.client_warehouses(&req.client).await?,
    };
    let rows = values(sites.iter().filter_map(PackageSizeRow::new));
    let q = ListQuery::parse(&req.params, &["id", "code", "status"])?.typed(PACKAGE_SIZE_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}
