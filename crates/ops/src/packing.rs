//! The packing bench's last step as every door runs it: the parcel is closed (weighed,
//! measured, held when its weight is off) and, when its label was not booked yet by the
//! background loop, booked at once so the label prints with the packing slip.

use std::sync::Arc;

use entrepot_app::{types::packing::PackView, App};
use entrepot_core::{actor::Actor, ids::WarehouseId, CoreResult};

use crate::{book_now, BookingConfig, CarrierConnector};

/// Closes the parcel of `order` at `warehouse` and books its label when it has none; a
/// carrier that cannot book now leaves it to the background loop (the view says the label is
/// not ready).
#[allow(clippy::too_many_arguments)]
pub async fn close_and_book(
    app: &App,
    carrier: Arc<dyn CarrierConnector>,
    booking: &BookingConfig,
    actor: &Actor,
    warehouse: &WarehouseId,
    order: &str,
    weight_g: i64,
    dims: (i64, i64, i64),
    release_hold: bool,
) -> CoreResult<PackView> {
    let v = app.close_pack(actor, warehouse, order, weight_g, dims, release_hold).await?;
    if v.status != "PACKED" || v.label_ready {
        return Ok(v);
    }
    if let Err(e) = book_now(app, carrier, booking, &v.client_id, &v.order_id).await {
        tracing::warn!(order = %v.oc_number, error = %e, "packed parcel not booked at once");
        return Ok(v);
    }
    app.pack_view(actor, warehouse, &v.order_id.0).await
}
