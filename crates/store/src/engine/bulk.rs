//! Multi-row statements for batch writes: one `INSERT ... VALUES (..), (..)` (or one
//! `UPDATE ... FROM (VALUES ..)`) per chunk instead of one statement per row. A round trip per row
//! is what made a 1,000-order upload slow, on PostgreSQL (network) as on SQLite (a statement
//! through sqlx's worker thread each).
//!
//! Chunks stay under both backends' bind limits (SQLite 32,766, PostgreSQL 65,535) and at most
//! [`MAX_ROWS`] rows, so a `VALUES` list never meets SQLite's compound-select limit either.
//!
//! On SQLite the placeholders are anonymous (`?`, bound in the order they appear): sqlx looks up
//! each numbered parameter's name, which SQLite finds by a linear scan, so `$1 .. $14000` cost
//! time quadratic in the row count (most of a 1,000-order upload's time).

use sqlx::{any::AnyArguments, query::Query, Any};

use crate::{
    engine::{exec::Tx, rows::s},
    StoreResult,
};

/// Binds per statement, under SQLite's 32,766.
const MAX_BINDS: usize = 30_000;
/// Rows per statement.
pub(crate) const MAX_ROWS: usize = 500;

/// A value of a multi-row statement (the store's columns are BIGINT and TEXT, and labels' bytes).
#[derive(Debug, Clone)]
pub(crate) enum Val {
    S(String),
    OS(Option<String>),
    I(i64),
    OI(Option<i64>),
    B(Vec<u8>),
}

impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::S(v.to_owned())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::S(v)
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OS(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I(v)
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OI(v)
    }
}

/// How many rows of `cols` values fit in one statement with `fixed` other binds.
pub(crate) fn rows_per_chunk(cols: usize, fixed: usize) -> usize {
    (MAX_BINDS.saturating_sub(fixed) / cols.max(1)).clamp(1, MAX_ROWS)
}

/// Placeholders in the order they appear in a statement: `$1, $2, ..` on PostgreSQL, `?` on
/// SQLite; values must be bound in that same order.
pub(crate) struct Ph {
    sqlite: bool,
    next: usize,
}

impl Ph {
    /// Placeholders for a statement run inside `tx`.
    pub(crate) fn new(tx: &Tx<'_>) -> Self {
        Ph { sqlite: tx.sqlite(), next: 1 }
    }

    /// Placeholders for a statement run on `backend`.
    pub(crate) fn on(backend: crate::Backend) -> Self {
        Ph { sqlite: backend == crate::Backend::Sqlite, next: 1 }
    }

    /// The next placeholder.
    pub(crate) fn one(&mut self) -> String {
        let mut out = String::new();
        self.push(&mut out);
        out
    }

    fn push(&mut self, out: &mut String) {
        if self.sqlite {
            out.push('?');
        } else {
            out.push('$');
            out.push_str(&self.next.to_string());
        }
        self.next += 1;
    }

    /// `(p, p), (p, p)` for `rows` rows of `cols` placeholders.
    pub(crate) fn tuples(&mut self, rows: usize, cols: usize) -> String {
        let mut out = String::with_capacity(rows * cols * 7);
        for r in 0..rows {
            if r > 0 {
                out.push_str(", ");
            }
            out.push('(');
            for c in 0..cols {
                if c > 0 {
                    out.push_str(", ");
                }
                self.push(&mut out);
            }
            out.push(')');
        }
        out
    }
}

