//! A warehouse day at UK1 on the real binary, both backends, as issue #19's Done-when runs it.
//! Acme's ERPs place orders through Bird and OC before the cut-off and after it (the cut-off is
//! moved with `entrepot admin warehouse cutoff`; tomorrow is closed, so the late ones are due the
//! day after). One OC order is cancelled before picking. Staff release the day's wave: one wrong
//! scan is refused, one bin turns out empty (a short pick: no other bin has the SKU, so the order
//! is an exception and the bin is counted; staff put it back onto the floor). A Bird order cancelled mid-pick becomes an intercept
//! staff accept. One parcel weighs more than its units should and waits for a supervisor. The
//! manifest is closed, tracking runs its course, and every order reads back right in the native
//! API, OC and Bird; the stock adds up and `admin check` is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use std::collections::HashMap;

use api_common::{call, call_pdf, login, seed_people_and_erps, Login, PW};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use jiff::{civil::Date, tz::TimeZone, Timestamp};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const CALLBACK: &str = "https://erp.example.com/oc/callback";
const ORDER: &str = "GET /api/v1/orders/{key}";

/// Today in London, not within five minutes of midnight (it waits those out), so that the day
/// cannot turn while the test runs.
async fn london_today() -> Date {
    let tz = TimeZone::get("Europe/London").unwrap();
    let now = Timestamp::now().to_zoned(tz.clone());
    let into_day = i64::from(now.hour()) * 3600 + i64::from(now.minute()) * 60 + i64::from(now.second());
    let left = 86_400 - into_day;
    if left < 300 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 2)).await;
    }
    Timestamp::now().to_zoned(tz).date()
}

fn bird_order(reference: &str, sku: &str, qty: i64) -> Value {
    json!([{
        "delivery_service_id": "139", "sales_reference": reference, "contact": "Ann", "address_line1": "1 High St",
        "city": "Leeds", "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL",
        "products": [{"client_sku": sku, "quantity": qty}]
    }])
}

fn oc_order(reference: &str, mfskuid: &str, qty: i64) -> Value {
    json!({
        "referenceNumber": reference, "serviceRegion": "UK", "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Bob Jones", "consigneeAddress1": "2 Low Road", "consigneeCity": "York",
        "consigneeZipCode": "YO1 7HH", "consigneeCountryCode": "GB",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": qty}]
    })
}

/// The native order as its seller reads it.
async fn native(base: &str, seller: &Login, key: &str) -> Value {
    let o = call(base, seller.bearer(), ORDER, &[key], "", None).await;
    assert_eq!(o.status, 200, "{}", o.body);
    o.body
}

/// OC's query row of the order numbered `number`.
async fn oc_row(oc: &entrepot_client::OcClient, number: &str) -> Value {
    let rows =
        oc.call("/openapi/3pp/outbound/v2/query", json!({"orderNumberList": [{"orderNumber": number}]})).await.unwrap();
    rows[0].clone()
}

/// Bird's consignment row of the order with Bird id `id`.
async fn bird_row(bird: &BirdErp, id: i64) -> Value {
    let rows = bird.get(&format!("/client/Consignment?id={id}")).await;
    rows["data"][0].clone()
}

/// ACME-1 available at UK1, as OC's snapshot shows it.
async fn oc_available(oc: &entrepot_client::OcClient, mfskuid: &str) -> i64 {
    let snap = oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"skuList": [{"mfSkuId": mfskuid}]})).await.unwrap();
    let row = snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").cloned();
    row.unwrap_or_else(|| panic!("{snap}"))["available"].as_i64().unwrap()
}

