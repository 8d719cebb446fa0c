//! Stock balances per SKU and warehouse, filtered and paged by cursor: a seller user reads its
//! client's, staff one client's in their warehouses, operators any client's.

use std::collections::HashMap;

use axum::{extract::State, Json};
use entrepot_core::{actor::Role, ids::ClientId, inventory::Bucket};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{BadPage, Unauthenticated};
use crate::{
    auth::Caller,
    pagination::{cursor, PageQuery},
    problem::{ApiQuery, ApiResult, Problem},
    ApiState,
};

/// The filters of the stock list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    /// The client (required for staff and operators; a seller user reads its own).
    pub client: Option<String>,
    /// A warehouse code (`UK1`).
    pub warehouse: Option<String>,
    /// A SKU: its seller SKU, MFSKUID or id.
    pub sku: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

/// Units per bucket.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Buckets {
    pub in_transit: i64,
    pub received: i64,
    pub available: i64,
    pub reserved: i64,
    pub frozen: i64,
    pub unfulfillable: i64,
}

/// One SKU in one warehouse.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StockItem {
    pub sku_id: i64,
    pub seller_sku: String,
    pub warehouse: String,
    pub units: Buckets,
    pub updated_at_ms: i64,
}

/// A page of stock rows.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StockPage {
    pub items: Vec<StockItem>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// Stock balances, by SKU then warehouse.
#[utoipa::path(get, path = "/stock", tag = "stock", params(StockQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page", body = StockPage),
        Unauthenticated,
        (status = 403, description = "A warehouse the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Another client", body = Problem, content_type = "application/problem+json"),
        BadPage,
    ))]
async fn list_stock(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StockQuery>,
) -> ApiResult<Json<StockPage>> {
    let actor = &caller.actor;
    let page = PageQuery { cursor: q.cursor.clone(), limit: q.limit };
    let limit = page.limit()?;
    let offset: u64 = page.position()?.unwrap_or(0);
    let client: ClientId = match (actor.client(), q.client.as_deref()) {
        (Some(own), None) => own.clone(),
        (Some(own), Some(c)) if c == own.0 => own.clone(),
        (Some(_), Some(_)) => return Err(Problem::not_found("client not found".to_owned())),
        (None, Some(c)) => st.app.find_client(c).await.map_err(|_| Problem::invalid("client", "no such client"))?.id,
        (None, None) => return Err(Problem::invalid("client", "required for staff and operators")),
    };
    let warehouses = match q.warehouse.as_deref() {
        Some(code) => {
            let wh =
                st.app.warehouse_by_code(code).await.map_err(|_| Problem::invalid("warehouse", "no such warehouse"))?;
            if !matches!(actor.role, Role::Seller { .. }) {
                actor.require_warehouse(&wh.id)?;
            }
            vec![wh.id]
        }
        None => match &actor.role {
            Role::Staff { warehouses, .. } if warehouses.is_empty() => {
                return Ok(Json(StockPage { items: vec![], next_cursor: None }))
            }
            Role::Staff { warehouses, .. } => warehouses.clone(),
            _ => vec![],
        },
    };
    let skus = match q.sku.as_deref() {
        Some(key) => match st.app.resolve_sku(&client, key).await {
            Ok(s) => vec![s.id],
            Err(_) => return Ok(Json(StockPage { items: vec![], next_cursor: None })),
        },
        None => vec![],
    };
    let off = i64::try_from(offset).map_err(|_| Problem::invalid("cursor", "out of range"))?;
    let (rows, total) = st.app.stock_page(&client, &skus, &warehouses, off, i64::from(limit)).await?;
    let ids: Vec<_> = rows.iter().map(|r| r.sku_id).collect();
    let names: HashMap<_, _> =
        st.app.skus_by_ids(&client, &ids).await?.into_iter().map(|s| (s.id, s.seller_sku)).collect();
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let p = &r.position;
        items.push(StockItem {
            sku_id: r.sku_id.0,
            seller_sku: names.get(&r.sku_id).cloned().unwrap_or_default(),
            warehouse: st.app.cached_warehouse(&r.warehouse_id).await.map(|w| w.code).unwrap_or_default(),
            units: Buckets {
                in_transit: p.get(Bucket::InTransit),
                received: p.get(Bucket::Received),
                available: p.get(Bucket::Available),
                reserved: p.get(Bucket::ReservedAllocated).saturating_add(p.get(Bucket::ReservedHold)),
                frozen: p.get(Bucket::Suspend),
                unfulfillable: p.get(Bucket::Unfulfillable),
            },
            updated_at_ms: r.updated_at_ms,
        });
    }
    let next = off.saturating_add(rows.len() as i64);
    let next_cursor = (!rows.is_empty() && next < total).then(|| cursor(&next));
    Ok(Json(StockPage { items, next_cursor }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list_stock))
}
