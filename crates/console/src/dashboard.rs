//! The seller's dashboard: today's orders by state against each warehouse's cut-off, stock,
//! exceptions needing action, balance, and pictures drawn here as SVG: orders due per day over
//! the last fortnight, on-time % and units on hand per day over the last 30 ([`crate::trend_charts`]).

use askama::Template;
use axum::{extract::State, response::Response};
use entrepot_app::types::dashboard::{DayOrders, SellerDashboard, WarehouseDay};
use entrepot_core::{balance::MoneyBucket, outbound::OutboundStatus};

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    trend_charts,
    viewer::Viewer,
};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    t: Tr,
    warehouses: Vec<WhView>,
    exceptions: i64,
    balances: Vec<(String, String, String)>,
    chart: Chart,
    on_time: trend_charts::OnTimeChart,
    stock: trend_charts::StockChart,
}

/// A warehouse's card.
struct WhView {
    code: String,
    name: String,
    day: String,
    cutoff: String,
    left: String,
    fulfilled: String,
    due: i64,
    /// (label, class, state key, orders).
    states: Vec<(String, &'static str, &'static str, i64)>,
    available: i64,
    reserved: i64,
    in_transit: i64,
    unfulfillable: i64,
}

fn wh_view(t: Tr, w: &WarehouseDay) -> WhView {
    WhView {
        code: w.warehouse.code.clone(),
        name: w.warehouse.name.clone(),
        day: w.day.clone(),
        cutoff: w.cutoff.clone(),
        left: if w.minutes_left > 0 {
            t.t2("cutoff-in", ("hours", w.minutes_left / 60), ("minutes", w.minutes_left % 60))
        } else {
            t.t("cutoff-passed")
        },
        fulfilled: w.fulfilled_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "–".into()),
        due: w.due(),
        states: w
            .due_today
            .iter()
            .filter(|(s, _)| *s != OutboundStatus::Draft)
            .map(|(s, n)| (format::status(t, *s), format::status_class(*s), s.as_str(), *n))
            .collect(),
        available: w.available,
        reserved: w.reserved,
        in_transit: w.in_transit,
        unfulfillable: w.unfulfillable,
    }
}

/// Bars of orders due per day, the shipped part of each drawn over it.
pub(crate) struct Chart {
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
}

pub(crate) struct Bar {
    pub x: i64,
    pub w: i64,
    pub y: i64,
    pub h: i64,
    pub shipped_y: i64,
    pub shipped_h: i64,
    pub label: String,
    pub title: String,
}

const CHART_H: i64 = 120;
const BAR_W: i64 = 24;
const GAP: i64 = 8;

fn chart(t: Tr, days: &[DayOrders]) -> Chart {
    let max = days.iter().map(|d| d.orders).max().unwrap_or(0).max(1);
    let scale = |n: i64| n.saturating_mul(CHART_H - 20) / max;
    let bars = days
        .iter()
        .zip(0i64..)
        .map(|(d, i)| {
            let h = scale(d.orders);
            let sh = scale(d.shipped.min(d.orders));
            Bar {
                x: i * (BAR_W + GAP),
                w: BAR_W,
                y: CHART_H - 14 - h,
                h,
                shipped_y: CHART_H - 14 - sh,
                shipped_h: sh,
                label: d.day.get(8..).unwrap_or_default().to_owned(),
                title: t.t2("chart-bar", ("orders", d.orders), ("shipped", d.shipped)) + " · " + &d.day,
            }
        })
        .collect();
    Chart { width: (days.len() as i64).saturating_mul(BAR_W + GAP), height: CHART_H, bars }
}

pub(crate) async fn page(State(st): State<ConsoleState>, v: Viewer) -> Result<Response, Failure> {
    if !v.is_seller() {
        return Err(Failure::forbidden(v.tr));
    }
    let t = v.tr;
    let d: SellerDashboard = st.app.seller_dashboard(&v.actor).await.or_page(t)?;
    let page = DashboardPage {
        c: Chrome::new(&v, "/console/dashboard", "nav-dashboard", "/console/dashboard"),
        t,
        warehouses: d.warehouses.iter().map(|w| wh_view(t, w)).collect(),
        exceptions: d.exceptions,
        balances: d
            .balances
            .iter()
            .map(|(cur, a)| {
                (
                    cur.clone(),
                    format::money(a.get(MoneyBucket::Available), cur),
                    format::money(a.get(MoneyBucket::Held), cur),
                )
            })
            .collect(),
        chart: chart(t, &d.per_day),
        on_time: trend_charts::on_time(t, &d.on_time),
        stock: trend_charts::stock(t, &d.stock_trend),
    };
    html(t, &page)
}
