//! Receiving at the dock: dock slots and the seller's appointment, check-in, the receipt of an
//! inbound counted by scans (with unexpected SKUs and the close that finds what is short), and
//! freight that came with no inbound. Thin calls on the `App` receiving use cases: they scope by
//! the caller and say what they expected when they refuse.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::{
    AppointmentView, DiscrepancyView, DockSlot, NewSlots, NewUnexpected, NewUnidentified, ReceiptLine, ReceiptView,
    ReceiveScan, Resolution, Unidentified,
};
use entrepot_core::{
    appointment::{self, SlotPlan},
    inbound::Condition,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{NoInbound, NoWarehouse, NotItsStaff, NotWarehouseStaff};
use crate::{
    auth::Caller,
    floor::{client, warehouse, wire},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// A dock slot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotView {
    pub id: String,
    pub warehouse_id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Inbounds the slot takes.
    pub capacity: i64,
    pub booked: i64,
}

impl From<DockSlot> for SlotView {
    fn from(s: DockSlot) -> Self {
        Self {
            id: s.id,
            warehouse_id: s.warehouse_id.0,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            capacity: s.capacity,
            booked: s.booked,
        }
    }
}

/// Dock slots, by start.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotList {
    pub items: Vec<SlotView>,
}

/// Which days' slots to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotQuery {
    /// The warehouse's local date (`2030-01-02`); default today.
    pub from: Option<String>,
    /// Days from `from`, 1 to 366 (default 7).
    pub days: Option<i64>,
}

/// Slots to create: each day from `from` to `to`, from `first_hour` to `last_hour` local time.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewSlotsBody {
    /// First local date (`2030-01-02`).
    pub from: String,
    /// Last local date; default `from`.
    pub to: Option<String>,
    /// Local hour the first slot of a day starts (0–23).
    pub first_hour: i8,
    /// Local hour the last slot of a day ends (1–24).
    pub last_hour: i8,
    /// Minutes per slot (default 60).
    pub minutes: Option<i64>,
    /// Inbounds each slot takes (default 1).
    pub capacity: Option<i64>,
}

/// An inbound's appointment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentBody {
    pub inbound_id: String,
    pub inbound_number: String,
    pub client_id: String,
    pub slot: SlotView,
    /// BOOKED, ARRIVED, NO_SHOW or CANCELLED.
    pub status: String,
    pub booked_at_ms: i64,
    pub updated_at_ms: i64,
}

impl From<AppointmentView> for AppointmentBody {
    fn from(a: AppointmentView) -> Self {
        Self {
            status: wire(&a.status),
            inbound_id: a.inbound_id,
            inbound_number: a.inbound_number,
            client_id: a.client_id.0,
            slot: a.slot.into(),
            booked_at_ms: a.booked_at_ms,
            updated_at_ms: a.updated_at_ms,
        }
    }
}

/// Booking (or moving) an appointment.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BookBody {
    /// The slot's id; absent: the earliest free one.
    pub slot: Option<String>,
    /// The client (staff and operators; a seller user books its own).
    pub client: Option<String>,
}

/// The client an appointment's cancellation acts for.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// The client (staff and operators; a seller user acts for its own).
    pub client: Option<String>,
}

/// An inbound, as the dock sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InboundSummary {
    pub id: String,
    pub number: String,
    pub reference: String,
    pub client_id: String,
    pub warehouse_id: String,
    /// Its status (`Arrived`, `Receiving`...).
    pub status: String,
    pub has_appointment: bool,
    pub receipt_closed: bool,
    /// Arrival at the dock, UTC ms.
    pub arrived_at_ms: Option<i64>,
    /// When the last unit was put away, UTC ms.
    pub available_at_ms: Option<i64>,
}

impl From<entrepot_app::InboundView> for InboundSummary {
    fn from(v: entrepot_app::InboundView) -> Self {
        Self {
            status: wire(&v.inbound.status),
            id: v.id.0,
            number: v.inbound.number,
            reference: v.reference,
            client_id: v.client_id.0,
            warehouse_id: v.warehouse_id.0,
            has_appointment: v.inbound.has_appointment,
            receipt_closed: v.inbound.receipt_closed,
            arrived_at_ms: v.arrived_at_ms,
            available_at_ms: v.available_at_ms,
        }
    }
}

/// One SKU of a receipt with its counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptLineView {
    pub sku_id: i64,
    /// The MFSKUID, what the SKU label's barcode carries.
    pub mfskuid: String,
    pub seller_sku: String,
    pub expected: i64,
    /// Good units counted.
    pub received: i64,
    pub damaged: i64,
    pub put_away: i64,
    /// Units missing, known once the receipt is closed.
    pub short: i64,
}

