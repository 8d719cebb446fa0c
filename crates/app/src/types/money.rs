//! A client's money as statements show it.

use entrepot_core::balance::{MoneyBucket, MoneyReason};
use serde::Serialize;

/// One money movement as it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneyEntry {
    pub at_ms: i64,
    pub currency: String,
    pub from: MoneyBucket,
    pub to: MoneyBucket,
    /// Minor units, positive.
    pub amount: i64,
    pub reason: MoneyReason,
    /// What it was for (`order`, `top_up`, ...) and its id.
    pub doc_kind: String,
    pub doc_id: String,
}

/// Most entries one statement holds (a month of a busy seller); past it the statement says it
/// was cut.
pub const MAX_STATEMENT_ENTRIES: i64 = 100_000;

/// A month of one client's money: every movement, and per currency what was topped up,
/// charged and refunded.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// `YYYY-MM`.
    pub month: String,
    pub entries: Vec<MoneyEntry>,
    /// More entries than [`MAX_STATEMENT_ENTRIES`] fell in the month.
    pub truncated: bool,
    pub totals: Vec<StatementTotal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatementTotal {
    pub currency: String,
    pub topped_up: i64,
    pub charged: i64,
    pub refunded: i64,
}
