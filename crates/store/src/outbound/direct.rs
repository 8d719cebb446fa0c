//! Orders written with the SKUs they name, and orders of declared parcels: the two direct-line
//! forms (the client brings the goods, so no warehouse stock is reserved), checked, numbered and
//! fee-held like any other order.
//!
//! Agent-direct products become SKUs created or changed in the orders' transaction (the app
//! decides which: `entrepot_app`'s `products`), so a failing row leaves neither orders nor SKUs
//! behind. Client-direct orders have no SKUs at all; the weight and size of the parcels the
//! client declares are what suitability and fees are computed from.

use std::collections::HashMap;

use entrepot_app::types::orders::SkuWrite;
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, ServiceId, SkuId},
    outbound::{plan_order, plan_parcel_order, NewOutbound},
    service::{Parcel, Service},
    sku::Sku,
};

use crate::{
    engine::{clock::now_ms, exec::Tx, seq},
    outbound::{write_batch, OrderView},
    sku::{insert_sku, write_sku_data},
    Store, StoreError, StoreResult,
};
pub use entrepot_app::types::orders::{AgentDirectOrder, AgentProduct};

impl Store {
    /// Places orders together with the SKUs they create or change (`writes`, new ones under
    /// provisional ids their lines use too), all in one transaction; an error names its 1-based
    /// row and nothing (no order, no SKU) is kept. `known` are the other SKUs the lines name.
    pub(crate) async fn place_with_skus(
        &self,
        tenant: &ClientId,
        mut orders: Vec<(NewOutbound, ServiceId)>,
        known: Vec<Sku>,
        mut writes: Vec<SkuWrite>,
        submit: bool,
    ) -> StoreResult<Vec<OrderView>> {
        let mut tx = self.begin().await?;
        let fresh = writes.iter().filter(|w| w.new).count() as i64;
        let first = if fresh > 0 { seq::next(&mut Tx::from(&mut tx), "sku", fresh).await? } else { 0 };
        // Provisional ids to numbered ones, in order of creation.
        let mut numbered: HashMap<SkuId, SkuId> = HashMap::new();
        for w in writes.iter_mut().filter(|w| w.new) {
            let k = SkuWrite::provisional_index(w.sku.id).ok_or_else(|| StoreError::Corrupt("new SKU id".into()))?;
            let id = SkuId(first + k as i64);
            numbered.insert(w.sku.id, id);
            w.numbered(id);
        }
        for (order, _) in &mut orders {
            for line in &mut order.lines {
                if let Some(id) = numbered.get(&line.0) {
                    line.0 = *id;
                }
            }
            let sales = std::mem::take(&mut order.line_sales);
            order.line_sales =
                sales.into_iter().map(|(sku, sale)| (*numbered.get(&sku).unwrap_or(&sku), sale)).collect();
        }
        let now = now_ms();
        for w in &writes {
            if w.new {
                insert_sku(&mut tx, tenant, &w.sku, now, w.line).await?;
            } else {
                write_sku_data(&mut tx, tenant, &w.sku).await.map_err(|e| at_line(e, w.line))?;
            }
        }
        let skus: Vec<Sku> = writes.into_iter().map(|w| w.sku).chain(known).collect();
        let plan = |_: usize, new: &NewOutbound, wh: &Warehouse, svc: &Service| plan_order(new, wh, svc, &skus);
        let mut decided = self.decide_orders(&orders, &skus, submit, &plan).await?;
        write_batch(&mut Tx::from(&mut tx), &mut decided, &skus, submit).await?;
        tx.commit().await?;
        // Products named by an agent-direct upload may have been created or changed with it.
        self.sku_cache.forget();
        Ok(decided.orders)
    }

    /// Places and submits orders whose parcels the client declares (no SKU lines, no stock), all
    /// or nothing; an error names its 1-based row.
    pub(crate) async fn place_parcels(
        &self,
        batch: Vec<(NewOutbound, ServiceId, Parcel)>,
    ) -> StoreResult<Vec<OrderView>> {
        let (orders, parcels): (Vec<(NewOutbound, ServiceId)>, Vec<Parcel>) =
            batch.into_iter().map(|(n, s, p)| ((n, s), p)).unzip();
        let plan = |k: usize, new: &NewOutbound, wh: &Warehouse, svc: &Service| {
            plan_parcel_order(new, wh, svc, parcels.get(k).cloned().unwrap_or_default())
        };
        let mut decided = self.decide_orders(&orders, &[], true, &plan).await?;
        let mut tx = self.begin().await?;
        write_batch(&mut Tx::from(&mut tx), &mut decided, &[], true).await?;
        tx.commit().await?;
        Ok(decided.orders)
    }
}

