//! A seller's orders: the list (by state, or found by any of its references), and one order
//! with its lines and its scan-level timeline: every scan the warehouse made (picked, packed
//! with its weight, intercepts) and every carrier event, in order.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
    Form,
};
use entrepot_app::types::{
    orders::{OrderFilter, OrderView},
    timeline::{Moment as TimelineMoment, OrderTimeline},
};
use entrepot_core::{company::Warehouse, ids::WarehouseId, outbound::OutboundStatus, CoreError};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

/// Orders a list page shows.
const PAGE: i64 = 50;
/// Orders a list counts and pages through; past them it says "10,000+" and a search or a
/// filter narrows it down (counting a million orders for a page number nobody reads is slow).
const COUNTED: i64 = 10_000;

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

pub(crate) struct Row {
    key: String,
    reference: String,
    status: String,
    class: &'static str,
    warehouse: String,
    due: String,
    created: String,
    tracking: String,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    rows: Vec<Row>,
    total: i64,
    /// More than `total` match.
    more: bool,
    status: String,
    q: String,
    page: i64,
    pages: i64,
    statuses: Vec<(&'static str, String)>,
}

impl ListPage {
    fn page_of(&self) -> String {
        self.t.t2("page-of", ("page", self.page), ("pages", self.pages))
    }

    fn link(&self, page: i64) -> String {
        let q =
            serde_urlencoded::to_string([("status", self.status.as_str()), ("q", self.q.as_str())]).unwrap_or_default();
        format!("/console/orders?{q}&page={page}")
    }
}

fn row(t: Tr, o: &OrderView, whs: &HashMap<WarehouseId, Warehouse>) -> Row {
    let wh = whs.get(&o.warehouse_id);
    Row {
        key: o.oc_number.clone(),
        reference: o.reference.clone(),
        status: format::status(t, o.status),
        class: format::status_class(o.status),
        warehouse: wh.map(|w| w.code.clone()).unwrap_or_default(),
        due: o.due_date.clone().unwrap_or_default(),
        created: format::local_time(wh, o.created_at_ms),
        tracking: o.tracking_number.clone().unwrap_or_default(),
    }
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let Some(client) = v.actor.client().cloned() else { return Err(Failure::forbidden(t)) };
    let status_text = q.status.unwrap_or_default();
    let status = OutboundStatus::ALL.iter().copied().find(|s| s.as_str() == status_text);
    let search = q.q.unwrap_or_default().trim().chars().take(100).collect::<String>();
    let page = q.page.unwrap_or(1).clamp(1, COUNTED / PAGE);
    let (orders, total) = if search.is_empty() {
        let f = OrderFilter {
            statuses: status.into_iter().collect(),
            offset: (page - 1) * PAGE,
            limit: PAGE,
            count_cap: COUNTED + 1,
            ..Default::default()
        };
        st.app.list_orders(&client, &f).await.or_page(t)?
    } else {
        // Any of its own references, else a tracking number.
        match st.app.order_for(&v.actor, &client, &search).await {
            Ok(o) => (vec![o], 1),
            Err(CoreError::NotFound { .. }) => {
                let f = OrderFilter { tracking_number: Some(search.clone()), limit: PAGE, ..Default::default() };
                st.app.list_orders(&client, &f).await.or_page(t)?
            }
            Err(e) => return Err(Failure::core(t, e)),
        }
    };
    let whs = crate::floor::by_id(&st, orders.iter().map(|o| o.warehouse_id.clone())).await;
    let rows = orders.iter().map(|o| row(t, o, &whs)).collect();
    let statuses = OutboundStatus::ALL.iter().map(|s| (s.as_str(), format::status(t, *s))).collect();
    let c = Chrome::new(&v, "/console/orders", "nav-orders", "/console/orders");
    let pages = ((total.min(COUNTED) + PAGE - 1) / PAGE).max(1);
    let more = total > COUNTED;
    let total = total.min(COUNTED);
    html(t, &ListPage { c, t, rows, total, more, status: status_text, q: search, page, pages, statuses })
}

/// One moment of an order's timeline.
pub(crate) struct Moment {
    at_ms: i64,
    when: String,
    what: String,
    detail: String,
    by: String,
    /// `scan`, `carrier` or `order`: how it is drawn.
    kind: &'static str,
}

pub(crate) struct LineRow {
    sku: String,
    name: String,
    qty: i64,
}

#[derive(Template)]
#[template(path = "order.html")]
struct DetailPage {
    c: Chrome,
    t: Tr,
    o: OrderView,
    warehouse: String,
    lines: Vec<LineRow>,
    timeline: Vec<Moment>,
    handling: String,
    delivery: String,
    /// The client's intercept request, if any (`REQUESTED`, `ACCEPTED`, `REFUSED`).
    intercept: String,
}

impl DetailPage {
    /// Whether the seller may still cancel (or ask to intercept) it.
    fn cancellable(&self) -> bool {
        self.o.status.client_can_cancel() || self.o.status.intercepts()
    }

