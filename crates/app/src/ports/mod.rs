//! The persistence ports: what the use cases need from storage, one trait per entity. The store
//! implements them; [`Storage`] is all of them together, what an [`App`](crate::App) holds.

mod auth;
mod booking;
mod inbound;
mod order;
mod site;
mod sku;
mod stock;
mod task;
mod temp;
mod webhook;

pub use auth::AuthPort;
pub use booking::BookingPort;
pub use inbound::InboundPort;
pub use order::OrderPort;
pub use site::SitePort;
pub use sku::SkuPort;
pub use stock::StockPort;
pub use task::TaskPort;
pub use temp::TempPort;
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
    + Send
    + Sync
{
}
