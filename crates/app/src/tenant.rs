//! Who acts: the first argument of a use case a client performs.

use entrepot_core::ids::{ClientId, UserId, WarehouseId};

/// The client a request acts for, with what the door already knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub client: ClientId,
    /// The warehouses the client is attached to, when the door has read them (empty: unknown,
    /// the store checks attachment itself).
    pub sites: Vec<WarehouseId>,
    /// The user acting, when a person logged in (OC's authorization page, a console).
    pub user: Option<UserId>,
}

impl Tenant {
    /// The client alone: an API key or an access token identified it.
    pub fn of(client: &ClientId) -> Self {
        Tenant { client: client.clone(), sites: vec![], user: None }
    }
}
