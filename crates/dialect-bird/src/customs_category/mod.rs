//! Customs categories (spec §6.5): the reference tree a product's `customs_category_id` names.
//! Rows from the core's static list ([`entrepot_core::customs_category`]), shapes in [`types`].

pub mod transformers;
pub mod types;

use axum::{extract::Path, response::Response};
use entrepot_core::customs_category::CUSTOMS_CATEGORIES;

use self::types::{CustomsCategoryRow, CUSTOMS_CATEGORY_COLUMNS};
use crate::{
    envelope::{list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
};

/// Columns `searchText` looks in.
const SEARCH: &[&str] = &["id", "name", "name_chinese", "code", "customs_category_full_code"];

/// `GET /client/customs-category`: every category, with Bird's list language.
pub async fn list_categories(req: BirdRequest) -> Result<Response, BirdError> {
    answer(&req, |_| true)
}

/// `GET /client/customs-category/<id>`: that category, still in the list envelope as Bird answers
/// (`id` as sent, zero-padded or not). An unknown or malformed id is an empty list.
pub async fn one_category(Path(id): Path<String>, req: BirdRequest) -> Result<Response, BirdError> {
    let id = id.trim().parse::<i64>().ok();
    answer(&req, |c| Some(c) == id)
}

fn answer(req: &BirdRequest, keep: impl Fn(i64) -> bool) -> Result<Response, BirdError> {
    let rows = values(CUSTOMS_CATEGORIES.iter().filter(|c| keep(c.id)).map(CustomsCategoryRow::from));
    let q = ListQuery::parse(&req.params, SEARCH)?.typed(CUSTOMS_CATEGORY_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}
