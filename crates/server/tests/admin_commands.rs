//! The operator commands no other test runs, through the real binary on both backends: lists,
//! service and SKU switches, the SKU audit's reject path, staff users, key revocation, a second
//! currency, the inbound steps staff perform, order show and list, and the refusals of the
//! company default. Written against the CLI before it went through the use-case layer, so it pins
//! what each command prints and how it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{admin, admin_ok, assert_check, seed_with_cli, stderr};
use entrepot_core::inbound::ShippingMode;
use entrepot_store::{NewInbound, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

/// A refusal: a non-zero exit and one line on stderr, no panic.
fn refused(db: &str, args: &[&str]) -> String {
    let out = admin(db, args);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line, got: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err.trim_end().to_owned()
}

fn at<'a>(args: &[&'a str], sku: &'a str) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(["--client", "Acme", "--sku", sku]);
    v
}

#[each_backend]
async fn operator_set_up_and_catalogue_commands(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);

    let companies = admin_ok(db, &["company", "list"]);
    assert_eq!(companies.as_array().unwrap().len(), 1, "{backend:?}");
    assert_eq!(companies[0]["name"], "Op");
    assert_eq!(admin_ok(db, &["warehouse", "list"])[0]["code"], "UK1");
    let services = admin_ok(db, &["service", "list"]);
    assert_eq!(services[0]["code"], "GBDomesticStandard");
    assert_eq!(services[0]["active"], true);
    let off = ["service", "set-active", "--warehouse", "UK1", "--code", "GBDomesticStandard", "--active", "false"];
    assert_eq!(admin_ok(db, &off), json!({"service": "GBDomesticStandard", "warehouse": "UK1", "active": false}));
    assert_eq!(admin_ok(db, &["service", "list"])[0]["active"], false, "{backend:?}");
    let on = ["service", "set-active", "--warehouse", "UK1", "--code", "GBDomesticStandard", "--active", "true"];
    assert_eq!(admin_ok(db, &on)["active"], true);
    let err = refused(db, &["service", "set-active", "--warehouse", "UK1", "--code", "Nope", "--active", "true"]);
    assert!(err.starts_with("error: ") && err.contains("not found"), "{err}");
    assert_eq!(admin_ok(db, &["client", "list"])[0]["name"], "Acme");

    // A user without --client is operator staff.
    let staff = admin_ok(db, &["user", "create", "--username", "sam", "--password", "long enough"]);
    assert_eq!(staff["role"], "staff", "{backend:?}");
    assert_eq!(staff["client_id"], Value::Null);
    let seller =
        admin_ok(db, &["user", "create", "--client", "Acme", "--username", "sue", "--password", "long enough"]);
    assert_eq!(seller["role"], "seller");

    let key = admin_ok(db, &["api-key", "create", "--client", "Acme", "--label", "erp"]);
    assert_eq!(key["note"], "shown once; store it now");
    let id = key["id"].as_str().unwrap();
    assert_eq!(admin_ok(db, &["api-key", "revoke", "--id", id]), json!({"revoked": id}));
    refused(db, &["api-key", "revoke", "--id", id]);

    // A second currency, then the balances of both.
    let bal = admin_ok(db, &["balance", "top-up", "--client", "Acme", "--amount", "5", "--currency", "eur"]);
    assert_eq!(bal["balances"].as_array().unwrap().len(), 2, "{backend:?}: {bal}");
    assert_eq!(bal["balances"][0], json!({"currency": "EUR", "available": "5.00", "held": "0.00", "charged": "0.00"}));
    assert_eq!(admin_ok(db, &["balance", "show", "--client", "Acme"]), bal);

    // The audit: submit, reject with a reason, fix and submit again, approve; then the switch.
    let created = admin_ok(
        db,
        &[
            "sku",
            "create",
            "--client",
            "Acme",
            "--sku",
            "ACME-2",
            "--name",
            "Hammer",
            "--weight-g",
            "400",
            "--currency",
            "eur",
        ],
    );
    assert_eq!(created["status"], "Draft");
    assert_eq!(created["declared_currency"], "EUR");
    let err = refused(db, &at(&["sku", "approve"], "ACME-2"));
    assert!(err.contains("cannot be changed to APPROVED"), "{backend:?}: only a submitted SKU is audited: {err}");
    assert_eq!(admin_ok(db, &at(&["sku", "submit"], "ACME-2"))["status"], "Submitted");
    let mut reject = at(&["sku", "reject"], "ACME-2");
    reject.extend(["--reason", "blurry picture"]);
    let rejected = admin_ok(db, &reject);
    assert_eq!((&rejected["status"], &rejected["reject_reason"]), (&json!("Rejected"), &json!("blurry picture")));
    admin_ok(db, &at(&["sku", "submit"], "ACME-2"));
    let approved = admin_ok(db, &at(&["sku", "approve"], "ACME-2"));
    assert_eq!((&approved["status"], &approved["reject_reason"]), (&json!("Approved"), &Value::Null));
    let mut inactive = at(&["sku", "set-active"], "ACME-2");
    inactive.extend(["--active", "false"]);
    assert_eq!(admin_ok(db, &inactive)["active"], false);
    let listed = admin_ok(db, &["sku", "list", "--client", "Acme"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{backend:?}");
    let approved_at_once = admin_ok(
        db,
        &["sku", "create", "--client", "Acme", "--sku", "ACME-3", "--name", "Nail", "--weight-g", "5", "--approved"],
    );
    assert_eq!(approved_at_once["status"], "Approved");
    let err = refused(db, &["sku", "submit", "--client", "Acme", "--sku", "NOPE"]);
    assert!(err.contains("not found"), "{err}");
    // Shared products: with a named client (by name), and with every client.
    let beta = admin_ok(db, &["client", "create", "--name", "Beta", "--currency", "GBP"]);
    let mut share = at(&["sku", "share"], "ACME-3");
    share.extend(["--with", "Beta"]);
    assert_eq!(admin_ok(db, &share), json!([beta["id"]]));
    let mut everyone = at(&["sku", "share"], "ACME-3");
    everyone.extend(["--with", "*"]);
    assert_eq!(admin_ok(db, &everyone), json!(["*", beta["id"]]));
    let mut unshare = at(&["sku", "unshare"], "ACME-3");
    unshare.extend(["--with", "Beta"]);
    assert_eq!(admin_ok(db, &unshare), json!(["*"]));
    assert!(refused(db, &unshare).contains("was not shared with Beta"));
    let mut itself = at(&["sku", "share"], "ACME-3");
    itself.extend(["--with", "Acme"]);
    assert!(refused(db, &itself).contains("own SKUs need no share"));
    assert_eq!(admin_ok(db, &at(&["sku", "shares"], "ACME-3")), json!(["*"]));
    assert_check(db);
}

#[each_backend]
async fn the_company_a_command_means(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    let wh = |company: Option<&str>| {
        let mut args = vec!["warehouse", "create", "--code", "UK1", "--name", "UK", "--country", "GB"];
        args.extend(["--timezone", "Europe/London"]);
        if let Some(c) = company {
            args.extend(["--company", c]);
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |args: &[String]| refused(db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run(&wh(None)), "error: no company yet: run `entrepot admin company create --name ...` first");
    admin_ok(db, &["company", "create", "--name", "Op"]);
    admin_ok(db, &["company", "create", "--name", "Rival"]);
    assert_eq!(run(&wh(None)), "error: several companies exist: pass --company", "{backend:?}");
    assert_eq!(run(&wh(Some("Nope"))), "error: company Nope not found");
    let made = admin_ok(db, &wh(Some("Rival")).iter().map(String::as_str).collect::<Vec<_>>());
    let rival = admin_ok(db, &["company", "list"])[1].clone();
    assert_eq!(made["company_id"], rival["id"], "{backend:?}");
    let err = refused(db, &["client", "create", "--name", "Acme", "--site", "UK1"]);
    assert_eq!(err, "error: several companies exist: pass --company");
    let err = refused(db, &["client", "create", "--name", "Acme", "--company", "Op", "--site", "UK1"]);
    assert_eq!(err, "error: warehouse UK1 belongs to another operator company", "{backend:?}");
    assert_eq!(admin_ok(db, &["client", "list"]), json!([]), "{backend:?}: a refused create creates nothing");
}

#[each_backend]
async fn inbound_steps_and_orders_seen_by_staff(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);
    // A sea inbound of 10 ACME-1, as an ERP would announce it.
    let store = Store::open(db).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let sku = store.resolve_sku(&client, "ACME-1").await.unwrap().id;
    let uk = store.warehouse_by_code("UK1").await.unwrap().id;
    let new = NewInbound {
        warehouse_id: uk,
        reference: "SEA-1".into(),
        mode: ShippingMode::Sea,
        lines: vec![(sku, 10)],
        need_clearance_doc: false,
        details: json!({}),
    };
    let number = store.create_inbound(&client, new).await.unwrap().inbound.number;
    store.close().await;
    let step = |what: &str| admin_ok(db, &["inbound", what, "--client", "Acme", "--inbound", &number]);
    let status = |v: &Value| v["inbound"]["status"].clone();

    assert_eq!(status(&step("show")), "AwaitingAppointment", "{backend:?}");
    let err = refused(db, &["inbound", "close", "--client", "Acme", "--inbound", &number]);
    assert!(err.contains("cannot be changed to PUT_AWAY"), "{backend:?}: {err}");
    assert_eq!(step("appointment")["inbound"]["has_appointment"], true);
    assert_eq!(status(&step("arrive")), "Arrived", "{backend:?}");
    let with = |cmd: &str, qty: &str| {
        let args = ["stock", cmd, "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--qty", qty];
        admin_ok(db, &[&args[..], &["--inbound", &number]].concat())
    };
    assert_eq!(with("receive", "8")["received"], 8, "{backend:?}");
    let row = with("put-away", "8");
    assert_eq!((&row["available"], &row["received"], &row["seller_sku"]), (&json!(13), &json!(0), &json!("ACME-1")));
    let closed = step("close");
    assert_eq!(status(&closed), "PutAway", "{backend:?}");
    let err = refused(db, &["inbound", "show", "--client", "Acme", "--inbound", "NOPE"]);
    assert_eq!(err, "error: inbound order NOPE not found");

    // Freeze and unfreeze; a quantity without a negation is refused, not a crash.
    let freeze = |qty: &str| {
        let args = ["stock", "freeze", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--qty", qty];
        admin_ok(db, &args)
    };
    assert_eq!(freeze("3")["suspend"], 3);
    let row = freeze("-3");
    assert_eq!((&row["suspend"], &row["available"]), (&json!(0), &json!(13)), "{backend:?}");
    let unannounced =
        admin_ok(db, &["stock", "receive", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--qty", "2"]);
    assert_eq!(unannounced["received"], 2);
    let err = refused(
        db,
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
            "1",
            "--bucket",
            "x",
        ],
    );
    assert_eq!(err, "error: bucket: unknown bucket 'x'", "{backend:?}");
    let shown = admin_ok(db, &["stock", "show", "--client", "Acme"]);
    assert_eq!(
        shown,
        json!([{"sku_id": sku.0, "warehouse": "UK1", "in_transit": 0, "received": 2, "available": 13,
        "reserved_allocated": 0, "reserved_hold": 0, "suspend": 0, "unfulfillable": 0}])
    );

    // Orders by reference: show and list.
    let place = [
        "order",
        "place",
        "--client",
        "Acme",
        "--warehouse",
        "UK1",
        "--service",
        "GBDomesticStandard",
        "--reference",
        "PO-7",
        "--line",
        "ACME-1:2",
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
        "--draft",
    ];
    assert_eq!(admin_ok(db, &place)["status"], "Draft", "{backend:?}");
    let shown = admin_ok(db, &["order", "show", "--client", "Acme", "--order", "PO-7"]);
    assert_eq!(shown["reference"], "PO-7");
    let listed = admin_ok(db, &["order", "list", "--client", "Acme"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], shown["id"]);
    let submitted = admin_ok(db, &["order", "status", "--client", "Acme", "--order", "PO-7", "--to", "SUBMITTED"]);
    assert_eq!(submitted["status"], "Submitted", "{backend:?}");
    let err = refused(db, &["order", "status", "--client", "Acme", "--order", "PO-7", "--to", "NOPE"]);
    assert!(err.starts_with("error: "), "{err}");
    assert_check(db);
}

/// `admin stock receive --inbound` on an inbound created with OC's `needClearanceDoc`: refused,
/// naming the inbound and the missing documents, until the customs files are recorded (the OC
/// upload's path, tested over the wire in `dialect-oc/tests/oc_inbound.rs`); then received.
#[each_backend]
async fn receiving_waits_for_the_clearance_documents_an_inbound_needs(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);
    let store = Store::open(db).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let sku = store.resolve_sku(&client, "ACME-1").await.unwrap().id;
    let uk = store.warehouse_by_code("UK1").await.unwrap().id;
    let new = NewInbound {
        warehouse_id: uk,
        reference: "CLR-1".into(),
        mode: ShippingMode::Sea,
        lines: vec![(sku, 10)],
        need_clearance_doc: true,
        details: json!({}),
    };
    let number = store.create_inbound(&client, new).await.unwrap().inbound.number;
    let args = ["stock", "receive", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1", "--qty", "4"];
    let receive = [&args[..], &["--inbound", &number]].concat();
    let err = refused(db, &receive);
    assert_eq!(
        err,
        format!(
            "error: inbound {number} cannot be received until its customs clearance documents are uploaded \
             (it was created with needClearanceDoc): missing packing list (PL), invoice (IN)"
        ),
        "{backend:?}"
    );
    store.add_inbound_clearance_docs(&client, &number, &["PL".into(), "IN".into()]).await.unwrap();
    store.close().await;
    assert_eq!(admin_ok(db, &receive)["received"], 4, "{backend:?}");
    let shown = admin_ok(db, &["inbound", "show", "--client", "Acme", "--inbound", &number]);
    assert_eq!(shown["inbound"]["clearance"], json!({"required": true, "uploaded": ["PL", "IN"]}));
    assert_check(db);
}

#[each_backend]
async fn stock_moves_of_quantities_that_cannot_be_negated_are_refused(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);
    let min = i64::MIN.to_string();
    let base = ["--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1"];
    let err = refused(db, &[&["stock", "freeze"][..], &base, &["--qty", &min]].concat());
    assert!(err.contains("quantity"), "{backend:?}: {err}");
    let err = refused(db, &[&["stock", "adjust"][..], &base, &["--delta", &min]].concat());
    assert!(err.contains("quantity"), "{backend:?}: {err}");
    assert_check(db);
}

/// Bins through the CLI: a range and a single location, the putaway suggestion as `stock
/// put-away`'s default, an explicit `--bin`, a move refused past a bin's capacity, the units per
/// location, the tasks list and the labels; the check balances throughout.
#[each_backend]
async fn bins_and_putaway_through_the_cli(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);
    let made = admin_ok(db, &["location", "range", "--warehouse", "UK1", "--range", "a-01-01..03"]);
    assert_eq!(made, json!({"created": 3, "first": "A-01-01", "last": "A-01-03"}), "{backend:?}");
    let r1 = ["location", "create", "--warehouse", "UK1", "--code", "R-1", "--type", "reserve", "--capacity", "4"];
    assert_eq!(admin_ok(db, &r1)["kind"], "reserve");
    let err = refused(db, &r1);
    assert!(err.contains("duplicate location code") && err.contains("R-1"), "{err}");
    let listed = admin_ok(db, &["location", "list", "--warehouse", "UK1", "--prefix", "a"]);
    let codes: Vec<&str> = listed.as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["A-01-01", "A-01-02", "A-01-03"], "{backend:?}");
    let page = admin_ok(db, &["location", "list", "--warehouse", "UK1", "--after", "A-01-03", "--limit", "2"]);
    let codes: Vec<&str> = page.as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["DAMAGED", "DOCK"], "{backend:?}: cursor pages in code order");

    admin_ok(db, &at(&["stock", "receive", "--warehouse", "UK1", "--qty", "6"], "ACME-1"));
    let tasks = admin_ok(db, &["location", "tasks", "--warehouse", "UK1"]);
    assert_eq!(tasks[0]["qty"], 6, "{backend:?}: {tasks}");
    assert_eq!(tasks[0]["suggested_bin"], "A-01-01");
    let row = admin_ok(db, &at(&["stock", "put-away", "--warehouse", "UK1", "--qty", "4"], "ACME-1"));
    assert_eq!(row["available"], 9, "{backend:?}");
    admin_ok(db, &at(&["stock", "put-away", "--warehouse", "UK1", "--qty", "2", "--bin", "r-1"], "ACME-1"));
    let held = admin_ok(db, &["location", "stock", "--warehouse", "UK1"]);
    let held: Vec<(&str, i64)> =
        held.as_array().unwrap().iter().map(|r| (r["code"].as_str().unwrap(), r["qty"].as_i64().unwrap())).collect();
    assert_eq!(held, [("A-01-01", 4), ("DOCK", 5), ("R-1", 2)], "{backend:?}");
    let mv = ["location", "move", "--warehouse", "UK1", "--from", "A-01-01", "--to", "R-1", "--qty", "3"];
    let err = refused(db, &at(&mv, "ACME-1"));
    assert!(err.contains("room for 2 more"), "{err}");
    let mv = ["location", "move", "--warehouse", "UK1", "--from", "A-01-01", "--to", "A-01-02", "--qty", "3"];
    assert_eq!(admin_ok(db, &at(&mv, "ACME-1")).as_array().unwrap().len(), 4, "{backend:?}");
    assert!(admin_ok(db, &["location", "tasks", "--warehouse", "UK1"]).as_array().unwrap().is_empty());
    let err = refused(db, &["location", "disable", "--warehouse", "UK1", "--code", "DOCK"]);
    assert!(err.contains("default location"), "{err}");
    assert_eq!(admin_ok(db, &["location", "disable", "--warehouse", "UK1", "--code", "A-01-03"])["disabled"], true);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("bins.pdf");
    let out =
        admin_ok(db, &["location", "labels", "--warehouse", "UK1", "--prefix", "A", "--out", pdf.to_str().unwrap()]);
    assert_eq!(out["labels"], 2, "{backend:?}: the disabled bin is left out");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert_check(db);
}

