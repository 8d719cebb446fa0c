//! From sites to Bird's package-size rows.

use entrepot_core::company::Warehouse;

use super::types::{PackageSizeRow, YOUR_PACKAGING};

impl PackageSizeRow {
    /// The site's package size, if the site has a Bird id. Its id is the site's Bird id: one size
    /// per site, so ids stay distinct and stable across restarts.
    pub fn new(w: &Warehouse) -> Option<Self> {
        let id = w.bird_company_id?.to_string();
        Some(PackageSizeRow {
            company_id: id.clone(),
            id,
            code: YOUR_PACKAGING,
            status: "ACTIVE",
            primary_keys: ["id"],
        })
    }
}
