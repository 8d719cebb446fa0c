//! Entrepot's Rust SDK: what an ERP needs to talk to Entrepot (or to OrangeConnex itself) without
//! re-learning its conventions. [`oc::OcClient`] signs every call over the exact bytes it sends,
//! keeps the token pair, and refreshes an expired access token once before giving up.

pub mod oc;

pub use oc::{OcClient, OcError, Tokens};
