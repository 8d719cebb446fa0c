//! A real Entrepot app (store + Bird router) on a real socket, seeded like a small operator.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

use entrepot_core::{
    fees::{RateCard, WeightBand},
    ids::{ClientId, SkuId},
    inventory::{Bucket, Transfer},
    money::Currency,
    service::Constraints,
    sku::{CustomsProperty, SkuStatus},
};
use entrepot_dialect_bird::{normalize_path, router, BirdState};
use entrepot_store::{fixtures, NewService, NewSku, Store};
use entrepot_testkit::{Backend, TestDb};
use serde_json::Value;

pub struct App {
    pub base: String,
    pub store: Store,
    /// The use cases over `store`, for the workers a test drives itself.
    pub use_cases: entrepot_app::App,
    pub client: ClientId,
    pub key: String,
    pub other_key: String,
    pub mug: SkuId,
    pub battery: SkuId,
    pub http: reqwest::Client,
    _db: TestDb,
}

fn service(
    wh: &str,
    code: &str,
    bird_id: i64,
    name: &str,
    dest: &[&str],
    max_g: i64,
    forbid: Vec<CustomsProperty>,
    eu: bool,
) -> NewService {
    let mut s = fixtures::service(wh, code, bird_id, name);
    s.constraints = Constraints {
        destinations: dest.iter().map(|d| d.to_string()).collect(),
        max_weight_g: Some(max_g),
        max_length_mm: Some(600),
        max_girth_mm: None,
        forbidden: forbid,
        requires_ioss_for_eu: eu,
        requires_shipper_eori: eu,
        ..Default::default()
    };
    s.rates = RateCard {
        currency: "GBP".into(),
        handling_per_order: 120,
        handling_per_additional_item: 30,
        volumetric_divisor: 5000,
        bands: vec![WeightBand { up_to_g: 1000, fee: 325 }, WeightBand { up_to_g: 20000, fee: 895 }],
        per_kg_over: 100,
        urgent_surcharge: 0,
    };
    s
}

fn sku(code: &str, weight: i64, props: Vec<CustomsProperty>) -> NewSku {
    NewSku {
        seller_sku: code.into(),
        reference_sku: None,
        name_en: format!("Item {code}"),
        name_cn: None,
        weight_g: weight,
        length_mm: 100,
        width_mm: 100,
        height_mm: 50,
        declared_value: 500,
        declared_currency: "USD".into(),
        hs_code: None,
        origin_country: Some("CN".into()),
        properties: props,
        image_url: None,
        status: SkuStatus::Approved,
    }
}

/// Webhook destinations with loopback allowed, as an operator opts in: the tests' receivers
/// listen on 127.0.0.1.
pub fn loopback_allowed() -> entrepot_ops::Destinations {
    entrepot_ops::Destinations::allowing([entrepot_ops::parse_network("127.0.0.0/8").unwrap()])
}

