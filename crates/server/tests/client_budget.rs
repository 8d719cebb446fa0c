//! The per-client request budget against the real binary, on both backends: a client that spends
//! it is refused in each dialect's own shape with `Retry-After`, other clients are not affected,
//! the budget comes back with time, and `/metrics` counts the refusals by dialect.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

mod common;

use common::*;
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

const SNAPSHOT: &str = "/openapi/3pp/inventory/v2/snapshot";

#[each_backend]
async fn a_client_that_spends_its_budget_waits_and_the_others_do_not(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    // 1 request a second, 5 at once: small enough to spend in a test.
    let env = [("ENTREPOT_CLIENT_RATE_PER_SEC", "1"), ("ENTREPOT_CLIENT_BURST", "5")];
    let server = Server::start_with(dir.path(), &db.url, true, &env);
    let base = server.base.clone();
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    let (ck, sk) = (s(&creds["oc"]["client_key"]), s(&creds["oc"]["secret_key"]));
    // Logging in and getting tokens are not business calls: they spend nothing.
    let oc = OcClient::new(&base, &ck, &sk);
    let redirect = s(&creds["oc"]["redirect_uri"]);
    let code =
        oc.login_for_code(&redirect, "st", &s(&creds["oc"]["username"]), &s(&creds["oc"]["password"])).await.unwrap();
    let token = oc.exchange_code(&code, &redirect).await.unwrap().access_token;
    let other_key = admin_ok(&db.url, &["client", "create", "--name", "Other", "--currency", "GBP", "--site", "UK1"]);
    assert!(other_key.is_object());
    let other_key = s(&admin_ok(&db.url, &["api-key", "create", "--client", "Other"])["api_key"]);

    let http = reqwest::Client::new();
    let bird = |key: String| {
        let http = http.clone();
        let url = format!("{base}/client/Delivery-Service");
        async move { http.get(url).header("api_key", key).header("company_id", "1").send().await.unwrap() }
    };
    let body = r#"{"messageId":"b-1","data":{"pageNumber":1,"pageSize":10}}"#;
    let signature = entrepot_wire::oc_signature::sign(SNAPSHOT, body.as_bytes(), &ck, &sk);
    let oc_call = || {
        http.post(format!("{base}{SNAPSHOT}"))
            .header("Access-Token", format!("Bearer {token}"))
            .header("clientKey", &ck)
            .header("vAuthorization", &signature)
            .body(body)
            .send()
    };

    let key = s(&creds["bird"]["api_key"]);
    let mut refused = None;
    for k in 0..20 {
        let r = bird(key.clone()).await;
        if r.status().as_u16() != 200 {
            refused = Some((k, r));
            break;
        }
    }
    let (k, r) = refused.expect("the budget was never spent");
    assert!((5..=7).contains(&k), "{backend:?}: refused after {k} requests, with a burst of 5");
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["success"], false, "{v}");
    assert!(v["message"].as_str().unwrap().starts_with("Too many requests"), "{v}");

    // The same client through OC spends the same budget.
    let r = oc_call().await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["code"].as_i64(), v["success"].clone()), (Some(6), Value::Bool(false)), "{v}");
    assert_eq!(v["errors"][0]["code"], "6A0429", "{v}");

    // Another client is served meanwhile.
    assert_eq!(bird(other_key.clone()).await.status().as_u16(), 200);

    // The budget refills: after Retry-After, the client is served again.
    tokio::time::sleep(Duration::from_secs(retry) + Duration::from_millis(100)).await;
    let r = oc_call().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], 0, "{v}");

    let (_, metrics) = get(&format!("{base}/metrics")).await;
    let count = |dialect: &str| {
        let prefix = format!("entrepot_client_budget_refusals_total{{dialect=\"{dialect}\"}} ");
        metrics.lines().find_map(|l| l.strip_prefix(prefix.as_str())).map(|n| n.parse::<u64>().unwrap())
    };
    assert_eq!((count("bird"), count("oc")), (Some(1), Some(1)), "{metrics}");
    assert_check(&db.url);
}

#[each_backend]
async fn the_default_budget_lets_a_busy_erp_through(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    // 500 requests as fast as 8 connections go: an ERP's busy minute, in a second or two.
    let mut tasks = vec![];
    for _ in 0..8 {
        let (http, key, url) = (http.clone(), key.clone(), format!("{}/client/Country", server.base));
        tasks.push(tokio::spawn(async move {
            for _ in 0..63 {
                let r = http.get(&url).header("api_key", &key).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (_, metrics) = get(&format!("{}/metrics", server.base)).await;
    assert!(metrics.contains("entrepot_client_budget_refusals_total{dialect=\"bird\"} 0"), "{metrics}");
    assert_check(&db.url);
}
