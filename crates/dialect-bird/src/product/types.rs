//! Bird's product shapes (`/client/Product` and the stock endpoints), and the names Bird gives
//! to core values: product status, customs property ids, ledger transaction types.

use entrepot_core::{
    ids::ClientId,
    inventory::Reason,
    sku::{CustomsProperty, SkuStatus},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    envelope::{BirdError, MODULE},
    fields::{Int, Text},
    listing::{Column, Columns},
};

/// The types of [`ProductRow`]'s columns, which list filters read their values as; the columns
/// not named here are text.
pub const COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("weight", Column::Decimal),
    ("length", Column::Decimal),
    ("width", Column::Decimal),
    ("depth", Column::Decimal),
    ("dimension_lock", Column::Integer),
    ("last_info_check_time", Column::Time),
    ("price_customs_export", Column::Decimal),
    ("live_stock", Column::Integer),
    ("current_locked_stock", Column::Integer),
    ("frozen_stock", Column::Integer),
    ("pending_stock", Column::Integer),
    ("company_product-live_stock", Column::Integer),
    ("company_product-current_locked_stock", Column::Integer),
];

/// The types of [`TransactionRow`]'s columns, as [`COLUMNS`].
pub const TRANSACTION_COLUMNS: Columns = &[
    ("product_id", Column::Integer),
    ("quantity", Column::Integer),
    ("consignment_id", Column::Integer),
    ("quantity_left", Column::Integer),
    ("update_time", Column::Time),
];

/// The types of [`CustomsPropertyRow`]'s columns, as [`COLUMNS`].
pub const CUSTOMS_PROPERTY_COLUMNS: Columns = &[("id", Column::Integer)];

/// A product row: `GET|POST /client/Product`, and the `data` of PRODUCT webhooks.
#[derive(Serialize)]
pub struct ProductRow<'a> {
    pub id: String,
    pub client_id: &'a ClientId,
    pub client_ref: &'a str,
    pub company_ref: &'a str,
    pub name: &'a str,
    pub name_customs: &'a str,
    pub commodity_code: Option<&'a str>,
    pub country_of_origin: Option<&'a str>,
    pub weight: String,
    pub length: String,
    pub width: String,
    pub depth: String,
    /// `"1"` once the warehouse measured the product at audit: `weight` and the sizes are then
    /// the measured ones, which the seller's updates no longer change.
    pub dimension_lock: &'static str,
    /// When the warehouse measured it (`Y-m-d H:i:s`), `null` before.
    pub last_info_check_time: Option<String>,
    pub price_customs_export: String,
    pub price_customs_export_currency: &'a str,
    pub url: Option<&'a str>,
    /// [`product_status`].
    pub status: &'static str,
    pub audit_status: &'static str,
    /// [`property_id`]s, as strings.
    pub product_customs_property: Vec<String>,
    pub product_customs_property_name: String,
    pub live_stock: String,
    pub current_locked_stock: String,
    pub frozen_stock: String,
    pub pending_stock: String,
    #[serde(rename = "company_product-live_stock")]
    pub site_live_stock: String,
    #[serde(rename = "company_product-current_locked_stock")]
    pub site_locked_stock: String,
    pub shape_type: &'static str,
    /// `"1"` when every client may order it from this client's stock (an ordinary shared
    /// product), `"0"` when not; absent where the row was not read with its shares (webhooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_shared_internal: Option<&'static str>,
    pub primary_keys: [&'static str; 1],
}

/// One product of `GET /client/product/Get-Product-Available-Quantity` (numbers, not strings).
#[derive(Serialize)]
pub struct AvailableQuantityRow {
    pub live_stock: i64,
    pub current_locked_stock: i64,
    pub dynamic_warehouse_available_stock: i64,
    pub id: i64,
}

/// The answer of `Get-Product-Available-Quantity`: the list envelope without `total`.
#[derive(Serialize)]
pub struct AvailableQuantityBody {
    pub data: Vec<AvailableQuantityRow>,
    pub success: bool,
    pub refresh: bool,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

impl AvailableQuantityBody {
    pub fn new(data: Vec<AvailableQuantityRow>) -> Self {
        Self { data, success: true, refresh: false, module_name: MODULE }
    }
}

/// A site's `company_id` in a stock-info row: the site's number, or `"0"` (a string, as
/// BirdSystem sends it) on the frozen-stock row.
#[derive(Serialize)]
#[serde(untagged)]
pub enum StockCompany {
    Site(i64),
    Frozen(&'static str),
}

/// One site's stock of a product: `GET /client/Container-Product/Get-Product-Stock-Info`.
#[derive(Serialize)]
pub struct StockInfoRow<'a> {
    pub product_id: i64,
    pub quantity: String,
    pub company_id: StockCompany,
    pub company_site_name: &'a str,
    pub client_ref: &'a str,
    pub is_dynamic_warehouse: i64,
}

/// One change of live stock: `GET /client/Container-Product-Transaction`.
#[derive(Serialize)]
pub struct TransactionRow<'a> {
    pub id: &'a str,
    pub container_id: (),
    pub product_id: i64,
    pub quantity: String,
    pub consignment_id: Option<&'a str>,
    pub client_dispatch_id: Option<&'a str>,
    pub warehouse_dispatch_id: (),
    pub warehouse_transfer_id: (),
    pub additional_service_id: (),
    pub company_user_id: (),
    pub note: String,
    pub update_time: Option<String>,
    /// [`transaction_type`].
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "container-reference")]
    pub container_reference: (),
    pub quantity_left: String,
    pub primary_keys: [&'static str; 1],
}

