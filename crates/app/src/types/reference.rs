use std::time::{Duration, Instant};

use entrepot_core::{company::Warehouse, service::Service};

/// Warehouses and services as read at one moment.
#[derive(Debug)]
pub struct Snapshot {
    pub loaded: Instant,
    pub warehouses: Vec<Warehouse>,
    pub services: Vec<Service>,
}

/// How long a snapshot is used before it is read again.
pub const TTL: Duration = Duration::from_secs(1);
