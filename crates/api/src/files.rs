//! Files the floor uploads (photos of unexpected SKUs, of returns under inspection, of
//! unidentified freight): `POST /files` stores one in the blob store and answers its key, which
//! receiving and returns then name; `GET /files/{key}` serves it back.
//!
//! A file's owner is written into its key (`<owner>.<random>.<jpg|png|pdf>`, kept in the blob
//! store under `uploads/`): `w-<warehouse>` for staff (the warehouse they uploaded it for),
//! `c-<client>` for a seller user, `op` for operators, so no table records it: staff of that warehouse see a warehouse's files, a client's users
//! the client's, operators all; a key the caller may not see is not found, like one that does
//! not exist. Keys are random (128 bits), so they cannot be guessed.

use axum::{
    body::{to_bytes, Body},
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, WarehouseId},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::{NoWarehouse, Unauthenticated};
use crate::{
    auth::Caller,
    floor::warehouse,
    problem::{ApiQuery, ApiResult, Problem},
    ApiState,
};

/// Largest file one upload takes (a phone's photo, a scanned document).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// Where uploads live in the blob store.
const ROOT: &str = "uploads";

/// The types accepted, each with its magic bytes and the extension its key ends with.
const TYPES: &[(&str, &[u8], &str)] = &[
    ("image/jpeg", b"\xFF\xD8\xFF", "jpg"),
    ("image/png", b"\x89PNG\r\n\x1a\n", "png"),
    ("application/pdf", b"%PDF-", "pdf"),
];

/// Whether a request is an upload (the idempotency layer reads its body up to [`MAX_UPLOAD`]).
pub(crate) fn is_upload(path: &str) -> bool {
    path == "/files" || path.ends_with("/api/v1/files")
}

/// A stored file's key.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FileKey {
    /// Name it as `photo_key` (receiving) or in `photos` (returns), or read it back at
    /// `GET /api/v1/files/{key}`.
    pub key: String,
    pub content_type: String,
    pub size: u64,
}

/// Whose an upload is.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The warehouse the file is for (staff attached to several warehouses must name one).
    pub warehouse: Option<String>,
}

/// Who owns a file, read from its key.
enum Owner {
    Warehouse(WarehouseId),
    Client(ClientId),
    Operators,
}

fn owner_segment(o: &Owner) -> String {
    match o {
        Owner::Warehouse(w) => format!("w-{}", w.0),
        Owner::Client(c) => format!("c-{}", c.0),
        Owner::Operators => "op".to_owned(),
    }
}

/// The owner of an upload key (`<owner>.<32 hex digits>.<ext>`), if it is one.
fn owner_of(key: &str) -> Option<Owner> {
    let mut parts = key.split('.');
    let (owner, random, ext, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    if rest.is_some() || random.len() != 32 || !random.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if !TYPES.iter().any(|t| t.2 == ext) {
        return None;
    }
    let ok = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    match owner.split_once('-') {
        Some(("w", id)) if ok(id) => Some(Owner::Warehouse(WarehouseId(id.to_owned()))),
        Some(("c", id)) if ok(id) => Some(Owner::Client(ClientId(id.to_owned()))),
        None if owner == "op" => Some(Owner::Operators),
        _ => None,
    }
}

/// Where the file of an upload key is kept in the blob store.
fn blob_key(key: &str) -> String {
    format!("{ROOT}/{key}")
}

/// Whether `actor` may see the file under `key`.
fn visible(actor: &Actor, key: &str) -> bool {
    match (owner_of(key), &actor.role) {
        (None, _) => false,
        (Some(_), Role::Operator | Role::System) => true,
        (Some(Owner::Warehouse(w)), Role::Staff { warehouses, .. }) => warehouses.contains(&w),
        (Some(Owner::Client(c)), Role::Seller { client, .. }) => *client == c,
        _ => false,
    }
}

/// Refuses a photo key (`field`) the caller did not upload or may not see, or that names no file:
/// what receiving and returns check before recording one.
pub(crate) async fn require_photo(st: &ApiState, actor: &Actor, field: &str, key: Option<&str>) -> ApiResult<()> {
    let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(()) };
    let refused =
        || Problem::invalid(field, format!("no file '{key}' of yours; upload it with POST /api/v1/files first"));
    if !visible(actor, key) {
        return Err(refused());
    }
    match st.blobs.get(&blob_key(key)).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(refused()),
        Err(e) => {
            tracing::error!(error = %e, "blob store failed");
            Err(Problem::from(entrepot_core::CoreError::Internal))
        }
    }
}

/// Where the caller's upload goes.
async fn owner_for(st: &ApiState, actor: &Actor, named: Option<&str>) -> ApiResult<Owner> {
    let named = named.map(str::trim).filter(|w| !w.is_empty());
    match (&actor.role, named) {
        (Role::Seller { client, .. }, None) => Ok(Owner::Client(client.clone())),
        (Role::Seller { .. }, Some(_)) => Err(Problem::invalid("warehouse", "a seller's files are its client's")),
        (_, Some(code)) => {
            let wh = warehouse(&st.app, code).await?;
            actor.require_warehouse(&wh.id)?;
            Ok(Owner::Warehouse(wh.id))
        }
        (Role::Staff { warehouses, .. }, None) => match warehouses.as_slice() {
            [one] => Ok(Owner::Warehouse(one.clone())),
            _ => Err(Problem::invalid("warehouse", "expected the warehouse the file is for (its code)")),
        },
        (_, None) => Ok(Owner::Operators),
    }
}

fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload-too-large",
        "Request body too large",
        format!("a file is at most {} MB", MAX_UPLOAD >> 20),
    )
}

/// Stores a file: the raw body, typed by `Content-Type` (image/jpeg, image/png or
/// application/pdf, checked against the content), at most 10 MB; answers its key.
#[utoipa::path(post, path = "/files", tag = "files",
    params(UploadQuery),
    request_body(description = "The file's bytes", content(
        (String = "image/jpeg"), (String = "image/png"), (String = "application/pdf")
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "Stored", body = FileKey),
        Unauthenticated,
        (status = 403, description = "Another warehouse", body = Problem, content_type = "application/problem+json"),
        NoWarehouse,
        (status = 413, description = "Larger than 10 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JPEG, PNG or PDF, or not what Content-Type says", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty, or the warehouse missing", body = Problem, content_type = "application/problem+json"),
    ))]
async fn upload(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<FileKey>)> {
    let owner = owner_for(&st, &caller.actor, q.warehouse.as_deref()).await?;
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let unsupported = |detail: String| {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported file type", detail)
    };
    let Some((ctype, magic, ext)) = TYPES.iter().find(|(t, _, _)| *t == declared) else {
        return Err(unsupported(format!(
            "Content-Type must be image/jpeg, image/png or application/pdf, got '{declared}'"
        )));
    };
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > MAX_UPLOAD as u64) {
        return Err(too_large());
    }
    let bytes = to_bytes(body, MAX_UPLOAD).await.map_err(|_| too_large())?;
    if bytes.is_empty() {
        return Err(Problem::invalid("body", "expected the file's bytes, got none"));
    }
    if !bytes.starts_with(magic) {
        return Err(unsupported(format!("the content is not {ctype}")));
    }
    let key = format!("{}.{:032x}.{ext}", owner_segment(&owner), rand::random::<u128>());
    st.blobs.put(&blob_key(&key), &bytes).await.map_err(|e| {
        tracing::error!(error = %e, "upload not stored");
        Problem::from(entrepot_core::CoreError::Internal)
    })?;
    Ok((StatusCode::CREATED, Json(FileKey { key, content_type: (*ctype).to_owned(), size: bytes.len() as u64 })))
}

/// A stored file, to the callers who may see it (another's is not found).
#[utoipa::path(get, path = "/files/{key}", tag = "files",
    params(("key" = String, Path, description = "The key `POST /files` answered")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The file, with its type", content(
            (String = "image/jpeg"), (String = "image/png"), (String = "application/pdf")
        )),
        Unauthenticated,
        (status = 404, description = "No such file of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn download(State(st): State<ApiState>, caller: Caller, Path(key): Path<String>) -> ApiResult<Response> {
    let not_found = || Problem::not_found(format!("no file '{key}'"));
    if !visible(&caller.actor, &key) {
        return Err(not_found());
    }
    let bytes = st
        .blobs
        .get(&blob_key(&key))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "blob store failed");
            Problem::from(entrepot_core::CoreError::Internal)
        })?
        .ok_or_else(not_found)?;
    let ctype =
        TYPES.iter().find(|(_, _, ext)| key.ends_with(&format!(".{ext}"))).map_or("application/octet-stream", |t| t.0);
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(resp)
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(upload)).routes(routes!(download))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(w: &str) -> Actor {
        Actor {
            user: None,
            name: "s".into(),
            role: Role::Staff { warehouses: vec![WarehouseId(w.into())], supervisor: false },
            device: None,
        }
    }

    #[test]
    fn keys_are_seen_by_their_owners_only() {
        let hex = "0123456789abcdef0123456789abcdef";
        let k = format!("w-wh_1.{hex}.jpg");
        assert!(visible(&staff("wh_1"), &k));
        assert!(!visible(&staff("wh_2"), &k));
        let seller = Actor {
            user: None,
            name: "c".into(),
            role: Role::Seller { client: ClientId("cli_1".into()), owner: false },
            device: None,
        };
        assert!(!visible(&seller, &k));
        assert!(visible(&seller, &format!("c-cli_1.{hex}.png")));
        assert!(!visible(&seller, &format!("c-cli_2.{hex}.png")));
        assert!(visible(&Actor::system("t"), &format!("op.{hex}.pdf")));
        for bad in ["labels/x.pdf", "w-wh_1.0123.jpg", "w-wh_1/../x.jpg", "x-1.0123456789abcdef0123456789abcdef.jpg"] {
            assert!(!visible(&Actor::system("t"), bad), "{bad}");
        }
        assert!(!visible(&Actor::system("t"), &format!("w-wh_1.{hex}.exe")));
    }
}
