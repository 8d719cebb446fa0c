//! Outbound orders as people on the native API see them: one order with its status, due date,
//! lines, fees and tracking (sellers their own; staff those of their warehouses).

use axum::{
    extract::{Path, State},
    Json,
};
use entrepot_app::OrderView;
use entrepot_core::money::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Caller,
    floor::client,
    problem::{ApiJson, ApiQuery, ApiResult, Problem},
    ApiState,
};

/// One line of an order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineBody {
    pub sku_id: i64,
    pub qty: i64,
    /// The unit price the buyer paid on the platform, when the client gave it.
    pub sales_price: Option<AmountBody>,
    pub ebay_transaction_id: Option<String>,
    pub ebay_item_no: Option<String>,
    /// The client that owns the SKU, when it is another client's shared product: its units come
    /// from that client's stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stock_owner: Option<String>,
}

/// An amount in minor units of its currency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AmountBody {
    pub minor: i64,
    pub currency: String,
}

impl From<Money> for AmountBody {
    fn from(m: Money) -> Self {
        Self { minor: m.minor, currency: m.currency.as_str().to_owned() }
    }
}

/// An order's customs and compliance fields, as the client gave them; which ones its service
/// requires is on the service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplianceBody {
    /// The sales platform (Bird `omp_name`).
    pub platform: Option<String>,
    /// The order's id on the platform (Bird `sales_order_id`).
    pub platform_order_id: Option<String>,
    pub ioss_vat_number: Option<String>,
    pub omp_vat_number: Option<String>,
    pub shipper_eori: Option<String>,
    /// Sale, ReturnReplacement or Gift.
    pub reason_for_export: Option<String>,
    /// Gift, Documents or Other.
    pub content_type: Option<String>,
    pub receiver_eori: Option<String>,
    pub receiver_pid_number: Option<String>,
    /// Handled first, for the service's urgent surcharge.
    pub urgent: bool,
    /// The carrier compensates a late delivery.
    pub compensation_for_delay: bool,
}

/// An outbound order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderBody {
    pub id: String,
    pub client_id: String,
    pub warehouse_id: String,
    pub service_id: String,
    /// The client's reference.
    pub reference: String,
    /// The consignment id Bird ERPs know it by.
    pub bird_id: i64,
    /// The order number OC ERPs know it by.
    pub oc_number: String,
    /// LOCAL, DIRECT, FBA, RETURN, AGENT_DIRECT or CLIENT_DIRECT.
    pub kind: String,
    /// DRAFT, SUBMITTED, WAIT_PICKING, PICKING, PACKED, SHIPPED, DELIVERED, CANCELLED or EXCEPTION.
    pub status: String,
    /// The warehouse-local day it is due to leave (`2030-01-02`), from the cut-off and the
    /// warehouse's calendar when it was submitted; `null` for drafts.
    pub due_date: Option<String>,
    pub lines: Vec<OrderLineBody>,
    pub compliance: ComplianceBody,
    /// The order's own platform sales price.
    pub sales_price: Option<AmountBody>,
    pub weight_g: i64,
    pub chargeable_weight_g: i64,
    pub currency: String,
    /// Fees in minor units.
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    pub carrier: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl From<OrderView> for OrderBody {
    fn from(o: OrderView) -> Self {
        Self {
            kind: o.kind.as_str().to_owned(),
            status: o.status.as_str().to_owned(),
            id: o.id.0,
            client_id: o.client_id.0,
            warehouse_id: o.warehouse_id.0,
            service_id: o.service_id.0,
            reference: o.reference,
            bird_id: o.bird_id,
            oc_number: o.oc_number,
            due_date: o.due_date,
            lines: o
                .lines
                .into_iter()
                .map(|(s, q)| {
                    let sale = o.line_sales.get(&s).cloned().unwrap_or_default();
                    OrderLineBody {
                        sku_id: s.0,
                        qty: q,
                        sales_price: sale.sales_price.map(Into::into),
                        ebay_transaction_id: sale.ebay_transaction_id,
                        ebay_item_no: sale.ebay_item_no,
                        stock_owner: o.owners.get(&s).map(|c| c.0.clone()),
                    }
                })
                .collect(),
            compliance: ComplianceBody {
                platform: o.platform,
                platform_order_id: o.platform_order_id,
                ioss_vat_number: o.customs.ioss,
                omp_vat_number: o.customs.omp_vat_number,
                shipper_eori: o.customs.shipper_eori,
                reason_for_export: o.customs.reason_for_export,
                content_type: o.customs.content_type,
                receiver_eori: o.customs.receiver_eori,
                receiver_pid_number: o.customs.receiver_pid_number,
                urgent: o.options.urgent,
                compensation_for_delay: o.options.compensation_for_delay,
            },
            sales_price: o.sales_price.map(Into::into),
            weight_g: o.weight_g,
            chargeable_weight_g: o.chargeable_weight_g,
            currency: o.currency,
            handling_fee: o.handling_fee,
            delivery_fee: o.delivery_fee,
            tracking_number: o.tracking_number,
            carrier: o.carrier,
            created_at_ms: o.created_at_ms,
            updated_at_ms: o.updated_at_ms,
        }
    }
}