/// One customs property: `GET /client/product-customs-property`.
#[derive(Serialize)]
pub struct CustomsPropertyRow {
    pub id: String,
    pub name: &'static str,
    pub status: &'static str,
    pub primary_keys: [&'static str; 1],
}

/// Bird's product status: INACTIVE when switched off, ACTIVE once approved, PREPARING before.
pub fn product_status(active: bool, status: SkuStatus) -> &'static str {
    if !active {
        "INACTIVE"
    } else if status == SkuStatus::Approved {
        "ACTIVE"
    } else {
        "PREPARING"
    }
}

/// Bird's transaction type for a ledger reason.
pub fn transaction_type(r: Reason) -> &'static str {
    match r {
        Reason::OutboundFulfilled => "CONSIGNMENT",
        Reason::PutAway | Reason::Received | Reason::InboundSubmitted | Reason::InboundClosed => "CLIENT_DISPATCH",
        Reason::Frozen | Reason::Unfrozen => "FROZEN",
        _ => "ADJUSTMENT",
    }
}

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

/// The fields of a product: the body of `POST /client/Product`, and the product part of
/// `POST /client/Agent-Direct-Consignment-Product`. Names in the order they are read when a
/// field has two (`name`, else `product_name_cn`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ProductFields {
    /// The product to update.
    pub id: Int,
    /// ACTIVE or INACTIVE switches the product on or off.
    pub status: Text,
    /// The client's SKU (required).
    pub client_ref: Text,
    pub name: Text,
    pub product_name_cn: Text,
    pub name_customs: Text,
    pub product_name: Text,
    /// USD, as a decimal.
    pub price_customs_export: Value,
    /// Ids or names ([`parse_property`]), as an array or joined with `,` or `，`.
    pub product_customs_property: Value,
    pub product_product_customs_property: Value,
    /// Grams and millimetres, integers (decimals are rounded).
    pub weight: Value,
    pub length: Value,
    pub width: Value,
    pub depth: Value,
    pub commodity_code: Text,
    pub hscode: Text,
    pub country_of_origin: Text,
    pub url: Text,
    #[serde(rename = "attachment-url")]
    pub attachment_url: Text,
    /// 1 shares the product with every client, 0 ends that share (Bird's ordinary shared
    /// product); written `company_product-is_shared_internal` on input.
    #[serde(rename = "company_product-is_shared_internal", alias = "is_shared_internal")]
    pub is_shared_internal: Text,
}

/// The search parameters of `GET /client/Product` (besides the list language).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ProductSearch {
    pub id: Int,
    pub client_ref: Text,
}

/// The query of the stock endpoints: `product_id`, else the first of `ids` (`1,2` or `1_2`),
/// else a `product_id` entry of the list language's `filter`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct StockQuery {
    pub product_id: Int,
    pub ids: Text,
    pub filter: Value,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn stock_answers_keep_birds_value_types() {
        let row = |company_id| StockInfoRow {
            product_id: 7,
            quantity: "3".into(),
            company_id,
            company_site_name: "UK1",
            client_ref: "A",
            is_dynamic_warehouse: 0,
        };
        assert_eq!(
            serde_json::to_value(row(StockCompany::Site(1))).unwrap(),
            json!({"product_id": 7, "quantity": "3", "company_id": 1, "company_site_name": "UK1", "client_ref": "A",
                   "is_dynamic_warehouse": 0})
        );
        assert_eq!(serde_json::to_value(row(StockCompany::Frozen("0"))).unwrap()["company_id"], json!("0"));
        let body = AvailableQuantityBody::new(vec![AvailableQuantityRow {
            live_stock: 5,
            current_locked_stock: 1,
            dynamic_warehouse_available_stock: 0,
            id: 7,
        }]);
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"data": [{"live_stock": 5, "current_locked_stock": 1, "dynamic_warehouse_available_stock": 0, "id": 7}],
                   "success": true, "refresh": false, "moduleName": "client"})
        );
    }

    #[test]
    fn product_statuses() {
        assert_eq!(product_status(false, SkuStatus::Approved), "INACTIVE");
        assert_eq!(product_status(true, SkuStatus::Approved), "ACTIVE");
        assert_ne!(product_status(true, SkuStatus::Draft), "ACTIVE");
    }
}
