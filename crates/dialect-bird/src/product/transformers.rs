//! Between Bird's product shapes and the core's SKUs and stock.

use std::collections::HashMap;

use entrepot_app::{Movement, NewSku, StockRow};
use entrepot_core::{
    company::Warehouse,
    inventory::{Bucket, Position},
    limits,
    share::ShareWith,
    sku::{CustomsProperty, Sku},
};
use entrepot_wire::{as_decimal_minor, as_i64_lenient, as_string_lenient};
use serde_json::{Map, Value};

use super::types::{
    parse_property, product_status, property_id, transaction_type, ProductFields, ProductRow, StockCompany,
    StockInfoRow, TransactionRow,
};
use crate::{envelope::BirdError, fields::read_map, format};

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

impl<'a> ProductRow<'a> {
    /// The row with whether it is shared with every client, from its shares (`None`: none).
    pub fn with_shares(mut self, shares: Option<&Vec<ShareWith>>) -> Self {
        let everyone = shares.is_some_and(|s| s.contains(&ShareWith::Everyone));
        self.is_shared_internal = Some(if everyone { "1" } else { "0" });
        self
    }

    /// `s` with its stock at the addressed site (`company_product-live_stock`) and over all
    /// sites (`live_stock`).
    pub fn new(s: &'a Sku, stock: &[StockRow], site: Option<&Warehouse>) -> Self {
        let mine = stock.iter().filter(|r| r.sku_id == s.id);
        let all = sum_positions(mine.clone());
        let here = sum_positions(mine.filter(|r| site.is_some_and(|w| w.id == r.warehouse_id)));
        let (live, locked) = live_and_locked(&all);
        let (site_live, site_locked) = live_and_locked(&here);
        ProductRow {
            id: s.id.0.to_string(),
            client_id: &s.client_id,
            client_ref: &s.seller_sku,
            company_ref: &s.mfskuid,
            name: s.name_cn.as_deref().unwrap_or(&s.name_en),
            name_customs: &s.name_en,
            commodity_code: s.hs_code.as_deref(),
            country_of_origin: s.origin_country.as_deref(),
            weight: format::decimal_text(s.weight_g),
            length: format::decimal_text(s.length_mm),
            width: format::decimal_text(s.width_mm),
            depth: format::decimal_text(s.height_mm),
            dimension_lock: if s.measurement.is_some() { "1" } else { "0" },
            last_info_check_time: s.measurement.and_then(|m| format::time_text(m.at_ms)),
            price_customs_export: format::money_text(s.declared_value),
            price_customs_export_currency: &s.declared_currency,
            url: s.image_url.as_deref(),
            status: product_status(s.active, s.status),
            audit_status: s.status.as_str(),
            product_customs_property: s.properties.iter().map(|p| property_id(*p).to_string()).collect(),
            product_customs_property_name: s.properties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
            live_stock: live.to_string(),
            current_locked_stock: locked.to_string(),
            frozen_stock: all.get(Bucket::Suspend).to_string(),
            pending_stock: (all.get(Bucket::InTransit) + all.get(Bucket::Received)).to_string(),
            site_live_stock: site_live.to_string(),
            site_locked_stock: site_locked.to_string(),
            shape_type: "NORMAL_SHAPE",
            is_shared_internal: None,
            primary_keys: ["id"],
        }
    }
}

/// Bird's product row as a JSON value (lists and webhooks).
pub fn product_row(s: &Sku, stock: &[StockRow], site: Option<&Warehouse>) -> Value {
    serde_json::to_value(ProductRow::new(s, stock, site)).unwrap_or(Value::Null)
}

/// A product's stock at every site it is held, then the frozen stock row Bird shows with
/// `company_id` `"0"`.
pub fn stock_info_rows<'a>(
    id: i64,
    sku: &'a Sku,
    stock: &[StockRow],
    warehouses: &'a [Warehouse],
) -> Vec<StockInfoRow<'a>> {
    let mut rows: Vec<StockInfoRow> = stock
        .iter()
        .filter_map(|r| {
            let w = warehouses.iter().find(|w| w.id == r.warehouse_id)?;
            Some(StockInfoRow {
                product_id: id,
                quantity: r.position.get(Bucket::Available).to_string(),
                company_id: StockCompany::Site(w.bird_company_id.unwrap_or(0)),
                company_site_name: &w.name,
                client_ref: &sku.seller_sku,
                is_dynamic_warehouse: 0,
            })
        })
        .collect();
    let frozen: i64 = stock.iter().map(|r| r.position.get(Bucket::Suspend)).sum();
    rows.push(StockInfoRow {
        product_id: id,
        quantity: frozen.to_string(),
        company_id: StockCompany::Frozen("0"),
        company_site_name: "Frozen Stock",
        client_ref: &sku.seller_sku,
        is_dynamic_warehouse: 0,
    });
    rows
}

