//! Cycle counts on the floor: tasks per bin (or per SKU, one per location holding it), the
//! handheld's results (the bin scanned, then SKU labels with quantities, replay-safe by scan
//! id), and a supervisor's approval or rejection of a variance above the warehouse's threshold.
//! Counts are blind: until a task is counted its expected quantities are shown to supervisors
//! only.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::{CountFilter, CountLineView, CountResults, CountScanIn, CountTarget, CountTask};
use entrepot_core::count::CountState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Caller,
    floor::{client, staff_warehouse, warehouse},
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// One SKU of a count.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountLine {
    pub client_id: String,
    pub sku_id: i64,
    pub mfskuid: String,
    pub seller_sku: String,
    /// What the bin held when the count was recorded (an open task, to a supervisor: what it
    /// holds now).
    pub expected: Option<i64>,
    /// `null` until counted.
    pub counted: Option<i64>,
    /// Counted minus expected.
    pub variance: Option<i64>,
    /// Whether the variance is in the ledger (reason IAA).
    pub applied: bool,
}

impl From<CountLineView> for CountLine {
    fn from(l: CountLineView) -> Self {
        Self {
            client_id: l.client_id.0,
            sku_id: l.sku_id.0,
            mfskuid: l.mfskuid,
            seller_sku: l.seller_sku,
            expected: l.expected,
            counted: l.counted,
            variance: l.variance,
            applied: l.applied,
        }
    }
}

/// A count task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountView {
    pub id: String,
    pub warehouse_id: String,
    /// The bin counted.
    pub location: String,
    /// Set for a count of one SKU.
    pub client_id: Option<String>,
    pub sku_id: Option<i64>,
    /// open, counted (waits for a supervisor), adjusted (applied at once), approved, rejected.
    pub state: String,
    /// The warehouse's threshold (units per SKU) the count was judged by.
    pub threshold: Option<i64>,
    /// Why a counted task waits for a supervisor.
    pub hold_reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub counted_by: Option<String>,
    pub counted_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// Empty while open, unless the caller is a supervisor (the count is blind).
    pub lines: Vec<CountLine>,
}

impl From<CountTask> for CountView {
    fn from(t: CountTask) -> Self {
        Self {
            id: t.id,
            warehouse_id: t.warehouse_id.0,
            location: t.location_code,
            client_id: t.client_id.map(|c| c.0),
            sku_id: t.sku_id.map(|s| s.0),
            state: t.state.as_str().to_owned(),
            threshold: t.threshold,
            hold_reason: t.hold_reason,
            created_by: t.created_by,
            created_at_ms: t.created_at_ms,
            counted_by: t.counted_by,
            counted_at_ms: t.counted_at_ms,
            decided_by: t.decided_by,
            decided_at_ms: t.decided_at_ms,
            reason: t.reason,
            lines: t.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// Count tasks created.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountList {
    pub items: Vec<CountView>,
}

/// A page of count tasks, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountPage {
    pub items: Vec<CountView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// What to count: bins (`bins` and/or `range`), or a SKU (`sku`, with `client` for staff) in
/// every location holding it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewCountsBody {
    /// Bin codes.
    pub bins: Option<Vec<String>>,
    /// A range of bin codes (`A-01..03-01-1`).
    pub range: Option<String>,
    /// A SKU: its label (MFSKUID), seller SKU or id.
    pub sku: Option<String>,
    /// The SKU's client (id or name).
    pub client: Option<String>,
}

/// The filters of the count list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountQuery {
    /// open, counted, adjusted, approved or rejected.
    pub state: Option<String>,
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

/// One SKU label scanned at the bin.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CountScanBody {
    /// The label's code (MFSKUID).
    pub code: String,
    /// Units it counts (default 1).
    pub qty: Option<i64>,
}

/// A count's results: the bin scanned first, then the SKU labels.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CountResultsBody {
    /// The scanned bin: it must be the task's.
    pub bin: String,
    /// SKU scans; a SKU the bin holds that nobody scanned counts zero.
    #[serde(default)]
    pub scans: Vec<CountScanBody>,
    /// The handheld's id for this submission: a replay with the same id records nothing again.
    pub scan_id: Option<String>,
}

/// What recording a count did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountOutcomeView {
    pub count: CountView,
    /// The scan id was seen before: nothing was recorded again.
    pub replayed: bool,
}

/// Why a count is rejected.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RejectCountBody {
    pub reason: Option<String>,
}

