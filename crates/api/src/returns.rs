//! Returns on the floor: staff receive a return by scanning its consignment id or tracking
//! number, run its action, work the unidentified queue; the operator (or a supervisor) prices
//! them per warehouse; a seller reads its own returns. Thin calls on the `App` returns use cases.

use axum::{
    extract::{Path, State},
    Json,
};
use entrepot_app::{
    types::returns::{ReturnArrival, ReturnCommand, ReturnView, ScannedUnit, UnidentifiedReturn},
    ReturnScan,
};
use entrepot_core::{
    actor::Role,
    ids::UnidentifiedReturnId,
    returns::{ActionRate, Condition, ReturnAction, ReturnRates},
    CoreError,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{NoWarehouse, NotItsStaff, Unauthenticated};
use crate::{
    auth::Caller,
    floor::warehouse,
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// Most photo keys one action carries.
const MAX_PHOTOS: usize = 20;

/// One scanned line of an arriving return.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScannedLine {
    /// The SKU as its label reads: product id, seller SKU or MFSKUID.
    pub sku: String,
    /// `good` or `damaged`.
    pub condition: String,
    pub qty: i64,
}

/// A receiving scan: the return's consignment id or the buyer's tracking number, and what was
/// counted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiveReturn {
    pub scan: String,
    #[serde(default)]
    pub lines: Vec<ScannedLine>,
    pub note: Option<String>,
}

/// Per SKU: expected, good and damaged units.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReturnLineView {
    pub sku_id: i64,
    pub expected: i64,
    pub good: i64,
    pub damaged: i64,
}

/// A return authorisation and what the warehouse did with it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReturnOut {
    pub order_id: String,
    /// Bird's consignment id.
    pub consignment_id: i64,
    pub client_id: String,
    pub warehouse: String,
    /// The consignment's own status.
    pub order_status: String,
    /// RECEIVED, INSPECTING or COMPLETED; `null` while the goods are expected.
    pub status: Option<String>,
    /// The action the seller asked for (RESTOCK, HOLD, DISPOSE, INSPECT, FORWARD).
    pub requested: Option<String>,
    /// The action that completed it.
    pub outcome: Option<String>,
    pub inspected: bool,
    pub tracking_number: Option<String>,
    pub lines: Vec<ReturnLineView>,
    pub notes: Option<String>,
    pub photos: Vec<String>,
    pub forward_reference: Option<String>,
    pub forward_address: Option<String>,
    /// What completing it cost the client, minor units of `currency`.
    pub fee: i64,
    pub currency: Option<String>,
    pub received_at_ms: Option<i64>,
    pub completed_at_ms: Option<i64>,
}

/// Returned goods that came with no authorisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnidentifiedOut {
    pub id: String,
    pub warehouse: String,
    /// What staff scanned.
    pub scanned: String,
    pub note: Option<String>,
    pub created_at_ms: i64,
    /// The return it was matched to, once it was.
    pub matched_order_id: Option<String>,
}

/// What a receiving scan led to: `received` (with the return) or `unidentified` (with the
/// queue entry it made).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptResult {
    /// `received` or `unidentified`.
    pub result: String,
    #[serde(rename = "return")]
    pub received: Option<ReturnOut>,
    pub unidentified: Option<UnidentifiedOut>,
}

/// An action on a received return.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ReturnActionRequest {
    /// RESTOCK, HOLD, DISPOSE, INSPECT or FORWARD; absent: the one the seller asked for.
    pub action: Option<String>,
    /// Inspection notes (appended to earlier ones).
    pub notes: Option<String>,
    /// Keys of photos already stored.
    #[serde(default)]
    pub photos: Vec<String>,
    /// Forwarding: the onward parcel's carrier reference (required to forward).
    pub forward_reference: Option<String>,
    pub forward_address: Option<String>,
}

/// The unidentified returns queue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnidentifiedPage {
    pub items: Vec<UnidentifiedOut>,
    pub next_cursor: Option<String>,
}

/// Matching an unidentified return to its authorisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchReturn {
    /// The authorisation's consignment id or tracking number.
    pub scan: String,
}

/// The price of one action, minor units.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionRateView {
    /// RESTOCK, HOLD, DISPOSE, INSPECT or FORWARD.
    pub action: String,
    pub per_return: i64,
    pub per_unit: i64,
}

/// A warehouse's returns rate card, in minor units of the client's currency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReturnRatesView {
    pub receive_per_unit: i64,
    pub actions: Vec<ActionRateView>,
}

async fn code_of(st: &ApiState, id: &entrepot_core::ids::WarehouseId) -> String {
    st.app.cached_warehouse(id).await.map(|w| w.code).unwrap_or_default()
}

