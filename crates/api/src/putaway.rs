//! Putaway on the floor: the units waiting at the dock with the bin each should go to, and the
//! scan that puts them there (the suggested bin, or another one confirmed).

use axum::{
    extract::{Path, State},
    Json,
};
use entrepot_app::{PutawayAfter, PutawayScan, PutawayTask};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{BadPage, NoWarehouse, NotWarehouseStaff};
use crate::{
    auth::Caller,
    floor::{client, staff_warehouse, warehouse},
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// Units waiting to be put away and the bin they should go to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PutawayTaskView {
    pub client_id: String,
    pub sku_id: i64,
    pub warehouse_id: String,
    /// The inbound's number (`null`: received without one).
    pub inbound: Option<String>,
    pub qty: i64,
    /// The location they wait in (`DOCK`).
    pub from: String,
    /// The suggested bin; `null` when none fits (choose one and confirm it).
    pub suggested_bin: Option<String>,
}

impl From<PutawayTask> for PutawayTaskView {
    fn from(t: PutawayTask) -> Self {
        Self {
            client_id: t.client_id.0,
            sku_id: t.sku_id.0,
            warehouse_id: t.warehouse_id.0,
            inbound: t.inbound,
            qty: t.qty,
            from: t.from,
            suggested_bin: t.suggested_bin,
        }
    }
}

/// A page of the putaway tasks of a warehouse: per open inbound line (oldest inbound first),
/// then units received with no inbound (by SKU).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PutawayTaskList {
    pub items: Vec<PutawayTaskView>,
    /// Pass as `cursor` for the next page; `null` on the last. A page may hold fewer tasks than
    /// `limit` (even none) and still have a next one.
    pub next_cursor: Option<String>,
}

/// A putaway scan: the SKU, the units and the bin scanned.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PutawayBody {
    /// The client owning the units (id or name; as its task says).
    pub client: String,
    /// The SKU: its label (MFSKUID), seller SKU or id.
    pub sku: String,
    pub qty: i64,
    /// The scanned bin's code.
    pub bin: String,
    /// The inbound the units were received against (id, number or reference).
    pub inbound: Option<String>,
    /// Required to put away into another bin than the suggested one.
    #[serde(default)]
    pub confirm_other_bin: bool,
}

/// A confirmed putaway.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PutawayResult {
    pub bin: String,
    pub suggested_bin: Option<String>,
    pub qty: i64,
}

/// What waits at the dock of the warehouse, each with its suggested bin.
#[utoipa::path(get, path = "/warehouses/{code}/putaway-tasks", tag = "putaway",
    params(("code" = String, Path, description = "Warehouse code"), PageQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page of tasks", body = PutawayTaskList),
        NotWarehouseStaff,
        NoWarehouse,
        BadPage,
    ))]
async fn list_tasks(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<PutawayTaskList>> {
    let wh = warehouse(&st.app, &code).await?;
    let limit = page.limit()?;
    let after: Option<PutawayAfter> = page.position()?;
    let tasks = st.app.putaway_tasks(&caller.actor, &wh.id, after.as_ref(), i64::from(limit)).await?;
    Ok(Json(PutawayTaskList {
        items: tasks.items.into_iter().map(Into::into).collect(),
        next_cursor: tasks.next.as_ref().map(cursor),
    }))
}

/// Puts units away into the scanned bin: the suggested one, or another with
/// `confirm_other_bin` (otherwise refused naming the suggested bin).
#[utoipa::path(post, path = "/warehouses/{code}/putaway", tag = "putaway",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = PutawayBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Put away", body = PutawayResult),
        NotWarehouseStaff,
        (status = 404, description = "No such warehouse, bin or SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the suggested bin, not a putaway bin, or not that many units waiting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid quantity or code", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_away(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<PutawayBody>,
) -> ApiResult<Json<PutawayResult>> {
    let actor = &caller.actor;
    let wh = staff_warehouse(&st.app, actor, &code).await?;
    let client = client(&st.app, actor, Some(&b.client), "client").await?;
    let sku = st.app.resolve_sku(&client, &b.sku).await?;
    let scan = PutawayScan {
        client,
        sku: sku.id,
        warehouse: wh.id,
        qty: b.qty,
        inbound: b.inbound,
        bin: b.bin,
        confirm_other_bin: b.confirm_other_bin,
    };
    let done = st.app.confirm_putaway(actor, scan).await?;
    Ok(Json(PutawayResult { bin: done.bin, suggested_bin: done.suggested_bin, qty: done.qty }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list_tasks)).routes(routes!(put_away))
}
