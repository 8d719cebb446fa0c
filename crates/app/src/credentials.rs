//! Who is calling: API keys, OC apps and tokens, users and logins. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use entrepot_core::{
    company::Client,
    ids::*,
    login_throttle::Limits,
    oauth::{AccessRecord, OauthRefusal},
    CoreResult,
};

use crate::types::auth::*;

use crate::App;

impl App {
    /// The record of an access token, if it was ever issued; the caller checks it with
    /// [`oauth::check_access`].
    /// Tokens read less than a second ago are not read again (see the store's `auth::keys`); their expiry is
    /// still checked at each call.
    pub async fn access_token(&self, token: &str) -> CoreResult<Option<AccessRecord>> {
        self.storage.access_token(token).await
    }

    pub async fn client(&self, id: &ClientId) -> CoreResult<Client> {
        self.storage.client(id).await
    }

    /// The console users of `client` alone (a tenant reads its own users), without password hashes.
    pub async fn client_users(&self, client: &ClientId) -> CoreResult<Vec<User>> {
        self.storage.client_users(client).await
    }

    /// The client an API key belongs to, if the key is valid and not revoked.
    /// Keys recognised less than a second ago are not read again (see the store's `auth::keys`).
    pub async fn client_by_api_key(&self, key: &str) -> CoreResult<Option<ClientId>> {
        self.storage.client_by_api_key(key).await
    }

    /// An ERP app by ClientKey (revoked apps included, so callers can say "revoked"); apps read
    /// less than a second ago are not read again (see the store's `auth::keys`).
    pub async fn erp_app_by_key(&self, client_key: &str) -> CoreResult<Option<ErpApp>> {
        self.storage.erp_app_by_key(client_key).await
    }

    /// Exchanges a code for tokens; the code is spent even when two requests race for it.
    pub async fn exchange_authorization_code(
        &self,
        client_key: &str,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>> {
        self.storage.exchange_authorization_code(client_key, code, redirect_uri).await
    }

    /// Issues a single-use authorization code for `client` (whose `user` logged in) to `app`.
    pub async fn issue_authorization_code(
        &self,
        app: &ErpApp,
        client: &ClientId,
        user: &UserId,
        redirect_uri: &str,
    ) -> CoreResult<String> {
        self.storage.issue_authorization_code(app, client, user, redirect_uri).await
    }

    /// Counts an attempt against each `(subject, limits)` and says whether the password may be
    /// checked. The attempt is recorded as a failure now; [`Self::login_succeeded`] takes it
    /// back. Subjects are locked in the order given (always user, then address), so concurrent
    /// attempts on PostgreSQL cannot deadlock.
    pub async fn login_attempt(&self, subjects: &[(String, Limits)]) -> CoreResult<LoginVerdicts> {
        self.storage.login_attempt(subjects).await
    }

    /// The login form's signing key: 32 random bytes made by whichever process asks first and
    /// kept in the database, so every process serving it signs and checks alike.
    pub async fn login_form_secret(&self) -> CoreResult<[u8; 32]> {
        self.storage.login_form_secret().await
    }

    /// A login succeeded: the user starts afresh, and the address gets back the failure its
    /// attempt was provisionally counted as (not more: an attacker with one account of their own
    /// must not be able to wipe the address's record by logging in between guesses).
    pub async fn login_succeeded(&self, user: &str, address: Option<&str>) -> CoreResult<()> {
        self.storage.login_succeeded(user, address).await
    }

    /// Mints a new access token from a refresh token (which stays valid until its year is up).
    pub async fn refresh_access_token(
        &self,
        client_key: &str,
        refresh_token: &str,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>> {
        self.storage.refresh_access_token(client_key, refresh_token).await
    }

    /// Checks a username and password; `None` for either being wrong (callers must not tell
    /// which). An unknown user costs one argon2 verification too (against a dummy hash), so the
    /// time taken does not tell either.
    pub async fn verify_user(&self, username: &str, password: &str) -> CoreResult<Option<User>> {
        self.storage.verify_user(username, password).await
    }
}
