//! Reference data — warehouses and services — kept in memory for a moment. Every order request
//! needs its site and its service, often several times (authentication by `company_id`, the
//! service by Bird id, planning, rendering), and they change rarely, by an operator, often from
//! another process (`entrepot admin`), which no in-process invalidation would see. So a snapshot
//! younger than [`TTL`] is used as it is, and an id it does not know reloads it at once (a
//! service created a moment ago is found). A change to an existing row is seen within [`TTL`].

use std::{
    sync::{Arc, RwLock},
    time::Instant,
};

use entrepot_core::{
    company::Warehouse,
    ids::{ServiceId, WarehouseId},
    service::Service,
};

use crate::{Store, StoreResult};
pub use entrepot_app::types::reference::{Snapshot, TTL};

/// The current snapshot, shared by the clones of a [`Store`].
#[derive(Debug, Default)]
pub(crate) struct RefCache(RwLock<Option<Arc<Snapshot>>>);

impl RefCache {
    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let snap = self.0.read().ok()?.clone()?;
        (snap.loaded.elapsed() < TTL).then_some(snap)
    }

    fn put(&self, snap: Arc<Snapshot>) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some(snap);
        }
    }
}

impl Store {
    /// Warehouses and services, at most [`TTL`] old.
    pub async fn reference_data(&self) -> StoreResult<Arc<Snapshot>> {
        match self.cache.fresh() {
            Some(snap) => Ok(snap),
            None => self.reload_reference_data().await,
        }
    }

    pub(crate) async fn reload_reference_data(&self) -> StoreResult<Arc<Snapshot>> {
        let loaded = Instant::now();
        let snap =
            Arc::new(Snapshot { loaded, warehouses: self.warehouses().await?, services: self.services(None).await? });
        self.cache.put(snap.clone());
        Ok(snap)
    }

    /// Finds with `pick` in the snapshot, reloading it once if `pick` finds nothing.
    pub(crate) async fn cached<T>(&self, pick: impl Fn(&Snapshot) -> Option<T>) -> StoreResult<Option<T>> {
        let (snap, reloaded) = match self.cache.fresh() {
            Some(snap) => (snap, false),
            None => (self.reload_reference_data().await?, true),
        };
        match pick(&snap) {
            Some(found) => Ok(Some(found)),
            None if reloaded => Ok(None),
            None => Ok(pick(&*self.reload_reference_data().await?)),
        }
    }

    /// [`Store::service`] through the snapshot.
    pub async fn cached_service(&self, id: &ServiceId) -> StoreResult<Service> {
        match self.cached(|s| s.services.iter().find(|x| x.id == *id).cloned()).await? {
            Some(svc) => Ok(svc),
            None => self.service(id).await,
        }
    }

    /// [`Store::service_by_numeric_id`] through the snapshot.
    pub async fn cached_service_by_numeric_id(&self, number: i64) -> StoreResult<Service> {
        match self.cached(|s| s.services.iter().find(|x| x.bird_id == Some(number)).cloned()).await? {
            Some(svc) => Ok(svc),
            None => self.service_by_numeric_id(number).await,
        }
    }

    /// [`Store::warehouse`] through the snapshot.
    pub async fn cached_warehouse(&self, id: &WarehouseId) -> StoreResult<Warehouse> {
        match self.cached(|s| s.warehouses.iter().find(|x| x.id == *id).cloned()).await? {
            Some(wh) => Ok(wh),
            None => self.warehouse(id).await,
        }
    }

    /// [`Store::warehouse_by_code`] through the snapshot (a warehouse's row never changes).
    pub async fn cached_warehouse_by_code(&self, code: &str) -> StoreResult<Warehouse> {
        match self.cached(|s| s.warehouses.iter().find(|x| x.code == code).cloned()).await? {
            Some(wh) => Ok(wh),
            None => self.warehouse_by_code(code).await,
        }
    }

    /// [`Store::warehouse_by_numeric_id`] through the snapshot.
    pub async fn cached_warehouse_by_numeric_id(&self, number: i64) -> StoreResult<Warehouse> {
        match self.cached(|s| s.warehouses.iter().find(|x| x.bird_company_id == Some(number)).cloned()).await? {
            Some(wh) => Ok(wh),
            None => self.warehouse_by_numeric_id(number).await,
        }
    }

    /// Forgets the snapshot, so the next lookup reads the database (after a change made here).
    pub fn forget_reference_data(&self) {
        if let Ok(mut slot) = self.cache.0.write() {
            *slot = None;
        }
    }
}
