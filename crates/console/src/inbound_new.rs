//! A seller announces an inbound: one of its warehouses, how the goods travel, its own reference
//! (one is generated when left empty, as Bird's uploads get), whether customs clearance
//! documents must come first, and lines of its SKUs by their seller codes. The form has a few
//! empty rows and a button that adds more (no script). A row naming no SKU of the seller or no
//! positive quantity is marked beside it and nothing is created; what the use case refuses (a SKU
//! not approved, a reference already used) is shown as it said it, beside the row it names.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::{NewInbound, SkuFilter};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId},
    inbound::ShippingMode,
    limits,
    sku::SkuStatus,
    CoreError,
};

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

/// Empty rows the form starts with, and rows one press of "more rows" adds.
const ROWS: usize = 10;
/// Prefix of a generated reference.
const REFERENCE_PREFIX: &str = "IB-";
/// The longest reference (OC's `sellerInboundNumber`).
const MAX_REFERENCE: usize = 50;
/// Approved SKUs offered as suggestions.
const SUGGESTED: i64 = 500;
/// The modes a seller picks from.
const MODES: [ShippingMode; 4] = [ShippingMode::Express, ShippingMode::Sea, ShippingMode::Air, ShippingMode::Truck];

/// One line row of the form, as typed, and what is wrong with it.
#[derive(Default, Clone)]
pub(crate) struct LineRow {
    sku: String,
    qty: String,
    error: String,
}

/// The form as posted (or empty).
#[derive(Default)]
pub(crate) struct NewForm {
    csrf: String,
    warehouse: String,
    mode: String,
    reference: String,
    need_clearance_doc: bool,
    more: bool,
    rows: Vec<LineRow>,
}

impl NewForm {
    /// Reads the posted pairs; `sku` and `qty` come once per row, in row order.
    fn read(pairs: Vec<(String, String)>) -> Self {
        let mut f = NewForm::default();
        let (mut skus, mut qtys) = (vec![], vec![]);
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "warehouse" => f.warehouse = v,
                "mode" => f.mode = v,
                "reference" => f.reference = v,
                "need_clearance_doc" => f.need_clearance_doc = !v.is_empty(),
                "more" => f.more = true,
                "sku" => skus.push(v),
                "qty" => qtys.push(v),
                _ => {}
            }
        }
        let n = skus.len().max(qtys.len()).min(limits::MAX_LINES);
        f.rows = (0..n)
            .map(|i| LineRow {
                sku: skus.get(i).map(|s| s.trim().to_owned()).unwrap_or_default(),
                qty: qtys.get(i).map(|s| s.trim().to_owned()).unwrap_or_default(),
                error: String::new(),
            })
            .collect();
        f
    }

    /// The rows the seller filled in, with their index in the form.
    fn filled(&self) -> impl Iterator<Item = (usize, &LineRow)> {
        self.rows.iter().enumerate().filter(|(_, r)| !r.sku.is_empty() || !r.qty.is_empty())
    }

    fn add_rows(&mut self) {
        let n = (self.rows.len() + ROWS).min(limits::MAX_LINES);
        self.rows.resize(n.max(ROWS), LineRow::default());
    }
}

