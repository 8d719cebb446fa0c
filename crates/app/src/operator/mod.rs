//! What the operator's staff do, as opposed to a client through a dialect: set up companies,
//! warehouses, services and clients; issue and revoke credentials; fund balances; audit SKUs;
//! work the warehouse floor; check the books. The admin CLI calls these today, a web console
//! tomorrow; the rules they apply (which role a user gets, that a client's sites are its own
//! company's, how an unannounced receipt or a freeze moves stock) live here or in the core once.

pub(crate) mod admin;
mod credentials;
mod floor;
mod health;
mod money;
mod setup;
mod sku_audit;
