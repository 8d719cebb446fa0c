//! GetStockMovement, StockSnapshot v2 and GetStockAge (spec §5.3, §5.4): the stock ledger and its balances in
//! OC's shapes.
//!
//! Choices where OC's material is silent:
//! - Each ledger transfer moves units from one bucket to another; it is shown as a negative entry
//!   in the source bucket's `movementList` and a positive one in the destination's (the outside
//!   world has no list). The two entries' `moventmentID`s are the transfer id suffixed with the
//!   bucket code, so ids stay unique per entry. Buckets are named by [`types::inventory_status`]
//!   (`AVL`, `INTRAN`, `RCVD`, `RSVALOC`, and `RSVHOLD`, `SUSPEND`, `UNFULFILLABLE` for the ones OC's
//!   material does not show). `orderNumber` is the inbound or outbound number, empty for an
//!   operator's adjustment.
//! - The movement window is `[startTime, endTime)`, so consecutive 7-day slices neither miss nor
//!   repeat a movement; `startTime` is required, `endTime` defaults to now. An empty `mfSkuList`
//!   means every SKU of the client that moved in the window; a requested SKU that did not move is
//!   answered with an empty `serviceRegionList`.
//! - Snapshot rows are one per (SKU, region) that ever held stock, zero rows included, so an ERP
//!   syncing stock sees a SKU drop to 0. An empty `skuList` means all the client's SKUs; a region
//!   Entrepot does not serve matches nothing (as OC answers a plain `US`). `reservedHold` is the
//!   held bucket; Entrepot has no separate VAS reservation, so `reservedVAS` is 0. `pageSize`
//!   defaults to 200 and may be up to [`MAX_PAGE`].
//! - Unknown MFSKUIDs (another client's included) are refused in OC's "doesnt exists" shape, one
//!   error per MFSKUID.
//! - GetStockAge (`v1/snapshotAge`): OC's page is cut after `data:{pageNumber, pageSize, s…}`, so
//!   the request is read as the snapshot's (same paging, `skuList`, `serviceRegionList`, same
//!   rows: one per SKU and warehouse that ever held stock) and the answer is shaped like it, the
//!   bucket counts replaced by the units on hand per age band (see [`types::StockAgeRowOut`];
//!   bands and FIFO in `entrepot_core::stock_age`).

pub mod transformers;
pub mod types;

use std::collections::HashMap;

use axum::{extract::State, response::Response, routing::post, Router};
use entrepot_app::SkuFilter;
use entrepot_core::{
    company::Warehouse,
    ids::{SkuId, WarehouseId},
    sku::Sku,
    CoreError,
};

use crate::{envelope::OcError, query_window, request::OcCall, sku::unknown_mfskuids, OcState};
use transformers::{mfskuids, sku_movements};
use types::{
    MovementQuery, RegionIn, SkuMovements, SnapshotPage, SnapshotQuery, StockAgePage, StockAgeRowOut, StockRowOut,
};

/// Rows per snapshot page at most.
pub const MAX_PAGE: i64 = 1000;
const DEFAULT_PAGE: i64 = 200;

pub fn routes() -> Router<OcState> {
    Router::new()
        .route("/openapi/3pp/inventory/v1/movement", post(movement))
        .route("/openapi/3pp/inventory/v2/snapshot", post(snapshot))
        .route("/openapi/3pp/inventory/v1/snapshotAge", post(stock_age))
}

async fn movement(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_movement(&st, &call).await)
}

async fn snapshot(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_snapshot(&st, &call).await)
}

async fn stock_age(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_stock_age(&st, &call).await)
}

/// The client's SKUs with these MFSKUIDs, in the order asked; an unknown one is refused.
async fn resolve(st: &OcState, call: &OcCall, asked: &[String]) -> Result<Vec<Sku>, OcError> {
    let f = SkuFilter { mfskuids: asked.to_vec(), ..SkuFilter::default() };
    let (skus, _) = st.app.list_skus(&call.client, &f).await?;
    unknown_mfskuids(asked, &skus)?;
    Ok(asked.iter().filter_map(|m| skus.iter().find(|s| s.mfskuid == *m).cloned()).collect())
}

/// OC's region of each warehouse (its code when it has none).
async fn regions(st: &OcState) -> Result<HashMap<WarehouseId, String>, OcError> {
    let all: Vec<Warehouse> = st.app.warehouses().await?;
    Ok(all.into_iter().map(|w| (w.id.clone(), w.oc_region.clone().unwrap_or(w.code))).collect())
}