/// Creates count tasks (staff of the warehouse): one per bin listed or in the range, or one per
/// location holding the SKU. All or nothing; a bin with an open count is refused.
#[utoipa::path(post, path = "/warehouses/{code}/counts", tag = "counts",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewCountsBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "The tasks created", body = CountList),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse, bin or SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A bin already has an open count, or no location holds the SKU", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither bins nor a SKU, or an invalid code", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_counts(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewCountsBody>,
) -> ApiResult<(StatusCode, Json<CountList>)> {
    let actor = &caller.actor;
    let wh = staff_warehouse(&st.app, actor, &code).await?;
    let target = match (b.bins, b.range, b.sku) {
        (None, None, Some(sku)) => {
            let client = client(&st.app, actor, b.client.as_deref(), "client").await?;
            let sku = st.app.resolve_sku(&client, &sku).await?;
            CountTarget::Sku { client, sku: sku.id }
        }
        (Some(bins), None, None) => CountTarget::Bins(bins),
        (None, Some(range), None) => CountTarget::Range(range),
        _ => {
            return Err(Problem::invalid("body", "expected one of bins (codes), range, or sku (with client for staff)"))
        }
    };
    let made = st.app.create_counts(actor, &wh.id, target).await?;
    Ok((StatusCode::CREATED, Json(CountList { items: made.into_iter().map(Into::into).collect() })))
}

/// A warehouse's count tasks, oldest first (staff of the warehouse).
#[utoipa::path(get, path = "/warehouses/{code}/counts", tag = "counts",
    params(("code" = String, Path, description = "Warehouse code"), CountQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page", body = CountPage),
        (status = 403, description = "Not staff of the warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid state or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_counts(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<CountQuery>,
) -> ApiResult<Json<CountPage>> {
    let wh = warehouse(&st.app, &code).await?;
    let page = PageQuery { cursor: q.cursor.clone(), limit: q.limit };
    let limit = page.limit()?;
    let after: Option<String> = page.position()?;
    let state = q.state.as_deref().map(str::parse::<CountState>).transpose()?;
    let f = CountFilter { warehouse: wh.id, state, after, limit: i64::from(limit) + 1 };
    let mut items = st.app.count_tasks(&caller.actor, f).await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|t| cursor(&t.id)) } else { None };
    Ok(Json(CountPage { items: items.into_iter().map(Into::into).collect(), next_cursor }))
}

/// One count task (staff of its warehouse); its expected quantities are hidden from all but
/// supervisors until it is counted.
#[utoipa::path(get, path = "/counts/{id}", tag = "counts",
    params(("id" = String, Path, description = "Count task id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The task", body = CountView),
        (status = 403, description = "Not staff of its warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_count(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<CountView>> {
    Ok(Json(st.app.count_task(&caller.actor, &id).await?.into()))
}

/// Records a count: the bin scanned, then each SKU label with its quantity. Within the
/// warehouse's threshold the variance is applied at once (reason IAA, state adjusted); above it
/// the task waits for a supervisor (state counted). A replayed `scan_id` records nothing again.
#[utoipa::path(post, path = "/counts/{id}/results", tag = "counts",
    params(("id" = String, Path, description = "Count task id")),
    request_body = CountResultsBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The count recorded", body = CountOutcomeView),
        (status = 403, description = "Not staff of its warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already counted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Another bin, a code that is no SKU, another SKU than the count's, or a bad quantity", body = Problem, content_type = "application/problem+json"),
    ))]
async fn record_results(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CountResultsBody>,
) -> ApiResult<Json<CountOutcomeView>> {
    let r = CountResults {
        task: id,
        bin: b.bin,
        scans: b.scans.into_iter().map(|s| CountScanIn { code: s.code, qty: s.qty.unwrap_or(1) }).collect(),
        scan_id: b.scan_id,
    };
    let out = st.app.record_count(&caller.actor, r).await?;
    Ok(Json(CountOutcomeView { count: out.task.into(), replayed: out.replayed }))
}

/// A supervisor approves a counted task: its variance goes into the ledger (reason IAA).
/// Refused, saying what is reserved, when the unreserved units cannot cover a shortfall.
#[utoipa::path(post, path = "/counts/{id}/approve", tag = "counts",
    params(("id" = String, Path, description = "Count task id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Approved and applied", body = CountView),
        (status = 403, description = "Not a supervisor of its warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not waiting for approval, or the shortfall is reserved", body = Problem, content_type = "application/problem+json"),
    ))]
async fn approve_count(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CountView>> {
    Ok(Json(st.app.approve_count(&caller.actor, &id).await?.into()))
}

/// A supervisor rejects a counted task, or cancels an open one: nothing is applied.
#[utoipa::path(post, path = "/counts/{id}/reject", tag = "counts",
    params(("id" = String, Path, description = "Count task id")),
    request_body = RejectCountBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Rejected", body = CountView),
        (status = 403, description = "Not a supervisor of its warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided or applied", body = Problem, content_type = "application/problem+json"),
    ))]
async fn reject_count(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RejectCountBody>,
) -> ApiResult<Json<CountView>> {
    Ok(Json(st.app.reject_count(&caller.actor, &id, b.reason.as_deref()).await?.into()))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(create_counts, list_counts))
        .routes(routes!(get_count))
        .routes(routes!(record_results))
        .routes(routes!(approve_count))
        .routes(routes!(reject_count))
}
