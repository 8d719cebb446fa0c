//! Packing and manifests on the floor: an order at the packing bench (scanned by its barcode),
//! its units scanned in, the parcel weighed and measured (held for a supervisor outside the
//! weight tolerance), packed parcels scanned onto their carrier's manifest of the day, and the
//! manifest closed at the carrier's pickup. Thin calls on the `App` packing use cases.

use axum::{
    extract::{Path, State},
    response::Response,
    Json,
};
use entrepot_app::{ManifestParcel, ManifestView, PackLineView, PackView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{NoWarehouse, NotItsStaff, NotWarehouseStaff};
use crate::{
    auth::Caller,
    floor::{pdf, warehouse},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// One SKU of the parcel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PackLineBody {
    pub sku_id: i64,
    pub mfskuid: String,
    pub seller_sku: String,
    pub name: String,
    pub qty: i64,
    pub scanned: i64,
}

impl From<PackLineView> for PackLineBody {
    fn from(l: PackLineView) -> Self {
        Self {
            sku_id: l.sku_id.0,
            mfskuid: l.mfskuid,
            seller_sku: l.seller_sku,
            name: l.name,
            qty: l.qty,
            scanned: l.scanned,
        }
    }
}

/// An order at the packing bench.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PackBody {
    pub order_id: String,
    pub client_id: String,
    pub oc_number: String,
    pub bird_id: i64,
    pub reference: String,
    /// PICKING until packed, then PACKED.
    pub status: String,
    pub lines: Vec<PackLineBody>,
    /// Every unit is scanned.
    pub complete: bool,
    /// What its units weigh by their SKUs' audited weights.
    pub expected_weight_g: i64,
    /// Why it waits for a supervisor; `null` when it does not.
    pub hold: Option<String>,
    pub packed_weight_g: Option<i64>,
    pub currency: String,
    /// Fees in minor units, re-rated on the packed weight and box once packed.
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    /// The carrier label can be printed (`GET /orders/{key}/label`).
    pub label_ready: bool,
}

impl From<PackView> for PackBody {
    fn from(v: PackView) -> Self {
        Self {
            order_id: v.order_id.0,
            client_id: v.client_id.0,
            oc_number: v.oc_number,
            bird_id: v.bird_id,
            reference: v.reference,
            status: v.status,
            lines: v.lines.into_iter().map(Into::into).collect(),
            complete: v.complete,
            expected_weight_g: v.expected_weight_g,
            hold: v.hold,
            packed_weight_g: v.packed_weight_g,
            currency: v.currency,
            handling_fee: v.handling_fee,
            delivery_fee: v.delivery_fee,
            tracking_number: v.tracking_number,
            label_ready: v.label_ready,
        }
    }
}

/// Units scanned into the parcel.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PackUnitBody {
    /// The SKU label (MFSKUID) or the seller's SKU code.
    pub sku: String,
    /// Units (default 1).
    pub qty: Option<i64>,
    /// The handheld's id for this scan: a replay with the same id changes nothing.
    pub scan_id: Option<String>,
}

/// The parcel's gross weight and its box.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PackCloseBody {
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    /// A supervisor lets a parcel outside the weight tolerance go.
    #[serde(default)]
    pub release_hold: bool,
}

/// One parcel on a manifest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManifestParcelBody {
    pub order_id: String,
    pub client_id: String,
    pub oc_number: String,
    pub bird_id: i64,
    pub tracking_number: Option<String>,
    pub weight_g: i64,
    pub recipient: String,
    pub postcode: String,
    pub country: String,
}

impl From<ManifestParcel> for ManifestParcelBody {
    fn from(p: ManifestParcel) -> Self {
        Self {
            order_id: p.order_id.0,
            client_id: p.client_id.0,
            oc_number: p.oc_number,
            bird_id: p.bird_id,
            tracking_number: p.tracking_number,
            weight_g: p.weight_g,
            recipient: p.recipient,
            postcode: p.postcode,
            country: p.country,
        }
    }
}

/// A carrier's manifest of one day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManifestBody {
    pub id: String,
    pub warehouse_id: String,
    pub carrier: String,
    /// The warehouse-local day.
    pub day: String,
    /// OPEN or CLOSED (handed over).
    pub status: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub closed_by: Option<String>,
    pub closed_at_ms: Option<i64>,
    /// How many parcels are on it.
    pub parcel_count: i64,
    /// Its parcels in scan order from `GET /manifests/{id}` and a close; in a scan's answer only
    /// the parcel scanned; none in lists of manifests.
    pub parcels: Vec<ManifestParcelBody>,
}

