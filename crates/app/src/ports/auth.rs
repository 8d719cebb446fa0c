//! Who is calling: API keys, OC apps and tokens, users and the login throttle.

use async_trait::async_trait;
use entrepot_core::{
    company::Client,
    ids::*,
    login_throttle::Limits,
    oauth::{AccessRecord, OauthRefusal},
    CoreResult,
};

use crate::types::auth::*;

#[async_trait]
pub trait AuthPort: Send + Sync {
    /// The record of an access token, if it was ever issued; the caller checks it with
    /// [`oauth::check_access`].
    /// Tokens read less than a second ago are not read again (see the store's `auth::keys`); their expiry is
    /// still checked at each call.
    async fn access_token(&self, token: &str) -> CoreResult<Option<AccessRecord>>;
    async fn client(&self, id: &ClientId) -> CoreResult<Client>;
    /// The console users of `client` alone, without their password hashes.
    async fn client_users(&self, client: &ClientId) -> CoreResult<Vec<User>>;
    /// The client an API key belongs to, if the key is valid and not revoked.
    /// Keys recognised less than a second ago are not read again (see the store's `auth::keys`).
    async fn client_by_api_key(&self, key: &str) -> CoreResult<Option<ClientId>>;
    /// An ERP app by ClientKey (revoked apps included, so callers can say "revoked"); apps read
    /// less than a second ago are not read again (see the store's `auth::keys`).
    async fn erp_app_by_key(&self, client_key: &str) -> CoreResult<Option<ErpApp>>;
    /// Exchanges a code for tokens; the code is spent even when two requests race for it.
    async fn exchange_authorization_code(
        &self,
        client_key: &str,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>>;
    /// Issues a single-use authorization code for `client` (whose `user` logged in) to `app`.
    async fn issue_authorization_code(
        &self,
        app: &ErpApp,
        client: &ClientId,
        user: &UserId,
        redirect_uri: &str,
    ) -> CoreResult<String>;
    /// Counts an attempt against each `(subject, limits)` and says whether the password may be
    /// checked. The attempt is recorded as a failure now; [`Self::login_succeeded`] takes it
    /// back. Subjects are locked in the order given (always user, then address), so concurrent
    /// attempts on PostgreSQL cannot deadlock.
    async fn login_attempt(&self, subjects: &[(String, Limits)]) -> CoreResult<LoginVerdicts>;
    /// The login form's signing key: 32 random bytes made by whichever process asks first and
    /// kept in the database, so every process serving it signs and checks alike.
    async fn login_form_secret(&self) -> CoreResult<[u8; 32]>;
    /// A login succeeded: the user starts afresh, and the address gets back the failure its
    /// attempt was provisionally counted as (not more: an attacker with one account of their own
    /// must not be able to wipe the address's record by logging in between guesses).
    async fn login_succeeded(&self, user: &str, address: Option<&str>) -> CoreResult<()>;
    /// Mints a new access token from a refresh token (which stays valid until its year is up).
    async fn refresh_access_token(
        &self,
        client_key: &str,
        refresh_token: &str,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>>;
    /// Checks a username and password; `None` for either being wrong (callers must not tell
    /// which). An unknown user costs one argon2 verification too (against a dummy hash), so the
    /// time taken does not tell either.
    async fn verify_user(&self, username: &str, password: &str) -> CoreResult<Option<User>>;
}
