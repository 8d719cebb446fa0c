//! Bird's rows for the caller's own client and its users. The spec names the resources (§6.4)
//! but records no columns: these carry what Entrepot knows, under Bird's usual names.

use serde::Serialize;

use crate::listing::{Column, Columns};

/// The types of [`ClientRow`]'s columns, which list filters read their values as; the columns not
/// named here are text.
pub const CLIENT_COLUMNS: Columns = &[("company_id", Column::Integer)];

/// The types of [`ClientUserRow`]'s columns, as [`CLIENT_COLUMNS`].
pub const CLIENT_USER_COLUMNS: Columns = &[("company_id", Column::Integer)];

/// The caller's client: `GET /client/Client`.
#[derive(Serialize)]
pub struct ClientRow<'a> {
    pub id: &'a str,
    /// The addressed site's Bird id (null without `company_id`).
    pub company_id: Option<String>,
    pub name: &'a str,
    pub currency_code: &'a str,
    pub status: &'static str,
    pub primary_keys: [&'static str; 1],
}

/// One console user of the caller's client: `GET /client/Client-User`. Never a password hash or
/// a key.
#[derive(Serialize)]
pub struct ClientUserRow<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    /// As [`ClientRow::company_id`].
    pub company_id: Option<String>,
    pub username: &'a str,
    pub role: &'a str,
    pub status: &'static str,
    pub primary_keys: [&'static str; 1],
}
