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
            mode: i.inbound.mode.as_str().to_owned(),
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
    lines: Vec<LineRow>,
    discrepancies: Vec<Discrepancy>,
}

pub(crate) async fn detail(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let t = v.tr;
    v.actor.client().ok_or_else(|| Failure::forbidden(t))?;
    let r = st.app.receipt(&v.actor, &key).await.or_page(t)?;
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
            lines,
            discrepancies,
        },
    )
}
