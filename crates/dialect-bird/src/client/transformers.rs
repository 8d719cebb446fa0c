//! From the app's client and users to Bird's rows.

use entrepot_app::types::auth::User;
use entrepot_core::company::Client;

use super::types::{ClientRow, ClientUserRow};

impl<'a> ClientRow<'a> {
    /// `c` as seen at the site whose Bird id is `company_id`.
    pub fn new(c: &'a Client, company_id: Option<i64>) -> Self {
        ClientRow {
            id: &c.id.0,
            company_id: company_id.map(|i| i.to_string()),
            name: &c.name,
            currency_code: c.currency.as_str(),
            status: "ACTIVE",
            primary_keys: ["id"],
        }
    }
}

impl<'a> ClientUserRow<'a> {
    /// `u`, a user of `client`, as seen at the site whose Bird id is `company_id`.
    pub fn new(u: &'a User, client: &'a Client, company_id: Option<i64>) -> Self {
        ClientUserRow {
            id: &u.id.0,
            client_id: &client.id.0,
            company_id: company_id.map(|i| i.to_string()),
            username: &u.username,
            role: &u.role,
            status: "ACTIVE",
            primary_keys: ["id"],
        }
    }
}
