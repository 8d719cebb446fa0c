//! The data the doors and the store exchange: what a port takes and returns, beside the core's
//! own types. The store maps its rows to these; a door renders them in its dialect's shapes.

pub mod audit;
pub mod auth;
pub mod booking;
pub mod counts;
pub mod dashboard;
pub mod import;
pub mod inbound;
pub mod locations;
pub mod money;
pub mod operator;
pub mod order_by_hand;
pub mod orders;
pub mod packing;
pub mod people;
pub mod receiving;
pub mod reference;
pub mod returns;
pub mod sandbox;
pub mod sku_audit;
pub mod sku_import;
pub mod skus;
pub mod stock;
pub mod tasks;
pub mod temp;
pub mod timeline;
pub mod unidentified;
pub mod waves;
pub mod webhooks;
