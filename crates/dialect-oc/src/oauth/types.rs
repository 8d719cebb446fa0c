//! The token endpoint's JSON bodies (RFC 6749 §5.1, §5.2). Its requests are query or form pairs,
//! read by the token handler, not JSON.

use serde::Serialize;

/// `POST|GET /oauth/token`: an issued token (§5.1). `refresh_token` is sent only with the
/// authorization-code grant; a refresh keeps the refresh token the client has.
#[derive(Debug, Serialize)]
pub struct TokenIssued {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `/oauth/token`: a refusal (§5.2); `error` is the RFC's code.
#[derive(Debug, Serialize)]
pub struct TokenError {
    pub error: &'static str,
    pub error_description: String,
}
