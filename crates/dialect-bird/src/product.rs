//! Products (Bird) = SKUs (core): create/update/list, available quantities, stock per site and the
//! stock ledger as Bird shows it.

use std::collections::HashMap;

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use entrepot_app::{NewSku, SkuFilter, StockRow};
use entrepot_core::{
    company::Warehouse,
    ids::SkuId,
    inventory::{Bucket, Position, Reason},
    limits,
    sku::{CustomsProperty, Sku, SkuStatus},
};
use entrepot_wire::{as_decimal_minor, as_i64_lenient, as_string_lenient, get_ci};
use serde_json::{json, Map, Value};

use crate::{
    envelope::{data, list, BirdError},
    format,
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// Bird's numeric id of a customs property (`product_customs_property[]`).
pub fn property_id(p: CustomsProperty) -> usize {
    CustomsProperty::ALL.iter().position(|x| *x == p).map(|i| i + 1).unwrap_or(0)
}

/// A customs property from Bird's id or name (`普货`, `内置锂离子电池`, `LIQUID`...).
pub fn parse_property(s: &str) -> Result<CustomsProperty, BirdError> {
    if let Ok(n) = s.trim().parse::<usize>() {
        return CustomsProperty::ALL
            .get(n.wrapping_sub(1))
            .copied()
            .ok_or_else(|| BirdError::bad(format!("Unknown product customs property id {n}")));
    }
    Ok(CustomsProperty::parse(s)?)
}

/// Live stock = what is in the warehouse for sale or already sold (available + reserved);
/// locked = reserved for orders. Bird ERPs compute available as live − locked.
pub fn live_and_locked(p: &Position) -> (i64, i64) {
    let locked = p.get(Bucket::ReservedAllocated) + p.get(Bucket::ReservedHold);
    (p.get(Bucket::Available) + locked, locked)
}

fn sum_positions<'a>(rows: impl Iterator<Item = &'a StockRow>) -> Position {
    let mut q = [0i64; 7];
    for r in rows {
        for (k, b) in Bucket::HELD.iter().enumerate() {
            q[k] += r.position.get(*b);
        }
    }
    Position::from_array(q)
}

/// Bird's product row, with stock at the addressed site (`company_product-live_stock`) and over
/// all sites (`live_stock`).
pub fn product_row(s: &Sku, stock: &[StockRow], site: Option<&Warehouse>) -> Value {
    let mine = stock.iter().filter(|r| r.sku_id == s.id);
    let all = sum_positions(mine.clone());
    let here = sum_positions(mine.filter(|r| site.is_some_and(|w| w.id == r.warehouse_id)));
    let (live, locked) = live_and_locked(&all);
    let (site_live, site_locked) = live_and_locked(&here);
    json!({
        "id": s.id.0.to_string(),
        "client_id": s.client_id,
        "client_ref": s.seller_sku,
        "company_ref": s.mfskuid,
        "name": s.name_cn.clone().unwrap_or_else(|| s.name_en.clone()),
        "name_customs": s.name_en,
        "commodity_code": s.hs_code,
        "country_of_origin": s.origin_country,
        "weight": format::decimal(s.weight_g),
        "length": format::decimal(s.length_mm),
        "width": format::decimal(s.width_mm),
        "depth": format::decimal(s.height_mm),
        "price_customs_export": format::money(s.declared_value),
        "price_customs_export_currency": s.declared_currency,
        "url": s.image_url,
        "status": if !s.active { "INACTIVE" } else if s.status == SkuStatus::Approved { "ACTIVE" } else { "PREPARING" },
        "audit_status": s.status.as_str(),
        "product_customs_property": s.properties.iter().map(|p| property_id(*p).to_string()).collect::<Vec<_>>(),
        "product_customs_property_name": s.properties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
        "live_stock": live.to_string(),
        "current_locked_stock": locked.to_string(),
        "frozen_stock": all.get(Bucket::Suspend).to_string(),
        "pending_stock": (all.get(Bucket::InTransit) + all.get(Bucket::Received)).to_string(),
        "company_product-live_stock": site_live.to_string(),
        "company_product-current_locked_stock": site_locked.to_string(),
        "shape_type": "NORMAL_SHAPE",
        "primary_keys": ["id"],
    })
}

