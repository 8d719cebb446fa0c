//! SQLite WAL checkpoints on a thread of their own.
//!
//! A checkpoint copies the log's pages into the database file and syncs it. Left to SQLite, the
//! connection whose commit takes the log past its limit does that before its next statement: the
//! order writer, so every write waited behind it (with the default limit, one every ~70 ms of a
//! bulk import; raising the limit alone took batch intake from ~9,000 to ~11,500 orders/s). Here a
//! passive checkpoint runs every [`EVERY`] beside the writers, and the writers' own limit
//! (`wal_autocheckpoint` in `SQLITE_PRAGMAS`) is only a backstop should this thread fall behind.

use std::{path::Path, sync::mpsc, time::Duration};

use crate::{engine::exec::LiteConn, StoreError, StoreResult};

/// How often the log is copied into the database file.
const EVERY: Duration = Duration::from_millis(100);

/// Runs checkpoints until dropped.
pub(crate) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> StoreResult<Self> {
        let conn = LiteConn::open(path)?;
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("entrepot-checkpoint".into())
            .spawn(move || {
                // Ends when the sender is dropped (`Disconnected`).
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // PASSIVE: copies what no reader still needs, never waits for a lock.
                    if let Err(e) = conn.batch("PRAGMA wal_checkpoint(PASSIVE)") {
                        tracing::warn!(error = %e, "WAL checkpoint failed; the writers' own limit still applies");
                    }
                }
            })
            .map_err(|e| StoreError::Unavailable(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer { _stop: stop })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn committed_pages_reach_the_database_file_without_a_writer_checkpointing() {
        let db = entrepot_testkit::TestDb::new(entrepot_testkit::Backend::Sqlite).await;
        let _store = crate::Store::open(&db.url).await.unwrap();
        let file = db.sqlite_file().unwrap();
        let before = std::fs::metadata(&file).unwrap().len();
        let writer = rusqlite::Connection::open(&file).unwrap();
        writer
            .execute_batch(
                "PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (b BLOB); \
                 WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 512) \
                 INSERT INTO filler SELECT randomblob(4096) FROM n;",
            )
            .unwrap();
        let grew = |by: u64| std::fs::metadata(&file).unwrap().len() >= before + by;
        for _ in 0..100 {
            if grew(2 << 20) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("2 MiB committed to the log never reached the database file");
    }
}
