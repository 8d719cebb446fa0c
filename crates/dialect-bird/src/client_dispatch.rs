//! Client dispatches (Bird 客户发货单, spec §7) = core inbound orders: the upload of first-leg
//! shipments into a warehouse, the dispatches with their status, and per container and product
//! what the warehouse counted (`quantity_check`) and put away (`quantity_stock`).
//!
//! Bird ERPs hold integer ids, so a dispatch's `id` is the 13 digits of its OC inbound number
//! (`OCI` + 13 digits), and container and container-product ids are derived from it. What the
//! core does not interpret (type, origin, freight plan, final address, the containers) is kept
//! verbatim in the inbound's details and shown back.

use std::collections::HashMap;

use axum::{extract::State, response::Response, routing::get, routing::post, Router};
use entrepot_app::{App, InboundView, NewInbound};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId},
    inbound::{InboundStatus, ShippingMode},
    sku::Sku,
    CoreError,
};
use entrepot_wire::{as_i64_lenient, as_string_lenient, get_ci};
use serde_json::{json, Map, Value};

use crate::{
    envelope::{data, list, BirdError},
    format,
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// The dispatch types BirdSystem documents (W-2209513584 and the upload page).
const TYPES: [&str; 5] = ["NORMAL", "DIRECT", "CLIENT_TRANSFER", "WAREHOUSE_TRANSFER", "SPONTANEOUS"];

/// Container-product entries one dispatch may hold (their ids are `dispatch id × 10000 + n`).
const MAX_ENTRIES: usize = 9_999;

/// This module's routes.
pub fn routes() -> Router<BirdState> {
    Router::new()
        .route("/client/client-dispatch-upload/client-dispatch-json", post(upload).get(upload))
        .route("/client/client-dispatch", get(list_dispatches))
        .route("/client/client-dispatch-container-product", get(container_products))
}

/// Bird's status code of an inbound. BirdSystem's codes were not found (spec §7 gives its
/// client-side workflow in Chinese only), so these are named like its consignment statuses:
///
/// | core | Bird | meaning |
/// |---|---|---|
/// | Draft | `PREPARING` | 客户准备中, being prepared by the client |
/// | AwaitingAppointment, AwaitingTracking | `SUBMITTED` | 客户已发货待审核, sent by the client; waits for a delivery appointment (or, express, tracking numbers) |
/// | InTransit | `IN_TRANSIT` | booked and on its way |
/// | Arrived | `ARRIVED` | at the warehouse dock |
/// | Receiving | `RECEIVING` | being counted (`quantity_check` grows) |
/// | PartiallyPutAway | `PUTTING_AWAY` | partly on the shelves (`quantity_stock` grows) |
/// | PutAway | `FINISHED` | everything received is sellable |
/// | Cancelled | `DELETED` | 已删除, withdrawn before arrival |
pub fn bird_status(s: InboundStatus) -> &'static str {
    match s {
        InboundStatus::Draft => "PREPARING",
        InboundStatus::AwaitingAppointment | InboundStatus::AwaitingTracking => "SUBMITTED",
        InboundStatus::InTransit => "IN_TRANSIT",
        InboundStatus::Arrived => "ARRIVED",
        InboundStatus::Receiving => "RECEIVING",
        InboundStatus::PartiallyPutAway => "PUTTING_AWAY",
        InboundStatus::PutAway => "FINISHED",
        InboundStatus::Cancelled => "DELETED",
    }
}

/// The integer id Bird ERPs see for an inbound number (`OCI3000000000001` → 3000000000001).
pub fn dispatch_id(number: &str) -> Option<i64> {
    number.strip_prefix("OCI").and_then(|d| d.parse().ok())
}

/// The inbound number of a Bird dispatch id (also accepts the number itself).
fn number_of(id: &str) -> Result<String, BirdError> {
    let id = id.trim();
    if dispatch_id(id).is_some() {
        return Ok(id.to_owned());
    }
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(|n| format!("OCI{n:013}"))
        .ok_or_else(|| BirdError::bad(format!("Invalid client dispatch id '{id}'")))
}

