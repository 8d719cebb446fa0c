//! The warehouse floor: goods received and put away (against an inbound or unannounced), stock
//! corrected and frozen, and the inbound steps staff perform.

use entrepot_core::{
    ids::*,
    inventory::{Bucket, Reason, Transfer},
    CoreResult,
};

use crate::{types::inbound::InboundView, App};

impl App {
    /// Goods received at the dock: against the inbound `inbound` (id, number or reference),
    /// which counts them, or unannounced, straight into the received bucket of `warehouse`.
    pub async fn receive_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        qty: i64,
        inbound: Option<&str>,
    ) -> CoreResult<()> {
        match inbound {
            Some(key) => self.storage.receive_inbound(tenant, key, sku, qty).await.map(drop),
            None => {
                let t = Transfer::new(Bucket::Outside, Bucket::Received, qty, Reason::Received)?;
                self.storage.move_stock(tenant, sku, warehouse, t, Some("unannounced receipt")).await
            }
        }
    }

    /// Received goods put away, so they become available: against `inbound`, or those received
    /// unannounced at `warehouse`.
    pub async fn put_away_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        qty: i64,
        inbound: Option<&str>,
    ) -> CoreResult<()> {
        match inbound {
            Some(key) => self.storage.put_away_inbound(tenant, key, sku, qty).await.map(drop),
            None => {
                let t = Transfer::new(Bucket::Received, Bucket::Available, qty, Reason::PutAway)?;
                self.storage.move_stock(tenant, sku, warehouse, t, None).await
            }
        }
    }

    /// Corrects one bucket by a signed delta (a stock count, damage, found goods).
    pub async fn adjust_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        bucket: Bucket,
        delta: i64,
        note: Option<&str>,
    ) -> CoreResult<()> {
        self.storage.move_stock(tenant, sku, warehouse, Transfer::adjustment(bucket, delta)?, note).await
    }

    /// Freezes `delta` available units (unfreezes them when negative).
    pub async fn freeze_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        delta: i64,
    ) -> CoreResult<()> {
        self.storage.move_stock(tenant, sku, warehouse, Transfer::freeze(delta)?, None).await
    }

    /// Receives goods against an inbound order (`key`: id, number or reference).
    pub async fn receive_inbound(&self, tenant: &ClientId, key: &str, sku: SkuId, qty: i64) -> CoreResult<InboundView> {
        self.storage.receive_inbound(tenant, key, sku, qty).await
    }

    /// Puts goods received against an inbound away, making them available.
    pub async fn put_away_inbound(
        &self,
        tenant: &ClientId,
        key: &str,
        sku: SkuId,
        qty: i64,
    ) -> CoreResult<InboundView> {
        self.storage.put_away_inbound(tenant, key, sku, qty).await
    }

    /// Books the delivery appointment of a non-express inbound: into the earliest free dock slot
    /// of its warehouse; when the warehouse has no slots at all, only the inbound's flag is set (as
    /// before slots existed); refused when it has slots but all are full.
    pub async fn book_inbound_appointment(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        let actor = entrepot_core::actor::Actor::system("admin-cli");
        self.storage.book_appointment(&actor, tenant, key, None).await.map(|(v, _)| v)
    }

    /// Marks an inbound as arrived at the dock.
    pub async fn arrive_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        self.storage.arrive_inbound(tenant, key).await
    }

    /// Closes an inbound whose remaining goods will not come; records discrepancies.
    pub async fn close_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        self.storage.close_inbound(tenant, key).await
    }
}
