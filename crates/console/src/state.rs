//! What every console handler reaches.

use std::sync::Arc;

use entrepot_app::App;
use entrepot_ops::{BlobStore, BookingConfig, CarrierConnector, Destinations};

use crate::uploads::Uploads;

/// The use cases, and what the packing bench and imports need beside them.
#[derive(Clone)]
pub struct ConsoleState {
    pub app: App,
    /// Order sheets uploaded and checked, waiting to be imported.
    pub uploads: Uploads,
    /// The carrier a parcel closed before its background booking is booked with, at once.
    pub carrier: Arc<dyn CarrierConnector>,
    pub booking: BookingConfig,
    /// Where an inbound's customs files are kept (beside its labels, as OC keeps them).
    pub blobs: Arc<dyn BlobStore>,
    /// Where a webhook endpoint may point (`--webhook-allow-networks`), checked at registration
    /// as the Bird door checks it.
    pub webhook_destinations: Destinations,
}

impl entrepot_api::idempotency::HasApp for ConsoleState {
    fn app(&self) -> &App {
        &self.app
    }
}
