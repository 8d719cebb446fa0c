//! Waves and picking on the floor: releasing a wave of a warehouse's due orders, the pick lists
//! it made, and the pick scans a handheld sends walking one (bin, SKU label, tote, units; a
//! short bin says how many it had). Thin calls on the `App` wave use cases.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    Json,
};
use entrepot_app::{PickListSummary, PickListView, PickOutcome, PickScan, PickView, ToteView, WaveRequest, WaveView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{BadPage, NoWarehouse, NotItsStaff, NotWarehouseStaff};
use crate::{
    auth::Caller,
    floor::{pdf, warehouse},
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// A pick list, without its picks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickListBrief {
    pub id: String,
    pub wave_id: String,
    pub warehouse_id: String,
    /// 1, 2, ... within its wave.
    pub number: i64,
    pub service_id: String,
    /// The zone all its bins are in; `null` when it spans zones.
    pub zone: Option<String>,
    /// One large order picked on its own.
    pub single: bool,
    /// Totes on the cart: one per order.
    pub totes: i64,
    /// OPEN, PICKING or DONE.
    pub status: String,
    /// Who took it.
    pub picker: Option<String>,
    pub units: i64,
    pub picked: i64,
    pub short: i64,
    pub created_at_ms: i64,
}

impl From<PickListSummary> for PickListBrief {
    fn from(l: PickListSummary) -> Self {
        Self {
            id: l.id.0,
            wave_id: l.wave_id.0,
            warehouse_id: l.warehouse_id.0,
            number: l.number,
            service_id: l.service_id.0,
            zone: l.zone,
            single: l.single,
            totes: l.totes,
            status: l.status,
            picker: l.picker,
            units: l.units,
            picked: l.picked,
            short: l.short,
            created_at_ms: l.created_at_ms,
        }
    }
}

/// An order a release left out: the first SKU its bins lacked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WaveShortView {
    pub order_id: String,
    pub sku_id: i64,
    pub missing: i64,
}

/// A wave.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WaveBody {
    pub id: String,
    pub warehouse_id: String,
    /// 1, 2, ... per warehouse.
    pub number: i64,
    /// The local day it took orders due by.
    pub due_by: String,
    pub service_id: Option<String>,
    /// OPEN or DONE.
    pub status: String,
    pub orders: i64,
    pub units: i64,
    pub released_by: String,
    pub created_at_ms: i64,
    /// Its pick lists (empty in lists of waves).
    pub lists: Vec<PickListBrief>,
    /// Due orders the release could not allocate (in the release's answer only).
    pub short: Vec<WaveShortView>,
}

impl From<WaveView> for WaveBody {
    fn from(w: WaveView) -> Self {
        Self {
            id: w.id.0,
            warehouse_id: w.warehouse_id.0,
            number: w.number,
            due_by: w.due_by,
            service_id: w.service_id.map(|s| s.0),
            status: w.status,
            orders: w.orders,
            units: w.units,
            released_by: w.released_by,
            created_at_ms: w.created_at_ms,
            lists: w.lists.into_iter().map(Into::into).collect(),
            short: w
                .short
                .into_iter()
                .map(|s| WaveShortView { order_id: s.order_id.0, sku_id: s.sku_id.0, missing: s.missing })
                .collect(),
        }
    }
}

/// What a wave takes; every field is optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewWaveBody {
    /// Orders due on or before this local day (`2030-01-02`); default today at the warehouse.
    pub due_by: Option<String>,
    /// Only this service's orders (its code): a carrier's wave.
    pub service: Option<String>,
    /// Most orders, the most urgent first (1 to 20,000; default all).
    pub max_orders: Option<i64>,
    /// Totes on a cart (1 to 50; default 12).
    pub totes: Option<i64>,
    /// Orders of more units than this are picked on a list of their own (default 30).
    pub single_over_units: Option<i64>,
}

/// A page of waves, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WavePage {
    pub items: Vec<WaveBody>,
    pub next_cursor: Option<String>,
}

/// A page of pick lists not yet done, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickListPage {
    pub items: Vec<PickListBrief>,
    pub next_cursor: Option<String>,
}

/// One pick.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickBody {
    pub id: String,
    pub order_id: String,
    pub client_id: String,
    pub tote: i64,
    pub sku_id: i64,
    /// What the SKU label's barcode carries.
    pub mfskuid: String,
    pub seller_sku: String,
    pub bin: String,
    pub qty: i64,
    pub picked: i64,
    /// Units the bin did not have, or no longer wanted.
    pub short: i64,
    pub left: i64,
}

impl From<PickView> for PickBody {
    fn from(p: PickView) -> Self {
        Self {
            id: p.id.0,
            order_id: p.order_id.0,
            client_id: p.client_id.0,
            tote: p.tote,
            sku_id: p.sku_id.0,
            mfskuid: p.mfskuid,
            seller_sku: p.seller_sku,
            bin: p.bin,
            qty: p.qty,
            picked: p.picked,
            short: p.short,
            left: p.left,
        }
    }
}

