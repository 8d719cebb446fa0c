//! A seller's balance: what is available and held per currency, and the month's statement
//! (every top-up, hold, release, charge and refund, with the order or top-up it was for).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use entrepot_core::balance::MoneyBucket;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct Line {
    when: String,
    reason: String,
    amount: String,
    movement: String,
    doc: String,
}

#[derive(Template)]
#[template(path = "balance.html")]
struct BalancePage {
    c: Chrome,
    t: Tr,
    month: String,
    balances: Vec<(String, String, String)>,
    totals: Vec<(String, String, String, String)>,
    lines: Vec<Line>,
    truncated: bool,
}

#[derive(Deserialize, Default)]
pub(crate) struct BalanceQuery {
    month: Option<String>,
}

/// The month asked for, else the current one (UTC).
pub(crate) fn month_of(q: Option<&str>) -> String {
    q.map(str::trim)
        .filter(|m| m.len() == 7)
        .map(str::to_owned)
        .unwrap_or_else(|| jiff::Timestamp::now().strftime("%Y-%m").to_string())
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<BalanceQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let month = month_of(q.month.as_deref());
    let s = st.app.statement(&v.actor, &month).await.or_page(t)?;
    let balances = st
        .app
        .balances(&client)
        .await
        .or_page(t)?
        .iter()
        .map(|(cur, a)| {
            (
                cur.clone(),
                format::money(a.get(MoneyBucket::Available), cur),
                format::money(a.get(MoneyBucket::Held), cur),
            )
        })
        .collect();
    let totals = s
        .totals
        .iter()
        .map(|x| {
            (
                x.currency.clone(),
                format::money(x.topped_up, &x.currency),
                format::money(x.charged, &x.currency),
                format::money(x.refunded, &x.currency),
            )
        })
        .collect();
    let lines = s
        .entries
        .iter()
        .rev()
        .map(|e| Line {
            when: format::local_time(None, e.at_ms),
            reason: t.state("money", e.reason.as_str()),
            amount: format::money(e.amount, &e.currency),
            movement: format!(
                "{} → {}",
                t.state("money-bucket", e.from.as_str()),
                t.state("money-bucket", e.to.as_str())
            ),
            doc: format!("{} {}", e.doc_kind, e.doc_id),
        })
        .collect();
    let here = format!("/console/balance?month={month}");
    let c = Chrome::new(&v, "/console/balance", "nav-balance", &here);
    html(t, &BalancePage { c, t, month, balances, totals, lines, truncated: s.truncated })
}
