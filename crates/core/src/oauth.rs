//! The rules of OC's OAuth2 authorization-code flow (spec §2): lifetimes, who may authorize which
//! ERP app, and when a code or token is refused. The store keeps the records; the OC dialect
//! renders refusals as OAuth error bodies.

use crate::ids::ClientId;

/// Access tokens live one hour (seed 2-1-1).
pub const ACCESS_TTL_MS: i64 = 3_600_000;
/// Refresh tokens live one year (seed 2-1-1).
pub const REFRESH_TTL_MS: i64 = 365 * 86_400_000;
/// Authorization codes are for immediate exchange only.
pub const CODE_TTL_MS: i64 = 5 * 60_000;

/// Why a token request is refused, as RFC 6749 §5.2 names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OauthRefusal {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("{0}")]
    InvalidClient(String),
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    UnsupportedGrantType(String),
    #[error("{0}")]
    UnauthorizedClient(String),
}

impl OauthRefusal {
    /// The `error` field of the token endpoint's error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient(_) => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnsupportedGrantType(_) => "unsupported_grant_type",
            Self::UnauthorizedClient(_) => "unauthorized_client",
        }
    }
}

/// What an ERP app is, as far as authorizing goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppGrantee<'a> {
    /// `SELLER_ERP` apps belong to one seller; `3PP_ERP` apps serve any seller who logs in.
    pub kind: &'a str,
    pub owner: &'a ClientId,
    pub revoked: bool,
}

/// Why a seller who logged in cannot authorize an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeRefusal {
    #[error("This application's access has been revoked.")]
    AppRevoked,
    #[error("This account is not a seller account and cannot authorize an ERP.")]
    NotASeller,
    #[error("This ERP application is registered to another seller.")]
    OtherSeller,
}

/// Which client a user who logged in authorizes `app` for: their own, if they may.
pub fn authorizing_client(app: &AppGrantee<'_>, user_client: Option<&ClientId>) -> Result<ClientId, AuthorizeRefusal> {
    if app.revoked {
        return Err(AuthorizeRefusal::AppRevoked);
    }
    let Some(client) = user_client else {
        return Err(AuthorizeRefusal::NotASeller);
    };
    if app.kind == "SELLER_ERP" && client != app.owner {
        return Err(AuthorizeRefusal::OtherSeller);
    }
    Ok(client.clone())
}

pub use crate::redirect_uri::{redirect_allowed, MAX_REDIRECT_URI};

/// A stored authorization code, as the exchange needs it.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub client_key: String,
    pub redirect_uri: String,
    pub expires_at_ms: i64,
    pub used: bool,
}

/// Checks a code exchange: single use, short-lived, bound to the app and redirect URI.
pub fn check_code(
    code: &CodeRecord,
    client_key: &str,
    redirect_uri: Option<&str>,
    now_ms: i64,
) -> Result<(), OauthRefusal> {
    if code.used {
        return Err(OauthRefusal::InvalidGrant("Authorization code has already been used.".into()));
    }
    if now_ms >= code.expires_at_ms {
        return Err(OauthRefusal::InvalidGrant("Authorization code has expired.".into()));
    }
    if code.client_key != client_key {
        return Err(OauthRefusal::InvalidGrant("Authorization code was issued to another client.".into()));
    }
    if let Some(uri) = redirect_uri.filter(|u| !u.is_empty()) {
        if uri != code.redirect_uri {
            return Err(OauthRefusal::InvalidGrant(format!(
                "Redirect URI mismatch: the code was issued for {}.",
                code.redirect_uri
            )));
        }
    }
    Ok(())
}

/// Why a business call's access token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    Unknown,
    Expired,
    Revoked,
    /// Issued to a different ERP app than the `clientKey` the call names.
    OtherApp,
}

impl TokenRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::Unknown => "Invalid access token.",
            Self::Expired => "Access token expired. Please use the refresh token to get a new one.",
            Self::Revoked => "Access token has been revoked.",
            Self::OtherApp => "Access token was not issued to this clientKey.",
        }
    }
}

