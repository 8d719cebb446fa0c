//! Customs categories (海关分类): the tree every product's `customs_category_id` points into.
//!
//! Reference data, the same for every installation. Only the rows a public source records are
//! listed (BirdSystem's wiki shows one, "Consumer Electronics"); the tree is a nested set
//! (`lft`/`rgt`), so more rows can be added here without changing the readers.

/// One category. Amounts are in hundredths (USD for the customs values, percent points for tax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomsCategory {
    pub id: i64,
    /// 0 for a root.
    pub parent_id: i64,
    pub name: &'static str,
    pub name_chinese: &'static str,
    pub code: &'static str,
    /// The names and code of the whole path from the root.
    pub full_name: &'static str,
    pub full_name_chinese: &'static str,
    pub full_code: &'static str,
    pub level: i64,
    pub max_customs_value_cents: i64,
    pub min_customs_value_cents: i64,
    pub lft: i64,
    pub rgt: i64,
    pub tax_hundredths: i64,
}

/// The known categories, by id.
pub const CUSTOMS_CATEGORIES: &[CustomsCategory] = &[CustomsCategory {
    id: 7,
    parent_id: 0,
    name: "Consumer Electronics",
    name_chinese: "消费性电子产品",
    code: "G",
    full_name: "Consumer Electronics",
    full_name_chinese: "消费性电子产品",
    full_code: "G",
    level: 1,
    max_customs_value_cents: 0,
    min_customs_value_cents: 0,
    lft: 1001,
    rgt: 1248,
    tax_hundredths: 0,
}];

/// The category `id`, if known.
pub fn customs_category(id: i64) -> Option<&'static CustomsCategory> {
    CUSTOMS_CATEGORIES.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_nested_sets_are_well_formed() {
        for (i, c) in CUSTOMS_CATEGORIES.iter().enumerate() {
            assert!(c.lft < c.rgt, "{c:?}");
            assert!(CUSTOMS_CATEGORIES[i + 1..].iter().all(|d| d.id != c.id), "{c:?}");
        }
        assert_eq!(customs_category(7).map(|c| c.code), Some("G"));
        assert!(customs_category(8).is_none());
    }
}
