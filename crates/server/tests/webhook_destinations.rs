//! Server-side request forgery through webhooks, against the real binary on both backends: by
//! default a tenant can register no webhook that points inside (in any spelling of the address),
//! an operator opts networks in with `--webhook-allow-networks`, and a webhook whose destination
//! is refused at delivery — after the server's own DNS resolution too — is never called and
//! shows no response body. Redirects are not followed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{http::StatusCode, response::IntoResponse, routing::post, Router};
use common::Server;
use entrepot_store::{fixtures, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

/// A service inside the network: it answers every POST with a secret, and counts the calls.
async fn internal_service() -> (Arc<Mutex<Vec<String>>>, u16) {
    let hits: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = hits.clone();
    let app = Router::new().fallback(post(move |uri: axum::http::Uri| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(uri.path().to_owned());
            if uri.path() == "/redirect" {
                return (StatusCode::FOUND, [("location", "/elsewhere")], "moved: internal-secret").into_response();
            }
            (StatusCode::OK, "internal-secret").into_response()
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (hits, port)
}

struct Tenant {
    http: reqwest::Client,
    key: String,
}

impl Tenant {
    async fn call(&self, base: &str, method: reqwest::Method, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = self
            .http
            .request(method, format!("{base}{path}"))
            .header("api_key", &self.key)
            .header("company_id", "1")
            .form(form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    async fn register(&self, base: &str, url: &str) -> (u16, Value) {
        let form = [("url", url), ("resource_type", "PRODUCT"), ("action", "CREATE")];
        self.call(base, reqwest::Method::POST, "/client/Webhook", &form).await
    }

    async fn create_product(&self, base: &str, code: &str) {
        let form = [("client_ref", code), ("name", "Widget"), ("weight", "120"), ("price_customs_export", "3.5")];
        let (s, r) = self.call(base, reqwest::Method::POST, "/client/Product", &form).await;
        assert_eq!(s, 200, "{r}");
    }

    /// The delivery log of one webhook once it has `n` entries with an attempt (10 s at most).
    async fn attempted(&self, base: &str, webhook: &str, n: usize) -> Vec<Value> {
        for _ in 0..200 {
            let path = format!("/client/Webhook-Delivery?webhook_id={webhook}");
            let (_, r) = self.call(base, reqwest::Method::GET, &path, &[]).await;
            let rows: Vec<Value> = r["data"].as_array().cloned().unwrap_or_default();
            if rows.iter().filter(|d| d["last_attempt_time"].is_string()).count() >= n {
                return rows;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("webhook {webhook}: no {n} attempted deliveries");
    }
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_cannot_reach_internal_addresses_unless_the_operator_allows_them(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db.url).await.unwrap();
    let seller = fixtures::seller(&store, "Seller").await.unwrap();
    let key = store.create_api_key(&seller.client, "t").await.unwrap().api_key;
    store.close().await;
    let (hits, port) = internal_service().await;
    let tenant = Tenant { http: reqwest::Client::new(), key };

    // 1. Default settings: every spelling of an internal address is refused, naming the rule.
    let server = Server::start(dir.path(), &db.url, false);
    for (host, rule) in [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("[::1]", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("169.254.169.254", "link-local"),
        ("0x7f000001", "loopback"),
        ("2130706433", "loopback"),
        ("127.1", "loopback"),
        ("0177.0.0.1", "loopback"),
        ("[::ffff:127.0.0.1]", "IPv4-mapped"),
        ("[64:ff9b::7f00:1]", "NAT64"),
        ("10.0.0.7", "private"),
        ("100.64.1.1", "carrier-grade NAT"),
        ("[fd12::1]", "unique-local"),
    ] {
        let (s, r) = tenant.register(&server.base, &format!("http://{host}:{port}/hook")).await;
        assert_eq!((s, r["success"].clone()), (500, json!(false)), "{backend:?}: {host} accepted: {r}");
        let message = r["message"].as_str().unwrap();
        assert!(message.starts_with("url: ") && message.contains(rule), "{backend:?}: {host}: {message}");
        assert!(message.contains("--webhook-allow-networks"), "{backend:?}: {message}");
    }
    let (s, r) = tenant.register(&server.base, "https://93.184.215.14/hook").await;
    assert_eq!(s, 200, "{backend:?}: a public address is fine: {r}");
    let public = r["data"]["id"].as_str().unwrap().to_owned();
    let (s, _) = tenant.call(&server.base, reqwest::Method::DELETE, &format!("/client/Webhook/{public}"), &[]).await;
    assert_eq!(s, 200);
    assert!(server.stop().success());

    // 2. The operator allows loopback: the endpoints can be registered and are called, but a
    //    redirect is neither followed nor shown.
    let allow = [("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8,::1"), ("ENTREPOT_WEBHOOK_RETRY_MS", "60000")];
    let server = Server::start_with(dir.path(), &db.url, false, &allow);
    let (s, r) = tenant.register(&server.base, &format!("http://127.0.0.1:{port}/redirect")).await;
    assert_eq!(s, 200, "{backend:?}: {r}");
    let redirect = r["data"]["id"].as_str().unwrap().to_owned();
    tenant.create_product(&server.base, "P-1").await;
    let log = tenant.attempted(&server.base, &redirect, 1).await;
    assert_eq!(log[0]["response_code"], "302", "{backend:?}: {log:?}");
    assert_eq!(log[0]["response_body"], Value::Null, "{backend:?}: a redirect's body is not kept");
    assert!(log[0]["error"].as_str().unwrap().contains("redirects are not followed"), "{backend:?}");
    assert_eq!(*hits.lock().unwrap(), ["/redirect"], "{backend:?}: not followed");
    let (s, _) = tenant.call(&server.base, reqwest::Method::DELETE, &format!("/client/Webhook/{redirect}"), &[]).await;
    assert_eq!(s, 200);
    let mut hooks = vec![];
    for url in [format!("http://127.0.0.1:{port}/literal"), format!("http://localhost:{port}/named")] {
        let (s, r) = tenant.register(&server.base, &url).await;
        assert_eq!(s, 200, "{backend:?}: {url}: {r}");
        hooks.push(r["data"]["id"].as_str().unwrap().to_owned());
    }
    assert!(server.stop().success());

    // 3. Back to the defaults: the endpoints registered meanwhile are refused at delivery, the
    //    literal address before connecting, the name after the server resolved it; never
    //    called, no response body, given up at once.
    let server = Server::start(dir.path(), &db.url, false);
    tenant.create_product(&server.base, "P-2").await;
    for (hook, how) in hooks.iter().zip(["is a loopback", "resolves to"]) {
        let log = tenant.attempted(&server.base, hook, 1).await;
        let d = &log[0];
        assert_eq!((d["status"].as_str(), d["attempts"].as_str()), (Some("FAILED"), Some("1")), "{backend:?}: {d}");
        assert_eq!((d["response_code"].clone(), d["response_body"].clone()), (Value::Null, Value::Null), "{d}");
        let error = d["error"].as_str().unwrap();
        assert!(error.starts_with("refused: ") && error.contains(how) && error.contains("loopback"), "{d}");
    }
    assert_eq!(*hits.lock().unwrap(), ["/redirect"], "{backend:?}: nothing inside was called");
    assert!(server.stop().success());
    hits.lock().unwrap().clear();
    common::assert_check(&db.url);
}
