//! Small helpers to read `Any` rows and JSON columns with errors that name the column.

use serde::de::DeserializeOwned;
use sqlx::{any::AnyRow, Row};

use crate::{StoreError, StoreResult};

pub(crate) fn s(row: &AnyRow, col: &str) -> StoreResult<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn os(row: &AnyRow, col: &str) -> StoreResult<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn i(row: &AnyRow, col: &str) -> StoreResult<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn oi(row: &AnyRow, col: &str) -> StoreResult<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn b(row: &AnyRow, col: &str) -> StoreResult<bool> {
    Ok(i(row, col)? != 0)
}

pub(crate) fn json<T: DeserializeOwned>(row: &AnyRow, col: &str) -> StoreResult<T> {
    let text = s(row, col)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
}

pub(crate) fn parse<T: std::str::FromStr>(row: &AnyRow, col: &str) -> StoreResult<T> {
    let text = s(row, col)?;
    text.parse().map_err(|_| StoreError::Corrupt(format!("column {col}: unexpected value '{text}'")))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}
