//! From core order lines and SKUs to Bird's consignment-product rows.

use entrepot_app::OrderLine;
use entrepot_core::sku::Sku;

use super::types::{AgentDirectLineRow, LineRow};
use crate::{format, sale};

impl<'a> LineRow<'a> {
    /// Line `l` of consignment `consignment` (its Bird id), of product `sku`.
    pub fn new(consignment: i64, l: &'a OrderLine, sku: &'a Sku) -> Self {
        LineRow {
            id: l.line_id.to_string(),
            consignment_id: consignment.to_string(),
            product_id: l.sku_id.0.to_string(),
            quantity: l.qty.to_string(),
            product_type: if l.owner.is_some() { "DIRECTIONAL" } else { "NORMAL" },
            is_directional_shared_product: if l.owner.is_some() { "1" } else { "0" },
            product_customs_name: &sku.name_en,
            product_client_ref: &sku.seller_sku,
            product_client_ref_dashed: &sku.seller_sku,
            product_weight: format::decimal_text(sku.weight_g),
            unit_product_weight: format::decimal_text(sku.weight_g),
            unit_product_length: format::decimal_text(sku.length_mm),
            unit_product_width: format::decimal_text(sku.width_mm),
            unit_product_depth: format::decimal_text(sku.height_mm),
            price_customs_export: format::money_text(sku.declared_value),
            total_price_customs_export: format::money_text(sku.declared_value.saturating_mul(l.qty)),
            sales_price: l.sale.sales_price.as_ref().map(sale::price_text),
            total_sales_price: sale::line_total_text(&l.sale, l.qty),
            ebay_transaction_id: l.sale.ebay_transaction_id.as_deref(),
            ebay_item_no: l.sale.ebay_item_no.as_deref(),
            primary_keys: ["id"],
        }
    }
}

impl<'a> AgentDirectLineRow<'a> {
    pub fn new(consignment: i64, l: &'a OrderLine, sku: &'a Sku) -> Self {
        AgentDirectLineRow {
            line: LineRow::new(consignment, l, sku),
            product_name: &sku.name_en,
            product_name_cn: sku.name_cn.as_deref(),
            client_ref: &sku.seller_sku,
        }
    }
}