/// `final_freight_method`: SEA, AIR, EXPRESS, TRUCK (and the Chinese names ERPs show).
fn freight_method(s: &str) -> Result<ShippingMode, String> {
    match s.trim() {
        "海运" => return Ok(ShippingMode::Sea),
        "空运" => return Ok(ShippingMode::Air),
        "快递" => return Ok(ShippingMode::Express),
        "卡车" | "陆运" | "卡航" => return Ok(ShippingMode::Truck),
        _ => {}
    }
    s.parse().map_err(|_| format!("final_freight_method: unknown freight method '{s}' (SEA, AIR, EXPRESS or TRUCK)"))
}

fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    get_ci(m, key).and_then(as_string_lenient).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// One container-product entry of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    container: String,
    product: i64,
    quantity: i64,
}

/// The entries of `client_dispatch_container_product_list`, in order.
fn entries(m: &Map<String, Value>) -> Result<Vec<Entry>, String> {
    let list = match get_ci(m, "client_dispatch_container_product_list") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => return Err("client_dispatch_container_product_list is required".into()),
    };
    if list.len() > MAX_ENTRIES {
        return Err(format!("client_dispatch_container_product_list has more than {MAX_ENTRIES} entries"));
    }
    list.iter()
        .enumerate()
        .map(|(k, e)| {
            let at = |m: &str| format!("client_dispatch_container_product_list[{k}].{m}");
            let e = e
                .as_object()
                .ok_or_else(|| format!("client_dispatch_container_product_list[{k}] must be an object"))?;
            let product =
                get_ci(e, "product_id").and_then(as_i64_lenient).ok_or_else(|| at("product_id is required"))?;
            let quantity = get_ci(e, "quantity").and_then(as_i64_lenient).ok_or_else(|| at("quantity is required"))?;
            if quantity <= 0 {
                return Err(at("quantity must be positive"));
            }
            entrepot_core::limits::quantity("quantity", quantity).map_err(|e| at(&e.to_string()))?;
            let container = text(e, "client_dispatch_container_reference").unwrap_or_default();
            Ok(Entry { container, product, quantity })
        })
        .collect()
}

/// Reads one upload element into an inbound (its reference may still be empty); the destination
/// must be one of the client's sites.
async fn read_element(
    app: &App,
    client: &ClientId,
    site: Option<&Warehouse>,
    m: &Map<String, Value>,
) -> Result<NewInbound, String> {
    if let Some(t) = text(m, "type") {
        if !TYPES.iter().any(|k| k.eq_ignore_ascii_case(&t)) {
            return Err(format!("type: unknown client dispatch type '{t}' ({})", TYPES.join(", ")));
        }
    }
    let warehouse = match text(m, "warehouse_id_destination") {
        Some(w) => match w.parse::<i64>() {
            Ok(id) => app.warehouse_for_client_by_numeric_id(client, id).await,
            Err(_) => app.warehouse_for_client_by_code(client, &w).await,
        }
        .map_err(|_| format!("warehouse_id_destination: unknown warehouse '{w}'"))?,
        None => site.cloned().ok_or("warehouse_id_destination is required")?,
    };
    let mode = freight_method(&text(m, "final_freight_method").ok_or("final_freight_method is required")?)?;
    let mut lines: Vec<(SkuId, i64)> = vec![];
    for e in entries(m)? {
        match lines.iter_mut().find(|l| l.0 .0 == e.product) {
            Some(l) => {
                l.1 =
                    l.1.checked_add(e.quantity)
                        .ok_or("client_dispatch_container_product_list: quantity is too large")?
            }
            None => lines.push((SkuId(e.product), e.quantity)),
        }
    }
    Ok(NewInbound {
        warehouse_id: warehouse.id,
        reference: text(m, "reference").unwrap_or_default(),
        mode,
        lines,
        details: Value::Object(m.clone()),
    })
}

