//! Products (Bird) = SKUs (core): create/update/list, available quantities, stock per site and the
//! stock ledger as Bird shows it. The shapes are in [`types`], the translation in
//! [`transformers`]; the handlers here only read, call the app and answer.

pub mod transformers;
pub mod types;

use std::collections::{BTreeMap, HashMap};

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use entrepot_app::SkuFilter;
use entrepot_core::{
    ids::{ClientId, SkuId},
    inventory::Position,
    share::ShareWith,
    sku::CustomsProperty,
};
use entrepot_wire::as_i64_lenient;
use serde_json::Value;

pub use self::{
    transformers::{live_and_locked, new_sku_from, product_row},
    types::{parse_property, property_id},
};
use self::{
    transformers::{parse_ids, stock_info_rows, transaction_rows},
    types::{
        AvailableQuantityBody, AvailableQuantityRow, CustomsPropertyRow, ProductFields, ProductRow, ProductSearch,
        StockQuery,
    },
};
use crate::{
    envelope::{data, list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// `GET /client/Product` (`?id=`, `?client_ref=`, list language).
pub async fn list_products(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let search: ProductSearch = req.fields()?;
    let mut f = SkuFilter::default();
    if let Some(id) = search.id.get("id")? {
        f.ids.push(SkuId(id));
    }
    if let Some(r) = search.client_ref.take() {
        f.seller_skus.push(r);
    }
    let (skus, _) = state.app.list_skus(&req.client, &f).await?;
    let ids: Vec<SkuId> = skus.iter().map(|s| s.id).collect();
    let stock = state.app.stock(&req.client, &ids, None).await?;
    let shares = state.app.sku_shares(&req.client, &ids).await?;
    let rows =
        values(skus.iter().map(|s| ProductRow::new(s, &stock, req.site.as_ref()).with_shares(shares.get(&s.id))));
    let q = ListQuery::parse(&req.params, &["status", "company_ref", "commodity_code"])?.typed(types::COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `POST /client/Product`: create, or update when `id` is given. Bird products are usable at
/// once (BirdSystem has no audit step); `status=INACTIVE` switches one off.
pub async fn save_product(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let fields: ProductFields = req.fields()?;
    let status = fields.status.get().map(|s| s.to_ascii_uppercase());
    let sku = match fields.id.get("id")? {
        Some(id) => {
            let current = state.app.sku(&req.client, SkuId(id)).await?;
            state.app.update_sku(&req.client, SkuId(id), fields.to_sku_update(&current)?).await?
        }
        None => state.app.create_skus(&req.client, vec![fields.to_new_sku()?]).await?.remove(0),
    };
    let sku = match status.as_deref() {
        Some("INACTIVE") if sku.active => state.app.set_sku_active(&req.client, sku.id, false).await?,
        Some("ACTIVE") if !sku.active => state.app.set_sku_active(&req.client, sku.id, true).await?,
        _ => sku,
    };
    if fields.is_shared_internal.get().is_some() {
        let share = fields.is_shared_internal.flag("company_product-is_shared_internal")?;
        if share {
            state.app.share_sku(&req.client, sku.id, &ShareWith::Everyone).await?;
        } else {
            state.app.unshare_sku(&req.client, sku.id, &ShareWith::Everyone).await?;
        }
    }
    let stock = state.app.stock(&req.client, &[sku.id], None).await?;
    let shares = state.app.sku_shares(&req.client, &[sku.id]).await?;
    Ok(data(ProductRow::new(&sku, &stock, req.site.as_ref()).with_shares(shares.get(&sku.id))))
}

/// `GET /client/product/Get-Product-Available-Quantity?ids=`: stock at the addressed site.
pub async fn available_quantity(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let site = req.site()?;
    let query: StockQuery = req.fields()?;
    let ids = parse_ids(query.ids.get().unwrap_or_default())?;
    let (skus, stock) = if ids.is_empty() {
        let q = ListQuery::parse_with(&req.params, &[], 50, 1000)?;
        let f =
            SkuFilter { offset: q.start as i64, limit: q.limit.map(|l| l as i64).unwrap_or(0), ..Default::default() };
        let skus: Vec<SkuId> = state.app.list_skus(&req.client, &f).await?.0.iter().map(|s| s.id).collect();
        let stock = state.app.stock(&req.client, &skus, Some(&site.id)).await?;
        (skus, stock)
    } else {
        // The client's products, and others' shared with it (`3|D`): those show their owner's
        // stock, which the client orders from.
        let ids: Vec<SkuId> = ids.iter().map(|i| SkuId(*i)).collect();
        let usable = state.app.orderable_skus(&req.client, &ids).await?;
        if let Some(foreign) = ids.iter().find(|i| !usable.iter().any(|s| s.id == **i)) {
            return Err(BirdError::bad(format!("Product with id {foreign} does not belong to you.")));
        }
        let mut by_owner: BTreeMap<&ClientId, Vec<SkuId>> = BTreeMap::new();
        for s in &usable {
            by_owner.entry(&s.client_id).or_default().push(s.id);
        }
        let mut stock = vec![];
        for (owner, of_owner) in by_owner {
            stock.extend(state.app.stock(owner, &of_owner, Some(&site.id)).await?);
        }
        (ids, stock)
    };
    let by_sku: HashMap<SkuId, Position> = stock.iter().map(|r| (r.sku_id, r.position)).collect();
    let rows = skus
        .iter()
        .map(|id| {
            let (live, locked) = live_and_locked(&by_sku.get(id).copied().unwrap_or_default());
            AvailableQuantityRow {
                live_stock: live,
                current_locked_stock: locked,
                dynamic_warehouse_available_stock: 0,
                id: id.0,
            }
        })
        .collect();
    Ok(axum::Json(AvailableQuantityBody::new(rows)).into_response())
}

/// The product id a stock query is about: `product_id=` or a `product_id` filter.
fn product_id_param(req: &BirdRequest) -> Result<Option<i64>, BirdError> {
    let query: StockQuery = req.fields()?;
    if let Some(id) = query.product_id.get("product_id")? {
        return Ok(Some(id));
    }
    if let Some(ids) = query.ids.get() {
        return Ok(parse_ids(ids)?.first().copied());
    }
    let filters = match &query.filter {
        Value::String(s) => {
            entrepot_wire::parse_lenient(s.as_bytes()).map_err(|e| BirdError::bad(format!("filter: {e}")))?
        }
        other => other.clone(),
    };
    Ok(filters
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f.get("field").or_else(|| f.get("property")).and_then(|v| v.as_str()) == Some("product_id"))
        .and_then(|f| f.get("value"))
        .and_then(as_i64_lenient))
}

/// `GET /client/Container-Product/Get-Product-Stock-Info`: a product's stock at every site, plus
/// the frozen stock row Bird shows with `company_id` 0.
pub async fn stock_info(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let id = product_id_param(&req)?.ok_or_else(|| BirdError::bad("product_id is required"))?;
    let sku = state.app.sku(&req.client, SkuId(id)).await.map_err(|e| {
        crate::envelope::refused_as(e, || BirdError::bad(format!("Product with id {id} does not belong to you.")))
    })?;
    let stock = state.app.stock(&req.client, &[sku.id], None).await?;
    let warehouses = state.app.warehouses().await?;
    let rows = values(stock_info_rows(id, &sku, &stock, &warehouses));
    Ok(list(rows.len(), rows))
}

/// `GET /client/Container-Product-Transaction?product_id=`: every change of a product's live
/// stock, signed, with the quantity left after it.
pub async fn transactions(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let id = product_id_param(&req)?.ok_or_else(|| BirdError::bad("product_id is required"))?;
    let sku = state.app.sku(&req.client, SkuId(id)).await?;
    let moves = state.app.movements(&req.client, &[sku.id], 0, i64::MAX).await?;
    let rows = values(transaction_rows(id, &moves));
    let q = ListQuery::parse(&req.params, &["type", "consignment_id"])?.typed(types::TRANSACTION_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/product-customs-property`: the ids accepted in `product_customs_property[]`.
pub async fn customs_properties(req: BirdRequest) -> Result<Response, BirdError> {
    let rows = CustomsProperty::ALL.iter().map(|p| CustomsPropertyRow {
        id: property_id(*p).to_string(),
        name: p.as_str(),
        status: "ACTIVE",
        primary_keys: ["id"],
    });
    let rows = values(rows);
    let q = ListQuery::parse(&req.params, &["id", "name"])?.typed(types::CUSTOMS_PROPERTY_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{transformers::*, types::*};
    use entrepot_core::sku::CustomsProperty;

    #[test]
    fn ids_in_every_documented_form() {
        assert_eq!(parse_ids("1,2,3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_ids("3|D_4").unwrap(), vec![3, 4]);
        assert!(parse_ids("x").is_err());
    }

    #[test]
    fn properties_by_id_or_name() {
        assert_eq!(parse_property("1").unwrap(), CustomsProperty::General);
        assert_eq!(parse_property("内置锂离子电池").unwrap(), CustomsProperty::BuiltInBattery);
        assert!(parse_property("99").is_err());
        assert_eq!(property_id(CustomsProperty::General), 1);
    }

    #[test]
    fn product_fields() {
        let m = json!({"client_ref": "SKU-1", "name": "杯子", "name_customs": "Mug", "weight": "350", "price_customs_export": "4.5",
                       "product_customs_property": ["1", "液体"]});
        let n = new_sku_from(m.as_object().unwrap()).unwrap();
        assert_eq!((n.weight_g, n.declared_value, n.properties.len()), (350, 450, 2));
        assert!(new_sku_from(json!({"name": "x"}).as_object().unwrap()).is_err());
    }
}
