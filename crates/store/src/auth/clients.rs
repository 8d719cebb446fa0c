//! Clients (tenants) and the credentials that resolve to them: console users (argon2 password
//! hashes), Bird API keys (SHA-256 hashes: the keys are 128 random bits, so a fast hash is safe and
//! keeps every request's lookup cheap), and OC ERP apps.
//!
//! An OC SecretKey cannot be stored hashed: OC's signature is `MD5(path|body|clientKey|secretKey)`,
//! which the server can only verify by knowing the secret, exactly like an HMAC key. It is shown
//! once at creation and never printed again, and stored sealed (see `auth::secrets`).

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
    Argon2,
};
use entrepot_core::{
    company::Client,
    ids::{ApiKeyId, ClientId, CompanyId, ErpAppId, UserId},
    money::Currency,
    CoreError,
};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use crate::{
    auth::secrets::{Place, Sealer, ERP_APP_SECRET},
    engine::{
        clock::{new_id, now_ms, random},
        rows::{os, s},
    },
    error::on_unique,
    Store, StoreError, StoreResult,
};
pub use entrepot_app::types::auth::{ErpApp, User};

pub use entrepot_app::types::operator::{ApiKeyCreated, ErpAppCreated, NewErpApp};

fn client(row: &AnyRow) -> StoreResult<Client> {
    Ok(Client {
        id: ClientId(s(row, "id")?),
        company_id: CompanyId(s(row, "company_id")?),
        name: s(row, "name")?,
        currency: Currency::parse(&s(row, "currency")?)?,
    })
}

/// An app row, its SecretKey opened.
fn erp_app(row: &AnyRow, sealer: &Sealer) -> StoreResult<ErpApp> {
    let id = s(row, "id")?;
    Ok(ErpApp {
        secret_key: sealer.open(&Place { column: ERP_APP_SECRET, id: &id }, &s(row, "secret_key")?)?,
        id: ErpAppId(id),
        client_id: ClientId(s(row, "client_id")?),
        name: s(row, "name")?,
        client_key: s(row, "client_key")?,
        kind: s(row, "kind")?,
        environment: s(row, "environment")?,
        redirect_uri: s(row, "redirect_uri")?,
        revoked: crate::engine::rows::oi(row, "revoked_at")?.is_some(),
    })
}

