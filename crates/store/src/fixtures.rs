//! Ready-made inputs for tests and benchmarks (feature `fixtures`), so that every suite seeds the
//! same kind of operator the same way instead of spelling out warehouses and services anew.

use entrepot_core::{
    company::{Address, Warehouse},
    fees::{RateCard, WeightBand},
    ids::CompanyId,
    service::Constraints,
    sku::SkuStatus,
};

use crate::{NewService, NewSku, SecretKey};

/// The secret key every test shares (base64 of 32 bytes), so that a test can open with
/// [`crate::Store::open`] a database that the `entrepot` binary sealed when started with
/// `ENTREPOT_SECRET_KEY` set to it. Public, hence for tests only.
pub const TEST_SECRET_KEY: &str = "dGVzdCBrZXksIG5ldmVyIGZvciBwcm9kdWN0aW9uISE=";

/// [`TEST_SECRET_KEY`] parsed.
pub fn test_secret_key() -> SecretKey {
    TEST_SECRET_KEY
        .parse::<SecretKey>()
        .map(|k| k.with_origin("the test key"))
        .unwrap_or_else(|_| SecretKey::generate())
}

/// A warehouse with a Bird site id and an OC region (`region`), cut-off 14:00.
pub fn warehouse(
    company: &CompanyId,
    code: &str,
    bird_company_id: i64,
    region: &str,
    country: &str,
    timezone: &str,
) -> Warehouse {
    Warehouse {
        id: "new".into(),
        company_id: company.clone(),
        code: code.into(),
        name: code.into(),
        bird_company_id: Some(bird_company_id),
        oc_region: Some(region.into()),
        country: country.into(),
        timezone: timezone.into(),
        cutoff_minutes: 14 * 60,
        address: Address::default(),
        calendar: Default::default(),
    }
}

/// The UK site most tests use: `UK1`, Bird company 1, region `UK`.
pub fn uk1(company: &CompanyId) -> Warehouse {
    warehouse(company, "UK1", 1, "UK", "GB", "Europe/London")
}

/// A flat rate card: `handling` per order and `fee` for anything up to 20 kg, in GBP.
pub fn flat_rates(handling: i64, fee: i64) -> RateCard {
    RateCard {
        currency: "GBP".into(),
        handling_per_order: handling,
        handling_per_additional_item: 0,
        volumetric_divisor: 0,
        bands: vec![WeightBand { up_to_g: 20_000, fee }],
        per_kg_over: 0,
        urgent_surcharge: 0,
    }
}

/// A Royal Mail service to GB at `warehouse_code`, up to 20 kg, with flat rates 1.00 + 2.00.
pub fn service(warehouse_code: &str, code: &str, bird_id: i64, name: &str) -> NewService {
    NewService {
        warehouse_code: warehouse_code.into(),
        code: code.into(),
        bird_id: Some(bird_id),
        name: name.into(),
        name_cn: None,
        carrier: "ROYALMAIL".into(),
        tracking: true,
        signature: false,
        express: false,
        constraints: Constraints { destinations: vec!["GB".into()], max_weight_g: Some(20_000), ..Default::default() },
        rates: flat_rates(100, 200),
    }
}

/// An approved 300 g SKU of 200 × 100 × 50 mm.
pub fn sku(code: &str) -> NewSku {
    NewSku {
        seller_sku: code.into(),
        reference_sku: None,
        name_en: format!("Item {code}"),
        name_cn: None,
        weight_g: 300,
        length_mm: 200,
        width_mm: 100,
        height_mm: 50,
        declared_value: 999,
        declared_currency: "GBP".into(),
        hs_code: None,
        origin_country: Some("CN".into()),
        properties: vec![],
        image_url: None,
        status: SkuStatus::Approved,
    }
}

/// The usual seeded seller of store-level tests: warehouse UK1 with a Royal Mail service (Bird
/// id 105), a GBP client named `name` with 10,000.00 on account and 1,000 of SKU `A-1` available.
pub struct Seller {
    pub warehouse: Warehouse,
    pub service: entrepot_core::service::Service,
    pub client: entrepot_core::ids::ClientId,
    pub sku: entrepot_core::ids::SkuId,
}

