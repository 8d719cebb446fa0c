//! From core customs categories to Bird's rows.

use entrepot_core::customs_category::CustomsCategory;

use super::types::CustomsCategoryRow;
use crate::format::money_text;

impl From<&CustomsCategory> for CustomsCategoryRow {
    fn from(c: &CustomsCategory) -> Self {
        CustomsCategoryRow {
            id: format!("{:010}", c.id),
            parent_id: c.parent_id.to_string(),
            name: c.name,
            name_chinese: c.name_chinese,
            code: c.code,
            customs_category_full_name: c.full_name,
            customs_category_full_name_chinese: c.full_name_chinese,
            customs_category_full_code: c.full_code,
            level: c.level.to_string(),
            max_customs_value: money_text(c.max_customs_value_cents),
            min_customs_value: money_text(c.min_customs_value_cents),
            lft: c.lft.to_string(),
            rgt: c.rgt.to_string(),
            tax: money_text(c.tax_hundredths),
            kind: (),
            primary_keys: ["id"],
        }
    }
}
