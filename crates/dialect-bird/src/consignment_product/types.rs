//! Bird's consignment-product shapes.

use serde::{Deserialize, Serialize};

use crate::{
    fields::{Int, Text},
    listing::{Column, Columns},
};

/// The types of [`LineRow`]'s columns, which list filters read their values as; the columns not
/// named here are text.
pub const COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("consignment_id", Column::Integer),
    ("product_id", Column::Integer),
    ("quantity", Column::Integer),
    ("product_weight", Column::Decimal),
    ("unit_product_weight", Column::Decimal),
    ("unit_product_length", Column::Decimal),
    ("unit_product_width", Column::Decimal),
    ("unit_product_depth", Column::Decimal),
    ("price_customs_export", Column::Decimal),
    ("total_price_customs_export", Column::Decimal),
    ("sales_price", Column::Decimal),
    ("total_sales_price", Column::Decimal),
];

/// One product line of a consignment: `GET|POST /client/Consignment-Product`.
#[derive(Serialize)]
pub struct LineRow<'a> {
    pub id: String,
    pub consignment_id: String,
    pub product_id: String,
    pub quantity: String,
    /// DIRECTIONAL when the product is another client's, shared with this one.
    pub product_type: &'static str,
    pub is_directional_shared_product: &'static str,
    pub product_customs_name: &'a str,
    pub product_client_ref: &'a str,
    #[serde(rename = "product-client_ref")]
    pub product_client_ref_dashed: &'a str,
    pub product_weight: String,
    pub unit_product_weight: String,
    pub unit_product_length: String,
    pub unit_product_width: String,
    pub unit_product_depth: String,
    pub price_customs_export: String,
    pub total_price_customs_export: String,
    /// The platform unit sales price (USD, three decimals), when given.
    pub sales_price: Option<String>,
    /// `sales_price` × `quantity` (USD, two decimals).
    pub total_sales_price: Option<String>,
    pub ebay_transaction_id: Option<&'a str>,
    pub ebay_item_no: Option<&'a str>,
    pub primary_keys: [&'static str; 1],
}

/// The line of `POST /client/Agent-Direct-Consignment-Product`, with the product it created or
/// updated.
#[derive(Serialize)]
pub struct AgentDirectLineRow<'a> {
    #[serde(flatten)]
    pub line: LineRow<'a>,
    pub product_name: &'a str,
    pub product_name_cn: Option<&'a str>,
    pub client_ref: &'a str,
}

/// The body of `POST /client/Consignment-Product`; with the product's fields
/// ([`crate::product::types::ProductFields`]) that of `POST /client/Agent-Direct-Consignment-Product`
/// (no `product_id`); `consignment_id` alone the query of `GET /client/Consignment-Product`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct LineFields {
    pub consignment_id: Int,
    pub product_id: Int,
    pub quantity: Int,
    pub sales_price: Text,
    pub ebay_transaction_id: Text,
    pub ebay_item_no: Text,
    /// NORMAL (the default) or DIRECTIONAL: a product another client shares with this one.
    pub product_type: Text,
    /// 1: the same as `product_type=DIRECTIONAL`.
    pub is_directional_shared_product: Text,
}
