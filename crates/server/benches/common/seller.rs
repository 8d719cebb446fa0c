//! The seller every benchmark starts from: a company, UK1, a Royal Mail service with a rate
//! card, a client with a big balance and a Bird API key, its SKUs with stock for the first 1,000;
//! and Bird order uploads.

use entrepot_core::{
    fees::RateCard,
    ids::{ClientId, SkuId},
    inventory::{Bucket, Transfer},
    money::Currency,
};
use entrepot_store::{fixtures, NewSku, Store};
use serde_json::{json, Value};

/// Posts orders to `Post-Pending-Consignment-With-Products-Json` as the seller; they must be taken.
pub async fn post_pending(http: &reqwest::Client, base: &str, key: &str, orders: &Value) {
    let r: Value = http
        .post(format!("{base}/client/Consignment/Post-Pending-Consignment-With-Products-Json"))
        .header("api_key", key)
        .header("company_id", "1")
        .json(orders)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["success"], true, "{r}");
}

/// The seeded seller.
#[allow(dead_code)]
pub struct Seller {
    pub client: ClientId,
    /// Its Bird API key.
    pub key: String,
    /// Its SKUs in creation order: id and label code (MFSKUID).
    pub skus: Vec<(SkuId, String)>,
}

/// Seeds an operator, a client with a big balance, `skus` SKUs and stock for the first 1,000.
pub async fn seed(store: &Store, skus: usize) -> Seller {
    let company = store.create_company("Bench").await.unwrap();
    store.create_warehouse(fixtures::uk1(&company.id)).await.unwrap();
    let mut service = fixtures::service("UK1", "GBDomesticStandard", 139, "Royal Mail Tracked 48");
    service.rates =
        RateCard { handling_per_additional_item: 30, volumetric_divisor: 5000, ..fixtures::flat_rates(120, 325) };
    store.create_service(service).await.unwrap();
    let client = store.create_client(&company.id, "Bench Seller", &Currency::parse("GBP").unwrap()).await.unwrap().id;
    fixtures::attach_everywhere(store, &client).await.unwrap();
    store.top_up(&client, None, 1_000_000_000, "bench").await.unwrap();
    let key = store.create_api_key(&client, "bench").await.unwrap().api_key;
    let uk = store.warehouse_by_code("UK1").await.unwrap();
    let mut all = Vec::with_capacity(skus);
    for chunk in (0..skus).collect::<Vec<_>>().chunks(5_000) {
        let new = chunk
            .iter()
            .map(|k| NewSku {
                name_en: format!("Bench item {k}"),
                weight_g: 200,
                ..fixtures::sku(&format!("B-{k:06}"))
            })
            .collect();
        let created = store.create_skus(&client, new).await.unwrap();
        all.extend(created.iter().map(|s| (s.id, s.mfskuid.clone())));
        for s in created.iter().filter(|s| s.seller_sku.as_str() < "B-001000") {
            store
                .move_stock(&client, s.id, &uk.id, Transfer::adjustment(Bucket::Available, 1_000_000).unwrap(), None)
                .await
                .unwrap();
        }
    }
    Seller { client, key, skus: all }
}

/// A single-line local order for one of the first 1,000 SKUs (the ones with stock).
pub fn order(k: usize, batch: usize) -> Value {
    json!({
        "delivery_service_id": "139", "contact": format!("Buyer {k}"), "address_line1": "1 High Street", "city": "Leeds",
        "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL", "sales_reference": format!("B{batch}-{k}"),
        "products": [{"client_sku": format!("B-{:06}", k % 1000), "quantity": 1}],
    })
}

/// Uploads orders `0..orders`, `batch` a request, over `uploaders` connections at once, each
/// sending its share of the requests in turn.
pub async fn upload(http: &reqwest::Client, base: &str, key: &str, orders: usize, batch: usize, uploaders: usize) {
    let requests = orders.div_ceil(batch);
    let mut tasks = vec![];
    for u in 0..uploaders {
        let (http, key, base) = (http.clone(), key.to_owned(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            for b in (u..requests).step_by(uploaders) {
                let body = Value::Array((0..batch.min(orders - b * batch)).map(|k| order(b * batch + k, b)).collect());
                post_pending(&http, &base, &key, &body).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}
