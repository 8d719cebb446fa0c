//! Customs clearance documents of a seller's inbound: a file uploaded with its type (a PDF,
//! JPEG or PNG, checked by its first bytes) is kept with the inbound as OC keeps it, so an
//! inbound created with "clearance documents needed" can be received once those due are there;
//! the files kept are listed on the inbound's page and download from there.

use axum::{
    extract::{Multipart, Path, State},
    response::{IntoResponse, Redirect, Response},
};
use entrepot_core::CoreError;
use entrepot_ops::inbound_files::{
    add_clearance_files, blob_key, ClearanceFile, FileKind, CLEARANCE_TYPES, MAX_CLEARANCE_BYTES,
};

use crate::{
    download::attachment,
    failure::{Failure, OrPage},
    i18n::Tr,
    inbound_files::own,
    state::ConsoleState,
    uploads::{read, Unread},
    viewer::Viewer,
};

/// Largest file accepted.
pub const MAX_UPLOAD: usize = MAX_CLEARANCE_BYTES;

/// A kept file as the inbound's page lists it.
pub(crate) struct KeptFile {
    pub name: String,
    pub file_name: String,
    pub kind: String,
}

/// The files kept with an inbound (its details' `fileList`).
pub(crate) fn kept(t: Tr, details: &serde_json::Value) -> Vec<KeptFile> {
    details["fileList"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| KeptFile {
            name: f["name"].as_str().unwrap_or_default().to_owned(),
            file_name: f["fileName"].as_str().unwrap_or_default().to_owned(),
            kind: t.state("clearance-type", f["fileType"].as_str().unwrap_or("OTHERS")),
        })
        .collect()
}

/// The document types to choose from: (code, name).
pub(crate) fn types(t: Tr) -> Vec<(&'static str, String)> {
    CLEARANCE_TYPES.iter().map(|c| (*c, t.state("clearance-type", c))).collect()
}

fn bad_file(t: Tr) -> Failure {
    Failure::core(t, CoreError::invalid("file", t.t("clearance-bad-file")))
}

/// `POST /console/inbounds/{key}/clearance` (multipart: `csrf`, `file_type`, `file`).
pub(crate) async fn upload(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    form: Multipart,
) -> Result<Response, Failure> {
    let t = v.tr;
    // A form cut short or a file over the limit: either way, not a file kept.
    let p = read(form).await.map_err(|_: Unread| bad_file(t))?;
    v.check_csrf(p.field("csrf"))?;
    if p.bytes.is_empty() {
        return Err(Failure::core(t, CoreError::invalid("file", t.t("clearance-no-file"))));
    }
    let file_type = p.field("file_type").trim().to_ascii_uppercase();
    if !CLEARANCE_TYPES.contains(&file_type.as_str()) {
        return Err(Failure::core(t, CoreError::invalid("file_type", CLEARANCE_TYPES.join(", "))));
    }
    let kind = FileKind::sniff(&p.bytes);
    if kind.is_none() || kind != FileKind::by_name(&p.file_name) || p.bytes.len() > MAX_CLEARANCE_BYTES {
        return Err(bad_file(t));
    }
    let (client, inbound) = own(&st, &v, &key).await?;
    let file = ClearanceFile { file_name: p.file_name, file_type, bytes: p.bytes };
    add_clearance_files(&st.app, st.blobs.as_ref(), &client, &inbound, vec![file], crate::format::now_ms())
        .await
        .or_page(t)?;
    Ok(Redirect::to(&format!("/console/inbounds/{}#clearance", inbound.inbound.number)).into_response())
}

/// `GET /console/inbounds/{key}/clearance/{name}`: a file kept with the seller's inbound.
pub(crate) async fn download(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((key, name)): Path<(String, String)>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (_, inbound) = own(&st, &v, &key).await?;
    let file = kept(t, &inbound.details).into_iter().find(|f| f.name == name).ok_or_else(|| Failure::not_found(t))?;
    let token = inbound.details["fileToken"].as_str().ok_or_else(|| Failure::not_found(t))?;
    let bytes = st.blobs.get(&blob_key(token, &file.name)).await.map_err(|e| {
        tracing::error!(error = %e, "reading a customs file failed");
        Failure::core(t, CoreError::Internal)
    })?;
    let bytes = bytes.ok_or_else(|| Failure::not_found(t))?;
    let content_type = match FileKind::sniff(&bytes) {
        Some(FileKind::Pdf) => "application/pdf",
        Some(FileKind::Jpeg) => "image/jpeg",
        Some(FileKind::Png) => "image/png",
        None => "application/octet-stream",
    };
    Ok(attachment(bytes, content_type, &file.file_name))
}