/// Seeds a [`Seller`] (and its operator) into `store`.
pub async fn seller(store: &crate::Store, name: &str) -> crate::StoreResult<Seller> {
    use entrepot_core::{
        inventory::{Bucket, Transfer},
        money::Currency,
    };
    let company = store.create_company("Op").await?;
    let warehouse = store.create_warehouse(uk1(&company.id)).await?;
    let service = store.create_service(service("UK1", "GBDomesticStandard", 105, "Royal Mail 2nd Class")).await?;
    let client = store.create_client(&company.id, name, &Currency::parse("GBP")?).await?.id;
    attach_everywhere(store, &client).await?;
    store.top_up(&client, None, 1_000_000, "t").await?;
    let sku = store.create_skus(&client, vec![sku("A-1")]).await?.remove(0).id;
    store.move_stock(&client, sku, &warehouse.id, Transfer::adjustment(Bucket::Available, 1000)?, None).await?;
    Ok(Seller { warehouse, service, client, sku })
}

/// Attaches `client` to every warehouse of its operator company, as a client with a contract at
/// each of the operator's sites.
pub async fn attach_everywhere(store: &crate::Store, client: &entrepot_core::ids::ClientId) -> crate::StoreResult<()> {
    let company = store.client(client).await?.company_id;
    for wh in store.warehouses().await?.into_iter().filter(|w| w.company_id == company) {
        store.attach_client_site(client, &wh.id).await?;
    }
    Ok(())
}

/// Registers an active webhook for `client` (at an address nothing listens on), so that the
/// client's events wait in the outbox for fan-out instead of being written already fanned out.
pub async fn listening(
    store: &crate::Store,
    client: &entrepot_core::ids::ClientId,
) -> crate::StoreResult<crate::Webhook> {
    let hook = crate::NewWebhook {
        dialect: "bird".into(),
        url: "http://127.0.0.1:9/hook".into(),
        resource_type: "CONSIGNMENT".into(),
        action: "UPDATE_TRACKING_EVENT".into(),
        secret: "s".into(),
        status: crate::WebhookStatus::Active,
    };
    store.create_webhook(client, hook).await
}

/// The recipient store-level tests ship to: Ann, 1 High St, Leeds LS1 1AA, GB.
pub fn leeds() -> Address {
    Address {
        name: "Ann".into(),
        lines: vec!["1 High St".into()],
        city: "Leeds".into(),
        postcode: "LS1 1AA".into(),
        country: "GB".into(),
        ..Default::default()
    }
}

/// Places one order as every door does, through [`entrepot_app::App::place_orders`] (the one
/// entry point): on its own, so a refusal names no line.
pub async fn place_order(
    store: &crate::Store,
    new: entrepot_core::outbound::NewOutbound,
    service: &entrepot_core::ids::ServiceId,
    submit: bool,
) -> crate::StoreResult<crate::OrderView> {
    let tenant = entrepot_app::Tenant::of(&new.client_id);
    let batch = entrepot_app::OrderBatch::Stock { orders: vec![(new, service.clone())], known_skus: vec![] };
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    Ok(app.place_orders(&tenant, batch, entrepot_app::Placement::EachOnItsOwn, submit).await?.one()?)
}

/// Places a batch of one client's orders through [`entrepot_app::App::place_orders`], all or
/// nothing: a refusal names its 1-based line.
pub async fn place_orders(
    store: &crate::Store,
    batch: Vec<(entrepot_core::outbound::NewOutbound, entrepot_core::ids::ServiceId)>,
    submit: bool,
) -> crate::StoreResult<Vec<crate::OrderView>> {
    let Some(client) = batch.first().map(|(n, _)| n.client_id.clone()) else { return Ok(vec![]) };
    let batch = entrepot_app::OrderBatch::Stock { orders: batch, known_skus: vec![] };
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    Ok(app
        .place_orders(&entrepot_app::Tenant::of(&client), batch, entrepot_app::Placement::Atomic, submit)
        .await?
        .all()?)
}
