//! Bins: a warehouse's locations (created one by one or as a range, listed by code, disabled),
//! the units each holds, and bin-to-bin moves. Staff of the warehouse act; a seller user reads
//! where its own units are.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    Json,
};
use entrepot_app::{BinMove, LocationFilter, LocationStockFilter, NewLocation, NewLocationRange};
use entrepot_core::{
    ids::SkuId,
    location::{range, Location, LocationKind},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{BadPage, NoWarehouse, NotWarehouseStaff};
use crate::{
    auth::Caller,
    floor::{client, pdf, staff_warehouse, warehouse, wire},
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

/// A page of units per location, in location code then SKU order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationStockList {
    pub items: Vec<LocationStockView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
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
    /// `next_cursor` of the previous page; absent for the first.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
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
        NotWarehouseStaff,
        NoWarehouse,
        BadPage,
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
        NotWarehouseStaff,
        NoWarehouse,
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
        NotWarehouseStaff,
        NoWarehouse,
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
        NotWarehouseStaff,
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
        (status = 200, description = "One page of units per location and SKU", body = LocationStockList),
        (status = 403, description = "Another warehouse or client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse, location or SKU", body = Problem, content_type = "application/problem+json"),
        BadPage,
    ))]
async fn location_stock(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<LocationStockQuery>,
) -> ApiResult<Json<LocationStockList>> {
    let actor = &caller.actor;
    let wh = warehouse(&st.app, &code).await?;
    let page = PageQuery { cursor: q.cursor.clone(), limit: q.limit };
    let limit = page.limit()?;
    let after: Option<(String, i64)> = page.position()?;
    let client = match (actor.client(), q.client.as_deref()) {
        (None, None) => None,
        (_, named) => Some(client(&st.app, actor, named, "client").await?),
    };
    // Staff's location is looked up (an unknown one is 404); a seller, who may not look bins
    // up, narrows its rows by the code.
    let wanted = q.location.as_deref().map(|l| l.trim().to_ascii_uppercase());
    let (location, code) = match (wanted, actor.client()) {
        (Some(l), None) => (Some(st.app.location(actor, &wh.id, &l).await?.id), None),
        (wanted, _) => (None, wanted),
    };
    let sku = match (q.sku.as_deref(), &client) {
        (Some(s), Some(c)) => Some(st.app.resolve_sku(c, s).await?.id),
        (Some(_), None) => return Err(Problem::invalid("client", "expected the client to name a SKU by")),
        (None, _) => None,
    };
    let f = LocationStockFilter {
        warehouse: wh.id,
        location,
        code,
        sku,
        client,
        after: after.map(|(code, sku)| (code, SkuId(sku))),
        limit: Some(i64::from(limit) + 1),
    };
    let mut rows = st.app.stock_by_location(actor, f).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| cursor(&(&r.code, r.sku_id.0))) } else { None };
    let items = rows
        .into_iter()
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
    Ok(Json(LocationStockList { items, next_cursor }))
}

/// Moves units from one bin to another (no bucket changes); refused past the destination's
/// capacity, saying the free space.
#[utoipa::path(post, path = "/warehouses/{code}/moves", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = MoveBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Moved", body = MoveDone),
        NotWarehouseStaff,
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
    let wh = staff_warehouse(&st.app, actor, &code).await?;
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

/// Most bin labels one PDF holds.
pub const MAX_LABELS: usize = 500;

/// Which bins to print labels for: `codes`, or a `range`, or every one (optionally by `prefix`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabelsQuery {
    /// Location codes, comma-separated (`A-01-1,A-01-2`).
    pub codes: Option<String>,
    /// A range of codes (`A-01..03-1..4`); those that exist are printed.
    pub range: Option<String>,
    /// Without `codes` or `range`: codes starting with this (default: every location).
    pub prefix: Option<String>,
}

/// The locations a labels query names, in its order (codes, range) or by code, bounded.
async fn labelled(
    st: &ApiState,
    actor: &entrepot_core::actor::Actor,
    wh: &entrepot_core::company::Warehouse,
    q: LabelsQuery,
) -> ApiResult<Vec<Location>> {
    let too_many =
        |n: usize| Problem::invalid("codes", format!("at most {MAX_LABELS} labels a document, this names {n}"));
    let named: Option<(Vec<String>, bool)> = match (q.codes.as_deref(), q.range.as_deref()) {
        (Some(_), Some(_)) => return Err(Problem::invalid("range", "give codes or a range, not both")),
        (Some(c), None) => {
            Some((c.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect(), false))
        }
        (None, Some(r)) => Some((range::expand(r).map_err(|e| Problem::invalid("range", e.to_string()))?, true)),
        (None, None) => None,
    };
    let Some((codes, from_range)) = named else {
        actor.require_staff()?;
        let f = LocationFilter {
            warehouse: wh.id.clone(),
            code_prefix: q.prefix,
            limit: MAX_LABELS as i64 + 1,
            ..Default::default()
        };
        let found = st.app.list_locations(actor, f).await?;
        if found.len() > MAX_LABELS {
            return Err(Problem::invalid(
                "prefix",
                format!("more than {MAX_LABELS} locations; narrow by prefix, codes or range"),
            ));
        }
        return Ok(found);
    };
    if codes.is_empty() {
        return Err(Problem::invalid("codes", "expected at least one location code"));
    }
    if codes.len() > MAX_LABELS {
        return Err(too_many(codes.len()));
    }
    let mut out = Vec::with_capacity(codes.len());
    for c in &codes {
        match st.app.location(actor, &wh.id, c).await {
            Ok(l) => out.push(l),
            // A range names bins that may not all exist: print those that do.
            Err(entrepot_core::CoreError::NotFound { .. }) if from_range => {}
            Err(e) => return Err(e.into()),
        }
    }
    if out.is_empty() {
        return Err(Problem::not_found("no location of the range exists".to_owned()));
    }
    Ok(out)
}

/// Bin labels (PDF, one 100 x 50 mm page per location, its code as Code128 and in text), as
/// `entrepot admin location labels` prints them; at most 500 a document.
#[utoipa::path(get, path = "/warehouses/{code}/locations/labels.pdf", tag = "locations",
    params(("code" = String, Path, description = "Warehouse code"), LabelsQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The labels", content_type = "application/pdf", body = String),
        NotWarehouseStaff,
        (status = 404, description = "No such warehouse or location", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid codes or range, or too many", body = Problem, content_type = "application/problem+json"),
    ))]
async fn bin_labels(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<LabelsQuery>,
) -> ApiResult<Response> {
    let wh = warehouse(&st.app, &code).await?;
    let found = labelled(&st, &caller.actor, &wh, q).await?;
    let labels: Vec<entrepot_labels::BinLabel> = found
        .iter()
        .map(|l| entrepot_labels::BinLabel {
            code: l.code.clone(),
            caption: format!("{} - zone {} - {}", wh.code, l.zone, l.kind.as_str().replace('_', " ")),
        })
        .collect();
    pdf(&format!("bins-{}.pdf", wh.code), move || entrepot_labels::bin_labels(&labels)).await
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_locations, create_location))
        .routes(routes!(create_range))
        .routes(routes!(bin_labels))
        .routes(routes!(disable_location))
        .routes(routes!(location_stock))
        .routes(routes!(move_units))
}
