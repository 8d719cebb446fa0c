//! The operator's side: companies, warehouses (sites) and their logistics services, which sites
//! each client is attached to, and the in-memory snapshot of warehouses and services.

pub(crate) mod cache;
pub(crate) mod client_sites;
pub(crate) mod companies;