impl From<ReceiptLine> for ReceiptLineView {
    fn from(l: ReceiptLine) -> Self {
        Self {
            sku_id: l.sku_id.0,
            mfskuid: l.mfskuid,
            seller_sku: l.seller_sku,
            expected: l.expected,
            received: l.received,
            damaged: l.damaged,
            put_away: l.put_away,
            short: l.short,
        }
    }
}

/// A discrepancy found receiving an inbound.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Discrepancy {
    pub id: String,
    pub inbound_id: String,
    pub client_id: String,
    pub warehouse_id: String,
    /// over, short, damaged or unexpected.
    pub kind: String,
    /// `null` for a code that is no SKU of the client.
    pub sku_id: Option<i64>,
    pub code: Option<String>,
    pub expected: i64,
    /// Units counted when it was recorded.
    pub received: i64,
    /// The units it is about.
    pub quantity: i64,
    pub note: Option<String>,
    /// A key of `POST /files` (or of the blob store).
    pub photo_key: Option<String>,
    pub actor_name: String,
    pub created_at_ms: i64,
}

impl From<DiscrepancyView> for Discrepancy {
    fn from(d: DiscrepancyView) -> Self {
        Self {
            kind: wire(&d.kind),
            id: d.id,
            inbound_id: d.inbound_id,
            client_id: d.client_id.0,
            warehouse_id: d.warehouse_id.0,
            sku_id: d.sku_id.map(|s| s.0),
            code: d.code,
            expected: d.expected,
            received: d.received,
            quantity: d.quantity,
            note: d.note,
            photo_key: d.photo_key,
            actor_name: d.actor_name,
            created_at_ms: d.created_at_ms,
        }
    }
}

/// The receipt of an inbound: its lines with their counts, and its discrepancies.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub inbound: InboundSummary,
    pub lines: Vec<ReceiptLineView>,
    pub discrepancies: Vec<Discrepancy>,
    pub arrived_at_ms: Option<i64>,
    pub available_at_ms: Option<i64>,
}

impl From<ReceiptView> for Receipt {
    fn from(r: ReceiptView) -> Self {
        Self {
            inbound: r.inbound.into(),
            lines: r.lines.into_iter().map(Into::into).collect(),
            discrepancies: r.discrepancies.into_iter().map(Into::into).collect(),
            arrived_at_ms: r.arrived_at_ms,
            available_at_ms: r.available_at_ms,
        }
    }
}

/// Opening a receipt by what the freight carries.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OpenReceiptBody {
    /// A scanned carton mark (`<inbound number>-001`) or a typed inbound number.
    pub code: String,
}

/// One scan at the dock.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScanBody {
    /// The scanned code: a SKU label (MFSKUID) of the inbound, or its carton mark.
    pub code: String,
    /// Units the scan counts (default 1).
    pub quantity: Option<i64>,
    /// good (default) or damaged.
    pub condition: Option<String>,
    /// The handheld's own id for this scan: a replay with the same id counts nothing again.
    pub scan_id: Option<String>,
}

/// What a scan did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScanOutcome {
    pub receipt: Receipt,
    /// The SKU counted (`null` for the carton mark of the inbound).
    pub sku_id: Option<i64>,
    /// Units counted.
    pub counted: i64,
    /// The scan id was seen before: nothing was counted again.
    pub replayed: bool,
}

/// An unexpected SKU found with the inbound: recorded, not received.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnexpectedBody {
    /// The code scanned or typed.
    pub code: String,
    pub quantity: i64,
    pub note: Option<String>,
    /// A photo's key, from `POST /files` (one the caller may see).
    pub photo_key: Option<String>,
}

/// Freight at the dock with no inbound order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnidentifiedView {
    pub id: String,
    pub warehouse_id: String,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub cartons: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
    /// OPEN, MATCHED or CLOSED.
    pub status: String,
    pub client_id: Option<String>,
    pub inbound_id: Option<String>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub resolved_by: Option<String>,
    pub resolved_at_ms: Option<i64>,
}

impl From<Unidentified> for UnidentifiedView {
    fn from(u: Unidentified) -> Self {
        Self {
            id: u.id,
            warehouse_id: u.warehouse_id.0,
            carrier: u.carrier,
            tracking: u.tracking,
            cartons: u.cartons,
            note: u.note,
            photo_key: u.photo_key,
            status: u.status,
            client_id: u.client_id.map(|c| c.0),
            inbound_id: u.inbound_id,
            reason: u.reason,
            created_by: u.created_by,
            created_at_ms: u.created_at_ms,
            resolved_by: u.resolved_by,
            resolved_at_ms: u.resolved_at_ms,
        }
    }
}

