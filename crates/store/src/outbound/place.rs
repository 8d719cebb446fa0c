//! Placing orders: [`Store::write_orders`], the one entry point (behind the use-case layer's
//! `OrderPort::write_orders`), checks and plans a batch without touching the database
//! ([`Store::decide_orders`]), then writes it in one transaction ([`super::write::write_batch`]),
//! together with the other requests waiting at that moment (`engine::group_commit`); orders that
//! bring SKUs or parcels of their own take `direct.rs`'s transaction instead.
//! Any refusal rolls back the whole request, which is what makes Bird's pending upload
//! all-or-nothing.

use std::collections::HashMap;

use entrepot_app::types::orders::OrderWrite;
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, OrderId, ServiceId, SkuId, WarehouseId},
    outbound::{plan_order, validate_draft, NewOutbound, OrderPlan, OutboundStatus},
    service::Service,
    sku::Sku,
    CoreError, CoreResult,
};

use super::{apply_plan, at_line, merge_lines, OrderView};
use crate::{
    engine::clock::{new_id, now_ms},
    Store, StoreResult,
};

impl Store {
    /// Places a batch of `tenant`'s orders all-or-nothing; an error names its 1-based line. The
    /// one way orders are written, behind the port [`entrepot_app::ports::OrderPort::write_orders`]
    /// (so [`entrepot_app::App::place_orders`]): with `submit`, stock is reserved and fees held at
    /// once; without, the orders wait as drafts (Bird PREPARING; parcel orders are always
    /// submitted).
    pub(crate) async fn write_orders(
        &self,
        tenant: &ClientId,
        batch: OrderWrite,
        submit: bool,
    ) -> StoreResult<Vec<OrderView>> {
        if !batch.all_of(tenant) {
            return Err(CoreError::Forbidden("a batch belongs to one client".into()).into());
        }
        match batch {
            OrderWrite::Stock { orders, known_skus, skus } if skus.is_empty() => {
                self.place_stocked(orders, known_skus, submit).await
            }
            OrderWrite::Stock { orders, known_skus, skus } => {
                self.place_with_skus(tenant, orders, known_skus, skus, submit).await
            }
            OrderWrite::Parcels(orders) => self.place_parcels(orders).await,
        }
    }

    /// Orders of stocked SKUs, given SKUs the caller has just read for this client (the Bird
    /// upload resolves client SKU codes first), so that only the others are read again.
    async fn place_stocked(
        &self,
        batch: Vec<(NewOutbound, ServiceId)>,
        known: Vec<Sku>,
        submit: bool,
    ) -> StoreResult<Vec<OrderView>> {
        let Some(tenant) = batch.first().map(|(n, _)| n.client_id.clone()) else { return Ok(vec![]) };
        let mut skus: Vec<Sku> = known.into_iter().filter(|s| s.client_id == tenant).collect();
        skus.sort_by_key(|s| s.id);
        skus.dedup_by_key(|s| s.id);
        let mut ids: Vec<SkuId> = batch.iter().flat_map(|(n, _)| n.lines.iter().map(|l| l.0)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| skus.binary_search_by_key(id, |s| s.id).is_err());
        if !ids.is_empty() {
            let own = self.skus_by_ids(&tenant, &ids).await?;
            ids.retain(|id| !own.iter().any(|s| s.id == *id));
            skus.extend(own);
            // What is not the tenant's may be another client's shared product.
            skus.extend(self.skus_shared_with(&tenant, &ids).await?);
            skus.sort_by_key(|s| s.id);
        }
        let plan = |_: usize, new: &NewOutbound, wh: &Warehouse, svc: &Service| plan_order(new, wh, svc, &skus);
        // Decide everything before touching the database.
        let decided = self.decide_orders(&batch, &skus, submit, &plan).await?;
        // Written with whatever other requests are waiting (see `engine::group_commit`).
        self.write_grouped(decided, skus, submit).await
    }

