//! The cut-off board, live: per carrier, today's orders by stage against the cut-off and the
//! misses projected at the measured pick rate. The table refreshes itself every few seconds
//! (htmx asks for the fragment alone), without a reload.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
};
use entrepot_app::types::waves::CutoffBoard;
use entrepot_core::company::Warehouse;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

#[derive(Template)]
#[template(path = "board_table.html")]
struct BoardTable {
    t: Tr,
    code: String,
    b: CutoffBoard,
}

impl BoardTable {
    fn left(&self) -> String {
        let m = self.b.minutes_left;
        if m > 0 {
            self.t.t2("cutoff-in", ("hours", m / 60), ("minutes", m % 60))
        } else {
            self.t.t("cutoff-passed")
        }
    }
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    c: Chrome,
    t: Tr,
    warehouses: Vec<Warehouse>,
    table: BoardTable,
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (warehouses, chosen) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let b = st.app.cutoff_board(&v.actor, &chosen.id).await.or_page(t)?;
    let table = BoardTable { t, code: chosen.code.clone(), b };
    if headers.contains_key("hx-request") {
        return html(t, &table);
    }
    let here = format!("/console/board?warehouse={}", chosen.code);
    let c = Chrome::new(&v, "/console/board", "nav-board", &here);
    html(t, &BoardPage { c, t, warehouses, table })
}
