//! What a client sends after creating an inbound: tracking numbers of an express shipment
//! (uploadTrackingNumber, spec §5.10) and customs clearance documents (uploadFile, §5.11).
//!
//! Choices where OC's documents are silent:
//! - shipment-file: each `trackingList` entry needs `trackingNumber` and `carrier` (≤ 50 each);
//!   `cartonNumber`, when given, must be a carton of the inbound. Only express (`EX`) inbounds
//!   take tracking numbers: a truck inbound is refused, as it waits for a receiving appointment.
//!   The first upload moves the inbound to `In transit`; uploading the same numbers again changes
//!   nothing. `data` answers `{inboundNumber, status, trackingList}`.
//! - customs-clearance-file: the inbound is named by `inboundNumber` (OC's key is not public).
//!   `fileList` holds 1 to 10 files `{file (base64), fileName, fileType}`; `fileType` is one of
//!   [`FILE_TYPES`]; the content must be a PDF, JPEG or PNG (checked by its first bytes, and it
//!   must agree with the name's extension) of at most [`MAX_FILE_BYTES`]. Every file is checked
//!   before any is stored, so a refusal stores nothing. Files are kept in the blob store and shown
//!   in the detail query's `fileList` with `verifyStatus` `Received` (nobody reviews them in
//!   Entrepot yet). `data` answers `{inboundNumber, fileList:[{fileName, fileType, file (URL)}]}`.
//!   The types uploaded are recorded with the inbound: one created with `needClearanceDoc` is
//!   received once a packing list (`PL`) and an invoice (`IN` or `CI`) are there (the queries'
//!   `missingClearanceDocList` says which are still due).
//!   The whole call is at most 16 MB ([`crate::body_limits`]): room for one file of the largest
//!   size, base64-encoded; several large files go in separate calls.

use axum::{extract::State, http::HeaderMap, response::Response};
use base64::Engine as _;
use entrepot_app::{InboundSearch, InboundView};
use entrepot_core::{ids::ClientId, inbound::ShippingMode, CoreError};
use entrepot_ops::inbound_files::{self, ClearanceFile, FileKind};
use serde_json::Value;

use super::types::{
    oc_status, CustomsFileIn, CustomsFileOut, CustomsUpload, CustomsUploaded, TrackingIn, TrackingOut, TrackingUpload,
    TrackingUploaded,
};
use crate::{
    envelope::OcError,
    files,
    inbound::{labels, transformers},
    request::OcCall,
    OcState,
};

/// The largest customs file, decoded.
pub const MAX_FILE_BYTES: usize = inbound_files::MAX_CLEARANCE_BYTES;
/// Files per call.
pub const MAX_FILES: usize = 10;
/// Clearance document types (see [`inbound_files::CLEARANCE_TYPES`]).
pub const FILE_TYPES: [&str; 8] = inbound_files::CLEARANCE_TYPES;

async fn inbound(st: &OcState, client: &ClientId, number: &str) -> Result<InboundView, OcError> {
    let f = InboundSearch { numbers: vec![number.to_owned()], limit: 1, ..Default::default() };
    st.app
        .search_inbounds(client, &f)
        .await?
        .0
        .pop()
        .ok_or_else(|| CoreError::not_found("inboundNumber", number).into())
}

pub async fn shipment_file(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_tracking(&st, &call.client, &call.data).await)
}

async fn run_tracking(st: &OcState, client: &ClientId, data: &Value) -> Result<TrackingUploaded, OcError> {
    let d: TrackingUpload = crate::fields::data(data)?;
    let number = d.inbound_number.required("inboundNumber", 100)?;
    let reference = d.reference_number.required("referenceNumber", 50)?;
    let list: Vec<TrackingIn> = d.tracking_list.objects("trackingList")?;
    if list.is_empty() {
        return Err(CoreError::invalid("trackingList", "needs at least one tracking number").into());
    }
    if list.len() > labels::MAX_ORDERS * 10 {
        return Err(CoreError::invalid("trackingList", "may hold at most 1000 entries").into());
    }
    let v = inbound(st, client, &number).await?;
    if v.inbound.mode != ShippingMode::Express {
        return Err(CoreError::Conflict(format!(
            "inbound {number} is not shipped by express (EX): it takes a receiving appointment, not tracking numbers"
        ))
        .into());
    }
    let cartons: Vec<String> = transformers::cartons(&v, |_| String::new()).into_iter().map(|c| c.number).collect();
    let mut entries = vec![];
    for (k, t) in list.iter().enumerate() {
        let carton = t.carton_number.optional("cartonNumber", 50)?;
        if let Some(c) = &carton {
            if !cartons.contains(c) {
                let m = format!("'{c}' is not a carton of inbound {number}");
                return Err(CoreError::invalid(format!("trackingList[{k}].cartonNumber"), m).into());
            }
        }
        let tracking_number = t.tracking_number.required(&format!("trackingList[{k}].trackingNumber"), 50)?;
        let carrier = t.carrier.required(&format!("trackingList[{k}].carrier"), 50)?;
        let entry =
            TrackingOut { carton_number: carton, carrier, tracking_number, reference_number: reference.clone() };
        entries.push(serde_json::to_value(entry).map_err(|_| OcError::internal())?);
    }
    let numbers: Vec<String> = entries.iter().filter_map(|e| e["trackingNumber"].as_str().map(str::to_owned)).collect();
    let moved = st.app.add_inbound_tracking(client, &v.inbound.number, &numbers).await?;
    let details = st
        .app
        .update_inbound_details(client, &v.inbound.number, |d| {
            let mut list = d["trackingList"].as_array().cloned().unwrap_or_default();
            for e in &entries {
                let same =
                    |x: &Value| x["trackingNumber"] == e["trackingNumber"] && x["cartonNumber"] == e["cartonNumber"];
                if !list.iter().any(same) {
                    list.push(e.clone());
                }
            }
            d["trackingList"] = Value::Array(list);
            Ok(())
        })
        .await?;
    Ok(TrackingUploaded {
        inbound_number: v.inbound.number,
        status: oc_status(moved.inbound.status),
        tracking_list: details["trackingList"].clone(),
    })
}

