//! Cursor pagination for every list: `?cursor=&limit=` in, `next_cursor` out. A cursor is opaque
//! to clients (URL-safe base64 of a small JSON position that only the list which made it
//! reads); a list resumes from it and says `next_cursor: null` on its last page.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use utoipa::IntoParams;

use crate::problem::Problem;

/// Rows per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most rows one page returns.
pub const MAX_LIMIT: u32 = 500;
/// Longest cursor accepted.
const MAX_CURSOR: usize = 512;

/// The paging half of a list's query.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page; absent for the first.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
}

impl PageQuery {
    /// The page size, bounded.
    pub fn limit(&self) -> Result<u32, Problem> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(Problem::invalid("limit", format!("must be 1 to {MAX_LIMIT}"))),
        }
    }

    /// The position the cursor names, or `None` on the first page.
    pub fn position<P: DeserializeOwned>(&self) -> Result<Option<P>, Problem> {
        let Some(c) = self.cursor.as_deref().filter(|c| !c.is_empty()) else { return Ok(None) };
        let bad = || Problem::invalid("cursor", "not a cursor this list gave");
        if c.len() > MAX_CURSOR {
            return Err(bad());
        }
        let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
        serde_json::from_slice(&bytes).map(Some).map_err(|_| bad())
    }
}

/// The cursor for resuming at `position`.
pub fn cursor<P: Serialize>(position: &P) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_a_validation_problem() {
        let q = PageQuery { cursor: Some(cursor(&(7u64, "SKU-1"))), limit: None };
        assert_eq!(q.position::<(u64, String)>().ok().flatten(), Some((7, "SKU-1".to_owned())));
        assert_eq!(q.limit().ok(), Some(DEFAULT_LIMIT));
        let junk = PageQuery { cursor: Some("!!".into()), limit: Some(0) };
        assert_eq!(junk.position::<u64>().err().map(|p| p.status), Some(422));
        assert_eq!(junk.limit().err().map(|p| p.errors[0].field.clone()), Some("limit".to_owned()));
    }
}