/// An order on the cart.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ToteBody {
    pub tote: i64,
    pub order_id: String,
    pub oc_number: String,
    pub bird_id: i64,
    pub status: String,
}

impl From<ToteView> for ToteBody {
    fn from(t: ToteView) -> Self {
        Self { tote: t.tote, order_id: t.order_id.0, oc_number: t.oc_number, bird_id: t.bird_id, status: t.status }
    }
}

/// A pick list with its totes and its walk.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickListBody {
    pub list: PickListBrief,
    pub totes: Vec<ToteBody>,
    /// Every pick in walk order (bins by pick sequence).
    pub picks: Vec<PickBody>,
    /// The next pick of the walk; `null` when the list is done.
    pub next: Option<PickBody>,
}

impl From<PickListView> for PickListBody {
    fn from(l: PickListView) -> Self {
        Self {
            list: l.list.into(),
            totes: l.totes.into_iter().map(Into::into).collect(),
            picks: l.picks.into_iter().map(Into::into).collect(),
            next: l.next.map(Into::into),
        }
    }
}

/// A pick scan: the bin, the SKU label, the tote the units went into, and how many.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PickScanBody {
    pub bin: String,
    /// The SKU label (MFSKUID) or the seller's SKU code.
    pub sku: String,
    pub tote: i64,
    /// Units (default 1).
    pub qty: Option<i64>,
    /// The bin had fewer units than the list expects: `qty` is what it had (may be 0). The rest
    /// is taken from another bin if one has it, else the order stops (EXCEPTION); the bin is
    /// counted.
    #[serde(default)]
    pub short: bool,
    /// The handheld's id for this scan: a replay with the same id changes nothing.
    pub scan_id: Option<String>,
}

/// What a pick scan did, and the list as it is now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PickOutcomeBody {
    pub pick_id: String,
    /// False when the scan id was applied before (nothing changed).
    pub applied: bool,
    /// New picks for the units a short bin lacked, from other bins.
    pub reallocated: Vec<String>,
    /// The order stopped because no bin had the units.
    pub exception: Option<String>,
    /// The count opened for the short bin.
    pub count_task: Option<String>,
    pub list: PickListBody,
}

impl From<PickOutcome> for PickOutcomeBody {
    fn from(o: PickOutcome) -> Self {
        Self {
            pick_id: o.pick_id.0,
            applied: o.applied,
            reallocated: o.reallocated.into_iter().map(|p| p.0).collect(),
            exception: o.exception.map(|e| e.0),
            count_task: o.count_task,
            list: o.list.into(),
        }
    }
}

/// Releases a wave (staff of the warehouse): its submitted orders due by the day, the most
/// urgent first, each allocated to bins first in, first out (all of an order or none) and
/// grouped into pick lists by service and zone. Orders whose units are not in bins are left out
/// and listed under `short`.
#[utoipa::path(post, path = "/warehouses/{code}/waves", tag = "waves",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewWaveBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "The wave released", body = WaveBody),
        NotWarehouseStaff, NoWarehouse,
        (status = 409, description = "No order is due, or none has its units in bins", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad day, service or bound", body = Problem, content_type = "application/problem+json"),
    ))]
async fn release_wave(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewWaveBody>,
) -> ApiResult<(StatusCode, Json<WaveBody>)> {
    let wh = warehouse(&st.app, &code).await?;
    let r = WaveRequest {
        due_by: b.due_by,
        service: b.service,
        max_orders: b.max_orders,
        totes: b.totes,
        single_over_units: b.single_over_units,
    };
    let w = st.app.release_wave(&caller.actor, &wh.id, r).await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

/// A warehouse's waves, newest first (staff of the warehouse).
#[utoipa::path(get, path = "/warehouses/{code}/waves", tag = "waves",
    params(("code" = String, Path, description = "Warehouse code"), PageQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "One page", body = WavePage), NotWarehouseStaff, NoWarehouse, BadPage))]
async fn list_waves(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<WavePage>> {
    let wh = warehouse(&st.app, &code).await?;
    let limit = q.limit()?;
    let before: Option<String> = q.position()?;
    let mut items = st.app.waves(&caller.actor, &wh.id, before.as_deref(), i64::from(limit) + 1).await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|w| cursor(&w.id.0)) } else { None };
    Ok(Json(WavePage { items: items.into_iter().map(Into::into).collect(), next_cursor }))
}

