//! Consignment products (Bird) = order lines (core), added to a PREPARING consignment one by one.
//! Shapes in [`types`], rows from core lines in [`transformers`].

pub mod transformers;
pub mod types;

use axum::{
    extract::{Path, State},
    response::Response,
};

use entrepot_core::{ids::SkuId, limits, sale::LineSale};
use serde_json::Value;

use self::types::{AgentDirectLineRow, LineFields, LineRow};

use crate::{
    consignment::{self, bird_id},
    envelope::{data, done, list, BirdError},
    listing::ListQuery,
    product::types::ProductFields,
    request::BirdRequest,
    BirdState,
};

/// The line's platform sale: `sales_price`, `ebay_transaction_id`, `ebay_item_no`.
fn line_sale(f: &LineFields) -> Result<LineSale, BirdError> {
    Ok(crate::sale::line_sale("", f.sales_price.get(), f.ebay_transaction_id.get(), f.ebay_item_no.get())?)
}

/// `POST /client/Consignment-Product`: one product onto a PREPARING consignment.
pub async fn add(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: LineFields = req.fields()?;
    let cid = f.consignment_id.get("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let pid = f.product_id.get("product_id")?.ok_or_else(|| BirdError::bad("product_id is required"))?;
    let qty = f.quantity.get("quantity")?.ok_or_else(|| BirdError::bad("quantity is required"))?;
    limits::quantity("quantity", qty)?;
    let sale = line_sale(&f)?;
    // Either spelling says the product is another client's, shared with this one; an id of a
    // product shared with the client is taken without them too (the share decides).
    match f.product_type.get().map(str::to_ascii_uppercase).as_deref() {
        None | Some("NORMAL" | "DIRECTIONAL") => {}
        Some(other) => return Err(BirdError::bad(format!("product_type must be NORMAL or DIRECTIONAL, not {other}"))),
    }
    f.is_directional_shared_product.flag("is_directional_shared_product")?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let sku = state.app.orderable_sku(&req.client, SkuId(pid)).await.map_err(|e| {
        crate::envelope::refused_as(e, || BirdError::bad(format!("Product with id {pid} does not belong to you.")))
    })?;
    let line = state.app.add_order_line(&req.client, &order.id, sku.id, qty, sale).await?;
    Ok(data(LineRow::new(cid, &line, &sku)))
}

/// `POST /client/Agent-Direct-Consignment-Product`: an AGENT_DIRECT line whose product is created
/// (or updated, by `client_ref`) on the fly.
pub async fn add_agent_direct(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: LineFields = req.fields()?;
    let cid = f.consignment_id.get("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let qty = f.quantity.get("quantity")?.ok_or_else(|| BirdError::bad("quantity is required"))?;
    limits::quantity("quantity", qty)?;
    let sale = line_sale(&f)?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let new = req.fields::<ProductFields>()?.to_new_sku()?;
    let sku = match state.app.resolve_sku(&req.client, &new.seller_sku).await {
        Ok(existing) => state.app.update_sku(&req.client, existing.id, new).await?,
        Err(_) => state.app.create_skus(&req.client, vec![new]).await?.remove(0),
    };
    let line = state.app.add_order_line(&req.client, &order.id, sku.id, qty, sale).await?;
    Ok(data(AgentDirectLineRow::new(cid, &line, &sku)))
}

/// `GET /client/Consignment-Product?consignment_id=`.
pub async fn list_lines(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: LineFields = req.fields()?;
    let cid = f.consignment_id.get("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let skus = state.app.line_skus([&order]).await?;
    let mut rows = vec![];
    for l in state.app.order_lines(&req.client, &order.id).await? {
        let Some(sku) = skus.iter().find(|s| s.id == l.sku_id) else { continue };
        rows.push(serde_json::to_value(LineRow::new(cid, &l, sku)).unwrap_or(Value::Null));
    }
    let (total, rows) =
        ListQuery::parse(&req.params, &["id", "product_id"])?.typed(types::COLUMNS).apply(rows, &["id"]);
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
