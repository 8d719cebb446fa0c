//! Between Bird's client dispatches and the core's inbound orders: ids, the container-product
//! entries of an upload, and the rows shown back.

use std::collections::HashMap;

use entrepot_app::InboundView;
use entrepot_core::{company::Warehouse, sku::Sku};
use entrepot_wire::typed;
use serde_json::{Map, Value};

use super::types::{bird_status, ContainerEntry, ContainerProductRow, DispatchFields, DispatchRow};
use crate::{envelope::BirdError, fields::read_map, format};

/// Container-product entries one dispatch may hold (their ids are `dispatch id × 10000 + n`).
pub const MAX_ENTRIES: usize = 9_999;

/// The integer id Bird ERPs see for an inbound number (`OCI3000000000001` → 3000000000001).
pub fn dispatch_id(number: &str) -> Option<i64> {
    number.strip_prefix("OCI").and_then(|d| d.parse().ok())
}

/// The inbound number of a Bird dispatch id (also accepts the number itself).
pub fn number_of(id: &str) -> Result<String, BirdError> {
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

/// One container-product entry of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub container: String,
    pub product: i64,
    pub quantity: i64,
}

/// The entries of `client_dispatch_container_product_list`, in order.
pub fn entries(m: &Map<String, Value>) -> Result<Vec<Entry>, String> {
    let fields: DispatchFields = read_map(m).map_err(|e| e.message)?;
    entries_of(&fields.client_dispatch_container_product_list)
}

/// The entries of a container-product list, in order.
pub fn entries_of(list: &Value) -> Result<Vec<Entry>, String> {
    let list = match list {
        Value::Array(a) if !a.is_empty() => a,
        _ => return Err("client_dispatch_container_product_list is required".into()),
    };
    if list.len() > MAX_ENTRIES {
        return Err(format!("client_dispatch_container_product_list has more than {MAX_ENTRIES} entries"));
    }
    list.iter()
        .enumerate()
        .map(|(k, e)| {
            let at = |m: &str| format!("client_dispatch_container_product_list[{k}].{m}");
            let e = container_entry(e)
                .ok_or_else(|| format!("client_dispatch_container_product_list[{k}] must be an object"))?;
            let product = e.product_id.lenient().ok_or_else(|| at("product_id is required"))?;
            let quantity = e.quantity.lenient().ok_or_else(|| at("quantity is required"))?;
            if quantity <= 0 {
                return Err(at("quantity must be positive"));
            }
            entrepot_core::limits::quantity("quantity", quantity).map_err(|e| at(&e.to_string()))?;
            let container = e.client_dispatch_container_reference.take().unwrap_or_default();
            Ok(Entry { container, product, quantity })
        })
        .collect()
}

/// An element of the list, if it is an object.
fn container_entry(v: &Value) -> Option<ContainerEntry> {
    v.is_object().then(|| typed::from_value(v).ok()).flatten()
}