/// Every change of a product's live stock, signed, with the quantity left after it.
pub fn transaction_rows(id: i64, moves: &[Movement]) -> Vec<TransactionRow<'_>> {
    let live = |b: Bucket| matches!(b, Bucket::Available | Bucket::ReservedAllocated | Bucket::ReservedHold);
    let mut left: HashMap<&str, i64> = HashMap::new();
    let mut rows = vec![];
    for m in moves {
        let delta = i64::from(live(m.to)) * m.qty - i64::from(live(m.from)) * m.qty;
        if delta == 0 {
            continue;
        }
        let l = left.entry(m.warehouse_id.0.as_str()).or_default();
        *l += delta;
        rows.push(TransactionRow {
            id: &m.id,
            container_id: (),
            product_id: id,
            quantity: delta.to_string(),
            consignment_id: (m.doc_kind == "outbound").then_some(m.doc_id.as_str()),
            client_dispatch_id: (m.doc_kind == "inbound").then_some(m.doc_id.as_str()),
            warehouse_dispatch_id: (),
            warehouse_transfer_id: (),
            additional_service_id: (),
            company_user_id: (),
            note: match &m.for_client {
                // The owner's units shipped on another client's order (a shared product).
                Some(c) => format!("{} for client {}", m.reason.oc_wire(), c.0),
                None => m.note.clone().unwrap_or_else(|| m.reason.oc_wire()),
            },
            update_time: format::time_text(m.created_at_ms),
            kind: transaction_type(m.reason),
            container_reference: (),
            quantity_left: l.to_string(),
            primary_keys: ["id"],
        });
    }
    rows
}
/// A value that is there: not null, not blank text.
fn present(v: &Value) -> Option<&Value> {
    Some(v).filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

/// An integer field (grams, millimetres), if sent; decimals are rounded.
fn int_field(v: &Value, key: &str) -> Result<Option<i64>, BirdError> {
    match present(v) {
        None => Ok(None),
        Some(v) => as_i64_lenient(v)
            .or_else(|| as_string_lenient(v).and_then(|s| s.trim().parse::<f64>().ok()).map(|f| f.round() as i64))
            .map(Some)
            .ok_or_else(|| BirdError::bad(format!("{key} must be a number"))),
    }
}

/// The customs properties sent in either field (ids or names, as an array or joined with `,`
/// or `，`), sorted and each once; `None` when neither was sent.
fn properties(sent: [&Value; 2]) -> Result<Option<Vec<CustomsProperty>>, BirdError> {
    if sent.iter().all(|v| present(v).is_none()) {
        return Ok(None);
    }
    let mut out = vec![];
    for v in sent.into_iter().filter_map(present) {
        match v {
            Value::Array(a) => {
                for p in a {
                    out.push(parse_property(&as_string_lenient(p).unwrap_or_default())?);
                }
            }
            v => {
                let text = as_string_lenient(v).unwrap_or_default();
                for p in text.split([',', '，']).filter(|p| !p.trim().is_empty()) {
                    out.push(parse_property(p)?);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(Some(out))
}

impl ProductFields {
    /// The SKU these fields describe; Bird products are usable at once (no audit step).
    pub fn to_new_sku(&self) -> Result<NewSku, BirdError> {
        let client_ref = self.client_ref.take().ok_or_else(|| BirdError::bad("client_ref is required"))?;
        self.onto(NewSku::approved(client_ref))
    }

    /// An update of `current` (`id` given): BirdSystem's ERPs send the id and only the fields
    /// they change; those left out keep their value.
    pub fn to_sku_update(&self, current: &Sku) -> Result<NewSku, BirdError> {
        self.onto(NewSku::from(current))
    }

    /// `base` with the fields sent written over it.
    fn onto(&self, mut n: NewSku) -> Result<NewSku, BirdError> {
        if let Some(code) = self.client_ref.take() {
            n.seller_sku = code;
        }
        if let Some(cn) = self.name.take().or_else(|| self.product_name_cn.take()) {
            n.name_cn = Some(cn);
        }
        if let Some(en) = self.name_customs.take().or_else(|| self.product_name.take()) {
            n.name_en = en;
        }
        if n.name_en.is_empty() {
            n.name_en = n.name_cn.clone().unwrap_or_default();
        }
        if let Some(v) = present(&self.price_customs_export) {
            n.declared_value =
                as_decimal_minor(v, 2).map_err(|e| BirdError::bad(format!("price_customs_export: {e}")))?.unwrap_or(0);
            n.declared_currency = "USD".into();
        }
        if let Some(properties) = properties([&self.product_customs_property, &self.product_product_customs_property])?
        {
            n.properties = properties;
        }
        n.weight_g = limits::weight_g("weight", int_field(&self.weight, "weight")?.unwrap_or(n.weight_g))?;
        for (side, (key, v)) in [&mut n.length_mm, &mut n.width_mm, &mut n.height_mm].into_iter().zip([
            ("length", &self.length),
            ("width", &self.width),
            ("depth", &self.depth),
        ]) {
            *side = limits::dimension_mm(key, int_field(v, key)?.unwrap_or(*side))?;
        }
        limits::amount_minor("price_customs_export", n.declared_value)?;
        if let Some(hs) = self.commodity_code.take().or_else(|| self.hscode.take()) {
            n.hs_code = Some(hs);
        }
        if let Some(origin) = self.country_of_origin.take() {
            n.origin_country = Some(origin);
        }
        if let Some(url) = self.url.take().or_else(|| self.attachment_url.take()) {
            n.image_url = Some(url);
        }
        Ok(n)
    }
}

/// Reads Bird product fields into a new SKU.
pub fn new_sku_from(m: &Map<String, Value>) -> Result<NewSku, BirdError> {
    read_map::<ProductFields>(m)?.to_new_sku()
}

/// Parses `ids=1,2,3` (also `_`-joined, and `3|D` directional forms, whose suffix is ignored).
pub fn parse_ids(s: &str) -> Result<Vec<i64>, BirdError> {
    s.split([',', '_'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let id = p.split('|').next().unwrap_or(p);
            id.parse::<i64>().map_err(|_| BirdError::bad(format!("Invalid product id '{p}'")))
        })
        .collect()
}