async fn return_out(st: &ApiState, v: ReturnView) -> ReturnOut {
    ReturnOut {
        order_id: v.order_id.0,
        consignment_id: v.bird_id,
        client_id: v.client_id.0,
        warehouse: code_of(st, &v.warehouse_id).await,
        order_status: serde_json::to_value(v.order_status)
            .ok()
            .and_then(|s| s.as_str().map(str::to_owned))
            .unwrap_or_default(),
        status: v.status.map(|s| s.as_str().to_owned()),
        requested: v.requested.map(|a| a.as_str().to_owned()),
        outcome: v.outcome.map(|a| a.as_str().to_owned()),
        inspected: v.inspected,
        tracking_number: v.tracking_number,
        lines: v
            .lines
            .iter()
            .map(|l| ReturnLineView { sku_id: l.sku.0, expected: l.expected, good: l.good, damaged: l.damaged })
            .collect(),
        notes: v.notes,
        photos: v.photos,
        forward_reference: v.forward_reference,
        forward_address: v.forward_address,
        fee: v.fee,
        currency: v.currency,
        received_at_ms: v.received_at_ms,
        completed_at_ms: v.completed_at_ms,
    }
}

async fn unidentified_out(st: &ApiState, u: UnidentifiedReturn) -> UnidentifiedOut {
    UnidentifiedOut {
        id: u.id.0,
        warehouse: code_of(st, &u.warehouse_id).await,
        scanned: u.scanned,
        note: u.note,
        created_at_ms: u.created_at_ms,
        matched_order_id: u.matched_order_id.map(|o| o.0),
    }
}

/// Receives a return at a warehouse from a scan; a scan matching no authorisation is queued as
/// an unidentified return.
#[utoipa::path(post, path = "/warehouses/{code}/returns/receipts", tag = "returns", request_body = ReceiveReturn,
    security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "Warehouse code"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Received, or queued as unidentified", body = ReceiptResult),
        Unauthenticated,
        (status = 403, description = "Not staff of this warehouse", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
        (status = 409, description = "Already received, or expected elsewhere", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A line that is not on the return", body = Problem, content_type = "application/problem+json"),
    ))]
async fn receive_return(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<ReceiveReturn>,
) -> ApiResult<Json<ReceiptResult>> {
    caller.actor.require_staff()?;
    let wh = warehouse(&st.app, &code).await?;
    let mut lines = Vec::with_capacity(req.lines.len().min(entrepot_core::limits::MAX_LINES));
    for (k, l) in req.lines.iter().enumerate() {
        let condition: Condition =
            l.condition.parse().map_err(|_| Problem::invalid(&format!("lines[{k}].condition"), "good or damaged"))?;
        lines.push(ScannedUnit { sku: l.sku.clone(), condition, qty: l.qty });
    }
    let arrival = ReturnArrival { lines, note: req.note };
    let out = match st.app.receive_return(&caller.actor, &wh.id, &req.scan, arrival).await? {
        ReturnScan::Received(v) => {
            ReceiptResult { result: "received".into(), received: Some(return_out(&st, *v).await), unidentified: None }
        }
        ReturnScan::Unidentified(u) => ReceiptResult {
            result: "unidentified".into(),
            received: None,
            unidentified: Some(unidentified_out(&st, u).await),
        },
    };
    Ok(Json(out))
}

/// Runs an action on a received return (by consignment id or tracking number): the seller's
/// requested one when none is named; final actions charge the client.
#[utoipa::path(post, path = "/returns/{id}/action", tag = "returns", request_body = ReturnActionRequest,
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Consignment id or tracking number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "The return after the action", body = ReturnOut),
        Unauthenticated,
        NotItsStaff,
        (status = 404, description = "No such return", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state for this action", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid action or fields", body = Problem, content_type = "application/problem+json"),
    ))]
async fn return_action(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReturnActionRequest>,
) -> ApiResult<Json<ReturnOut>> {
    let action = match req.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(a.parse::<ReturnAction>()?),
        None => None,
    };
    if req.photos.len() > MAX_PHOTOS {
        return Err(Problem::invalid("photos", format!("at most {MAX_PHOTOS}")));
    }
    for (k, key) in req.photos.iter().enumerate() {
        crate::files::require_photo(&st, &caller.actor, &format!("photos[{k}]"), Some(key)).await?;
    }
    let cmd = ReturnCommand {
        action,
        notes: req.notes,
        photos: req.photos,
        forward_reference: req.forward_reference,
        forward_address: req.forward_address,
    };
    let v = st.app.run_return_action(&caller.actor, &id, cmd).await?;
    Ok(Json(return_out(&st, v).await))
}

/// A return: its status, outcome and fee (a seller user reads its own client's only).
#[utoipa::path(get, path = "/returns/{id}", tag = "returns",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Consignment id, order id or tracking number")),
    responses(
        (status = 200, description = "The return", body = ReturnOut),
        Unauthenticated,
        (status = 403, description = "A warehouse the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such return of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_return(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<ReturnOut>> {
    let v = st.app.return_status(&caller.actor, &id).await?;
    Ok(Json(return_out(&st, v).await))
}

/// The unidentified returns queue of a warehouse, oldest first.
#[utoipa::path(get, path = "/warehouses/{code}/returns/unidentified", tag = "returns",
    security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "Warehouse code"), PageQuery),
    responses(
        (status = 200, description = "One page", body = UnidentifiedPage),
        Unauthenticated,
        (status = 403, description = "Not staff of this warehouse", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
    ))]
