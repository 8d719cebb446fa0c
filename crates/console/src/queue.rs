//! The staff's queue of orders waiting for a decision: orders stopped in EXCEPTION (put back
//! onto the floor once the bin is sorted out) and intercepts a client requested once picking
//! had started (accept: the order is cancelled and its units go back; refuse: it ships).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::{company::Warehouse, ids::ClientId};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct Item {
    client: String,
    number: String,
    reference: String,
    status: String,
    since: String,
    intercept: bool,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    c: Chrome,
    t: Tr,
    warehouses: Vec<Warehouse>,
    code: String,
    items: Vec<Item>,
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (warehouses, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let items = st
        .app
        .staff_queue(&v.actor, &wh.id)
        .await
        .or_page(t)?
        .into_iter()
        .map(|i| Item {
            client: i.order.client_id.0.clone(),
            number: i.order.oc_number.clone(),
            reference: i.order.reference.clone(),
            status: format::status(t, i.order.status),
            since: format::local_time(Some(&wh), i.order.updated_at_ms),
            intercept: i.intercept_requested,
        })
        .collect();
    let here = format!("/console/queue?warehouse={}", wh.code);
    let c = Chrome::new(&v, "/console/queue", "nav-queue", &here);
    html(t, &QueuePage { c, t, code: wh.code.clone(), warehouses, items })
}

#[derive(Deserialize)]
pub(crate) struct Decision {
    csrf: String,
    warehouse: String,
    client: String,
    order: String,
    /// `requeue`, `accept` or `refuse`.
    action: String,
}

pub(crate) async fn decide(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Decision>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let client = ClientId(f.client);
    match f.action.as_str() {
        "requeue" => st.app.requeue_exception(&v.actor, &client, &f.order).await.map(|_| ()),
        "accept" => st.app.resolve_intercept(&v.actor, &client, &f.order, true).await.map(|_| ()),
        _ => st.app.resolve_intercept(&v.actor, &client, &f.order, false).await.map(|_| ()),
    }
    .or_page(t)?;
    let q = serde_urlencoded::to_string([("warehouse", f.warehouse.as_str())]).unwrap_or_default();
    Ok(Redirect::to(&format!("/console/queue?{q}")).into_response())
}
