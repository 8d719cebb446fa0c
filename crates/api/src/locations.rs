//! Bins: a warehouse's locations (created one by one or as a range, listed by code, disabled),
//! the units each holds, and bin-to-bin moves. Staff of the warehouse act; a seller user reads
//! where its own units are.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::{BinMove, LocationFilter, LocationStockFilter, NewLocation, NewLocationRange};
use entrepot_core::location::{Location, LocationKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Caller,
    floor::{client, warehouse, wire},
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// A location (bin).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationView {
    pub id: String,
    pub warehouse_id: String,
    pub code: String,
    pub zone: String,
    /// pick_face, reserve, dock, returns, quarantine or damaged.
    #[serde(rename = "type")]
    pub kind: String,
    /// Walking order.
    pub pick_seq: i64,
    /// Units it holds at most; `null`: no limit.
    pub capacity: Option<i64>,
    pub disabled: bool,
    pub created_at_ms: i64,
}

impl From<Location> for LocationView {
    fn from(l: Location) -> Self {
        Self {
            kind: wire(&l.kind),
            id: l.id.0,
            warehouse_id: l.warehouse_id.0,
            code: l.code,
            zone: l.zone,
            pick_seq: l.pick_seq,
            capacity: l.capacity,
            disabled: l.disabled,
            created_at_ms: l.created_at_ms,
        }
    }
}

/// A page of locations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationPage {
    pub items: Vec<LocationView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// Locations created.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationList {
    pub items: Vec<LocationView>,
}

/// The filters of the location list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationQuery {
    pub zone: Option<String>,
    /// pick_face, reserve, dock, returns, quarantine or damaged.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Codes starting with this.
    pub prefix: Option<String>,
    /// Also the disabled ones.
    pub include_disabled: Option<bool>,
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

/// A location to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewLocationBody {
    /// Its code (`A-01-02-1`), normalised.
    pub code: String,
    /// Default: the code's first part.
    pub zone: Option<String>,
    /// pick_face, reserve, quarantine...
    #[serde(rename = "type")]
    pub kind: String,
    /// Walking order; default after the warehouse's last bin.
    pub pick_seq: Option<i64>,
    pub capacity: Option<i64>,
}

/// A range of locations to create (`A-01..03-01..10-1..4`), all or nothing.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewRangeBody {
    pub range: String,
    pub zone: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    /// Walking order of the first; default after the warehouse's last bin.
    pub pick_seq: Option<i64>,
    pub capacity: Option<i64>,
}

/// Disabling a location (or enabling it again).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisableQuery {
    /// `false` enables it again (default `true`).
    pub disabled: Option<bool>,
}

/// Units of one SKU in one location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationStockView {
    pub location_id: String,
    pub code: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub sku_id: i64,
    pub client_id: String,
    pub warehouse_id: String,
    pub qty: i64,
}

/// Units per location.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationStockList {
    pub items: Vec<LocationStockView>,
}

/// Which location stock to show.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationStockQuery {
    /// A location's code.
    pub location: Option<String>,
    /// The client (staff and operators may narrow to one; a seller user sees its own).
    pub client: Option<String>,
    /// A SKU (label, seller SKU or id; needs the client).
    pub sku: Option<String>,
}

/// Units moved from one bin to another.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MoveBody {
    /// The client owning the units (id or name).
    pub client: String,
    /// The SKU: label (MFSKUID), seller SKU or id.
    pub sku: String,
    pub from: String,
    pub to: String,
    pub qty: i64,
}

/// A bin-to-bin move done.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoveDone {
    pub sku_id: i64,
    pub from: String,
    pub to: String,
    pub qty: i64,
}

fn kind(field: &str, s: &str) -> ApiResult<LocationKind> {
    s.parse::<LocationKind>().map_err(|_| {
        Problem::invalid(field, format!("expected pick_face, reserve, dock, returns, quarantine or damaged, got '{s}'"))
    })
}

/// A warehouse's locations in code order.
#[utoipa::path(get, path = "/warehouses/{code}/locations", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code"), LocationQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page", body = LocationPage),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_locations(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<LocationQuery>,
) -> ApiResult<Json<LocationPage>> {
    let wh = warehouse(&st.app, &code).await?;
    let page = PageQuery { cursor: q.cursor.clone(), limit: q.limit };
    let limit = page.limit()?;
    let after: Option<String> = page.position()?;
    let f = LocationFilter {
        warehouse: wh.id,
        zone: q.zone,
        kind: q.kind.as_deref().map(|k| kind("type", k)).transpose()?,
        code_prefix: q.prefix,
        after,
        include_disabled: q.include_disabled.unwrap_or(false),
        limit: i64::from(limit) + 1,
    };
    let mut items = st.app.list_locations(&caller.actor, f).await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|l| cursor(&l.code)) } else { None };
    Ok(Json(LocationPage { items: items.into_iter().map(Into::into).collect(), next_cursor }))
}