impl From<ManifestView> for ManifestBody {
    fn from(m: ManifestView) -> Self {
        Self {
            id: m.id,
            warehouse_id: m.warehouse_id.0,
            carrier: m.carrier,
            day: m.day,
            status: m.status,
            created_by: m.created_by,
            created_at_ms: m.created_at_ms,
            closed_by: m.closed_by,
            closed_at_ms: m.closed_at_ms,
            parcel_count: m.parcel_count,
            parcels: m.parcels.into_iter().map(Into::into).collect(),
        }
    }
}

/// Manifests, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManifestList {
    pub items: Vec<ManifestBody>,
}

/// A packed parcel to put on its carrier's manifest.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ManifestScanBody {
    /// The order's barcode: its id, OC number or Bird id.
    pub order: String,
}

/// How many manifests.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ManifestQuery {
    /// 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// An order at the packing bench (staff of the warehouse), by its barcode: id, OC number or
/// Bird id.
#[utoipa::path(get, path = "/warehouses/{code}/packing/{order}", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code"), ("order" = String, Path, description = "The order's barcode")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The order's units and what is scanned", body = PackBody),
        NotWarehouseStaff, NoWarehouse,
    ))]
async fn pack_view(
    State(st): State<ApiState>,
    caller: Caller,
    Path((code, order)): Path<(String, String)>,
) -> ApiResult<Json<PackBody>> {
    let wh = warehouse(&st.app, &code).await?;
    Ok(Json(st.app.pack_view(&caller.actor, &wh.id, &order).await?.into()))
}

/// Scans units into the parcel: a SKU the order does not hold, or one unit too many, is
/// refused saying so; so is an order still being picked.
#[utoipa::path(post, path = "/warehouses/{code}/packing/{order}/units", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code"), ("order" = String, Path, description = "The order's barcode")),
    request_body = PackUnitBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The parcel now", body = PackBody),
        NotWarehouseStaff, NoWarehouse,
        (status = 409, description = "Not picked yet, or packed already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not in this order, or too many", body = Problem, content_type = "application/problem+json"),
    ))]
async fn pack_unit(
    State(st): State<ApiState>,
    caller: Caller,
    Path((code, order)): Path<(String, String)>,
    ApiJson(b): ApiJson<PackUnitBody>,
) -> ApiResult<Json<PackBody>> {
    let wh = warehouse(&st.app, &code).await?;
    let qty = b.qty.unwrap_or(1);
    Ok(Json(st.app.pack_unit(&caller.actor, &wh.id, &order, &b.sku, qty, b.scan_id.as_deref()).await?.into()))
}

/// Closes the parcel once every unit is in: its gross weight and box. Outside the weight
/// tolerance it is held (`hold` says why) until a supervisor closes it with `release_hold`;
/// else it is re-rated on its chargeable weight and is PACKED.
#[utoipa::path(post, path = "/warehouses/{code}/packing/{order}/close", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code"), ("order" = String, Path, description = "The order's barcode")),
    request_body = PackCloseBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Packed, or held for a supervisor", body = PackBody),
        NotWarehouseStaff, NoWarehouse,
        (status = 409, description = "Units left to scan, or the service no longer fits the parcel", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad weight or box", body = Problem, content_type = "application/problem+json"),
    ))]
async fn close_pack(
    State(st): State<ApiState>,
    caller: Caller,
    Path((code, order)): Path<(String, String)>,
    ApiJson(b): ApiJson<PackCloseBody>,
) -> ApiResult<Json<PackBody>> {
    let wh = warehouse(&st.app, &code).await?;
    let dims = (b.length_mm, b.width_mm, b.height_mm);
    let v = entrepot_ops::packing::close_and_book(
        &st.app,
        st.carrier.clone(),
        &st.booking,
        &caller.actor,
        &wh.id,
        &order,
        b.weight_g,
        dims,
        b.release_hold,
    )
    .await?;
    Ok(Json(v.into()))
}

/// Scans a packed parcel onto its carrier's open manifest of the day (opened on the first).
#[utoipa::path(post, path = "/warehouses/{code}/manifests", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code")),
    request_body = ManifestScanBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The manifest the parcel is on", body = ManifestBody),
        NotWarehouseStaff, NoWarehouse,
        (status = 409, description = "Not packed, or handed over already", body = Problem, content_type = "application/problem+json"),
    ))]
async fn manifest_parcel(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<ManifestScanBody>,
) -> ApiResult<Json<ManifestBody>> {
    let wh = warehouse(&st.app, &code).await?;
    Ok(Json(st.app.manifest_parcel(&caller.actor, &wh.id, &b.order).await?.into()))
}

/// A warehouse's manifests, newest first (staff of it).
#[utoipa::path(get, path = "/warehouses/{code}/manifests", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code"), ManifestQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "Manifests", body = ManifestList), NotWarehouseStaff, NoWarehouse))]
async fn list_manifests(
    State(st): State<ApiState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<ManifestQuery>,
) -> ApiResult<Json<ManifestList>> {
    let wh = warehouse(&st.app, &code).await?;
    let items = st.app.manifests(&caller.actor, &wh.id, q.limit.unwrap_or(50)).await?;
    Ok(Json(ManifestList { items: items.into_iter().map(Into::into).collect() }))
}