fn at_line(e: StoreError, line: usize) -> StoreError {
    match e {
        StoreError::Core(c) => StoreError::Core(c.at_line(line)),
        other => other,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::{
        company::Address,
        fees::RateCard,
        ids::{ClientId, ServiceId, SkuId, WarehouseId},
        money::Currency,
        outbound::{NewOutbound, OrderKind, OutboundStatus},
        service::Parcel,
        sku::{CustomsProperty, SkuStatus},
    };
    use entrepot_testkit::{each_backend, Backend, TestDb};

    use super::{AgentDirectOrder, AgentProduct};
    use crate::{NewSku, SkuFilter, Store};
    use entrepot_app::{types::orders::OrderBatch, App, Placement, Tenant};

    /// Places a batch as the doors do, through the use-case layer (which resolves agent-direct
    /// products), all or nothing.
    async fn place(
        store: &Store,
        tenant: &ClientId,
        batch: OrderBatch,
        submit: bool,
    ) -> crate::StoreResult<Vec<crate::OrderView>> {
        let app = App::new(std::sync::Arc::new(store.clone()));
        Ok(app.place_orders(&Tenant::of(tenant), batch, Placement::Atomic, submit).await?.all()?)
    }

    pub(crate) struct Fx {
        pub store: Store,
        pub client: ClientId,
        pub other: ClientId,
        pub warehouse: WarehouseId,
        pub service: ServiceId,
        pub sku: SkuId,
        _db: TestDb,
    }

    /// One UK site with one GB service (max 2 kg, no liquids), two funded clients, one SKU.
    impl Fx {
        /// The database's URL, to open it a second time as another process would.
        pub fn db_url(&self) -> String {
            self._db.url.clone()
        }
    }

    pub(crate) async fn fixture(backend: Backend) -> Fx {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url).await.unwrap();
        let company = store.create_company("Op").await.unwrap();
        let warehouse = store.create_warehouse(crate::fixtures::uk1(&company.id)).await.unwrap();
        let mut svc = crate::fixtures::service("UK1", "GBDomesticStandard", 139, "Tracked 48");
        svc.constraints.max_weight_g = Some(2_000);
        svc.constraints.forbidden = vec![CustomsProperty::Liquid];
        svc.rates = RateCard { handling_per_additional_item: 10, ..crate::fixtures::flat_rates(100, 300) };
        svc.rates.bands[0].up_to_g = 2_000;
        let service = store.create_service(svc).await.unwrap();
        let gbp = Currency::parse("GBP").unwrap();
        let client = store.create_client(&company.id, "Seller A", &gbp).await.unwrap().id;
        let other = store.create_client(&company.id, "Seller B", &gbp).await.unwrap().id;
        store.top_up(&client, None, 100_000, "t").await.unwrap();
        let mug = NewSku {
            name_en: "Mug".into(),
            height_mm: 100,
            length_mm: 100,
            declared_value: 500,
            ..crate::fixtures::sku("A-1")
        };
        let sku = store.create_skus(&client, vec![mug]).await.unwrap()[0].id;
        Fx { store, client, other, warehouse: warehouse.id, service: service.id, sku, _db: db }
    }

    pub(crate) fn order(fx: &Fx, kind: OrderKind, country: &str) -> NewOutbound {
        NewOutbound {
            client_id: fx.client.clone(),
            kind,
            recipient: Address {
                name: "Ann".into(),
                lines: vec!["1 High St".into()],
                city: "Leeds".into(),
                postcode: "LS1 1AA".into(),
                country: country.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn product(sku: &str, weight_g: i64, qty: i64) -> AgentProduct {
        AgentProduct {
            seller_sku: sku.into(),
            name_en: Some(format!("Item {sku}")),
            weight_g: Some(weight_g),
            declared_value: Some(200),
            image_url: Some("https://img.example/x.png".into()),
            quantity: qty,
            ..Default::default()
        }
    }

    #[each_backend]
    async fn agent_direct_creates_updates_and_rolls_back_products_with_orders(b: Backend) {
        let fx = fixture(b).await;
        let row = |country: &str, products| AgentDirectOrder {
            order: order(&fx, OrderKind::AgentDirect, country),
            service: fx.service.clone(),
            products,
        };
        // The existing A-1 is updated (weight), N-1 created; both rows share N-1.
        let mut a1 = product("A-1", 400, 1);
        a1.name_en = None;
        let placed = place(
            &fx.store,
            &fx.client,
            OrderBatch::AgentDirect(vec![
                row("GB", vec![a1, product("N-1", 100, 2)]),
                row("GB", vec![product("N-1", 150, 1)]),
            ]),
            true,
        )
        .await
        .unwrap();
        assert_eq!(placed.len(), 2, "{b:?}");
        assert!(placed.iter().all(|o| o.status == OutboundStatus::Submitted && o.kind == OrderKind::AgentDirect));
        let a1 = fx.store.sku(&fx.client, fx.sku).await.unwrap();
        assert_eq!((a1.weight_g, a1.name_en.as_str()), (400, "Mug"), "{b:?}: given fields only");
        let n1 = fx.store.resolve_sku(&fx.client, "N-1").await.unwrap();
        assert_eq!((n1.weight_g, n1.status), (150, SkuStatus::Approved), "{b:?}: the last row wins");
        assert_eq!(placed[0].lines, vec![(fx.sku, 1), (n1.id, 2)]);
        assert_eq!(placed[0].weight_g, 400 + 2 * 150);
        assert!(fx.store.stock(&fx.client, &[fx.sku, n1.id], None).await.unwrap().is_empty(), "no stock moved");
        assert!(fx.store.check().await.unwrap().is_empty(), "{b:?}: fees held match open orders");
        // Lines an order already names are kept beside the products' lines.
        let mut named = row("GB", vec![product("N-1", 150, 1)]);
        named.order.lines = vec![(fx.sku, 2)];
        let placed = place(&fx.store, &fx.client, OrderBatch::AgentDirect(vec![named]), true).await.unwrap();
        assert_eq!(placed[0].lines, vec![(fx.sku, 2), (n1.id, 1)], "{b:?}");
        // A failing second row (destination not served) keeps neither orders nor products.
        let before = fx.store.list_orders(&fx.client, &Default::default()).await.unwrap().1;
        let err = place(
            &fx.store,
            &fx.client,
            OrderBatch::AgentDirect(vec![
                row("GB", vec![product("N-2", 100, 1)]),
                row("FR", vec![product("N-3", 100, 1)]),
            ]),
            true,
        )
        .await
        .unwrap_err();
        assert_eq!(err.core().and_then(|c| c.line()), Some(2), "{b:?}: {err}");
        assert_eq!(fx.store.list_orders(&fx.client, &Default::default()).await.unwrap().1, before);
        let f = SkuFilter { seller_skus: vec!["N-2".into(), "N-3".into()], ..Default::default() };
        assert_eq!(fx.store.list_skus(&fx.client, &f).await.unwrap().1, 0, "{b:?}: no product kept");
        // A product the service refuses, and a product without a name, name their rows.
        let mut wet = product("W-1", 100, 1);
        wet.properties = Some(vec![CustomsProperty::Liquid]);
        let err =
            place(&fx.store, &fx.client, OrderBatch::AgentDirect(vec![row("GB", vec![wet])]), true).await.unwrap_err();
        assert!(err.to_string().contains("LIQUID"), "{err}");
        let nameless = AgentProduct { seller_sku: "X-1".into(), quantity: 1, ..Default::default() };
        let err = place(
            &fx.store,
            &fx.client,
            OrderBatch::AgentDirect(vec![row("GB", vec![product("N-4", 1, 1)]), row("GB", vec![nameless])]),
            true,
        )
        .await
        .unwrap_err();
        assert_eq!(err.core().and_then(|c| c.line()), Some(2), "{err}");
        // Another tenant's SKU with the same code is not touched: the other gets its own.
        let theirs = place(
            &fx.store,
            &fx.other,
            OrderBatch::AgentDirect(vec![AgentDirectOrder {
                order: NewOutbound { client_id: fx.other.clone(), ..order(&fx, OrderKind::AgentDirect, "GB") },
                service: fx.service.clone(),
                products: vec![product("A-1", 900, 1)],
            }]),
            false,
        )
        .await
        .unwrap();
        assert_eq!(theirs[0].status, OutboundStatus::Draft);
        assert_ne!(theirs[0].lines[0].0, fx.sku);
        assert_eq!(fx.store.sku(&fx.client, fx.sku).await.unwrap().weight_g, 400, "{b:?}");
    }

    #[each_backend]
    async fn parcel_orders_are_priced_from_their_parcels(b: Backend) {
        let fx = fixture(b).await;
        let parcel = |weight_g| Parcel {
            weight_g,
            largest_item_mm: [300, 200, 100],
            volume_mm3: 6_000_000,
            items: 2,
            ..Default::default()
        };
        let placed = place(
            &fx.store,
            &fx.client,
            OrderBatch::Parcels(vec![(order(&fx, OrderKind::ClientDirect, "GB"), fx.service.clone(), parcel(1500))]),
            true,
        )
        .await
        .unwrap();
        let o = &placed[0];
        assert_eq!((o.status, o.weight_g, o.handling_fee, o.delivery_fee), (OutboundStatus::Submitted, 1500, 110, 300));
        assert!(o.lines.is_empty());
        assert!(fx.store.check().await.unwrap().is_empty(), "{b:?}");
        let err = place(
            &fx.store,
            &fx.client,
            OrderBatch::Parcels(vec![
                (order(&fx, OrderKind::ClientDirect, "GB"), fx.service.clone(), parcel(100)),
                (order(&fx, OrderKind::ClientDirect, "GB"), fx.service.clone(), parcel(2500)),
            ]),
            true,
        )
        .await
        .unwrap_err();
        assert_eq!(err.core().and_then(|c| c.line()), Some(2), "{b:?}: {err}");
        assert_eq!(fx.store.list_orders(&fx.client, &Default::default()).await.unwrap().1, 1, "{b:?}");
    }
}
