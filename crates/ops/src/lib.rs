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
//! - [`BlobStore`] (a port of `entrepot-app`, re-exported) keeps labels, customs documents and
//!   photos; [`LocalBlobStore`] writes them atomically to a local directory, [`WithFallback`]
//!   still reads there once the database keeps them.
//! - [`Worker`] runs queued [`TaskHandler`] tasks under leases, so a task survives the death of
//!   the process running it.
//! - [`WebhookWorker`] delivers webhooks from the outbox; [`Destinations`] decides which
//!   addresses they may reach (public ones only unless the operator allows more).
//! - [`CappedBody`] reads request bodies within a per-route limit ([`RouteLimits`]), and
//!   [`ClientBudget`] is the per-client request budget; both dialects apply them around their
//!   authentication, so an unknown caller cannot make the server buffer much, nor one client
//!   crowd out the rest.

mod blob;
mod body_cap;
mod booking;
mod carrier;
mod client_budget;
mod destination;
pub mod inbound_files;
pub mod packing;
mod sandbox;
mod tracker;
mod tracking;
mod webhook;
mod worker;

pub use blob::{validate_key, validate_put, BlobError, BlobStore, LocalBlobStore, WithFallback, MAX_BLOB_BYTES};
pub use body_cap::{describe as describe_limit, BodyError, CappedBody, RouteLimits};
pub use booking::{book_now, shipment_request, Booker, BookingConfig, BookingError};
pub use carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest};
pub use client_budget::{retry_after_secs, ClientBudget};
pub use destination::{is_internal, legacy_ipv4, parse_network, validate_url, Destinations, IpNet, Refused};
pub use sandbox::SandboxCarrier;
pub use tracker::{Tracker, SANDBOX_TRACKING_STEP};
pub use tracking::{is_valid_s10, s10_check_digit};
pub use webhook::{new_secret, sign, WebhookConfig, WebhookRenderer, WebhookWorker};
pub use worker::{TaskContext, TaskHandler, Worker};
