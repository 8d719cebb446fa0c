//! Operations for Entrepot: what touches the outside world on behalf of the core.
//!
//! `entrepot-core` decides (which service, which stock, which state); this crate carries those
//! decisions out against things that can fail, be slow or live elsewhere: carriers that book
//! shipments and print labels, storage for the files that produces, and the background workers
//! that run long jobs outside requests.
//!
//! - [`CarrierConnector`] is the seam every carrier integration implements; [`SandboxCarrier`]
//!   books offline and deterministically, with carrier-shaped tracking numbers
//!   ([`is_valid_s10`] checks the Royal Mail / Parcelforce ones).
//! - [`BlobStore`] keeps labels and customs documents; [`LocalBlobStore`] writes them atomically
//!   to a local directory.
//! - [`Worker`] runs queued [`TaskHandler`] tasks under leases, so a task survives the death of
//!   the process running it.
//! - [`WebhookWorker`] delivers webhooks from the outbox; [`Destinations`] decides which
//!   addresses they may reach (public ones only unless the operator allows more).

mod blob;
mod booking;
mod carrier;
mod destination;
mod sandbox;
mod tracking;
mod webhook;
mod worker;

pub use blob::{validate_key, BlobError, BlobStore, LocalBlobStore};
pub use booking::{book_now, parse_ms_list, shipment_request, Booker, BookingConfig, BookingError};
pub use carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest};
pub use destination::{is_internal, legacy_ipv4, parse_network, validate_url, Destinations, IpNet, Refused};
pub use sandbox::SandboxCarrier;
pub use tracking::{is_valid_s10, s10_check_digit};
pub use webhook::{new_secret, sign, WebhookConfig, WebhookRenderer, WebhookWorker};
pub use worker::{TaskContext, TaskHandler, Worker};
