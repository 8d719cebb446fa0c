//! Method B of the seed: bulk ("temp") consignments. Rows are uploaded as they are
//! (`Consignment-Upload/Temp-Consignment-Json`, or one by one as a form), then
//! `Convert-Into-Consignment` starts a background task that turns each row into a PENDING
//! consignment; `Gearman-background-tasks/Get-Detail` reports its progress, the consignment ids
//! and the rows that failed.
//!
//! Conversion is exactly-once per row even across crashes: the order a row becomes carries the
//! reference `temp-<id>`, unique per client, so re-running a row after a crash finds its order
//! instead of creating a second one.
//!
//! Shapes in [`types`] (the rows themselves stay free-form: they are kept as uploaded), the
//! answers from the app's records in [`transformers`].

pub mod transformers;
pub mod types;

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use entrepot_app::{
    temp_order_reference, AgentDirectOrder, App, OrderBatch, PlacedOrders, Placement, Task, TempConsignment, Tenant,
};
use entrepot_core::{ids::ClientId, outbound::OrderKind, sale::LineSale};
use entrepot_ops::{TaskContext, TaskHandler};
use serde::Deserialize;
use serde_json::{Map, Value};

use self::types::{
    ById, ConvertBody, ConvertParams, ConvertQuery, TaskDetailBody, TaskQuery, TempFields, TempRow, UploadBody,
    UploadedRow,
};
use crate::{
    consignment::{resolve_service, ConsignmentFields},
    envelope::{data, list, values, BirdError},
    fields::read_map,
    listing::ListQuery,
    product_ref::{self, ProductRef},
    request::BirdRequest,
    BirdState,
};

/// The task kind of a conversion.
pub const CONVERT_TASK: &str = "bird.convert_temp";

/// This module's routes.
pub fn routes() -> Router<BirdState> {
    Router::new()
        .route("/client/consignment-upload/temp-consignment-json", post(upload))
        .route("/client/temp-consignment-info", post(upload_one).get(list_temp))
        .route("/client/temp-consignment-info/convert-into-consignment", get(convert).post(convert))
        .route("/client/gearman-background-tasks/get-detail", get(task_detail))
}

/// The `sku*qty` part of each item: the temp form may append `||ebayTxn||ebayItem||price`.
fn simple_part(reference: &str) -> String {
    reference.split('+').map(|item| item.split("||").next().unwrap_or("")).collect::<Vec<_>>().join("+")
}

/// The per-line sales of a simple-form reference, each read and bounded; a refusal names the
/// item (`product_company_ref: item 2: sales_price: ...`).
fn simple_line_sales(reference: &str) -> Result<Vec<(String, LineSale)>, BirdError> {
    let sales =
        product_ref::simple_sales(reference).map_err(|e| BirdError::bad(format!("product_company_ref: {e}")))?;
    sales
        .into_iter()
        .map(|s| {
            let prefix = format!("product_company_ref: item {}: ", s.item);
            let sale = crate::sale::line_sale(
                &prefix,
                s.sales_price.as_deref(),
                s.ebay_transaction_id.as_deref(),
                s.ebay_item_no.as_deref(),
            )?;
            Ok((s.raw, sale))
        })
        .collect()
}

const REQUIRED: &str = "contact, post_code, city, country_name, product sku, quantity, address_line1";

/// A row's consignment fields and its own.
fn read_row(m: &Map<String, Value>) -> Result<(ConsignmentFields, TempFields), String> {
    let c = read_map(m).map_err(|e| e.message)?;
    let t = read_map(m).map_err(|e| e.message)?;
    Ok((c, t))
}

