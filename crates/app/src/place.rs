//! Placing orders: the one entry point every door takes, whatever it places (stocked SKUs,
//! agent-direct products, declared parcels) and however (all or nothing, or each on its own).

use entrepot_core::{CoreError, CoreResult};

use crate::{
    types::orders::{OrderBatch, OrderView, OrderWrite, PlacedOrders, Placement},
    App, Tenant,
};

impl App {
    /// Places `batch` for `tenant`, taking what the caller already resolved (SKUs it read,
    /// services, sites), so nothing is read twice. With `submit`, stock is reserved and fees held
    /// at once; without, the orders wait as drafts (parcel orders are always submitted).
    ///
    /// [`Placement::Atomic`]: `Err` naming the failing line, or every order placed.
    /// [`Placement::EachOnItsOwn`]: one result per order, in order; `Err` only for the whole call
    /// (an order of another client).
    pub async fn place_orders(
        &self,
        tenant: &Tenant,
        batch: OrderBatch,
        mode: Placement,
        submit: bool,
    ) -> CoreResult<PlacedOrders> {
        if !batch.all_of(&tenant.client) {
            return Err(CoreError::Forbidden("a batch belongs to one client".into()));
        }
        match mode {
            Placement::Atomic => {
                let placed = self.write_orders(tenant, batch, submit).await?;
                Ok(PlacedOrders(placed.into_iter().map(Ok).collect()))
            }
            Placement::EachOnItsOwn => {
                let mut out = Vec::with_capacity(batch.len());
                for one in batch.each() {
                    let placed = self.write_orders(tenant, one, submit).await;
                    out.push(placed.map_err(alone).and_then(|mut v| v.pop().ok_or(CoreError::Internal)));
                }
                Ok(PlacedOrders(out))
            }
        }
    }

    /// Resolves what the storage cannot (agent-direct products into SKUs), then writes.
    async fn write_orders(&self, tenant: &Tenant, batch: OrderBatch, submit: bool) -> CoreResult<Vec<OrderView>> {
        let write = match batch {
            OrderBatch::Stock { orders, known_skus } => OrderWrite::Stock { orders, known_skus, skus: vec![] },
            OrderBatch::AgentDirect(rows) => self.with_products(&tenant.client, rows).await?,
            OrderBatch::Parcels(orders) => OrderWrite::Parcels(orders),
        };
        self.storage.write_orders(&tenant.client, write, submit).await
    }
}

/// A batch-of-one refusal as the order's own: without the line a batch would name.
fn alone(e: CoreError) -> CoreError {
    match e {
        CoreError::InBatch { error, .. } => *error,
        CoreError::Validation { field, message, .. } => CoreError::Validation { field, message, line: None },
        other => other,
    }
}
