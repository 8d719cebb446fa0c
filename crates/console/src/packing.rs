//! The packing bench: the order's barcode (on its tote or pick slip) opens it; each unit's SKU
//! label is scanned into the parcel; once all are in, the parcel is weighed and measured and
//! closed, which books its label when the background loop has not yet. A parcel whose weight
//! is off is held for a supervisor, who closes it again to let it go.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::types::packing::PackView;
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
#[template(path = "packing_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    warehouse: String,
    p: Option<PackView>,
    supervisor: bool,
}

impl Screen {
    fn fees(&self) -> String {
        self.p
            .as_ref()
            .map(|p| crate::format::money(p.handling_fee.saturating_add(p.delivery_fee), &p.currency))
            .unwrap_or_default()
    }

    fn expected_weight(&self) -> i64 {
        self.p.as_ref().map(|p| p.expected_weight_g).unwrap_or(0)
    }
}

#[derive(Template)]
#[template(path = "packing.html")]
struct PackingPage {
    c: Chrome,
    t: Tr,
    form: ScanForm,
    screen: Screen,
}

fn form() -> ScanForm {
    ScanForm { action: "/console/packing/scan".into(), quantity: true, damaged: false }
}

fn screen(v: &Viewer, wh: &Warehouse, outcome: Outcome, p: Option<PackView>) -> Screen {
    let supervisor = matches!(
        v.actor.role,
        entrepot_core::actor::Role::Staff { supervisor: true, .. } | entrepot_core::actor::Role::Operator
    );
    Screen { t: v.tr, outcome, warehouse: wh.code.clone(), p, supervisor }
}

fn page(v: &Viewer, s: Screen) -> Result<Response, Failure> {
    let here = match &s.p {
        Some(p) => format!("/console/packing/{}?warehouse={}", p.oc_number, s.warehouse),
        None => format!("/console/packing?warehouse={}", s.warehouse),
    };
    let c = Chrome::new(v, "/console/packing", "nav-packing", &here);
    html(v.tr, &PackingPage { c, t: v.tr, form: form(), screen: s })
}

pub(crate) async fn start(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (_, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    page(&v, screen(&v, &wh, Outcome::Waiting, None))
}

pub(crate) async fn open(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(order): Path<String>,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (_, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let p = st.app.pack_view(&v.actor, &wh.id, &order).await.or_page(v.tr)?;
    page(&v, screen(&v, &wh, Outcome::Waiting, Some(p)))
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    warehouse: String,
    #[serde(default)]
    order: String,
    quantity: Option<String>,
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
    let answer = |s: Screen| if scan::wants_screen(&headers) { html(t, &s) } else { page(&v, s) };
    let Some(code) = scan::code(&f.code) else {
        return answer(screen(&v, &wh, Outcome::Refused(t.t("scan-empty")), None));
    };
    let Ok(qty) = scan::quantity(f.quantity.as_deref(), 1) else {
        return answer(screen(&v, &wh, Outcome::Refused(t.t("scan-bad-quantity")), None));
    };
    let qty = qty.unwrap_or(1);
    let order = f.order.trim();
    if !order.is_empty() {
        let key = scan::scan_id(&headers);
        match st.app.pack_unit(&v.actor, &wh.id, order, &code, qty, key.as_deref()).await {
            Ok(p) => {
                let msg = match p.lines.iter().find(|l| l.mfskuid == code || l.seller_sku.eq_ignore_ascii_case(&code)) {
                    Some(l) => {
                        t.t2("pack-scanned", ("sku", l.seller_sku.clone()), ("n", format!("{}/{}", l.scanned, l.qty)))
                    }
                    None => code.clone(),
                };
                return answer(screen(&v, &wh, Outcome::Accepted(msg), Some(p)));
            }
            Err(CoreError::Internal) => return Err(Failure::core(t, CoreError::Internal)),
            Err(e) => {
                // Not a unit of this order: perhaps the next order's barcode.
                if let Ok(other) = st.app.pack_view(&v.actor, &wh.id, &code).await {
                    let msg = t.t1("pack-opened", "order", other.oc_number.clone());
                    return answer(screen(&v, &wh, Outcome::Accepted(msg), Some(other)));
                }
                let current = st.app.pack_view(&v.actor, &wh.id, order).await.ok();
                return answer(screen(&v, &wh, Outcome::refused(t, &e), current));
            }
        }
    }
    match st.app.pack_view(&v.actor, &wh.id, &code).await {
        Ok(p) => {
            let msg = t.t1("pack-opened", "order", p.oc_number.clone());
            answer(screen(&v, &wh, Outcome::Accepted(msg), Some(p)))
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => answer(screen(&v, &wh, Outcome::refused(t, &e), None)),
    }
}

#[derive(Deserialize)]
pub(crate) struct CloseBody {
    csrf: String,
    warehouse: String,
    order: String,
    #[serde(default)]
    weight_g: String,
    #[serde(default)]
    length_mm: String,
    #[serde(default)]
    width_mm: String,
    #[serde(default)]
    height_mm: String,
    release_hold: Option<String>,
}

/// Weighs, measures and closes the parcel (booking its label), then shows it.
pub(crate) async fn close(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<CloseBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (_, wh) = crate::floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let dims = (|| {
        Ok::<_, CoreError>((
            crate::format::whole("length_mm", &f.length_mm)?,
            crate::format::whole("width_mm", &f.width_mm)?,
            crate::format::whole("height_mm", &f.height_mm)?,
        ))
    })();
    let closed = match (crate::format::whole("weight_g", &f.weight_g), dims) {
        (Ok(w), Ok(d)) => {
            entrepot_ops::packing::close_and_book(
                &st.app,
                st.carrier.clone(),
                &st.booking,
                &v.actor,
                &wh.id,
                &f.order,
                w,
                d,
                f.release_hold.is_some(),
            )
            .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match closed {
        Ok(p) => Ok(Redirect::to(&format!("/console/packing/{}?warehouse={}", p.oc_number, wh.code)).into_response()),
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => {
            let p = st.app.pack_view(&v.actor, &wh.id, &f.order).await.ok();
            page(&v, screen(&v, &wh, Outcome::refused(t, &e), p))
        }
    }
}

/// The parcel's carrier label, to print at the bench.
pub(crate) async fn label(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(order): Path<String>,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (_, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let p = st.app.pack_view(&v.actor, &wh.id, &order).await.or_page(t)?;
    let pdf = st.app.order_label(&p.client_id, &p.order_id).await.or_page(t)?.ok_or_else(|| Failure::not_found(t))?;
    let mut r = pdf.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    Ok(crate::page::secure(r))
}
