//! The machinery under every entity: opening the database (one code path for SQLite and
//! PostgreSQL), migrations, the order writer (group commit, and on SQLite its own connection and
//! thread), multi-row statements, row mapping, numeric sequences, the clock, WAL checkpoints,
//! file modes, backups and the ledger check. Nothing here knows an entity's rules; the entity
//! folders beside it hold each table's SQL.

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
pub(crate) mod migrate;
pub(crate) mod rows;
pub(crate) mod seq;
