//! Client sites on both backends: the migration attaches existing clients to their own operator's
//! warehouses, a new client is attached to nothing, attaching is refused across operators, and
//! a site not attached is the same `NotFound` as an unknown one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entrepot_core::{money::Currency, CoreError};
use entrepot_store::{fixtures, Store, StoreError};
use entrepot_testkit::{each_backend, Backend, TestDb};
use sqlx::{Connection, Executor};

fn not_found(r: Result<impl std::fmt::Debug, StoreError>) -> (&'static str, String) {
    match r {
        Err(StoreError::Core(CoreError::NotFound { entity, id })) => (entity, id),
        other => panic!("expected not found, got {other:?}"),
    }
}

#[each_backend]
async fn the_migration_attaches_existing_clients_to_their_operators_sites(b: Backend) {
    let db = TestDb::new(b).await;
    let store = Store::open(&db.url).await.unwrap();
    let gbp = Currency::parse("GBP").unwrap();
    let op = store.create_company("Op").await.unwrap();
    let rival = store.create_company("Rival").await.unwrap();
    store.create_warehouse(fixtures::uk1(&op.id)).await.unwrap();
    store.create_warehouse(fixtures::warehouse(&op.id, "DE", 12, "DE", "DE", "Europe/Berlin")).await.unwrap();
    store.create_warehouse(fixtures::warehouse(&rival.id, "FR", 18, "FR", "FR", "Europe/Paris")).await.unwrap();
    let ours = store.create_client(&op.id, "Ours", &gbp).await.unwrap().id;
    let theirs = store.create_client(&rival.id, "Theirs", &gbp).await.unwrap().id;
    assert!(store.client_warehouses(&ours).await.unwrap().is_empty(), "{b:?}: a new client has no site");
    store.close().await;

    // The database as it was before migration 16.
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    conn.execute("DROP TABLE client_sites").await.unwrap();
    conn.execute("DELETE FROM schema_migrations WHERE version = 16").await.unwrap();
    conn.close().await.unwrap();

    let store = Store::open(&db.url).await.unwrap();
    let codes = |v: Vec<entrepot_core::company::Warehouse>| v.into_iter().map(|w| w.code).collect::<Vec<_>>();
    assert_eq!(codes(store.client_warehouses(&ours).await.unwrap()), ["DE", "UK1"], "{b:?}");
    assert_eq!(codes(store.client_warehouses(&theirs).await.unwrap()), ["FR"], "{b:?}");
    store.close().await;
}

#[each_backend]
async fn attachments_decide_what_a_client_can_name(b: Backend) {
    let db = TestDb::new(b).await;
    let store = Store::open(&db.url).await.unwrap();
    let seller = fixtures::seller(&store, "Seller").await.unwrap();
    let op = store.client(&seller.client).await.unwrap().company_id;
    let de = store.create_warehouse(fixtures::warehouse(&op, "DE", 12, "DE", "DE", "Europe/Berlin")).await.unwrap();
    let rival = store.create_company("Rival").await.unwrap();
    let fr =
        store.create_warehouse(fixtures::warehouse(&rival.id, "FR", 18, "FR", "FR", "Europe/Paris")).await.unwrap();
    store.create_service(fixtures::service("FR", "GBDomesticStandard", 1801, "Rival Post")).await.unwrap();
    let me = &seller.client;

    // Attached (by the fixture): found by every key.
    assert_eq!(store.warehouse_for_client_by_numeric_id(me, 1).await.unwrap().code, "UK1");
    assert_eq!(store.warehouse_for_client_by_region(me, "uk").await.unwrap().code, "UK1");
    assert_eq!(store.warehouse_for_client_by_code(me, "UK1").await.unwrap().code, "UK1");
    assert_eq!(store.service_for_client_by_numeric_id(me, 105).await.unwrap().id, seller.service.id);

    // Not attached (DE, the same operator's) and another operator's (FR): as unknown.
    for (bird, region, code) in [(12, "DE", "DE"), (18, "FR", "FR")] {
        assert_eq!(not_found(store.warehouse_for_client_by_numeric_id(me, bird).await), ("company", bird.to_string()));
        assert_eq!(not_found(store.warehouse_for_client_by_region(me, region).await), ("serviceRegion", region.into()));
        assert_eq!(not_found(store.warehouse_for_client_by_code(me, code).await), ("warehouse", code.into()));
    }
    assert_eq!(not_found(store.warehouse_for_client_by_numeric_id(me, 99).await), ("company", "99".into()));
    assert_eq!(not_found(store.service_for_client_by_numeric_id(me, 1801).await), ("delivery service", "1801".into()));
    assert_eq!(not_found(store.service_for_client_by_numeric_id(me, 9999).await), ("delivery service", "9999".into()));

    // Another operator's site cannot be attached; one's own can, twice without harm.
    match store.attach_client_site(me, &fr.id).await {
        Err(StoreError::Core(CoreError::Validation { .. })) => {}
        other => panic!("{b:?}: attaching another operator's site: {other:?}"),
    }
    store.attach_client_site(me, &de.id).await.unwrap();
    store.attach_client_site(me, &de.id).await.unwrap();
    assert_eq!(store.warehouse_for_client_by_numeric_id(me, 12).await.unwrap().id, de.id, "{b:?}: seen at once");
    store.detach_client_site(me, &de.id).await.unwrap();
    store.detach_client_site(me, &de.id).await.unwrap();
    not_found(store.warehouse_for_client_by_region(me, "DE").await);
    assert_eq!(store.client_services(me, None).await.unwrap().len(), 1, "{b:?}");
    assert!(store.check().await.unwrap().is_empty());
}
