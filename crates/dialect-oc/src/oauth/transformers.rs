//! Core token results as the token endpoint's bodies.

use entrepot_app::TokenPair;
use entrepot_core::oauth::OauthRefusal;

use super::types::{TokenError, TokenIssued};

impl TokenIssued {
    /// `pair` as issued; `with_refresh` for the authorization-code grant.
    pub fn new(pair: TokenPair, with_refresh: bool) -> Self {
        Self {
            access_token: pair.access_token,
            token_type: "bearer",
            expires_in: pair.expires_in_s,
            refresh_token: with_refresh.then_some(pair.refresh_token),
        }
    }
}

impl From<&OauthRefusal> for TokenError {
    fn from(r: &OauthRefusal) -> Self {
        Self { error: r.code(), error_description: r.to_string() }
    }
}
