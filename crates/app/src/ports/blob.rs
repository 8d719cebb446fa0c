//! Where files live: shipping labels, customs documents, receiving photos. A port of its own, not
//! part of [`Storage`](super::Storage): which store holds the files is the operator's choice (a
//! local directory beside SQLite, the database itself on PostgreSQL so that every process sharing
//! it serves every file), and the doors hold it beside their [`App`](crate::App).
//!
//! Keys are relative, `/`-separated paths such as `labels/ord_01ABC.pdf`, which map equally well
//! onto directories, table rows and object keys.

use std::io;

use async_trait::async_trait;

/// The largest file any store keeps: the largest request body a door accepts (OC's customs file
/// upload, 16 MB), so nothing a caller can send is refused here, and nothing larger is stored.
pub const MAX_BLOB_BYTES: usize = 16 * 1024 * 1024;

/// Why a blob could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The key could escape the store or means different things on different backends; it is
    /// refused before touching storage.
    #[error("invalid blob key {key:?}: {reason}")]
    InvalidKey {
        /// The key as given.
        key: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// More than [`MAX_BLOB_BYTES`]; refused before touching storage.
    #[error("blob {key:?} is {size} bytes, more than the {max} a store keeps")]
    TooLarge {
        /// The key as given.
        key: String,
        /// The size offered.
        size: usize,
        /// [`MAX_BLOB_BYTES`].
        max: usize,
    },
    /// The backend failed; the operation may succeed if retried.
    #[error("blob store failed on {key:?}: {source}")]
    Io {
        /// The key being read or written.
        key: String,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
}

/// A flat store of files by key. Writes are atomic: a reader sees the old content or the new,
/// never a partial file.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing any previous content.
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError>;

    /// The content stored under `key`, or `None` if there is none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError>;
}

/// Refuses keys that could leave the store's root or that backends would read differently:
/// empty, absolute, with empty, `.` or `..` components, backslashes or NUL bytes, or longer than
/// 1024 bytes (S3's limit).
pub fn validate_key(key: &str) -> Result<(), BlobError> {
    let refuse = |reason| Err(BlobError::InvalidKey { key: key.to_owned(), reason });
    if key.is_empty() {
        return refuse("must not be empty");
    }
    if key.len() > 1024 {
        return refuse("must be at most 1024 bytes long");
    }
    if key.starts_with('/') {
        return refuse("must be relative");
    }
    if key.contains('\\') {
        return refuse("must use '/' as separator, not '\\'");
    }
    if key.contains('\0') {
        return refuse("must not contain NUL");
    }
    for component in key.split('/') {
        match component {
            ".." => return refuse("must not contain '..' components"),
            "." => return refuse("must not contain '.' components"),
            "" => return refuse("must not contain empty components"),
            _ => {}
        }
    }
    Ok(())
}

/// What every store checks before a write: a valid key and at most [`MAX_BLOB_BYTES`].
pub fn validate_put(key: &str, bytes: &[u8]) -> Result<(), BlobError> {
    validate_key(key)?;
    if bytes.len() > MAX_BLOB_BYTES {
        return Err(BlobError::TooLarge { key: key.to_owned(), size: bytes.len(), max: MAX_BLOB_BYTES });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_keys() {
        for key in ["a", "labels/ord_01ABC.pdf", "customs/2025/03/cn23-1.pdf", "a..b"] {
            assert!(validate_key(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn invalid_key_error_names_key_and_reason() {
        let err = validate_key("../x").unwrap_err();
        assert_eq!(err.to_string(), "invalid blob key \"../x\": must not contain '..' components");
        assert!(validate_key(&"a".repeat(1025)).is_err());
    }

    #[test]
    fn sizes_are_bounded() {
        assert!(validate_put("k", &vec![0; MAX_BLOB_BYTES]).is_ok());
        let err = validate_put("k", &vec![0; MAX_BLOB_BYTES + 1]).unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { size, .. } if size == MAX_BLOB_BYTES + 1), "{err}");
    }
}