/// Checks a row has what the seed requires, naming what is missing.
fn check_row(m: &Map<String, Value>) -> Result<(), String> {
    let (c, t) = read_row(m)?;
    let line1 = c.address_line1.get().or(c.address_line_1.get());
    let country = c.country_name.get().or(c.country_iso.get());
    let mut missing: Vec<&str> = [("contact", &c.contact), ("post_code", &c.post_code), ("city", &c.city)]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k)
        .collect();
    if country.is_none() {
        missing.push("country_name");
    }
    match t.product_company_ref.get() {
        None => missing.push("product sku"),
        Some(r) => {
            let qty = t.quantity.lenient().unwrap_or(1);
            entrepot_core::limits::quantity("quantity", qty).map_err(|e| e.to_string())?;
            if product_ref::is_extended(r) && kind_of(&c) == OrderKind::AgentDirect {
                product_ref::parse_extended(r).map_err(|e| format!("product_company_ref: {e}"))?;
            } else {
                product_ref::parse_simple(&simple_part(r), qty).map_err(|e| format!("product_company_ref: {e}"))?;
                simple_line_sales(r).map_err(|e| e.message)?;
            }
        }
    }
    crate::sale::price("sales_price", c.sales_price.get()).map_err(|e| e.to_string())?;
    if line1.is_none() {
        missing.push("address_line1");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("Bulk Order with required the following fields:{REQUIRED}. Missing: {}.", missing.join(", ")))
    }
}

/// A row's kind as stored: its `type`, LOCAL when absent or unknown (conversion says which).
fn kind_of(c: &ConsignmentFields) -> OrderKind {
    c.kind.get().and_then(|t| t.parse().ok()).unwrap_or_default()
}

async fn store_rows(
    state: &BirdState,
    req: &BirdRequest,
    rows: Vec<Map<String, Value>>,
) -> Result<Vec<(Option<String>, i64)>, BirdError> {
    let site = req.site()?;
    let mut problems = String::new();
    let mut kinds = Vec::with_capacity(rows.len());
    for (k, m) in rows.iter().enumerate() {
        if let Err(e) = check_row(m) {
            problems.push_str(&format!("  Row: {} : {e}<br>", k + 1));
        }
        kinds.push(read_row(m).map(|(c, _)| (kind_of(&c), c.thirty_system_id.take())).unwrap_or_default());
    }
    if !problems.is_empty() {
        return Err(BirdError::bad(format!("Accounted the following exceptions:<br>{problems}")));
    }
    let thirty: Vec<Option<String>> = kinds.iter().map(|(_, t)| t.clone()).collect();
    let input = rows.into_iter().zip(kinds).map(|(m, (kind, thirty))| (kind, thirty, Value::Object(m))).collect();
    let ids = state.app.create_temp_consignments(&req.client, &site.id, input).await?;
    Ok(thirty.into_iter().zip(ids).collect())
}