/// One wave with its pick lists (staff of its warehouse).
#[utoipa::path(get, path = "/waves/{id}", tag = "waves",
    params(("id" = String, Path, description = "Wave id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The wave", body = WaveBody),
        NotItsStaff,
        (status = 404, description = "No such wave", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_wave(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<WaveBody>> {
    Ok(Json(st.app.wave(&caller.actor, &id).await?.into()))
}

/// Which pick lists to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PickListQuery {
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

/// A warehouse's pick lists not yet done, oldest first (staff of the warehouse): what a picker
/// takes next.
#[utoipa::path(get, path = "/warehouses/{code}/pick-lists", tag = "waves",
    params(("code" = String, Path, description = "Warehouse code"), PickListQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "One page", body = PickListPage), NotWarehouseStaff, NoWarehouse, BadPage))]
async fn list_pick_lists(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<PickListQuery>,
) -> ApiResult<Json<PickListPage>> {
    let wh = warehouse(&st.app, &code).await?;
    let page = PageQuery { cursor: q.cursor, limit: q.limit };
    let limit = page.limit()?;
    let after: Option<String> = page.position()?;
    let mut items = st.app.open_pick_lists(&caller.actor, &wh.id, after.as_deref(), i64::from(limit) + 1).await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|l| cursor(&l.id.0)) } else { None };
    Ok(Json(PickListPage { items: items.into_iter().map(Into::into).collect(), next_cursor }))
}

/// One pick list with its totes and walk (staff of its warehouse); `next` is the pick to make.
#[utoipa::path(get, path = "/pick-lists/{id}", tag = "waves",
    params(("id" = String, Path, description = "Pick list id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The list", body = PickListBody),
        NotItsStaff,
        (status = 404, description = "No such pick list", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_pick_list(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PickListBody>> {
    Ok(Json(st.app.pick_list(&caller.actor, &id).await?.into()))
}

/// A pick scan (staff of the list's warehouse): units of the SKU whose label was scanned, from
/// the bin, into the tote. A bin with no work on the list, a SKU not due there, another tote or
/// too many units are refused saying what the list expected. The order becomes PICKING (a client
/// can no longer cancel it outright).
#[utoipa::path(post, path = "/pick-lists/{id}/picks", tag = "waves",
    params(("id" = String, Path, description = "Pick list id")),
    request_body = PickScanBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The scan applied (or replayed) and the list now", body = PickOutcomeBody),
        NotItsStaff,
        (status = 404, description = "No such pick list", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The list is complete, or the bin holds fewer units than scanned", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong bin, SKU, tote or quantity: the message says what was expected", body = Problem, content_type = "application/problem+json"),
    ))]
async fn pick(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PickScanBody>,
) -> ApiResult<Json<PickOutcomeBody>> {
    let s = PickScan {
        list: id,
        scan_id: b.scan_id,
        bin: b.bin,
        sku: b.sku,
        tote: b.tote,
        qty: b.qty.unwrap_or(1),
        short: b.short,
    };
    Ok(Json(st.app.pick(&caller.actor, s).await?.into()))
}

/// One carrier's line of the board.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BoardLineBody {
    pub carrier: String,
    /// Due today, in any status but cancelled.
    pub due: i64,
    pub waiting: i64,
    pub released: i64,
    pub picking: i64,
    pub packed: i64,
    pub shipped: i64,
    pub exceptions: i64,
    /// Due before today and not handed over.
    pub overdue: i64,
    /// Units of today's orders not picked yet.
    pub open_units: i64,
    /// Today's open orders that will miss the cut-off at today's pick rate.
    pub projected_misses: i64,
}

/// The cut-off board of a warehouse.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CutoffBoardBody {
    pub warehouse_id: String,
    /// The warehouse-local day.
    pub day: String,
    /// The daily cut-off, local `HH:MM`.
    pub cutoff: String,
    /// Minutes to the cut-off; negative once passed, 0 on a closed day.
    pub minutes_left: i64,
    /// Units picked per hour today, warehouse-wide.
    pub pick_rate_per_hour: i64,
    pub carriers: Vec<BoardLineBody>,
}

/// The cut-off board (staff of the warehouse): for each carrier, today's orders by stage, what
/// is overdue, the time left and the misses projected from the open units and today's pick rate.
#[utoipa::path(get, path = "/warehouses/{code}/cutoff-board", tag = "waves",
    params(("code" = String, Path, description = "Warehouse code")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The board", body = CutoffBoardBody), NotWarehouseStaff, NoWarehouse))]
async fn cutoff_board(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<CutoffBoardBody>> {
    let wh = warehouse(&st.app, &code).await?;
    let b = st.app.cutoff_board(&caller.actor, &wh.id).await?;
    Ok(Json(CutoffBoardBody {
        warehouse_id: b.warehouse_id.0,
        day: b.day,
        cutoff: b.cutoff,
        minutes_left: b.minutes_left,
        pick_rate_per_hour: b.pick_rate_per_hour,
        carriers: b
            .carriers
            .into_iter()
            .map(|l| BoardLineBody {
                carrier: l.carrier,
                due: l.due,
                waiting: l.waiting,
                released: l.released,
                picking: l.picking,
                packed: l.packed,
                shipped: l.shipped,
                exceptions: l.exceptions,
                overdue: l.overdue,
                open_units: l.open_units,
                projected_misses: l.projected_misses,
            })
            .collect(),
    }))
}

/// One warehouse and carrier's handovers against their due dates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OnTimeBody {
    pub warehouse: String,
    pub carrier: String,
    pub shipped: i64,
    /// Handed over on or before their (warehouse-local) due date.
    pub on_time: i64,
}

/// One person's floor work.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkerBody {
    pub warehouse: String,
    pub user: String,
    pub picks: i64,
    /// Pick scans refused (wrong bin, SKU, tote or count).
    pub wrong_picks: i64,
    pub packs: i64,
}

