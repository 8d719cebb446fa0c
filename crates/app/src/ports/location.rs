//! Bins: a warehouse's locations, the units in each, putaway and bin-to-bin moves. Every write
//! records its audit entry in its own transaction.

use async_trait::async_trait;
use entrepot_core::{
    actor::Actor,
    ids::{SkuId, WarehouseId},
    location::Location,
    CoreResult,
};

use crate::types::locations::*;

#[async_trait]
pub trait LocationPort: Send + Sync {
    /// Creates `new` (codes normalised, zones set) in `warehouse`, all or nothing: a code
    /// already there is refused naming it. A location without a pick sequence is numbered after
    /// the warehouse's last bin, in the order given.
    async fn create_locations(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        new: Vec<NewLocation>,
    ) -> CoreResult<Vec<Location>>;
    /// Locations in code order after the cursor, at most `f.limit`.
    async fn list_locations(&self, f: &LocationFilter) -> CoreResult<Vec<Location>>;
    /// One location by its (normalised) code.
    async fn location_by_code(&self, warehouse: &WarehouseId, code: &str) -> CoreResult<Location>;
    /// Disables (or enables again) a location: disabled ones take no new units.
    async fn set_location_disabled(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        code: &str,
        disabled: bool,
    ) -> CoreResult<Location>;
    /// Units per location and SKU (non-zero only), in location code then SKU order, after
    /// `f.after`, at most `f.limit`.
    async fn location_stock(&self, f: &LocationStockFilter) -> CoreResult<Vec<LocationStock>>;
    /// Units received in `warehouse` and not yet put away, after `after`, at most `limit` rows:
    /// per open inbound line, then received with no inbound. Each page costs reads in
    /// proportion to its size, not to the warehouse's; `next` says where the next one starts.
    async fn putaway_pending(
        &self,
        warehouse: &WarehouseId,
        after: Option<&PutawayAfter>,
        limit: i64,
    ) -> CoreResult<PutawayPendingPage>;
    /// What the putaway suggestion for `skus` needs: where they are (with all those locations
    /// hold), and with `empty_bins` the first empty bins taking putaway, in the warehouse and in
    /// the SKUs' zones.
    async fn putaway_context(
        &self,
        warehouse: &WarehouseId,
        skus: &[SkuId],
        empty_bins: bool,
    ) -> CoreResult<PutawayContext>;
    /// Puts `scan.qty` received units away into `bin` in one transaction: out of the dock (or
    /// wherever they wait) into the bin, received → available, the inbound's line counted when
    /// `scan.inbound` is given; refused past the bin's capacity.
    async fn put_away_to_bin(&self, actor: &Actor, scan: &PutawayScan, bin: &Location) -> CoreResult<()>;
    /// Moves units between two bins of one warehouse; refused past `to`'s capacity.
    async fn move_between_bins(&self, actor: &Actor, m: &BinMove, from: &Location, to: &Location) -> CoreResult<()>;
}
