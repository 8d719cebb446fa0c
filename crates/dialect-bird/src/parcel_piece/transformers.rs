//! From a CLIENT_DIRECT order's packages (kept as uploaded, in cm and kg) to Bird's pieces.

use entrepot_app::types::orders::OrderView;
use entrepot_wire::as_string_lenient;
use serde_json::Value;

use super::types::ParcelPieceRow;
use crate::{format::time_text, pending::transformers::scaled};

/// The pieces of `o`: one per package it was uploaded with (none for an order packed in the
/// warehouse). A piece's id is the consignment's id followed by its serial in four digits (an
/// order holds at most [`entrepot_core::limits::MAX_LINES`] packages): stable and distinct, but
/// 20 digits, past a 64-bit integer, so the column is text.
pub fn pieces(o: &OrderView) -> Vec<ParcelPieceRow<'_>> {
    let packages: Value = o.attributes.get("packages").and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    let Value::Array(packages) = packages else { return vec![] };
    let mm = |p: &Value, key: &str| p.get(key).and_then(|v| scaled(v, key, 1).ok()).unwrap_or(0).to_string();
    packages
        .iter()
        .zip(1i64..)
        .map(|(p, serial)| ParcelPieceRow {
            id: format!("{}{serial:04}", o.bird_id),
            serial: serial.to_string(),
            consignment_id: o.bird_id.to_string(),
            reference: p.get("reference").and_then(as_string_lenient),
            delivery_reference: o.tracking_number.as_deref(),
            weight: p.get("weight").and_then(|v| scaled(v, "weight", 3).ok()).unwrap_or(0).to_string(),
            length: mm(p, "length"),
            width: mm(p, "width"),
            depth: mm(p, "depth"),
            description: p.get("description").and_then(as_string_lenient),
            create_time: time_text(o.created_at_ms),
            primary_keys: ["id"],
        })
        .collect()
}