/// One manifest with its parcels (staff of its warehouse).
#[utoipa::path(get, path = "/manifests/{id}", tag = "packing",
    params(("id" = String, Path, description = "Manifest id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The manifest", body = ManifestBody),
        NotItsStaff,
        (status = 404, description = "No such manifest", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_manifest(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ManifestBody>> {
    Ok(Json(st.app.manifest(&caller.actor, &id).await?.into()))
}

/// Closes a manifest at the carrier's pickup: every packed parcel on it is handed over
/// (SHIPPED: its stock leaves PACK, its fee is charged and the hold settled, webhooks fire), all
/// or nothing. A parcel taken off since (an intercept) stays behind.
#[utoipa::path(post, path = "/manifests/{id}/close", tag = "packing",
    params(("id" = String, Path, description = "Manifest id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Closed: its parcels are shipped", body = ManifestBody),
        NotItsStaff,
        (status = 404, description = "No such manifest", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed already, or nothing to hand over", body = Problem, content_type = "application/problem+json"),
    ))]
async fn close_manifest(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ManifestBody>> {
    Ok(Json(st.app.close_manifest(&caller.actor, &id).await?.into()))
}

/// The manifest (PDF, A4) the carrier's driver signs: every parcel with its tracking number as a
/// barcode, the totals and a signature block.
#[utoipa::path(get, path = "/manifests/{id}/pdf", tag = "packing",
    params(("id" = String, Path, description = "Manifest id")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The manifest", content_type = "application/pdf", body = String),
        NotItsStaff,
        (status = 404, description = "No such manifest", body = Problem, content_type = "application/problem+json"),
    ))]
async fn manifest_pdf(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let m = st.app.manifest(&caller.actor, &id).await?;
    let wh = st.app.warehouse(&m.warehouse_id).await?;
    let closed_at = match m.closed_at_ms {
        Some(at) => wh.local_time_text(at)?,
        None => "open".to_owned(),
    };
    let doc = entrepot_labels::ManifestDoc {
        warehouse: wh.code.clone(),
        carrier: m.carrier,
        day: m.day,
        manifest_id: m.id.clone(),
        closed_at,
        parcels: m
            .parcels
            .into_iter()
            .map(|p| entrepot_labels::ManifestParcel {
                tracking_number: p.tracking_number.unwrap_or_default(),
                order: p.oc_number,
                recipient: p.recipient,
                postcode: p.postcode,
                country: p.country,
                weight_g: p.weight_g,
            })
            .collect(),
    };
    pdf(&format!("{}.pdf", m.id), move || entrepot_labels::manifest(&doc)).await
}

/// The packing slip (PDF, 4 × 6 in) that goes into the parcel: the order's barcode, its
/// reference, where it goes and what is in it.
#[utoipa::path(get, path = "/warehouses/{code}/packing/{order}/slip", tag = "packing",
    params(("code" = String, Path, description = "Warehouse code"), ("order" = String, Path, description = "The order's barcode")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The packing slip", content_type = "application/pdf", body = String),
        NotWarehouseStaff, NoWarehouse,
    ))]
async fn packing_slip(
    State(st): State<ApiState>,
    caller: Caller,
    Path((code, order)): Path<(String, String)>,
) -> ApiResult<Response> {
    let wh = warehouse(&st.app, &code).await?;
    let v = st.app.pack_view(&caller.actor, &wh.id, &order).await?;
    let o = st.app.order_for(&caller.actor, &v.client_id, &v.order_id.0).await?;
    let to = &o.recipient;
    let mut ship_to = vec![to.name.clone()];
    ship_to.extend(to.company.clone());
    ship_to.extend(to.lines.iter().cloned());
    ship_to.push(format!("{} {}", to.postcode, to.city).trim().to_owned());
    ship_to.push(to.country.clone());
    let slip = entrepot_labels::PackingSlip {
        order: v.oc_number.clone(),
        reference: v.reference,
        ship_to,
        lines: v
            .lines
            .into_iter()
            .map(|l| entrepot_labels::SlipLine { seller_sku: l.seller_sku, name: l.name, qty: l.qty })
            .collect(),
    };
    pdf(&format!("slip-{}.pdf", v.oc_number), move || entrepot_labels::packing_slip(&slip)).await
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(pack_view))
        .routes(routes!(pack_unit))
        .routes(routes!(close_pack))
        .routes(routes!(manifest_parcel, list_manifests))
        .routes(routes!(get_manifest))
        .routes(routes!(close_manifest))
        .routes(routes!(manifest_pdf))
        .routes(routes!(packing_slip))
}
