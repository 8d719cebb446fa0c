//! Method C of the seed: `Post-Pending-Consignment-With-Products-Json`, a JSON array of
//! consignments with their products, created directly in PENDING, all or nothing. An error names
//! the row at fault and leaves nothing behind.

use std::collections::HashMap;

use axum::{extract::State, response::Response};
use entrepot_core::{ids::SkuId, outbound::NewOutbound, CoreError};
use entrepot_store::SkuFilter;
use entrepot_wire::{as_i64_lenient, as_string_lenient, get_ci};
use serde_json::{Map, Value};

use crate::{
    consignment::{new_outbound, resolve_service, rows},
    envelope::{data, BirdError},
    request::BirdRequest,
    BirdState,
};

/// A product reference of a row: by Bird id or by the client's SKU.
enum ProductRef {
    Id(i64),
    ClientSku(String),
}

fn products(row: &Map<String, Value>, line: usize) -> Result<Vec<(ProductRef, i64)>, BirdError> {
    let bad = |m: String| BirdError::bad(format!("Row {line}: {m}"));
    let Some(Value::Array(items)) = get_ci(row, "products") else { return Err(bad("products is required".into())) };
    if items.is_empty() {
        return Err(bad("products is required".into()));
    }
    items
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let p = p.as_object().ok_or_else(|| bad(format!("products[{k}] must be an object")))?;
            let qty = get_ci(p, "quantity")
                .and_then(as_i64_lenient)
                .ok_or_else(|| bad(format!("products[{k}].quantity is required")))?;
            let r = if let Some(id) = get_ci(p, "id").and_then(as_i64_lenient) {
                ProductRef::Id(id)
            } else if let Some(sku) =
                get_ci(p, "client_sku").or_else(|| get_ci(p, "client_ref")).and_then(as_string_lenient)
            {
                ProductRef::ClientSku(sku.trim().to_owned())
            } else if let Some(id) = get_ci(p, "reference").and_then(as_i64_lenient) {
                ProductRef::Id(id)
            } else {
                return Err(bad(format!("products[{k}] needs id or client_sku")));
            };
            Ok((r, qty))
        })
        .collect()
}

/// `POST|GET /client/Consignment/Post-Pending-Consignment-With-Products-Json`.
pub async fn post_pending(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let rows_in = req.rows.clone().ok_or_else(|| BirdError::bad("The body must be a JSON array of consignments"))?;
    if rows_in.is_empty() {
        return Err(BirdError::bad("The body must be a JSON array of consignments"));
    }
    // Read every row first; resolve client SKUs in one query.
    let mut parsed = Vec::with_capacity(rows_in.len());
    let mut client_skus = vec![];
    let mut services = HashMap::new();
    for (k, row) in rows_in.iter().enumerate() {
        let line = k + 1;
        let m = row.as_object().ok_or_else(|| BirdError::bad(format!("Row {line}: must be a JSON object")))?;
        let mut m = m.clone();
        m.retain(|key, _| !key.starts_with('#'));
        let row_err = |e: BirdError| BirdError::bad(format!("Row {line}: {}", e.message));
        let key = get_ci(&m, "delivery_service_id")
            .or_else(|| get_ci(&m, "delivery_service_name"))
            .cloned()
            .unwrap_or(Value::Null)
            .to_string();
        let svc = match services.get(&key) {
            Some(s) => Clone::clone(s),
            None => {
                let s = resolve_service(&state.store, &m, req.site.as_ref()).await.map_err(row_err)?;
                services.insert(key, s.clone());
                s
            }
        };
        let new = new_outbound(&req.client, &m).map_err(row_err)?;
        let prods = products(&m, line)?;
        for (p, _) in &prods {
            if let ProductRef::ClientSku(s) = p {
                client_skus.push(s.clone());
            }
        }
        parsed.push((new, svc, prods));
    }
    client_skus.sort();
    client_skus.dedup();
    let by_sku: HashMap<String, SkuId> = if client_skus.is_empty() {
        HashMap::new()
    } else {
        let f = SkuFilter { seller_skus: client_skus, ..Default::default() };
        state.store.list_skus(&req.client, &f).await?.0.into_iter().map(|s| (s.seller_sku, s.id)).collect()
    };
    let mut batch: Vec<(NewOutbound, _)> = Vec::with_capacity(parsed.len());
    for (k, (mut new, svc, prods)) in parsed.into_iter().enumerate() {
        for (p, qty) in prods {
            let id = match p {
                ProductRef::Id(id) => SkuId(id),
                ProductRef::ClientSku(s) => *by_sku.get(&s).ok_or_else(|| {
                    BirdError::bad(format!(
                        "Row {}: product with client SKU {s} does not exist or does not belong to you.",
                        k + 1
                    ))
                })?,
            };
            new.lines.push((id, qty));
        }
        batch.push((new, svc.id));
    }
    let single = batch.len() == 1;
    let placed = state.store.place_orders(batch, true).await.map_err(|e| match e {
        // A one-row upload gets the bare message ERPs match on ("Duplicate consignment identity
        // reference [...]"); longer batches say which row failed.
        entrepot_store::StoreError::Core(c) if single => BirdError::from(match c.innermost().clone() {
            CoreError::Validation { field, message, .. } => CoreError::Validation { field, message, line: None },
            other => other,
        }),
        other => other.into(),
    })?;
    let out = rows(&state.store, &placed).await?;
    Ok(data(Value::Array(out)))
}