/// A multi-row source for `UPDATE .. FROM`, named `v` with columns `column1, column2, ..`:
/// `(VALUES (?, ?), (?, ?)) AS v` on SQLite, `unnest($n::int8[], $m::text[]) AS v(column1, ..)`
/// on PostgreSQL (see [`insert`]), taking its placeholders from `ph` in order; and the
/// values to bind at that point. Column types come from the first row.
pub(crate) fn rows_source(ph: &mut Ph, rows: &[Vec<Val>]) -> (String, Vec<Val>) {
    let cols = rows.first().map(Vec::len).unwrap_or(0);
    if ph.sqlite {
        let sql = format!("(VALUES {}) AS v", ph.tuples(rows.len(), cols));
        return (sql, rows.iter().flatten().cloned().collect());
    }
    let arrays: Vec<String> = (0..cols)
        .map(|c| {
            let ty = if matches!(rows[0][c], Val::I(_) | Val::OI(_)) { "int8" } else { "text" };
            format!("{}::{ty}[]", ph.one())
        })
        .collect();
    let names: Vec<String> = (1..=cols).map(|c| format!("column{c}")).collect();
    let sql = format!("unnest({}) AS v({})", arrays.join(", "), names.join(", "));
    let vals = (0..cols).map(|c| Val::S(array_literal(rows.iter().map(|r| &r[c])))).collect();
    (sql, vals)
}

/// Binds values in order.
pub(crate) fn bind<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    vals: impl IntoIterator<Item = Val>,
) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::S(s) => q.bind(s),
            Val::OS(s) => q.bind(s),
            Val::I(n) => q.bind(n),
            Val::OI(n) => q.bind(n),
            Val::B(b) => q.bind(b),
        };
    }
    q
}

/// Binds values in order, borrowed (for a statement built once and bound from a list it keeps).
pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    vals: &'q [Val],
) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::S(s) => q.bind(s.as_str()),
            Val::OS(s) => q.bind(s.as_deref()),
            Val::I(n) => q.bind(*n),
            Val::OI(n) => q.bind(*n),
            Val::B(b) => q.bind(b.as_slice()),
        };
    }
    q
}

/// `IN (?, ?, ..)` on SQLite, `= ANY($n::text[])` on PostgreSQL, with its placeholders taken from
/// `ph`, and the values to bind there: a long list of ids as one array, which PostgreSQL parses
/// and plans far faster than as many parameters.
pub(crate) fn any_of(ph: &mut Ph, ids: &[&str]) -> (String, Vec<Val>) {
    if ph.sqlite {
        return (format!("IN {}", ph.tuples(1, ids.len())), ids.iter().map(|v| Val::from(*v)).collect());
    }
    (format!("= ANY({}::text[])", ph.one()), vec![Val::S(text_array(ids))])
}

/// A PostgreSQL array literal of `items`, each quoted.
fn text_array(items: &[&str]) -> String {
    let mut out = String::from("{");
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        quote_into(&mut out, item);
    }
    out.push('}');
    out
}

/// `$a, $b, ...`: `n` numbered placeholders from `$from`, for hand-written statements with a
/// short list (a long one wants [`Ph`], see the module doc).
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ")
}

/// A condition template (one `{}` for one placeholder) matching `column` to a value without
/// regard to case, as Bird's MySQL compares text (`_ci` collations). Both backends take the same
/// SQL: `lower()` folds ASCII on SQLite and by the database's locale on PostgreSQL. The
/// `IS NOT NULL` lets either planner use a partial index on `(client_id, lower(column))`.
pub(crate) fn any_case_eq(column: &str) -> String {
    format!("{column} IS NOT NULL AND lower({column}) = lower({{}})")
}

/// Inserts `rows` (each `cols.len()` values) into `table` in chunks; `tail` follows each
/// `VALUES` list (`ON CONFLICT ...`). Returns how many rows were inserted (or updated by an
/// upsert). No `RETURNING`: on SQLite every returned row crosses from sqlx's worker thread on its
/// own, a thread wake-up each, so a caller that must know which rows conflicted counts first and
/// asks ([`existing`]) only when the count is short.
pub(crate) async fn insert(
    tx: &mut Tx<'_>,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Val>>,
    tail: &str,
) -> StoreResult<u64> {
    let mut affected = 0;
    // PostgreSQL: `INSERT .. SELECT * FROM unnest($1::text[], $2::int8[], ..)`, one array per
    // column (see [`rows_source`]). PostgreSQL turns each row of a `VALUES` list into expressions
    // of their own to parse, plan and evaluate; an array per column is parsed once (500 order
    // rows: 34 ms → 21 – 27 ms), and the statement's text, the same whatever the row count, stays
    // prepared. Bytes (labels) keep `VALUES`.
    if !tx.sqlite() && rows.iter().flatten().all(|v| !matches!(v, Val::B(_))) {
        for chunk in rows.chunks(UNNEST_ROWS) {
            let (source, vals) = rows_source(&mut Ph::new(tx), chunk);
            let sql = format!("INSERT INTO {table} ({}) SELECT * FROM {source} {tail}", cols.join(", "));
            affected += tx.execute(&sql, vals).await?;
        }
        return Ok(affected);
    }
    let per = rows_per_chunk(cols.len(), 0);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        let values = Ph::new(tx).tuples(chunk.len(), cols.len());
        let sql = format!("INSERT INTO {table} ({}) VALUES {values} {tail}", cols.join(", "));
        affected += tx.execute(&sql, chunk.into_iter().flatten()).await?;
    }
    Ok(affected)
}

