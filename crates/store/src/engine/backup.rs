//! Online backups of a SQLite database and putting one back.
//!
//! A backup is `VACUUM INTO` on a read connection: one read transaction, so the copy is the
//! database as of one commit, taken while the server keeps writing (WAL readers do not block the
//! writer). Sealed secrets stay sealed in the copy: the key file must be kept beside it.
//!
//! A restore checks the file (`PRAGMA integrity_check`, an Entrepot schema), refuses while a
//! process has the database open (leaving WAL mode needs every other connection closed, which
//! also folds the old log into the old file), then renames a private copy over the database, so
//! a crash leaves either the old database or the new one, never a mix with a stale `-wal`.
//! PostgreSQL has `pg_dump`/`pg_restore` for this.

use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;

use crate::{engine::files, Backend, Store, StoreError, StoreResult};

const ON_POSTGRES: &str = "on PostgreSQL, back up with `pg_dump --format=custom` and restore with `pg_restore` \
     (see the README), keeping the secret key beside the dump";

impl Store {
    /// Writes a consistent copy of the SQLite database to `to`, which must not exist yet; the
    /// copy is readable by its owner only.
    pub async fn backup_to(&self, to: &Path) -> StoreResult<u64> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Config(format!("admin backup works on SQLite; {ON_POSTGRES}")));
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        // `VACUUM INTO` accepts an empty file: creating it here makes it private and refuses to
        // overwrite anything.
        opts.open(to).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Config(format!("{} exists; a backup never overwrites a file", to.display()))
            } else {
                StoreError::Config(format!("cannot create {}: {e}", to.display()))
            }
        })?;
        let copied = sqlx::query("VACUUM INTO $1").bind(to.to_string_lossy().into_owned()).execute(&self.read).await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(to);
            return Err(e.into());
        }
        let size = sync_file(to).map_err(|e| StoreError::Config(format!("cannot sync {}: {e}", to.display())))?;
        Ok(size)
    }
}

/// Flushes a file and its directory entry to disk; the file's size.
fn sync_file(path: &Path) -> std::io::Result<u64> {
    let f = std::fs::File::open(path)?;
    f.sync_all()?;
    sync_dir(path);
    Ok(f.metadata()?.len())
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Replaces the SQLite database that `url` names with the backup `from`. Refuses PostgreSQL, a
/// file that is not a sound Entrepot database, and a database some process has open.
pub fn restore_sqlite(url: &str, from: &Path) -> StoreResult<PathBuf> {
    if !url.starts_with("sqlite:") {
        return Err(StoreError::Config(format!("admin restore works on SQLite; {ON_POSTGRES}")));
    }
    let Some(target) = files::sqlite_path(url)? else {
        return Err(StoreError::Config("an in-memory SQLite database cannot be restored into".into()));
    };
    if !from.is_file() {
        return Err(StoreError::Config(format!("{} is not a file", from.display())));
    }
    // A private copy beside the target, checked there: the backup itself is never opened for
    // writing, and the rename below stays on one file system.
    let tmp = with_suffix(&target, &format!(".restore-{}.tmp", std::process::id()));
    let result = (|| {
        let mut src = std::fs::File::open(from)
            .map_err(|e| StoreError::Config(format!("cannot read {}: {e}", from.display())))?;
        crate::auth::secrets::write_private(&tmp, &[])
            .map_err(|e| StoreError::Config(format!("cannot write {}: {e}", tmp.display())))?;
        let mut dst = std::fs::OpenOptions::new()
            .write(true)
            .open(&tmp)
            .map_err(|e| StoreError::Config(format!("cannot write {}: {e}", tmp.display())))?;
        std::io::copy(&mut src, &mut dst)
            .and_then(|_| dst.sync_all())
            .map_err(|e| StoreError::Config(format!("cannot copy {}: {e}", from.display())))?;
        verify(&tmp, from)?;
        if target.exists() {
            refuse_if_open(&target)?;
        }
        std::fs::rename(&tmp, &target)
            .map_err(|e| StoreError::Config(format!("cannot replace {}: {e}", target.display())))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&target, suffix));
        }
        sync_dir(&target);
        Ok(target.clone())
    })();
    if result.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&tmp, suffix));
        }
    }
    result
}

/// The copy at `path` (of `from`) is a whole SQLite file with Entrepot's schema.
fn verify(path: &Path, from: &Path) -> StoreResult<()> {
    let not = |why: String| StoreError::Config(format!("{} is not a sound Entrepot database: {why}", from.display()));
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| not(e.to_string()))?;
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| not(e.to_string()))?;
    if check != "ok" {
        return Err(not(check));
    }
    let migrations: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .map_err(|_| not("it has no schema_migrations table".into()))?;
    if migrations == 0 {
        return Err(not("no migration was ever applied to it".into()));
    }
    // The copy becomes the database as it is: no log beside it.
    let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).map_err(|e| not(e.to_string()))?;
    conn.close().map_err(|(_, e)| not(e.to_string()))?;
    Ok(())
}

/// Refuses while another connection has `target` open: leaving WAL mode needs all others
/// closed. When it succeeds, the old log has been folded into the old file and removed.
fn refuse_if_open(target: &Path) -> StoreResult<()> {
    let busy = || {
        StoreError::Config(format!(
            "{} is in use (is `entrepot serve` running on it?): stop every process using it, then restore",
            target.display()
        ))
    };
    let conn = rusqlite::Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| StoreError::Config(format!("cannot open {}: {e}", target.display())))?;
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let mode: Result<String, _> = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    match mode {
        Ok(m) if m.eq_ignore_ascii_case("delete") => {}
        Ok(_) => return Err(busy()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
        {
            return Err(busy())
        }
        // Not a database (a corrupt file being replaced): nothing holds it.
        Err(_) => {}
    }
    let _ = conn.close();
    Ok(())
}