fn read_file(f: &CustomsFileIn, k: usize) -> Result<ClearanceFile, CoreError> {
    let field = |n: &str| format!("fileList[{k}].{n}");
    let file_name = f.file_name.text().ok_or_else(|| CoreError::invalid(field("fileName"), "is required"))?;
    if file_name.chars().count() > 100 {
        return Err(CoreError::invalid(field("fileName"), "is longer than 100 characters"));
    }
    let file_type = f.file_type.text().ok_or_else(|| CoreError::invalid(field("fileType"), "is required"))?;
    let file_type = file_type.to_ascii_uppercase();
    if !FILE_TYPES.contains(&file_type.as_str()) {
        return Err(CoreError::invalid(
            field("fileType"),
            format!("'{file_type}' is not one of {}", FILE_TYPES.join(", ")),
        ));
    }
    let text = f.file.text().ok_or_else(|| CoreError::invalid(field("file"), "is required (base64)"))?;
    let b64 = match text.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => text.as_str(),
    };
    if b64.len() > MAX_FILE_BYTES / 3 * 4 + 1024 {
        return Err(CoreError::invalid(field("file"), format!("is larger than {} MB", MAX_FILE_BYTES >> 20)));
    }
    let clean: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|_| CoreError::invalid(field("file"), "is not valid base64"))?;
    if bytes.is_empty() {
        return Err(CoreError::invalid(field("file"), "is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CoreError::invalid(field("file"), format!("is larger than {} MB", MAX_FILE_BYTES >> 20)));
    }
    let kind =
        FileKind::sniff(&bytes).ok_or_else(|| CoreError::invalid(field("file"), "is not a PDF, JPEG or PNG file"))?;
    match FileKind::by_name(&file_name) {
        None => {
            return Err(CoreError::invalid(
                field("fileName"),
                format!("'{file_name}' must end in .pdf, .jpg, .jpeg or .png"),
            ))
        }
        Some(named) if named != kind => {
            return Err(CoreError::invalid(
                field("fileName"),
                format!("'{file_name}' names a {} file but the content is a {} file", named.name(), kind.name()),
            ))
        }
        Some(_) => {}
    }
    Ok(ClearanceFile { file_name, file_type, bytes })
}

pub async fn customs_file(State(st): State<OcState>, headers: HeaderMap, call: OcCall) -> Response {
    call.respond(run_customs(&st, &headers, &call.client, &call.data).await)
}

async fn run_customs(
    st: &OcState,
    headers: &HeaderMap,
    client: &ClientId,
    data: &Value,
) -> Result<CustomsUploaded, OcError> {
    let d: CustomsUpload = crate::fields::data(data)?;
    let number = d.inbound_number.required("inboundNumber", 100)?;
    let list: Vec<CustomsFileIn> = d.file_list.objects("fileList")?;
    if list.is_empty() {
        return Err(CoreError::invalid("fileList", "needs at least one file").into());
    }
    if list.len() > MAX_FILES {
        return Err(CoreError::invalid("fileList", format!("may hold at most {MAX_FILES} files per request")).into());
    }
    let uploads = list.iter().enumerate().map(|(k, f)| read_file(f, k)).collect::<Result<Vec<_>, _>>()?;
    let v = inbound(st, client, &number).await?;
    let stored =
        inbound_files::add_clearance_files(&st.app, st.blobs.as_ref(), client, &v, uploads, crate::time::now_ms())
            .await?;
    let token = labels::token(st, client, &v).await?;
    let file_list = stored
        .into_iter()
        .map(|f| CustomsFileOut {
            file: files::url(headers, &token, &f.name),
            file_name: f.file_name,
            file_type: f.file_type,
        })
        .collect();
    Ok(CustomsUploaded { inbound_number: v.inbound.number, file_list })
}