/// Rows per PostgreSQL `unnest` statement of [`insert`] (its parameters are one array per column).
const UNNEST_ROWS: usize = 5_000;

/// A PostgreSQL array literal of text or integer values; `NULL` for a missing one.
fn array_literal<'v>(vals: impl Iterator<Item = &'v Val>) -> String {
    let mut out = String::from("{");
    for (k, v) in vals.enumerate() {
        if k > 0 {
            out.push(',');
        }
        match v {
            Val::S(s) | Val::OS(Some(s)) => quote_into(&mut out, s),
            Val::I(n) | Val::OI(Some(n)) => out.push_str(&n.to_string()),
            Val::OS(None) | Val::OI(None) | Val::B(_) => out.push_str("NULL"),
        }
    }
    out.push('}');
    out
}

/// `"item"`, with `"` and `\` escaped, as an array literal's element.
fn quote_into(out: &mut String, item: &str) {
    out.push('"');
    for c in item.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Which of `ids` exist as `column` of `table` rows matching `cond` (its placeholders come
/// first, bound from `fixed`), in chunks.
pub(crate) async fn existing(
    tx: &mut Tx<'_>,
    table: &str,
    column: &str,
    cond: &str,
    fixed: &[Val],
    ids: &[&str],
) -> StoreResult<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(MAX_ROWS) {
        let mut ph = Ph::new(tx);
        let mut cond = cond.to_owned();
        for _ in fixed {
            cond = cond.replacen("{}", &ph.one(), 1);
        }
        let list = ph.tuples(1, chunk.len());
        let sql = format!("SELECT {column} AS v FROM {table} WHERE {cond} AND {column} IN {list}");
        let vals = fixed.iter().cloned().chain(chunk.iter().map(|v| Val::from(*v)));
        for row in tx.fetch_all(&sql, vals).await? {
            out.insert(s(&row, "v")?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend() {
        let mut pg = Ph { sqlite: false, next: 3 };
        assert_eq!(pg.tuples(2, 2), "($3, $4), ($5, $6)");
        assert_eq!(pg.one(), "$7");
        let mut lite = Ph { sqlite: true, next: 1 };
        assert_eq!(lite.tuples(1, 2), "(?, ?)");
    }

    #[test]
    fn text_arrays_quote_every_item() {
        assert_eq!(text_array(&["a", "b\"c", "d\\e", ""]), r#"{"a","b\"c","d\\e",""}"#);
        assert_eq!(text_array(&[]), "{}");
        let row = [Val::I(-3), Val::OI(None), Val::OS(None), Val::OS(Some("NULL".into()))];
        assert_eq!(array_literal(row.iter()), r#"{-3,NULL,NULL,"NULL"}"#);
    }

    #[test]
    fn chunks_stay_under_the_bind_limit() {
        assert_eq!(rows_per_chunk(28, 0), MAX_ROWS);
        assert_eq!(rows_per_chunk(100, 0), 300);
        assert!(rows_per_chunk(28, 0) * 28 <= 32_766);
        assert_eq!(rows_per_chunk(50_000, 0), 1);
    }
}
