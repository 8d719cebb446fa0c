//! Waves and picking over the native API on the real binary, both backends: UK1 closes at
//! weekends (set through `entrepot admin warehouse calendar`); Acme's ERP places two orders
//! through Bird; each shows its due date on the native API to the seller and UK1's staff (not to
//! DE's); UK1 staff release a wave (DE staff may not), find its pick list, are refused a wrong
//! bin saying which is next, and pick the walk through with `Idempotency-Key`s (a replay answers
//! the same); the orders are PICKING and `admin check` is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, call_pdf, call_with, login, seed_people_and_erps, Auth, PW};
use common::*;
use entrepot_labels::inspect::read_pdf;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const CALLBACK: &str = "https://erp.example.com/oc/callback";

/// The day an order placed now at UK1 (14:00 cut-off, London, closed at weekends) is due.
fn due_now() -> String {
    let w = entrepot_core::company::Warehouse {
        id: "wh".into(),
        company_id: "cmp".into(),
        code: "UK1".into(),
        name: "UK".into(),
        bird_company_id: Some(1),
        oc_region: None,
        country: "GB".into(),
        timezone: "Europe/London".into(),
        cutoff_minutes: 14 * 60,
        address: Default::default(),
        calendar: entrepot_core::calendar::Calendar {
            closed_weekdays: [6, 7].into(),
            closed_dates: Default::default(),
        },
    };
    w.due_date(jiff::Timestamp::now()).unwrap().to_string()
}

/// An order's OC number, as its seller reads it.
async fn c_number(base: &str, token: &str, id: &str) -> String {
    let o = call(base, Auth::Bearer(token), "GET /api/v1/orders/{key}", &[id], "", None).await;
    o.body["oc_number"].as_str().unwrap().to_owned()
}

