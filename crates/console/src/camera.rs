//! The camera fallback's reader. Handheld browsers without `BarcodeDetector` (Firefox, and
//! Chromium off Android, ChromeOS and macOS) send one grey frame at a time here; the code read
//! goes into the scan field as a wedge scanner would type it. Decoding is ours (rxing, as for the
//! labels), so no JavaScript decoder has to be vendored.

use axum::{
    body::Bytes,
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use entrepot_labels::camera::{read_frame, MAX_FRAME_PIXELS};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Semaphore;

use crate::{failure::Failure, floor::staff_only, viewer::Viewer};

/// The body limit of the reader's route: one frame of the largest size.
pub const MAX_FRAME_BYTES: usize = MAX_FRAME_PIXELS as usize;

/// Frames decoded at once across the server: a decode is a few milliseconds of one core, and a
/// frame that finds both busy is answered "nothing read" at once (the page sends its next one).
static READERS: Semaphore = Semaphore::const_new(2);

#[derive(Deserialize)]
pub(crate) struct Shape {
    w: u32,
    h: u32,
}

/// `POST /console/scan/read?w=&h=` with `w × h` grey bytes: `{"code": "…"}` or `{"code": null}`.
pub(crate) async fn read(v: Viewer, Query(shape): Query<Shape>, frame: Bytes) -> Result<Response, Failure> {
    staff_only(&v)?;
    let Ok(_permit) = READERS.try_acquire() else { return Ok(Json(json!({ "code": null })).into_response()) };
    let luma = frame.to_vec();
    match tokio::task::spawn_blocking(move || read_frame(shape.w, shape.h, luma)).await {
        Ok(Ok(code)) => Ok(Json(json!({ "code": code })).into_response()),
        Ok(Err(e)) => Ok((StatusCode::BAD_REQUEST, Json(json!({ "error": format!("{e:?}") }))).into_response()),
        Err(_) => Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}