/// The unidentified-freight queue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnidentifiedList {
    pub items: Vec<UnidentifiedView>,
}

/// Which unidentified freight to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnidentifiedQuery {
    /// Also the matched and closed ones (default: open only).
    pub all: Option<bool>,
}

/// Recording unidentified freight.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUnidentifiedBody {
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    /// Cartons, 1 to 10000.
    pub cartons: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
}

/// How unidentified freight is resolved: matched to a client's inbound, or closed with a reason.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResolveBody {
    /// To match: the client (id or name)...
    pub client: Option<String>,
    /// ...and its inbound (id, number or reference).
    pub inbound: Option<String>,
    /// To close: why (returned to the carrier, disposed...).
    pub reason: Option<String>,
}

/// A warehouse's dock slots over some days.
#[utoipa::path(get, path = "/warehouses/{code}/slots", tag = "receiving",
    params(("code" = String, Path, description = "Warehouse code"), SlotQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Slots by start", body = SlotList),
        (status = 403, description = "Another warehouse", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
        (status = 422, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_slots(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> ApiResult<Json<SlotList>> {
    let wh = warehouse(&st.app, &code).await?;
    // A seller books at its client's sites only: another warehouse is none of its business.
    if let Some(own) = caller.actor.client() {
        if !st.app.client_warehouses(own).await?.iter().any(|w| w.id == wh.id) {
            return Err(Problem::not_found(format!("no warehouse coded '{code}' among the client's sites")));
        }
    }
    let day = match q.from.as_deref() {
        Some(d) => appointment::parse_date("from", d)?,
        None => appointment::local_date(now_ms(), &wh.timezone)?,
    };
    let start = appointment::day_start_ms(day, &wh.timezone)?;
    let days = q.days.unwrap_or(7);
    if !(1..=366).contains(&days) {
        return Err(Problem::invalid("days", format!("expected 1 to 366 days, got {days}")));
    }
    let end = start.saturating_add(days * 86_400_000);
    let slots = st.app.dock_slots(&caller.actor, &wh.id, start, end).await?;
    Ok(Json(SlotList { items: slots.into_iter().map(Into::into).collect() }))
}

/// Creates dock slots (staff of the warehouse).
#[utoipa::path(post, path = "/warehouses/{code}/slots", tag = "receiving",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewSlotsBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "The slots created", body = SlotList),
        NotWarehouseStaff,
        NoWarehouse,
        (status = 422, description = "Invalid plan", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_slots(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewSlotsBody>,
) -> ApiResult<(StatusCode, Json<SlotList>)> {
    let wh = warehouse(&st.app, &code).await?;
    let from = appointment::parse_date("from", &b.from)?;
    let to = b.to.as_deref().map(|t| appointment::parse_date("to", t)).transpose()?.unwrap_or(from);
    let plan = SlotPlan {
        from,
        to,
        first_hour: b.first_hour,
        last_hour: b.last_hour,
        minutes: b.minutes.unwrap_or(60),
        capacity: b.capacity.unwrap_or(1),
    };
    let slots = st.app.create_dock_slots(&caller.actor, NewSlots { warehouse: wh.id, plan }).await?;
    Ok((StatusCode::CREATED, Json(SlotList { items: slots.into_iter().map(Into::into).collect() })))
}

/// Books the inbound's appointment into a slot (the earliest free one by default), or moves it.
#[utoipa::path(post, path = "/inbounds/{inbound}/appointment", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id, number or reference")),
    request_body = BookBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The appointment", body = AppointmentBody),
        (status = 403, description = "Another client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inbound or slot", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slot full, no slots, or an inbound that takes none", body = Problem, content_type = "application/problem+json"),
    ))]
async fn book_appointment(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
    ApiJson(b): ApiJson<BookBody>,
) -> ApiResult<Json<AppointmentBody>> {
    let client = client(&st.app, &caller.actor, b.client.as_deref(), "client").await?;
    let a = st.app.book_appointment(&caller.actor, &client, &inbound, b.slot.as_deref()).await?;
    Ok(Json(a.into()))
}

/// Cancels the inbound's appointment.
#[utoipa::path(delete, path = "/inbounds/{inbound}/appointment", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id, number or reference"), ClientQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The inbound, without an appointment", body = InboundSummary),
        (status = 403, description = "Another client", body = Problem, content_type = "application/problem+json"),
        NoInbound,
        (status = 409, description = "Nothing to cancel", body = Problem, content_type = "application/problem+json"),
    ))]