/// `POST /client/Client-Dispatch-Upload/Client-Dispatch-Json` (GET with a body too, as Bird's
/// framework allows): a JSON array of dispatches. Every element is checked (warehouse, freight
/// method, products, references free) before any is created, so a refusal names its row and
/// creates nothing. (The store creates inbounds one by one, so only a concurrent upload taking a
/// reference in between could leave the earlier elements of a batch created.)
pub async fn upload(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let elements =
        req.rows.clone().ok_or_else(|| BirdError::bad("The body must be a JSON array of client dispatches"))?;
    if elements.is_empty() {
        return Err(BirdError::bad("The body must be a JSON array of client dispatches"));
    }
    let single = elements.len() == 1;
    let row_err = |line: usize, m: String| BirdError::bad(if single { m } else { format!("Row {line}: {m}") });
    let mut batch = Vec::with_capacity(elements.len());
    for (k, e) in elements.iter().enumerate() {
        let mut m = e.as_object().ok_or_else(|| row_err(k + 1, "must be a JSON object".into()))?.clone();
        m.retain(|key, _| !key.starts_with('#'));
        batch.push(read_element(&state.app, &req.client, req.site.as_ref(), &m).await.map_err(|e| row_err(k + 1, e))?);
    }
    let mut ids: Vec<SkuId> = batch.iter().flat_map(|n| n.lines.iter().map(|l| l.0)).collect();
    ids.sort_unstable();
    ids.dedup();
    let skus = state.app.skus_by_ids(&req.client, &ids).await?;
    let mut refs: Vec<String> = vec![];
    for (k, n) in batch.iter().enumerate() {
        for (id, _) in &n.lines {
            let sku = skus
                .iter()
                .find(|s| s.id == *id)
                .ok_or_else(|| row_err(k + 1, format!("Product with id {id} does not belong to you.")))?;
            sku.ensure_usable().map_err(|e| row_err(k + 1, crate::envelope::message(&e)))?;
        }
        if !n.reference.is_empty() {
            if refs.contains(&n.reference) {
                return Err(row_err(k + 1, format!("Duplicate client dispatch reference [{}]", n.reference)));
            }
            refs.push(n.reference.clone());
        }
    }
    let taken = state.app.inbound_references_taken(&req.client, &refs).await?;
    if let Some((k, n)) = batch.iter().enumerate().find(|(_, n)| taken.contains(&n.reference)) {
        return Err(row_err(k + 1, format!("Duplicate client dispatch reference [{}]", n.reference)));
    }
    for n in batch.iter_mut().filter(|n| n.reference.is_empty()) {
        n.reference = state.app.generated_inbound_reference("CD-").await?;
    }
    // One transaction: a row refused here (a reference a concurrent upload took since the check
    // above) leaves none of the upload behind.
    let created = state.app.create_inbounds(&req.client, batch).await.map_err(|e| match e {
        CoreError::InBatch { line, error } => match *error {
            CoreError::Duplicate { key, .. } => row_err(line, format!("Duplicate client dispatch reference [{key}]")),
            c => row_err(line, crate::envelope::message(&c)),
        },
        other => other.into(),
    })?;
    let warehouses = state.app.warehouses().await?;
    Ok(data(Value::Array(created.iter().map(|v| dispatch_row(v, &warehouses)).collect())))
}

