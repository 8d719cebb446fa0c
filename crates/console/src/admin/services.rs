//! Services: each warehouse's carrier services with what the carrier charges (the rate card,
//! read only), and taking a service out of use or back into it.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Form,
};
use entrepot_core::{fees::RateCard, service::Service};
use serde::Deserialize;

use super::{admin, done, or_refused, Done, Fields, Flash};
use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::{Lang, Tr},
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const LIST: &str = "/console/admin/services";

/// A rate card as it reads: amounts with their currency, weight bands ascending.
pub(crate) struct Rates {
    handling: String,
    per_item: String,
    /// cm³ per kg; "" when volumetric weight is off.
    divisor: String,
    /// (up to grams, fee).
    bands: Vec<(i64, String)>,
    per_kg_over: String,
}

fn rates(r: &RateCard) -> Rates {
    let m = |minor: i64| format::money(minor, &r.currency);
    Rates {
        handling: m(r.handling_per_order),
        per_item: m(r.handling_per_additional_item),
        divisor: if r.volumetric_divisor > 0 { r.volumetric_divisor.to_string() } else { String::new() },
        bands: r.bands.iter().map(|b| (b.up_to_g, m(b.fee))).collect(),
        per_kg_over: m(r.per_kg_over),
    }
}

pub(crate) struct Row {
    code: String,
    name: String,
    carrier: String,
    active: bool,
    rates: Rates,
}

fn row(t: Tr, s: &Service) -> Row {
    let name = s.name_cn.clone().filter(|_| t.lang() == Lang::Zh).unwrap_or_else(|| s.name.clone());
    Row { code: s.code.clone(), name, carrier: s.carrier.clone(), active: s.active, rates: rates(&s.rates) }
}

/// One warehouse's services.
pub(crate) struct Group {
    code: String,
    name: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "admin_services.html")]
struct ServicesPage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    groups: Vec<Group>,
    /// The warehouse shown alone ("" for all), and the codes to choose from.
    warehouse: String,
    codes: Vec<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct ServicesQuery {
    warehouse: Option<String>,
}

async fn page(st: &ConsoleState, v: &Viewer, only: &str, flash: Flash) -> Result<Response, Failure> {
    let t = v.tr;
    let a = admin(st, v)?;
    let whs = a.warehouses().await.or_page(t)?;
    let codes = whs.iter().map(|w| w.code.clone()).collect();
    let mut groups = Vec::new();
    for w in whs.into_iter().filter(|w| only.is_empty() || w.code.eq_ignore_ascii_case(only)) {
        let rows = a.services(Some(&w.id)).await.or_page(t)?.iter().map(|s| row(t, s)).collect();
        groups.push(Group { code: w.code, name: w.name, rows });
    }
    let c = Chrome::new(v, LIST, "nav-admin-services", LIST);
    html(t, &ServicesPage { c, t, flash, groups, warehouse: only.to_owned(), codes })
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<ServicesQuery>,
    Query(d): Query<Done>,
) -> Result<Response, Failure> {
    let only = q.warehouse.unwrap_or_default().trim().chars().take(32).collect::<String>();
    page(&st, &v, &only, d.flash(v.tr)).await
}

/// Takes a service out of use (`active=false`) or back into it (`active=true`).
pub(crate) async fn set_active(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((warehouse, code)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let active = f.get("active") == "true";
    let set = a.set_service_active(&warehouse, &code, active).await;
    let set = set.map(|(w, s)| {
        let back =
            format!("{LIST}?{}", serde_urlencoded::to_string([("warehouse", w.code.as_str())]).unwrap_or_default());
        done(&back, "service-changed", &format!("{} {}", w.code, s.code))
    });
    or_refused(v.tr, set, |flash| page(&st, &v, &warehouse, flash)).await
}