/// A warehouse's order cycle time (submitted → handed over).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CycleBody {
    pub warehouse: String,
    pub p50_seconds: i64,
    pub p90_seconds: i64,
    pub orders: i64,
}

/// A warehouse's short picks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExceptionsBody {
    pub warehouse: String,
    pub stock_exceptions: i64,
}

/// What the caller's warehouses measure over the last day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FloorMeasuresBody {
    pub window_hours: i64,
    pub on_time: Vec<OnTimeBody>,
    pub cycle: Vec<CycleBody>,
    pub workers: Vec<WorkerBody>,
    pub stock_exceptions: Vec<ExceptionsBody>,
}

/// What the caller's warehouses measure over the last 24 hours (staff: their warehouses): orders
/// handed over on time against their due dates, order cycle time, picks, wrong picks and packs
/// per person (picks per hour over the day), stock exceptions. `/metrics` exports the same.
#[utoipa::path(get, path = "/floor-measures", tag = "waves",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The measures", body = FloorMeasuresBody),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    ))]
async fn floor_measures(State(st): State<ApiState>, caller: Caller) -> ApiResult<Json<FloorMeasuresBody>> {
    let m = st.app.floor_measures(&caller.actor).await?;
    Ok(Json(FloorMeasuresBody {
        window_hours: m.window_hours,
        on_time: m
            .on_time
            .into_iter()
            .map(|o| OnTimeBody { warehouse: o.warehouse, carrier: o.carrier, shipped: o.shipped, on_time: o.on_time })
            .collect(),
        cycle: m
            .cycle
            .into_iter()
            .map(|(warehouse, p50_seconds, p90_seconds, orders)| CycleBody {
                warehouse,
                p50_seconds,
                p90_seconds,
                orders,
            })
            .collect(),
        workers: m
            .workers
            .into_iter()
            .map(|w| WorkerBody {
                warehouse: w.warehouse,
                user: w.user,
                picks: w.picks,
                wrong_picks: w.wrong_picks,
                packs: w.packs,
            })
            .collect(),
        stock_exceptions: m
            .stock_exceptions
            .into_iter()
            .map(|(warehouse, stock_exceptions)| ExceptionsBody { warehouse, stock_exceptions })
            .collect(),
    }))
}

/// The paper pick list (PDF, A4): the list's barcode, which order rides in which tote, and the
/// walk bin by bin with a box to tick, for warehouses that pick on paper.
#[utoipa::path(get, path = "/pick-lists/{id}/pdf", tag = "waves",
    params(("id" = String, Path, description = "Pick list id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The pick list", content_type = "application/pdf", body = String),
        NotItsStaff,
        (status = 404, description = "No such pick list", body = Problem, content_type = "application/problem+json"),
    ))]
async fn pick_list_pdf(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let d = st.app.pick_list_doc(&caller.actor, &id).await?;
    let doc = entrepot_labels::PickListDoc {
        warehouse: d.warehouse,
        list_id: d.list_id.clone(),
        title: d.title,
        printed_at: d.printed_at,
        totes: d
            .totes
            .into_iter()
            .map(|t| entrepot_labels::PickTote { tote: t.tote, order: t.oc_number, reference: t.bird_id.to_string() })
            .collect(),
        lines: d
            .picks
            .into_iter()
            .map(|p| entrepot_labels::PickLine {
                bin: p.bin,
                sku: p.mfskuid,
                seller_sku: p.seller_sku,
                name: p.name,
                tote: p.tote,
                qty: p.qty,
            })
            .collect(),
    };
    pdf(&format!("{}.pdf", d.list_id), move || entrepot_labels::pick_list(&doc)).await
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(release_wave, list_waves))
        .routes(routes!(get_wave))
        .routes(routes!(list_pick_lists))
        .routes(routes!(get_pick_list))
        .routes(routes!(pick_list_pdf))
        .routes(routes!(cutoff_board))
        .routes(routes!(floor_measures))
        .routes(routes!(pick))
}
