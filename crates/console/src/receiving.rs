//! Receiving at the dock, by scans: the carton mark (or the inbound number typed) opens the
//! inbound's receipt; each SKU label scanned counts one unit (or the quantity typed beside
//! it), good or damaged; a wrong label is refused saying what the inbound expects; closing the
//! receipt makes what did not come short.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::types::receiving::{ReceiptView, ReceiveScan};
use entrepot_core::{inbound::Condition, CoreError};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::staff_only,
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm},
    state::ConsoleState,
    viewer::Viewer,
};

/// One line of the open receipt as the dock reads it.
struct Line {
    sku: String,
    code: String,
    expected: i64,
    received: i64,
    damaged: i64,
    done: bool,
    last: bool,
}

#[derive(Template)]
#[template(path = "receiving_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    inbound: String,
    reference: String,
    closed: bool,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "receiving.html")]
struct ReceivingPage {
    c: Chrome,
    t: Tr,
    form: ScanForm,
    screen: Screen,
}

fn form() -> ScanForm {
    ScanForm { action: "/console/receiving/scan".into(), quantity: true, damaged: true }
}

fn screen(v: &Viewer, outcome: Outcome, r: Option<&ReceiptView>, last: Option<&entrepot_core::ids::SkuId>) -> Screen {
    let lines = r
        .map(|r| {
            r.lines
                .iter()
                .map(|l| Line {
                    sku: l.seller_sku.clone(),
                    code: l.mfskuid.clone(),
                    expected: l.expected,
                    received: l.received,
                    damaged: l.damaged,
                    done: l.received + l.damaged >= l.expected,
                    last: last == Some(&l.sku_id),
                })
                .collect()
        })
        .unwrap_or_default();
    Screen {
        t: v.tr,
        outcome,
        inbound: r.map(|r| r.inbound.inbound.number.clone()).unwrap_or_default(),
        reference: r.map(|r| r.inbound.reference.clone()).unwrap_or_default(),
        closed: r.is_some_and(|r| r.inbound.inbound.receipt_closed),
        lines,
    }
}

/// The dock, waiting for a carton mark.
pub(crate) async fn start(v: Viewer) -> Result<Response, Failure> {
    staff_only(&v)?;
    let c = Chrome::new(&v, "/console/receiving", "nav-receiving", "/console/receiving");
    html(v.tr, &ReceivingPage { c, t: v.tr, form: form(), screen: screen(&v, Outcome::Waiting, None, None) })
}

/// The dock with one inbound's receipt open (after a reload, or coming back to it).
pub(crate) async fn open(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(inbound): Path<String>,
) -> Result<Response, Failure> {
    staff_only(&v)?;
    let r = st.app.receipt(&v.actor, &inbound).await.or_page(v.tr)?;
    let here = format!("/console/receiving/{}", r.inbound.inbound.number);
    let c = Chrome::new(&v, "/console/receiving", "nav-receiving", &here);
    html(v.tr, &ReceivingPage { c, t: v.tr, form: form(), screen: screen(&v, Outcome::Waiting, Some(&r), None) })
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    code: String,
    /// The inbound open on the screen when the code was scanned.
    #[serde(default)]
    inbound: String,
    quantity: Option<String>,
    #[serde(default)]
    damaged: Option<String>,
    #[serde(default)]
    csrf: String,
}

/// The screen alone for the scan queue (htmx-style requests), the whole page for a plain form
/// post (a browser without scripts).
fn answer(v: &Viewer, headers: &axum::http::HeaderMap, screen: Screen) -> Result<Response, Failure> {
    if scan::wants_screen(headers) {
        return html(v.tr, &screen);
    }
    let here = if screen.inbound.is_empty() {
        "/console/receiving".to_owned()
    } else {
        format!("/console/receiving/{}", screen.inbound)
    };
    let c = Chrome::new(v, "/console/receiving", "nav-receiving", &here);
    html(v.tr, &ReceivingPage { c, t: v.tr, form: form(), screen })
}

/// One scan: with no receipt open, a carton mark opens one; with one open, a SKU label counts
/// (a carton mark of another inbound switches to it).
pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: axum::http::HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    staff_only(&v)?;
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let key = scan::scan_id(&headers);
    let Some(code) = scan::code(&f.code) else {
        return answer(&v, &headers, screen(&v, Outcome::Refused(t.t("scan-empty")), None, None));
    };
    let Ok(quantity) = scan::quantity(f.quantity.as_deref(), 1) else {
        return answer(&v, &headers, screen(&v, Outcome::Refused(t.t("scan-bad-quantity")), None, None));
    };
    let quantity = quantity.unwrap_or(1);
    let condition = if f.damaged.is_some() { Condition::Damaged } else { Condition::Good };
    let inbound = f.inbound.trim();
    if !inbound.is_empty() {
        let s = ReceiveScan { inbound: inbound.to_owned(), code: code.clone(), quantity, condition, scan_id: key };
        match st.app.receive_scan(&v.actor, s).await {
            Ok(r) => {
                let outcome = match &r.counted {
                    Some((sku, n)) => {
                        let name = r.receipt.lines.iter().find(|l| &l.sku_id == sku).map(|l| l.seller_sku.clone());
                        let key = if condition == Condition::Damaged {
                            "receiving-counted-damaged"
                        } else {
                            "receiving-counted"
                        };
                        Outcome::Accepted(t.t2(key, ("n", *n), ("sku", name.unwrap_or_default())))
                    }
                    None => {
                        Outcome::Accepted(t.t1("receiving-opened", "inbound", r.receipt.inbound.inbound.number.clone()))
                    }
                };
                let last = r.counted.as_ref().map(|(s, _)| s);
                return answer(&v, &headers, screen(&v, outcome, Some(&r.receipt), last));
            }
            Err(CoreError::Internal) => return Err(Failure::core(t, CoreError::Internal)),
            Err(e) => {
                // Not a label of this inbound: perhaps the carton mark of another.
                if let Ok(other) = st.app.open_receipt(&v.actor, &code).await {
                    let outcome =
                        Outcome::Accepted(t.t1("receiving-opened", "inbound", other.inbound.inbound.number.clone()));
                    return answer(&v, &headers, screen(&v, outcome, Some(&other), None));
                }
                let current = st.app.receipt(&v.actor, inbound).await.ok();
                return answer(&v, &headers, screen(&v, Outcome::refused(t, &e), current.as_ref(), None));
            }
        }
    }
    match st.app.open_receipt(&v.actor, &code).await {
        Ok(r) => {
            let outcome = Outcome::Accepted(t.t1("receiving-opened", "inbound", r.inbound.inbound.number.clone()));
            answer(&v, &headers, screen(&v, outcome, Some(&r), None))
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => answer(&v, &headers, screen(&v, Outcome::refused(t, &e), None, None)),
    }
}

#[derive(Deserialize)]
pub(crate) struct CloseForm {
    csrf: String,
}

/// Closes the receipt: what did not come is short.
pub(crate) async fn close(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(inbound): Path<String>,
    Form(f): Form<CloseForm>,
) -> Result<Response, Failure> {
    staff_only(&v)?;
    v.check_csrf(&f.csrf)?;
    let r = st.app.close_receipt(&v.actor, &inbound).await.or_page(v.tr)?;
    Ok(Redirect::to(&format!("/console/receiving/{}", r.inbound.inbound.number)).into_response())
}