/// The demo seeds bins in both warehouses and puts its stock away into them, not at the dock;
/// the books balance.
#[each_backend]
async fn the_demo_puts_its_stock_away_into_bins_and_runs_an_outbound_day(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = common::Server::start(dir.path(), &test_db.url, true);
    assert!(server.stop().success(), "{backend:?}");
    let db = test_db.url.as_str();
    for (wh, first) in [("UK1", 120), ("DE", 60)] {
        let reserve = admin_ok(db, &["location", "list", "--warehouse", wh, "--zone", "R"]);
        assert_eq!(reserve.as_array().unwrap().len(), 6, "{backend:?}: {wh}");
        let held = admin_ok(db, &["location", "stock", "--warehouse", wh]);
        let held: Vec<(&str, i64)> = held
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["code"].as_str().unwrap(), r["qty"].as_i64().unwrap()))
            .collect();
        let bins: Vec<&(&str, i64)> = held.iter().filter(|(code, _)| code.starts_with("A-")).collect();
        assert_eq!(bins.len(), 4, "{backend:?}: {wh} {held:?}");
        assert_eq!(held[0], ("A-01-01-1", first), "{backend:?}: {wh}");
        // At UK1 the demo's outbound day has picked units in PACK, and one inbound's 12 units
        // wait at the dock for the putaway screen; nothing else is left at a dock.
        let packing = held.iter().filter(|(code, _)| *code == "PACK").count();
        let dock: Vec<i64> = held.iter().filter(|(code, _)| *code == "DOCK").map(|(_, q)| *q).collect();
        assert_eq!(held.len(), 4 + packing + dock.len(), "{backend:?}: {wh} {held:?}");
        assert_eq!(packing, usize::from(wh == "UK1"), "{backend:?}: {wh} {held:?}");
        assert_eq!(dock, if wh == "UK1" { vec![12] } else { vec![] }, "{backend:?}: {wh} {held:?}");
    }
    // Orders in every stage, for the console to show.
    let store = entrepot_store::Store::open(db).await.unwrap();
    for status in ["SUBMITTED", "WAIT_PICKING", "PICKING", "PACKED", "SHIPPED"] {
        let sql = format!("SELECT COUNT(*) AS n FROM outbound_orders WHERE status = '{status}'");
        assert!(store.count_raw(&sql).await.unwrap() > 0, "{backend:?}: no {status} order");
    }
    store.close().await;
    assert_check(db);
}

