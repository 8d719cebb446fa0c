//! Bird webhooks end to end, on both backends: endpoints registered through `/client/Webhook`,
//! asynchronous carrier booking, signed deliveries to a local receiver with retries, the delivery
//! log, tenant isolation, and the synchronous booking behind `returnLabel=1`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
    Router,
};
use common::{pending_row, App};
use entrepot_core::{
    company::Address,
    inbound::ShippingMode,
    inventory::{Bucket, Transfer},
    outbound::NewOutbound,
    share::ShareWith,
};
use entrepot_ops::{
    book_now, is_valid_s10, sign, Booker, BookingConfig, BookingError, CarrierError, SandboxCarrier, WebhookConfig,
    WebhookWorker,
};
use entrepot_store::NewInbound;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};
use tokio::sync::watch;

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    headers: HeaderMap,
    body: String,
}

/// A local ERP: `/ok/*` answers 200, `/flaky/*` fails its first two calls, `/down/*` always fails.
#[derive(Clone, Default)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let r = Receiver::default();
        async fn hook(
            State(r): State<Receiver>,
            Path((kind, name)): Path<(String, String)>,
            headers: HeaderMap,
            body: String,
        ) -> (StatusCode, &'static str) {
            let path = format!("/{kind}/{name}");
            let before = {
                let mut hits = r.hits.lock().unwrap();
                let before = hits.iter().filter(|h| h.path == path).count();
                hits.push(Hit { path, headers, body });
                before
            };
            match kind.as_str() {
                "flaky" if before < 2 => (StatusCode::INTERNAL_SERVER_ERROR, "not yet"),
                "down" => (StatusCode::INTERNAL_SERVER_ERROR, "boom"),
                _ => (StatusCode::OK, "thanks"),
            }
        }
        let app = Router::new().route("/{kind}/{name}", post(hook)).with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, base)
    }

    fn at(&self, path: &str) -> Vec<Hit> {
        self.hits.lock().unwrap().iter().filter(|h| h.path == path).cloned().collect()
    }

    /// Waits until `path` got `n` requests (or fails after 10 s).
    async fn wait_for(&self, path: &str, n: usize) -> Vec<Hit> {
        for _ in 0..500 {
            let hits = self.at(path);
            if hits.len() >= n {
                return hits;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{path}: expected {n} requests, got {:?}", self.at(path));
    }
}

/// The booking and webhook loops as the server runs them, with a millisecond retry schedule.
/// Dropping it stops the loops.
struct Background {
    _stop: watch::Sender<bool>,
}

impl Background {
    fn start(app: &App, booking: bool) -> Background {
        let (stop, stopped) = watch::channel(false);
        if booking {
            let cfg = BookingConfig { idle: Duration::from_millis(20), ..BookingConfig::default() };
            let booker = Booker::new(app.use_cases.clone(), Arc::new(SandboxCarrier::new()), "booker", cfg);
            tokio::spawn(Arc::new(booker).run(stopped.clone()));
        }
        let ms = Duration::from_millis;
        let cfg = WebhookConfig {
            retry: vec![ms(50), ms(100), ms(200)],
            idle: ms(20),
            destinations: common::loopback_allowed(),
            ..WebhookConfig::default()
        };
        let worker = WebhookWorker::new(app.use_cases.clone(), "webhooks", cfg)
            .with_renderer(entrepot_dialect_bird::webhook_renderer());
        tokio::spawn(worker.run(stopped));
        Background { _stop: stop }
    }
}

/// Registers a webhook through the API; returns its id and secret.
async fn register(app: &App, url: &str, resource_type: &str, action: &str) -> (String, String) {
    let body = json!({"url": url, "resource_type": resource_type, "action": action});
    let (s, r) = app.post_json("/client/Webhook", &body).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!((r["success"].clone(), r["data"]["status"].clone()), (json!(true), json!("ACTIVE")), "{r}");
    (r["data"]["id"].as_str().unwrap().to_owned(), r["data"]["secret"].as_str().unwrap().to_owned())
}

/// Checks the Standard Webhooks headers of a request against the endpoint's secret.
fn assert_signed(hit: &Hit, secret: &str) {
    let h = |k: &str| hit.headers.get(k).unwrap_or_else(|| panic!("no {k} header")).to_str().unwrap().to_owned();
    let (id, ts) = (h("webhook-id"), h("webhook-timestamp"));
    let ts: i64 = ts.parse().unwrap();
    let now = jiff::Timestamp::now().as_second();
    assert!((now - ts).abs() < 300, "timestamp {ts} vs now {now}");
    assert_eq!(h("webhook-signature"), sign(secret, &id, ts, hit.body.as_bytes()), "signature of {id}");
    assert!(h("content-type").starts_with("application/json"));
}

fn body(hit: &Hit) -> Value {
    serde_json::from_str(&hit.body).unwrap()
}

async fn delivery_log(app: &App, webhook: &str) -> Vec<Value> {
    let (s, r) = app.get(&format!("/client/Webhook-Delivery?webhook_id={webhook}")).await;
    assert_eq!(s, 200, "{r}");
    r["data"].as_array().unwrap().clone()
}

/// Polls `GET /client/Consignment?id=` until the consignment has a delivery reference.
async fn wait_for_tracking(app: &App, id: &str) -> Value {
    for _ in 0..500 {
        let (_, r) = app.get(&format!("/client/Consignment?id={id}")).await;
        if r["data"][0]["delivery_reference"].is_string() {
            return r["data"][0].clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("consignment {id} was never booked");
}

#[each_backend]
async fn the_tracking_number_reaches_the_erp_by_a_signed_webhook(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let _bg = Background::start(&app, true);
    let (hook, secret) = register(&app, &format!("{base}/ok/tracking"), "consignment", "get_delivery_reference").await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let (s, r) = app.post_json(PENDING, &json!([pending_row("WH-1", "IP-XX3355", 1)])).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    let id = r["data"][0]["id"].as_str().unwrap().to_owned();
    let row = wait_for_tracking(&app, &id).await;
    let tracking = row["delivery_reference"].as_str().unwrap().to_owned();
    assert!(is_valid_s10(&tracking), "{b:?}: Royal Mail S10 expected, got {tracking}");
    assert_eq!(row["status"], "PENDING", "booking does not change the status");
    let hits = rx.wait_for("/ok/tracking", 1).await;
    let msg = body(&hits[0]);
    assert_eq!(
        (msg["resource_type"].clone(), msg["action"].clone()),
        (json!("CONSIGNMENT"), json!("GET_DELIVERY_REFERENCE"))
    );
    assert_eq!(
        (msg["data"]["id"].as_str(), msg["data"]["delivery_reference"].as_str()),
        (Some(id.as_str()), Some(tracking.as_str()))
    );
    assert!(msg["time"].as_str().is_some_and(|t| t.len() == 19), "{msg}");
    assert_signed(&hits[0], &secret);
    // The label is kept with the booking.
    let order = app.store.find_order(&app.client, &id).await.unwrap();
    let pdf = app.store.order_label(&app.client, &order.id).await.unwrap().expect("label stored");
    assert!(pdf.starts_with(b"%PDF-"));
    // Only what the endpoint subscribed to was sent, and the log says it went through once.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(rx.at("/ok/tracking").len(), 1, "{b:?}");
    let log = delivery_log(&app, &hook).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (
            log[0]["event"].as_str(),
            log[0]["status"].as_str(),
            log[0]["attempts"].as_str(),
            log[0]["response_code"].as_str()
        ),
        (Some("CONSIGNMENT.GET_DELIVERY_REFERENCE"), Some("SUCCESS"), Some("1"), Some("200")),
        "{b:?}"
    );
    assert_eq!(log[0]["response_body"], "thanks");
}

#[each_backend]
async fn failing_receivers_are_retried_then_given_up_on(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let _bg = Background::start(&app, false);
    let (flaky, secret) = register(&app, &format!("{base}/flaky/products"), "PRODUCT", "CREATE").await;
    let (down, _) = register(&app, &format!("{base}/down/products"), "PRODUCT", "CREATE").await;
    let form = [("client_ref", "NEW-1"), ("name", "New thing"), ("weight", "120"), ("price_customs_export", "3.5")];
    let (s, r) = app.post_form("/client/Product", &form).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    let product = r["data"]["id"].as_str().unwrap().to_owned();
    // Two failures, then success: three identical, signed requests.
    let hits = rx.wait_for("/flaky/products", 3).await;
    let ids: Vec<_> = hits.iter().map(|h| h.headers["webhook-id"].clone()).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "a retry keeps its webhook-id");
    assert!(hits.iter().all(|h| h.body == hits[0].body), "a retry sends the same body");
    let msg = body(&hits[2]);
    assert_eq!((msg["resource_type"].as_str(), msg["action"].as_str()), (Some("PRODUCT"), Some("CREATE")));
    assert_eq!(
        (msg["data"]["id"].as_str(), msg["data"]["client_ref"].as_str()),
        (Some(product.as_str()), Some("NEW-1"))
    );
    assert_signed(&hits[2], &secret);
    let mut log = vec![];
    for _ in 0..200 {
        log = delivery_log(&app, &flaky).await;
        if log.first().is_some_and(|d| d["status"] == "SUCCESS") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        (log.len(), log[0]["attempts"].as_str(), log[0]["status"].as_str()),
        (1, Some("3"), Some("SUCCESS")),
        "{b:?}"
    );
    assert_eq!(log[0]["next_attempt_time"], Value::Null);
    // Always failing: four attempts (the first and three retries), then FAILED with the answer kept.
    rx.wait_for("/down/products", 4).await;
    for _ in 0..200 {
        log = delivery_log(&app, &down).await;
        if log.first().is_some_and(|d| d["status"] == "FAILED") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        (
            log[0]["status"].as_str(),
            log[0]["attempts"].as_str(),
            log[0]["response_code"].as_str(),
            log[0]["response_body"].as_str()
        ),
        (Some("FAILED"), Some("4"), Some("500"), Some("boom")),
        "{b:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!((rx.at("/down/products").len(), rx.at("/flaky/products").len()), (4, 3), "{b:?}: nothing more");
    // Filters of the log.
    let (_, r) = app.get(&format!("/client/Webhook-Delivery?webhook_id={down}&status=SUCCESS")).await;
    assert_eq!(r["total"], 0);
    let (_, r) = app.get("/client/Webhook-Delivery").await;
    assert_eq!(r["total"], 2);
}

#[each_backend]
async fn an_endpoint_failing_for_the_whole_period_is_switched_off(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let (stop, stopped) = watch::channel(false);
    // No retries, and a zero period: the first failed delivery switches the endpoint off.
    let cfg = WebhookConfig {
        retry: vec![],
        idle: Duration::from_millis(20),
        disable_after: Duration::ZERO,
        destinations: common::loopback_allowed(),
        ..WebhookConfig::default()
    };
    let worker = WebhookWorker::new(app.use_cases.clone(), "webhooks", cfg)
        .with_renderer(entrepot_dialect_bird::webhook_renderer());
    tokio::spawn(worker.run(stopped));
    let (down, _) = register(&app, &format!("{base}/down/products"), "PRODUCT", "CREATE").await;
    let form = [("client_ref", "NEW-2"), ("name", "Another"), ("weight", "120"), ("price_customs_export", "3.5")];
    let (s, r) = app.post_form("/client/Product", &form).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    rx.wait_for("/down/products", 1).await;
    let mut status = Value::Null;
    for _ in 0..200 {
        let (_, r) = app.get(&format!("/client/Webhook?id={down}")).await;
        status = r["data"][0]["status"].clone();
        if status == "INACTIVE" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, "INACTIVE", "{b:?}");
    let _ = stop.send(true);
}

#[each_backend]
async fn live_stock_changes_are_announced_per_product(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let _bg = Background::start(&app, true);
    register(&app, &format!("{base}/ok/stock"), "PRODUCT", "UPDATE_LIVE_STOCK").await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let t = Transfer::adjustment(Bucket::Available, 5).unwrap();
    app.store.move_stock(&app.client, app.mug, &uk.id, t, Some("found")).await.unwrap();
    let hits = rx.wait_for("/ok/stock", 1).await;
    let msg = body(&hits[0]);
    assert_eq!((msg["resource_type"].as_str(), msg["action"].as_str()), (Some("PRODUCT"), Some("UPDATE_LIVE_STOCK")));
    assert_eq!(msg["data"]["id"], app.mug.0.to_string());
    assert_eq!(
        (msg["data"]["live_stock"].as_str(), msg["data"]["current_locked_stock"].as_str()),
        (Some("105"), Some("0")),
        "{b:?}"
    );
    assert_eq!(msg["data"]["company_product-live_stock"], "105", "the site where stock changed");
    // A reservation: one message for each product of the order.
    let mut row = pending_row("WH-STOCK", "IP-XX3355", 2);
    row["products"].as_array_mut().unwrap().push(json!({"client_sku": "PWR-1", "quantity": 1}));
    row["delivery_service_id"] = json!("139");
    let (s, r) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    let hits = rx.wait_for("/ok/stock", 3).await;
    let mut reserved: Vec<(String, String)> = hits[1..]
        .iter()
        .map(body)
        .map(|m| {
            (
                m["data"]["client_ref"].as_str().unwrap().to_owned(),
                m["data"]["current_locked_stock"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    reserved.sort();
    assert_eq!(reserved, [("IP-XX3355".to_owned(), "2".to_owned()), ("PWR-1".to_owned(), "1".to_owned())], "{b:?}");
    // Booking the order changes no stock: nothing more.
    let id = r["data"][0]["id"].as_str().unwrap().to_owned();
    wait_for_tracking(&app, &id).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(rx.at("/ok/stock").len(), 3, "{b:?}");
    // Put-away makes received goods live: announced; receiving alone is not.
    let new = NewInbound {
        warehouse_id: uk.id.clone(),
        reference: "SIN-1".into(),
        mode: ShippingMode::Express,
        lines: vec![(app.battery, 4)],
        need_clearance_doc: false,
        details: json!({}),
    };
    app.store.create_inbound(&app.client, new).await.unwrap();
    app.store.receive_inbound(&app.client, "SIN-1", app.battery, 4).await.unwrap();
    app.store.put_away_inbound(&app.client, "SIN-1", app.battery, 4).await.unwrap();
    let hits = rx.wait_for("/ok/stock", 4).await;
    let msg = body(&hits[3]);
    assert_eq!((msg["data"]["client_ref"].as_str(), msg["data"]["live_stock"].as_str()), (Some("PWR-1"), Some("104")));
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(rx.at("/ok/stock").len(), 4, "{b:?}");
}

/// A POST as the other client (the one the owner shares its mug with), for site 1.
fn as_other(app: &App, path: &str) -> reqwest::RequestBuilder {
    app.http.post(format!("{}{path}", app.base)).header("api_key", &app.other_key).header("company_id", "1")
}

#[each_backend]
async fn an_owner_hears_when_another_clients_order_moves_its_shared_stock(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let _bg = Background::start(&app, true);
    register(&app, &format!("{base}/ok/stock"), "PRODUCT", "UPDATE_LIVE_STOCK").await;
    let other = app.store.find_client("Other").await.unwrap().id;
    app.use_cases.share_sku(&app.client, app.mug, &ShareWith::Client(other)).await.unwrap();
    // Other orders two of the owner's mugs: reserved from the owner's stock, told to the owner.
    let mut row = pending_row("SHARED-ORDER", "IGNORED", 1);
    row["products"] = json!([{"id": app.mug.0, "quantity": 2}]);
    let (s, r) = App::send(as_other(&app, PENDING).json(&json!([row]))).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    let hits = rx.wait_for("/ok/stock", 1).await;
    let msg = body(&hits[0]);
    assert_eq!(
        (msg["data"]["id"].as_str(), msg["data"]["current_locked_stock"].as_str()),
        (Some(&*app.mug.0.to_string()), Some("2")),
        "{b:?}"
    );
    // Cancelled: the units are the owner's again, and it hears so.
    let id = r["data"][0]["id"].as_str().unwrap().to_owned();
    let form = [("ids", id.as_str()), ("status", "CANCELLED")];
    let (s, r) = App::send(as_other(&app, "/client/Consignment/Batch-Update-Status").form(&form)).await;
    assert_eq!(s, 200, "{b:?}: {r}");
    let hits = rx.wait_for("/ok/stock", 2).await;
    assert_eq!(body(&hits[1])["data"]["current_locked_stock"], "0", "{b:?}");
}

#[each_backend]
async fn webhook_endpoints_are_tenant_scoped_and_validated(b: Backend) {
    let app = App::start(b).await;
    let (rx, base) = Receiver::start().await;
    let _bg = Background::start(&app, false);
    let (mine, _) = register(&app, &format!("{base}/ok/mine"), "PRODUCT", "CREATE").await;
    let other = |m: reqwest::Method, path: &str| {
        app.http.request(m, format!("{}{path}", app.base)).header("api_key", &app.other_key).header("company_id", "1")
    };
    // The other client sees nothing, and cannot change or delete it.
    let (_, r) = App::send(other(reqwest::Method::GET, "/client/Webhook")).await;
    assert_eq!(r["total"], 0, "{b:?}");
    let (_, r) = App::send(other(reqwest::Method::GET, &format!("/client/Webhook?id={mine}"))).await;
    assert_eq!(r["total"], 0);
    let change = json!({"id": mine, "url": "https://evil.example/steal"});
    let (s, r) = App::send(other(reqwest::Method::POST, "/client/Webhook").json(&change)).await;
    assert_eq!((s, r["success"].clone()), (500, json!(false)), "{r}");
    assert_eq!(r["message"], format!("Webhook {mine} does not exist or does not belong to you."));
    let (s, _) = App::send(other(reqwest::Method::DELETE, &format!("/client/Webhook/{mine}"))).await;
    assert_eq!(s, 500);
    let (s, _) = App::send(other(reqwest::Method::GET, &format!("/client/Webhook-Delivery?webhook_id={mine}"))).await;
    assert_eq!(s, 500);
    let (_, r) = app.get(&format!("/client/Webhook/{mine}")).await;
    assert_eq!((r["total"].clone(), r["data"][0]["url"].clone()), (json!(1), json!(format!("{base}/ok/mine"))));
    assert!(r["data"][0].get("secret").is_none(), "the secret is shown once");
    // The other client's products are not announced to this client's endpoint.
    let (s, _) = App::send(other(reqwest::Method::POST, "/client/Product").form(&[
        ("client_ref", "THEIRS"),
        ("name", "x"),
        ("weight", "100"),
    ]))
    .await;
    assert_eq!(s, 200);
    let (s, _) = app.post_form("/client/Product", &[("client_ref", "OURS"), ("name", "y"), ("weight", "100")]).await;
    assert_eq!(s, 200);
    let hits = rx.wait_for("/ok/mine", 1).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(rx.at("/ok/mine").len(), 1);
    assert_eq!(body(&hits[0])["data"]["client_ref"], "OURS", "{b:?}");
    // Validation in Bird's error shape.
    for (bad, needle) in [
        (json!({"url": "ftp://x/", "resource_type": "PRODUCT", "action": "CREATE"}), "http and https"),
        (json!({"url": "https://x/", "resource_type": "ORDER", "action": "CREATE"}), "resource_type"),
        (
            json!({"url": "https://x/", "resource_type": "PRODUCT", "action": "GET_DELIVERY_REFERENCE"}),
            "CREATE, UPDATE",
        ),
        (json!({"resource_type": "PRODUCT", "action": "CREATE"}), "url is required"),
        (
            json!({"url": "https://x/", "resource_type": "PRODUCT", "action": "CREATE", "status": "MAYBE"}),
            "ACTIVE or INACTIVE",
        ),
    ] {
        let (s, r) = app.post_json("/client/Webhook", &bad).await;
        assert_eq!(s, 500, "{bad}");
        assert!(r["message"].as_str().unwrap().contains(needle), "{bad}: {r}");
    }
    // Update (Bird merges), a chosen secret, list language, delete.
    let (s, r) =
        app.post_form("/client/Webhook", &[("id", &mine), ("status", "INACTIVE"), ("secret", "my-own-secret")]).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["data"]["status"].as_str(), r["data"]["action"].as_str(), r["data"]["secret"].as_str()),
        (Some("INACTIVE"), Some("CREATE"), Some("my-own-secret"))
    );
    let (_, r) = app.get("/client/Webhook?status=INACTIVE").await;
    assert_eq!(r["total"], 1);
    let (s, r) = app.post_json(&format!("/client/Webhook/{mine}"), &json!({"action": "UPDATE"})).await;
    assert_eq!((s, r["data"]["action"].as_str()), (200, Some("UPDATE")), "{r}");
    let req = app.req(reqwest::Method::DELETE, &format!("/client/Webhook/{mine}"));
    let (s, r) = App::send(req).await;
    assert_eq!((s, r["success"].clone()), (200, json!(true)));
    let (_, r) = app.get("/client/Webhook").await;
    assert_eq!(r["total"], 0, "{b:?}");
}

#[each_backend]
async fn book_now_returns_the_label_at_once(b: Backend) {
    let app = App::start(b).await;
    let carrier = Arc::new(SandboxCarrier::new());
    let (s, r) = app.post_json(PENDING, &json!([pending_row("WH-NOW", "IP-XX3355", 1)])).await;
    assert_eq!(s, 200, "{r}");
    let id = r["data"][0]["id"].as_str().unwrap().to_owned();
    let order = app.store.find_order(&app.client, &id).await.unwrap().id;
    let booking =
        book_now(&app.use_cases, carrier.clone(), &BookingConfig::default(), &app.client, &order).await.unwrap();
    assert!(is_valid_s10(&booking.tracking_number), "{b:?}: {}", booking.tracking_number);
    assert!(booking.label_pdf.starts_with(b"%PDF-"));
    assert_eq!(booking.carrier_name, "Royal Mail");
    let (_, r) = app.get(&format!("/client/Consignment?id={id}")).await;
    assert_eq!(r["data"][0]["delivery_reference"].as_str(), Some(booking.tracking_number.as_str()));
    // Asking again returns the same booking and label; nothing is booked twice.
    let again =
        book_now(&app.use_cases, carrier.clone(), &BookingConfig::default(), &app.client, &order).await.unwrap();
    assert_eq!(again, booking);
    // Not another client's order, and not a draft.
    let theirs = book_now(
        &app.use_cases,
        carrier.clone(),
        &BookingConfig::default(),
        &entrepot_core::ids::ClientId("nobody".into()),
        &order,
    )
    .await;
    assert!(matches!(theirs, Err(BookingError::Store(_))), "{theirs:?}");
    let (s, r) = app
        .post_json("/client/Consignment", &json!({"delivery_service_id": "139", "contact": "A", "address_line1": "1 St", "city": "Leeds", "post_code": "LS1 1AA", "country_iso": "GB"}))
        .await;
    assert_eq!(s, 200, "{r}");
    let draft = app.store.find_order(&app.client, r["data"]["id"].as_str().unwrap()).await.unwrap().id;
    let e =
        book_now(&app.use_cases, carrier.clone(), &BookingConfig::default(), &app.client, &draft).await.unwrap_err();
    assert!(matches!(&e, BookingError::NotBookable { status, .. } if status == "DRAFT"), "{e:?}");
    // A carrier refusal puts the order in PROBLEM and keeps the reason.
    let svc = app.store.service_by_numeric_id(139).await.unwrap();
    let new = NewOutbound {
        client_id: app.client.clone(),
        reference: "NO-POSTCODE".into(),
        recipient: Address {
            name: "B".into(),
            lines: vec!["2 St".into()],
            city: "York".into(),
            country: "GB".into(),
            ..Default::default()
        },
        lines: vec![(app.mug, 1)],
        ..Default::default()
    };
    let bad = entrepot_store::fixtures::place_order(&app.store, new, &svc.id, true).await.unwrap();
    let e =
        book_now(&app.use_cases, carrier.clone(), &BookingConfig::default(), &app.client, &bad.id).await.unwrap_err();
    assert!(matches!(&e, BookingError::Carrier(CarrierError::Rejected(m)) if m.contains("postcode")), "{e:?}");
    let (_, r) = app.get(&format!("/client/Consignment?id={}", bad.bird_id)).await;
    assert_eq!(r["data"][0]["status"], "PROBLEM", "{b:?}");
    let reason = app.store.booking_error(&app.client, &bad.id).await.unwrap().unwrap_or_default();
    assert!(reason.contains("recipient.postcode"), "{reason}");
    app.assert_books_balance().await;
}
