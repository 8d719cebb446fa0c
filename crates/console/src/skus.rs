//! A seller's SKUs: the list with their audit state (and why one was rejected), a new SKU as a
//! draft, submitting it for the warehouse's audit, and its label to print.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::types::skus::{NewSku, SkuFilter};
use entrepot_core::{
    ids::{ClientId, SkuId},
    money::parse_minor,
    sku::{Sku, SkuStatus},
    CoreError,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const PAGE: i64 = 50;

fn seller(v: &Viewer) -> Result<ClientId, Failure> {
    v.actor.client().cloned().ok_or_else(|| Failure::forbidden(v.tr))
}

/// The CSS class and translated name of an audit state.
pub(crate) fn status(t: Tr, s: SkuStatus) -> (&'static str, String) {
    let class = match s {
        SkuStatus::Approved => "good",
        SkuStatus::Rejected => "bad",
        SkuStatus::Submitted => "busy",
        SkuStatus::Draft => "muted",
    };
    (class, t.state("sku-status", s.as_str()))
}

pub(crate) struct Row {
    id: i64,
    seller_sku: String,
    mfskuid: String,
    name: String,
    class: &'static str,
    status: String,
    reason: String,
    can_submit: bool,
}

/// A SKU's name in the page's language: its Chinese name on Chinese pages when it has one.
pub(crate) fn name(t: Tr, s: &Sku) -> String {
    s.name_cn.clone().filter(|_| t.lang() == crate::i18n::Lang::Zh).unwrap_or_else(|| s.name_en.clone())
}

fn row(t: Tr, s: &Sku) -> Row {
    let (class, status) = status(t, s.status);
    Row {
        id: s.id.0,
        seller_sku: s.seller_sku.clone(),
        mfskuid: s.mfskuid.clone(),
        name: name(t, s),
        class,
        status,
        reason: s.reject_reason.clone().unwrap_or_default(),
        can_submit: matches!(s.status, SkuStatus::Draft | SkuStatus::Rejected),
    }
}

#[derive(Template)]
#[template(path = "skus.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    rows: Vec<Row>,
    total: i64,
    q: String,
    notice: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
    created: Option<String>,
    submitted: Option<String>,
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = seller(&v)?;
    let search = q.q.unwrap_or_default().trim().chars().take(64).collect::<String>();
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let f = SkuFilter {
        seller_skus: if search.is_empty() { vec![] } else { vec![search.clone()] },
        offset: (page - 1) * PAGE,
        limit: PAGE,
        ..Default::default()
    };
    let (skus, total) = st.app.list_skus(&client, &f).await.or_page(t)?;
    let notice = match (q.created, q.submitted) {
        (Some(s), _) => t.t1("sku-created", "sku", s.chars().take(64).collect::<String>()),
        (_, Some(s)) => t.t1("sku-submitted", "sku", s.chars().take(64).collect::<String>()),
        _ => String::new(),
    };
    let c = Chrome::new(&v, "/console/skus", "nav-skus", "/console/skus");
    html(t, &ListPage { c, t, rows: skus.iter().map(|s| row(t, s)).collect(), total, q: search, notice })
}

#[derive(Template)]
#[template(path = "sku_new.html")]
struct NewPage {
    c: Chrome,
    t: Tr,
    f: NewForm,
    error: String,
    currency: String,
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    seller_sku: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_cn: String,
    #[serde(default)]
    weight_g: String,
    #[serde(default)]
    length_mm: String,
    #[serde(default)]
    width_mm: String,
    #[serde(default)]
    height_mm: String,
    #[serde(default)]
    declared_value: String,
    #[serde(default)]
    hs_code: String,
    #[serde(default)]
    origin_country: String,
}

pub(crate) async fn new(State(st): State<ConsoleState>, v: Viewer) -> Result<Response, Failure> {
    let t = v.tr;
    let client = st.app.client(&seller(&v)?).await.or_page(t)?;
    let c = Chrome::new(&v, "/console/skus", "sku-new", "/console/skus/new");
    html(
        t,
        &NewPage { c, t, f: NewForm::default(), error: String::new(), currency: client.currency.as_str().to_owned() },
    )
}

/// A measure the seller may leave out (0 until the warehouse measures it).
fn number(field: &str, text: &str) -> Result<i64, CoreError> {
    if text.trim().is_empty() {
        return Ok(0);
    }
    crate::format::whole(field, text)
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|s| !s.is_empty())
}

pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<NewForm>,
) -> Result<Response, Failure> {
    let t = v.tr;
    v.check_csrf(&f.csrf)?;
    let client = st.app.client(&seller(&v)?).await.or_page(t)?;
    let currency = client.currency.clone();
    let built = (|| -> Result<NewSku, CoreError> {
        Ok(NewSku {
            seller_sku: f.seller_sku.trim().to_owned(),
            reference_sku: None,
            name_en: f.name_en.trim().to_owned(),
            name_cn: optional(&f.name_cn),
            weight_g: number("weight_g", &f.weight_g)?,
            length_mm: number("length_mm", &f.length_mm)?,
            width_mm: number("width_mm", &f.width_mm)?,
            height_mm: number("height_mm", &f.height_mm)?,
            declared_value: if f.declared_value.trim().is_empty() {
                0
            } else {
                parse_minor(f.declared_value.trim(), currency.exponent())?
            },
            declared_currency: currency.as_str().to_owned(),
            hs_code: optional(&f.hs_code),
            origin_country: optional(&f.origin_country).map(|c| c.to_ascii_uppercase()),
            properties: vec![],
            image_url: None,
            status: SkuStatus::Draft,
        })
    })();
    let result = match built {
        Ok(n) => st.app.create_skus(&client.id, vec![n]).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            let sku = created.first().map(|s| s.seller_sku.clone()).unwrap_or_default();
            // Shown found, so the seller sees the new row at once.
            let q = serde_urlencoded::to_string([("q", sku.as_str()), ("created", sku.as_str())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/console/skus?{q}")).into_response())
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => {
            let c = Chrome::new(&v, "/console/skus", "sku-new", "/console/skus/new");
            let error = crate::scan::Outcome::refused(t, &e).message().to_owned();
            let mut r = html(t, &NewPage { c, t, f, error, currency: currency.as_str().to_owned() })?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

pub(crate) async fn submit(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let client = seller(&v)?;
    let s = st.app.submit_sku_for_audit(&v.actor, &client, SkuId(id)).await.or_page(v.tr)?;
    let q = serde_urlencoded::to_string([("q", s.seller_sku.as_str()), ("submitted", s.seller_sku.as_str())])
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/console/skus?{q}")).into_response())
}

/// One label of the SKU (a PDF the browser prints).
pub(crate) async fn label(State(st): State<ConsoleState>, v: Viewer, Path(id): Path<i64>) -> Result<Response, Failure> {
    let t = v.tr;
    let client = seller(&v)?;
    let skus = st.app.skus_by_ids(&client, &[SkuId(id)]).await.or_page(t)?;
    let s = skus.first().ok_or_else(|| Failure::not_found(t))?;
    let label = entrepot_labels::SkuLabel {
        mfskuid: s.mfskuid.clone(),
        seller_sku: s.seller_sku.clone(),
        title: s.name_en.clone(),
        origin: s.origin_country.clone(),
        copies: 1,
    };
    let pdf = entrepot_labels::sku_labels(&[label]).map_err(|_| Failure::core(t, CoreError::Internal))?;
    let mut r = pdf.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    Ok(crate::page::secure(r))
}
