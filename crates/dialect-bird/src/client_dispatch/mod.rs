//! Client dispatches (Bird 客户发货单, spec §7) = core inbound orders: the upload of first-leg
//! shipments into a warehouse, the dispatches with their status, and per container and product
//! what the warehouse counted (`quantity_check`) and put away (`quantity_stock`).
//!
//! Bird ERPs hold integer ids, so a dispatch's `id` is the 13 digits of its OC inbound number
//! (`OCI` + 13 digits), and container and container-product ids are derived from it. What the
//! core does not interpret (type, origin, freight plan, final address, the containers) is kept
//! verbatim in the inbound's details and shown back.
//!
//! Shapes and status names in [`types`], ids, entries and rows in [`transformers`].

pub mod transformers;
pub mod types;

use axum::{extract::State, response::Response, routing::get, routing::post, Router};
use entrepot_app::{App, NewInbound};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId},
    CoreError,
};
use serde_json::{Map, Value};

pub use self::{transformers::dispatch_id, types::bird_status};
use self::{
    transformers::{container_rows, entries_of, number_of},
    types::{freight_method, DispatchFields, DispatchRow, DispatchSearch, TYPES},
};
use crate::{
    envelope::{data, list, values, BirdError},
    fields::read_map,
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// This module's routes.
pub fn routes() -> Router<BirdState> {
    Router::new()
        .route("/client/client-dispatch-upload/client-dispatch-json", post(upload).get(upload))
        .route("/client/client-dispatch", get(list_dispatches))
        .route("/client/client-dispatch-container-product", get(container_products))
}

/// Reads one upload element into an inbound (its reference may still be empty); the destination
/// must be one of the client's sites.
async fn read_element(
    app: &App,
    client: &ClientId,
    site: Option<&Warehouse>,
    m: &Map<String, Value>,
) -> Result<NewInbound, String> {
    let f: DispatchFields = read_map(m).map_err(|e| e.message)?;
    if let Some(t) = f.kind.get() {
        if !TYPES.iter().any(|k| k.eq_ignore_ascii_case(t)) {
            return Err(format!("type: unknown client dispatch type '{t}' ({})", TYPES.join(", ")));
        }
    }
    let warehouse = match f.warehouse_id_destination.get() {
        Some(w) => match w.parse::<i64>() {
            Ok(id) => app.warehouse_for_client_by_numeric_id(client, id).await,
            Err(_) => app.warehouse_for_client_by_code(client, w).await,
        }
        .map_err(|_| format!("warehouse_id_destination: unknown warehouse '{w}'"))?,
        None => site.cloned().ok_or("warehouse_id_destination is required")?,
    };
    let mode = freight_method(f.final_freight_method.get().ok_or("final_freight_method is required")?)?;
    let mut lines: Vec<(SkuId, i64)> = vec![];
    for e in entries_of(&f.client_dispatch_container_product_list)? {
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
        reference: f.reference.take().unwrap_or_default(),
        mode,
        lines,
        need_clearance_doc: false,
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
    Ok(data(created.iter().map(|v| DispatchRow::new(v, &warehouses)).collect::<Vec<_>>()))
}

/// `GET /client/Client-Dispatch` (`?id=`, `_`-joined ids, list language).
pub async fn list_dispatches(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let search: DispatchSearch = req.fields()?;
    let numbers = match search.id.get() {
        Some(ids) => ids.split('_').filter(|s| !s.trim().is_empty()).map(number_of).collect::<Result<Vec<_>, _>>()?,
        None => vec![],
    };
    let q = ListQuery::parse(&req.params, &["status", "type", "reference", "warehouse_id_destination"])?;
    let warehouses = state.app.warehouses().await?;
    if q.is_plain() {
        let limit = q.limit.map(|l| l as i64).unwrap_or(0);
        let (views, total) = state.app.list_inbounds(&req.client, &numbers, q.start as i64, limit).await?;
        let rows = values(views.iter().map(|v| DispatchRow::new(v, &warehouses)));
        let (_, page) = q.apply_without_paging(rows, &["id"]);
        return Ok(list(total as usize, page));
    }
    let (views, _) = state.app.list_inbounds(&req.client, &numbers, 0, 0).await?;
    let (total, page) = q.apply(values(views.iter().map(|v| DispatchRow::new(v, &warehouses))), &["id"]);
    Ok(list(total, page))
}

/// `GET /client/Client-Dispatch-Container-Product?client_dispatch_id=` (list language; without
/// the id, every dispatch of the client).
pub async fn container_products(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let search: DispatchSearch = req.fields()?;
    let numbers = match search.client_dispatch_id.get() {
        Some(id) => vec![number_of(id)?],
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
    let rows = values(views.iter().flat_map(|v| container_rows(v, &skus, &warehouses)));
    let q = ListQuery::parse(&req.params, &["id", "product_id", "client_dispatch_container_id"])?
        .typed(types::CONTAINER_PRODUCT_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

#[cfg(test)]
mod tests {
    use entrepot_core::inbound::{InboundStatus, ShippingMode};
    use serde_json::json;

    use super::{transformers::*, types::*};

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
