//! What the OAuth login page keeps in the database, so that every process serving it agrees:
//! password-guess throttling per user and per address (the rule is the core's
//! [`login_throttle`]; here it is applied under a row lock), and the secret the login form's CSRF
//! tokens are signed with. Also the constant-time side of password checks: an unknown user name
//! is verified against a dummy argon2 hash, so it costs what a known one costs.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    OnceLock,
};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use entrepot_core::login_throttle::{self, Limits, Record};

use crate::{
    engine::{
        clock::{now_ms, random},
        rows::{i, oi, s},
    },
    Backend, Store, StoreError, StoreResult,
};
pub use entrepot_app::types::auth::{address_subject, user_subject, LoginVerdicts};

/// Per-process state: the secret once read, and how many argon2 verifications ran.
#[derive(Default)]
pub(crate) struct LoginCache {
    secret: tokio::sync::OnceCell<[u8; 32]>,
    password_checks: AtomicU64,
}

/// A hash of a random password, made once, with the parameters real hashes are made with.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        let password = format!("{:032x}", random());
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

impl Store {
    /// Counts an attempt against each `(subject, limits)` and says whether the password may be
    /// checked. The attempt is recorded as a failure now; [`Store::login_succeeded`] takes it
    /// back. Subjects are locked in the order given (always user, then address), so concurrent
    /// attempts on PostgreSQL cannot deadlock.
    pub async fn login_attempt(&self, subjects: &[(String, Limits)]) -> StoreResult<LoginVerdicts> {
        let now = now_ms();
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE" } else { "" };
        let mut tx = self.begin().await?;
        let mut each = Vec::with_capacity(subjects.len());
        for (subject, limits) in subjects {
            sqlx::query(
                "INSERT INTO login_throttle (subject, failures, last_at) VALUES ($1, 0, 0) ON CONFLICT (subject) DO NOTHING",
            )
            .bind(subject)
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query(&format!(
                "SELECT failures, last_at, locked_until FROM login_throttle WHERE subject = $1{lock}"
            ))
            .bind(subject)
            .fetch_one(&mut *tx)
            .await?;
            let rec = Record {
                failures: u32::try_from(i(&row, "failures")?.max(0)).unwrap_or(u32::MAX),
                last_ms: i(&row, "last_at")?,
                locked_until_ms: oi(&row, "locked_until")?,
            };
            let (verdict, next) = login_throttle::attempt(limits, &rec, now);
            if next != rec {
                sqlx::query(
                    "UPDATE login_throttle SET failures = $2, last_at = $3, locked_until = $4 WHERE subject = $1",
                )
                .bind(subject)
                .bind(i64::from(next.failures))
                .bind(next.last_ms)
                .bind(next.locked_until_ms)
                .execute(&mut *tx)
                .await?;
            }
            each.push((subject.clone(), verdict, next.failures));
        }
        tx.commit().await?;
        if random().is_multiple_of(64) {
            self.forget_old_login_failures(now).await?;
        }
        Ok(LoginVerdicts { each })
    }

    /// A login succeeded: the user starts afresh, and the address gets back the failure its
    /// attempt was provisionally counted as (not more: an attacker with one account of their own
    /// must not be able to wipe the address's record by logging in between guesses).
    pub async fn login_succeeded(&self, user: &str, address: Option<&str>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM login_throttle WHERE subject = $1").bind(user).execute(&mut *tx).await?;
        if let Some(address) = address {
            sqlx::query(
                "UPDATE login_throttle SET failures = failures - 1 WHERE subject = $1 AND failures > 0 AND locked_until IS NULL",
            )
            .bind(address)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Drops records that can no longer delay or lock anyone (unknown names would pile up).
    async fn forget_old_login_failures(&self, now: i64) -> StoreResult<()> {
        let horizon = login_throttle::PER_USER.window_ms.max(login_throttle::PER_ADDRESS.window_ms);
        sqlx::query("DELETE FROM login_throttle WHERE last_at < $1 AND (locked_until IS NULL OR locked_until < $2)")
            .bind(now - horizon)
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// The login form's signing key: 32 random bytes made by whichever process asks first and
    /// kept in the database, so every process serving it signs and checks alike.
    pub async fn login_form_secret(&self) -> StoreResult<[u8; 32]> {
        let secret = self
            .login
            .secret
            .get_or_try_init(|| async {
                let fresh = format!("{:032x}{:032x}", random(), random());
                sqlx::query(
                    "INSERT INTO server_secrets (name, value, created_at) VALUES ('login-form', $1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(&fresh)
                .bind(now_ms())
                .execute(&self.write)
                .await?;
                let row = sqlx::query("SELECT value FROM server_secrets WHERE name = 'login-form'")
                    .fetch_one(&self.write)
                    .await?;
                decode_secret(&s(&row, "value")?)
            })
            .await?;
        Ok(*secret)
    }

    /// Checks `password` against `hash`, or against a dummy hash when there is no such user, so
    /// both cost one argon2 verification.
    pub(crate) async fn verify_password(&self, hash: Option<String>, password: &str) -> bool {
        self.login.password_checks.fetch_add(1, Ordering::Relaxed);
        let known = hash.is_some();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
            let ok = PasswordHash::new(&hash)
                .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
                .unwrap_or(false);
            ok && known
        })
        .await
        .unwrap_or(false)
    }

    /// How many passwords this store has verified with argon2 (known users or the dummy hash);
    /// lets tests see that an unknown user name is not answered faster.
    pub fn password_checks(&self) -> u64 {
        self.login.password_checks.load(Ordering::Relaxed)
    }
}

fn decode_secret(hex: &str) -> StoreResult<[u8; 32]> {
    let bad = || StoreError::Corrupt("server_secrets.login-form is not 64 hex digits".into());
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (k, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn subjects_ignore_case_and_spaces_and_are_bounded() {
        assert_eq!(super::user_subject(" Seller@Example.com "), "user:seller@example.com");
        assert_eq!(super::user_subject(&"X".repeat(10_000)).len(), 5 + entrepot_app::types::auth::MAX_SUBJECT);
        let mapped: std::net::IpAddr = "::ffff:10.0.0.7".parse().unwrap_or(std::net::IpAddr::from([0; 4]));
        assert_eq!(super::address_subject(mapped), "addr:10.0.0.7");
    }

    #[test]
    fn secrets_are_hex_decoded() {
        let hex = "00ff".repeat(16);
        let k = super::decode_secret(&hex).unwrap_or_default();
        assert_eq!((k[0], k[1], k[31]), (0, 255, 255));
        assert!(super::decode_secret("zz").is_err());
        assert!(super::decode_secret(&"é".repeat(32)).is_err());
    }
}