impl App {
    pub async fn start(backend: Backend) -> App {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url).await.unwrap();
        let company = store.create_company("Op").await.unwrap();
        store.create_warehouse(fixtures::uk1(&company.id)).await.unwrap();
        store.create_warehouse(fixtures::warehouse(&company.id, "DE", 12, "DE", "DE", "Europe/Berlin")).await.unwrap();
        store
            .create_service(service(
                "UK1",
                "GBDomesticStandard",
                139,
                "Royal Mail Tracked 48",
                &["GB"],
                50_000,
                vec![CustomsProperty::Liquid],
                false,
            ))
            .await
            .unwrap();
        store
            .create_service(service(
                "UK1",
                "GBDomesticEconomy",
                105,
                "Royal Mail 2nd Class",
                &["GB"],
                2_000,
                vec![CustomsProperty::BuiltInBattery],
                false,
            ))
            .await
            .unwrap();
        store
            .create_service(service(
                "UK1",
                "GBInternationalStandard",
                2001,
                "Royal Mail International Tracked",
                &[],
                2_000,
                vec![],
                true,
            ))
            .await
            .unwrap();
        store
            .create_service(service("DE", "DEDomesticStandard", 1201, "DHL Paket", &["DE"], 31_000, vec![], false))
            .await
            .unwrap();
        let gbp = Currency::parse("GBP").unwrap();
        let client = store.create_client(&company.id, "Seller", &gbp).await.unwrap().id;
        let other = store.create_client(&company.id, "Other", &gbp).await.unwrap().id;
        fixtures::attach_everywhere(&store, &client).await.unwrap();
        fixtures::attach_everywhere(&store, &other).await.unwrap();
        store.top_up(&client, None, 1_000_000, "t").await.unwrap();
        store.top_up(&other, None, 1_000_000, "t").await.unwrap();
        let key = store.create_api_key(&client, "t").await.unwrap().api_key;
        let other_key = store.create_api_key(&other, "t").await.unwrap().api_key;
        let skus = store
            .create_skus(
                &client,
                vec![sku("IP-XX3355", 300, vec![]), sku("PWR-1", 250, vec![CustomsProperty::BuiltInBattery])],
            )
            .await
            .unwrap();
        let uk = store.warehouse_by_code("UK1").await.unwrap();
        for s in &skus {
            store
                .move_stock(&client, s.id, &uk.id, Transfer::adjustment(Bucket::Available, 100).unwrap(), None)
                .await
                .unwrap();
        }
        store.create_skus(&other, vec![sku("OTHER-1", 100, vec![])]).await.unwrap();
        // The use cases over this store, as the server builds them.
        let use_cases = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
        // The background worker, as the server runs it (bulk conversions).
        let mut worker =
            entrepot_ops::Worker::new(use_cases.clone(), "test-worker", std::time::Duration::from_secs(30));
        for h in entrepot_dialect_bird::task_handlers() {
            worker = worker.with_handler(h);
        }
        let (_stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _keep = _stop;
            worker.run(stopped).await
        });
        let app = router(BirdState {
            app: use_cases.clone(),
            carrier: std::sync::Arc::new(entrepot_ops::SandboxCarrier::new()),
            booking: Default::default(),
            webhook_destinations: loopback_allowed(),
            budget: entrepot_ops::ClientBudget::unlimited(),
        });
        let app = tower::Layer::layer(&axum::middleware::map_request(normalize_path), app);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(app)).await.unwrap();
        });
        App {
            base,
            store,
            use_cases,
            client,
            key,
            other_key,
            mug: skus[0].id,
            battery: skus[1].id,
            http: reqwest::Client::new(),
            _db: db,
        }
    }

    /// A request with the client's headers for site 1 (UK1).
    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base)).header("api_key", &self.key).header("company_id", "1")
    }

    pub async fn send(rb: reqwest::RequestBuilder) -> (u16, Value) {
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        Self::send(self.req(reqwest::Method::GET, path)).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        Self::send(self.req(reqwest::Method::POST, path).json(body)).await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        Self::send(self.req(reqwest::Method::POST, path).form(form)).await
    }

    /// A background task's detail once it has finished (or failed).
    pub async fn wait_finished(&self, task: &Value) -> Value {
        for _ in 0..300 {
            let (_, body) = self.get(&format!("/client/Gearman-background-tasks/Get-Detail?id={task}")).await;
            if body["status"] == "FINISH" || body["status"] == "ERROR" {
                return body;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("task {task} did not finish");
    }

    pub async fn available(&self, sku: SkuId) -> i64 {
        let rows = self.store.stock(&self.client, &[sku], None).await.unwrap();
        rows.iter().map(|r| r.position.get(Bucket::Available)).sum()
    }

    pub async fn assert_books_balance(&self) {
        let v = self.store.check().await.unwrap();
        assert!(v.is_empty(), "admin check: {v:?}");
    }
}

/// The seed's method C example row (form 1), for the UK1 site.
pub fn pending_row(identity: &str, sku: &str, qty: i64) -> Value {
    serde_json::json!({
        "is_urgent": "0",
        "delivery_service_id": "139",
        "sales_reference": "REP-1001",
        "sales_order_id": "02-05696-00555",
        "custom_identity_reference": identity,
        "contact": "Norman Drury",
        "business_name": null,
        "address_line1": "3, Northam Close",
        "address_line2": "Marshside",
        "city": "Southport",
        "county": "Merseyside",
        "post_code": "PR9 9GA",
        "country_iso": "GB",
        "telephone": "01704 226830",
        "email": null,
        "special_instruction": null,
        "type": "LOCAL",
        "products": [{"client_sku": sku, "quantity": qty, "sales_price": 10, "ebay_transaction_id": "yuhao0001", "ebay_item_no": "0001yuhao"}],
        "omp_name": "ebay",
    })
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
