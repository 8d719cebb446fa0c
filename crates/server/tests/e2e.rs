//! End-to-end tests of the `entrepot` binary: real processes, real sockets, both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    process::{Command, Output, Stdio},
    time::Duration,
};

mod common;

use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

#[each_backend]
async fn demo_server_answers_writes_credentials_and_keeps_data_across_restart(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let (status, body) = get(&format!("{}/healthz", server.base)).await;
    assert_eq!(status, 200, "{backend:?}: {body}");
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    assert_eq!(creds["base_url"], server.base.as_str());
    assert_eq!(creds["bird"]["api_key"].as_str().unwrap().len(), 32);
    assert_eq!(creds["bird"]["company_ids"]["UK1"], 1);
    assert_eq!(creds["bird"]["company_ids"]["DE"], 12);
    for k in ["client_key", "secret_key", "redirect_uri", "username", "password"] {
        assert!(creds["oc"][k].as_str().is_some_and(|v| !v.is_empty()), "{backend:?}: oc.{k}");
    }
    let skus = creds["skus"].as_array().unwrap();
    assert!(skus.len() >= 6, "{backend:?}: SKUs in both warehouses");
    for s in skus {
        for k in ["client_ref", "product_id", "mfskuid", "warehouse", "available"] {
            assert!(!s[k].is_null(), "{backend:?}: skus[].{k}");
        }
    }
    let (status, metrics) = get(&format!("{}/metrics", server.base)).await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("entrepot_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("entrepot_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("# TYPE entrepot_orders_awaiting_booking gauge"), "{metrics}");
    assert!(metrics.contains("\nentrepot_webhook_deliveries_pending "), "{metrics}");
    assert!(server.stop().success(), "{backend:?}: graceful shutdown exits 0");

    // Restart: nothing is seeded twice, the same credentials come back, the stock is there.
    let server = Server::start(dir.path(), &db.url, true);
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    assert_eq!(again["bird"]["api_key"], creds["bird"]["api_key"]);
    assert_eq!(again["base_url"], server.base.as_str());
    let clients = admin_ok(&db.url, &["client", "list"]);
    assert_eq!(clients.as_array().unwrap().len(), 1, "{backend:?}: demo client seeded once");
    let stock = admin_ok(&db.url, &["stock", "show", "--client", "Demo Seller Ltd"]);
    let total: i64 = stock.as_array().unwrap().iter().map(|r| r["available"].as_i64().unwrap()).sum();
    let expected: i64 = skus.iter().map(|s| s["available"].as_i64().unwrap()).sum();
    assert_eq!(total, expected, "{backend:?}: stock kept across restart");
    assert!(admin(&db.url, &["check"]).status.success());
    assert!(server.stop().success());
}

#[tokio::test]
async fn bad_input_gets_one_clear_line_and_a_non_zero_exit() {
    // (arguments, environment, expected message)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec!["serve", "--no-such-flag"], vec![], "unexpected argument '--no-such-flag'"),
        (vec!["frobnicate"], vec![], "unrecognized subcommand"),
        (vec!["serve", "--database-url", "postgres://u:secret@127.0.0.1:1/db"], vec![], "cannot connect to PostgreSQL"),
        (vec!["serve", "--database-url", "mysql://x/y"], vec![], "unsupported database URL"),
        (vec!["serve"], vec![("ENTREPOT_LISTEN", "not-an-address")], "invalid value 'not-an-address'"),
        (
            vec!["admin", "--database-url", "postgres://u:secret@127.0.0.1:1/db", "check"],
            vec![],
            "cannot connect to PostgreSQL",
        ),
        (vec!["serve", "--data-dir", "/proc/entrepot-cannot-exist"], vec![], "cannot create data directory"),
    ];
    for (args, env, expect) in cases {
        let out = Command::new(BIN).args(&args).env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1).envs(env).output().unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(expect), "{args:?}: expected '{expect}' in: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line, got: {err}");
        assert!(!err.contains("panicked") && !err.contains("secret"), "{args:?}: {err}");
    }
    // A port already taken.
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .args(["serve", "--listen", &addr])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("cannot listen on {addr}")), "{}", stderr(&out));
    // A corrupt database file and a corrupt demo credentials file.
    let corrupt = tempfile::tempdir().unwrap();
    std::fs::write(corrupt.path().join("entrepot.db"), vec![0x42u8; 8192]).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(corrupt.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a database"), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim_end().lines().count(), 1, "{}", stderr(&out));
    let demo = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", demo.path().join("entrepot.db").display());
    let first = Server::start(demo.path(), &db, true);
    assert!(first.stop().success());
    std::fs::write(demo.path().join("demo-credentials.json"), "{ not json").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database-url", &db])
        .arg("--data-dir")
        .arg(demo.path())
        .env("RUST_LOG", "off")
        .env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("demo-credentials.json is not valid JSON"), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim_end().lines().count(), 1, "{}", stderr(&out));
    // Admin refusals are one line too.
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("x.db").display());
    let out = admin(&db, &["sku", "approve", "--client", "nobody", "--sku", "X"]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).trim(), "error: client nobody not found");
}