/// SHA-256 hex of an API key.
fn key_hash(key: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(key.trim().as_bytes());
    let mut out = String::with_capacity(2 * digest.len());
    for b in digest {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

fn hex128() -> String {
    format!("{:032x}", random())
}

fn uuid_v4() -> String {
    let r = random();
    let h = format!("{:032x}", (r & !(0xF << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62));
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub(crate) async fn hash_password(password: String) -> StoreResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Corrupt(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("password hashing task failed: {e}")))?
}

impl Store {
    pub async fn create_client(&self, company: &CompanyId, name: &str, currency: &Currency) -> StoreResult<Client> {
        if name.trim().is_empty() {
            return Err(CoreError::invalid("name", "must not be empty").into());
        }
        let c = Client {
            id: new_id!(ClientId),
            company_id: company.clone(),
            name: name.trim().to_owned(),
            currency: currency.clone(),
        };
        let r =
            sqlx::query("INSERT INTO clients (id, company_id, name, currency, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&c.id.0)
                .bind(&c.company_id.0)
                .bind(&c.name)
                .bind(c.currency.as_str())
                .bind(now_ms())
                .execute(&self.write)
                .await;
        on_unique(r, "client name", &c.name)?;
        Ok(c)
    }

    pub async fn client(&self, id: &ClientId) -> StoreResult<Client> {
        let row = sqlx::query("SELECT id, company_id, name, currency FROM clients WHERE id = $1")
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(client).transpose()?.ok_or_else(|| CoreError::not_found("client", id).into())
    }

    /// Finds a client by id or by name (what an operator types).
    pub async fn find_client(&self, id_or_name: &str) -> StoreResult<Client> {
        let row = sqlx::query("SELECT id, company_id, name, currency FROM clients WHERE id = $1 OR name = $1")
            .bind(id_or_name)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(client).transpose()?.ok_or_else(|| CoreError::not_found("client", id_or_name).into())
    }

    pub async fn clients(&self) -> StoreResult<Vec<Client>> {
        // Sandbox twins are not clients anyone manages (see `sandbox`).
        let rows =
            sqlx::query("SELECT id, company_id, name, currency FROM clients WHERE sandbox_of IS NULL ORDER BY name")
                .fetch_all(&self.read)
                .await?;
        rows.iter().map(client).collect()
    }

    /// The console users of `client` (never operator staff, never another client's), by name;
    /// their password hashes are not read.
    pub async fn client_users(&self, client: &ClientId) -> StoreResult<Vec<User>> {
        let rows =
            sqlx::query("SELECT id, client_id, username, role FROM users WHERE client_id = $1 ORDER BY username")
                .bind(&client.0)
                .fetch_all(&self.read)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(User {
                    id: UserId(s(row, "id")?),
                    client_id: os(row, "client_id")?.map(ClientId),
                    username: s(row, "username")?,
                    role: s(row, "role")?,
                })
            })
            .collect()
    }

    /// Creates a console user; `client` is `None` for operator staff.
    pub async fn create_user(
        &self,
        client: Option<&ClientId>,
        username: &str,
        password: &str,
        role: &str,
    ) -> StoreResult<User> {
        let username = username.trim();
        if username.is_empty() {
            return Err(CoreError::invalid("username", "must not be empty").into());
        }
        if password.chars().count() < 8 {
            return Err(CoreError::invalid("password", "must be at least 8 characters").into());
        }
        let hash = hash_password(password.to_owned()).await?;
        let user = User {
            id: new_id!(UserId),
            client_id: client.cloned(),
            username: username.to_owned(),
            role: role.to_owned(),
        };
        let r = sqlx::query("INSERT INTO users (id, client_id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&user.id.0)
            .bind(user.client_id.as_ref().map(|c| c.0.clone()))
            .bind(&user.username)
            .bind(hash)
            .bind(&user.role)
            .bind(now_ms())
            .execute(&self.write)
            .await;
        on_unique(r, "username", username)?;
        Ok(user)
    }

    /// Checks a username and password; `None` for either being wrong (callers must not tell
    /// which). An unknown user costs one argon2 verification too (against a dummy hash), so the
    /// time taken does not tell either.
    pub async fn verify_user(&self, username: &str, password: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT id, client_id, username, password_hash, role FROM users WHERE username = $1 AND disabled_at IS NULL")
            .bind(username.trim())
            .fetch_optional(&self.read)
            .await?;
        let hash = row.as_ref().map(|r| s(r, "password_hash")).transpose()?;
        if !self.verify_password(hash, password).await {
            return Ok(None);
        }
        let Some(row) = row else { return Ok(None) };
        Ok(Some(User {
            id: UserId(s(&row, "id")?),
            client_id: os(&row, "client_id")?.map(ClientId),
            username: s(&row, "username")?,
            role: s(&row, "role")?,
        }))
    }

    /// Issues a Bird API key (32 hex characters, like BirdSystem's).
    pub async fn create_api_key(&self, client: &ClientId, label: &str) -> StoreResult<ApiKeyCreated> {
        self.client(client).await?;
        let created = ApiKeyCreated { id: new_id!(ApiKeyId), api_key: hex128() };
        sqlx::query("INSERT INTO api_keys (id, client_id, key_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&created.id.0)
            .bind(&client.0)
            .bind(key_hash(&created.api_key))
            .bind(label)
            .bind(now_ms())
            .execute(&self.write)
            .await?;
        Ok(created)
    }

    /// The client an API key belongs to, if the key is valid and not revoked.
    /// Keys recognised less than a second ago are not read again (see `auth::keys`).
    pub async fn client_by_api_key(&self, key: &str) -> StoreResult<Option<ClientId>> {
        let hash = key_hash(key);
        self.key_cache
            .get_or_read(hash.clone(), || async {
                let row = sqlx::query("SELECT client_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL")
                    .bind(&hash)
                    .fetch_optional(&self.read)
                    .await?;
                row.map(|r| Ok(ClientId(s(&r, "client_id")?))).transpose()
            })
            .await
    }

    pub async fn revoke_api_key(&self, id: &ApiKeyId) -> StoreResult<()> {
        self.revoke_key_of(None, id).await
    }

    /// Revokes a key (of `client` only, when given) and forgets the keys recognised lately.
    async fn revoke_key_of(&self, client: Option<&ClientId>, id: &ApiKeyId) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL AND ($3 IS NULL OR client_id = $3)",
        )
        .bind(now_ms())
        .bind(&id.0)
        .bind(client.map(|c| c.0.as_str()))
        .execute(&self.write)
        .await?;
        self.key_cache.forget();
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("API key", id).into());
        }
        Ok(())
    }

    /// See [`entrepot_app::ports::CredentialPort::api_keys`].
    pub async fn api_keys(&self, client: &ClientId) -> StoreResult<Vec<entrepot_app::types::operator::ApiKeyView>> {
        let rows = sqlx::query(
            "SELECT id, label, created_at, revoked_at FROM api_keys WHERE client_id = $1 ORDER BY created_at DESC, id LIMIT 200",
        )
        .bind(&client.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(entrepot_app::types::operator::ApiKeyView {
                    id: ApiKeyId(crate::engine::rows::s(r, "id")?),
                    label: crate::engine::rows::s(r, "label")?,
                    created_at_ms: crate::engine::rows::i(r, "created_at")?,
                    revoked_at_ms: crate::engine::rows::oi(r, "revoked_at")?,
                })
            })
            .collect()
    }

    /// See [`entrepot_app::ports::CredentialPort::revoke_client_api_key`].
    pub async fn revoke_client_api_key(&self, client: &ClientId, id: &ApiKeyId) -> StoreResult<()> {
        self.revoke_key_of(Some(client), id).await
    }

    /// Registers an OC ERP app: a UUID ClientKey and a 32-hex SecretKey.
    pub async fn create_erp_app(&self, n: NewErpApp) -> StoreResult<ErpAppCreated> {
        self.client(&n.client_id).await?;
        let kind = match n.kind.to_ascii_uppercase().replace('-', "_").as_str() {
            "SELLER_ERP" | "SELLER" => "SELLER_ERP",
            "3PP_ERP" | "3PP" => "3PP_ERP",
            other => return Err(CoreError::invalid("kind", format!("'{other}' is not SELLER_ERP or 3PP_ERP")).into()),
        };
        let environment = match n.environment.to_ascii_uppercase().as_str() {
            "SANDBOX" => "SANDBOX",
            "PRODUCTION" => "PRODUCTION",
            other => {
                return Err(CoreError::invalid("environment", format!("'{other}' is not SANDBOX or PRODUCTION")).into())
            }
        };
        if !(n.redirect_uri.starts_with("http://") || n.redirect_uri.starts_with("https://")) {
            return Err(CoreError::invalid("redirect_uri", "must be an http(s) URL").into());
        }
        let created = ErpAppCreated { id: new_id!(ErpAppId), client_key: uuid_v4(), secret_key: hex128() };
        sqlx::query(
            "INSERT INTO erp_apps (id, client_id, name, client_key, secret_key, kind, environment, redirect_uri, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&created.id.0)
        .bind(&n.client_id.0)
        .bind(&n.name)
        .bind(&created.client_key)
        .bind(self.secrets.seal(&Place { column: ERP_APP_SECRET, id: &created.id.0 }, &created.secret_key)?)
        .bind(kind)
        .bind(environment)
        .bind(&n.redirect_uri)
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        Ok(created)
    }

    /// An ERP app by ClientKey (revoked apps included, so callers can say "revoked"); apps read
    /// less than a second ago are not read again (see `auth::keys`).
    pub async fn erp_app_by_key(&self, client_key: &str) -> StoreResult<Option<ErpApp>> {
        let key = client_key.trim();
        self.app_cache
            .get_or_read(key.to_owned(), || async {
                let row = sqlx::query(
                    "SELECT id, client_id, name, client_key, secret_key, kind, environment, redirect_uri, revoked_at FROM erp_apps WHERE client_key = $1",
                )
                .bind(key)
                .fetch_optional(&self.read)
                .await?;
                row.as_ref().map(|r| erp_app(r, &self.secrets)).transpose()
            })
            .await
    }

    /// The client's ERP apps, revoked ones too, oldest first.
    pub async fn erp_apps_of(&self, client: &ClientId) -> StoreResult<Vec<ErpApp>> {
        let rows = sqlx::query(
            "SELECT id, client_id, name, client_key, secret_key, kind, environment, redirect_uri, revoked_at FROM erp_apps \
             WHERE client_id = $1 ORDER BY created_at, id",
        )
        .bind(&client.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| erp_app(r, &self.secrets)).collect()
    }

    /// Revokes an app and every token issued to it, in one transaction.
    pub async fn revoke_erp_app(&self, client_key: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "UPDATE erp_apps SET revoked_at = $1 WHERE client_key = $2 AND revoked_at IS NULL RETURNING id",
        )
        .bind(now_ms())
        .bind(client_key)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(CoreError::not_found("ERP app", client_key).into());
        };
        Store::revoke_app_tokens(&mut tx, &s(&row, "id")?).await?;
        tx.commit().await?;
        self.app_cache.forget();
        self.token_cache.forget();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_credentials_have_the_originals_shapes() {
        let u = super::uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(super::hex128().len(), 32);
        assert_eq!(super::key_hash("abc"), super::key_hash(" abc "));
    }

    #[test]
    fn key_hashes_are_lowercase_hex_sha256_as_stored_keys_were_hashed() {
        assert_eq!(super::key_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