async fn cancel_appointment(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> ApiResult<Json<InboundSummary>> {
    let client = client(&st.app, &caller.actor, q.client.as_deref(), "client").await?;
    Ok(Json(st.app.cancel_appointment(&caller.actor, &client, &inbound).await?.into()))
}

/// The inbound's appointment: its seller, or staff of its warehouse (naming the client).
#[utoipa::path(get, path = "/inbounds/{inbound}/appointment", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id, number or reference"), ClientQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The appointment (BOOKED, ARRIVED, NO_SHOW or CANCELLED)", body = AppointmentBody),
        (status = 404, description = "No such inbound (or another client's or warehouse's), or none ever booked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Staff without the client", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_appointment(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> ApiResult<Json<AppointmentBody>> {
    let client = client(&st.app, &caller.actor, q.client.as_deref(), "client").await?;
    let a = st.app.appointment(&caller.actor, &client, &inbound).await?;
    let a = a.ok_or_else(|| Problem::not_found(format!("inbound '{inbound}' has no appointment booked")))?;
    Ok(Json(a.into()))
}

/// Check-in at the dock (staff): the inbound arrives.
#[utoipa::path(post, path = "/inbounds/{inbound}/arrival", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id or number")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The inbound, arrived", body = InboundSummary),
        NotItsStaff,
        NoInbound,
        (status = 409, description = "Not expected at the dock", body = Problem, content_type = "application/problem+json"),
    ))]
async fn check_in(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
) -> ApiResult<Json<InboundSummary>> {
    Ok(Json(st.app.check_in(&caller.actor, &inbound).await?.into()))
}

/// Opens the receipt of the inbound a scanned carton mark (or typed number) names (staff).
#[utoipa::path(post, path = "/receipts", tag = "receiving",
    request_body = OpenReceiptBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        NotItsStaff,
        (status = 404, description = "No inbound carries this code", body = Problem, content_type = "application/problem+json"),
    ))]
async fn open_receipt(
    State(st): State<ApiState>,
    caller: Caller,
    ApiJson(b): ApiJson<OpenReceiptBody>,
) -> ApiResult<Json<Receipt>> {
    Ok(Json(st.app.open_receipt(&caller.actor, &b.code).await?.into()))
}

/// The receipt of an inbound: staff of its warehouse, or the seller owning it.
#[utoipa::path(get, path = "/receipts/{inbound}", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id or number")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        (status = 403, description = "Another warehouse", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inbound (or another client's)", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_receipt(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
) -> ApiResult<Json<Receipt>> {
    Ok(Json(st.app.receipt(&caller.actor, &inbound).await?.into()))
}

/// One scan at the dock: counts units of the scanned SKU, good or damaged. A wrong code is
/// refused saying what was expected; a replayed `scan_id` counts nothing again.
#[utoipa::path(post, path = "/receipts/{inbound}/scans", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id or number")),
    request_body = ScanBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "What the scan counted", body = ScanOutcome),
        NotItsStaff,
        NoInbound,
        (status = 409, description = "Receipt closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a code of this inbound", body = Problem, content_type = "application/problem+json"),
    ))]
async fn scan(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
    ApiJson(b): ApiJson<ScanBody>,
) -> ApiResult<Json<ScanOutcome>> {
    let condition = match b.condition.as_deref().map(str::trim) {
        None | Some("") | Some("good") => Condition::Good,
        Some("damaged") => Condition::Damaged,
        Some(other) => {
            return Err(Problem::invalid("condition", format!("expected good or damaged, got '{other}'")));
        }
    };
    let scan = ReceiveScan { inbound, code: b.code, quantity: b.quantity.unwrap_or(1), condition, scan_id: b.scan_id };
    let r = st.app.receive_scan(&caller.actor, scan).await?;
    Ok(Json(ScanOutcome {
        receipt: r.receipt.into(),
        sku_id: r.counted.map(|(s, _)| s.0),
        counted: r.counted.map_or(0, |(_, n)| n),
        replayed: r.replayed,
    }))
}

/// Records an unexpected SKU found with the inbound (not received), with a note and photo.
#[utoipa::path(post, path = "/receipts/{inbound}/unexpected", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id or number")),
    request_body = UnexpectedBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "The discrepancy recorded", body = Discrepancy),
        NotItsStaff,
        NoInbound,
        (status = 409, description = "Receipt closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid quantity, note or key", body = Problem, content_type = "application/problem+json"),
    ))]