#[derive(Template)]
#[template(path = "inbound_new.html")]
struct NewPage {
    c: Chrome,
    t: Tr,
    f: NewForm,
    error: String,
    warehouses: Vec<(String, String)>,
    modes: Vec<(&'static str, String)>,
    suggestions: Vec<String>,
}

fn seller(v: &Viewer) -> Result<ClientId, Failure> {
    v.actor.client().cloned().ok_or_else(|| Failure::forbidden(v.tr))
}

async fn render(
    st: &ConsoleState,
    v: &Viewer,
    client: &ClientId,
    f: NewForm,
    error: String,
) -> Result<Response, Failure> {
    let t = v.tr;
    let warehouses = st.app.client_warehouses(client).await.or_page(t)?;
    let (skus, _) = st.app.list_skus(client, &SkuFilter { limit: SUGGESTED, ..Default::default() }).await.or_page(t)?;
    let suggestions =
        skus.into_iter().filter(|s| s.status == SkuStatus::Approved && s.active).map(|s| s.seller_sku).collect();
    let modes = MODES.iter().map(|m| (m.as_str(), t.state("inbound-mode", m.as_str()))).collect();
    let c = Chrome::new(v, "/console/inbounds", "inbound-new", "/console/inbounds/new");
    let warehouses = warehouses.into_iter().map(|w: Warehouse| (w.code, w.name)).collect();
    let bad = !error.is_empty() || f.rows.iter().any(|r| !r.error.is_empty());
    let mut r = html(t, &NewPage { c, t, f, error, warehouses, modes, suggestions })?;
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `GET /console/inbounds/new`.
pub(crate) async fn page(State(st): State<ConsoleState>, v: Viewer) -> Result<Response, Failure> {
    let client = seller(&v)?;
    let mut f = NewForm { mode: ShippingMode::Sea.as_str().to_owned(), ..Default::default() };
    f.add_rows();
    render(&st, &v, &client, f, String::new()).await
}

/// `POST /console/inbounds`: more rows, or the inbound created (then its page).
pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let mut f = NewForm::read(pairs);
    v.check_csrf(&f.csrf)?;
    let client = seller(&v)?;
    if f.more {
        f.add_rows();
        return render(&st, &v, &client, f, String::new()).await;
    }
    let built = build(&st, &client, &mut f, t).await;
    let result = match built {
        Ok(Some(n)) => st.app.create_inbound(&client, n).await,
        Ok(None) => return render(&st, &v, &client, f, String::new()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            let q = serde_urlencoded::to_string([("created", "1")]).unwrap_or_default();
            let to = format!("/console/inbounds/{}?{q}", created.inbound.number);
            Ok(Redirect::to(&to).into_response())
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => {
            let message = Outcome::refused(t, &e).message().to_owned();
            // A line the use case names is marked on the row it came from.
            let row = e.line().and_then(|l| f.filled().nth(l.saturating_sub(1)).map(|(i, _)| i));
            match row {
                Some(i) => {
                    f.rows[i].error = message;
                    render(&st, &v, &client, f, String::new()).await
                }
                None => render(&st, &v, &client, f, message).await,
            }
        }
    }
}

/// The inbound the form describes; `Ok(None)` when a row is marked with what is wrong with it.
async fn build(st: &ConsoleState, client: &ClientId, f: &mut NewForm, t: Tr) -> Result<Option<NewInbound>, CoreError> {
    let warehouse = st.app.warehouse_for_client_by_code(client, f.warehouse.trim()).await?;
    let mode: ShippingMode = f.mode.parse()?;
    let reference = f.reference.trim().to_owned();
    if reference.chars().count() > MAX_REFERENCE {
        return Err(CoreError::invalid("reference", format!("may be at most {MAX_REFERENCE} characters")));
    }
    let codes: Vec<String> = f.filled().map(|(_, r)| r.sku.clone()).filter(|s| !s.is_empty()).collect();
    let skus = if codes.is_empty() { vec![] } else { st.app.skus_by_seller_skus(client, &codes).await? };
    let mut lines: Vec<(SkuId, i64)> = vec![];
    let mut bad = false;
    for (i, r) in f.rows.iter_mut().enumerate() {
        if r.sku.is_empty() && r.qty.is_empty() {
            continue;
        }
        let sku = skus.iter().find(|s| s.seller_sku == r.sku);
        let qty = crate::format::whole("qty", &r.qty)
            .ok()
            .filter(|q| *q > 0)
            .and_then(|q| limits::quantity(&format!("lines[{i}].qty"), q).ok());
        match (sku, qty) {
            (Some(s), Some(q)) => lines.push((s.id, q)),
            (None, _) if r.sku.is_empty() => {
                r.error = t.t("inbound-new-no-sku");
                bad = true;
            }
            (None, _) => {
                r.error = t.t1("inbound-new-unknown-sku", "sku", r.sku.clone());
                bad = true;
            }
            (_, None) => {
                r.error = t.t("inbound-new-bad-quantity");
                bad = true;
            }
        }
    }
    if bad {
        return Ok(None);
    }
    let reference =
        if reference.is_empty() { st.app.generated_inbound_reference(REFERENCE_PREFIX).await? } else { reference };
    Ok(Some(NewInbound {
        warehouse_id: warehouse.id,
        reference,
        mode,
        lines,
        need_clearance_doc: f.need_clearance_doc,
        details: serde_json::json!({}),
    }))
}
