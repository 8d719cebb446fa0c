//! Reading what clients actually send.
//!
//! Both dialects face clients written against forgiving servers: BirdSystem's PHP and
//! OrangeConnex's Java stack accept comments, trailing commas and repeated keys in JSON, numbers as
//! strings, booleans as `"1"`, and keys in any case. Entrepot must accept the same bodies to be
//! wire-compatible, and this crate is the one place where that liberal reading lives, so both
//! dialects tolerate exactly the same things and the core only ever sees clean values.
//!
//! - [`json`]: a lenient JSON reader producing a plain [`serde_json::Value`].
//! - [`value`]: tolerant accessors over such values (case-insensitive keys, string-or-number
//!   integers, decimals as integer minor units).
//! - [`typed`]: the same tolerance for `#[derive(Deserialize)]` wire structs.
//! - [`oc_signature`]: OC's request signature, for the server and the SDK alike.

#![forbid(unsafe_code)]

pub mod json;
pub mod oc_signature;
pub mod typed;
pub mod value;

pub use json::{parse_lenient, JsonError, MAX_DEPTH};
pub use value::{as_bool_lenient, as_decimal_minor, as_i64_lenient, as_string_lenient, field_with_nul, get_ci};