    /// Checks (and, to submit, plans with `plan`) a batch of one client's orders without writing
    /// anything; an error names its 1-based line. `skus` are the tenant's SKUs the lines name.
    pub(crate) async fn decide_orders(
        &self,
        batch: &[(NewOutbound, ServiceId)],
        skus: &[Sku],
        submit: bool,
        plan: Planner<'_>,
    ) -> StoreResult<Decided> {
        let now = now_ms();
        let Some(tenant) = batch.first().map(|(n, _)| n.client_id.clone()) else {
            return Ok(Decided { orders: vec![], services: HashMap::new(), now });
        };
        if batch.iter().any(|(n, _)| n.client_id != tenant) {
            return Err(CoreError::Forbidden("a batch belongs to one client".into()).into());
        }
        let mut services: HashMap<ServiceId, (Service, Warehouse)> = HashMap::new();
        // Every submitted order of the batch is due on the same day per warehouse.
        let mut due: HashMap<WarehouseId, String> = HashMap::new();
        for (k, (_, sid)) in batch.iter().enumerate() {
            if !services.contains_key(sid) {
                let svc = self.cached_service(sid).await.map_err(|e| at_line(e, k + 1))?;
                let wh = self.cached_warehouse(&svc.warehouse_id).await?;
                if submit && !due.contains_key(&wh.id) {
                    due.insert(wh.id.clone(), super::due_date(&wh, now)?);
                }
                services.insert(sid.clone(), (svc, wh));
            }
        }
        let mut orders = Vec::with_capacity(batch.len());
        for (k, (new, sid)) in batch.iter().enumerate() {
            let (svc, wh) = &services[sid];
            let id = new_id!(OrderId);
            // Orders without a client reference get their own id: unique, and never a retry key.
            let mut filled;
            let new = if new.reference.trim().is_empty() {
                filled = new.clone();
                filled.reference = id.0.clone();
                &filled
            } else {
                new
            };
            let mut o = OrderView {
                id,
                client_id: tenant.clone(),
                warehouse_id: wh.id.clone(),
                service_id: svc.id.clone(),
                reference: new.reference.trim().to_owned(),
                kind: new.kind,
                identity_ref: new.identity_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned),
                sales_reference: new.sales_reference.clone(),
                attributes: new.attributes.clone(),
                bird_id: 0,
                oc_number: String::new(),
                status: if submit { OutboundStatus::Submitted } else { OutboundStatus::Draft },
                platform: new.platform.clone(),
                platform_order_id: new.platform_order_id.clone(),
                recipient: new.recipient.clone(),
                sender: new.sender.clone(),
                customs: new.customs.clone(),
                options: new.options,
                lines: merge_lines(&new.lines),
                weight_g: 0,
                volume_mm3: 0,
                chargeable_weight_g: 0,
                currency: svc.rates.currency.clone(),
                handling_fee: 0,
                delivery_fee: 0,
                // A return's tracking number is the buyer's, given with the authorisation.
                tracking_number: match new.kind {
                    entrepot_core::outbound::OrderKind::Return => {
                        new.attributes.get(entrepot_core::returns::TRACKING_ATTR).cloned()
                    }
                    _ => None,
                },
                carrier: None,
                cancel_reason: None,
                sales_price: new.sales_price.clone(),
                line_sales: new.line_sales.clone(),
                owners: Default::default(),
                due_date: due.get(&wh.id).cloned(),
                created_at_ms: now,
                updated_at_ms: now,
            };
            if submit {
                let plan = plan(k, new, wh, svc).map_err(|e| e.at_line(k + 1))?;
                apply_plan(&mut o, &plan, svc);
            } else {
                validate_draft(new, wh, svc).map_err(|e| e.at_line(k + 1))?;
                if let Some((id, _)) = o.lines.iter().find(|(id, _)| !skus.iter().any(|s| s.id == *id)) {
                    return Err(CoreError::not_found("SKU", id).at_line(k + 1).into());
                }
            }
            // Lines on SKUs the tenant does not own (shared with it: `skus` holds no others).
            o.owners = o
                .lines
                .iter()
                .filter_map(|(id, _)| skus.iter().find(|s| s.id == *id && s.client_id != tenant))
                .map(|s| (s.id, s.client_id.clone()))
                .collect();
            if !o.owners.is_empty() && !o.kind.uses_stock() {
                let e =
                    CoreError::invalid("product", "another client's shared product ships from stock only".to_owned());
                return Err(e.at_line(k + 1).into());
            }
            orders.push(o);
        }
        Ok(Decided { orders, services, now })
    }
}

/// How a submitted row of a batch is planned: its 0-based index, the order, its site and service.
pub(crate) type Planner<'a> = &'a (dyn Fn(usize, &NewOutbound, &Warehouse, &Service) -> CoreResult<OrderPlan> + Sync);

/// A batch of orders checked and planned, not yet written.
pub(crate) struct Decided {
    pub orders: Vec<OrderView>,
    pub services: HashMap<ServiceId, (Service, Warehouse)>,
    /// When the batch was decided: the orders' creation time.
    pub now: i64,
}
