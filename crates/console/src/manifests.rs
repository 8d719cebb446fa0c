//! Manifests: each packed parcel scanned onto its carrier's open manifest of the day (opened
//! by the first), and the manifest closed at the carrier's pickup, which hands every parcel
//! on it over (the orders become shipped). The driver's sheet prints as a PDF.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::{company::Warehouse, CoreError};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm},
    state::ConsoleState,
    viewer::Viewer,
};

#[derive(Template)]
#[template(path = "manifest_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    warehouse: String,
}

pub(crate) struct Row {
    id: String,
    carrier: String,
    day: String,
    status: String,
    parcels: i64,
    open: bool,
}

#[derive(Template)]
#[template(path = "manifests.html")]
struct ManifestsPage {
    c: Chrome,
    t: Tr,
    form: ScanForm,
    screen: Screen,
    rows: Vec<Row>,
}

async fn page(st: &ConsoleState, v: &Viewer, wh: &Warehouse, outcome: Outcome) -> Result<Response, Failure> {
    let t = v.tr;
    let rows = st
        .app
        .manifests(&v.actor, &wh.id, 30)
        .await
        .or_page(t)?
        .into_iter()
        .map(|m| Row {
            open: m.status == "OPEN",
            id: m.id,
            carrier: m.carrier,
            day: m.day,
            status: m.status,
            parcels: m.parcel_count,
        })
        .collect();
    let here = format!("/console/manifests?warehouse={}", wh.code);
    let c = Chrome::new(v, "/console/manifests", "nav-manifests", &here);
    let form = ScanForm { action: "/console/manifests/scan".into(), quantity: false, damaged: false };
    html(t, &ManifestsPage { c, t, form, screen: Screen { t, outcome, warehouse: wh.code.clone() }, rows })
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (_, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    page(&st, &v, &wh, Outcome::Waiting).await
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    warehouse: String,
}

pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (_, wh) = crate::floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let outcome = match scan::code(&f.code) {
        None => Outcome::Refused(t.t("scan-empty")),
        Some(code) => match st.app.manifest_parcel(&v.actor, &wh.id, &code).await {
            Ok(m) => {
                let parcel = m.parcels.first().map(|p| p.oc_number.clone()).unwrap_or(code);
                Outcome::Accepted(
                    t.t2("manifest-scanned", ("parcel", parcel), ("carrier", m.carrier.clone()))
                        + &format!(" · {}", t.t1("manifest-parcels", "n", m.parcel_count)),
                )
            }
            Err(CoreError::Internal) => return Err(Failure::core(t, CoreError::Internal)),
            Err(e) => Outcome::refused(t, &e),
        },
    };
    if scan::wants_screen(&headers) {
        return html(t, &Screen { t, outcome, warehouse: wh.code.clone() });
    }
    page(&st, &v, &wh, outcome).await
}

#[derive(Deserialize)]
pub(crate) struct CloseBody {
    csrf: String,
    warehouse: String,
}

pub(crate) async fn close(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CloseBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.close_manifest(&v.actor, &id).await.or_page(v.tr)?;
    Ok(Redirect::to(&format!("/console/manifests?warehouse={}", f.warehouse)).into_response())
}