async fn record_unexpected(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
    ApiJson(b): ApiJson<UnexpectedBody>,
) -> ApiResult<(StatusCode, Json<Discrepancy>)> {
    crate::files::require_photo(&st, &caller.actor, "photo_key", b.photo_key.as_deref()).await?;
    let n = NewUnexpected { inbound, code: b.code, quantity: b.quantity, note: b.note, photo_key: b.photo_key };
    Ok((StatusCode::CREATED, Json(st.app.record_unexpected(&caller.actor, n).await?.into())))
}

/// Closes the receipt: what did not come is short; every discrepancy is raised to the seller.
#[utoipa::path(post, path = "/receipts/{inbound}/close", tag = "receiving",
    params(("inbound" = String, Path, description = "Inbound id or number")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The closed receipt", body = Receipt),
        NotItsStaff,
        NoInbound,
        (status = 409, description = "Already closed, or nothing counted", body = Problem, content_type = "application/problem+json"),
    ))]
async fn close_receipt(
    State(st): State<ApiState>,
    caller: Caller,
    Path(inbound): Path<String>,
) -> ApiResult<Json<Receipt>> {
    Ok(Json(st.app.close_receipt(&caller.actor, &inbound).await?.into()))
}

/// The warehouse's unidentified freight (open only unless `all`).
#[utoipa::path(get, path = "/warehouses/{code}/unidentified", tag = "receiving",
    params(("code" = String, Path, description = "Warehouse code"), UnidentifiedQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The queue, newest first", body = UnidentifiedList),
        NotWarehouseStaff,
        NoWarehouse,
    ))]
async fn list_unidentified(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<UnidentifiedQuery>,
) -> ApiResult<Json<UnidentifiedList>> {
    let wh = warehouse(&st.app, &code).await?;
    let items = st.app.unidentified(&caller.actor, Some(&wh.id), !q.all.unwrap_or(false)).await?;
    Ok(Json(UnidentifiedList { items: items.into_iter().map(Into::into).collect() }))
}

/// Records freight that came with no inbound order.
#[utoipa::path(post, path = "/warehouses/{code}/unidentified", tag = "receiving",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = NewUnidentifiedBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Recorded", body = UnidentifiedView),
        NotWarehouseStaff,
        NoWarehouse,
        (status = 422, description = "Invalid cartons, note or key", body = Problem, content_type = "application/problem+json"),
    ))]
async fn record_unidentified(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<NewUnidentifiedBody>,
) -> ApiResult<(StatusCode, Json<UnidentifiedView>)> {
    let wh = warehouse(&st.app, &code).await?;
    crate::files::require_photo(&st, &caller.actor, "photo_key", b.photo_key.as_deref()).await?;
    let n = NewUnidentified {
        warehouse: wh.id,
        carrier: b.carrier,
        tracking: b.tracking,
        cartons: b.cartons,
        note: b.note,
        photo_key: b.photo_key,
    };
    Ok((StatusCode::CREATED, Json(st.app.record_unidentified(&caller.actor, n).await?.into())))
}

/// Matches unidentified freight to a client's inbound (`client` and `inbound`), or closes it
/// (`reason`).
#[utoipa::path(post, path = "/unidentified/{id}/resolve", tag = "receiving",
    params(("id" = String, Path, description = "The entry's id")),
    request_body = ResolveBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Resolved", body = UnidentifiedView),
        NotItsStaff,
        (status = 404, description = "No such entry, client or inbound", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already resolved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither a match nor a reason", body = Problem, content_type = "application/problem+json"),
    ))]
async fn resolve_unidentified(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ResolveBody>,
) -> ApiResult<Json<UnidentifiedView>> {
    let r = match (b.client.as_deref(), b.inbound, b.reason) {
        (Some(c), Some(inbound), None) => {
            let client = st.app.find_client(c).await.map_err(|_| Problem::invalid("client", "no such client"))?.id;
            Resolution::Match { client, inbound }
        }
        (None, None, Some(reason)) => Resolution::Close { reason },
        _ => {
            return Err(Problem::invalid(
                "body",
                "expected either client and inbound (to match it) or reason (to close it)",
            ))
        }
    };
    Ok(Json(st.app.resolve_unidentified(&caller.actor, &id, r).await?.into()))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_slots, create_slots))
        .routes(routes!(get_appointment, book_appointment, cancel_appointment))
        .routes(routes!(check_in))
        .routes(routes!(open_receipt))
        .routes(routes!(get_receipt))
        .routes(routes!(scan))
        .routes(routes!(record_unexpected))
        .routes(routes!(close_receipt))
        .routes(routes!(list_unidentified, record_unidentified))
        .routes(routes!(resolve_unidentified))
}
