//! The OC ERP apps a seller authorised, on the Integrations page: an owner withdraws one app's
//! access, after which the tokens it holds for this seller are refused on the OC door at once.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::ids::ErpAppId;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    state::ConsoleState,
    viewer::Viewer,
};

#[derive(Deserialize)]
pub(crate) struct Revoke {
    csrf: String,
}

pub(crate) async fn revoke(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Revoke>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    if id.len() > 64 {
        return Err(Failure::not_found(v.tr));
    }
    st.app.revoke_seller_app(&v.actor, &ErpAppId(id)).await.or_page(v.tr)?;
    Ok(Redirect::to("/console/integrations?done=app-revoked#apps").into_response())
}
