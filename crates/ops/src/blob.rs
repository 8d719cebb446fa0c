//! Files in a local directory: the [`BlobStore`] beside SQLite, one process's own disk.
//!
//! The trait is a port of the use-case layer (`entrepot_app::ports::BlobStore`), so that the
//! store can implement it too (files in the database, which every process on one PostgreSQL
//! reads); it is re-exported here, where the doors have always found it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
pub use entrepot_app::ports::{validate_key, validate_put, BlobError, BlobStore, MAX_BLOB_BYTES};

/// A [`BlobStore`] in a directory of the local file system.
#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    /// A store under `root`; the directory (and any subdirectory a key needs) is created on the
    /// first write.
    pub fn new(root: PathBuf) -> Self {
        LocalBlobStore { root }
    }

    /// The directory the blobs live in, for logs and backups.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        validate_key(key)?;
        Ok(self.root.join(key))
    }
}

/// A store that reads through to an older one: files written before the operator moved them
/// (a local directory, before the database kept them) are still served, while every new file
/// goes to `primary`.
pub struct WithFallback {
    primary: std::sync::Arc<dyn BlobStore>,
    fallback: std::sync::Arc<dyn BlobStore>,
}

impl WithFallback {
    pub fn new(primary: std::sync::Arc<dyn BlobStore>, fallback: std::sync::Arc<dyn BlobStore>) -> Self {
        WithFallback { primary, fallback }
    }
}

#[async_trait]
impl BlobStore for WithFallback {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        self.primary.put(key, bytes).await
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match self.primary.get(key).await? {
            Some(bytes) => Ok(Some(bytes)),
            None => self.fallback.get(key).await,
        }
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        validate_put(key, bytes)?;
        let path = self.path(key)?;
        let bytes = bytes.to_vec();
        let io_err = |source| BlobError::Io { key: key.to_owned(), source };
        tokio::task::spawn_blocking(move || write_atomically(&path, &bytes))
            .await
            .map_err(|join| io_err(io::Error::other(join)))?
            .map_err(io_err)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        let path = self.path(key)?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            // A directory, or a path through a file, holds no blob either.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(source) => Err(BlobError::Io { key: key.to_owned(), source }),
        }
    }
}

/// Writes to a fresh temporary file beside `path`, flushes it to disk, then renames it over
/// `path`, so a crash leaves either the old file or the new one, never a torn one.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().ok_or_else(|| io::Error::other("blob path has no parent directory"))?;
    let name = path.file_name().ok_or_else(|| io::Error::other("blob path has no file name"))?;
    std::fs::create_dir_all(dir)?;

    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{:016x}.tmp", rand::random::<u64>()));
    let tmp = dir.join(tmp_name);

    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        // Best effort: the temporary file is useless now, and the write error is what matters.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Makes the rename itself durable: on Unix a new directory entry survives a power cut only once
/// the directory is synced.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Directories cannot be opened for syncing elsewhere; the rename is as durable as it gets.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, LocalBlobStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalBlobStore::new(dir.path().join("blobs"));
        (dir, store)
    }

    #[tokio::test]
    async fn round_trips_into_subdirectories() {
        let (_dir, store) = store();
        store.put("labels/ord_01ABC.pdf", b"%PDF-1.4").await.unwrap();
        let got = store.get("labels/ord_01ABC.pdf").await.unwrap();
        assert_eq!(got.as_deref(), Some(&b"%PDF-1.4"[..]));
        let on_disk = std::fs::read(store.root().join("labels").join("ord_01ABC.pdf")).unwrap();
        assert_eq!(on_disk, b"%PDF-1.4");
    }

    #[tokio::test]
    async fn missing_is_none() {
        let (_dir, store) = store();
        assert_eq!(store.get("labels/nope.pdf").await.unwrap(), None);
        store.put("labels/a.pdf", b"a").await.unwrap();
        // A directory, or a path through a file, is not a blob either.
        assert_eq!(store.get("labels").await.unwrap(), None);
        assert_eq!(store.get("labels/a.pdf/b").await.unwrap(), None);
    }

    #[tokio::test]
    async fn overwrite_replaces_and_leaves_no_temporary_files() {
        let (_dir, store) = store();
        store.put("docs/c.pdf", b"first, longer").await.unwrap();
        store.put("docs/c.pdf", b"second").await.unwrap();
        let got = store.get("docs/c.pdf").await.unwrap();
        assert_eq!(got.as_deref(), Some(&b"second"[..]));
        let entries: Vec<_> =
            std::fs::read_dir(store.root().join("docs")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(entries, ["c.pdf"]);
    }

    #[tokio::test]
    async fn empty_blobs_are_blobs() {
        let (_dir, store) = store();
        store.put("empty", b"").await.unwrap();
        assert_eq!(store.get("empty").await.unwrap(), Some(Vec::new()));
    }

    #[tokio::test]
    async fn refuses_keys_that_could_escape_the_root() {
        let (dir, store) = store();
        for key in [
            "",
            "/etc/passwd",
            "../outside",
            "labels/../../outside",
            "labels/..",
            "labels\\..\\outside",
            "labels/a\0.pdf",
            "./labels/a.pdf",
            "labels//a.pdf",
            "labels/",
        ] {
            let put = store.put(key, b"x").await.unwrap_err();
            assert!(matches!(put, BlobError::InvalidKey { .. }), "{key:?}: {put}");
            let get = store.get(key).await.unwrap_err();
            assert!(matches!(get, BlobError::InvalidKey { .. }), "{key:?}: {get}");
        }
        // Nothing was written anywhere.
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(entries.is_empty(), "{entries:?}");
    }

    #[tokio::test]
    async fn falls_back_to_the_older_store_for_reads_only() {
        let (_a, old) = store();
        let (_b, new) = store();
        old.put("labels/old.pdf", b"old").await.unwrap();
        let both = WithFallback::new(std::sync::Arc::new(new.clone()), std::sync::Arc::new(old.clone()));
        assert_eq!(both.get("labels/old.pdf").await.unwrap(), Some(b"old".to_vec()));
        both.put("labels/new.pdf", b"new").await.unwrap();
        assert_eq!(new.get("labels/new.pdf").await.unwrap(), Some(b"new".to_vec()));
        assert_eq!(old.get("labels/new.pdf").await.unwrap(), None);
        assert_eq!(both.get("labels/none.pdf").await.unwrap(), None);
    }

    #[tokio::test]
    async fn refuses_blobs_over_the_bound() {
        let (_dir, store) = store();
        let err = store.put("big", &vec![0; MAX_BLOB_BYTES + 1]).await.unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { .. }), "{err}");
        assert_eq!(store.get("big").await.unwrap(), None);
    }

    #[tokio::test]
    async fn works_as_a_trait_object() {
        let (_dir, store) = store();
        let store: std::sync::Arc<dyn BlobStore> = std::sync::Arc::new(store);
        store.put("k", b"v").await.unwrap();
        assert_eq!(store.get("k").await.unwrap(), Some(b"v".to_vec()));
    }
}