#[each_backend]
async fn a_warehouse_day_runs_from_both_dialects_to_delivery(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme at UK1: 5 + 5 ACME-1 (900 g anvils) and 3 ACME-2 at the dock, then in bins.
    let (key, erp) = seed_people_and_erps(url, CALLBACK);
    let acme = ["--client", "Acme", "--warehouse", "UK1", "--sku"];
    admin_ok(url, &[&["stock", "receive"][..], &acme, &["ACME-1", "--qty", "5"]].concat());
    for (sku, qty) in [("ACME-1", "5"), ("ACME-2", "3")] {
        admin_ok(url, &[&["stock", "put-away"][..], &acme, &[sku, "--qty", qty]].concat());
    }
    for (bin, sku, qty) in [("A-01-01-1", "ACME-1", "4"), ("A-01-01-2", "ACME-1", "6"), ("B-01-01-1", "ACME-2", "3")] {
        admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", bin]);
        let at = ["--client", "Acme", "--warehouse", "UK1", "--sku", sku, "--qty", qty];
        admin_ok(url, &[&["location", "move", "--from", "DOCK", "--to", bin][..], &at].concat());
    }
    let skus = admin_ok(url, &["sku", "list", "--client", "Acme"]);
    let mfskuid = |seller_sku: &str| {
        let s = skus.as_array().unwrap().iter().find(|s| s["seller_sku"] == seller_sku).cloned();
        s.unwrap_or_else(|| panic!("{skus}"))["mfskuid"].as_str().unwrap().to_owned()
    };
    let (anvil, bolt) = (mfskuid("ACME-1"), mfskuid("ACME-2"));

    // UK1 ships every day but tomorrow; the cut-off is a minute before midnight for now.
    let today = london_today().await;
    let tomorrow = today.tomorrow().unwrap();
    let after_tomorrow = tomorrow.tomorrow().unwrap();
    admin_ok(url, &["warehouse", "calendar", "UK1", "--closed-date", &tomorrow.to_string()]);
    let moved = admin_ok(url, &["warehouse", "cutoff", "UK1", "--at", "23:59"]);
    assert_eq!(moved["cutoff_minutes"], 23 * 60 + 59, "{moved}");
    let dir = tempfile::tempdir().unwrap();
    let fast = [("ENTREPOT_TRACKING_INTERVAL_MS", "100"), ("ENTREPOT_SANDBOX_TRACKING_STEP_MS", "50")];
    let server = Server::start_with(dir.path(), url, false, &fast);
    let base = server.base.clone();
    let bird = BirdErp { base: base.clone(), key, company_id: "1".into() };
    let (ck, sk) = (erp["client_key"].as_str().unwrap(), erp["secret_key"].as_str().unwrap());
    let oc = entrepot_client::OcClient::new(&base, ck, sk);
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    assert_eq!(oc_available(&oc, &anvil).await, 10);

    // Before the cut-off: two Bird orders, three OC orders. `keys` maps a reference to the key
    // the native API and the floor take (Bird id or OC number).
    let mut keys: HashMap<&str, String> = HashMap::new();
    let place_bird = |reference: &'static str, qty: i64| {
        let bird = &bird;
        async move {
            let placed = bird.post_json(PENDING, &bird_order(reference, "ACME-1", qty)).await;
            assert_eq!(placed["success"], true, "{placed}");
            placed["data"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    let place_oc = |orders: Value| {
        let oc = &oc;
        async move {
            let placed = oc.call("/openapi/3pp/outbound/v1/creation", orders).await.unwrap();
            placed
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (r["referenceNumber"].as_str().unwrap().to_owned(), r["orderNumber"].as_str().unwrap().to_owned())
                })
                .collect::<Vec<_>>()
        }
    };
    keys.insert("B-1", place_bird("B-1", 2).await);
    keys.insert("B-X", place_bird("B-X", 1).await);
    for (r, n) in
        place_oc(json!([oc_order("O-1", &anvil, 1), oc_order("O-2", &bolt, 2), oc_order("O-C", &anvil, 1)])).await
    {
        keys.insert(
            if r == "O-1" {
                "O-1"
            } else if r == "O-2" {
                "O-2"
            } else {
                "O-C"
            },
            n,
        );
    }
    // After the cut-off (the reference data is read again after a second).
    admin_ok(url, &["warehouse", "cutoff", "UK1", "--at", "00:00"]);
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    keys.insert("B-2", place_bird("B-2", 1).await);
    for (_, n) in place_oc(json!([oc_order("O-3", &anvil, 1)])).await {
        keys.insert("O-3", n);
    }
    let seller = login(&base, "acme-owner", PW).await;
    for (r, due) in [("B-1", today), ("O-1", today), ("O-2", today), ("B-2", after_tomorrow), ("O-3", after_tomorrow)] {
        let o = native(&base, &seller, &keys[r]).await;
        assert_eq!(
            (o["status"].as_str(), o["due_date"].as_str()),
            (Some("SUBMITTED"), Some(&*due.to_string())),
            "{r}: {o}"
        );
    }
    // O-C is cancelled before any picking: its unit is free again at once.
    oc.call(
        "/openapi/3pp/outbound/v1/cancel",
        json!({"orderNumber": keys["O-C"], "cancelTime": "2026-12-03T10:00:00+0000"}),
    )
    .await
    .unwrap();
    assert_eq!(oc_row(&oc, &keys["O-C"]).await["orderStatus"], "Cancelled");
    assert_eq!(oc_available(&oc, &anvil).await, 10 - 2 - 1 - 1 - 1 - 1, "B-1, B-X, O-1, B-2 and O-3 reserve");

    // The wave of the day takes the four orders due today, none of tomorrow's.
    let uk = login(&base, "uk", PW).await;
    let w = call(
        &base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/waves",
        &["UK1"],
        "",
        Some(json!({"due_by": today.to_string()})),
    )
    .await;
    assert_eq!(w.status, 201, "{}", w.body);
    assert_eq!((w.body["orders"].as_i64(), w.body["units"].as_i64()), (Some(4), Some(6)), "{}", w.body);
    let wave = call(&base, uk.bearer(), "GET /api/v1/waves/{id}", &[w.body["id"].as_str().unwrap()], "", None).await;
    let lists: Vec<String> =
        wave.body["lists"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(lists.len(), 2, "zone A's anvils and zone B's bolts: {}", wave.body);

    // Picking: one wrong bin, refused with the bin expected; the bolts' bin is empty.
    let pick = "POST /api/v1/pick-lists/{id}/picks";
    let (mut wrong, mut short) = (0, 0);
    for list in &lists {
        let mut next =
            call(&base, uk.bearer(), "GET /api/v1/pick-lists/{id}", &[list], "", None).await.body["next"].clone();
        while !next.is_null() {
            let mut scan =
                json!({"bin": next["bin"], "sku": next["seller_sku"], "tote": next["tote"], "qty": next["left"]});
            if wrong == 0 {
                wrong += 1;
                let mut bad = scan.clone();
                bad["bin"] = json!(if next["bin"] == "A-01-01-1" { "A-01-01-2" } else { "A-01-01-1" });
                let r = call(&base, uk.bearer(), pick, &[list], "", Some(bad)).await;
                r.problem(422, "validation");
                let detail = r.body["detail"].as_str().unwrap();
                assert!(detail.contains(next["bin"].as_str().unwrap()), "says which bin: {detail}");
            }
            if next["seller_sku"] == "ACME-2" {
                short += 1;
                scan["qty"] = json!(0);
                scan["short"] = json!(true);
            }
            let a = call(&base, uk.bearer(), pick, &[list], "", Some(scan)).await;
            assert_eq!(a.status, 200, "{}", a.body);
            next = a.body["list"]["next"].clone();
        }
    }
    assert_eq!((wrong, short), (1, 1));
    // The short order is an exception in all three; its bin is to be counted.
    let o2 = native(&base, &seller, &keys["O-2"]).await;
    assert_eq!(o2["status"], "EXCEPTION", "{o2}");
    assert_eq!(oc_row(&oc, &keys["O-2"]).await["orderStatus"], "Exception");
    assert_eq!(bird_row(&bird, o2["bird_id"].as_i64().unwrap()).await["status"], "PROBLEM");
    let counts = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/counts", &["UK1"], "", None).await;
    let bins: Vec<&str> =
        counts.body["items"].as_array().unwrap().iter().map(|c| c["location"].as_str().unwrap()).collect();
    assert_eq!(bins, ["B-01-01-1"], "{}", counts.body);
    // Staff of UK1 (not its seller, not DE's staff) put it back onto the floor: submitted again,
    // still due today, out of its wave; once only.
    let requeue = "POST /api/v1/orders/{key}/requeue";
    call(&base, seller.bearer(), requeue, &[&keys["O-2"]], "", None).await.problem(403, "forbidden");
    let de = login(&base, "de", PW).await;
    call(&base, de.bearer(), requeue, &[&keys["O-2"]], "client=Acme", None).await.problem(404, "not-found");
    let back = call(&base, uk.bearer(), requeue, &[&keys["O-2"]], "client=Acme", None).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(
        (back.body["status"].as_str(), back.body["due_date"].as_str()),
        (Some("SUBMITTED"), Some(&*today.to_string()))
    );
    assert_ne!(oc_row(&oc, &keys["O-2"]).await["orderStatus"], "Exception");
    call(&base, uk.bearer(), requeue, &[&keys["O-2"]], "client=Acme", None).await.problem(409, "conflict");

    // B-X's ERP cancels it mid-pick: an intercept request, which staff accept; its unit goes
    // back to its bin and is free again.
    let bx = native(&base, &seller, &keys["B-X"]).await;
    assert_eq!(bx["status"], "PICKING", "{bx}");
    let cancelled = bird
        .post_form("/client/Consignment/Batch-Update-Status", &[("ids", &keys["B-X"]), ("status", "CANCELLED")])
        .await;
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(native(&base, &seller, &keys["B-X"]).await["status"], "PICKING");
    let decided = call(
        &base,
        uk.bearer(),
        "POST /api/v1/orders/{key}/intercept",
        &[&keys["B-X"]],
        "client=Acme",
        Some(json!({"accept": true})),
    )
    .await;
    assert_eq!(decided.status, 200, "{}", decided.body);
    assert_eq!(bird_row(&bird, bx["bird_id"].as_i64().unwrap()).await["status"], "CANCELLED");
    assert_eq!(oc_row(&oc, bx["oc_number"].as_str().unwrap()).await["orderStatus"], "Cancelled");
    assert_eq!(oc_available(&oc, &anvil).await, 10 - 2 - 1 - 1 - 1, "B-X's unit is free again");

    // Both were booked in the background at their SKUs' weights (1.8 and 0.9 kg).
    for r in ["B-1", "O-1"] {
        for _ in 0..200 {
            if native(&base, &seller, &keys[r]).await["tracking_number"].is_string() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    // Packing: B-1's two anvils weigh 1.85 kg, in tolerance; O-1's single anvil weighs 1.5 kg,
    // held until a supervisor releases it.
    let units = "POST /api/v1/warehouses/{code}/packing/{order}/units";
    let close = "POST /api/v1/warehouses/{code}/packing/{order}/close";
    for (r, qty, weight) in [("B-1", 2, 1_850), ("O-1", 1, 1_500)] {
        let u =
            call(&base, uk.bearer(), units, &["UK1", &keys[r]], "", Some(json!({"sku": "ACME-1", "qty": qty}))).await;
        assert_eq!(u.body["complete"], true, "{r}: {}", u.body);
        let parcel = json!({"weight_g": weight, "length_mm": 300, "width_mm": 200, "height_mm": 150});
        let c = call(&base, uk.bearer(), close, &["UK1", &keys[r]], "", Some(parcel.clone())).await;
        assert_eq!(c.status, 200, "{}", c.body);
        if r == "O-1" {
            assert!(c.body["hold"].as_str().unwrap().contains("supervisor"), "{}", c.body);
            let sup = login(&base, "uksup", PW).await;
            let mut release = parcel;
            release["release_hold"] = json!(true);
            let c = call(&base, sup.bearer(), close, &["UK1", &keys[r]], "", Some(release)).await;
            assert_eq!(c.body["status"], "PACKED", "{}", c.body);
        } else {
            assert_eq!(c.body["status"], "PACKED", "{}", c.body);
        }
    }

    // O-1's label declared 0.9 kg, on the price list's first step (to 1 kg): it is booked again
    // at 1.5 kg. B-1's 1.85 kg is on the same step as its 1.8: its label stands.
    for (r, rebooked, declared) in [("O-1", true, "1.500 kg"), ("B-1", false, "1.800 kg")] {
        let id = native(&base, &seller, &keys[r]).await["id"].as_str().unwrap().to_owned();
        let trail =
            call(&base, uk.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["order", &id], "", None).await;
        let actions: Vec<&str> =
            trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions.contains(&"pack.rebooked"), rebooked, "{r}: {actions:?}");
        let (status, pdf) =
            call_pdf(&base, &uk.token, "GET /api/v1/orders/{key}/label", &[&keys[r]], "client=Acme").await;
        assert_eq!(status, 200, "{r}");
        let page = &entrepot_labels::inspect::read_pdf(&pdf).unwrap()[0];
        assert!(page.shows(declared), "{r}: {}", page.text);
    }

    // Both on the day's Royal Mail manifest, which is closed: handed over.
    let mut manifest = String::new();
    for r in ["B-1", "O-1"] {
        let m = call(
            &base,
            uk.bearer(),
            "POST /api/v1/warehouses/{code}/manifests",
            &["UK1"],
            "",
            Some(json!({"order": keys[r]})),
        )
        .await;
        assert_eq!(m.status, 200, "{}", m.body);
        manifest = m.body["id"].as_str().unwrap().to_owned();
    }
    let shut = call(&base, uk.bearer(), "POST /api/v1/manifests/{id}/close", &[&manifest], "", None).await;
    assert_eq!(
        (shut.body["status"].as_str(), shut.body["parcels"].as_array().map(Vec::len)),
        (Some("CLOSED"), Some(2))
    );

    // Tracking runs its course: delivered (or, for one parcel in twenty, a delivery exception).
    for r in ["B-1", "O-1"] {
        let mut t = Value::Null;
        for _ in 0..200 {
            t = call(&base, seller.bearer(), "GET /api/v1/orders/{key}/tracking", &[&keys[r]], "", None).await.body;
            let last = t["events"].as_array().and_then(|e| e.last().cloned()).unwrap_or(Value::Null);
            if last["code"] == "DELIVERED" || last["code"] == "DELIVERY_EXCEPTION" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let codes: Vec<&str> = t["events"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes.len(), 4, "{r}: {t}");
        assert_eq!(codes[..3], ["ACCEPTED", "IN_TRANSIT", "OUT_FOR_DELIVERY"], "{r}: {t}");
    }

    // Each shipped order read back: state, due date, label, fees and tracking, in all three.
    for r in ["B-1", "O-1"] {
        let o = native(&base, &seller, &keys[r]).await;
        let delivered = o["status"] == "DELIVERED";
        assert!(delivered || o["status"] == "SHIPPED", "{r}: {o}");
        assert_eq!(o["due_date"], today.to_string(), "{r}: {o}");
        let (status, pdf) = call_pdf(&base, &seller.token, "GET /api/v1/orders/{key}/label", &[&keys[r]], "").await;
        assert!(status == 200 && pdf.starts_with(b"%PDF"), "{r}: the label ({status})");
        let row = oc_row(&oc, o["oc_number"].as_str().unwrap()).await;
        assert_eq!(row["orderStatus"], if delivered { "Delivered" } else { "Outbound" }, "{r}: {row}");
        assert_eq!(row["autoFulfillmentEF"], r == "B-1", "{r}: placed through OC or not: {row}");
        let t = &row["trackingNumberList"][0];
        assert_eq!(t["trackingNumber"], o["tracking_number"], "{r}: {row}");
        assert_eq!(t["routingList"].as_array().unwrap().len(), 4, "{r}: {row}");
        let fee = o["handling_fee"].as_i64().unwrap() + o["delivery_fee"].as_i64().unwrap();
        assert!(fee > 0, "{r}: {o}");
        assert_eq!(t["feeAmount"].as_f64().unwrap(), fee as f64 / 100.0, "{r}: {row}");
        let b = bird_row(&bird, o["bird_id"].as_i64().unwrap()).await;
        assert_eq!(
            (b["status"].as_str(), &b["delivery_reference"]),
            (Some("FINISHED"), &o["tracking_number"]),
            "{r}: {b}"
        );
    }
    // Tomorrow's orders wait for their day, untouched by the wave.
    for r in ["B-2", "O-3"] {
        let o = native(&base, &seller, &keys[r]).await;
        assert_eq!(
            (o["status"].as_str(), o["due_date"].as_str()),
            (Some("SUBMITTED"), Some(&*after_tomorrow.to_string()))
        );
        let row = oc_row(&oc, o["oc_number"].as_str().unwrap()).await;
        assert_eq!(row["autoFulfillmentEF"], r == "B-2", "{r}: {row}");
    }
    // 10 anvils: 3 shipped, 2 reserved for B-2 and O-3; the rest free.
    assert_eq!(oc_available(&oc, &anvil).await, 5);
    server.stop();
    assert_check(url);
}
