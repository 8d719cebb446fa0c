//! placeOutboundOrder, OrdersQuery v2 and orderCancellation bodies (spec §5.12–§5.14), and OC's
//! names of the order statuses.

use entrepot_core::outbound::OutboundStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fields::Field;

/// OC's name of a core status.
///
/// | core | OC |
/// |---|---|
/// | Draft | `Draft` |
/// | Submitted | `Accepted` (validated, stock reserved: OC's `Submitted` is the unvalidated step Entrepot does not have) |
/// | WaitPicking | `Create picking task` |
/// | Picking | `Picked` (the last state a core order has before packing; cancelling is refused from here) |
/// | Packed | `Packed` |
/// | Shipped | `Outbound` |
/// | Delivered | `Delivered` |
/// | Cancelled | `Cancelled` |
/// | Exception | `Exception` |
pub fn oc_status(s: OutboundStatus) -> &'static str {
    match s {
        OutboundStatus::Draft => "Draft",
        OutboundStatus::Submitted => "Accepted",
        OutboundStatus::WaitPicking => "Create picking task",
        OutboundStatus::Picking => "Picked",
        OutboundStatus::Packed => "Packed",
        OutboundStatus::Shipped => "Outbound",
        OutboundStatus::Delivered => "Delivered",
        OutboundStatus::Cancelled => "Cancelled",
        OutboundStatus::Exception => "Exception",
    }
}

/// `POST /openapi/3pp/outbound/v1/creation`: one order of `data` (a list; one object alone is one
/// order).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderIn {
    /// The idempotency key, ≤ 50.
    pub reference_number: Field,
    pub order_platform: Field,
    pub ebay_order_id: Field,
    pub ebay_id: Field,
    pub service_region: Field,
    pub shipping_service_code: Field,
    pub consignee_name: Field,
    pub company_name: Field,
    pub consignee_address1: Field,
    /// Appended to address line 1.
    pub house_number: Field,
    pub consignee_address2: Field,
    pub consignee_city: Field,
    pub consignee_province_or_state: Field,
    pub consignee_zip_code: Field,
    pub consignee_country_code: Field,
    pub consignee_phone: Field,
    pub consignee_email: Field,
    pub remarks: Field,
    #[serde(rename = "fileGroupID")]
    pub file_group_id: Field,
    /// `[{mfSkuId, skuQuantity}]`.
    pub product_list: Field,
}

/// An entry of an order's `productList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProductIn {
    pub mf_sku_id: Field,
    /// Read when `mfSkuId` is absent.
    pub sku_id: Field,
    pub sku_quantity: Field,
    /// Read when `skuQuantity` is absent.
    pub quantity: Field,
    /// The eBay listing and transaction the line sold under (the seed: "used to avoid duplicated
    /// order"); kept per line, shown back in the query's `SKUList` and in Bird's
    /// consignment-product rows (`ebay_item_no`, `ebay_transaction_id`).
    #[serde(rename = "eBayItemId")]
    pub ebay_item_id: Field,
    #[serde(rename = "eBayTransactionId")]
    pub ebay_transaction_id: Field,
}

/// placeOutboundOrder: a created order, in `data[]`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderCreated {
    pub order_number: String,
    pub reference_number: String,
}

/// `POST /openapi/3pp/outbound/v1/cancel`. The reply has no `data`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CancelIn {
    pub order_number: Field,
    /// Checked when given; Entrepot cancels at once either way.
    pub cancel_time: Field,
    pub cancel_reason: Field,
}

/// `POST /openapi/3pp/outbound/v2/query`: number lists (a union) and/or a creation slot.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderQuery {
    pub start_time: Field,
    pub end_time: Field,
    /// `[{orderNumber}]` or plain numbers.
    pub order_number_list: Field,
    /// `[{referenceNumber}]` or plain references.
    pub reference_number_list: Field,
    /// `[{ebayOrderId, ebayId}]`.
    pub ebay_order_id_list: Field,
}

/// An entry of `orderNumberList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderNumberIn {
    pub order_number: Field,
}

/// An entry of `referenceNumberList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReferenceNumberIn {
    pub reference_number: Field,
}

/// An entry of `ebayOrderIdList`: with `ebayId`, only that eBay account's order matches.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EbayOrderIn {
    pub ebay_order_id: Field,
    pub ebay_id: Field,
}

/// OrdersQuery v2: one order, in `data[]`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRow {
    pub order_number: String,
    pub reference_number: String,
    /// [`oc_status`].
    pub order_status: &'static str,
    #[serde(rename = "autoFulfillmentEF")]
    pub auto_fulfillment_ef: bool,
    pub order_creation_time: String,
    pub service_region: String,
    pub warehouse_code: String,
    pub shipping_service_code: String,
    pub order_platform: Option<String>,
    pub ebay_order_id: Option<String>,
    pub ebay_id: Option<String>,
    pub country: String,
    /// As the cancellation sent it; `null` when it gave none or the order is not cancelled.
    pub cancel_reason: Option<String>,
    /// Ours (OC's query shows no consignee block): what the placement sent and OC's row has no
    /// field for, answered as sent, so nothing an ERP sends is lost. Left out when not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub house_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(rename = "fileGroupID", skip_serializing_if = "Option::is_none")]
    pub file_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Always one entry.
    pub tracking_number_list: Vec<TrackingOut>,
    #[serde(rename = "SKUList")]
    pub sku_list: Vec<SkuLineOut>,
}

/// One stage of a parcel's routing information.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingOut {
    pub time: String,
    /// ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or DELIVERY_EXCEPTION.
    pub code: &'static str,
    pub description: String,
    pub location: Option<String>,
}

/// The parcel of an order: its tracking number (`""` until booked) and fee.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingOut {
    pub tracking_number: String,
    pub order_number: String,
    /// The service's carrier code.
    #[serde(rename = "LMCarrierCode")]
    pub lm_carrier_code: String,
    /// The booked carrier's name.
    #[serde(rename = "LMCarrierName")]
    pub lm_carrier_name: String,
    /// Grams with four decimals, as text.
    pub chargeable_weight: String,
    pub chargeable_weight_unit: &'static str,
    /// A JSON number rendered from integer minor units (see [`super::query::amount`]).
    pub fee_amount: Value,
    pub fee_amount_currency: String,
    #[serde(rename = "SKUList")]
    pub sku_list: Vec<SkuLineOut>,
    /// The carrier's routing information after the handover, oldest first (Entrepot's own
    /// field: OC's documents show none).
    #[serde(rename = "routingList")]
    pub routing_list: Vec<RoutingOut>,
}

/// An order line.
#[derive(Debug, Clone, Serialize)]
pub struct SkuLineOut {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    #[serde(rename = "SKUQuantity")]
    pub sku_quantity: i64,
    /// Serial numbers: Entrepot records none.
    #[serde(rename = "SN")]
    pub sn: &'static str,
    /// The line's eBay ids (placeOutboundOrder's `eBayItemId` and `eBayTransactionId`, Bird's
    /// `ebay_item_no` and `ebay_transaction_id`), when the order has them.
    #[serde(rename = "eBayItemId", skip_serializing_if = "Option::is_none")]
    pub ebay_item_id: Option<String>,
    #[serde(rename = "eBayTransactionId", skip_serializing_if = "Option::is_none")]
    pub ebay_transaction_id: Option<String>,
}
