//! From the product forms of a pending upload to the app's order inputs. Pure: every lookup
//! (services, SKUs) is the handler's.

use entrepot_app::AgentProduct;
use entrepot_core::{limits, sale::LineSale, service::Parcel, sku::CustomsProperty};
use entrepot_wire::{as_decimal_minor, as_string_lenient, typed};
use serde_json::{Map, Value};

use super::types::{DescribedProduct, Package, PackageItem, StockProduct};
use crate::{fields::Text, product::parse_property, product_ref::ExtendedItem, sale};

/// A product reference of a row: by Bird id or by the client's SKU.
pub enum ProductRef {
    Id(i64),
    ClientSku(String),
}

/// A value that is there: not null, not blank text.
fn present(v: &Value) -> Option<&Value> {
    Some(v).filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

/// The first of `texts` that was sent.
fn first(texts: &[&Text]) -> Option<String> {
    texts.iter().find_map(|t| t.take())
}

/// A bound's refusal as this module's `field: message` text.
fn bounded<T>(r: entrepot_core::CoreResult<T>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// A customs property by Bird id or name (`电池` reads as a built-in battery, see core).
fn property(name: &str) -> Result<CustomsProperty, String> {
    parse_property(name).map_err(|e| e.message)
}

/// Grams from a decimal (`"10.00"`), rounded to the gram.
fn grams(v: &Value) -> Result<Option<i64>, String> {
    match as_decimal_minor(v, 3)? {
        None => Ok(None),
        Some(mg) => mg.checked_add(500).map(|m| Some(m.div_euclid(1000))).ok_or_else(|| "is too large".to_owned()),
    }
}

/// An element of a list as `T`, or `{what}[{k}] must be an object`.
fn element<T: serde::de::DeserializeOwned>(v: &Value, what: &str, k: usize) -> Result<T, String> {
    if !v.is_object() {
        return Err(format!("{what}[{k}] must be an object"));
    }
    typed::from_value(v).map_err(|e| format!("{what}[{k}].{e}"))
}

/// Form 1: the products of a row, by reference, with their quantities. Refusals are the
/// message only; the caller names the row.
pub fn stock_products(products: &Value) -> Result<Vec<(ProductRef, i64, LineSale)>, String> {
    let items = match products {
        Value::Array(items) if !items.is_empty() => items,
        _ => return Err("products is required".into()),
    };
    limits::lines("products", items.len()).map_err(|e| e.to_string())?;
    items
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let p: StockProduct = element(p, "products", k)?;
            let qty = p.quantity.lenient().ok_or_else(|| format!("products[{k}].quantity is required"))?;
            limits::quantity(&format!("products[{k}].quantity"), qty).map_err(|e| e.to_string())?;
            let client_sku = [&p.client_sku, &p.client_ref].into_iter().find(|v| !v.is_null());
            let reference = if let Some(id) = p.id.lenient() {
                ProductRef::Id(id)
            } else if let Some(sku) = client_sku.and_then(as_string_lenient) {
                ProductRef::ClientSku(sku.trim().to_owned())
            } else if let Some(id) = p.reference.lenient() {
                ProductRef::Id(id)
            } else {
                return Err(format!("products[{k}] needs id or client_sku"));
            };
            let sale = sale::line_sale(
                &format!("products[{k}]."),
                p.sales_price.get(),
                p.ebay_transaction_id.get(),
                p.ebay_item_no.get(),
            )
            .map_err(|e| e.to_string())?;
            Ok((reference, qty, sale))
        })
        .collect()
}

/// The customs properties of a form-2 product: ids or names, as an array or joined.
fn properties(v: &Value) -> Result<Vec<CustomsProperty>, String> {
    match v {
        Value::Array(a) => a.iter().map(|v| property(&as_string_lenient(v).unwrap_or_default())).collect(),
        v => as_string_lenient(v)
            .unwrap_or_default()
            .split([',', '，', '、'])
            .filter(|s| !s.trim().is_empty())
            .map(property)
            .collect(),
    }
}

impl DescribedProduct {
    /// The product and quantity (spec §1.6): `client_ref`, `quantity` and `sales_price` are
    /// required.
    pub fn to_agent_product(&self) -> Result<AgentProduct, String> {
        let seller_sku = first(&[&self.client_ref, &self.client_sku, &self.sku]).ok_or("client_ref is required")?;
        let quantity = present(&self.quantity).and_then(entrepot_wire::as_i64_lenient).ok_or("quantity is required")?;
        if quantity <= 0 {
            return Err(format!("quantity must be positive, got {quantity}"));
        }
        bounded(limits::quantity("quantity", quantity))?;
        let sales_price = present(&self.sales_price).ok_or("sales_price is required")?;
        let sales_price = as_string_lenient(sales_price).unwrap_or_else(|| sales_price.to_string());
        let sale =
            bounded(sale::line_sale("", Some(&sales_price), self.ebay_transaction_id.get(), self.ebay_item_no.get()))?;
        let declared_value = match present(&self.price_customs_export) {
            Some(v) => as_decimal_minor(v, 2).map_err(|e| format!("price_customs_export: {e}"))?,
            None => None,
        };
        bounded(limits::amount_minor("price_customs_export", declared_value.unwrap_or(0)))?;
        let weight_g = match present(&self.weight) {
            Some(v) => grams(v).map_err(|e| format!("weight: {e}"))?,
            None => None,
        };
        bounded(limits::weight_g("weight", weight_g.unwrap_or(0)))?;
        let properties =
            match present(&self.product_customs_property).or_else(|| present(&self.product_customs_property_list)) {
                None => None,
                Some(v) => Some(properties(v)?),
            };
        Ok(AgentProduct {
            seller_sku,
            name_en: first(&[&self.product_name, &self.name_customs]),
            name_cn: first(&[&self.product_name_cn, &self.name]),
            weight_g,
            declared_value,
            declared_currency: declared_value.map(|_| "USD".to_owned()),
            hs_code: first(&[&self.hscode, &self.hs_code, &self.commodity_code]),
            origin_country: first(&[&self.country_of_origin, &self.origin_country_iso, &self.origin_country]),
            properties,
            image_url: first(&[&self.attachment_url_dashed, &self.attachment_url, &self.url]),
            quantity,
            sale,
        })
    }
}