impl<'a> DispatchRow<'a> {
    /// Bird's client-dispatch row: the fields the client sent, then the dispatch's own.
    pub fn new(v: &'a InboundView, warehouses: &'a [Warehouse]) -> Self {
        let mut fields = match &v.details {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        fields.remove("client_dispatch_container_product_list");
        let kind = read_map::<DispatchFields>(&fields)
            .ok()
            .and_then(|f| f.kind.take())
            .map(|t| t.to_ascii_uppercase())
            .unwrap_or_else(|| "NORMAL".into());
        for own in [
            "id",
            "client_id",
            "reference",
            "type",
            "status",
            "warehouse_id_destination",
            "warehouse_code_destination",
            "final_freight_method",
            "inbound_number",
            "total_quantity",
            "total_quantity_check",
            "total_quantity_stock",
            "total_quantity_damaged",
            "total_quantity_short",
            "total_quantity_over",
            "create_time",
            "update_time",
            "primary_keys",
        ] {
            fields.remove(own);
        }
        let site = warehouses.iter().find(|w| w.id == v.warehouse_id);
        let sum = |f: fn(&entrepot_core::inbound::InboundLine) -> i64| v.inbound.lines.iter().map(f).sum::<i64>();
        DispatchRow {
            fields,
            id: dispatch_id(&v.inbound.number).unwrap_or_default().to_string(),
            client_id: &v.client_id,
            reference: &v.reference,
            kind,
            status: bird_status(v.inbound.status),
            warehouse_id_destination: site.and_then(|w| w.bird_company_id).map(|i| i.to_string()),
            warehouse_code_destination: site.map(|w| w.code.as_str()),
            final_freight_method: v.inbound.mode.as_str(),
            inbound_number: &v.inbound.number,
            total_quantity: sum(|l| l.expected).to_string(),
            total_quantity_check: sum(|l| l.counted()).to_string(),
            total_quantity_stock: sum(|l| l.put_away).to_string(),
            total_quantity_damaged: sum(|l| l.damaged).to_string(),
            total_quantity_short: if v.inbound.receipt_closed { sum(|l| l.outstanding()) } else { 0 }.to_string(),
            total_quantity_over: sum(|l| (l.counted() - l.expected).max(0)).to_string(),
            create_time: format::time_text(v.created_at_ms),
            update_time: format::time_text(v.updated_at_ms),
            primary_keys: ["id"],
        }
    }
}

/// Splits what a line received (or put away) over its entries in upload order; the last entry of
/// a product takes any excess, since the warehouse counts per product, not per container.
pub(crate) fn distribute(entries: &[Entry], product: i64, mut done: i64) -> Vec<i64> {
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
pub fn container_rows<'a>(v: &InboundView, skus: &'a [Sku], warehouses: &[Warehouse]) -> Vec<ContainerProductRow<'a>> {
    let id = dispatch_id(&v.inbound.number).unwrap_or_default();
    let details: DispatchFields = match &v.details {
        Value::Object(m) => read_map(m).unwrap_or_default(),
        _ => DispatchFields::default(),
    };
    let Ok(list) = entries_of(&details.client_dispatch_container_product_list) else { return vec![] };
    let raw: Vec<Option<ContainerEntry>> = details
        .client_dispatch_container_product_list
        .as_array()
        .map(|a| a.iter().map(container_entry).collect())
        .unwrap_or_default();
    let mut checked: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut stocked: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut damaged: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in &v.inbound.lines {
        checked.insert(l.sku_id.0, distribute(&list, l.sku_id.0, l.counted()));
        stocked.insert(l.sku_id.0, distribute(&list, l.sku_id.0, l.put_away));
        damaged.insert(l.sku_id.0, distribute(&list, l.sku_id.0, l.damaged));
    }
    let closed = v.inbound.receipt_closed;
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
            let entry = raw.get(k).and_then(Option::as_ref);
            let sku = skus.iter().find(|s| s.id.0 == e.product);
            ContainerProductRow {
                id: (id * 10_000 + k as i64 + 1).to_string(),
                client_dispatch_id: id.to_string(),
                client_dispatch_container_id: (id * 10_000 + c as i64 + 1).to_string(),
                client_dispatch_container_reference: e.container.clone(),
                client_dispatch_container_type_code: entry.and_then(|e| e.client_dispatch_container_type_code.take()),
                client_dispatch_container_weight: entry.and_then(|e| e.client_dispatch_container_weight.take()),
                product_id: e.product.to_string(),
                quantity: e.quantity.to_string(),
                quantity_check: checked.get(&e.product).map_or(0, |q| q[k]).to_string(),
                quantity_stock: stocked.get(&e.product).map_or(0, |q| q[k]).to_string(),
                quantity_damaged: damaged.get(&e.product).map_or(0, |q| q[k]).to_string(),
                quantity_short: if closed {
                    (e.quantity - checked.get(&e.product).map_or(0, |q| q[k])).max(0)
                } else {
                    0
                }
                .to_string(),
                product_name: sku.map(|s| s.name_cn.as_deref().unwrap_or(&s.name_en)),
                product_name_customs: sku.map(|s| s.name_en.as_str()),
                product_client_ref: sku.map(|s| s.seller_sku.as_str()),
                product_client_ref_dashed: sku.map(|s| s.seller_sku.as_str()),
                product_price_customs_export: sku.map(|s| format::money_text(s.declared_value)),
                warehouse_id_destination: site.and_then(|w| w.bird_company_id).map(|i| i.to_string()),
                warehouse_id_origination: entry
                    .and_then(|e| e.warehouse_id_origination.take())
                    .or_else(|| details.warehouse_id_origination.take()),
                primary_keys: ["id"],
            }
        })
        .collect()
}
