//! Bird's webhooks: the `/client/Webhook` endpoints an ERP registers, the delivery log, and the
//! renderer that turns outbox events into Bird's messages.
//!
//! BirdSystem configures webhooks in its web UI (spec §8), whose ExtJS talks to the generic
//! `/client/<Resource>` CRUD; Entrepot offers that CRUD through the API in the same conventions
//! (list envelope, `?id=`, POST creating or, with `id`, updating, `DELETE /<id>`), plus
//! `/client/Webhook-Delivery`, the log BirdSystem shows in a tab. Messages have Bird's shape,
//! `{"resource_type","action","time","data"}` with `data` the full consignment or product row;
//! unlike BirdSystem, they are signed (headers `webhook-id`, `webhook-timestamp`,
//! `webhook-signature`, see `entrepot_ops`), which receivers that do not check simply ignore.
//!
//! What each outbox event means to Bird:
//! - `order.tracking` → CONSIGNMENT `GET_DELIVERY_REFERENCE`;
//! - `order.status` to SHIPPED, DELIVERED or EXCEPTION → CONSIGNMENT `UPDATE_TRACKING_EVENT`;
//! - `sku.created` → PRODUCT `CREATE`, `sku.updated` → PRODUCT `UPDATE`;
//! - a change of stock numbers → PRODUCT `UPDATE_LIVE_STOCK`, one message per product:
//!   `stock.changed` (manual, or an owner's shared product moved by another client's order),
//!   reservations and releases (`order.created` when submitted, `order.status`
//!   with a ledger effect) and put-away (`inbound.put_away`);
//! - `inbound.discrepancy` (receiving found units short, over, damaged or unexpected) →
//!   CLIENT_DISPATCH `UPDATE`, `data` the dispatch row with the discrepancy under `discrepancy`.
//!
//! Shapes and topics in [`types`], rows and messages from the app's records in [`transformers`].

pub mod transformers;
pub mod types;

use std::sync::Arc;

use async_trait::async_trait;
use axum::{
    extract::{Path, State},
    response::Response,
    routing::get,
    Router,
};
use entrepot_app::{App, NewDelivery, NewWebhook, OutboxEvent, Webhook, WebhookChange, WebhookStatus};
use entrepot_core::{
    ids::{ClientId, SkuId},
    outbound::{effect_of, Effect, OutboundStatus},
    CoreError,
};
use entrepot_ops::{new_secret, Destinations, WebhookRenderer};
use serde_json::Value;

use self::{
    transformers::message,
    types::{
        topic, DeliveryRow, DeliverySearch, WebhookFields, WebhookIds, WebhookRow, CLIENT_DISPATCH, CONSIGNMENT,
        PRODUCT,
    },
};

use crate::{
    client_dispatch::{transformers::dispatch_id, types::DispatchRow},
    consignment::consignment_row,
    envelope::{data, done, list, values, BirdError},
    listing::ListQuery,
    product::product_row,
    request::BirdRequest,
    BirdState,
};

/// The `dialect` of endpoints registered here.
pub const DIALECT: &str = "bird";

/// This module's routes.
pub fn routes() -> Router<BirdState> {
    Router::new()
        .route("/client/webhook", get(list_webhooks).post(save).delete(delete_by_param))
        .route("/client/webhook/{id}", get(get_one).post(update_at).delete(delete_at))
        .route("/client/webhook-delivery", get(deliveries))
}

fn parse_id(v: &str) -> Result<i64, BirdError> {
    v.trim().parse().map_err(|_| BirdError::bad(format!("Invalid webhook id '{v}'")))
}

/// The `url` parameter, if given: a URL webhooks may call (see `entrepot_ops::Destinations`).
async fn url_param(f: &WebhookFields, allowed: &Destinations) -> Result<Option<String>, BirdError> {
    match f.url.take() {
        None => Ok(None),
        Some(u) => allowed.check_url(&u).await.map(|_| Some(u)).map_err(|e| BirdError::bad(format!("url: {e}"))),
    }
}

