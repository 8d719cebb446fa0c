//! A seller's balance: what is available and held per currency, and the month's statement
//! (every top-up, hold, release, charge and refund, with the order or top-up it was for).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use entrepot_app::statement;
use entrepot_core::balance::MoneyBucket;
use serde::Deserialize;

use crate::{
    download,
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
    page: i64,
    pages: i64,
    movements: i64,
}

impl BalancePage {
    fn page_of(&self) -> String {
        self.t.t2("page-of", ("page", self.page), ("pages", self.pages))
    }

    fn link(&self, page: i64) -> String {
        format!("/console/balance?month={}&page={page}", self.month)
    }

    /// More movements than one export holds.
    fn export_cut(&self) -> bool {
        self.movements > entrepot_app::statement::MAX_EXPORT_ENTRIES
    }

    /// More movements than the pages can show.
    fn cut(&self) -> bool {
        self.movements > self.pages * entrepot_app::types::money::STATEMENT_PAGE
    }
}

#[derive(Deserialize)]
pub(crate) struct ExportQuery {
    month: Option<String>,
    /// `csv` or `xlsx`.
    format: String,
}

/// The month's statement as a CSV or XLSX file, every movement oldest first.
pub(crate) async fn export(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let month = month_of(q.month.as_deref());
    let (entries, _cut) = st.app.statement_entries(&v.actor, &month).await.or_page(t)?;
    let name = format!("statement-{month}.{}", q.format);
    let out = match q.format.as_str() {
        "csv" => (statement::export::csv(&entries), download::CSV),
        "xlsx" => (statement::export::xlsx(&month, &entries), download::XLSX),
        _ => return Err(Failure::not_found(t)),
    };
    Ok(download::attachment(out.0.or_page(t)?, out.1, &name))
}

#[derive(Deserialize, Default)]
pub(crate) struct BalanceQuery {
    month: Option<String>,
    page: Option<i64>,
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
    let s = st.app.statement(&v.actor, &month, q.page.unwrap_or(1)).await.or_page(t)?;
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
    let (page, pages, movements) = (s.page, s.pages, s.movements);
    html(t, &BalancePage { c, t, month, balances, totals, lines, page, pages, movements })
}
