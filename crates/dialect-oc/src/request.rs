//! Reading an OC business call (spec §3, §4.1): the app and the access token are checked from the
//! headers before the body is read, the signature is verified over the raw bytes before anything
//! is parsed, then the body is read as liberally as OC's Java stack does (comments,
//! case-insensitive keys, numbers as strings).

use axum::{
    extract::{FromRequest, MatchedPath, OriginalUri, Request},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use entrepot_app::ErpApp;
use entrepot_core::{
    ids::ClientId,
    oauth::{check_access, TokenRefusal},
};
use entrepot_ops::{describe_limit, retry_after_secs, BodyError, CappedBody};
use entrepot_wire::{as_string_lenient, parse_lenient, typed};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    body_limits::BODY_LIMITS,
    envelope::{answer, reply, too_many_requests, ErrorItem, OcError},
    signature, OcState,
};

/// An authenticated, signature-checked OC call.
#[derive(Debug)]
pub struct OcCall {
    /// The client the access token speaks for.
    pub client: ClientId,
    pub app: ErpApp,
    /// The caller's `messageId`, echoed in the reply (or one of ours when it sent none).
    pub message_id: String,
    /// The envelope's `data` member; `Null` when absent.
    pub data: Value,
}

impl OcCall {
    /// The reply to this call: `data` on success, OC's error shape otherwise.
    pub fn respond<T: Serialize>(&self, r: Result<T, OcError>) -> Response {
        match r {
            Ok(data) => answer(&self.message_id, Some(data), None),
            Err(e) => reply(&self.message_id, None, Some(e)),
        }
    }

    /// The reply to a call refused whole: no `data`.
    pub fn refuse(&self, e: OcError) -> Response {
        reply(&self.message_id, None, Some(e))
    }

    /// The reply to a batch that was done in part: `data` holds what was done, `errors` what was
    /// not; `code` is non-zero as soon as one item failed.
    pub fn respond_partial<T: Serialize>(&self, data: T, errors: Vec<ErrorItem>, code: i32) -> Response {
        if errors.is_empty() {
            return answer(&self.message_id, Some(data), None);
        }
        answer(&self.message_id, Some(data), Some(OcError { code, items: errors }))
    }
}

/// The body of every business call (spec §4.1): `data` is the call's own body, read by its
/// resource.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RequestEnvelope {
    /// Echoed in the reply, as sent.
    message_id: crate::fields::Field,
    data: crate::fields::Field,
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// `Bearer <token>` with the scheme in any case; a bare token is accepted too.
fn bearer(value: &str) -> &str {
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => value,
    }
}

impl FromRequest<OcState> for OcCall {
    type Rejection = Response;

    /// Everything the headers can prove is checked before the body is read (the app of
    /// `clientKey`, the access token, the client's request budget), so an unknown caller never
    /// makes the server buffer a body; then the body is read up to the route's limit
    /// ([`BODY_LIMITS`]) and the signature verified over its raw bytes.
    async fn from_request(req: Request, state: &OcState) -> Result<Self, Response> {
        let path = match req.extensions().get::<OriginalUri>() {
            Some(o) => o.0.path().to_owned(),
            None => req.uri().path().to_owned(),
        };
        let limit = BODY_LIMITS.for_route(req.extensions().get::<MatchedPath>().map(MatchedPath::as_str));
        let (parts, body) = req.into_parts();
        let headers = &parts.headers;

        let Some(client_key) = header(headers, "clientKey") else {
            return Err(reject(OcError::client_key("clientKey header is required.")));
        };
        let app = match state.app.erp_app_by_key(client_key).await {
            Ok(Some(app)) => app,
            Ok(None) => return Err(reject(OcError::client_key(format!("Unknown clientKey [{client_key}].")))),
            Err(e) => return Err(reject(e.into())),
        };
        if app.revoked {
            return Err(reject(OcError::token(TokenRefusal::Revoked)));
        }
        let Some(given) = header(headers, "vAuthorization") else {
            return Err(reject(OcError::signature("vAuthorization header is required.")));
        };
        let Some(token) = header(headers, "Access-Token").map(bearer) else {
            return Err(reject(OcError::missing_token()));
        };
        let client = match state.app.access_token(token).await {
            Ok(Some(record)) => {
                check_access(&record, &app.client_key, crate::time::now_ms()).map_err(|r| reject(OcError::token(r)))?
            }
            Ok(None) => return Err(reject(OcError::token(TokenRefusal::Unknown))),
            Err(e) => return Err(reject(e.into())),
        };
        tracing::Span::current().record("client_id", client.0.as_str());
        if let Err(wait) = state.budget.take(&client, "oc") {
            return Err(too_many_requests(retry_after_secs(wait)));
        }
        let body = match CappedBody::new(body, headers).read_all(limit).await {
            Ok(b) => b,
            Err(BodyError::TooLarge { limit }) => return Err(reject(OcError::too_large(&describe_limit(limit)))),
            Err(BodyError::Read(e)) => {
                return Err(reject(OcError::invalid(format!("Request body could not be read: {e}"))))
            }
        };
        let parsed = if body.iter().all(u8::is_ascii_whitespace) { Ok(Value::Null) } else { parse_lenient(&body) };
        let envelope: Option<RequestEnvelope> = match &parsed {
            Ok(v @ Value::Object(_)) => typed::from_value(v).ok(),
            _ => None,
        };
        let message_id = envelope
            .as_ref()
            .and_then(|e| e.message_id.get())
            .and_then(as_string_lenient)
            .unwrap_or_else(|| crate::time::now_ms().to_string());
        let fail = |e: OcError| reply(&message_id, None, Some(e));
        let sandbox = app.environment == "SANDBOX";
        if let Err(m) = signature::verify(&path, &body, &app.client_key, &app.secret_key, given, sandbox) {
            return Err(fail(OcError::signature(m)));
        }
        // A sandbox app acts on the client's sandbox twin, never on live rows.
        let client = if app.environment == "SANDBOX" {
            match state.app.sandbox_twin(&client).await {
                Ok(twin) => twin,
                Err(e) => return Err(fail(e.into())),
            }
        } else {
            client
        };
        if let Some(slot) = parts.extensions.get::<crate::sandbox::Slot>() {
            slot.note(&app, &path);
        }
        let data = match parsed {
            Ok(Value::Object(_)) => envelope.and_then(|e| e.data.0).unwrap_or(Value::Null),
            Ok(Value::Null) => Value::Null,
            Ok(_) => return Err(fail(OcError::invalid("Request body must be a JSON object {\"data\": ...}."))),
            Err(e) => return Err(fail(OcError::invalid(format!("Request body is not valid JSON: {e}.")))),
        };
        Ok(OcCall { client, app, message_id, data })
    }
}

fn reject(e: OcError) -> Response {
    reply(&crate::time::now_ms().to_string(), None, Some(e)).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(super::bearer("Bearer abc"), "abc");
        assert_eq!(super::bearer("bearer abc"), "abc");
        assert_eq!(super::bearer("BEARER  abc "), "abc");
        assert_eq!(super::bearer("abc"), "abc");
    }
}
