//! The shapes of `Post-Pending-Consignment-With-Products-Json`: each row is a consignment
//! ([`crate::consignment::ConsignmentFields`]) plus one of four product forms. The answer is
//! the consignment rows ([`crate::consignment::ConsignmentRow`]).
//!
//! Amounts, weights and sizes are read as sent (`Value`) and converted to integer units by the
//! transformer, whose refusals name the field the way ERPs already match on.

use serde::Deserialize;
use serde_json::Value;

use crate::fields::{Int, Text};

/// The query of the upload: `?returnLabel=1` (book now and answer with the label) and
/// `?type=client_direct` (form 4).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct PendingQuery {
    #[serde(rename = "returnLabel")]
    pub return_label: Text,
    #[serde(rename = "type")]
    pub kind: Text,
}

/// The product part of one uploaded row.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct PendingRow {
    /// Forms 1 and 2: an array of [`StockProduct`] or [`DescribedProduct`].
    pub products: Value,
    /// Form 3: the extended mini-language ([`crate::product_ref::parse_extended`]).
    pub product_company_ref: Text,
    /// Form 4: an array of [`Package`].
    pub packages: Value,
    pub delivery_package_size_id: Text,
}

/// Form 1: an existing product by Bird id or by the client's SKU.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct StockProduct {
    pub id: Int,
    pub client_sku: Value,
    pub client_ref: Value,
    /// A Bird id under another name.
    pub reference: Int,
    pub quantity: Int,
    /// The line's platform sale (USD unit price, eBay ids).
    pub sales_price: Text,
    pub ebay_transaction_id: Text,
    pub ebay_item_no: Text,
}

/// Form 2 (AGENT_DIRECT): a product described inline, created or updated by `client_ref`.
/// `client_ref`, `quantity` and `sales_price` are required; later names of a field are read
/// when the earlier ones are blank.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct DescribedProduct {
    pub client_ref: Text,
    pub client_sku: Text,
    pub sku: Text,
    pub quantity: Value,
    pub sales_price: Value,
    pub ebay_transaction_id: Text,
    pub ebay_item_no: Text,
    pub price_customs_export: Value,
    /// Grams from a decimal (`"10.00"`), rounded to the gram.
    pub weight: Value,
    /// Ids or names, as an array or joined with `,`, `，` or `、`.
    pub product_customs_property: Value,
    #[serde(rename = "product_customs_property[]")]
    pub product_customs_property_list: Value,
    pub product_name: Text,
    pub name_customs: Text,
    pub product_name_cn: Text,
    pub name: Text,
    pub hscode: Text,
    pub hs_code: Text,
    pub commodity_code: Text,
    pub country_of_origin: Text,
    pub origin_country_iso: Text,
    pub origin_country: Text,
    #[serde(rename = "attachment-url")]
    pub attachment_url_dashed: Text,
    pub attachment_url: Text,
    pub url: Text,
}

/// Form 4 (CLIENT_DIRECT): a package the client packed itself, in cm and kg.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Package {
    pub weight: Value,
    pub length: Value,
    pub width: Value,
    pub depth: Value,
    /// An array of [`PackageItem`], if given.
    pub products: Value,
}

/// What a package holds.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct PackageItem {
    pub name: Text,
    pub quantity: Int,
}
