//! Files in the database (`blobs`): labels, customs documents and photos that every process on
//! one PostgreSQL serves, whichever of them received the upload. One row per file, replaced
//! whole, so a reader sees the old content or the new; sizes are bounded by the port
//! ([`MAX_BLOB_BYTES`](entrepot_app::ports::MAX_BLOB_BYTES)), far under PostgreSQL's 1 GB per
//! value. Also usable on SQLite (`--file-store database`), where the local directory is the
//! default.

use async_trait::async_trait;
use entrepot_app::ports::{validate_key, validate_put, BlobError, BlobStore};
use sqlx::Row;

use crate::{engine::clock::now_ms, Store, StoreError};

fn failed(key: &str, e: impl Into<StoreError>) -> BlobError {
    BlobError::Io { key: key.to_owned(), source: std::io::Error::other(e.into()) }
}

#[async_trait]
impl BlobStore for Store {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        validate_put(key, bytes)?;
        let len = i64::try_from(bytes.len()).map_err(|e| failed(key, StoreError::Corrupt(e.to_string())))?;
        sqlx::query(
            "INSERT INTO blobs (key, bytes, content_length, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, content_length = excluded.content_length, \
             created_at = excluded.created_at",
        )
        .bind(key)
        .bind(bytes)
        .bind(len)
        .bind(now_ms())
        .execute(&self.write)
        .await
        .map_err(|e| failed(key, e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        validate_key(key)?;
        let row = sqlx::query("SELECT bytes FROM blobs WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.read)
            .await
            .map_err(|e| failed(key, e))?;
        row.map(|r| r.try_get::<Vec<u8>, _>("bytes")).transpose().map_err(|e| failed(key, e))
    }
}
