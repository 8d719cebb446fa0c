//! The floor's SKU audit queue: submitted SKUs of every client, oldest first; staff approve
//! one, or reject it with the reason the seller reads.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::types::sku_audit::{SkuAuditQuery, SkuVerdict};
use entrepot_core::ids::{ClientId, SkuId};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct Item {
    client: String,
    id: i64,
    seller_sku: String,
    mfskuid: String,
    name: String,
    declared: String,
    submitted: String,
}

#[derive(Template)]
#[template(path = "sku_audit.html")]
struct QueuePage {
    c: Chrome,
    t: Tr,
    items: Vec<Item>,
}

pub(crate) async fn queue(State(st): State<ConsoleState>, v: Viewer) -> Result<Response, Failure> {
    let t = v.tr;
    crate::floor::staff_only(&v)?;
    let q = SkuAuditQuery { client: None, after: None, limit: 0 };
    let items = st
        .app
        .sku_audit_queue(&v.actor, &q)
        .await
        .or_page(t)?
        .into_iter()
        .map(|i| Item {
            client: i.sku.client_id.0.clone(),
            id: i.sku.id.0,
            seller_sku: i.sku.seller_sku.clone(),
            mfskuid: i.sku.mfskuid.clone(),
            declared: format!("{} g · {}×{}×{} mm", i.sku.weight_g, i.sku.length_mm, i.sku.width_mm, i.sku.height_mm),
            name: match &i.sku.name_cn {
                Some(cn) => format!("{} / {cn}", i.sku.name_en),
                None => i.sku.name_en.clone(),
            },
            submitted: crate::format::local_time(None, i.submitted_at_ms),
        })
        .collect();
    let c = Chrome::new(&v, "/console/sku-audit", "nav-sku-audit", "/console/sku-audit");
    html(t, &QueuePage { c, t, items })
}

#[derive(Deserialize)]
pub(crate) struct Decision {
    csrf: String,
    /// `approve` or `reject`.
    verdict: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn decide(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((client, id)): Path<(String, i64)>,
    Form(f): Form<Decision>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let verdict = if f.verdict == "approve" { SkuVerdict::Approve } else { SkuVerdict::Reject { reason: f.reason } };
    st.app.decide_sku(&v.actor, &ClientId(client), SkuId(id), verdict).await.or_page(v.tr)?;
    Ok(Redirect::to("/console/sku-audit").into_response())
}
