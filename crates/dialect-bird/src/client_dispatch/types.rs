//! Bird's client-dispatch shapes and the names it gives to inbound statuses and freight methods.

use entrepot_core::{
    ids::ClientId,
    inbound::{InboundStatus, ShippingMode},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    fields::{Int, Text},
    listing::{Column, Columns},
};

/// A client dispatch: `GET /client/Client-Dispatch` and the rows answering
/// `Client-Dispatch-Upload/Client-Dispatch-Json`.
#[derive(Serialize)]
pub struct DispatchRow<'a> {
    /// The fields the client uploaded, free-form (less the container list and the keys below,
    /// which are the dispatch's own).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    pub id: String,
    pub client_id: &'a ClientId,
    pub reference: &'a str,
    /// One of [`TYPES`], NORMAL when not sent.
    #[serde(rename = "type")]
    pub kind: String,
    /// [`bird_status`].
    pub status: &'static str,
    pub warehouse_id_destination: Option<String>,
    pub warehouse_code_destination: Option<&'a str>,
    pub final_freight_method: &'static str,
    pub inbound_number: &'a str,
    pub total_quantity: String,
    /// Every unit the warehouse counted, good or damaged.
    pub total_quantity_check: String,
    pub total_quantity_stock: String,
    /// Units counted damaged (unfulfillable). Entrepot's field: BirdSystem's is not public.
    pub total_quantity_damaged: String,
    /// Units missing, known once the warehouse closed the receipt ("0" before). Entrepot's field.
    pub total_quantity_short: String,
    /// Units counted above what was sent. Entrepot's field.
    pub total_quantity_over: String,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub primary_keys: [&'static str; 1],
}

/// The types of [`ContainerProductRow`]'s columns, which list filters read their values as; the
/// columns not named here are text. (Dispatch and temp rows carry the upload's own fields, whose
/// types are the client's, and compare loosely.)
pub const CONTAINER_PRODUCT_COLUMNS: Columns = &[
    ("product_id", Column::Integer),
    ("quantity", Column::Integer),
    ("quantity_check", Column::Integer),
    ("quantity_stock", Column::Integer),
    ("quantity_damaged", Column::Integer),
    ("quantity_short", Column::Integer),
    ("client_dispatch_container_weight", Column::Decimal),
    ("product_price_customs_export", Column::Decimal),
];

/// One product in one container of a dispatch, with what the warehouse counted
/// (`quantity_check`) and put away (`quantity_stock`):
/// `GET /client/Client-Dispatch-Container-Product`.
#[derive(Serialize)]
pub struct ContainerProductRow<'a> {
    pub id: String,
    pub client_dispatch_id: String,
    pub client_dispatch_container_id: String,
    pub client_dispatch_container_reference: String,
    pub client_dispatch_container_type_code: Option<String>,
    pub client_dispatch_container_weight: Option<String>,
    pub product_id: String,
    pub quantity: String,
    pub quantity_check: String,
    pub quantity_stock: String,
    /// Of `quantity_check`, the units counted damaged. Entrepot's field.
    pub quantity_damaged: String,
    /// Units of the entry missing once the receipt is closed. Entrepot's field.
    pub quantity_short: String,
    pub product_name: Option<&'a str>,
    pub product_name_customs: Option<&'a str>,
    pub product_client_ref: Option<&'a str>,
    #[serde(rename = "product-client_ref")]
    pub product_client_ref_dashed: Option<&'a str>,
    pub product_price_customs_export: Option<String>,
    pub warehouse_id_destination: Option<String>,
    pub warehouse_id_origination: Option<String>,
    pub primary_keys: [&'static str; 1],
}

/// The dispatch types BirdSystem documents (W-2209513584 and the upload page).
pub const TYPES: [&str; 5] = ["NORMAL", "DIRECT", "CLIENT_TRANSFER", "WAREHOUSE_TRANSFER", "SPONTANEOUS"];

/// Bird's status code of an inbound. BirdSystem's codes were not found (spec §7 gives its
/// client-side workflow in Chinese only), so these are named like its consignment statuses:
///
/// | core | Bird | meaning |
/// |---|---|---|
/// | Draft | `PREPARING` | 客户准备中, being prepared by the client |
/// | AwaitingAppointment, AwaitingTracking | `SUBMITTED` | 客户已发货待审核, sent by the client; waits for a delivery appointment (or, express, tracking numbers) |
/// | InTransit | `IN_TRANSIT` | booked and on its way |
/// | Arrived | `ARRIVED` | at the warehouse dock |
/// | Receiving | `RECEIVING` | being counted (`quantity_check` grows) |
/// | PartiallyPutAway | `PUTTING_AWAY` | partly on the shelves (`quantity_stock` grows) |
/// | PutAway | `FINISHED` | everything received is sellable |
/// | Cancelled | `DELETED` | 已删除, withdrawn before arrival |
pub fn bird_status(s: InboundStatus) -> &'static str {
    match s {
        InboundStatus::Draft => "PREPARING",
        InboundStatus::AwaitingAppointment | InboundStatus::AwaitingTracking => "SUBMITTED",
        InboundStatus::InTransit => "IN_TRANSIT",
        InboundStatus::Arrived => "ARRIVED",
        InboundStatus::Receiving => "RECEIVING",
        InboundStatus::PartiallyPutAway => "PUTTING_AWAY",
        InboundStatus::PutAway => "FINISHED",
        InboundStatus::Cancelled => "DELETED",
    }
}

/// `final_freight_method`: SEA, AIR, EXPRESS, TRUCK (and the Chinese names ERPs show).
pub fn freight_method(s: &str) -> Result<ShippingMode, String> {
    match s.trim() {
        "海运" => return Ok(ShippingMode::Sea),
        "空运" => return Ok(ShippingMode::Air),
        "快递" => return Ok(ShippingMode::Express),
        "卡车" | "陆运" | "卡航" => return Ok(ShippingMode::Truck),
        _ => {}
    }
    s.parse().map_err(|_| format!("final_freight_method: unknown freight method '{s}' (SEA, AIR, EXPRESS or TRUCK)"))
}

/// One element of `Client-Dispatch-Upload/Client-Dispatch-Json`. The element is also kept
/// verbatim (the core does not interpret type, origin, freight plan, final address or the
/// containers) and shown back in [`DispatchRow`].
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct DispatchFields {
    /// One of [`TYPES`], in any case; NORMAL when absent.
    #[serde(rename = "type")]
    pub kind: Text,
    /// The site by Bird id or code; the addressed site (`company_id`) when absent.
    pub warehouse_id_destination: Text,
    /// [`freight_method`] (required).
    pub final_freight_method: Text,
    /// Generated (`CD-...`) when absent.
    pub reference: Text,
    pub warehouse_id_origination: Text,
    /// An array of [`ContainerEntry`] (required).
    pub client_dispatch_container_product_list: Value,
}

/// One product in one container of an uploaded dispatch.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ContainerEntry {
    pub product_id: Int,
    pub quantity: Int,
    pub client_dispatch_container_reference: Text,
    pub client_dispatch_container_type_code: Text,
    pub client_dispatch_container_weight: Text,
    pub warehouse_id_origination: Text,
}

/// The query of `GET /client/Client-Dispatch` (`?id=` joined with `_`) and of
/// `GET /client/Client-Dispatch-Container-Product` (`?client_dispatch_id=`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct DispatchSearch {
    pub id: Text,
    pub client_dispatch_id: Text,
}
