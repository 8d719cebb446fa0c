//! Packing and shipping (issue 19 §3–4). A packer scans an order (its barcode on the pick list
//! or packing slip: id, OC number or Bird id), then every unit, then weighs the parcel and
//! measures its box; a parcel outside the weight tolerance waits for a supervisor. Packed
//! parcels are scanned onto their carrier's manifest of the day; closing it hands them over.
//! Everything is scoped to the staff of the order's warehouse.

use entrepot_core::{
    actor::Actor,
    ids::{OrderId, WarehouseId},
    limits,
    pack::{check_box, check_unit},
    CoreError, CoreResult,
};

use crate::{types::packing::*, App};

/// Most characters of a scanned code.
const MAX_CODE: usize = 100;

fn code(field: &str, v: &str) -> CoreResult<String> {
    let t = v.trim();
    if t.is_empty() || t.chars().count() > MAX_CODE {
        return Err(CoreError::invalid(field, format!("expected a scan of 1 to {MAX_CODE} characters")));
    }
    Ok(t.to_owned())
}

impl App {
    /// The order a packer scanned in `warehouse` (staff of it).
    async fn packed_order(&self, actor: &Actor, warehouse: &WarehouseId, key: &str) -> CoreResult<OrderId> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        Ok(self.storage.order_at(warehouse, &code("order", key)?).await?.0)
    }

    /// An order at the packing bench: its units and how many are scanned.
    pub async fn pack_view(&self, actor: &Actor, warehouse: &WarehouseId, order: &str) -> CoreResult<PackView> {
        let id = self.packed_order(actor, warehouse, order).await?;
        self.storage.pack_view(&id).await
    }

    /// Scans `qty` units of the SKU whose label was scanned (`sku`: MFSKUID or seller SKU) into
    /// the order's parcel.
    pub async fn pack_unit(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        order: &str,
        sku: &str,
        qty: i64,
        scan_id: Option<&str>,
    ) -> CoreResult<PackView> {
        let id = self.packed_order(actor, warehouse, order).await?;
        let view = self.storage.pack_view(&id).await?;
        let label = code("sku", sku)?;
        let found = view
            .lines
            .iter()
            .find(|l| l.mfskuid.eq_ignore_ascii_case(&label) || l.seller_sku.eq_ignore_ascii_case(&label))
            .map(|l| l.sku_id);
        let lines: Vec<_> = view.lines.iter().map(|l| (l.sku_id, l.qty)).collect();
        let scanned = view.lines.iter().map(|l| (l.sku_id, l.scanned)).collect();
        let scan_id = scan_id.map(|s| code("scan_id", s)).transpose()?;
        if scan_id.is_none() {
            check_unit(&lines, &scanned, found, qty, &label)?;
        }
        let Some(sku) = found else {
            return Err(CoreError::invalid("sku", format!("{label} is not in this order: put it aside")));
        };
        self.storage.pack_unit(actor, &PackUnit { order: id, sku, qty, scan_id }).await
    }

    /// Closes the parcel: its gross weight and box. Outside the weight tolerance it is held; a
    /// supervisor closes it with `release_hold`.
    #[allow(clippy::too_many_arguments)]
    pub async fn close_pack(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        order: &str,
        weight_g: i64,
        (length_mm, width_mm, height_mm): (i64, i64, i64),
        release_hold: bool,
    ) -> CoreResult<PackView> {
        let id = self.packed_order(actor, warehouse, order).await?;
        if release_hold {
            actor.require_supervisor()?;
        }
        limits::within("weight_g", weight_g, 1, limits::MAX_WEIGHT_G)?;
        check_box(length_mm, width_mm, height_mm)?;
        let c = PackClose { order: id, weight_g, length_mm, width_mm, height_mm, release_hold };
        self.storage.close_pack(actor, &c).await
    }

    /// Scans a packed parcel onto its carrier's manifest of the day at `warehouse`.
    pub async fn manifest_parcel(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        order: &str,
    ) -> CoreResult<ManifestView> {
        let id = self.packed_order(actor, warehouse, order).await?;
        self.storage.manifest_parcel(actor, warehouse, &id).await
    }

    /// Closes a manifest (staff of its warehouse): its parcels are handed over.
    pub async fn close_manifest(&self, actor: &Actor, id: &str) -> CoreResult<ManifestView> {
        let m = self.manifest(actor, id).await?;
        self.storage.close_manifest(actor, &m.id).await
    }

    /// One manifest (staff of its warehouse).
    pub async fn manifest(&self, actor: &Actor, id: &str) -> CoreResult<ManifestView> {
        actor.require_staff()?;
        let m = self.storage.manifest(&code("manifest", id)?).await?;
        actor.require_warehouse(&m.warehouse_id)?;
        Ok(m)
    }

    /// A warehouse's manifests, newest first (staff of it).
    pub async fn manifests(&self, actor: &Actor, warehouse: &WarehouseId, limit: i64) -> CoreResult<Vec<ManifestView>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        self.storage.manifests(warehouse, limit.clamp(1, 200)).await
    }
}