/// Creates one location.
#[utoipa::path(post, path = "/warehouses/{code}/locations", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewLocationBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Created", body = LocationView),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid code, type or numbers", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_location(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewLocationBody>,
) -> ApiResult<(StatusCode, Json<LocationView>)> {
    let wh = warehouse(&st.app, &code).await?;
    let n = NewLocation {
        code: b.code,
        zone: b.zone,
        kind: kind("type", &b.kind)?,
        pick_seq: b.pick_seq,
        capacity: b.capacity,
    };
    Ok((StatusCode::CREATED, Json(st.app.create_location(&caller.actor, &wh.id, n).await?.into())))
}

/// Creates the locations of a range, all or nothing.
#[utoipa::path(post, path = "/warehouses/{code}/locations/range", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewRangeBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Created, in walking order", body = LocationList),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A code exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid range, type or numbers", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_range(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewRangeBody>,
) -> ApiResult<(StatusCode, Json<LocationList>)> {
    let wh = warehouse(&st.app, &code).await?;
    let r = NewLocationRange {
        range: b.range,
        zone: b.zone,
        kind: kind("type", &b.kind)?,
        pick_seq: b.pick_seq,
        capacity: b.capacity,
    };
    let made = st.app.create_location_range(&caller.actor, &wh.id, r).await?;
    Ok((StatusCode::CREATED, Json(LocationList { items: made.into_iter().map(Into::into).collect() })))
}

/// Disables a location (it takes no new units), or enables it again.
#[utoipa::path(post, path = "/warehouses/{code}/locations/{location}/disable", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code"), ("location" = String, Path, description = "Location code"), DisableQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The location", body = LocationView),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse or location", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A default location", body = Problem, content_type = "application/problem+json"),
    ))]
async fn disable_location(
    State(st): State<ApiState>,
    caller: Caller,
    Path((code, location)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<DisableQuery>,
) -> ApiResult<Json<LocationView>> {
    let wh = warehouse(&st.app, &code).await?;
    let disabled = q.disabled.unwrap_or(true);
    Ok(Json(st.app.disable_location(&caller.actor, &wh.id, &location, disabled).await?.into()))
}

/// Units per location in the warehouse (a seller user: its own).
#[utoipa::path(get, path = "/warehouses/{code}/location-stock", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code"), LocationStockQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Units per location and SKU", body = LocationStockList),
        (status = 403, description = "Another warehouse or client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse, location or SKU", body = Problem, content_type = "application/problem+json"),
    ))]
async fn location_stock(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<LocationStockQuery>,
) -> ApiResult<Json<LocationStockList>> {
    let actor = &caller.actor;
    let wh = warehouse(&st.app, &code).await?;
    let client = match (actor.client(), q.client.as_deref()) {
        (None, None) => None,
        (_, named) => Some(client(&st.app, actor, named, "client").await?),
    };
    // Staff name the location by id; a seller (who may not look bins up) gets its rows filtered.
    let wanted = q.location.as_deref().map(|l| l.trim().to_ascii_uppercase());
    let location = match (&wanted, actor.client()) {
        (Some(l), None) => Some(st.app.location(actor, &wh.id, l).await?.id),
        _ => None,
    };
    let sku = match (q.sku.as_deref(), &client) {
        (Some(s), Some(c)) => Some(st.app.resolve_sku(c, s).await?.id),
        (Some(_), None) => return Err(Problem::invalid("client", "expected the client to name a SKU by")),
        (None, _) => None,
    };
    let rows = st.app.stock_by_location(actor, LocationStockFilter { warehouse: wh.id, location, sku, client }).await?;
    let items = rows
        .into_iter()
        .filter(|r| wanted.as_ref().is_none_or(|w| *w == r.code))
        .map(|r| LocationStockView {
            kind: wire(&r.kind),
            location_id: r.location_id.0,
            code: r.code,
            sku_id: r.sku_id.0,
            client_id: r.client_id.0,
            warehouse_id: r.warehouse_id.0,
            qty: r.qty,
        })
        .collect();
    Ok(Json(LocationStockList { items }))
}

/// Moves units from one bin to another (no bucket changes); refused past the destination's
/// capacity, saying the free space.
#[utoipa::path(post, path = "/warehouses/{code}/moves", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = MoveBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Moved", body = MoveDone),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse, bin or SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not that many units, or no room", body = Problem, content_type = "application/problem+json"),
    ))]
async fn move_units(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> ApiResult<Json<MoveDone>> {
    let actor = &caller.actor;
    let wh = warehouse(&st.app, &code).await?;
    actor.require_staff()?;
    actor.require_warehouse(&wh.id)?;
    let client = client(&st.app, actor, Some(&b.client), "client").await?;
    let sku = st.app.resolve_sku(&client, &b.sku).await?;
    let m = BinMove { client, sku: sku.id, warehouse: wh.id, from: b.from.clone(), to: b.to.clone(), qty: b.qty };
    st.app.move_between_bins(actor, m).await?;
    Ok(Json(MoveDone {
        sku_id: sku.id.0,
        from: b.from.trim().to_ascii_uppercase(),
        to: b.to.trim().to_ascii_uppercase(),
        qty: b.qty,
    }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_locations, create_location))
        .routes(routes!(create_range))
        .routes(routes!(disable_location))
        .routes(routes!(location_stock))
        .routes(routes!(move_units))
}
