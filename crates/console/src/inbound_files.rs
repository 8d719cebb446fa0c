//! An inbound's SKU labels and carton marks as PDF downloads for its seller, rendered as every
//! door renders them ([`entrepot_ops::inbound_files`]).

use axum::{
    extract::{Path, State},
    response::Response,
};
use entrepot_app::InboundView;
use entrepot_core::ids::ClientId;
use entrepot_ops::inbound_files::{documents, Documents};

use crate::{
    download::{attachment, PDF},
    failure::{Failure, OrPage},
    state::ConsoleState,
    viewer::Viewer,
};

/// The seller's own inbound `key` (another's is not found).
pub(crate) async fn own(st: &ConsoleState, v: &Viewer, key: &str) -> Result<(ClientId, InboundView), Failure> {
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(v.tr))?;
    let inbound = st.app.find_inbound(&client, key).await.or_page(v.tr)?;
    Ok((client, inbound))
}

async fn render(st: &ConsoleState, v: &Viewer, key: &str) -> Result<(String, Documents), Failure> {
    let (client, inbound) = own(st, v, key).await?;
    let docs = documents(&st.app, &client, &inbound).await.or_page(v.tr)?;
    Ok((inbound.inbound.number, docs))
}

/// `GET /console/inbounds/{key}/sku-labels.pdf`.
pub(crate) async fn sku_labels(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let (number, docs) = render(&st, &v, &key).await?;
    Ok(attachment(docs.sku_labels, PDF, &format!("{number}-sku-labels.pdf")))
}

/// `GET /console/inbounds/{key}/carton-marks.pdf`.
pub(crate) async fn carton_marks(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let (number, docs) = render(&st, &v, &key).await?;
    Ok(attachment(docs.carton_marks, PDF, &format!("{number}-carton-marks.pdf")))
}
