//! A seller's inbound orders: each with its state, shipping mode, and how far receiving and
//! put-away have come against what was announced; an inbound's lines and the discrepancies the
//! dock recorded.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use entrepot_app::types::inbound::InboundSearch;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const PAGE: i64 = 50;

pub(crate) struct Row {
    number: String,
    reference: String,
    status: String,
    mode: String,
    warehouse: String,
    expected: i64,
    received: i64,
    put_away: i64,
    created: String,
}

#[derive(Template)]
#[template(path = "inbounds.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    rows: Vec<Row>,
    total: i64,
}

fn status(t: Tr, s: entrepot_core::inbound::InboundStatus) -> String {
    t.state("inbound-status", s.as_str())
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    page: Option<i64>,
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let f = InboundSearch { offset: (page - 1) * PAGE, limit: PAGE, ..Default::default() };
    let (inbounds, total) = st.app.search_inbounds(&client, &f).await.or_page(t)?;
    let whs = crate::floor::by_id(&st, inbounds.iter().map(|i| i.warehouse_id.clone())).await;
    let mut rows = vec![];
    for i in &inbounds {
        let wh = whs.get(&i.warehouse_id);
        let sum = |f: fn(&entrepot_core::inbound::InboundLine) -> i64| i.inbound.lines.iter().map(f).sum::<i64>();
        rows.push(Row {
            number: i.inbound.number.clone(),
            reference: i.reference.clone(),
            status: status(t, i.inbound.status),
            mode: t.state("inbound-mode", i.inbound.mode.as_str()),
            warehouse: wh.map(|w| w.code.clone()).unwrap_or_default(),
            expected: sum(|l| l.expected),
            received: sum(|l| l.received + l.damaged),
            put_away: sum(|l| l.put_away),
            created: crate::format::local_time(wh, i.created_at_ms),
        });
    }
    let c = Chrome::new(&v, "/console/inbounds", "nav-inbounds", "/console/inbounds");
    html(t, &ListPage { c, t, rows, total })
}

pub(crate) struct LineRow {
    sku: String,
    expected: i64,
    received: i64,
    damaged: i64,
    put_away: i64,
    short: i64,
}

pub(crate) struct Discrepancy {
    kind: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "inbound.html")]
struct DetailPage {
    c: Chrome,
    t: Tr,
    number: String,
    reference: String,
    status: String,
    mode: String,
    express: bool,
    notice: String,
    lines: Vec<LineRow>,
    discrepancies: Vec<Discrepancy>,
    tracking: Vec<String>,
    appointment: Option<crate::appointments::Booked>,
    clearance_required: bool,
    /// The clearance documents still due, named.
    missing: String,
    files: Vec<crate::clearance::KeptFile>,
    file_types: Vec<(&'static str, String)>,
}

#[derive(Deserialize, Default)]
pub(crate) struct DetailQuery {
    created: Option<String>,
}

/// The tracking numbers recorded with an inbound (the console's and OC's lists), each once.
fn tracking_numbers(details: &serde_json::Value) -> Vec<String> {
    let plain = details["trackingNumbers"].as_array().into_iter().flatten().filter_map(|n| n.as_str());
    let oc = details["trackingList"].as_array().into_iter().flatten().filter_map(|e| e["trackingNumber"].as_str());
    let mut out: Vec<String> = vec![];
    for n in plain.chain(oc) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_owned());
        }
    }
    out
}

pub(crate) async fn detail(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let r = st.app.receipt(&v.actor, &key).await.or_page(t)?;
    let express = r.inbound.inbound.mode == entrepot_core::inbound::ShippingMode::Express;
    let appointment = if express {
        None
    } else {
        let wh = st.app.cached_warehouse(&r.inbound.warehouse_id).await.ok();
        let a = st.app.appointment(&v.actor, &client, &r.inbound.inbound.number).await.or_page(t)?;
        a.map(|a| crate::appointments::Booked::new(t, wh.as_ref(), &a))
    };
    let lines = r
        .lines
        .iter()
        .map(|l| LineRow {
            sku: l.seller_sku.clone(),
            expected: l.expected,
            received: l.received,
            damaged: l.damaged,
            put_away: l.put_away,
            short: l.short,
        })
        .collect();
    let discrepancies = r
        .discrepancies
        .iter()
        .map(|d| Discrepancy {
            kind: t.state("discrepancy", d.kind.as_str()),
            detail: format!(
                "{} × {}{}",
                d.code.clone().unwrap_or_default(),
                d.quantity,
                d.note.as_deref().map(|n| format!(" · {n}")).unwrap_or_default()
            ),
        })
        .collect();
    let here = format!("/console/inbounds/{}", r.inbound.inbound.number);
    let c = Chrome::new(&v, "/console/inbounds", "nav-inbounds", &here);
    html(
        t,
        &DetailPage {
            c,
            t,
            number: r.inbound.inbound.number.clone(),
            reference: r.inbound.reference.clone(),
            status: status(t, r.inbound.inbound.status),
            mode: t.state("inbound-mode", r.inbound.inbound.mode.as_str()),
            express,
            notice: if q.created.is_some() { t.t("inbound-created") } else { String::new() },
            lines,
            discrepancies,
            tracking: tracking_numbers(&r.inbound.details),
            appointment,
            clearance_required: r.inbound.inbound.clearance.required,
            missing: r
                .inbound
                .inbound
                .clearance
                .missing()
                .iter()
                .map(|c| t.state("clearance-type", c))
                .collect::<Vec<_>>()
                .join(", "),
            files: crate::clearance::kept(t, &r.inbound.details),
            file_types: crate::clearance::types(t),
        },
    )
}