/// `POST /client/Consignment-Upload/Temp-Consignment-Json`: a JSON array of rows, imported all
/// or none.
async fn upload(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let rows = req.rows.clone().ok_or_else(|| BirdError::bad("The body must be a JSON array of bulk orders"))?;
    let maps = rows
        .into_iter()
        .enumerate()
        .map(|(k, r)| match r {
            Value::Object(mut m) => {
                m.retain(|key, _| !key.starts_with('#'));
                Ok(m)
            }
            _ => Err(BirdError::bad(format!(
                "Accounted the following exceptions:<br>  Row: {} : must be a JSON object<br>",
                k + 1
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let n = maps.len();
    let stored = store_rows(&state, &req, maps).await?;
    Ok(Json(UploadBody::new(n, &stored)).into_response())
}

/// `POST /client/Temp-Consignment-Info`: one row as form fields.
async fn upload_one(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let mut m = req.params.clone();
    for k in ["api_key", "company_id"] {
        m.remove(k);
    }
    let stored = store_rows(&state, &req, vec![m.clone()]).await?;
    let id = stored.first().map(|s| s.1).unwrap_or_default();
    Ok(data(UploadedRow::new(m, id)))
}

/// `GET /client/Temp-Consignment-Info`: the client's unconverted and problem rows.
async fn list_temp(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let by: ById = req.fields()?;
    let ids = parse_ids(by.id.get().unwrap_or(""))?;
    let rows = state.app.temp_consignments(&req.client, &ids, None, req.site.as_ref().map(|w| &w.id), true).await?;
    let (total, page) = ListQuery::parse(&req.params, &["type", "thirty_system_id", "sales_reference"])?
        .apply(values(rows.iter().map(TempRow::from)), &["id"]);
    Ok(list(total, page))
}

fn parse_ids(s: &str) -> Result<Vec<i64>, BirdError> {
    s.split(['_', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().map_err(|_| BirdError::bad(format!("Invalid id '{p}'"))))
        .collect()
}

/// `GET /client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL&ids=1_2`: starts the
/// background conversion and answers at once with its task id.
async fn convert(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let q: ConvertQuery = req.fields()?;
    let kind: OrderKind = q.kind.get().ok_or_else(|| BirdError::bad("type is required"))?.parse()?;
    let ids = parse_ids(q.ids.get().or(q.id.get()).unwrap_or_default())?;
    let include = q.include_problems.get() == Some("1");
    let rows =
        state.app.temp_consignments(&req.client, &ids, Some(kind), req.site.as_ref().map(|w| &w.id), include).await?;
    if let Some(missing) = ids.iter().find(|i| !rows.iter().any(|r| r.id == **i)) {
        return Err(BirdError::bad(format!("Bulk order {missing} does not exist or does not belong to you.")));
    }
    let todo: Vec<i64> =
        rows.iter().filter(|r| r.status != "PROBLEM" || include || !ids.is_empty()).map(|r| r.id).collect();
    let total = todo.len();
    let params = serde_json::to_value(ConvertParams { ids: todo }).map_err(|_| BirdError::internal())?;
    let task = state.app.enqueue_task(Some(&req.client), CONVERT_TASK, params, total as i64).await?;
    Ok(Json(ConvertBody { total, task_id: task.id, success: true, refresh: false }).into_response())
}

/// `GET /client/Gearman-background-tasks/Get-Detail?id=`.
async fn task_detail(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let id = req.fields::<TaskQuery>()?.id.get("id")?.ok_or_else(|| BirdError::bad("id is required"))?;
    let t = state.app.task(Some(&req.client), id).await.map_err(|e| {
        crate::envelope::refused_as(e, || BirdError::bad(format!("Background task {id} does not exist.")))
    })?;
    Ok(Json(TaskDetailBody::from(&t)).into_response())
}

/// Turns one temp row into a PENDING consignment; returns its Bird id.
async fn convert_row(
    app: &App,
    client: &ClientId,
    t: &TempConsignment,
) -> Result<(entrepot_core::ids::OrderId, i64), BirdError> {
    let data = t.data.as_object().cloned().unwrap_or_default();
    let (c, fields): (ConsignmentFields, TempFields) = (read_map(&data)?, read_map(&data)?);
    let site = app.cached_warehouse(&t.warehouse_id).await?;
    let svc = resolve_service(app, client, &c, Some(&site)).await.map_err(|e| {
        if e.is_internal() {
            e
        } else {
            BirdError::bad("Cannot find expected delivery service, please verify the according option.")
        }
    })?;
    let mut new = c.to_outbound(client)?;
    new.reference = temp_order_reference(t.id);
    new.kind = t.kind;
    let reference = fields.product_company_ref.take().unwrap_or_default();
    if t.kind == OrderKind::AgentDirect && product_ref::is_extended(&reference) {
        // Extended form: the products are described inline and created with the order.
        let items =
            product_ref::parse_extended(&reference).map_err(|e| BirdError::bad(format!("product_company_ref: {e}")))?;
        let products = items
            .into_iter()
            .map(crate::pending::extended_product)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| BirdError::bad(format!("product_company_ref: {e}")))?;
        let batch = OrderBatch::AgentDirect(vec![AgentDirectOrder { order: new, service: svc.id, products }]);
        let placed =
            app.place_orders(&Tenant::of(client), batch, Placement::Atomic, true).await.and_then(PlacedOrders::all)?;
        let o = placed.into_iter().next().ok_or_else(|| BirdError::bad("no consignment was created"))?;
        return Ok((o.id, o.bird_id));
    }
    let qty = fields.quantity.lenient().unwrap_or(1);
    let items = product_ref::parse_simple(&simple_part(&reference), qty).map_err(|e| BirdError::bad(e.to_string()))?;
    let sales = simple_line_sales(&reference)?;
    // (the client's reference or another client's shared product id, quantity, as written)
    let mut refs: Vec<(Result<String, i64>, i64, &str)> = vec![];
    // (product id, owner as written)
    let mut owners: Vec<(u64, &str)> = vec![];
    for item in &items {
        let r = match &item.reference {
            ProductRef::Plain(r) => Ok(r.clone()),
            ProductRef::ClientPrefixed { reference, .. } => Ok(reference.clone()),
            // `ClientId#ProductId[#D]`: product ids are unique across clients, so the id names
            // the product; whether it is shared with this client decides.
            ProductRef::Shared { product_id, client_id } | ProductRef::DirectionalShared { product_id, client_id } => {
                owners.push((*product_id, client_id.as_str()));
                Err(i64::try_from(*product_id).unwrap_or(-1))
            }
        };
        refs.push((r, item.quantity, item.raw.as_str()));
    }
    let codes: Vec<String> = refs.iter().filter_map(|r| r.0.clone().ok()).collect();
    let by_sku = app.skus_by_seller_skus(client, &codes).await?;
    let mut known = by_sku.clone();
    for (r, q, raw) in refs {
        let id = match &r {
            Ok(r) => match by_sku.iter().find(|s| s.seller_sku == *r) {
                Some(s) => s.id,
                None => {
                    let id: i64 =
                        r.parse().map_err(|_| BirdError::bad(format!("Cannot find product {r}, please check.")))?;
                    app.sku(client, entrepot_core::ids::SkuId(id))
                        .await
                        .map_err(|e| {
                            crate::envelope::refused_as(e, || {
                                BirdError::bad(format!("Cannot find product {r}, please check."))
                            })
                        })?
                        .id
                }
            },
            Err(id) => {
                let sku = app.orderable_sku(client, entrepot_core::ids::SkuId(*id)).await.map_err(|e| {
                    crate::envelope::refused_as(e, || {
                        BirdError::bad(format!("Shared product {raw} cannot be used by this account."))
                    })
                })?;
                // An owner written as Entrepot's client id must be the product's; Bird's numeric
                // client ids have no counterpart here, so the product id alone decides then.
                let named = owners.iter().find(|(p, _)| i64::try_from(*p).ok() == Some(*id)).map(|(_, c)| *c);
                if named.is_some_and(|c| !c.bytes().all(|b| b.is_ascii_digit()) && c != sku.client_id.0) {
                    return Err(BirdError::bad(format!("Shared product {raw} cannot be used by this account.")));
                }
                let id = sku.id;
                known.push(sku);
                id
            }
        };
        new.lines.push((id, q));
        // Bird sums a product named twice (spec §2.3); a line is one per SKU here, so where two
        // mentions give different sales, the first mention's are kept.
        for (_, sale) in sales.iter().filter(|(s, _)| s == raw) {
            let kept = new.line_sales.entry(id).or_default();
            kept.sales_price = kept.sales_price.take().or_else(|| sale.sales_price.clone());
            kept.ebay_transaction_id = kept.ebay_transaction_id.take().or_else(|| sale.ebay_transaction_id.clone());
            kept.ebay_item_no = kept.ebay_item_no.take().or_else(|| sale.ebay_item_no.clone());
        }
    }
    let batch = OrderBatch::Stock { orders: vec![(new, svc.id)], known_skus: known };
    let o = app
        .place_orders(&Tenant::of(client), batch, Placement::EachOnItsOwn, true)
        .await
        .and_then(PlacedOrders::one)?;
    Ok((o.id, o.bird_id))
}

/// Rows converted between two progress records (also the rows read at a time)...
const PROGRESS_EVERY_ROWS: usize = 25;
/// ...or the time between two, whichever comes first; well inside any task lease.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Records the outcome so far and renews the lease; an error if another worker took the task.
async fn record(
    ctx: &TaskContext,
    task: &Task,
    done: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
) -> Result<(), String> {
    if ctx.progress(task.id, done, errors).await.map_err(|e| e.to_string())? {
        Ok(())
    } else {
        Err("the task was taken over by another worker".into())
    }
}

/// The background conversion.
pub struct ConvertTemp;

#[async_trait]
impl TaskHandler for ConvertTemp {
    fn kind(&self) -> &'static str {
        CONVERT_TASK
    }

    async fn run(&self, ctx: &TaskContext, task: &Task) -> Result<(), String> {
        let client = task.client_id.clone().ok_or("a conversion task needs a client")?;
        let ids = ConvertParams::deserialize(&task.params).map(|p| p.ids).unwrap_or_default();
        let (mut done, mut errors) = (task.data.clone(), task.errors.clone());
        // Progress (the whole outcome so far, and a lease renewal) is recorded every few rows, not
        // after each: rewriting a growing report per row made a long conversion quadratic. A
        // restart loses nothing by it: each row's state is on the row, and its order is found by
        // its reference.
        let mut unrecorded = 0;
        let mut recorded_at = Instant::now();
        for chunk in ids.chunks(PROGRESS_EVERY_ROWS) {
            let rows = ctx.app.temp_consignments(&client, chunk, None, None, true).await.map_err(|e| e.to_string())?;
            for t in rows {
                let key = t.id.to_string();
                if let Some(bird) = t.bird_id.filter(|_| t.status == "CONVERTED") {
                    errors.remove(&key);
                    done.insert(key, bird.to_string());
                    continue;
                }
                match convert_row(&ctx.app, &client, &t).await {
                    Ok((order, bird)) => {
                        ctx.app.mark_temp_converted(&client, t.id, &order, bird).await.map_err(|e| e.to_string())?;
                        errors.remove(&key);
                        done.insert(key, bird.to_string());
                    }
                    Err(e) => {
                        // A crash between placing the order and marking the row leaves the order:
                        // find it by its reference instead of reporting a duplicate.
                        if let Ok(o) = ctx.app.find_order(&client, &temp_order_reference(t.id)).await {
                            ctx.app
                                .mark_temp_converted(&client, t.id, &o.id, o.bird_id)
                                .await
                                .map_err(|e| e.to_string())?;
                            errors.remove(&key);
                            done.insert(key, o.bird_id.to_string());
                        } else {
                            ctx.app.mark_temp_problem(&client, t.id, &e.message).await.map_err(|e| e.to_string())?;
                            errors.insert(key, e.message);
                        }
                    }
                }
                unrecorded += 1;
                if unrecorded >= PROGRESS_EVERY_ROWS || recorded_at.elapsed() >= PROGRESS_EVERY {
                    record(ctx, task, &done, &errors).await?;
                    (unrecorded, recorded_at) = (0, Instant::now());
                }
            }
        }
        if unrecorded > 0 {
            record(ctx, task, &done, &errors).await?;
        }
        Ok(())
    }
}

/// The task handlers this dialect contributes to the server's worker.
pub fn handlers() -> Vec<Arc<dyn TaskHandler>> {
    vec![Arc::new(ConvertTemp)]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn required_fields_are_named() {
        let m = json!({"contact": "A", "city": "L", "country_name": "Germany", "product_company_ref": "SKU*2"});
        let e = check_row(m.as_object().unwrap()).unwrap_err();
        assert!(e.starts_with("Bulk Order with required the following fields:contact, post_code"), "{e}");
        assert!(e.ends_with("Missing: post_code, address_line1."), "{e}");
        let ok = json!({"contact": "A", "city": "L", "country_name": "Germany", "post_code": "1", "address_line1": "x",
                        "product_company_ref": "1-1996129*1||ebayid||ebatproduct||18+1996125*1||ebayid2||ebatproduct2||20"});
        check_row(ok.as_object().unwrap()).unwrap();
        assert_eq!(simple_part("1-1996129*1||ebayid||x||18+1996125*1||e||p||20"), "1-1996129*1+1996125*1");
    }
}
