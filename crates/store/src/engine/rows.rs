//! The one row reader: helpers that read a column of a row, whichever connection returned it
//! (sqlx's `AnyRow`, or an [`exec::Row`](crate::engine::exec::Row) from the order writer's own
//! SQLite connection), JSON and parsed columns included, with errors that name the column.

use serde::de::DeserializeOwned;
use sqlx::{any::AnyRow, Row};

use crate::{StoreError, StoreResult};

/// A row the helpers below read: the values the store keeps are only BIGINT and TEXT.
pub(crate) trait Columns {
    fn i(&self, col: &str) -> StoreResult<i64>;
    fn oi(&self, col: &str) -> StoreResult<Option<i64>>;
    fn s(&self, col: &str) -> StoreResult<String>;
    fn os(&self, col: &str) -> StoreResult<Option<String>>;
}

impl<R: Columns + ?Sized> Columns for &R {
    fn i(&self, col: &str) -> StoreResult<i64> {
        (**self).i(col)
    }

    fn oi(&self, col: &str) -> StoreResult<Option<i64>> {
        (**self).oi(col)
    }

    fn s(&self, col: &str) -> StoreResult<String> {
        (**self).s(col)
    }

    fn os(&self, col: &str) -> StoreResult<Option<String>> {
        (**self).os(col)
    }
}

impl Columns for AnyRow {
    fn i(&self, col: &str) -> StoreResult<i64> {
        Ok(self.try_get::<i64, _>(col)?)
    }

    fn oi(&self, col: &str) -> StoreResult<Option<i64>> {
        Ok(self.try_get::<Option<i64>, _>(col)?)
    }

    fn s(&self, col: &str) -> StoreResult<String> {
        Ok(self.try_get::<String, _>(col)?)
    }

    fn os(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.try_get::<Option<String>, _>(col)?)
    }
}

pub(crate) fn s(row: &impl Columns, col: &str) -> StoreResult<String> {
    row.s(col)
}

pub(crate) fn os(row: &impl Columns, col: &str) -> StoreResult<Option<String>> {
    row.os(col)
}

pub(crate) fn i(row: &impl Columns, col: &str) -> StoreResult<i64> {
    row.i(col)
}

pub(crate) fn oi(row: &impl Columns, col: &str) -> StoreResult<Option<i64>> {
    row.oi(col)
}

pub(crate) fn b(row: &impl Columns, col: &str) -> StoreResult<bool> {
    Ok(i(row, col)? != 0)
}

pub(crate) fn json<T: DeserializeOwned>(row: &impl Columns, col: &str) -> StoreResult<T> {
    let text = s(row, col)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
}

pub(crate) fn parse<T: std::str::FromStr>(row: &impl Columns, col: &str) -> StoreResult<T> {
    let text = s(row, col)?;
    text.parse().map_err(|_| StoreError::Corrupt(format!("column {col}: unexpected value '{text}'")))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}
