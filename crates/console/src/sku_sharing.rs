//! A seller's shared products: whom one of its SKUs is shared with (every client, or clients by
//! name), for its people to see and its owners to change. Another client then orders the SKU
//! from the seller's stock (see `entrepot_core::share`); Bird's ERPs can only share with every
//! client, so sharing with one client by name is done here.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::{actor::Role, ids::SkuId, share::EVERYONE};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

#[derive(Template)]
#[template(path = "sku_sharing.html")]
struct SharingPage {
    c: Chrome,
    t: Tr,
    id: i64,
    seller_sku: String,
    name: String,
    everyone: bool,
    /// Client id and name.
    clients: Vec<(String, String)>,
    owner: bool,
    everyone_value: &'static str,
    with: String,
    notice: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct Done {
    done: Option<String>,
}

/// `GET /console/skus/{id}/sharing`.
pub(crate) async fn show(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    let notice = match q.done.as_deref() {
        Some("shared") => v.tr.t("sharing-done"),
        Some("ended") => v.tr.t("sharing-ended"),
        _ => String::new(),
    };
    render(&st, &v, id, String::new(), notice, String::new()).await
}

async fn render(
    st: &ConsoleState,
    v: &Viewer,
    id: i64,
    with: String,
    notice: String,
    error: String,
) -> Result<Response, Failure> {
    let t = v.tr;
    let s = st.app.seller_sku_sharing(&v.actor, SkuId(id)).await.or_page(t)?;
    let c = Chrome::new(v, "/console/skus", "sharing-title", &format!("/console/skus/{id}/sharing"));
    let page = SharingPage {
        c,
        t,
        id,
        name: crate::skus::name(t, &s.sku),
        seller_sku: s.sku.seller_sku,
        everyone: s.everyone,
        clients: s.clients.into_iter().map(|(c, name)| (c.0, name)).collect(),
        owner: matches!(v.actor.role, Role::Seller { owner: true, .. }),
        everyone_value: EVERYONE,
        with,
        notice,
        error,
    };
    html(t, &page)
}

#[derive(Deserialize)]
pub(crate) struct ShareForm {
    csrf: String,
    #[serde(default)]
    with: String,
}

/// `POST /console/skus/{id}/sharing`: shares the SKU with a client named, or `*` every client.
pub(crate) async fn share(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ShareForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    match st.app.seller_share_sku(&v.actor, SkuId(id), &f.with).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/skus/{id}/sharing?done=shared")).into_response()),
        Err(e) => {
            let error = Failure::or_form_message(v.tr, e)?;
            let with = f.with.chars().take(128).collect();
            render(&st, &v, id, with, String::new(), error).await
        }
    }
}

/// `POST /console/skus/{id}/sharing/end`: ends a share (`with`: `*` or a client's id).
pub(crate) async fn end(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ShareForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.seller_unshare_sku(&v.actor, SkuId(id), &f.with).await.or_page(v.tr)?;
    Ok(Redirect::to(&format!("/console/skus/{id}/sharing?done=ended")).into_response())
}
