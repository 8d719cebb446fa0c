//! A seller's stock: per SKU and warehouse, by bucket (available to sell, reserved by orders,
//! in transit, received and waiting for put-away, frozen, unfulfillable), and each SKU's
//! movements, the ledger entries that explain its numbers.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use entrepot_core::{ids::SkuId, inventory::Bucket};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const PAGE: i64 = 100;
/// Movements a SKU's page shows, newest first.
const MOVEMENTS: i64 = 200;

pub(crate) struct Row {
    sku_id: i64,
    sku: String,
    name: String,
    warehouse: String,
    /// In the order of [`Bucket::HELD`].
    qty: Vec<i64>,
}

#[derive(Template)]
#[template(path = "stock.html")]
struct StockPage {
    c: Chrome,
    t: Tr,
    buckets: Vec<String>,
    rows: Vec<Row>,
    total: i64,
}

fn bucket_name(t: Tr, b: Bucket) -> String {
    t.state("bucket", b.as_str())
}

#[derive(Deserialize, Default)]
pub(crate) struct StockQuery {
    page: Option<i64>,
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<StockQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (rows, total) = st.app.stock_page(&client, &[], &[], (page - 1) * PAGE, PAGE).await.or_page(t)?;
    let ids: Vec<SkuId> = rows.iter().map(|r| r.sku_id).collect();
    let skus = st.app.skus_by_ids(&client, &ids).await.or_page(t)?;
    let whs = crate::floor::by_id(&st, rows.iter().map(|r| r.warehouse_id.clone())).await;
    let rows = rows
        .iter()
        .map(|r| {
            let s = skus.iter().find(|s| s.id == r.sku_id);
            Row {
                sku_id: r.sku_id.0,
                sku: s.map(|s| s.seller_sku.clone()).unwrap_or_default(),
                name: s.map(|s| s.name_en.clone()).unwrap_or_default(),
                warehouse: whs.get(&r.warehouse_id).map(|w| w.code.clone()).unwrap_or_default(),
                qty: Bucket::HELD.iter().map(|b| r.position.get(*b)).collect(),
            }
        })
        .collect();
    let buckets = Bucket::HELD.iter().map(|b| bucket_name(t, *b)).collect();
    let c = Chrome::new(&v, "/console/stock", "nav-stock", "/console/stock");
    html(t, &StockPage { c, t, buckets, rows, total })
}

pub(crate) struct MovementRow {
    when: String,
    warehouse: String,
    reason: String,
    from: String,
    to: String,
    qty: i64,
    doc: String,
}

#[derive(Template)]
#[template(path = "stock_movements.html")]
struct MovementsPage {
    c: Chrome,
    t: Tr,
    sku: String,
    rows: Vec<MovementRow>,
}

pub(crate) async fn movements(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let skus = st.app.skus_by_ids(&client, &[SkuId(id)]).await.or_page(t)?;
    let sku = skus.first().ok_or_else(|| Failure::not_found(t))?;
    let moves = st.app.latest_movements(&client, sku.id, MOVEMENTS).await.or_page(t)?;
    let whs = crate::floor::by_id(&st, moves.iter().map(|m| m.warehouse_id.clone())).await;
    let rows: Vec<MovementRow> = moves
        .iter()
        .map(|m| {
            let wh = whs.get(&m.warehouse_id);
            MovementRow {
                when: crate::format::local_time(wh, m.created_at_ms),
                warehouse: wh.map(|w| w.code.clone()).unwrap_or_default(),
                reason: format!("{} · {}", m.reason.code(), t.state("reason", m.reason.code())),
                from: bucket_name(t, m.from),
                to: bucket_name(t, m.to),
                qty: m.qty,
                doc: match &m.for_client {
                    Some(c) => {
                        format!("{} {} · {}", m.doc_kind, m.doc_id, t.t1("stock-for-client", "client", c.0.clone()))
                    }
                    None => format!("{} {}", m.doc_kind, m.doc_id),
                },
            }
        })
        .collect();
    let here = format!("/console/stock/{id}");
    let c = Chrome::new(&v, "/console/stock", "nav-stock", &here);
    html(t, &MovementsPage { c, t, sku: sku.seller_sku.clone(), rows })
}