/// A form-2 product from its JSON object.
pub fn described_product(p: &Map<String, Value>) -> Result<AgentProduct, String> {
    let fields: DescribedProduct = typed::from_value(&Value::Object(p.clone())).map_err(|e| e.to_string())?;
    fields.to_agent_product()
}

/// A form-3 product, from one item of the extended mini-language. Without a client SKU the
/// product name stands in for it.
pub fn extended_product(item: ExtendedItem) -> Result<AgentProduct, String> {
    let decimal = |v: &Option<String>, exp: u32, field: &str| match v {
        Some(t) => as_decimal_minor(&Value::String(t.clone()), exp).map_err(|e| format!("{field}: {e}")),
        None => Ok(None),
    };
    let declared_value = decimal(&item.price, 2, "price")?;
    bounded(limits::amount_minor("price", declared_value.unwrap_or(0)))?;
    let weight_g = match &item.weight_g {
        Some(t) => grams(&Value::String(t.clone())).map_err(|e| format!("weight: {e}"))?,
        None => None,
    };
    bounded(limits::weight_g("weight", weight_g.unwrap_or(0)))?;
    bounded(limits::quantity("quantity", item.quantity))?;
    let sale = bounded(sale::line_sale(
        "",
        item.platform_sales_price.as_deref(),
        item.ebay_transaction_id.as_deref(),
        item.ebay_item_no.as_deref(),
    ))?;
    let properties = if item.properties.is_empty() {
        None
    } else {
        Some(item.properties.iter().map(|p| property(p)).collect::<Result<_, _>>()?)
    };
    Ok(AgentProduct {
        seller_sku: item.client_ref.clone().or_else(|| item.name.clone()).unwrap_or_default(),
        name_en: item.name,
        name_cn: item.name_cn,
        weight_g,
        declared_value,
        declared_currency: declared_value.map(|_| "USD".to_owned()),
        hs_code: item.hs_code,
        origin_country: item.origin.map(|o| o.to_ascii_uppercase()),
        properties,
        image_url: item.image_url,
        quantity: item.quantity,
        sale,
    })
}

/// A decimal in API units as an integer of smaller ones: cm → mm (1 place), kg → g (3 places).
pub(crate) fn scaled(v: &Value, key: &str, places: u32) -> Result<i64, String> {
    let v = present(v).ok_or_else(|| format!("{key} is required"))?;
    let n = as_decimal_minor(v, places).map_err(|e| format!("{key}: {e}"))?.unwrap_or(0);
    if n <= 0 {
        return Err(format!("{key} must be positive"));
    }
    // Grams or millimetres, whichever `places` made of it.
    let max = if places == 3 { limits::MAX_WEIGHT_G } else { limits::MAX_DIMENSION_MM };
    bounded(limits::within(key, n, 1, max))
}

/// The parcel facts of a row's `packages` (cm and kg, as the API takes them).
pub fn packages_parcel(packages: &[Value]) -> Result<Parcel, String> {
    if packages.is_empty() {
        return Err("packages is required".into());
    }
    bounded(limits::lines("packages", packages.len()))?;
    let mut parcel = Parcel::default();
    for (k, p) in packages.iter().enumerate() {
        let at = |e: String| format!("packages[{k}].{e}");
        let p: Package = element(p, "packages", k)?;
        let weight_g = scaled(&p.weight, "weight", 3).map_err(at)?;
        let mut sides = [0i64; 3];
        for (side, (key, v)) in sides.iter_mut().zip([("length", &p.length), ("width", &p.width), ("depth", &p.depth)])
        {
            *side = scaled(v, key, 1).map_err(at)?;
        }
        if let Some(products) = present(&p.products) {
            let products = products.as_array().ok_or_else(|| at("products must be an array".into()))?;
            for (j, item) in products.iter().enumerate() {
                let item: PackageItem = element(item, "products", j).map_err(at)?;
                if item.name.is_none() {
                    return Err(at(format!("products[{j}].name is required")));
                }
                match item.quantity.lenient() {
                    Some(q) if q > 0 && q <= limits::MAX_QUANTITY => {}
                    _ => {
                        return Err(at(format!(
                            "products[{j}].quantity must be a number between 1 and {}",
                            limits::MAX_QUANTITY
                        )))
                    }
                }
            }
        }
        sides.sort_unstable_by(|a, b| b.cmp(a));
        parcel.weight_g = parcel.weight_g.saturating_add(weight_g);
        parcel.volume_mm3 = parcel.volume_mm3.saturating_add(sides.iter().fold(1i64, |v, s| v.saturating_mul(*s)));
        parcel.items += 1;
        parcel.largest_item_mm = parcel.largest_item_mm.max(sides);
    }
    Ok(parcel)
}

/// The products a package list holds, for the answer's `consignment_product_quantity`.
pub fn packaged_quantity(packages: &Value) -> i64 {
    packages
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| typed::from_value::<Package>(p).ok())
        .filter_map(|p| p.products.as_array().cloned())
        .flatten()
        .filter_map(|i| typed::from_value::<PackageItem>(&i).ok()?.quantity.lenient())
        .sum()
}
