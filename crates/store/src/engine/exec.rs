//! Where the hot write paths (placing orders) run their statements: a sqlx transaction, or, on
//! SQLite, the order writer's own connection.
//!
//! Why a second SQLite connection: through sqlx every statement is a hop to its connection's
//! worker thread and back, and every row a `RETURNING` gives back is one more. A group of 15
//! single orders is a dozen statements; with both cores busy each hop waited for a core, and
//! the group took ~7 ms of which SQLite ran a fraction, while the one write connection stayed
//! held. On [`LiteConn`] the statements run on the writer's own thread, back to back. (Measured
//! alone: single orders ~10 % faster, intake unchanged; what a group waits for now is its
//! commit's sync and the write turn, see docs/benchmarks.md.)
//!
//! The two connections never write at once: the writer holds the sqlx write pool's only
//! connection (unused) while its own transaction is open, so every other write queues behind
//! it as it always did.

use std::sync::{Arc, Mutex};

use rusqlite::types::{ToSqlOutput, ValueRef};
use sqlx::{any::AnyRow, Any, Row as _, Transaction};

use crate::{
    engine::{bulk::Val, rows::Columns},
    StoreError, StoreResult,
};

/// A write transaction's statements, on either connection.
pub(crate) enum Tx<'t> {
    Sqlx(&'t mut Transaction<'static, Any>),
    /// A transaction is open on it.
    Lite(&'t LiteConn),
}

impl<'t> From<&'t mut Transaction<'static, Any>> for Tx<'t> {
    fn from(tx: &'t mut Transaction<'static, Any>) -> Self {
        Tx::Sqlx(tx)
    }
}

impl Tx<'_> {
    /// Whether statements run on SQLite (placeholders differ, see `bulk::Ph`).
    pub(crate) fn sqlite(&self) -> bool {
        match self {
            Tx::Sqlx(tx) => tx.backend_name().eq_ignore_ascii_case("sqlite"),
            Tx::Lite(_) => true,
        }
    }

    /// Runs a statement; how many rows it changed.
    pub(crate) async fn execute(&mut self, sql: &str, vals: impl IntoIterator<Item = Val>) -> StoreResult<u64> {
        match self {
            Tx::Sqlx(tx) => {
                Ok(crate::engine::bulk::bind(sqlx::query(sql), vals).execute(&mut ***tx).await?.rows_affected())
            }
            Tx::Lite(c) => c.run(sql, vals, |stmt| Ok(stmt.raw_execute()? as u64)),
        }
    }

    /// Runs a statement and reads every row it returns.
    pub(crate) async fn fetch_all(&mut self, sql: &str, vals: impl IntoIterator<Item = Val>) -> StoreResult<Vec<Row>> {
        match self {
            Tx::Sqlx(tx) => {
                let rows = crate::engine::bulk::bind(sqlx::query(sql), vals).fetch_all(&mut ***tx).await?;
                Ok(rows.into_iter().map(Row::Any).collect())
            }
            Tx::Lite(c) => c.run(sql, vals, |stmt| {
                let names: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
                let width = names.len();
                let mut rows = stmt.raw_query();
                let mut out = vec![];
                while let Some(r) = rows.next()? {
                    let vals = (0..width).map(|k| r.get_ref(k).map(val_of)).collect::<Result<_, _>>()?;
                    out.push(Row::Lite { names: names.clone(), vals });
                }
                Ok(out)
            }),
        }
    }

    /// The first row a statement returns, if any.
    pub(crate) async fn fetch_optional(
        &mut self,
        sql: &str,
        vals: impl IntoIterator<Item = Val>,
    ) -> StoreResult<Option<Row>> {
        Ok(self.fetch_all(sql, vals).await?.into_iter().next())
    }

    /// The row a statement must return.
    pub(crate) async fn fetch_one(&mut self, sql: &str, vals: impl IntoIterator<Item = Val>) -> StoreResult<Row> {
        self.fetch_optional(sql, vals).await?.ok_or_else(|| StoreError::Corrupt(format!("no row from: {sql}")))
    }
}

/// A returned row.
pub(crate) enum Row {
    Any(AnyRow),
    Lite { names: Arc<[String]>, vals: Vec<Val> },
}

impl Row {
    fn lite(&self, col: &str) -> StoreResult<Option<&Val>> {
        match self {
            Row::Any(_) => Ok(None),
            Row::Lite { names, vals } => names
                .iter()
                .position(|n| n == col)
                .map(|k| Some(&vals[k]))
                .ok_or_else(|| StoreError::Corrupt(format!("no column {col}"))),
        }
    }
}

/// Read through [`crate::engine::rows`], like every row.
impl Columns for Row {
    fn i(&self, col: &str) -> StoreResult<i64> {
        self.oi(col)?.ok_or_else(|| StoreError::Corrupt(format!("column {col}: NULL")))
    }

    fn oi(&self, col: &str) -> StoreResult<Option<i64>> {
        match (self, self.lite(col)?) {
            (Row::Any(r), _) => Ok(r.try_get::<Option<i64>, _>(col)?),
            (_, Some(Val::I(n))) => Ok(Some(*n)),
            (_, Some(Val::OI(None) | Val::OS(None))) => Ok(None),
            _ => Err(StoreError::Corrupt(format!("column {col}: not a number"))),
        }
    }

    fn s(&self, col: &str) -> StoreResult<String> {
        self.os(col)?.ok_or_else(|| StoreError::Corrupt(format!("column {col}: NULL")))
    }

