//! The caller's own client and its console users (`/client/Client`, `/client/Client-User`, the
//! wiki's "hello world"). A tenant reads only itself: the rows come from the API key's client,
//! never from a parameter, so no id sent can reach another client's rows.

pub mod transformers;
pub mod types;

use axum::{extract::State, response::Response};

use self::types::{ClientRow, ClientUserRow, CLIENT_COLUMNS, CLIENT_USER_COLUMNS};
use crate::{
    envelope::{list, values, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// `GET /client/Client`: the caller's client, one row in the list envelope.
pub async fn own_client(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let client = state.app.client(&req.client).await?;
    let company = req.site.as_ref().and_then(|w| w.bird_company_id);
    let rows = values([ClientRow::new(&client, company)]);
    let q = ListQuery::parse(&req.params, &["id", "name"])?.typed(CLIENT_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}

/// `GET /client/Client-User`: the caller's client's console users.
pub async fn own_users(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let client = state.app.client(&req.client).await?;
    let users = state.app.client_users(&req.client).await?;
    let company = req.site.as_ref().and_then(|w| w.bird_company_id);
    let rows = values(users.iter().map(|u| ClientUserRow::new(u, &client, company)));
    let q = ListQuery::parse(&req.params, &["id", "username", "role"])?.typed(CLIENT_USER_COLUMNS);
    let (total, rows) = q.apply(rows, &["id"]);
    Ok(list(total, rows))
}
