//! Where `serve` keeps files (labels, customs documents, receiving photos): `--file-store`.
//!
//! A local directory (`<data-dir>/blobs`) is SQLite's default: one process, one disk. On
//! PostgreSQL the default is the database itself, so that every process sharing it serves every
//! file whichever one received it; files an earlier version wrote to the directory are still read
//! from there. An S3-compatible store is not offered yet (the `object_store` crate would be the
//! way; the database is enough for the sizes the doors accept).

use std::{path::Path, sync::Arc};

use clap::{Args, ValueEnum};
use entrepot_ops::{BlobStore, LocalBlobStore, WithFallback};
use entrepot_store::{Backend, Store};

/// Which [`BlobStore`] keeps the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum FileStore {
    /// The database on PostgreSQL, the local directory on SQLite.
    #[default]
    Auto,
    /// `<data-dir>/blobs`.
    Local,
    /// The `blobs` table, read by every process on the database.
    Database,
}

/// `serve`'s file options.
#[derive(Debug, Clone, Args)]
pub struct FileArgs {
    /// Where files are kept: `auto` (the database on PostgreSQL, `<data-dir>/blobs` on SQLite),
    /// `local` or `database`.
    #[arg(long, env = "ENTREPOT_FILE_STORE", value_enum, default_value_t = FileStore::Auto)]
    pub file_store: FileStore,
}

/// The store `choice` names, over `store` and `data_dir`.
pub fn blob_store(choice: FileStore, store: &Store, data_dir: &Path) -> Arc<dyn BlobStore> {
    let local = || Arc::new(LocalBlobStore::new(data_dir.join("blobs")));
    let database = match choice {
        FileStore::Local => false,
        FileStore::Database => true,
        FileStore::Auto => store.backend() == Backend::Postgres,
    };
    if database {
        Arc::new(WithFallback::new(Arc::new(store.clone()), local()))
    } else {
        local()
    }
}
