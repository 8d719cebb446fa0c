//! Stock balances and the ledger's movements.

#[allow(unused_imports)]
use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use async_trait::async_trait;
#[allow(unused_imports)]
use entrepot_core::{
    company::{Client, Warehouse},
    ids::*,
    login_throttle::Limits,
    oauth::{AccessRecord, OauthRefusal},
    outbound::{NewOutbound, OrderKind, OutboundStatus},
    service::{Parcel, Service},
    sku::Sku,
    CoreError, CoreResult,
};
#[allow(unused_imports)]
use serde_json::Value;

#[allow(unused_imports)]
use crate::types::{
    auth::*, booking::*, inbound::*, orders::*, reference::*, skus::*, stock::*, tasks::*, temp::*, webhooks::*,
};

#[async_trait]
pub trait StockPort: Send + Sync {
    /// Ledger entries of the tenant in `[from_ms, to_ms)`, optionally for some SKUs, oldest first.
    async fn movements(&self, tenant: &ClientId, skus: &[SkuId], from_ms: i64, to_ms: i64)
        -> CoreResult<Vec<Movement>>;
    /// Stock balances of the tenant, optionally narrowed to SKUs and a warehouse.
    async fn stock(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<StockRow>>;
    /// The tenant's stock rows in (SKU, warehouse) order, narrowed to `skus` and `warehouses` when
    /// given, `limit` rows from `offset`; with the number of rows before paging.
    async fn stock_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<StockRow>, i64)>;
}