    fn status(&self) -> String {
        format::status(self.t, self.o.status)
    }

    fn status_class(&self) -> &'static str {
        format::status_class(self.o.status)
    }
}

/// The name an audit action is shown under (its translation key), or the action itself.
fn action_label(t: Tr, action: &str) -> String {
    let key = format!("action-{}", action.replace(['.', '_'], "-"));
    let s = t.t(&key);
    if s == key {
        action.to_owned()
    } else {
        s
    }
}

pub(crate) async fn detail(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let Some(client) = v.actor.client().cloned() else { return Err(Failure::forbidden(t)) };
    if key.len() > 100 {
        return Err(Failure::not_found(t));
    }
    let OrderTimeline { order: o, entries } = st.app.order_timeline(&v.actor, &client, &key).await.or_page(t)?;
    let wh = st.app.cached_warehouse(&o.warehouse_id).await.ok();
    let skus = st.app.line_skus([&o]).await.or_page(t)?;
    let lines = o
        .lines
        .iter()
        .map(|(id, qty)| {
            let s = skus.iter().find(|s| &s.id == id);
            LineRow {
                sku: s.map(|s| s.seller_sku.clone()).unwrap_or_else(|| id.0.to_string()),
                name: s.map(|s| s.name_en.clone()).unwrap_or_default(),
                qty: *qty,
            }
        })
        .collect();
    let mut timeline: Vec<Moment> = entries
        .into_iter()
        .map(|e| {
            let (what, detail, kind) = match e.moment {
                TimelineMoment::Placed => {
                    (t.t("timeline-placed"), o.platform_order_id.clone().unwrap_or_default(), "order")
                }
                TimelineMoment::Scan { action, detail } => {
                    (action_label(t, &action), detail.unwrap_or_default(), "scan")
                }
                TimelineMoment::Manifested { carrier } => {
                    (t.t1("timeline-manifested", "carrier", carrier), String::new(), "scan")
                }
                TimelineMoment::HandedOver { carrier } => {
                    (t.t1("timeline-handed-over", "carrier", carrier), String::new(), "carrier")
                }
                TimelineMoment::Carrier { description, location, .. } => {
                    (description, location.unwrap_or_default(), "carrier")
                }
            };
            Moment { at_ms: e.at_ms, when: String::new(), what, detail, by: e.by, kind }
        })
        .collect();
    for m in &mut timeline {
        m.when = format::local_time(wh.as_ref(), m.at_ms);
    }
    let intercept = st.app.intercept_of(&v.actor, &client, &o.id.0).await.or_page(t)?.unwrap_or_default();
    let c = Chrome::new(&v, "/console/orders", "nav-order", &format!("/console/orders/{}", o.oc_number));
    html(
        t,
        &DetailPage {
            intercept,
            handling: format::money(o.handling_fee, &o.currency),
            delivery: format::money(o.delivery_fee, &o.currency),
            warehouse: wh.map(|w| w.code).unwrap_or_default(),
            c,
            t,
            o,
            lines,
            timeline,
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct CancelForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// The seller's cancel: before picking the order is cancelled; once picking started it becomes
/// an intercept request for the warehouse's staff.
pub(crate) async fn cancel(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Form(f): Form<CancelForm>,
) -> Result<Response, Failure> {
    let t = v.tr;
    v.check_csrf(&f.csrf)?;
    let Some(client) = v.actor.client().cloned() else { return Err(Failure::forbidden(t)) };
    let o = st.app.order_for(&v.actor, &client, &key).await.or_page(t)?;
    let reason = Some(f.reason.trim()).filter(|r| !r.is_empty());
    let (o, _) = st.app.cancel_or_intercept(&client, &o.id, reason).await.or_page(t)?;
    Ok(axum::response::Redirect::to(&format!("/console/orders/{}", o.oc_number)).into_response())
}