/// `entrepot admin order place` of one ACME-1 to Leeds, not yet run.
fn place_command(db: &str, reference: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["admin", "--database-url", db, "order", "place", "--client", "Acme", "--warehouse", "UK1"])
        .args(["--service", "GBDomesticStandard", "--reference", reference, "--line", "ACME-1:1"])
        .args([
            "--to-name",
            "Ann",
            "--to-line",
            "1 High St",
            "--to-city",
            "Leeds",
            "--to-postcode",
            "LS1 1AA",
            "--to-country",
            "GB",
        ])
        .env("RUST_LOG", "warn")
        .env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1);
    cmd
}

fn place(db: &str, reference: &str) -> Output {
    place_command(db, reference).output().unwrap()
}

#[each_backend]
async fn admin_cli_runs_the_warehouse(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_with_cli(&db.url, 5);
    let key = admin_ok(&db.url, &["api-key", "create", "--client", "Acme"]);
    assert_eq!(key["api_key"].as_str().unwrap().len(), 32);
    let app = admin_ok(
        &db.url,
        &[
            "erp-app",
            "create",
            "--client",
            "Acme",
            "--name",
            "ERP",
            "--kind",
            "3PP-ERP",
            "--environment",
            "sandbox",
            "--redirect-uri",
            "https://erp.example/cb",
        ],
    );
    assert_eq!(app["client_key"].as_str().unwrap().len(), 36);
    admin_ok(&db.url, &["erp-app", "revoke", "--client-key", app["client_key"].as_str().unwrap()]);
    let user = admin(&db.url, &["user", "create", "--client", "Acme", "--username", "ann", "--password", "short"]);
    assert!(stderr(&user).contains("at least 8 characters"));
    admin_ok(&db.url, &["user", "create", "--client", "Acme", "--username", "ann", "--password", "long enough"]);
    let order: Value = serde_json::from_slice(&place(&db.url, "PO-1").stdout).unwrap();
    assert_eq!(order["status"], "Submitted");
    assert_eq!(order["handling_fee"], 120);
    assert_eq!(order["delivery_fee"], 325);
    let dup = place(&db.url, "PO-1");
    assert!(stderr(&dup).contains("duplicate order reference [PO-1]"), "{}", stderr(&dup));
    for st in ["WAIT_PICKING", "PICKING"] {
        admin_ok(&db.url, &["order", "status", "--client", "Acme", "--order", "PO-1", "--to", st]);
    }
    let late = admin(&db.url, &["order", "status", "--client", "Acme", "--order", "PO-1", "--to", "CANCELLED"]);
    assert!(stderr(&late).contains("picking has started"), "{}", stderr(&late));
    for st in ["PACKED", "SHIPPED"] {
        admin_ok(&db.url, &["order", "status", "--client", "Acme", "--order", "PO-1", "--to", st]);
    }
    let bal = admin_ok(&db.url, &["balance", "show", "--client", "Acme"]);
    assert_eq!(bal["balances"][0]["charged"], "4.45");
    admin_ok(
        &db.url,
        &[
            "stock",
            "adjust",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--sku",
            "ACME-1",
            "--delta",
            "-2",
            "--note",
            "damaged",
        ],
    );
    admin_ok(&db.url, &["stock", "freeze", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--qty", "1"]);
    let over = admin(
        &db.url,
        &["stock", "adjust", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--delta", "-5"],
    );
    assert!(stderr(&over).contains("insufficient stock"), "stock never goes negative: {}", stderr(&over));
    let ok = admin(&db.url, &["check"]);
    assert!(ok.status.success(), "{backend:?}: {}", stderr(&ok));
}

#[each_backend]
async fn admin_check_names_a_broken_invariant(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_with_cli(&db.url, 3);
    assert!(admin(&db.url, &["check"]).status.success());
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    store.execute_raw("UPDATE stock SET available = available - 1").await.unwrap();
    store.close().await;
    let out = admin(&db.url, &["check"]);
    assert!(!out.status.success(), "{backend:?}");
    assert!(
        stderr(&out).contains("stock = sum of transfers")
            && stderr(&out).contains("available is 2 but transfers add up to 3"),
        "{}",
        stderr(&out)
    );
}

/// 64 separate `entrepot` processes on one database race for the last 10 units.
#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn processes_sharing_one_database_never_oversell(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_with_cli(&db.url, 10);
    let url = db.url.clone();
    let results = tokio::task::spawn_blocking(move || {
        let children: Vec<_> = (0..64)
            .map(|k| {
                place_command(&url, &format!("RACE-{k}"))
                    .env("RUST_LOG", "off")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        children.into_iter().map(|c| c.wait_with_output().unwrap()).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let ok = results.iter().filter(|o| o.status.success()).count();
    for o in results.iter().filter(|o| !o.status.success()) {
        assert!(stderr(o).contains("insufficient stock"), "{backend:?}: {}", stderr(o));
    }
    assert_eq!(ok, 10, "{backend:?}");
    let check = admin(&db.url, &["check"]);
    assert!(check.status.success(), "{backend:?}: {}", stderr(&check));
    let stock = admin_ok(&db.url, &["stock", "show", "--client", "Acme"]);
    assert_eq!((stock[0]["available"].as_i64(), stock[0]["reserved_allocated"].as_i64()), (Some(0), Some(10)));
}

/// A process killed (SIGKILL) in the middle of a Bird bulk conversion: after a restart the task
/// finishes, every row became exactly one consignment, none twice, none lost.
#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_conversion_survives_a_killed_process(backend: Backend) {
    const ROWS: usize = 600;
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let env = [("ENTREPOT_TASK_LEASE_MS", "1000")];
    let server = Server::start_with(dir.path(), &db.url, true, &env);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    admin_ok(
        &db.url,
        &[
            "stock",
            "adjust",
            "--client",
            "Demo Seller Ltd",
            "--warehouse",
            "UK1",
            "--sku",
            "DEMO-MUG-01",
            "--delta",
            "1000",
        ],
    );
    let http = reqwest::Client::new();
    let rows: Vec<Value> = (0..ROWS)
        .map(|k| {
            serde_json::json!({"contact": format!("Buyer {k}"), "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA",
                "country_name": "United Kingdom", "product_company_ref": "DEMO-MUG-01*1", "delivery_service_name": "Royal Mail Tracked 48",
                "type": "LOCAL", "thirty_system_id": format!("T{k}")})
        })
        .collect();
    let call =
        |base: &str, path: &str| http.get(format!("{base}{path}")).header("api_key", &key).header("company_id", "1");
    // The demo's own outbound day has orders waiting already.
    let pending = |base: String| {
        let req = call(&base, "/client/Consignment?limit=1&status=PENDING");
        async move { req.send().await.unwrap().json::<Value>().await.unwrap()["total"].as_i64().unwrap() }
    };
    let before = pending(server.base.clone()).await;
    let r: Value = http
        .post(format!("{}/client/Consignment-Upload/Temp-Consignment-Json", server.base))
        .header("api_key", &key)
        .header("company_id", "1")
        .json(&rows)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["success"], true, "{backend:?}: {r}");
    let r: Value = call(&server.base, "/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let task = r["taskId"].clone();
    // Kill the server once the conversion is under way.
    let mut seen = 0;
    for _ in 0..2000 {
        let d: Value = call(&server.base, &format!("/client/Gearman-background-tasks/Get-Detail?id={task}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen = d["numberOfConsignmentsProcessed"].as_i64().unwrap_or(0);
        if seen >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill_hard();
    assert!(seen >= 20 && (seen as usize) < ROWS, "{backend:?}: killed at {seen} of {ROWS}");
    // Restart: the lease runs out, the task is resumed and finishes.
    let server = Server::start_with(dir.path(), &db.url, true, &env);
    let mut detail = Value::Null;
    for _ in 0..600 {
        detail = call(&server.base, &format!("/client/Gearman-background-tasks/Get-Detail?id={task}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if detail["status"] == "FINISH" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(detail["status"], "FINISH", "{backend:?}: {detail}");
    let data = detail["data"].as_object().unwrap();
    assert_eq!((data.len(), detail["errorData"].as_object().unwrap().len()), (ROWS, 0), "{backend:?}");
    let mut ids: Vec<&str> = data.values().map(|v| v.as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ROWS, "{backend:?}: one consignment per row");
    assert_eq!(pending(server.base.clone()).await, before + ROWS as i64, "{backend:?}: no duplicate consignment");
    assert!(admin(&db.url, &["check"]).status.success());
    assert!(server.stop().success());
}
