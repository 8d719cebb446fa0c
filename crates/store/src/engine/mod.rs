//! The machinery under every entity: opening the database (one code path for SQLite and
//! PostgreSQL), migrations, the order writer (group commit, and on SQLite its own connection and
//! thread), multi-row statements, row mapping, numeric sequences, the clock, WAL checkpoints,
//! file modes, backups and the ledger check. Nothing here knows an entity's rules; the entity
//! folders beside it hold each table's SQL.
//!
//! Writing: every write is one transaction, begun by `Store::begin` (`connect::begin_on`: SQLite
//! takes its write lock at `BEGIN`), or by the order writer (`group_commit`, and
//! `Store::writer_transaction` for booking) on SQLite's own writer connection. Statements that
//! must run on both (placing orders, sequences, stock and money batches, the outbox, the booking
//! queue) go through [`exec::Tx`], which is that sqlx transaction or the writer's connection;
//! the rest bind sqlx queries on the transaction directly, the form most of the code uses. Why
//! not one engine only: dropping `Tx` would put the order writer back on sqlx's worker thread
//! (a hop per statement and per returned row, see `exec`), a loss the benchmark measured; moving
//! every statement onto `Tx` is possible (its `execute`/`fetch_*` take the same SQL) but was
//! not worth the churn of rebinding every query in this refactor.
//!
//! Reading: one row reader, [`rows`]: `i`, `s`, `json`, `parse`... on any row, whether sqlx's
//! or the writer connection's ([`rows::Columns`]).

pub(crate) mod backlog;
pub(crate) mod backup;
pub(crate) mod bulk;
pub(crate) mod check;
pub(crate) mod checkpoint;
pub(crate) mod clock;
pub(crate) mod connect;
pub(crate) mod exec;
pub(crate) mod files;
pub(crate) mod group_commit;
pub(crate) mod lookup;
pub(crate) mod migrate;
pub(crate) mod rows;
pub(crate) mod seq;
pub(crate) mod tx_group;
