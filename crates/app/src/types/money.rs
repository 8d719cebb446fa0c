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

/// Which of a client's money movements to read: those in `[from_ms, to_ms)`, oldest first (a
/// statement's export) or newest first (a statement's page), `limit` of them after `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryQuery {
    pub from_ms: i64,
    pub to_ms: i64,
    pub newest_first: bool,
    pub offset: i64,
    pub limit: i64,
}

/// What one reason moved in one currency over a month, kept as the ledger is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTotal {
    pub currency: String,
    pub reason: entrepot_core::balance::MoneyReason,
    pub amount: i64,
    pub entries: i64,
}

/// Entries one statement page shows, newest first.
pub const STATEMENT_PAGE: i64 = 100;
/// Pages a statement can be read to; past them (a month of over 10,000 movements) its export
/// has every entry.
pub const MAX_STATEMENT_PAGES: i64 = 100;

/// A month of one client's money: per currency what was topped up, charged and refunded, and
/// one page of its movements.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// `YYYY-MM`.
    pub month: String,
    /// The page's movements, newest first.
    pub entries: Vec<MoneyEntry>,
    /// 1-based.
    pub page: i64,
    /// Pages that can be read (at most [`MAX_STATEMENT_PAGES`]).
    pub pages: i64,
    /// Movements in the month.
    pub movements: i64,
    pub totals: Vec<StatementTotal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatementTotal {
    pub currency: String,
    pub topped_up: i64,
    pub charged: i64,
    pub refunded: i64,
}
