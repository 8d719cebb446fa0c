//! `Idempotency-Key` on every command, as one layer over the whole API so each command added
//! later has it without a line of its own. A handheld that lost Wi-Fi replays its queue: the
//! same key with the same request answers what the first answered (with `Idempotent-Replayed:
//! true`) without running the command again; the same key with another body (or method, or
//! path) is a 422 problem; the same key while the first is still running is a 409 problem. Keys
//! belong to the authenticated user and are forgotten after 24 hours.
//!
//! The caller is authenticated here, before the body is read (and handed on to the [`Caller`]
//! extractor); the body is read up to [`MAX_BODY`]. An answer of 5xx is not kept: the claim is
//! let go, and the next try runs the command anew.

use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use entrepot_app::IdempotencyClaim;
use sha2::{Digest, Sha256};

use crate::{
    auth::{authenticate, unsafe_method, Caller},
    problem::Problem,
    ApiState,
};

pub const HEADER: &str = "idempotency-key";
/// Longest key accepted (UUIDs are 36).
pub const MAX_KEY: usize = 255;
/// Largest request body of any command but an upload (`files::MAX_UPLOAD`, `imports::MAX_IMPORT`).
pub const MAX_BODY: usize = 64 * 1024;
/// Largest answer kept for replays.
const MAX_ANSWER: usize = 1024 * 1024;
/// Largest answer of an order import kept for replays.
const MAX_IMPORT_ANSWER: usize = 16 * 1024 * 1024;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the layer needs of a door's state: the use cases (the console's scan commands sit
/// behind this same layer).
pub trait HasApp: Clone + Send + Sync + 'static {
    fn app(&self) -> &entrepot_app::App;
}

impl HasApp for ApiState {
    fn app(&self) -> &entrepot_app::App {
        &self.app
    }
}

pub async fn layer<S: HasApp>(State(st): State<S>, req: Request, next: Next) -> Response {
    if !unsafe_method(req.method()) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else { return next.run(req).await };
    // A command whose answer is a workbook and that changes nothing: no record to keep.
    if crate::imports::records_nothing(req.uri().path()) {
        return next.run(req).await;
    }
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= MAX_KEY && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_owned(),
        _ => {
            return Problem::invalid("Idempotency-Key", format!("must be 1 to {MAX_KEY} visible ASCII characters"))
                .into_response()
        }
    };
    let caller = match authenticate(st.app(), req.method(), req.headers()).await {
        Ok(c) => c,
        // An unauthenticated command (logging in) has no user to keep a key for.
        Err(_) => return next.run(req).await,
    };
    let Some(user) = caller.actor.user.clone() else { return next.run(req).await };
    let (mut parts, body) = req.into_parts();
    // An upload's body is the file; every other command's is JSON.
    let path = parts.uri.path();
    let max = if crate::files::is_upload(path) {
        crate::files::MAX_UPLOAD
    } else if crate::imports::is_upload(path) {
        crate::imports::MAX_IMPORT
    } else {
        MAX_BODY
    };
    // An import's report lists every order of a file of up to 10,000 rows.
    let max_answer = if crate::imports::is_upload(path) { MAX_IMPORT_ANSWER } else { MAX_ANSWER };
    let Ok(bytes) = to_bytes(body, max).await else {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Request body too large",
            format!("at most {max} bytes"),
        )
        .into_response();
    };
    let request = format!("{} {}", parts.method, parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
    let body_hash = hex(&Sha256::digest(&bytes));
    let claim = match st.app().idempotency_claim(&user, &key, &request, &body_hash).await {
        Ok(c) => c,
        Err(e) => return Problem::from(e).into_response(),
    };
    match claim {
        IdempotencyClaim::Replay { status, content_type, body } => {
            let mut resp = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
            if let Ok(ct) = HeaderValue::from_str(&content_type) {
                resp.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            resp
        }
        IdempotencyClaim::Mismatch => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-mismatch",
            "Idempotency-Key reused for another request",
            "this key was used with another method, path or body; use a new key for a new command".to_owned(),
        )
        .into_response(),
        IdempotencyClaim::InFlight => Problem::new(
            StatusCode::CONFLICT,
            "idempotency-in-flight",
            "A request with this Idempotency-Key is still running",
            "retry after it has answered".to_owned(),
        )
        .into_response(),
        IdempotencyClaim::Claimed => {
            parts.extensions.insert::<Caller>(caller);
            let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            let (rparts, rbody) = resp.into_parts();
            let answer = match to_bytes(rbody, max_answer).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!(error = %e, "answer not read for the idempotency record");
                    let _ = st.app().idempotency_release(&user, &key).await;
                    return Problem::from(entrepot_core::CoreError::Internal).into_response();
                }
            };
            let kept = if rparts.status.is_server_error() {
                st.app().idempotency_release(&user, &key).await
            } else {
                let ct = rparts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
                st.app()
                    .idempotency_finish(&user, &key, rparts.status.as_u16(), ct, &String::from_utf8_lossy(&answer))
                    .await
            };
            if let Err(e) = kept {
                tracing::error!(error = %e, "idempotency record not kept");
            }
            Response::from_parts(rparts, Body::from(answer))
        }
    }
}
