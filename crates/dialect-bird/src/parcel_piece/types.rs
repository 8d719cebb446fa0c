//! Bird's consignment parcel-piece row (spec §1.7).

use serde::Serialize;

use crate::listing::{Column, Columns};

/// The types of [`ParcelPieceRow`]'s columns, which list filters read their values as; the
/// columns not named here are text (`id` included: see [`super::transformers::pieces`]).
pub const PARCEL_PIECE_COLUMNS: Columns = &[
    ("serial", Column::Integer),
    ("consignment_id", Column::Integer),
    ("weight", Column::Decimal),
    ("length", Column::Decimal),
    ("width", Column::Decimal),
    ("depth", Column::Decimal),
];

/// One piece of a consignment: `GET /client/Consignment-Parcel-Piece?consignment_id=`. Weight in
/// grams, sides in millimetres, as Bird's table keeps them.
#[derive(Serialize)]
pub struct ParcelPieceRow<'a> {
    pub id: String,
    pub serial: String,
    pub consignment_id: String,
    pub reference: Option<String>,
    pub delivery_reference: Option<&'a str>,
    pub weight: String,
    pub length: String,
    pub width: String,
    pub depth: String,
    pub description: Option<String>,
    pub create_time: Option<String>,
    pub primary_keys: [&'static str; 1],
}