/// Whose order.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// The client (id or name): staff and operators name it; a seller user reads its own.
    pub client: Option<String>,
}

/// One order by its id, Bird consignment id, OC number or reference.
#[utoipa::path(get, path = "/orders/{key}", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The order", body = OrderBody),
        (status = 404, description = "No such order for this caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Staff named no client", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_order(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<OrderBody>> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    Ok(Json(st.app.order_for(actor, &client, &key).await?.into()))
}

/// Why the client cancels.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CancelBody {
    pub reason: Option<String>,
}

/// What a cancel did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CancelOutcome {
    pub order: OrderBody,
    /// Picking had started: the cancel is an intercept request the warehouse accepts or refuses
    /// (the order is unchanged until then).
    pub intercept_requested: bool,
}

/// A client cancels its order: before picking it is cancelled at once (stock and fee
/// released); once picking has started it becomes an intercept request for the warehouse.
#[utoipa::path(post, path = "/orders/{key}/cancel", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    request_body = CancelBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Cancelled, or an intercept requested", body = CancelOutcome),
        (status = 404, description = "No such order for this caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Handed over already", body = Problem, content_type = "application/problem+json"),
    ))]
async fn cancel_order(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
    ApiJson(b): ApiJson<CancelBody>,
) -> ApiResult<Json<CancelOutcome>> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    let o = st.app.order_for(actor, &client, &key).await?;
    let (o, intercept_requested) = st.app.cancel_or_intercept(&client, &o.id, b.reason.as_deref()).await?;
    Ok(Json(CancelOutcome { order: o.into(), intercept_requested }))
}

/// Staff's decision on an intercept.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InterceptBody {
    /// True: cancel the order (its picked units go back to their bins); false: it ships.
    pub accept: bool,
}

/// Staff of the order's warehouse accept or refuse a client's intercept request.
#[utoipa::path(post, path = "/orders/{key}/intercept", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    request_body = InterceptBody,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The order after the decision", body = OrderBody),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No intercept waiting", body = Problem, content_type = "application/problem+json"),
    ))]
async fn resolve_intercept(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
    ApiJson(b): ApiJson<InterceptBody>,
) -> ApiResult<Json<OrderBody>> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    Ok(Json(st.app.resolve_intercept(actor, &client, &key, b.accept).await?.into()))
}

/// Staff of the order's warehouse put an order stopped in Exception back onto the floor: it is
/// Submitted again, keeps its due date, and the next wave takes it.
#[utoipa::path(post, path = "/orders/{key}/requeue", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The order, Submitted", body = OrderBody),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in Exception", body = Problem, content_type = "application/problem+json"),
    ))]
async fn requeue_exception(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<OrderBody>> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    Ok(Json(st.app.requeue_exception(actor, &client, &key).await?.into()))
}

/// The order's carrier label (PDF), as the booking kept it: for the seller to see and staff to
/// reprint. 404 until the order is booked.
#[utoipa::path(get, path = "/orders/{key}/label", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The label", content_type = "application/pdf", body = String),
        (status = 404, description = "No such order for this caller, or no label yet", body = Problem, content_type = "application/problem+json"),
    ))]
async fn order_label(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<axum::response::Response> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    let o = st.app.order_for(actor, &client, &key).await?;
    let label = st.app.order_label(&client, &o.id).await?;
    let label = label.ok_or_else(|| Problem::not_found(format!("order {} has no carrier label yet", o.oc_number)))?;
    Ok(crate::floor::served_pdf(&format!("label-{}.pdf", o.oc_number), label))
}

/// One stage the carrier reported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrackingEventBody {
    /// ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or DELIVERY_EXCEPTION.
    pub code: String,
    pub at_ms: i64,
    pub description: String,
    pub location: Option<String>,
}

/// An order's journey after the handover.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrackingBody {
    pub order_id: String,
    pub status: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Oldest first.
    pub events: Vec<TrackingEventBody>,
}

/// The carrier's tracking events of an order, oldest first (the seller's own; staff of its
/// warehouse).
#[utoipa::path(get, path = "/orders/{key}/tracking", tag = "orders",
    params(("key" = String, Path, description = "Order id, Bird id, OC number or reference"), OrderQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The journey so far", body = TrackingBody),
        (status = 404, description = "No such order for this caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn order_tracking(
    State(st): State<ApiState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<TrackingBody>> {
    let actor = &caller.actor;
    let client = client(&st.app, actor, q.client.as_deref(), "client").await?;
    let (o, events) = st.app.order_tracking(actor, &client, &key).await?;
    Ok(Json(TrackingBody {
        order_id: o.id.0,
        status: o.status.as_str().to_owned(),
        carrier: o.carrier,
        tracking_number: o.tracking_number,
        events: events
            .into_iter()
            .map(|e| TrackingEventBody {
                code: e.code.as_str().to_owned(),
                at_ms: e.at_ms,
                description: e.description,
                location: e.location,
            })
            .collect(),
    }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(get_order))
        .routes(routes!(order_label))
        .routes(routes!(order_tracking))
        .routes(routes!(cancel_order))
        .routes(routes!(resolve_intercept))
        .routes(routes!(requeue_exception))
}
