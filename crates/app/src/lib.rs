//! Entrepot's use cases, written once for every door.
//!
//! What belongs here: an operation as a client or the system performs it (place orders, cancel,
//! create a SKU, book a label, deliver a webhook), taking a [`Tenant`] first where a client acts,
//! returning core types and [`CoreError`](entrepot_core::CoreError). What does not: wire shapes
//! and wording (a dialect's `transformers` and `envelope`), SQL and caches (the store, behind the
//! [`ports`]), business rules about one entity's own state (`entrepot-core`).
//!
//! The dependency points inward: dialects, the admin CLI and the workers depend on this crate;
//! the store implements its [`ports`] and depends on it; this crate depends on `entrepot-core`
//! only, so no door can reach the database except through an [`App`].

mod credentials;
mod inbound;
mod orders;
pub mod ports;
mod sites;
mod skus;
mod stock;
mod tasks;
pub mod types;
mod webhooks;

use std::sync::Arc;

pub use entrepot_core::{CoreError, CoreResult};
pub use ports::Storage;

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

    /// The ports themselves, for a use case that is only a read (`app.storage().list_skus(..)`).
    pub fn storage(&self) -> &dyn Storage {
        &*self.storage
    }
}

pub use types::{
    auth::*, booking::*, inbound::*, orders::*, reference::*, skus::*, stock::*, tasks::*, temp::*, webhooks::*,
};