    fn os(&self, col: &str) -> StoreResult<Option<String>> {
        match (self, self.lite(col)?) {
            (Row::Any(r), _) => Ok(r.try_get::<Option<String>, _>(col)?),
            (_, Some(Val::S(s))) => Ok(Some(s.clone())),
            (_, Some(Val::OI(None) | Val::OS(None))) => Ok(None),
            _ => Err(StoreError::Corrupt(format!("column {col}: not text"))),
        }
    }
}

fn val_of(v: ValueRef<'_>) -> Val {
    match v {
        ValueRef::Null => Val::OS(None),
        ValueRef::Integer(n) => Val::I(n),
        // The store keeps no REAL column; one read here is carried as text.
        ValueRef::Real(f) => Val::S(f.to_string()),
        ValueRef::Text(t) => Val::S(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Val::B(b.to_vec()),
    }
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::S(s) | Val::OS(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Val::I(n) | Val::OI(Some(n)) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Val::OS(None) | Val::OI(None) => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::B(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// The order writer's own SQLite connection. A mutex only so that a future holding a reference
/// stays `Send`: one thread uses it, one statement at a time, never across an `.await`.
pub(crate) struct LiteConn(Mutex<rusqlite::Connection>);

impl LiteConn {
    /// Opens the database file of a `sqlite:` URL with the store's pragmas.
    pub(crate) fn open(path: &std::path::Path) -> StoreResult<Self> {
        let c = rusqlite::Connection::open(path)?;
        c.execute_batch(crate::engine::connect::SQLITE_PRAGMAS)?;
        c.set_prepared_statement_cache_capacity(256);
        Ok(LiteConn(Mutex::new(c)))
    }

    /// Runs `sql` without parameters (`BEGIN IMMEDIATE`, `COMMIT`, savepoints).
    pub(crate) fn batch(&self, sql: &str) -> StoreResult<()> {
        Ok(self.conn()?.execute_batch(sql)?)
    }

    fn conn(&self) -> StoreResult<std::sync::MutexGuard<'_, rusqlite::Connection>> {
        self.0.lock().map_err(|_| StoreError::Unavailable("the order writer's connection was poisoned".into()))
    }

    /// Prepares (or takes from the cache) `sql`, binds `vals` as sqlx would, and hands the
    /// statement to `f`.
    fn run<T>(
        &self,
        sql: &str,
        vals: impl IntoIterator<Item = Val>,
        f: impl FnOnce(&mut rusqlite::CachedStatement<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(sql)?;
        let vals: Vec<Val> = vals.into_iter().collect();
        let mut anonymous = 0;
        for k in 1..=stmt.parameter_count() {
            // `?` takes the next value in order; `$n` (or `?n`) the n-th, however often it appears.
            let at = match stmt.parameter_name(k) {
                None => {
                    anonymous += 1;
                    anonymous - 1
                }
                Some(name) => name[1..]
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .ok_or_else(|| StoreError::Corrupt(format!("unsupported parameter {name} in: {sql}")))?,
            };
            let v = vals.get(at).ok_or_else(|| StoreError::Corrupt(format!("parameter {k} unbound in: {sql}")))?;
            stmt.raw_bind_parameter(k, v)?;
        }
        let out = f(&mut stmt);
        stmt.clear_bindings();
        Ok(out?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn scratch() -> (tempfile::TempDir, LiteConn) {
        let dir = tempfile::tempdir().unwrap();
        let c = LiteConn::open(&dir.path().join("x.db")).unwrap();
        c.batch("CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)").unwrap();
        (dir, c)
    }

    #[tokio::test]
    async fn binds_numbered_parameters_by_number_and_anonymous_ones_in_order() {
        let (_dir, c) = scratch();
        let mut tx = Tx::Lite(&c);
        let n = tx.execute(
            "INSERT INTO t (k, n, note) VALUES (?, ?, ?), (?, ?, ?)",
            [Val::from("a"), Val::I(1), Val::OS(None), Val::from("b"), Val::I(2), Val::from("x")],
        );
        assert_eq!(n.await.unwrap(), 2);
        // `$2` twice, and before `$1`: bound by number, not by position.
        let changed = tx.execute("UPDATE t SET n = n + $2 WHERE k = $1 AND n < $2", [Val::from("a"), Val::I(5)]);
        assert_eq!(changed.await.unwrap(), 1);
        let rows = tx.fetch_all("SELECT k, n, note FROM t ORDER BY k", []).await.unwrap();
        assert_eq!((rows[0].s("k").unwrap(), rows[0].i("n").unwrap()), ("a".to_owned(), 6));
        assert_eq!(rows[0].os("note").unwrap(), None);
        assert_eq!(rows[1].os("note").unwrap().as_deref(), Some("x"));
        assert!(rows[0].i("note").is_err(), "NULL is not a number");
        assert!(rows[0].s("missing").is_err());
    }

    #[tokio::test]
    async fn a_duplicate_key_is_a_unique_violation() {
        let (_dir, c) = scratch();
        let mut tx = Tx::Lite(&c);
        tx.execute("INSERT INTO t (k, n) VALUES ($1, 1)", [Val::from("a")]).await.unwrap();
        let e = tx.execute("INSERT INTO t (k, n) VALUES ($1, 2)", [Val::from("a")]).await.unwrap_err();
        assert!(e.is_unique_violation(), "{e}");
        assert!(tx.execute("INSERT INTO t (k, n) VALUES ($1)", []).await.is_err(), "an unbound parameter is an error");
    }
}
