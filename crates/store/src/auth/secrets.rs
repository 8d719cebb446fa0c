//! Secrets at rest. OC SecretKeys and webhook signing secrets cannot be hashed like API keys (the
//! server computes OC signatures and webhook HMACs with them), so they are sealed with
//! XChaCha20-Poly1305 under a key kept outside the database: a dump or a backup of the database
//! alone does not hand them out. Everything above the store keeps seeing plaintext.
//!
//! A sealed value is text, `enc:v1:<base64(nonce || ciphertext)>`, with a random 192-bit nonce
//! per value and its place (`table.column:row id`) as associated data, so a sealed value copied
//! into another row does not open. A value without the prefix is plaintext written before
//! sealing existed: it is read as it is and sealed once at start ([`prepare`]), by a conditional
//! `UPDATE` per row, so two processes starting together do it once.
//!
//! The database keeps one sealed canary (`secret_key_check`), written by the first process that
//! opens it with sealing: a process with another key is refused at start with a clear message,
//! rather than failing every signature later or sealing new secrets under a key nobody shares.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chacha20poly1305::{
    aead::{Aead, Payload},
    KeyInit, XChaCha20Poly1305, XNonce,
};

use crate::{
    engine::{clock::now_ms, rows::s},
    Store, StoreError, StoreResult,
};

/// The prefix of a sealed value (format version 1).
const PREFIX: &str = "enc:v1:";
const NONCE_LEN: usize = 24;
/// The canary's plaintext: any fixed text does, only whether it opens matters.
const CANARY: &str = "entrepot secret key check v1";

/// The 32-byte key that seals secrets at rest, and where it came from (for error messages).
#[derive(Clone)]
pub struct SecretKey {
    bytes: [u8; 32],
    origin: String,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey").field("origin", &self.origin).finish_non_exhaustive()
    }
}

impl std::str::FromStr for SecretKey {
    type Err = String;

    /// 32 bytes as 64 hex digits or as base64 (what `secret.key` holds).
    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32).map(|k| u8::from_str_radix(&t[2 * k..2 * k + 2], 16).unwrap_or(0)).collect::<Vec<u8>>()
        } else {
            B64.decode(t)
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
                .map_err(|_| "a secret key is 32 bytes written as 64 hex digits or in base64".to_owned())?
        };
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("a secret key is 32 bytes (64 hex digits or base64), not {}", b.len()))?;
        Ok(SecretKey { bytes, origin: "the given secret key".into() })
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> Self {
        SecretKey { bytes: rand::random(), origin: "a new secret key".into() }
    }

    /// The key's text form (base64), as written to a key file and accepted by `ENTREPOT_SECRET_KEY`.
    pub fn to_text(&self) -> String {
        B64.encode(self.bytes)
    }

    /// Names where the key came from, for the message when it does not match the database.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Reads the key file at `path`, creating it with a new random key (mode 0600) when it does
    /// not exist. Two processes starting together end up with the same key: the file appears
    /// whole, by a hard link that fails when another process linked first. A file readable by
    /// others is narrowed to 0600, with a warning.
    pub fn from_file_or_create(path: &Path) -> StoreResult<Self> {
        let fail = |what: &str, e: std::io::Error| StoreError::Config(format!("cannot {what} {}: {e}", path.display()));
        let created = if path.exists() {
            false
        } else {
            let tmp = temp_beside(path);
            let key = SecretKey::generate();
            write_private(&tmp, format!("{}\n", key.to_text()).as_bytes()).map_err(|e| fail("write", e))?;
            let linked = std::fs::hard_link(&tmp, path);
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => true,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(fail("create the secret key file", e)),
            }
        };
        restrict(path);
        let text = std::fs::read_to_string(path).map_err(|e| fail("read the secret key file", e))?;
        let key: SecretKey = text.parse().map_err(|e| StoreError::Config(format!("{}: {e}", path.display())))?;
        let origin = if created {
            format!("the secret key file {} (created now)", path.display())
        } else {
            format!("the secret key file {}", path.display())
        };
        Ok(key.with_origin(origin))
    }
}

