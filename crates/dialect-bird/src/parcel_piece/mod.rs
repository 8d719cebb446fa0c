//! Consignment parcel pieces (spec §1.7), read only: the packages a CLIENT_DIRECT consignment was
//! uploaded with. Shapes in [`types`], rows in [`transformers`].

pub mod transformers;
pub mod types;

use axum::{extract::State, response::Response};

use self::types::PARCEL_PIECE_COLUMNS;
use crate::{
    consignment,
    consignment_product::types::LineFields,
    envelope::{list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// `GET /client/Consignment-Parcel-Piece?consignment_id=`: the pieces of one of the caller's
/// consignments.
pub async fn list_pieces(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: LineFields = req.fields()?;
    let cid = f.consignment_id.get("consignment_id")?.ok_or_else(|| BirdError::bad("consignment_id is required"))?;
    let order = consignment::find(&state.app, &req.client, cid).await?;
    let rows = values(transformers::pieces(&order));
    let q = ListQuery::parse(&req.params, &["id", "reference"])?.typed(PARCEL_PIECE_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}
