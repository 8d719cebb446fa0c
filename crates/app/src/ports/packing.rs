//! Packing and manifests: units scanned into parcels, a parcel closed (weighed, measured,
//! re-rated), parcels scanned onto their carrier's manifest of the day, and the manifest closed
//! (handed over: shipped, stock consumed, fees charged), each in one transaction.

use async_trait::async_trait;
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId, WarehouseId},
    CoreResult,
};

use crate::types::packing::*;

#[async_trait]
pub trait PackPort: Send + Sync {
    /// The order a packer's scan names in a warehouse (its id, OC number or Bird id), of any
    /// client: its id and client.
    async fn order_at(&self, warehouse: &WarehouseId, key: &str) -> CoreResult<(OrderId, ClientId)>;
    /// An order at the packing bench.
    async fn pack_view(&self, order: &OrderId) -> CoreResult<PackView>;
    /// Scans units into the parcel: refused for a SKU the order lacks, one too many, or an
    /// order still being picked. A replayed scan id changes nothing.
    async fn pack_unit(&self, actor: &Actor, u: &PackUnit) -> CoreResult<PackView>;
    /// Closes the parcel once every unit is in: outside the weight tolerance it is held (unless
    /// a supervisor releases it); else it is re-rated on its weight and box and becomes PACKED.
    async fn close_pack(&self, actor: &Actor, c: &PackClose) -> CoreResult<PackView>;
    /// Scans a packed parcel onto its carrier's open manifest of the day (opened if none).
    async fn manifest_parcel(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        order: &OrderId,
    ) -> CoreResult<ManifestView>;
    /// Closes a manifest: every parcel handed over (SHIPPED), its stock consumed from PACK, its
    /// fee charged (the re-rated one, the hold settled), its events recorded; all or nothing.
    async fn close_manifest(&self, actor: &Actor, id: &str) -> CoreResult<ManifestView>;
    async fn manifest(&self, id: &str) -> CoreResult<ManifestView>;
    /// A warehouse's manifests, newest first.
    async fn manifests(&self, warehouse: &WarehouseId, limit: i64) -> CoreResult<Vec<ManifestView>>;
    /// The manifest an order is on, if any.
    async fn order_manifest(&self, order: &OrderId) -> CoreResult<Option<OrderManifest>>;
}
