//! Operations for Entrepot: what touches the outside world on behalf of the core.
//!
//! `entrepot-core` decides (which service, which stock, which state); this crate carries those
//! decisions out against things that can fail, be slow or live elsewhere: carriers that book
//! shipments and print labels, and storage for the files that produces. Later it will also hold
//! the background workers that drive these calls and webhook delivery to ERPs.
//!
//! - [`CarrierConnector`] is the seam every carrier integration implements; [`SandboxCarrier`]
//!   books offline and deterministically, with carrier-shaped tracking numbers
//!   ([`is_valid_s10`] checks the Royal Mail / Parcelforce ones).
//! - [`BlobStore`] keeps labels and customs documents; [`LocalBlobStore`] writes them atomically
//!   to a local directory.

mod blob;
mod carrier;
mod sandbox;
mod tracking;

pub use blob::{validate_key, BlobError, BlobStore, LocalBlobStore};
pub use carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest};
pub use sandbox::SandboxCarrier;
pub use tracking::{is_valid_s10, s10_check_digit};
