//! A SQLite database's files are readable by their owner only (0600), whatever the umask: the
//! database holds hashed credentials and sealed secrets, and its `-wal` and `-shm` files hold
//! recent pages of it. SQLite creates the `-wal` and `-shm` files with the mode of the database
//! file, so creating that one private is enough for a new database; an existing one is narrowed.

use std::{path::PathBuf, str::FromStr};

use crate::{auth::secrets, StoreError, StoreResult};

/// The database file a `sqlite:` URL names (`None` for an in-memory database).
pub(crate) fn sqlite_path(url: &str) -> StoreResult<Option<PathBuf>> {
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("invalid database URL '{url}': {e}")))?;
    let path = opts.get_filename();
    Ok((path != std::path::Path::new(":memory:")).then(|| path.to_path_buf()))
}

/// Creates the database file, empty and private, when the URL asks for creation (`mode=rwc`)
/// and it does not exist yet (an empty file is an empty SQLite database).
pub(crate) fn create_private(url: &str) -> StoreResult<()> {
    if !url.contains("mode=rwc") {
        return Ok(());
    }
    let Some(path) = sqlite_path(url)? else { return Ok(()) };
    if path.exists() {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(&path) {
        Ok(_) => Ok(()),
        // Another process created it in between; SQLite opens it as usual.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A missing directory and the like: SQLite's own error says it better.
        Err(_) => Ok(()),
    }
}

/// Narrows an existing database and its `-wal` and `-shm` files to 0600.
pub(crate) fn restrict_sqlite(url: &str) {
    let Ok(Some(path)) = sqlite_path(url) else { return };
    secrets::restrict(&path);
    for suffix in ["-wal", "-shm"] {
        let mut name = path.clone().into_os_string();
        name.push(suffix);
        secrets::restrict(&PathBuf::from(name));
    }
}