#[each_backend]
async fn a_wave_is_released_and_picked_by_scans_over_the_native_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme: 5 ACME-1 available at the dock (seed_people).
    let (key, erp) = seed_people_and_erps(url, CALLBACK);
    let cal =
        admin_ok(url, &["warehouse", "calendar", "UK1", "--closed-weekdays", "sat,sun", "--closed-date", "2030-12-25"]);
    assert_eq!(cal["calendar"], json!({"closed_weekdays": [6, 7], "closed_dates": ["2030-12-25"]}), "{cal}");
    for code in ["A-01-01-1", "A-01-01-2"] {
        admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", code]);
    }
    let acme1 = ["--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1"];
    for (bin, qty) in [("A-01-01-2", "3"), ("A-01-01-1", "2")] {
        let mut args = vec!["location", "move", "--from", "DOCK", "--to", bin, "--qty", qty];
        args.extend_from_slice(&acme1);
        admin_ok(url, &args);
    }
    let dir = tempfile::tempdir().unwrap();
    // The sandbox carrier moves a parcel a stage every 50 ms, and is asked every 100 ms.
    let fast = [("ENTREPOT_TRACKING_INTERVAL_MS", "100"), ("ENTREPOT_SANDBOX_TRACKING_STEP_MS", "50")];
    let server = Server::start_with(dir.path(), url, false, &fast);
    let base = server.base.clone();

    let bird = BirdErp { base: base.clone(), key: key.clone(), company_id: "1".into() };
    let mut ids = vec![];
    for (r, qty) in [("W-1", 2), ("W-2", 2)] {
        let row = json!({
            "delivery_service_id": "139", "sales_reference": r, "contact": "Ann", "address_line1": "1 High St",
            "city": "Leeds", "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL",
            "products": [{"client_sku": "ACME-1", "quantity": qty}]
        });
        let body = bird.post_json(PENDING, &json!([row])).await;
        assert_eq!(body["success"], true, "{body}");
        ids.push(body["data"][0]["id"].as_str().unwrap().to_owned());
    }

    let uk = login(&base, "uk", PW).await;
    let de = login(&base, "de", PW).await;
    let seller = login(&base, "acme-owner", PW).await;
    let o = call(&base, uk.bearer(), "GET /api/v1/orders/{key}", &[&ids[0]], "client=Acme", None).await;
    assert_eq!(o.status, 200, "{}", o.body);
    let due = due_now();
    assert_eq!((o.body["status"].as_str(), o.body["due_date"].as_str()), (Some("SUBMITTED"), Some(due.as_str())));
    let mine = call(&base, seller.bearer(), "GET /api/v1/orders/{key}", &[&ids[1]], "", None).await;
    assert_eq!(mine.body["due_date"], due, "{}", mine.body);
    call(&base, de.bearer(), "GET /api/v1/orders/{key}", &[&ids[0]], "client=Acme", None)
        .await
        .problem(404, "not-found");

    // The cut-off board before the wave: Royal Mail's two orders wait.
    let board = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/cutoff-board", &["UK1"], "", None).await;
    assert_eq!(board.status, 200, "{}", board.body);
    assert_eq!(board.body["cutoff"], "14:00");
    if board.body["day"] == due.as_str() {
        let rm = board.body["carriers"].as_array().unwrap().iter().find(|c| c["carrier"] == "ROYALMAIL").cloned();
        let rm = rm.unwrap_or_else(|| panic!("{}", board.body));
        assert_eq!(
            (rm["due"].as_i64(), rm["waiting"].as_i64(), rm["open_units"].as_i64()),
            (Some(2), Some(2), Some(4)),
            "{rm}"
        );
    }
    call(&base, seller.bearer(), "GET /api/v1/warehouses/{code}/cutoff-board", &["UK1"], "", None)
        .await
        .problem(403, "forbidden");
    let release = json!({"due_by": due, "totes": 4});
    call(&base, de.bearer(), "POST /api/v1/warehouses/{code}/waves", &["UK1"], "", Some(release.clone()))
        .await
        .problem(403, "forbidden");
    let w = call(&base, uk.bearer(), "POST /api/v1/warehouses/{code}/waves", &["UK1"], "", Some(release.clone())).await;
    assert_eq!(w.status, 201, "{}", w.body);
    assert_eq!((w.body["orders"].as_i64(), w.body["units"].as_i64()), (Some(2), Some(4)), "{}", w.body);
    let wave_id = w.body["id"].as_str().unwrap().to_owned();
    let again = call(&base, uk.bearer(), "POST /api/v1/warehouses/{code}/waves", &["UK1"], "", Some(release)).await;
    again.problem(409, "conflict");
    let waves = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/waves", &["UK1"], "limit=10", None).await;
    assert_eq!(waves.body["items"][0]["id"], wave_id.as_str(), "{}", waves.body);
    let one = call(&base, uk.bearer(), "GET /api/v1/waves/{id}", &[&wave_id], "", None).await;
    assert_eq!(one.body["lists"].as_array().unwrap().len(), 1, "{}", one.body);
    call(&base, de.bearer(), "GET /api/v1/waves/{id}", &[&wave_id], "", None).await.problem(403, "forbidden");
    let open = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/pick-lists", &["UK1"], "", None).await;
    let list_id = open.body["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(open.body["items"][0]["totes"], 2, "{}", open.body);

    // The paper pick list carries the list's barcode on its page.
    let (status, bytes) = call_pdf(&base, &uk.token, "GET /api/v1/pick-lists/{id}/pdf", &[&list_id], "").await;
    assert_eq!(status, 200);
    let pages = read_pdf(&bytes).unwrap();
    assert!(pages[0].barcodes.contains(&list_id), "{:?}", pages[0].barcodes);
    assert!(pages[0].shows("A-01-01-2") && pages[0].shows("Anvil"), "{}", pages[0].text);
    // A-01-01-2's units came first: the first order's two come from there, not the bin walked first.
    let list = call(&base, uk.bearer(), "GET /api/v1/pick-lists/{id}", &[&list_id], "", None).await;
    let walk: Vec<(String, i64, i64)> = list.body["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["bin"].as_str().unwrap().to_owned(), p["tote"].as_i64().unwrap(), p["qty"].as_i64().unwrap()))
        .collect();
    let owned = |b: &str, t: i64, q: i64| (b.to_owned(), t, q);
    assert_eq!(walk, [owned("A-01-01-1", 2, 1), owned("A-01-01-2", 1, 2), owned("A-01-01-2", 2, 1)], "{}", list.body);
    // No caller, no CSRF token under the cookie, a seller, another warehouse's staff: refused.
    let pick_op = "POST /api/v1/pick-lists/{id}/picks";
    let wrong = json!({"bin": "A-01-01-2", "sku": "ACME-1", "tote": 9, "qty": 1});
    call(&base, Auth::None, pick_op, &[&list_id], "", Some(wrong.clone())).await.problem(401, "unauthenticated");
    let no_csrf = Auth::Cookie { session: &uk.session, csrf: None };
    call(&base, no_csrf, pick_op, &[&list_id], "", Some(wrong.clone())).await.problem(403, "csrf");
    call(&base, seller.bearer(), pick_op, &[&list_id], "", Some(wrong.clone())).await.problem(403, "forbidden");
    call(&base, de.bearer(), pick_op, &[&list_id], "", Some(wrong.clone())).await.problem(403, "forbidden");
    call(&base, Auth::None, "GET /api/v1/pick-lists/{id}", &[&list_id], "", None).await.problem(401, "unauthenticated");
    call(&base, seller.bearer(), "GET /api/v1/warehouses/{code}/pick-lists", &["UK1"], "", None)
        .await
        .problem(403, "forbidden");
    let refused = call(&base, uk.bearer(), "POST /api/v1/pick-lists/{id}/picks", &[&list_id], "", Some(wrong)).await;
    refused.problem(422, "validation");
    assert!(refused.body["detail"].as_str().unwrap().contains("wrong tote 9"), "{}", refused.body);

    let mut next = list.body["next"].clone();
    let mut n = 0;
    let mut last = Value::Null;
    while !next.is_null() {
        n += 1;
        let scan = json!({"bin": next["bin"], "sku": next["seller_sku"], "tote": next["tote"], "qty": next["left"]});
        let idem = format!("pick-{n}");
        let a = call_with(
            &base,
            uk.bearer(),
            "POST /api/v1/pick-lists/{id}/picks",
            &[&list_id],
            "",
            Some(scan.clone()),
            &[("idempotency-key", &idem)],
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        if n == 1 {
            let replay = call_with(
                &base,
                uk.bearer(),
                "POST /api/v1/pick-lists/{id}/picks",
                &[&list_id],
                "",
                Some(scan),
                &[("idempotency-key", &idem)],
            )
            .await;
            assert_eq!(replay.body, a.body, "a replayed key answers the same");
        }
        next = a.body["list"]["next"].clone();
        last = a.body.clone();
    }
    assert_eq!(n, 3);
    assert_eq!(last["list"]["list"]["status"], "DONE", "{last}");
    for id in &ids {
        let o = call(&base, seller.bearer(), "GET /api/v1/orders/{key}", &[id], "", None).await;
        assert_eq!(o.body["status"], "PICKING", "{}", o.body);
    }
    // On the board both are picking, and their units are in totes, not open.
    let board = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/cutoff-board", &["UK1"], "", None).await;
    if board.body["day"] == due.as_str() {
        let rm = board.body["carriers"].as_array().unwrap().iter().find(|c| c["carrier"] == "ROYALMAIL").cloned();
        let rm = rm.unwrap_or_else(|| panic!("{}", board.body));
        assert_eq!((rm["picking"].as_i64(), rm["open_units"].as_i64()), (Some(2), Some(0)), "{rm}");
    }
    let done = call(&base, uk.bearer(), "GET /api/v1/waves/{id}", &[&wave_id], "", None).await;
    assert_eq!(done.body["status"], "DONE", "{}", done.body);

    // Packing: each order by its Bird id; a unit it lacks is refused; a 2 kg parcel of two
    // 900 g anvils is in tolerance, a 3 kg one waits for a supervisor.
    let v =
        call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/packing/{order}", &["UK1", &ids[0]], "", None).await;
    assert_eq!(
        (v.body["expected_weight_g"].as_i64(), v.body["complete"].as_bool()),
        (Some(1800), Some(false)),
        "{}",
        v.body
    );
    let units = "POST /api/v1/warehouses/{code}/packing/{order}/units";
    let close = "POST /api/v1/warehouses/{code}/packing/{order}/close";
    call(&base, uk.bearer(), units, &["UK1", &ids[0]], "", Some(json!({"sku": "ACME-2"})))
        .await
        .problem(422, "validation");
    for (k, id) in ids.iter().enumerate() {
        let u = call(&base, uk.bearer(), units, &["UK1", id], "", Some(json!({"sku": "ACME-1", "qty": 2}))).await;
        assert_eq!(u.body["complete"], true, "{}", u.body);
        let weight = if k == 0 { 2_000 } else { 3_000 };
        let box_ = json!({"weight_g": weight, "length_mm": 300, "width_mm": 200, "height_mm": 150});
        let c = call(&base, uk.bearer(), close, &["UK1", id], "", Some(box_.clone())).await;
        assert_eq!(c.status, 200, "{}", c.body);
        if k == 1 {
            assert!(c.body["hold"].as_str().unwrap().contains("supervisor"), "{}", c.body);
            let sup = login(&base, "uksup", PW).await;
            let mut release = box_.clone();
            release["release_hold"] = json!(true);
            call(&base, uk.bearer(), close, &["UK1", id], "", Some(release.clone())).await.problem(403, "forbidden");
            let c = call(&base, sup.bearer(), close, &["UK1", id], "", Some(release)).await;
            assert_eq!(c.body["status"], "PACKED", "{}", c.body);
        } else {
            assert_eq!(c.body["status"], "PACKED", "{}", c.body);
        }
        let (status, bytes) =
            call_pdf(&base, &uk.token, "GET /api/v1/warehouses/{code}/packing/{order}/slip", &["UK1", id], "").await;
        assert_eq!(status, 200);
        let slip = read_pdf(&bytes).unwrap();
        let number = c_number(&base, &seller.token, id).await;
        assert_eq!(slip[0].barcodes, [number], "the slip carries the order's number");
        assert!(slip[0].shows("Leeds"), "{}", slip[0].text);
    }

    // Packed before the background booking came round, each was booked at once: the seller
    // fetches its label.
    let label = call_pdf(&base, &seller.token, "GET /api/v1/orders/{key}/label", &[&ids[0]], "").await;
    assert_eq!(label.0, 200, "packing books a parcel that has no label");
    assert!(label.1.starts_with(b"%PDF"));
    let (status, _) = call_pdf(&base, &de.token, "GET /api/v1/orders/{key}/label", &[&ids[0]], "client=Acme").await;
    assert_eq!(status, 404, "not DE's");
    // Both on Royal Mail's manifest of the day; closing it hands them over.
    let mut manifest = String::new();
    for id in &ids {
        let m = call(
            &base,
            uk.bearer(),
            "POST /api/v1/warehouses/{code}/manifests",
            &["UK1"],
            "",
            Some(json!({"order": id})),
        )
        .await;
        assert_eq!(m.status, 200, "{}", m.body);
        manifest = m.body["id"].as_str().unwrap().to_owned();
    }
    let list = call(&base, uk.bearer(), "GET /api/v1/warehouses/{code}/manifests", &["UK1"], "", None).await;
    assert_eq!(list.body["items"][0]["id"], manifest.as_str(), "{}", list.body);
    let m = call(&base, uk.bearer(), "GET /api/v1/manifests/{id}", &[&manifest], "", None).await;
    assert_eq!((m.body["carrier"].as_str(), m.body["parcels"].as_array().unwrap().len()), (Some("ROYALMAIL"), 2));
    call(&base, de.bearer(), "POST /api/v1/manifests/{id}/close", &[&manifest], "", None)
        .await
        .problem(403, "forbidden");
    let shut = call(&base, uk.bearer(), "POST /api/v1/manifests/{id}/close", &[&manifest], "", None).await;
    assert_eq!(shut.body["status"], "CLOSED", "{}", shut.body);
    // The driver's copy: every parcel's tracking number (or order number, not booked yet) as a barcode.
    let (status, bytes) = call_pdf(&base, &uk.token, "GET /api/v1/manifests/{id}/pdf", &[&manifest], "").await;
    assert_eq!(status, 200);
    let printed: Vec<String> = read_pdf(&bytes).unwrap().into_iter().flat_map(|p| p.barcodes).collect();
    for p in shut.body["parcels"].as_array().unwrap() {
        let code = p["tracking_number"].as_str().unwrap_or_else(|| p["oc_number"].as_str().unwrap());
        assert!(printed.iter().any(|b| b == code), "{code} in {printed:?}");
    }
    assert!(printed.contains(&manifest), "the manifest's own barcode: {printed:?}");
    // After the handover the carrier's stages arrive; the journey ends delivered (or, for one
    // parcel in twenty, in a delivery exception).
    for id in &ids {
        let op = "GET /api/v1/orders/{key}/tracking";
        let mut t = Value::Null;
        for _ in 0..200 {
            t = call(&base, seller.bearer(), op, &[id], "", None).await.body;
            let last = t["events"].as_array().and_then(|e| e.last().cloned()).unwrap_or(Value::Null);
            if last["code"] == "DELIVERED" || last["code"] == "DELIVERY_EXCEPTION" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let codes: Vec<&str> = t["events"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes[..3], ["ACCEPTED", "IN_TRANSIT", "OUT_FOR_DELIVERY"], "{t}");
        let delivered = codes[3] == "DELIVERED";
        assert_eq!(t["status"], if delivered { "DELIVERED" } else { "SHIPPED" }, "{t}");
    }
    for id in &ids {
        let o = call(&base, seller.bearer(), "GET /api/v1/orders/{key}", &[id], "", None).await;
        // Handed over (and, the sandbox being quick here, maybe delivered already).
        assert!(["SHIPPED", "DELIVERED"].contains(&o.body["status"].as_str().unwrap()), "{}", o.body);
        let row = bird.get(&format!("/client/Consignment?id={id}")).await;
        assert_eq!(row["data"][0]["status"], "FINISHED", "{row}");
    }
    // The same orders through both dialects: status, tracking number, fees, and in OC the
    // carrier's routing information and `autoFulfillmentEF` (placed through Bird, not OC's API).
    let (ck, sk) = (erp["client_key"].as_str().unwrap(), erp["secret_key"].as_str().unwrap());
    let oc = entrepot_client::OcClient::new(&base, ck, sk);
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    for id in &ids {
        let native = call(&base, seller.bearer(), "GET /api/v1/orders/{key}", &[id], "", None).await.body;
        let number = native["oc_number"].as_str().unwrap();
        let query = json!({"orderNumberList": [{"orderNumber": number}]});
        let rows = oc.call("/openapi/3pp/outbound/v2/query", query).await.unwrap();
        let row = &rows[0];
        let delivered = native["status"] == "DELIVERED";
        assert_eq!(row["orderStatus"], if delivered { "Delivered" } else { "Outbound" }, "{row}");
        assert_eq!(row["autoFulfillmentEF"], true, "{row}");
        let t = &row["trackingNumberList"][0];
        assert_eq!(t["trackingNumber"], native["tracking_number"], "{row}");
        assert!(t["routingList"].as_array().unwrap().len() >= 3, "{row}");
        let fee = native["handling_fee"].as_i64().unwrap() + native["delivery_fee"].as_i64().unwrap();
        assert_eq!(t["feeAmount"].as_f64().unwrap(), fee as f64 / 100.0, "{row}");
        let row = bird.get(&format!("/client/Consignment?id={id}")).await;
        assert_eq!(row["data"][0]["delivery_reference"], native["tracking_number"], "{row}");
    }

    // What UK1 measures: two orders handed over on their due day, uk's picks, its one refused
    // scan (the wrong tote), two packs; /metrics says the same.
    let m = call(&base, uk.bearer(), "GET /api/v1/floor-measures", &[], "", None).await;
    assert_eq!(m.status, 200, "{}", m.body);
    assert_eq!(m.body["on_time"][0]["shipped"], 2, "{}", m.body);
    assert_eq!(m.body["on_time"][0]["on_time"], 2, "{}", m.body);
    let me = m.body["workers"].as_array().unwrap().iter().find(|w| w["user"] == "uk").cloned().unwrap();
    assert_eq!(
        (me["picks"].as_i64(), me["wrong_picks"].as_i64(), me["packs"].as_i64()),
        (Some(3), Some(1), Some(1)),
        "{me}"
    );
    call(&base, seller.bearer(), "GET /api/v1/floor-measures", &[], "", None).await.problem(403, "forbidden");
    let (_, metrics) = get(&format!("{base}/metrics")).await;
    assert!(
        metrics.contains("entrepot_orders_shipped_on_time{warehouse=\"UK1\",carrier=\"ROYALMAIL\"} 2"),
        "{metrics}"
    );
    // Handed over: too late to cancel, and there is no intercept to decide.
    let late = json!({"reason": "too late"});
    call(&base, seller.bearer(), "POST /api/v1/orders/{key}/cancel", &[&ids[0]], "", Some(late))
        .await
        .problem(409, "conflict");
    let decide = json!({"accept": true});
    call(&base, uk.bearer(), "POST /api/v1/orders/{key}/intercept", &[&ids[0]], "client=Acme", Some(decide.clone()))
        .await
        .problem(409, "conflict");
    call(&base, seller.bearer(), "POST /api/v1/orders/{key}/intercept", &[&ids[0]], "", Some(decide))
        .await
        .problem(403, "forbidden");
    server.stop();
    assert_check(url);
}
