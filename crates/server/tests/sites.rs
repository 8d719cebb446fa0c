//! Client sites through the real binary on both backends: `admin client create --site`,
//! `attach`, `detach` and `sites`; attaching across operators refused; a change made by `admin`
//! seen by a running server within the cache's second; the demo client on UK1 and DE.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{admin, admin_ok, seed_with_cli, stderr, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

fn warehouse(db: &str, code: &str, bird: &str, company: &str) {
    admin_ok(
        db,
        &[
            "warehouse",
            "create",
            "--code",
            code,
            "--name",
            code,
            "--company",
            company,
            "--country",
            code,
            "--timezone",
            "Europe/Berlin",
            "--bird-company-id",
            bird,
            "--oc-region",
            code,
        ],
    );
}

fn sites(v: &Value) -> Value {
    v["sites"].clone()
}

/// GETs a Bird path with `key` and `company_id`: status and body.
async fn bird(base: &str, key: &str, company: &str, path: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("api_key", key)
        .header("company_id", company)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[each_backend]
async fn operators_attach_and_detach_their_clients_sites(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.clone();
    seed_with_cli(&db, 1);
    warehouse(&db, "DE", "12", "Op");
    admin_ok(&db, &["company", "create", "--name", "Rival"]);
    warehouse(&db, "FR", "18", "Rival");

    assert_eq!(sites(&admin_ok(&db, &["client", "sites", "--client", "Acme"])), json!(["UK1"]), "{backend:?}");
    let bare = admin_ok(&db, &["client", "create", "--name", "Bare", "--company", "Op"]);
    assert_eq!(sites(&bare), json!([]), "{backend:?}: a new client is attached to nothing");
    let out = admin(&db, &["client", "create", "--name", "Sneaky", "--company", "Op", "--site", "FR"]);
    assert!(!out.status.success() && stderr(&out).contains("another operator company"), "{}", stderr(&out));
    let out = admin(&db, &["client", "attach", "--client", "Acme", "--site", "FR"]);
    assert!(!out.status.success() && stderr(&out).contains("another operator company"), "{}", stderr(&out));
    let out = admin(&db, &["client", "attach", "--client", "Acme", "--site", "NOPE"]);
    assert!(!out.status.success(), "{backend:?}: an unknown site");
    let clients = admin_ok(&db, &["client", "list"]);
    assert_eq!(clients.as_array().unwrap().len(), 2, "{backend:?}: no client created by a refused create");

    // A running server sees an attachment made by `admin` within a second or so.
    let key = admin_ok(&db, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), &db, false);
    let (s, body) = bird(&server.base, &key, "12", "/client/Delivery-Service").await;
    assert_eq!((s, body["message"].as_str()), (500, Some("Company 12 does not exist or does not belong to you.")));
    let attached = admin_ok(&db, &["client", "attach", "--client", "Acme", "--site", "DE", "--site", "UK1"]);
    assert_eq!(sites(&attached), json!(["DE", "UK1"]), "{backend:?}");
    let mut status = 0;
    for _ in 0..40 {
        status = bird(&server.base, &key, "12", "/client/Delivery-Service").await.0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "{backend:?}: the attachment reached the server");
    let detached = admin_ok(&db, &["client", "detach", "--client", "Acme", "--site", "DE"]);
    assert_eq!(sites(&detached), json!(["UK1"]), "{backend:?}");
    let (s, body) = bird(&server.base, &key, "18", "/client/Delivery-Service").await;
    assert_eq!((s, body["message"].as_str()), (500, Some("Company 18 does not exist or does not belong to you.")));
    assert!(admin(&db, &["check"]).status.success());
    assert!(server.stop().success());
}

#[each_backend]
async fn the_demo_client_is_attached_to_uk1_and_de(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap();
    let (s, body) = bird(&server.base, key, "12", "/client/public/company-list").await;
    assert_eq!(s, 200, "{backend:?}: {body}");
    let ids: Vec<&str> = body["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["12", "1"], "{backend:?}: by code, DE before UK1");
    let listed = admin_ok(&db.url, &["client", "sites", "--client", "Demo Seller Ltd"]);
    assert_eq!(sites(&listed), json!(["DE", "UK1"]));
    assert!(server.stop().success());
}
