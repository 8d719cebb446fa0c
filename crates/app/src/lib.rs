//! Entrepot's use cases, written once for every door (Bird, OC, the admin CLI, the workers).
//!
//! What belongs here: an operation as a client or the system performs it — place orders
//! ([`App::place_orders`], the one entry point), cancel, create a SKU, receive an inbound, book a
//! label, deliver a webhook — taking a [`Tenant`] first where a client acts and returning core
//! types and [`CoreError`]. Where two doors, or a door and the store, need the same logic, it
//! lives here once. What does not belong here: wire shapes and wording (each dialect, its
//! `envelope` the one place errors are rendered), SQL, caches and transactions (the store, behind
//! the [`ports`]), rules about one entity's own state (`entrepot-core`).
//!
//! - [`ports`]: what the use cases need from storage, one trait per entity; [`Storage`] is all of
//!   them, and the store implements them (mapping its own errors into [`CoreError::Internal`]).
//! - [`types`]: the data a port takes and returns besides core's (order views, filters, new
//!   SKUs, webhook deliveries...).
//! - one module per kind of use case (`orders`, `place`, `products`, `skus`, `inbound`, `stock`, `webhooks`,
//!   `credentials`, `sites`, `tasks`): `impl App` blocks. A read is a method forwarding to its
//!   port; an operation of several steps is written out here.
//! - `locations` and `putaway`: bins (created, listed, disabled, what each holds, moves between
//!   them) and putaway by scanning the suggested bin; these take the acting user
//!   ([`entrepot_core::actor::Actor`]) first, as every floor use case does.
//! - `counts`: cycle counts (tasks per bin or SKU, blind results, the threshold, a
//!   supervisor's approval), over `entrepot_core::count`'s rules.
//! - `operator`: what the operator's staff do (set-up, credentials issued, top-ups, the SKU
//!   audit, the warehouse floor, the ledger check), the admin CLI's use cases; and [`Admin`],
//!   the same administration for a signed-in operator (the console), refused to anyone else.
//!
//! The dependencies point inward: dialects, `ops` and the server depend on this crate; the store
//! depends on it to implement its ports; this crate depends on `entrepot-core` only. So no door
//! can reach the database except through an [`App`].

mod audit;
mod counts;
mod credentials;
mod dashboard;
pub mod import;
mod inbound;
mod integrations;
mod locations;
mod operator;
mod order_by_hand;
mod orders;
mod packing;
pub mod people;
mod place;
pub mod ports;
mod products;
mod putaway;
mod receiving;
mod returns;
pub mod sandbox;
mod seller_webhooks;
mod sites;
mod skus;
pub mod statement;
mod stock;
mod tasks;
mod tenant;
mod timeline;
pub mod types;
mod unidentified;
mod waves;
mod webhooks;

use std::sync::Arc;

pub use entrepot_core::{CoreError, CoreResult};
pub use ports::Storage;
pub use returns::ReturnScan;
pub use tenant::Tenant;
pub use waves::WaveRequest;

/// The use cases over one storage: cheap to clone, shared by every door and worker.
#[derive(Clone)]
pub struct App {
    storage: Arc<dyn Storage>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

impl App {
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        Self { storage }
    }
}

pub use counts::DEFAULT_COUNT_PAGE;
pub use dashboard::TREND_DAYS;
pub use locations::DEFAULT_LOCATION_PAGE;
pub use operator::admin::{top_up_amount, Admin, MAX_TOP_UP_NOTE};
pub use putaway::MAX_PUTAWAY_TASKS;
pub use seller_webhooks::{DELIVERY_PAGE, MAX_DELIVERY_PAGE, MAX_SELLER_WEBHOOKS, TEST_EVENT};
pub use types::counts::*;
pub use types::import::*;
pub use types::locations::*;
pub use types::order_by_hand::*;
pub use types::packing::*;
pub use types::receiving::*;
pub use types::sku_audit::*;
pub use types::sku_import::*;
pub use types::waves::*;
pub use types::{
    audit::*, auth::*, booking::*, inbound::*, operator::*, orders::*, people::*, reference::*, returns::*, skus::*,
    stock::*, tasks::*, temp::*, webhooks::*,
};
pub use unidentified::DISPOSE_AFTER_DAYS;