/// Bird's client-dispatch row: the fields the client sent, then the dispatch's own.
fn dispatch_row(v: &InboundView, warehouses: &[Warehouse]) -> Value {
    let mut row = match &v.details {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    row.remove("client_dispatch_container_product_list");
    let site = warehouses.iter().find(|w| w.id == v.warehouse_id);
    let sum = |f: fn(&entrepot_core::inbound::InboundLine) -> i64| v.inbound.lines.iter().map(f).sum::<i64>();
    let own = json!({
        "id": dispatch_id(&v.inbound.number).unwrap_or_default().to_string(),
        "client_id": v.client_id,
        "reference": v.reference,
        "type": text(&row, "type").map(|t| t.to_ascii_uppercase()).unwrap_or_else(|| "NORMAL".into()),
        "status": bird_status(v.inbound.status),
        "warehouse_id_destination": site.and_then(|w| w.bird_company_id).map(|i| i.to_string()),
        "warehouse_code_destination": site.map(|w| w.code.clone()),
        "final_freight_method": v.inbound.mode.as_str(),
        "inbound_number": v.inbound.number,
        "total_quantity": sum(|l| l.expected).to_string(),
        "total_quantity_check": sum(|l| l.received).to_string(),
        "total_quantity_stock": sum(|l| l.put_away).to_string(),
        "create_time": format::time(v.created_at_ms),
        "update_time": format::time(v.updated_at_ms),
        "primary_keys": ["id"],
    });
    if let Value::Object(own) = own {
        row.extend(own);
    }
    Value::Object(row)
}

/// `GET /client/Client-Dispatch` (`?id=`, `_`-joined ids, list language).
pub async fn list_dispatches(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let numbers = match req.text("id") {
        Some(ids) => ids.split('_').filter(|s| !s.trim().is_empty()).map(number_of).collect::<Result<Vec<_>, _>>()?,
        None => vec![],
    };
    let q = ListQuery::parse(&req.params, &["status", "type", "reference", "warehouse_id_destination"])?;
    let warehouses = state.app.warehouses().await?;
    if q.is_plain() {
        let limit = q.limit.map(|l| l as i64).unwrap_or(0);
        let (views, total) = state.app.list_inbounds(&req.client, &numbers, q.start as i64, limit).await?;
        let rows = views.iter().map(|v| dispatch_row(v, &warehouses)).collect();
        let (_, page) = q.apply_without_paging(rows, &["id"]);
        return Ok(list(total as usize, page));
    }
    let (views, _) = state.app.list_inbounds(&req.client, &numbers, 0, 0).await?;
    let (total, page) = q.apply(views.iter().map(|v| dispatch_row(v, &warehouses)).collect(), &["id"]);
    Ok(list(total, page))
}

/// Splits what a line received (or put away) over its entries in upload order; the last entry of
/// a product takes any excess, since the warehouse counts per product, not per container.
fn distribute(entries: &[Entry], product: i64, mut done: i64) -> Vec<i64> {
    let positions: Vec<usize> =
        entries.iter().enumerate().filter(|(_, e)| e.product == product).map(|(k, _)| k).collect();
    let mut out = vec![0; entries.len()];
    for (n, k) in positions.iter().enumerate() {
        let share = if n + 1 == positions.len() { done } else { done.min(entries[*k].quantity) };
        out[*k] = share.max(0);
        done -= share;
    }
    out
}

/// The container-product rows of one dispatch.
fn container_rows(v: &InboundView, skus: &[Sku], warehouses: &[Warehouse]) -> Vec<Value> {
    let id = dispatch_id(&v.inbound.number).unwrap_or_default();
    let details = v.details.as_object().cloned().unwrap_or_default();
    let Ok(list) = entries(&details) else { return vec![] };
    let raw = get_ci(&details, "client_dispatch_container_product_list")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut checked: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut stocked: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in &v.inbound.lines {
        checked.insert(l.sku_id.0, distribute(&list, l.sku_id.0, l.received));
        stocked.insert(l.sku_id.0, distribute(&list, l.sku_id.0, l.put_away));
    }
    let mut containers: Vec<&str> = vec![];
    let site = warehouses.iter().find(|w| w.id == v.warehouse_id);
    list.iter()
        .enumerate()
        .map(|(k, e)| {
            let c = match containers.iter().position(|c| *c == e.container) {
                Some(c) => c,
                None => {
                    containers.push(&e.container);
                    containers.len() - 1
                }
            };
            let entry = raw.get(k).and_then(Value::as_object);
            let field = |key: &str| entry.and_then(|m| text(m, key));
            let sku = skus.iter().find(|s| s.id.0 == e.product);
            json!({
                "id": (id * 10_000 + k as i64 + 1).to_string(),
                "client_dispatch_id": id.to_string(),
                "client_dispatch_container_id": (id * 10_000 + c as i64 + 1).to_string(),
                "client_dispatch_container_reference": e.container,
                "client_dispatch_container_type_code": field("client_dispatch_container_type_code"),
                "client_dispatch_container_weight": field("client_dispatch_container_weight"),
                "product_id": e.product.to_string(),
                "quantity": e.quantity.to_string(),
                "quantity_check": checked.get(&e.product).map_or(0, |q| q[k]).to_string(),
                "quantity_stock": stocked.get(&e.product).map_or(0, |q| q[k]).to_string(),
                "product_name": sku.map(|s| s.name_cn.clone().unwrap_or_else(|| s.name_en.clone())),
                "product_name_customs": sku.map(|s| s.name_en.clone()),
                "product_client_ref": sku.map(|s| s.seller_sku.clone()),
                "product-client_ref": sku.map(|s| s.seller_sku.clone()),
                "product_price_customs_export": sku.map(|s| format::money(s.declared_value)),
                "warehouse_id_destination": site.and_then(|w| w.bird_company_id).map(|i| i.to_string()),
                "warehouse_id_origination": field("warehouse_id_origination").or_else(|| text(&details, "warehouse_id_origination")),
                "primary_keys": ["id"],
            })
        })
        .collect()
}

/// `GET /client/Client-Dispatch-Container-Product?client_dispatch_id=` (list language; without
/// the id, every dispatch of the client).
pub async fn container_products(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let numbers = match req.text("client_dispatch_id") {
        Some(id) => vec![number_of(&id)?],
        None => vec![],
    };
    let (views, _) = state.app.list_inbounds(&req.client, &numbers, 0, 0).await?;
    if let (Some(n), true) = (numbers.first(), views.is_empty()) {
        let id = dispatch_id(n).unwrap_or_default();
        return Err(BirdError::bad(format!("Client dispatch {id} does not exist or does not belong to you.")));
    }
    let mut ids: Vec<SkuId> = views.iter().flat_map(|v| v.inbound.lines.iter().map(|l| l.sku_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    let skus = state.app.skus_by_ids(&req.client, &ids).await?;
    let warehouses = state.app.warehouses().await?;
    let rows = views.iter().flat_map(|v| container_rows(v, &skus, &warehouses)).collect();
    let q = ListQuery::parse(&req.params, &["id", "product_id", "client_dispatch_container_id"])?;
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_the_inbound_number() {
        assert_eq!(dispatch_id("OCI3000000000001"), Some(3_000_000_000_001));
        assert_eq!(number_of("3000000000001").unwrap(), "OCI3000000000001");
        assert_eq!(number_of("OCI3000000000001").unwrap(), "OCI3000000000001");
        assert!(number_of("abc").is_err());
        assert!(number_of("-1").is_err());
    }

    #[test]
    fn freight_methods() {
        assert_eq!(freight_method("sea").unwrap(), ShippingMode::Sea);
        assert_eq!(freight_method("AIR").unwrap(), ShippingMode::Air);
        assert_eq!(freight_method("快递").unwrap(), ShippingMode::Express);
        assert_eq!(freight_method("TRUCK").unwrap(), ShippingMode::Truck);
        assert!(freight_method("CAMEL").unwrap_err().contains("final_freight_method"));
    }

    #[test]
    fn counts_are_spread_over_a_products_entries() {
        let e = |c: &str, product, quantity| Entry { container: c.into(), product, quantity };
        let list = vec![e("C1", 1, 10), e("C2", 2, 4), e("C2", 1, 5)];
        assert_eq!(distribute(&list, 1, 12), vec![10, 0, 2]);
        assert_eq!(distribute(&list, 1, 17), vec![10, 0, 7], "excess goes to the last entry");
        assert_eq!(distribute(&list, 2, 3), vec![0, 3, 0]);
        assert_eq!(distribute(&list, 1, 0), vec![0, 0, 0]);
    }

    #[test]
    fn entries_are_checked() {
        let m = json!({"client_dispatch_container_product_list": [
            {"client_dispatch_container_reference": "C1", "product_id": "7", "quantity": "3"},
            {"product_id": 8, "quantity": 0}]});
        let err = entries(m.as_object().unwrap()).unwrap_err();
        assert_eq!(err, "client_dispatch_container_product_list[1].quantity must be positive");
        assert!(entries(json!({}).as_object().unwrap()).is_err());
        let ok = json!({"client_dispatch_container_product_list": [{"product_id": "7", "quantity": "3"}]});
        assert_eq!(
            entries(ok.as_object().unwrap()).unwrap(),
            vec![Entry { container: String::new(), product: 7, quantity: 3 }]
        );
    }

    #[test]
    fn every_status_has_a_bird_code() {
        for s in InboundStatus::ALL {
            assert!(!bird_status(s).is_empty());
        }
        assert_eq!(bird_status(InboundStatus::AwaitingAppointment), "SUBMITTED");
    }
}
