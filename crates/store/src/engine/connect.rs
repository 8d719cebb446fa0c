//! Opening the database: one code path for both backends, where they differ (the URL, SQLite's
//! pragmas and files, the pools, the order writer's own SQLite connection) said here once.

use std::{str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    AnyPool, Connection, Executor,
};

use crate::{auth, engine, Backend, SecretKey, Store, StoreError, StoreResult};

impl Store {
    pub(crate) async fn connect(url: &str, key: &SecretKey) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL '{}': use sqlite://PATH or postgres://...",
                redact(url)
            )));
        };
        let opts = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("invalid database URL '{}': {e}", redact(url))))?;
        let sealer = std::sync::Arc::new(auth::secrets::Sealer::new(key));
        if backend == Backend::Sqlite {
            engine::files::create_private(url)?;
        }
        probe(&opts, backend, url).await?;
        match backend {
            Backend::Sqlite => {
                engine::files::restrict_sqlite(url);
                // Migrations (and ANALYZE) first, on connections that are then closed: a SQLite
                // connection reads the planner's statistics when it opens and keeps them, so
                // the connections serving requests open after ANALYZE has run.
                let boot = Self::on_sqlite(&opts, url, false, sealer.clone()).await?;
                let migrated = engine::migrate::run(&boot).await;
                boot.close().await;
                migrated?;
                Self::on_sqlite(&opts, url, true, sealer).await
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    // No ping per acquire: it is a round trip to the server, a third of a
                    // handheld scan's. A connection the server dropped fails its next statement
                    // (that request answers 503) and is then replaced.
                    .test_before_acquire(false)
                    .connect_with(opts)
                    .await
                    .map_err(|e| {
                        StoreError::Unavailable(format!("cannot connect to PostgreSQL at '{}': {e}", redact(url)))
                    })?;
                let store = Self::assemble(pool.clone(), pool, backend, None, None, sealer)?;
                engine::migrate::run(&store).await?;
                Ok(store)
            }
        }
    }

    /// A store on a SQLite file: one write connection, four readers, and (`serving`) the order
    /// writer's own connection.
    async fn on_sqlite(
        opts: &AnyConnectOptions,
        url: &str,
        serving: bool,
        sealer: std::sync::Arc<auth::secrets::Sealer>,
    ) -> StoreResult<Self> {
        let backend = Backend::Sqlite;
        let write = sqlite_pool(opts, 1).await?;
        let read = sqlite_pool(opts, if serving { 4 } else { 1 }).await?;
        let (lite, checkpoint) = if serving {
            let file = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid database URL '{}': {e}", redact(url))))?;
            let path = file.get_filename();
            if path == std::path::Path::new(":memory:") {
                // Each connection would have a database of its own.
                return Err(StoreError::Config("an in-memory SQLite database is not supported: give a file".into()));
            }
            let unavailable = |e: StoreError| StoreError::Unavailable(format!("cannot open SQLite database: {e}"));
            let lite = engine::exec::LiteConn::open(path).map_err(unavailable)?;
            (Some(lite), Some(std::sync::Arc::new(engine::checkpoint::Checkpointer::start(path).map_err(unavailable)?)))
        } else {
            (None, None)
        };
        Self::assemble(write, read, backend, lite, checkpoint, sealer)
    }

    /// A store over its pools, with its order writer started (on `lite`, SQLite's own writer
    /// connection, where there is one) and empty caches.
    fn assemble(
        write: AnyPool,
        read: AnyPool,
        backend: Backend,
        lite: Option<engine::exec::LiteConn>,
        checkpoint: Option<std::sync::Arc<engine::checkpoint::Checkpointer>>,
        secrets: std::sync::Arc<auth::secrets::Sealer>,
    ) -> StoreResult<Self> {
        let writer = std::sync::Arc::new(engine::group_commit::GroupWriter::start(write.clone(), backend, lite)?);
        Ok(Store {
            write,
            read,
            backend,
            cache: Default::default(),
            sku_cache: Default::default(),
            key_cache: Default::default(),
            twins: Default::default(),
            app_cache: Default::default(),
            token_cache: Default::default(),
            secrets,
            login: Default::default(),
            site_cache: Default::default(),
            writer,
            _checkpoint: checkpoint,
        })
    }
}

/// A write transaction on `pool`.
pub(crate) async fn begin_on(pool: &AnyPool, backend: Backend) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
    match backend {
        // Take the write lock at BEGIN: a deferred transaction that reads first and writes later
        // fails at once with SQLITE_BUSY_SNAPSHOT (no busy wait) if another process (an admin
        // command, a second server) committed in between.
        Backend::Sqlite => Ok(pool.begin_with("BEGIN IMMEDIATE").await?),
        Backend::Postgres => Ok(pool.begin().await?),
    }
}

/// One direct connection first: a pool retries failed connections until its acquire timeout,
/// but an unreachable server or a corrupt file should be a prompt, clear error.
async fn probe(opts: &AnyConnectOptions, backend: Backend, url: &str) -> StoreResult<()> {
    let what = match backend {
        Backend::Sqlite => "cannot open SQLite database".to_owned(),
        Backend::Postgres => format!("cannot connect to PostgreSQL at '{}'", redact(url)),
    };
    let attempt = async {
        let mut conn = sqlx::AnyConnection::connect_with(opts).await?;
        if backend == Backend::Sqlite {
            conn.execute(SQLITE_PRAGMAS).await?;
        }
        sqlx::query("SELECT 1").execute(&mut conn).await?;
        conn.close().await
    };
    match tokio::time::timeout(Duration::from_secs(10), attempt).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(StoreError::Unavailable(format!("{what}: {e}"))),
        Err(_) => Err(StoreError::Unavailable(format!("{what}: timed out"))),
    }
}

/// WAL lets readers run beside the writer; FULL makes every commit durable; the log is
/// checkpointed by a thread of its own (`checkpoint`), the writers only past a backstop.
pub(crate) const SQLITE_PRAGMAS: &str = concat!(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; ",
    "PRAGMA wal_autocheckpoint = 20000;"
);

async fn sqlite_pool(opts: &AnyConnectOptions, max: u32) -> StoreResult<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(60))
        // A local file: nothing to test, and a ping is a hop to the worker thread per acquire.
        .test_before_acquire(false)
        // Nor anything to recycle. Without these sqlx runs no maintenance task, which once spun
        // at 100 % CPU racing `close()` and kept an admin command from exiting.
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
        .connect_with(opts.clone())
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database: {e}")))
}

/// Hides a password in a URL before it reaches a log or an error message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..s], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://./data/x.db"), "sqlite://./data/x.db");
    }
}