async fn run_movement(st: &OcState, call: &OcCall) -> Result<Vec<SkuMovements>, OcError> {
    let q: MovementQuery = crate::fields::decode(&call.data, "data")?;
    let now = crate::time::now_ms();
    let window = query_window::up_to_now(&q.start_time, &q.end_time, now)?;
    let (start, end) = (window.from_ms, window.to_ms);
    let asked = mfskuids(q.mf_sku_list.or(&q.sku_list), "mfSkuList")?;
    let (skus, moves) = if asked.is_empty() {
        let moves = st.app.movements(&call.client, &[], start, end).await?;
        let mut ids: Vec<SkuId> = moves.iter().map(|m| m.sku_id).collect();
        ids.sort();
        ids.dedup();
        (st.app.skus_by_ids(&call.client, &ids).await?, moves)
    } else {
        let skus = resolve(st, call, &asked).await?;
        let ids: Vec<SkuId> = skus.iter().map(|s| s.id).collect();
        let moves = st.app.movements(&call.client, &ids, start, end).await?;
        (skus, moves)
    };
    let regions = regions(st).await?;
    Ok(skus.iter().map(|s| sku_movements(s, &moves, &regions)).collect())
}

/// A snapshot-shaped request read: the page, and the client's (SKU, warehouse) rows it covers.
struct PageAsk {
    page: i64,
    size: i64,
    skus: Vec<SkuId>,
    warehouses: Vec<WarehouseId>,
    /// A region was asked that Entrepot does not serve: nothing matches.
    none: bool,
    regions: HashMap<WarehouseId, String>,
}

impl PageAsk {
    async fn read(st: &OcState, call: &OcCall) -> Result<Self, OcError> {
        let q: SnapshotQuery = crate::fields::decode(&call.data, "data")?;
        let page = q.page_number.or(&q.page).or(&q.page_no).int("pageNumber")?.unwrap_or(1);
        if page < 1 {
            return Err(CoreError::invalid("pageNumber", format!("must be 1 or more, not {page}")).into());
        }
        let size = q.page_size.or(&q.limit).int("pageSize")?.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&size) {
            return Err(CoreError::invalid("pageSize", format!("must be between 1 and {MAX_PAGE}, not {size}")).into());
        }
        let wanted_regions = q.service_region_list.texts("serviceRegionList", |r: &RegionIn| &r.service_region)?;
        let asked = mfskuids(q.sku_list.or(&q.mf_sku_list), "skuList")?;
        let skus: Vec<SkuId> =
            if asked.is_empty() { vec![] } else { resolve(st, call, &asked).await?.iter().map(|s| s.id).collect() };
        let regions = regions(st).await?;
        let warehouses: Vec<WarehouseId> = regions
            .iter()
            .filter(|(_, r)| wanted_regions.iter().any(|w| w.eq_ignore_ascii_case(r)))
            .map(|(w, _)| w.clone())
            .collect();
        let none = !wanted_regions.is_empty() && warehouses.is_empty();
        Ok(Self { page, size, skus, warehouses, none, regions })
    }

    fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.size)
    }

    fn region_of(&self, w: &WarehouseId) -> String {
        self.regions.get(w).cloned().unwrap_or_else(|| w.0.clone())
    }
}

/// The client's SKUs of these page rows.
async fn page_skus(st: &OcState, call: &OcCall, mut ids: Vec<SkuId>) -> Result<Vec<Sku>, OcError> {
    ids.dedup();
    Ok(st.app.skus_by_ids(&call.client, &ids).await?)
}

async fn run_snapshot(st: &OcState, call: &OcCall) -> Result<SnapshotPage, OcError> {
    let a = PageAsk::read(st, call).await?;
    if a.none {
        return Ok(SnapshotPage { sku_list: vec![], total: 0, page_number: a.page, page_size: a.size });
    }
    let (rows, total) = st.app.stock_page(&call.client, &a.skus, &a.warehouses, a.offset(), a.size).await?;
    let skus = page_skus(st, call, rows.iter().map(|r| r.sku_id).collect()).await?;
    let list = rows
        .iter()
        .filter_map(|r| {
            let s = skus.iter().find(|s| s.id == r.sku_id)?;
            Some(StockRowOut::new(s, a.region_of(&r.warehouse_id), &r.position))
        })
        .collect();
    Ok(SnapshotPage { sku_list: list, total, page_number: a.page, page_size: a.size })
}

async fn run_stock_age(st: &OcState, call: &OcCall) -> Result<StockAgePage, OcError> {
    let a = PageAsk::read(st, call).await?;
    if a.none {
        return Ok(StockAgePage { sku_list: vec![], total: 0, page_number: a.page, page_size: a.size });
    }
    let now = crate::time::now_ms();
    let (rows, total) = st.app.stock_age_page(&call.client, &a.skus, &a.warehouses, a.offset(), a.size, now).await?;
    let skus = page_skus(st, call, rows.iter().map(|r| r.sku_id).collect()).await?;
    let list = rows
        .iter()
        .filter_map(|r| {
            let s = skus.iter().find(|s| s.id == r.sku_id)?;
            Some(StockAgeRowOut::new(s, a.region_of(&r.warehouse_id), &r.bands))
        })
        .collect();
    Ok(StockAgePage { sku_list: list, total, page_number: a.page, page_size: a.size })
}