/// `path` with a unique temporary name in the same directory.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{:08x}.tmp", std::process::id(), rand::random::<u32>()))
}

/// Writes a new file readable by its owner only (whatever the umask), flushed to disk.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    // The mode above applies only to a file that did not exist, and the umask can only narrow it.
    set_mode(&f, 0o600)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(unix)]
fn set_mode(f: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// Narrows an existing file to 0600 if group or others may read it; a warning says so. Files
/// that do not exist are skipped.
pub fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else { return };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {
                    tracing::warn!(path = %path.display(), was = format!("{mode:o}"), "readable by others: narrowed to 0600")
                }
                Err(e) => tracing::warn!(path = %path.display(), error = %e, "cannot narrow to 0600"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Seals and opens values with the store's key.
pub(crate) struct Sealer {
    cipher: XChaCha20Poly1305,
    origin: String,
}

/// Where a sealed value lives: its table and column, and its row's id.
pub(crate) struct Place<'a> {
    pub column: &'static str,
    pub id: &'a str,
}

impl Place<'_> {
    fn aad(&self) -> String {
        format!("{}:{}", self.column, self.id)
    }
}

impl Sealer {
    pub(crate) fn new(key: &SecretKey) -> Self {
        Sealer { cipher: XChaCha20Poly1305::new((&key.bytes).into()), origin: key.origin.clone() }
    }

    /// `enc:v1:<base64(nonce || ciphertext)>` of `plain`.
    pub(crate) fn seal(&self, place: &Place<'_>, plain: &str) -> StoreResult<String> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let aad = place.aad();
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: aad.as_bytes() })
            .map_err(|_| StoreError::Corrupt(format!("cannot seal {}", place.column)))?;
        let mut raw = Vec::with_capacity(NONCE_LEN + sealed.len());
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", B64.encode(raw)))
    }

    /// The plaintext of a stored value: a sealed one opened, a plaintext one from before as it is.
    pub(crate) fn open(&self, place: &Place<'_>, stored: &str) -> StoreResult<String> {
        let Some(body) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_owned()) };
        let bad = || {
            StoreError::Corrupt(format!("{} of row {} cannot be opened with {}", place.column, place.id, self.origin))
        };
        let raw = B64.decode(body).map_err(|_| bad())?;
        if raw.len() < NONCE_LEN {
            return Err(bad());
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let aad = place.aad();
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: aad.as_bytes() })
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

/// Whether a stored value is sealed (or plaintext from before).
pub(crate) fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// The columns that hold secrets: `(table, id column, secret column, place name)`.
const SECRET_COLUMNS: &[(&str, &str, &str, &str)] =
    &[("erp_apps", "id", "secret_key", ERP_APP_SECRET), ("webhooks", "id", "secret", WEBHOOK_SECRET)];
pub(crate) const ERP_APP_SECRET: &str = "erp_apps.secret_key";
pub(crate) const WEBHOOK_SECRET: &str = "webhooks.secret";
const CANARY_PLACE: &str = "secret_key_check.sealed";

