//! The store's error: a domain refusal passes through unchanged; anything else is the database's
//! fault and becomes a bare internal error at the edge (logged, never shown in detail).

use entrepot_core::CoreError;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A business rule refused the operation; dialects render it.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The configuration does not describe a usable database.
    #[error("{0}")]
    Config(String),
    /// The database cannot be reached.
    #[error("{0}")]
    Unavailable(String),
    /// Data in the database that the code cannot read (a bug or manual tampering).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the SQLite order writer's own connection (see `engine::exec`).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    pub fn core(&self) -> Option<&CoreError> {
        match self {
            Self::Core(e) => Some(e),
            _ => None,
        }
    }

    /// True for a unique-constraint violation, which callers turn into a `Duplicate`.
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            Self::Database(sqlx::Error::Database(e)) => {
                e.is_unique_violation() || e.message().contains("UNIQUE constraint failed")
            }
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            _ => false,
        }
    }
}

/// Maps a unique violation of an insert to the domain's duplicate error.
pub(crate) fn on_unique<T>(r: Result<T, sqlx::Error>, what: &'static str, key: &str) -> StoreResult<T> {
    r.map_err(StoreError::from).map_err(|e| {
        if e.is_unique_violation() {
            StoreError::Core(CoreError::Duplicate { what, key: key.to_owned() })
        } else {
            e
        }
    })
}

/// The one place a store error crosses into the use-case layer: a business refusal stays what it
/// is; anything else is logged with its cause and becomes [`CoreError::Internal`].
impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Core(c) => c,
            other => {
                tracing::error!(error = %other, "store error");
                CoreError::Internal
            }
        }
    }
}
