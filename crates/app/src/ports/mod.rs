//! The persistence ports: what the use cases need from storage, one trait per entity. The store
//! implements them; [`Storage`] is all of them together, what an [`App`](crate::App) holds.

mod audit;
mod auth;
mod blob;
mod booking;
mod credential;
mod floor;
mod health;
mod idempotency;
mod import;
mod inbound;
mod money;
mod order;
mod packing;
mod people;
mod receiving;
mod returns;
mod sandbox;
mod setup;
mod site;
mod sku;
mod sku_audit;
mod stock;
mod task;
mod temp;
mod tracking;
mod wave;
mod webhook;

pub use audit::AuditPort;
pub use auth::AuthPort;
pub use blob::{validate_key, validate_put, BlobError, BlobStore, MAX_BLOB_BYTES};
pub use booking::BookingPort;
pub use credential::CredentialPort;
pub use floor::FloorPort;
pub use health::HealthPort;
pub use idempotency::IdempotencyPort;
pub use import::ImportPort;
pub use inbound::InboundPort;
pub use money::MoneyPort;
pub use order::OrderPort;
pub use packing::PackPort;
pub use people::PeoplePort;
pub use receiving::ReceivingPort;
pub use returns::ReturnPort;
pub use sandbox::SandboxPort;
pub use setup::SetupPort;
pub use site::SitePort;
pub use sku::SkuPort;
pub use sku_audit::SkuAuditPort;
pub use stock::StockPort;
pub use task::TaskPort;
pub use temp::TempPort;
pub use tracking::TrackingPort;
pub use wave::WavePort;
pub use webhook::WebhookPort;

/// Every port: the storage behind an [`App`](crate::App). An adapter implements each port, then
/// says `impl Storage for ItsType {}`.
pub trait Storage:
    SkuPort
    + OrderPort
    + BookingPort
    + StockPort
    + InboundPort
    + AuthPort
    + WebhookPort
    + TaskPort
    + TempPort
    + SitePort
    + SetupPort
    + CredentialPort
    + MoneyPort
    + FloorPort
    + SkuAuditPort
    + HealthPort
    + AuditPort
    + PeoplePort
    + IdempotencyPort
    + LocationPort
    + ReceivingPort
    + ReturnPort
    + CountPort
    + WavePort
    + PackPort
    + TrackingPort
    + ImportPort
    + SandboxPort
    + Send
    + Sync
{
}

mod location;
pub use location::LocationPort;

mod counts;
pub use counts::CountPort;
