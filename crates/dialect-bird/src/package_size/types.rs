//! Bird's delivery-package-size row (spec §6.4: table `delivery_package_size`).

use serde::Serialize;

use crate::listing::{Column, Columns};

/// The types of [`PackageSizeRow`]'s columns, as the other resources declare them.
pub const PACKAGE_SIZE_COLUMNS: Columns = &[("id", Column::Integer), ("company_id", Column::Integer)];

/// One package size: `GET /client/Delivery-Package-Size`.
#[derive(Serialize)]
pub struct PackageSizeRow {
    pub id: String,
    pub company_id: String,
    pub code: &'static str,
    pub status: &'static str,
    pub primary_keys: [&'static str; 1],
}

/// The one package size each site offers: the client's own packaging (Entrepot measures and
/// weighs each parcel, it keeps no catalogue of boxes).
pub const YOUR_PACKAGING: &str = "YOUR_PACKAGING";