/// At start, after migrations: checks that the key is the database's (writing the canary if the
/// database has none yet), then seals the secrets still stored in plaintext.
pub(crate) async fn prepare(store: &Store) -> StoreResult<()> {
    let place = Place { column: CANARY_PLACE, id: "1" };
    let canary = store.secrets.seal(&place, CANARY)?;
    sqlx::query("INSERT INTO secret_key_check (id, sealed, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(&canary)
        .bind(now_ms())
        .execute(&store.write)
        .await?;
    let row = sqlx::query("SELECT sealed FROM secret_key_check WHERE id = 1").fetch_one(&store.write).await?;
    if store.secrets.open(&place, &s(&row, "sealed")?).ok().as_deref() != Some(CANARY) {
        return Err(StoreError::Config(format!(
            "the secrets in this database were sealed with another key than {}: start with the key it was first \
             used with (--secret-key-file or ENTREPOT_SECRET_KEY)",
            store.secrets.origin
        )));
    }
    for (table, id_col, col, place_name) in SECRET_COLUMNS {
        let rows = sqlx::query(&format!(
            "SELECT CAST({id_col} AS TEXT) AS id, {col} AS secret FROM {table} WHERE SUBSTR({col}, 1, 7) <> '{PREFIX}'"
        ))
        .fetch_all(&store.read)
        .await?;
        let mut sealed = 0;
        for row in &rows {
            let (id, plain) = (s(row, "id")?, s(row, "secret")?);
            let value = store.secrets.seal(&Place { column: place_name, id: &id }, &plain)?;
            // Only if the row still holds what was read: a racing process may have sealed it.
            let q = format!("UPDATE {table} SET {col} = $1 WHERE CAST({id_col} AS TEXT) = $2 AND {col} = $3");
            let r = sqlx::query(&q).bind(&value).bind(&id).bind(&plain).execute(&store.write).await?;
            sealed += r.rows_affected();
        }
        if sealed > 0 {
            tracing::info!(table, sealed, "sealed secrets stored in plaintext");
        }
    }
    Ok(())
}

impl Store {
    /// For `admin check`: every secret is sealed, and opens with this key.
    pub(crate) async fn check_secrets(&self, out: &mut Vec<crate::Violation>) -> StoreResult<()> {
        for (table, id_col, col, place_name) in SECRET_COLUMNS {
            let rows = sqlx::query(&format!("SELECT CAST({id_col} AS TEXT) AS id, {col} AS secret FROM {table}"))
                .fetch_all(&self.read)
                .await?;
            for row in &rows {
                let (id, stored) = (s(row, "id")?, s(row, "secret")?);
                let detail = if !is_sealed(&stored) {
                    format!("{place_name} of row {id} is stored in plaintext")
                } else if self.secrets.open(&Place { column: place_name, id: &id }, &stored).is_err() {
                    format!("{place_name} of row {id} does not open with {}", self.secrets.origin)
                } else {
                    continue;
                };
                out.push(crate::Violation { invariant: "secrets sealed", detail });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn keys_parse_from_hex_and_base64_and_nothing_else() {
        let k = SecretKey::generate();
        let back: SecretKey = k.to_text().parse().unwrap();
        assert_eq!(back.bytes, k.bytes);
        let hex: String = k.bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex.parse::<SecretKey>().unwrap().bytes, k.bytes);
        assert_eq!(format!(" {}\n", hex.to_uppercase()).parse::<SecretKey>().unwrap().bytes, k.bytes);
        assert!("short".parse::<SecretKey>().is_err());
        assert!(B64.encode([1u8; 16]).parse::<SecretKey>().unwrap_err().contains("not 16"));
        assert!(!format!("{k:?}").contains(&k.to_text()), "Debug never shows the key");
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_in_their_place() {
        let key = SecretKey::generate();
        let s = Sealer::new(&key);
        let here = Place { column: ERP_APP_SECRET, id: "app_1" };
        let a = s.seal(&here, "0123abcd").unwrap();
        let b = s.seal(&here, "0123abcd").unwrap();
        assert!(is_sealed(&a) && a != b, "a random nonce per value");
        assert!(!a.contains("0123abcd"));
        assert_eq!(s.open(&here, &a).unwrap(), "0123abcd");
        assert!(s.open(&Place { column: ERP_APP_SECRET, id: "app_2" }, &a).is_err(), "bound to its row");
        assert!(s.open(&Place { column: WEBHOOK_SECRET, id: "app_1" }, &a).is_err(), "bound to its column");
        assert!(Sealer::new(&SecretKey::generate()).open(&here, &a).is_err(), "another key");
        assert_eq!(s.open(&here, "plain-from-before").unwrap(), "plain-from-before");
        assert!(s.open(&here, "enc:v1:!!").is_err());
    }

    #[test]
    fn a_key_file_is_created_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let first = SecretKey::from_file_or_create(&path).unwrap();
        assert!(first.origin().contains("created now"));
        let again = SecretKey::from_file_or_create(&path).unwrap();
        assert_eq!(first.bytes, again.bytes);
        assert!(!again.origin().contains("created now"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            SecretKey::from_file_or_create(&path).unwrap();
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(SecretKey::from_file_or_create(&path).is_err());
    }
}