/// `GET /client/Product` (`?id=`, `?client_ref=`, list language).
pub async fn list_products(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let mut f = SkuFilter::default();
    if let Some(id) = req.int("id")? {
        f.ids.push(SkuId(id));
    }
    if let Some(r) = req.text("client_ref") {
        f.seller_skus.push(r);
    }
    let (skus, _) = state.app.list_skus(&req.client, &f).await?;
    let ids: Vec<SkuId> = skus.iter().map(|s| s.id).collect();
    let stock = state.app.stock(&req.client, &ids, None).await?;
    let rows = skus.iter().map(|s| product_row(s, &stock, req.site.as_ref())).collect();
    let q = ListQuery::parse(&req.params, &["status", "company_ref", "commodity_code"])?;
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

fn field<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    get_ci(m, key).filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

fn int_field(m: &Map<String, Value>, key: &str) -> Result<i64, BirdError> {
    match field(m, key) {
        None => Ok(0),
        Some(v) => as_i64_lenient(v)
            .or_else(|| as_string_lenient(v).and_then(|s| s.trim().parse::<f64>().ok()).map(|f| f.round() as i64))
            .ok_or_else(|| BirdError::bad(format!("{key} must be a number"))),
    }
}

/// Reads Bird product fields into a new SKU.
pub fn new_sku_from(m: &Map<String, Value>) -> Result<NewSku, BirdError> {
    let text = |k: &str| field(m, k).and_then(as_string_lenient).map(|s| s.trim().to_owned());
    let client_ref = text("client_ref").ok_or_else(|| BirdError::bad("client_ref is required"))?;
    let name_cn = text("name").or_else(|| text("product_name_cn"));
    let name_en = text("name_customs").or_else(|| text("product_name")).or_else(|| name_cn.clone()).unwrap_or_default();
    let value = match field(m, "price_customs_export") {
        Some(v) => {
            as_decimal_minor(v, 2).map_err(|e| BirdError::bad(format!("price_customs_export: {e}")))?.unwrap_or(0)
        }
        None => 0,
    };
    let mut properties = vec![];
    for key in ["product_customs_property", "product_product_customs_property"] {
        match field(m, key) {
            Some(Value::Array(a)) => {
                for p in a {
                    properties.push(parse_property(&as_string_lenient(p).unwrap_or_default())?);
                }
            }
            Some(v) => {
                for p in as_string_lenient(v).unwrap_or_default().split([',', '，']).filter(|p| !p.trim().is_empty()) {
                    properties.push(parse_property(p)?);
                }
            }
            None => {}
        }
    }
    properties.sort();
    properties.dedup();
    let weight_g = limits::weight_g("weight", int_field(m, "weight")?)?;
    let mut sides = [0i64; 3];
    for (side, key) in sides.iter_mut().zip(["length", "width", "depth"]) {
        *side = limits::dimension_mm(key, int_field(m, key)?)?;
    }
    limits::amount_minor("price_customs_export", value)?;
    Ok(NewSku {
        seller_sku: client_ref,
        reference_sku: None,
        name_en,
        name_cn,
        weight_g,
        length_mm: sides[0],
        width_mm: sides[1],
        height_mm: sides[2],
        declared_value: value,
        declared_currency: "USD".into(),
        hs_code: text("commodity_code").or_else(|| text("hscode")),
        origin_country: text("country_of_origin"),
        properties,
        image_url: text("url").or_else(|| text("attachment-url")),
        status: SkuStatus::Approved,
    })
}

/// `POST /client/Product`: create, or update when `id` is given. Bird products are usable at
/// once (BirdSystem has no audit step); `status=INACTIVE` switches one off.
pub async fn save_product(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let new = new_sku_from(&req.params)?;
    let status = req.text("status").map(|s| s.to_ascii_uppercase());
    let sku = match req.int("id")? {
        Some(id) => state.app.update_sku(&req.client, SkuId(id), new).await?,
        None => state.app.create_skus(&req.client, vec![new]).await?.remove(0),
    };
    let sku = match status.as_deref() {
        Some("INACTIVE") if sku.active => state.app.set_sku_active(&req.client, sku.id, false).await?,
        Some("ACTIVE") if !sku.active => state.app.set_sku_active(&req.client, sku.id, true).await?,
        _ => sku,
    };
    let stock = state.app.stock(&req.client, &[sku.id], None).await?;
    Ok(data(product_row(&sku, &stock, req.site.as_ref())))
}

/// Parses `ids=1,2,3` (also `_`-joined, and `3|D` directional forms, whose suffix is ignored).
fn parse_ids(s: &str) -> Result<Vec<i64>, BirdError> {
    s.split([',', '_'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let id = p.split('|').next().unwrap_or(p);
            id.parse::<i64>().map_err(|_| BirdError::bad(format!("Invalid product id '{p}'")))
        })
        .collect()
}

/// `GET /client/product/Get-Product-Available-Quantity?ids=`: stock at the addressed site.
pub async fn available_quantity(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let site = req.site()?;
    let ids = parse_ids(&req.text("ids").unwrap_or_default())?;
    let skus: Vec<SkuId> = if ids.is_empty() {
        let q = ListQuery::parse_with(&req.params, &[], 50, 1000)?;
        let f =
            SkuFilter { offset: q.start as i64, limit: q.limit.map(|l| l as i64).unwrap_or(0), ..Default::default() };
        state.app.list_skus(&req.client, &f).await?.0.iter().map(|s| s.id).collect()
    } else {
        let ids: Vec<SkuId> = ids.iter().map(|i| SkuId(*i)).collect();
        let owned = state.app.skus_by_ids(&req.client, &ids).await?;
        if let Some(foreign) = ids.iter().find(|i| !owned.iter().any(|s| s.id == **i)) {
            return Err(BirdError::bad(format!("Product with id {foreign} does not belong to you.")));
        }
        ids
    };
    let stock = state.app.stock(&req.client, &skus, Some(&site.id)).await?;
    let by_sku: HashMap<SkuId, Position> = stock.iter().map(|r| (r.sku_id, r.position)).collect();
    let rows: Vec<Value> = skus
        .iter()
        .map(|id| {
            let (live, locked) = live_and_locked(&by_sku.get(id).copied().unwrap_or_default());
            json!({"live_stock": live, "current_locked_stock": locked, "dynamic_warehouse_available_stock": 0, "id": id.0})
        })
        .collect();
    Ok(axum::Json(json!({"data": rows, "success": true, "refresh": false, "moduleName": "client"})).into_response())
}

/// The product id a stock query is about: `product_id=` or a `product_id` filter.
fn product_id_param(req: &BirdRequest) -> Result<Option<i64>, BirdError> {
    if let Some(id) = req.int("product_id")? {
        return Ok(Some(id));
    }
    if let Some(ids) = req.text("ids") {
        return Ok(parse_ids(&ids)?.first().copied());
    }
    let Some(f) = get_ci(&req.params, "filter") else { return Ok(None) };
    let filters = match f {
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
    let mut rows: Vec<Value> = stock
        .iter()
        .filter_map(|r| {
            let w = warehouses.iter().find(|w| w.id == r.warehouse_id)?;
            Some(json!({
                "product_id": id, "quantity": r.position.get(Bucket::Available).to_string(),
                "company_id": w.bird_company_id.unwrap_or(0), "company_site_name": w.name, "client_ref": sku.seller_sku,
                "is_dynamic_warehouse": 0,
            }))
        })
        .collect();
    let frozen: i64 = stock.iter().map(|r| r.position.get(Bucket::Suspend)).sum();
    rows.push(
        json!({"product_id": id, "quantity": frozen.to_string(), "company_id": "0", "company_site_name": "Frozen Stock",
                     "client_ref": sku.seller_sku, "is_dynamic_warehouse": 0}),
    );
    Ok(list(rows.len(), rows))
}

/// Bird's transaction type for a ledger reason.
fn transaction_type(r: Reason) -> &'static str {
    match r {
        Reason::OutboundFulfilled => "CONSIGNMENT",
        Reason::PutAway | Reason::Received | Reason::InboundSubmitted | Reason::InboundClosed => "CLIENT_DISPATCH",
        Reason::Frozen | Reason::Unfrozen => "FROZEN",
        _ => "ADJUSTMENT",
    }
}

/// `GET /client/Container-Product-Transaction?product_id=`: every change of a product's live
/// stock, signed, with the quantity left after it.
pub async fn transactions(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let id = product_id_param(&req)?.ok_or_else(|| BirdError::bad("product_id is required"))?;
    let sku = state.app.sku(&req.client, SkuId(id)).await?;
    let moves = state.app.movements(&req.client, &[sku.id], 0, i64::MAX).await?;
    let live = |b: Bucket| matches!(b, Bucket::Available | Bucket::ReservedAllocated | Bucket::ReservedHold);
    let mut left: HashMap<String, i64> = HashMap::new();
    let mut rows = vec![];
    for m in moves {
        let delta = i64::from(live(m.to)) * m.qty - i64::from(live(m.from)) * m.qty;
        if delta == 0 {
            continue;
        }
        let l = left.entry(m.warehouse_id.0.clone()).or_default();
        *l += delta;
        rows.push(json!({
            "id": m.id, "container_id": null, "product_id": id, "quantity": delta.to_string(),
            "consignment_id": if m.doc_kind == "outbound" { json!(m.doc_id) } else { Value::Null },
            "client_dispatch_id": if m.doc_kind == "inbound" { json!(m.doc_id) } else { Value::Null },
            "warehouse_dispatch_id": null, "warehouse_transfer_id": null, "additional_service_id": null, "company_user_id": null,
            "note": m.note.clone().unwrap_or_else(|| m.reason.oc_wire()), "update_time": format::time(m.created_at_ms),
            "type": transaction_type(m.reason), "container-reference": null, "quantity_left": l.to_string(), "primary_keys": ["id"],
        }));
    }
    let q = ListQuery::parse(&req.params, &["type", "consignment_id"])?;
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/product-customs-property`: the ids accepted in `product_customs_property[]`.
pub async fn customs_properties(req: BirdRequest) -> Result<Response, BirdError> {
    let rows = CustomsProperty::ALL
        .iter()
        .map(|p| json!({"id": property_id(*p).to_string(), "name": p.as_str(), "status": "ACTIVE", "primary_keys": ["id"]}))
        .collect();
    let (total, rows) = ListQuery::parse(&req.params, &["id", "name"])?.apply(rows, &["id"]);
    Ok(list(total, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

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