/// The SKU audit as the floor runs it, from the CLI: the queue with its cursor, measuring (on its
/// own or with the verdict), and every step in the audit trail as `admin-cli`.
#[each_backend]
async fn sku_audit_commands_queue_measure_and_record_the_trail(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 1);
    let create = |sku: &'static str| {
        admin_ok(
            db,
            &[
                "sku",
                "create",
                "--client",
                "Acme",
                "--sku",
                sku,
                "--name",
                "Box",
                "--weight-g",
                "400",
                "--length-mm",
                "100",
            ],
        )
    };
    create("ACME-M");
    create("ACME-N");
    assert_eq!(admin_ok(db, &["sku", "queue"]), json!([]), "{backend:?}: drafts are not queued");
    admin_ok(db, &at(&["sku", "submit"], "ACME-M"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    admin_ok(db, &at(&["sku", "submit"], "ACME-N"));
    let queue = admin_ok(db, &["sku", "queue", "--client", "Acme"]);
    let skus: Vec<_> = queue.as_array().unwrap().iter().map(|r| r["sku"]["seller_sku"].clone()).collect();
    assert_eq!(skus, [json!("ACME-M"), json!("ACME-N")], "{backend:?}: oldest first");
    let first = queue[0]["cursor"].as_str().unwrap();
    let rest = admin_ok(db, &["sku", "queue", "--after", first, "--limit", "1"]);
    assert_eq!(rest.as_array().unwrap().len(), 1);
    assert_eq!(rest[0]["sku"]["seller_sku"], "ACME-N", "{backend:?}");
    let err = refused(db, &["sku", "queue", "--after", "yesterday"]);
    assert!(err.contains("not a queue cursor"), "{err}");

    // Measured on its own, then at the approval; the declaration is kept.
    let err = refused(db, &[&at(&["sku", "measure"], "ACME-M")[..], &["--weight-g", "0"]].concat());
    assert!(err.contains("must be positive"), "{backend:?}: {err}");
    let m =
        admin_ok(db, &[&at(&["sku", "measure"], "ACME-M")[..], &["--weight-g", "455", "--length-mm", "120"]].concat());
    assert_eq!((m["weight_g"].clone(), m["length_mm"].clone()), (json!(455), json!(120)), "{backend:?}: {m}");
    assert_eq!(m["measurement"]["declared"]["weight_g"], 400);
    let approved = admin_ok(db, &[&at(&["sku", "approve"], "ACME-M")[..], &["--height-mm", "30"]].concat());
    assert_eq!(
        (approved["status"].clone(), approved["weight_g"].clone(), approved["height_mm"].clone()),
        (json!("Approved"), json!(455), json!(30))
    );
    let mut reject = at(&["sku", "reject"], "ACME-N");
    reject.extend(["--reason", "no battery declaration", "--weight-g", "900"]);
    let rejected = admin_ok(db, &reject);
    assert_eq!((rejected["status"].clone(), rejected["weight_g"].clone()), (json!("Rejected"), json!(900)));
    assert_eq!(admin_ok(db, &["sku", "queue"]), json!([]), "{backend:?}");

    let store = Store::open(db).await.unwrap();
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    let id = approved["id"].as_i64().unwrap().to_string();
    let trail = app.audit_trail(&entrepot_core::actor::Actor::system("t"), "sku", &id).await.unwrap();
    let steps: Vec<_> = trail.iter().map(|e| (e.action.as_str(), e.actor_name.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("sku.submitted", "admin-cli"),
            ("sku.measured", "admin-cli"),
            ("sku.measured", "admin-cli"),
            ("sku.approved", "admin-cli")
        ],
        "{backend:?}"
    );
    store.close().await;
    assert_check(db);
}