/// A stored access token, as a business call needs it.
#[derive(Debug, Clone)]
pub struct AccessRecord {
    pub client_key: String,
    pub client_id: ClientId,
    pub expires_at_ms: i64,
    pub revoked: bool,
}

/// Checks the token of a business call that names `client_key`; yields the client it speaks for.
pub fn check_access(t: &AccessRecord, client_key: &str, now_ms: i64) -> Result<ClientId, TokenRefusal> {
    if t.revoked {
        return Err(TokenRefusal::Revoked);
    }
    if now_ms >= t.expires_at_ms {
        return Err(TokenRefusal::Expired);
    }
    if t.client_key != client_key {
        return Err(TokenRefusal::OtherApp);
    }
    Ok(t.client_id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> CodeRecord {
        CodeRecord { client_key: "k".into(), redirect_uri: "https://erp/cb".into(), expires_at_ms: 100, used: false }
    }

    #[test]
    fn codes_are_single_use_short_lived_and_bound() {
        assert!(check_code(&code(), "k", Some("https://erp/cb"), 99).is_ok());
        assert!(check_code(&code(), "k", None, 99).is_ok());
        assert!(
            matches!(check_code(&code(), "k", None, 100), Err(OauthRefusal::InvalidGrant(m)) if m.contains("expired"))
        );
        assert!(
            matches!(check_code(&code(), "other", None, 1), Err(OauthRefusal::InvalidGrant(m)) if m.contains("another client"))
        );
        assert!(
            matches!(check_code(&code(), "k", Some("https://evil/cb"), 1), Err(OauthRefusal::InvalidGrant(m)) if m.contains("mismatch"))
        );
        let used = CodeRecord { used: true, ..code() };
        assert!(matches!(check_code(&used, "k", None, 1), Err(OauthRefusal::InvalidGrant(m)) if m.contains("already")));
    }

    #[test]
    fn redirects_stay_on_the_registered_site() {
        let reg = "https://erp.example.com/oc/callback";
        assert!(redirect_allowed(reg, reg));
        assert!(redirect_allowed(reg, "https://erp.example.com/oc/callback?act=getAuthorizationCode"));
        assert!(redirect_allowed(reg, "https://erp.example.com/oc/callback/user/7"));
        assert!(redirect_allowed("https://erp.example.com/", "https://erp.example.com/any"));
        assert!(!redirect_allowed(reg, "https://erp.example.com/oc/callbackevil"));
        assert!(!redirect_allowed(reg, "https://erp.example.com.evil.io/oc/callback"));
        assert!(!redirect_allowed(reg, "https://evil.io/?https://erp.example.com/oc/callback"));
    }

    #[test]
    fn seller_apps_only_authorize_their_own_seller() {
        let owner = ClientId("cli_a".into());
        let other = ClientId("cli_b".into());
        let seller = AppGrantee { kind: "SELLER_ERP", owner: &owner, revoked: false };
        assert_eq!(authorizing_client(&seller, Some(&owner)), Ok(owner.clone()));
        assert!(authorizing_client(&seller, Some(&other)).is_err());
        assert!(authorizing_client(&seller, None).is_err());
        let tpp = AppGrantee { kind: "3PP_ERP", owner: &owner, revoked: false };
        assert_eq!(authorizing_client(&tpp, Some(&other)), Ok(other.clone()));
        let revoked = AppGrantee { revoked: true, ..tpp };
        assert!(authorizing_client(&revoked, Some(&other)).is_err());
    }

    #[test]
    fn access_tokens_expire_are_revocable_and_bound_to_their_app() {
        let t =
            AccessRecord { client_key: "k".into(), client_id: ClientId("c".into()), expires_at_ms: 10, revoked: false };
        assert_eq!(check_access(&t, "k", 9), Ok(ClientId("c".into())));
        assert_eq!(check_access(&t, "k", 10), Err(TokenRefusal::Expired));
        assert_eq!(check_access(&t, "x", 9), Err(TokenRefusal::OtherApp));
        let r = AccessRecord { revoked: true, ..t };
        assert_eq!(check_access(&r, "k", 9), Err(TokenRefusal::Revoked));
    }
}
