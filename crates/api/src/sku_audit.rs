//! The SKU audit on the floor: the queue of submitted SKUs staff work through, a seller's
//! submission, staff's measurements and verdicts. A SKU is named by its id and, for staff and
//! operators, its client (`?client=`, as the queue's rows give it): SKU ids are per client.

use axum::{
    extract::{Path, State},
    Json,
};
use entrepot_app::{SkuAuditCursor, SkuAuditQuery, SkuVerdict, MAX_AUDIT_QUEUE_PAGE};
use entrepot_core::{
    ids::{ClientId, SkuId},
    sku::{MeasuredValues, Sku},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{BadPage, NotStaff, Unauthenticated};
use crate::{
    auth::Caller,
    pagination::{cursor, PageQuery},
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// The filters of the audit queue.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// One client's submissions only (its id or name).
    pub client: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// Whose SKU: required for staff and operators; a seller user acts on its own client's.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// The SKU's client (its id or name).
    pub client: Option<String>,
}

/// A SKU as the audit sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditSku {
    pub id: i64,
    pub client_id: String,
    pub seller_sku: String,
    pub mfskuid: String,
    pub name: String,
    /// DRAFT, SUBMITTED, APPROVED or REJECTED.
    pub status: String,
    /// In force: the measured values once staff measured, else the declared ones.
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    /// Whether staff measured it (the declared values are then kept aside).
    pub measured: bool,
    pub reject_reason: Option<String>,
}

impl From<Sku> for AuditSku {
    fn from(s: Sku) -> Self {
        Self {
            id: s.id.0,
            client_id: s.client_id.0,
            seller_sku: s.seller_sku,
            mfskuid: s.mfskuid,
            name: s.name_en,
            status: s.status.as_str().to_owned(),
            weight_g: s.weight_g,
            length_mm: s.length_mm,
            width_mm: s.width_mm,
            height_mm: s.height_mm,
            measured: s.measurement.is_some(),
            reject_reason: s.reject_reason,
        }
    }
}

/// A SKU waiting for audit, and since when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueueItem {
    pub sku: AuditSku,
    pub submitted_at_ms: i64,
}

/// A page of the audit queue, oldest submission first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
}

/// What staff measured; the values left out keep their current value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Measurements {
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
}

/// Why a SKU is rejected (shown to the seller).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Rejection {
    pub reason: String,
}

async fn client_of(st: &ApiState, caller: &Caller, named: Option<&str>) -> ApiResult<ClientId> {
    match (caller.actor.client(), named) {
        (Some(own), None) => Ok(own.clone()),
        (Some(own), Some(c)) if c == own.0 => Ok(own.clone()),
        (Some(_), Some(_)) => Err(Problem::not_found("SKU not found".to_owned())),
        (None, Some(c)) => {
            Ok(st.app.find_client(c).await.map_err(|_| Problem::invalid("client", "no such client"))?.id)
        }
        (None, None) => Err(Problem::invalid("client", "required for staff and operators")),
    }
}

/// The queue of submitted SKUs (staff of any warehouse; operators).
#[utoipa::path(get, path = "/sku-audit/queue", tag = "sku-audit", params(QueueQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "One page", body = QueuePage),
        Unauthenticated,
        NotStaff,
        BadPage,
    ))]
async fn queue(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<QueuePage>> {
    caller.actor.require_staff()?;
    let page = PageQuery { cursor: q.cursor, limit: q.limit };
    let limit = i64::from(page.limit()?);
    if limit > MAX_AUDIT_QUEUE_PAGE {
        return Err(Problem::invalid("limit", format!("must be 1 to {MAX_AUDIT_QUEUE_PAGE}")));
    }
    let after: Option<SkuAuditCursor> = page.position()?;
    let client = match q.client.as_deref() {
        Some(c) => Some(st.app.find_client(c).await.map_err(|_| Problem::invalid("client", "no such client"))?.id),
        None => None,
    };
    let rows = st.app.sku_audit_queue(&caller.actor, &SkuAuditQuery { client, after, limit }).await?;
    let next_cursor = (rows.len() as i64 == limit).then(|| rows.last().map(|r| cursor(&r.cursor()))).flatten();
    let items = rows.into_iter().map(|r| QueueItem { sku: r.sku.into(), submitted_at_ms: r.submitted_at_ms }).collect();
    Ok(Json(QueuePage { items, next_cursor }))
}

/// A seller submits its draft (or a fixed rejected SKU) for audit.
#[utoipa::path(post, path = "/skus/{id}/submit", tag = "sku-audit",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "SKU id"), ClientQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Submitted", body = AuditSku),
        Unauthenticated,
        (status = 403, description = "Staff may not submit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such SKU of the client", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft or rejected SKU", body = Problem, content_type = "application/problem+json"),
    ))]
async fn submit(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> ApiResult<Json<AuditSku>> {
    let client = client_of(&st, &caller, q.client.as_deref()).await?;
    Ok(Json(st.app.submit_sku_for_audit(&caller.actor, &client, SkuId(id)).await?.into()))
}

/// Staff record a SKU's measured weight and dimensions: they override the declared ones.
#[utoipa::path(post, path = "/skus/{id}/measurements", tag = "sku-audit", request_body = Measurements,
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "SKU id"), ClientQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Measured", body = AuditSku),
        Unauthenticated,
        NotStaff,
        (status = 404, description = "No such SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A value out of range", body = Problem, content_type = "application/problem+json"),
    ))]
async fn measure(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ClientQuery>,
    ApiJson(m): ApiJson<Measurements>,
) -> ApiResult<Json<AuditSku>> {
    caller.actor.require_staff()?;
    let client = client_of(&st, &caller, q.client.as_deref()).await?;
    let v =
        MeasuredValues { weight_g: m.weight_g, length_mm: m.length_mm, width_mm: m.width_mm, height_mm: m.height_mm };
    Ok(Json(st.app.measure_sku(&caller.actor, &client, SkuId(id), v).await?.into()))
}

/// Staff approve a submitted SKU: it may be stocked and sold.
#[utoipa::path(post, path = "/skus/{id}/approve", tag = "sku-audit",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "SKU id"), ClientQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Approved", body = AuditSku),
        Unauthenticated,
        NotStaff,
        (status = 404, description = "No such SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not submitted", body = Problem, content_type = "application/problem+json"),
    ))]
async fn approve(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> ApiResult<Json<AuditSku>> {
    caller.actor.require_staff()?;
    let client = client_of(&st, &caller, q.client.as_deref()).await?;
    Ok(Json(st.app.decide_sku(&caller.actor, &client, SkuId(id), SkuVerdict::Approve).await?.into()))
}

/// Staff reject a submitted SKU with a reason the seller reads.
#[utoipa::path(post, path = "/skus/{id}/reject", tag = "sku-audit", request_body = Rejection,
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "SKU id"), ClientQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Rejected", body = AuditSku),
        Unauthenticated,
        NotStaff,
        (status = 404, description = "No such SKU", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or too long", body = Problem, content_type = "application/problem+json"),
    ))]
async fn reject(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ClientQuery>,
    ApiJson(r): ApiJson<Rejection>,
) -> ApiResult<Json<AuditSku>> {
    caller.actor.require_staff()?;
    let client = client_of(&st, &caller, q.client.as_deref()).await?;
    let verdict = SkuVerdict::Reject { reason: r.reason };
    Ok(Json(st.app.decide_sku(&caller.actor, &client, SkuId(id), verdict).await?.into()))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(submit))
        .routes(routes!(measure))
        .routes(routes!(approve))
        .routes(routes!(reject))
}
