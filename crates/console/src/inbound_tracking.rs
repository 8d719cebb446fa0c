//! Tracking numbers of a seller's express inbound, typed one per line (or separated by commas or
//! spaces): the first moves the inbound in transit. The use case refuses an inbound that takes an
//! appointment instead; the refusal is shown as it said it.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::CoreError;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    state::ConsoleState,
    viewer::Viewer,
};

/// The longest tracking number (OC's `trackingNumber`), and numbers one post takes.
const MAX_NUMBER: usize = 50;
const MAX_NUMBERS: usize = 100;

#[derive(Deserialize)]
pub(crate) struct TrackingForm {
    csrf: String,
    #[serde(default)]
    numbers: String,
}

/// The numbers typed, each once.
fn numbers(text: &str) -> Result<Vec<String>, CoreError> {
    let mut out: Vec<String> = vec![];
    for n in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|n| !n.is_empty()) {
        if n.chars().count() > MAX_NUMBER {
            return Err(CoreError::invalid("numbers", format!("'{n}' is longer than {MAX_NUMBER} characters")));
        }
        if !out.iter().any(|o| o == n) {
            out.push(n.to_owned());
        }
    }
    if out.is_empty() {
        return Err(CoreError::invalid("numbers", "needs at least one tracking number"));
    }
    if out.len() > MAX_NUMBERS {
        return Err(CoreError::invalid("numbers", format!("at most {MAX_NUMBERS} at once")));
    }
    Ok(out)
}

/// `POST /console/inbounds/{key}/tracking`.
pub(crate) async fn add(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Form(f): Form<TrackingForm>,
) -> Result<Response, Failure> {
    let t = v.tr;
    v.check_csrf(&f.csrf)?;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let list = numbers(&f.numbers).or_page(t)?;
    let done = st.app.add_inbound_tracking(&client, &key, &list).await.or_page(t)?;
    Ok(Redirect::to(&format!("/console/inbounds/{}#tracking", done.inbound.number)).into_response())
}