/// `GET /client/Webhook` (`?id=`, list language).
pub async fn list_webhooks(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let query: WebhookIds = req.fields()?;
    let ids = match query.id.get() {
        Some(v) => v.split('_').map(parse_id).collect::<Result<Vec<_>, _>>()?,
        None => vec![],
    };
    let hooks = state.app.webhooks(&req.client, DIALECT, &ids).await?;
    let rows = values(hooks.iter().map(|w| WebhookRow::new(w, None)));
    let q = ListQuery::parse(&req.params, &["resource_type", "action", "status", "url"])?.typed(types::WEBHOOK_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/Webhook/<id>`: the list envelope with one row.
pub async fn get_one(
    State(state): State<BirdState>,
    Path(id): Path<String>,
    req: BirdRequest,
) -> Result<Response, BirdError> {
    let w = state.app.webhook(&req.client, parse_id(&id)?).await?;
    Ok(list(1, values([WebhookRow::new(&w, None)])))
}

/// `POST /client/Webhook`: create; with `id`, update (fields not sent keep their values).
pub async fn save(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: WebhookFields = req.fields()?;
    match f.id.get("id")? {
        Some(id) => update(&state, &req, &f, id).await,
        None => create(&state, &req, &f).await,
    }
}

/// `POST /client/Webhook/<id>`: update.
pub async fn update_at(
    State(state): State<BirdState>,
    Path(id): Path<String>,
    req: BirdRequest,
) -> Result<Response, BirdError> {
    let id = parse_id(&id)?;
    update(&state, &req, &req.fields()?, id).await
}

async fn create(state: &BirdState, req: &BirdRequest, f: &WebhookFields) -> Result<Response, BirdError> {
    let url = url_param(f, &state.webhook_destinations).await?.ok_or_else(|| BirdError::bad("url is required"))?;
    let r = f.resource_type.get().ok_or_else(|| BirdError::bad("resource_type is required"))?;
    let a = f.action.get().ok_or_else(|| BirdError::bad("action is required"))?;
    let (resource_type, action) = topic(r, a)?;
    let secret = f.secret()?.unwrap_or_else(new_secret);
    let new = NewWebhook {
        dialect: DIALECT.into(),
        url,
        resource_type,
        action,
        secret: secret.clone(),
        status: f.status()?.unwrap_or(WebhookStatus::Active),
    };
    let w = state.app.create_webhook(&req.client, new).await?;
    Ok(data(WebhookRow::new(&w, Some(&secret))))
}

async fn update(state: &BirdState, req: &BirdRequest, f: &WebhookFields, id: i64) -> Result<Response, BirdError> {
    let app = &state.app;
    let old = app.webhook(&req.client, id).await?;
    if old.dialect != DIALECT {
        return Err(CoreError::not_found("webhook", id).into());
    }
    let (resource_type, action) =
        topic(f.resource_type.get().unwrap_or(&old.resource_type), f.action.get().unwrap_or(&old.action))?;
    let secret = f.secret()?;
    let change = WebhookChange {
        url: url_param(f, &state.webhook_destinations).await?,
        resource_type: Some(resource_type),
        action: Some(action),
        secret: secret.clone(),
        status: f.status()?,
    };
    let w = app.update_webhook(&req.client, id, change).await?;
    Ok(data(WebhookRow::new(&w, secret.as_deref())))
}

async fn delete(app: &App, client: &ClientId, ids: &str) -> Result<Response, BirdError> {
    let ids: Vec<i64> = ids.split('_').filter(|s| !s.trim().is_empty()).map(parse_id).collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Err(BirdError::bad("id is required"));
    }
    app.delete_webhooks(client, &ids).await?;
    Ok(done())
}

/// `DELETE /client/Webhook/<id>` (`ids` joined with `_`, as Bird's deleteList takes them).
pub async fn delete_at(
    State(state): State<BirdState>,
    Path(id): Path<String>,
    req: BirdRequest,
) -> Result<Response, BirdError> {
    delete(&state.app, &req.client, &id).await
}

/// `DELETE /client/Webhook?id=` or `?ids=`.
pub async fn delete_by_param(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let query: WebhookIds = req.fields()?;
    let ids = query.ids.take().or_else(|| query.id.take()).unwrap_or_default();
    delete(&state.app, &req.client, &ids).await
}

/// `GET /client/Webhook-Delivery?webhook_id=`: the delivery log, newest first.
pub async fn deliveries(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let mut f = req.fields::<DeliverySearch>()?.filter()?;
    if let Some(w) = f.webhook_id {
        state.app.webhook(&req.client, w).await?;
    }
    let q = ListQuery::parse(&req.params, &["event", "event_id", "resource_type", "action"])?
        .typed(types::DELIVERY_COLUMNS);
    if q.is_plain() {
        f.offset = q.start as i64;
        f.limit = q.limit.map(|l| l as i64).unwrap_or(0);
        let (log, total) = state.app.webhook_deliveries(&req.client, &f).await?;
        let (_, page) = q.apply_without_paging(values(log.iter().map(DeliveryRow::from)), &["id"]);
        return Ok(list(total as usize, page));
    }
    let (log, _) = state.app.webhook_deliveries(&req.client, &f).await?;
    let (total, page) = q.apply(values(log.iter().map(DeliveryRow::from)), &["id"]);
    Ok(list(total, page))
}

/// Renders outbox events as Bird's webhook messages.
pub struct BirdRenderer;

/// The kinds Bird has something to say about.
const KINDS: &[&str] = &[
    "order.tracking",
    "order.tracking_event",
    "order.status",
    "order.created",
    "sku.created",
    "sku.updated",
    "stock.changed",
    "inbound.put_away",
    "inbound.discrepancy",
    "return.received",
    "return.inspecting",
    "return.completed",
];

/// What an event means in Bird's terms: `(resource_type, action)` pairs.
pub fn topics(e: &OutboxEvent) -> Vec<(&'static str, &'static str)> {
    let p = |k: &str| e.payload.get(k).and_then(Value::as_str).and_then(|s| s.parse::<OutboundStatus>().ok());
    match e.kind.as_str() {
        "order.tracking" => vec![(CONSIGNMENT, "GET_DELIVERY_REFERENCE")],
        // The carrier's stages after the handover; the delivery itself is the order's status
        // change to DELIVERED, told once.
        "order.tracking_event" if e.payload.get("code").and_then(Value::as_str) != Some("DELIVERED") => {
            vec![(CONSIGNMENT, "UPDATE_TRACKING_EVENT")]
        }
        "order.status" => {
            let mut t = vec![];
            if let (Some(from), Some(to)) = (p("from"), p("to")) {
                if matches!(to, OutboundStatus::Shipped | OutboundStatus::Delivered | OutboundStatus::Exception) {
                    t.push((CONSIGNMENT, "UPDATE_TRACKING_EVENT"));
                }
                if effect_of(from, to) != Effect::None {
                    t.push((PRODUCT, "UPDATE_LIVE_STOCK"));
                }
            }
            t
        }
        "order.created" if p("status").is_some_and(|s| s.holds_reservation()) => vec![(PRODUCT, "UPDATE_LIVE_STOCK")],
        "sku.created" => vec![(PRODUCT, "CREATE")],
        "sku.updated" => vec![(PRODUCT, "UPDATE")],
        "stock.changed" | "inbound.put_away" => vec![(PRODUCT, "UPDATE_LIVE_STOCK")],
        "inbound.discrepancy" => vec![(CLIENT_DISPATCH, "UPDATE")],
        // A return's progress is its consignment's status; receiving and completing move stock.
        "return.inspecting" => vec![(CONSIGNMENT, "UPDATE_TRACKING_EVENT")],
        "return.received" | "return.completed" => {
            vec![(CONSIGNMENT, "UPDATE_TRACKING_EVENT"), (PRODUCT, "UPDATE_LIVE_STOCK")]
        }
        _ => vec![],
    }
}

/// Product rows for the products whose stock the event changed, with the site it happened at.
async fn live_stock_rows(app: &App, client: &ClientId, e: &OutboxEvent) -> Result<Vec<(String, Value)>, CoreError> {
    let (skus, site): (Vec<SkuId>, _) = match e.kind.as_str() {
        "stock.changed" => {
            let id = e.entity_id.parse().map(SkuId).map_err(|_| CoreError::not_found("product", &e.entity_id))?;
            let site = match e.payload.get("warehouse").and_then(Value::as_str) {
                Some(code) => app.warehouse_by_code(code).await.ok(),
                None => None,
            };
            (vec![id], site)
        }
        "inbound.put_away" => {
            let v = app.find_inbound(client, &e.entity_id).await?;
            let skus = v.inbound.lines.iter().filter(|l| l.put_away > 0).map(|l| l.sku_id).collect();
            (skus, app.warehouse(&v.warehouse_id).await.ok())
        }
        _ => {
            let o = app.find_order(client, &e.entity_id).await?;
            let moved = o.kind.uses_stock() || e.kind.starts_with("return.");
            let skus = if moved { o.lines.iter().map(|l| l.0).collect() } else { vec![] };
            (skus, app.warehouse(&o.warehouse_id).await.ok())
        }
    };
    if skus.is_empty() {
        return Ok(vec![]);
    }
    let found = app.skus_by_ids(client, &skus).await?;
    let stock = app.stock(client, &skus, None).await?;
    Ok(found.iter().map(|s| (s.id.to_string(), product_row(s, &stock, site.as_ref()))).collect())
}

#[async_trait]
impl WebhookRenderer for BirdRenderer {
    fn dialect(&self) -> &'static str {
        DIALECT
    }

    fn matches(&self, event: &OutboxEvent) -> bool {
        KINDS.contains(&event.kind.as_str())
    }

    async fn render(&self, app: &App, e: &OutboxEvent, endpoints: &[Webhook]) -> Result<Vec<NewDelivery>, CoreError> {
        let Some(client) = &e.client_id else { return Ok(vec![]) };
        let mut out = vec![];
        for (resource_type, action) in topics(e) {
            let subscribed: Vec<&Webhook> =
                endpoints.iter().filter(|w| w.resource_type == resource_type && w.action == action).collect();
            if subscribed.is_empty() {
                continue;
            }
            let rows: Vec<(String, Value)> = match (resource_type, action) {
                (CONSIGNMENT, _) => {
                    let o = app.find_order(client, &e.entity_id).await?;
                    let wh = app.warehouse(&o.warehouse_id).await.ok();
                    let svc = app.service(&o.service_id).await.ok();
                    vec![(o.bird_id.to_string(), consignment_row(&o, wh.as_ref(), svc.as_ref()))]
                }
                (_, "UPDATE_LIVE_STOCK") => live_stock_rows(app, client, e).await?,
                (CLIENT_DISPATCH, _) => {
                    let v = app.find_inbound(client, &e.entity_id).await?;
                    let warehouses = app.warehouses().await?;
                    let mut row = serde_json::to_value(DispatchRow::new(&v, &warehouses)).unwrap_or_default();
                    row["discrepancy"] = e.payload.clone();
                    vec![(dispatch_id(&v.inbound.number).unwrap_or_default().to_string(), row)]
                }
                _ => {
                    let id =
                        e.entity_id.parse().map(SkuId).map_err(|_| CoreError::not_found("product", &e.entity_id))?;
                    let sku = app.sku(client, id).await?;
                    let stock = app.stock(client, &[id], None).await?;
                    vec![(id.to_string(), product_row(&sku, &stock, None))]
                }
            };
            for (subject, row) in rows {
                let body = message(resource_type, action, e, row);
                for w in &subscribed {
                    out.push(NewDelivery {
                        webhook_id: w.id,
                        event_type: format!("{resource_type}.{action}"),
                        subject: subject.clone(),
                        payload: body.clone(),
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The renderer the server registers with its webhook worker.
pub fn renderer() -> Arc<dyn WebhookRenderer> {
    Arc::new(BirdRenderer)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(kind: &str, payload: Value) -> OutboxEvent {
        OutboxEvent {
            id: "evt_1".into(),
            client_id: None,
            kind: kind.into(),
            entity_id: "1".into(),
            payload,
            created_at_ms: 0,
        }
    }

    #[test]
    fn outbox_kinds_map_onto_bird_topics() {
        assert_eq!(topics(&event("order.tracking", json!({}))), vec![(CONSIGNMENT, "GET_DELIVERY_REFERENCE")]);
        let shipped = event("order.status", json!({"from": "PACKED", "to": "SHIPPED"}));
        assert_eq!(topics(&shipped), vec![(CONSIGNMENT, "UPDATE_TRACKING_EVENT"), (PRODUCT, "UPDATE_LIVE_STOCK")]);
        let problem = event("order.status", json!({"from": "SUBMITTED", "to": "EXCEPTION"}));
        assert_eq!(topics(&problem), vec![(CONSIGNMENT, "UPDATE_TRACKING_EVENT")]);
        let submitted = event("order.status", json!({"from": "DRAFT", "to": "SUBMITTED"}));
        assert_eq!(topics(&submitted), vec![(PRODUCT, "UPDATE_LIVE_STOCK")]);
        let cancelled = event("order.status", json!({"from": "SUBMITTED", "to": "CANCELLED"}));
        assert_eq!(topics(&cancelled), vec![(PRODUCT, "UPDATE_LIVE_STOCK")]);
        assert!(topics(&event("order.status", json!({"from": "SUBMITTED", "to": "WAIT_PICKING"}))).is_empty());
        assert_eq!(
            topics(&event("order.created", json!({"status": "SUBMITTED"}))),
            vec![(PRODUCT, "UPDATE_LIVE_STOCK")]
        );
        assert!(topics(&event("order.created", json!({"status": "DRAFT"}))).is_empty());
        assert_eq!(topics(&event("sku.created", json!({}))), vec![(PRODUCT, "CREATE")]);
        assert_eq!(topics(&event("sku.updated", json!({}))), vec![(PRODUCT, "UPDATE")]);
        assert_eq!(topics(&event("stock.changed", json!({}))), vec![(PRODUCT, "UPDATE_LIVE_STOCK")]);
        assert!(topics(&event("balance.topped_up", json!({}))).is_empty());
        for k in KINDS {
            assert!(BirdRenderer.matches(&event(k, json!({}))));
        }
    }

    #[test]
    fn subscriptions_are_checked() {
        assert_eq!(topic("consignment", "get_delivery_reference").unwrap().1, "GET_DELIVERY_REFERENCE");
        assert!(topic("PRODUCT", "GET_DELIVERY_REFERENCE").unwrap_err().message.contains("CREATE, UPDATE"));
        assert!(topic("CLIENT_DISPATCH", "CREATE").is_err());
    }
}
