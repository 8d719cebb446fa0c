//! Putaway: received units wait at the dock until staff put them into a bin. Each waiting lot
//! is a task with a suggested bin (`entrepot_core::location::putaway::suggest`); scanning that
//! bin confirms it, another bin needs `confirm_other_bin`. The move (dock → bin, received →
//! available, the inbound line counted) is one transaction in the store.

use std::collections::HashMap;

use entrepot_core::{
    actor::Actor,
    ids::{SkuId, WarehouseId},
    limits,
    location::{
        code::normalize,
        putaway::{own_pick_face, suggest, Candidate},
        Location, DOCK,
    },
    CoreError, CoreResult,
};

use crate::{types::locations::*, App};

/// Most putaway tasks one page returns.
pub const MAX_PUTAWAY_TASKS: i64 = 500;

/// The suggested bin for `qty` units of `sku`, from what the warehouse holds.
fn suggestion(ctx: &PutawayContext, sku: SkuId, qty: i64) -> Option<&Location> {
    suggest(&candidates(ctx, sku), qty)
}

/// Every location of `ctx` as a candidate for `sku`.
fn candidates(ctx: &PutawayContext, sku: SkuId) -> Vec<Candidate<'_>> {
    let held: HashMap<&str, i64> =
        ctx.holdings.iter().filter(|(_, s, _)| *s == sku).map(|(l, _, q)| (l.as_str(), *q)).collect();
    ctx.locations
        .iter()
        .map(|(l, units)| Candidate {
            location: l,
            units: *units,
            sku_units: held.get(l.id.as_str()).copied().unwrap_or(0),
        })
        .collect()
}

impl App {
    /// What suggesting bins for `wants` (SKU, units) needs: the locations holding those SKUs,
    /// and the first empty bins only when some SKU has no pick face of its own with room. In a
    /// warehouse whose bins are mostly full, finding empty ones walks the full ones; a SKU
    /// topping up its pick face (the common putaway) does not pay for that.
    async fn putaway_context(&self, warehouse: &WarehouseId, wants: &[(SkuId, i64)]) -> CoreResult<PutawayContext> {
        let mut skus: Vec<SkuId> = wants.iter().map(|(s, _)| *s).collect();
        skus.sort_unstable();
        skus.dedup();
        let ctx = self.storage.putaway_context(warehouse, &skus, false).await?;
        if wants.iter().all(|(sku, qty)| own_pick_face(&candidates(&ctx, *sku), *qty).is_some()) {
            return Ok(ctx);
        }
        self.storage.putaway_context(warehouse, &skus, true).await
    }
}

impl App {
    /// What waits to be put away in `warehouse` (per inbound line, or received without one),
    /// each with the bin it should go to: at most `limit` tasks after `after` (bounded by
    /// [`MAX_PUTAWAY_TASKS`]), the suggestions read for the page's SKUs only.
    pub async fn putaway_tasks(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        after: Option<&PutawayAfter>,
        limit: i64,
    ) -> CoreResult<PutawayTaskPage> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let page = self.storage.putaway_pending(warehouse, after, limit.clamp(1, MAX_PUTAWAY_TASKS)).await?;
        let wants: Vec<(SkuId, i64)> = page.items.iter().map(|p| (p.sku_id, p.qty)).collect();
        let ctx = self.putaway_context(warehouse, &wants).await?;
        let items = page
            .items
            .into_iter()
            .map(|p| PutawayTask {
                suggested_bin: suggestion(&ctx, p.sku_id, p.qty).map(|l| l.code.clone()),
                client_id: p.client_id,
                sku_id: p.sku_id,
                warehouse_id: p.warehouse_id,
                inbound: p.inbound,
                qty: p.qty,
                from: DOCK.to_owned(),
            })
            .collect();
        Ok(PutawayTaskPage { items, next: page.next })
    }

    /// The bin `qty` units of `sku` should be put away into, if any fits.
    pub async fn suggest_bin(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        sku: SkuId,
        qty: i64,
    ) -> CoreResult<Option<Location>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let ctx = self.putaway_context(warehouse, &[(sku, qty)]).await?;
        Ok(suggestion(&ctx, sku, qty).cloned())
    }

    /// Confirms a putaway by the scanned bin: the suggested one, or another with
    /// `confirm_other_bin` (otherwise refused, naming the suggested bin).
    pub async fn confirm_putaway(&self, actor: &Actor, scan: PutawayScan) -> CoreResult<PutawayDone> {
        actor.require_staff()?;
        actor.require_warehouse(&scan.warehouse)?;
        actor.require_client(&scan.client)?;
        limits::quantity("qty", scan.qty)?;
        let code = normalize(&scan.bin)?;
        let bin = self.storage.location_by_code(&scan.warehouse, &code).await?;
        if !bin.kind.takes_putaway() || bin.is_default() {
            return Err(CoreError::Conflict(format!(
                "{} is a {} location; sellable units are put away into a pick face or a reserve bin",
                bin.code, bin.kind
            )));
        }
        let ctx = self.putaway_context(&scan.warehouse, &[(scan.sku, scan.qty)]).await?;
        let suggested = suggestion(&ctx, scan.sku, scan.qty).map(|l| l.code.clone());
        if let Some(s) = &suggested {
            if *s != bin.code && !scan.confirm_other_bin {
                return Err(CoreError::Conflict(format!(
                    "the suggested bin is {s}, not {}: scan {s}, or confirm putting away into {} (confirm_other_bin)",
                    bin.code, bin.code
                )));
            }
        }
        let scan = PutawayScan { bin: code, ..scan };
        self.storage.put_away_to_bin(actor, &scan, &bin).await?;
        Ok(PutawayDone { bin: bin.code, suggested_bin: suggested, qty: scan.qty })
    }
}
