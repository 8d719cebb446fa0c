//! (in progress)

use axum::Router;

use crate::OcState;

pub fn routes() -> Router<OcState> {
    Router::new()
}