async fn list_unidentified(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<UnidentifiedPage>> {
    caller.actor.require_staff()?;
    let wh = warehouse(&st.app, &code).await?;
    let limit = page.limit()? as usize;
    let offset: usize = page.position()?.unwrap_or(0);
    let mut all = st.app.unidentified_returns(&caller.actor, Some(&wh.id)).await?;
    all.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    let total = all.len();
    let mut items = Vec::new();
    for u in all.into_iter().skip(offset).take(limit) {
        items.push(unidentified_out(&st, u).await);
    }
    let next = offset.saturating_add(items.len());
    let next_cursor = (!items.is_empty() && next < total).then(|| cursor(&next));
    Ok(Json(UnidentifiedPage { items, next_cursor }))
}

/// Matches an unidentified return to the authorisation staff found for it; they then receive it
/// against that return.
#[utoipa::path(post, path = "/returns/unidentified/{id}/match", tag = "returns", request_body = MatchReturn,
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Unidentified return id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Matched", body = UnidentifiedOut),
        Unauthenticated,
        NotItsStaff,
        (status = 404, description = "No such entry or return", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already matched", body = Problem, content_type = "application/problem+json"),
    ))]
async fn match_unidentified(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<MatchReturn>,
) -> ApiResult<Json<UnidentifiedOut>> {
    let u = st.app.match_unidentified_return(&caller.actor, &UnidentifiedReturnId(id), &req.scan).await?;
    Ok(Json(unidentified_out(&st, u).await))
}

fn rates_view(r: &ReturnRates) -> ReturnRatesView {
    ReturnRatesView {
        receive_per_unit: r.receive_per_unit,
        actions: r
            .actions
            .iter()
            .map(|(a, rate)| ActionRateView {
                action: a.as_str().to_owned(),
                per_return: rate.per_return,
                per_unit: rate.per_unit,
            })
            .collect(),
    }
}

/// A warehouse's returns rate card (the standard one until set). Staff read their warehouses',
/// sellers their sites'.
#[utoipa::path(get, path = "/warehouses/{code}/return-rates", tag = "returns",
    security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "Warehouse code")),
    responses(
        (status = 200, description = "The rate card", body = ReturnRatesView),
        Unauthenticated,
        (status = 403, description = "A warehouse the caller may not see", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
    ))]
async fn get_rates(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<ReturnRatesView>> {
    let wh = warehouse(&st.app, &code).await?;
    match &caller.actor.role {
        Role::Seller { client, .. } => {
            if !st.app.client_warehouses(client).await?.iter().any(|w| w.id == wh.id) {
                return Err(Problem::not_found(format!("no warehouse {code}")));
            }
        }
        _ => caller.actor.require_warehouse(&wh.id)?,
    }
    Ok(Json(rates_view(&st.app.return_rates(&wh.id).await?)))
}

/// Sets a warehouse's returns rate card (operators and the warehouse's supervisors).
#[utoipa::path(put, path = "/warehouses/{code}/return-rates", tag = "returns", request_body = ReturnRatesView,
    security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "Warehouse code"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "The card now in force", body = ReturnRatesView),
        Unauthenticated,
        (status = 403, description = "Not a supervisor of this warehouse", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
        (status = 422, description = "An unknown action or amount out of range", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_rates(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<ReturnRatesView>,
) -> ApiResult<Json<ReturnRatesView>> {
    caller.actor.require_supervisor()?;
    let wh = warehouse(&st.app, &code).await?;
    if req.actions.len() > ReturnAction::ALL.len() {
        return Err(Problem::invalid("actions", "one rate per action"));
    }
    let mut actions = std::collections::BTreeMap::new();
    for (k, a) in req.actions.iter().enumerate() {
        let action: ReturnAction = a
            .action
            .parse()
            .map_err(|e: CoreError| Problem::invalid(&format!("actions[{k}].action"), e.to_string()))?;
        actions.insert(action, ActionRate { per_return: a.per_return, per_unit: a.per_unit });
    }
    let rates = ReturnRates { receive_per_unit: req.receive_per_unit, actions };
    rates.validate()?;
    st.app.set_return_rates(&caller.actor, &wh.id, rates).await?;
    Ok(Json(rates_view(&st.app.return_rates(&wh.id).await?)))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(receive_return))
        .routes(routes!(return_action))
        .routes(routes!(get_return))
        .routes(routes!(list_unidentified))
        .routes(routes!(match_unidentified))
        .routes(routes!(get_rates, put_rates))
}
