//! Consignment products (Bird) = order lines (core), added to a PREPARING consignment one by one.

use axum::{
    extract::{Path, State},
    response::Response,
};
use entrepot_app::{App, OrderLine};
use entrepot_core::{ids::SkuId, limits};
use serde_json::{json, Value};

use crate::{
    consignment::{self, bird_id},
    envelope::{data, done, list, BirdError},
    format,
    listing::ListQuery,
    product::new_sku_from,
    request::BirdRequest,
    BirdState,
};

async fn line_row(app: &App, req: &BirdRequest, consignment: i64, l: &OrderLine) -> Result<Value, BirdError> {
    let sku = app.sku(&req.client, l.sku_id).await?;
    Ok(json!({
        "id": l.line_id.to_string(),
        "consignment_id": consignment.to_string(),
        "product_id": l.sku_id.0.to_string(),
        "quantity": l.qty.to_string(),
        "product_type": "NORMAL",
        "product_customs_name": sku.name_en,
        "product_client_ref": sku.seller_sku,
        "product-client_ref": sku.seller_sku,
        "product_weight": format::decimal(sku.weight_g),
        "unit_product_weight": format::decimal(sku.weight_g),
        "unit_product_length": format::decimal(sku.length_mm),
        "unit_product_width": format::decimal(sku.width_mm),
        "unit_product_depth": format::decimal(sku.height_mm),
        "price_customs_export": format::money(sku.declared_value),
        "total_price_customs_export": format::money(sku.declared_value.saturating_mul(l.qty)),
        "primary_keys": ["id"],
    }))
}

/// `POST /client/Consignment-Product`: one product onto a PREPARING consignment.
pub async fn add(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let cid = req.int("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let pid = req.int("product_id")?.ok_or_else(|| BirdError::bad("product_id is required"))?;
    let qty = req.int("quantity")?.ok_or_else(|| BirdError::bad("quantity is required"))?;
    limits::quantity("quantity", qty)?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    state.app.sku(&req.client, SkuId(pid)).await.map_err(|e| {
        crate::envelope::refused_as(e, || BirdError::bad(format!("Product with id {pid} does not belong to you.")))
    })?;
    let line = state.app.add_order_line(&req.client, &order.id, SkuId(pid), qty).await?;
    Ok(data(line_row(&state.app, &req, cid, &line).await?))
}

/// `POST /client/Agent-Direct-Consignment-Product`: an AGENT_DIRECT line whose product is created
/// (or updated, by `client_ref`) on the fly.
pub async fn add_agent_direct(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let cid = req.int("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let qty = req.int("quantity")?.ok_or_else(|| BirdError::bad("quantity is required"))?;
    limits::quantity("quantity", qty)?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let new = new_sku_from(&req.params)?;
    let sku = match state.app.resolve_sku(&req.client, &new.seller_sku).await {
        Ok(existing) => state.app.update_sku(&req.client, existing.id, new).await?,
        Err(_) => state.app.create_skus(&req.client, vec![new]).await?.remove(0),
    };
    let line = state.app.add_order_line(&req.client, &order.id, sku.id, qty).await?;
    let mut row = line_row(&state.app, &req, cid, &line).await?;
    row["product_name"] = json!(sku.name_en);
    row["product_name_cn"] = json!(sku.name_cn);
    row["client_ref"] = json!(sku.seller_sku);
    Ok(data(row))
}

/// `GET /client/Consignment-Product?consignment_id=`.
pub async fn list_lines(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let cid = req.int("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let mut rows = vec![];
    for l in state.app.order_lines(&req.client, &order.id).await? {
        rows.push(line_row(&state.app, &req, cid, &l).await?);
    }
    let (total, rows) = ListQuery::parse(&req.params, &["id", "product_id"])?.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `DELETE /client/Consignment-Product/<id>`.
pub async fn remove(
    State(state): State<BirdState>,
    Path(id): Path<String>,
    req: BirdRequest,
) -> Result<Response, BirdError> {
    let line = bird_id(&id)?;
    state.app.remove_order_line(&req.client, line).await?;
    Ok(done())
}
