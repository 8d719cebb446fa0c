//! Entrepot's domain core: what a fulfilment warehouse *is*, independent of how it is reached.
//!
//! Everything here is pure: no I/O, no clock, no randomness, no async. The store feeds it state and
//! the current time, the core decides (which transfers to make, which rule failed, what a fee is),
//! and the store persists the decision atomically. The two wire dialects translate into and out
//! of these types and never re-implement a rule.

pub mod actor;
pub mod appointment;
pub mod balance;
pub mod calendar;
pub mod company;
pub mod compliance;
pub mod count;
pub mod country;
pub mod customs_category;
pub mod error;
pub mod fees;
pub mod ids;
pub mod inbound;
pub mod inventory;
pub mod limits;
pub mod location;
pub mod login_throttle;
pub mod money;
pub mod oauth;
pub mod outbound;
pub mod pack;
pub mod receiving;
pub mod redirect_uri;
pub mod returns;
pub mod sale;
pub mod service;
pub mod share;
pub mod sku;
pub mod stock_age;
pub mod token_bucket;
pub mod tracking;
pub mod wave;

#[cfg(test)]
mod ledger_props;

pub use error::{CoreError, CoreResult};
