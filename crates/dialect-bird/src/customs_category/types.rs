//! Bird's customs-category row (spec §6.5).

use serde::Serialize;

use crate::listing::{Column, Columns};

/// The types of [`CustomsCategoryRow`]'s columns, which list filters read their values as; the
/// columns not named here are text.
pub const CUSTOMS_CATEGORY_COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("parent_id", Column::Integer),
    ("level", Column::Integer),
    ("max_customs_value", Column::Decimal),
    ("min_customs_value", Column::Decimal),
    ("lft", Column::Integer),
    ("rgt", Column::Integer),
    ("tax", Column::Decimal),
];

/// One customs category: `GET /client/customs-category[/<id>]`. Every value is a string as MySQL
/// gives it (`id` zero-padded to its INT(10) width), `type` is null.
#[derive(Serialize)]
pub struct CustomsCategoryRow {
    pub id: String,
    pub parent_id: String,
    pub name: &'static str,
    pub name_chinese: &'static str,
    pub code: &'static str,
    pub customs_category_full_name: &'static str,
    pub customs_category_full_name_chinese: &'static str,
    pub customs_category_full_code: &'static str,
    pub level: String,
    pub max_customs_value: String,
    pub min_customs_value: String,
    pub lft: String,
    pub rgt: String,
    pub tax: String,
    #[serde(rename = "type")]
    pub kind: (),
    pub primary_keys: [&'static str; 1],
}
