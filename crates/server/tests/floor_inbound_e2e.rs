//! Issue 18's inbound floor end to end, against the real `entrepot` binary on both backends: a
//! seller's ERP creates an inbound of three SKUs through OrangeConnex (signed like a real ERP), the
//! seller's user books the dock through the native API, staff check it in, count it by scans
//! (one SKU short, a unit damaged, an unexpected SKU recorded, a wrong scan refused saying what was
//! expected), close the receipt and put it away by scanning bins (the suggested ones, and another
//! one confirmed). At each step every door shows the same exact numbers: OC's inbound list and
//! detail and stock snapshot, Bird's Client-Dispatch row, product stock and webhook, the native
//! receipt, stock and location stock, the audit trail, `/metrics`; and `admin check` is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use std::time::Duration;

use api_common::{call, call_with, device_token, login, seed_people, Auth, Login, PW};
use common::{admin_ok, assert_check, create_acme_erp_app, get, webhook_receiver, BirdErp, Server};
use entrepot_client::OcClient;
use entrepot_labels::inspect::read_pdf;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

/// The seller's SKUs: three on the inbound, one that comes with it unannounced.
const MUG: &str = "E2E-MUG";
const LAMP: &str = "E2E-LAMP";
const VASE: &str = "E2E-VASE";
const TOY: &str = "E2E-TOY";

/// Units of a SKU in UK1: in transit, received (at the dock), available, unfulfillable.
type Units = [i64; 4];

/// The doors the seller reads its stock through.
struct Seller<'a> {
    base: &'a str,
    user: &'a Login,
    oc: &'a OcClient,
    bird: &'a BirdErp,
    backend: Backend,
}

impl Seller<'_> {
    /// Asserts the stock of `sku` (MFSKUID `mf`) in UK1 as the native API, OC's snapshot and
    /// Bird's product row show it (Bird has no unfulfillable figure: its pending stock is in
    /// transit plus received, its live stock what is available or reserved).
    async fn assert_stock(&self, stage: &str, sku: &str, mf: &str, want: Units) {
        let b = self.backend;
        let native =
            call(self.base, self.user.bearer(), "GET /api/v1/stock", &[], &format!("sku={sku}&warehouse=UK1"), None)
                .await;
        assert_eq!(native.status, 200, "{b:?} {stage}: {}", native.body);
        let items = native.body["items"].as_array().unwrap();
        let got = match items.as_slice() {
            [] => [0; 4],
            [one] => {
                let u = &one["units"];
                assert_eq!((u["reserved"].as_i64(), u["frozen"].as_i64()), (Some(0), Some(0)), "{b:?} {stage}: {one}");
                [&u["in_transit"], &u["received"], &u["available"], &u["unfulfillable"]].map(|v| v.as_i64().unwrap())
            }
            _ => panic!("{b:?} {stage}: one row of {sku} in UK1: {}", native.body),
        };
        assert_eq!(got, want, "{b:?} {stage}: native stock of {sku} (in transit, received, available, unfulfillable)");

        let snap =
            self.oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"skuList": [{"mfSkuId": mf}]})).await.unwrap();
        let row = snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").cloned();
        let got = match &row {
            None => [0; 4],
            Some(r) => {
                assert_eq!(
                    (r["reservedAllocated"].as_i64(), r["suspend"].as_i64()),
                    (Some(0), Some(0)),
                    "{b:?} {stage}: {r}"
                );
                [&r["inTransit"], &r["received"], &r["available"], &r["unfulfillable"]].map(|v| v.as_i64().unwrap())
            }
        };
        assert_eq!(got, want, "{b:?} {stage}: OC snapshot of {sku}: {snap}");

        let products = self.bird.get(&format!("/client/Product?client_ref={sku}")).await;
        let p = &products["data"][0];
        assert_eq!(p["company_ref"], mf, "{b:?} {stage}: {products}");
        let pending: i64 = p["pending_stock"].as_str().unwrap().parse().unwrap();
        let live: i64 = p["live_stock"].as_str().unwrap().parse().unwrap();
        let site_live: i64 = p["company_product-live_stock"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            (pending, live, site_live),
            (want[0] + want[1], want[2], want[2]),
            "{b:?} {stage}: Bird's pending and live stock of {sku}: {p}"
        );
    }
}

/// `(location code, seller SKU, units)` of the SKUs in `ours` (by id) in UK1's locations, sorted.
async fn where_stock_is(base: &str, staff: &Login, ours: &[(i64, &str)]) -> Vec<(String, String, i64)> {
    let r =
        call(base, staff.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "client=Acme", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut out: Vec<(String, String, i64)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| {
            let (_, sku) = ours.iter().find(|(id, _)| row["sku_id"] == *id)?;
            Some((row["code"].as_str().unwrap().to_owned(), (*sku).to_owned(), row["qty"].as_i64().unwrap()))
        })
        .filter(|(_, _, q)| *q != 0)
        .collect();
    out.sort();
    out
}

/// A receipt's lines: `(seller SKU, expected, received, damaged, put away, short)`.
fn lines(receipt: &Value) -> Vec<(String, i64, i64, i64, i64, i64)> {
    receipt["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_i64().unwrap();
            (
                l["seller_sku"].as_str().unwrap().to_owned(),
                n("expected"),
                n("received"),
                n("damaged"),
                n("put_away"),
                n("short"),
            )
        })
        .collect()
}

fn line(
    sku: &str,
    expected: i64,
    received: i64,
    damaged: i64,
    put_away: i64,
    short: i64,
) -> (String, i64, i64, i64, i64, i64) {
    (sku.to_owned(), expected, received, damaged, put_away, short)
}

/// OC's detail row of `number`.
async fn oc_detail(oc: &OcClient, number: &str) -> Value {
    let d = oc.call("/openapi/3pp/inbound/v1/detail", json!({"inboundNumberList": [number]})).await.unwrap();
    assert_eq!(d["inboundOrderList"].as_array().map(Vec::len), Some(1), "{d}");
    d["inboundOrderList"][0].clone()
}

/// OC's SKU list of a detail row: `(MFSKUID, expected, received, put away, damaged, short, over)`.
fn oc_skus(row: &Value) -> Vec<(String, [i64; 6])> {
    let mut out: Vec<_> = row["SKUList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_i64().unwrap();
            (
                s["MFSKUID"].as_str().unwrap().to_owned(),
                [
                    n("skuquantity"),
                    n("receivedQuantity"),
                    n("putAwayQuantity"),
                    n("damagedQuantity"),
                    n("shortageQuantity"),
                    n("overQuantity"),
                ],
            )
        })
        .collect();
    out.sort();
    out
}

/// Bird's Client-Dispatch row of an inbound, by its dispatch id.
async fn dispatch_row(bird: &BirdErp, id: &str) -> Value {
    let rows = bird.get(&format!("/client/Client-Dispatch?id={id}")).await;
    assert_eq!(rows["total"].as_i64(), Some(1), "{rows}");
    rows["data"][0].clone()
}

/// `(status, total, check, stock, damaged, short, over)` of a Bird dispatch row.
fn dispatch_numbers(row: &Value) -> (String, [i64; 6]) {
    let n = |k: &str| row[k].as_str().unwrap().parse::<i64>().unwrap();
    (
        row["status"].as_str().unwrap().to_owned(),
        [
            n("total_quantity"),
            n("total_quantity_check"),
            n("total_quantity_stock"),
            n("total_quantity_damaged"),
            n("total_quantity_short"),
            n("total_quantity_over"),
        ],
    )
}

/// A one-hour window either side of now, in OC's time format.
fn window() -> (String, String) {
    let now = jiff::Timestamp::now();
    let f = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%S+0000").to_string();
    (f(now - jiff::SignedDuration::from_hours(1)), f(now + jiff::SignedDuration::from_hours(1)))
}

/// One scan at the dock by `who`; the answer must be 200.
async fn scan(base: &str, who: Auth<'_>, number: &str, body: Value) -> Value {
    let r = call(base, who, "POST /api/v1/receipts/{inbound}/scans", &[number], "", Some(body.clone())).await;
    assert_eq!(r.status, 200, "scan {body}: {}", r.body);
    r.body
}

/// The putaway tasks of `number` in UK1: `(sku id, qty, suggested bin)`, sorted by SKU id.
async fn tasks_of(base: &str, staff: &Login, number: &str) -> Vec<(i64, i64, Option<String>)> {
    let r = call(base, staff.bearer(), "GET /api/v1/warehouses/{code}/putaway-tasks", &["UK1"], "", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut out: Vec<_> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["inbound"] == number)
        .map(|t| {
            assert_eq!(t["from"], "DOCK", "{t}");
            (t["sku_id"].as_i64().unwrap(), t["qty"].as_i64().unwrap(), t["suggested_bin"].as_str().map(str::to_owned))
        })
        .collect();
    out.sort();
    out
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn an_oc_inbound_goes_from_creation_to_stock_through_the_floor(backend: Backend) {
    let b = backend;
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Op, UK1 (Bird site 1, OC region UK), DE; client Acme and its users (seller owner, UK1 staff).
    seed_people(url);
    let app = create_acme_erp_app(url, CALLBACK);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    let (hooks, port) = webhook_receiver().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(data.path(), url, false, &[("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8")]);
    let base = server.base.as_str();
    let bird = BirdErp { base: server.base.clone(), key, company_id: "1".into() };
    let hook = format!("http://127.0.0.1:{port}/dispatches");
    let r = bird
        .post_form("/client/Webhook", &[("url", &hook), ("resource_type", "CLIENT_DISPATCH"), ("action", "UPDATE")])
        .await;
    assert_eq!(r["success"], true, "{b:?}: {r}");

    // The seller's ERP signs in as the seller's user (the OC login page) and creates the SKUs.
    let oc = OcClient::new(base, app["client_key"].as_str().unwrap(), app["secret_key"].as_str().unwrap());
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "acme-owner", PW).await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    let names = |r: &str| {
        json!({"referenceSKUID": r, "SKUNameList": [{"SKUName": r, "languageCode": "en-US"}],
        "withBattery": false, "serviceRegionList": [{"serviceRegion": "UK", "withBrand": "WOB"}]})
    };
    let created = oc
        .call("/openapi/3pp/sku/v3/creation", json!([names(MUG), names(LAMP), names(VASE), names(TOY)]))
        .await
        .unwrap();
    let mf = |r: &str| -> String {
        created.as_array().unwrap().iter().find(|c| c["referenceSKUID"] == r).unwrap()["MFSKUID"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (mug, lamp, vase, toy) = (mf(MUG), mf(LAMP), mf(VASE), mf(TOY));
    let mut ids: Vec<(i64, &str)> = vec![];
    for (sku, name) in [(&mug, MUG), (&lamp, LAMP), (&vase, VASE), (&toy, TOY)] {
        admin_ok(url, &["sku", "submit", "--client", "Acme", "--sku", sku]);
        let approved = admin_ok(url, &["sku", "approve", "--client", "Acme", "--sku", sku]);
        assert_eq!(approved["status"], "Approved", "{b:?}: {approved}");
        ids.push((approved["id"].as_i64().unwrap(), name));
    }
    let id_of = |s: &str| ids.iter().find(|(_, n)| *n == s).unwrap().0;

    // A sea inbound in two cartons: the first unnumbered (Entrepot numbers it), the second
    // numbered by the seller; the mug is in both.
    let inbound = oc
        .call(
            "/openapi/3pp/inbound/v1/creation",
            json!({
                "sellerInboundNumber": "PO-E2E-1", "serviceRegion": "UK", "shippingFrom": "CN",
                "shippingMethod": "TK", "transportMethod": "OF", "eta": "2030-01-02+0000",
                "cartonList": [
                    {"cartonOriginCountry": "CN", "productList": [{"mfskuid": mug, "quantity": "10"}, {"mfskuid": lamp, "quantity": 6}]},
                    {"cartonNumber": "ACME-CTN-2", "cartonOriginCountry": "CN",
                     "productList": [{"mfskuid": vase, "quantity": 4}, {"mfskuid": mug, "quantity": 2}]}
                ]
            }),
        )
        .await
        .unwrap();
    let number = inbound["inboundNumber"].as_str().unwrap().to_owned();
    assert_eq!(inbound["status"], "Pending appointment", "{b:?}: {inbound}");
    // The carton marks Entrepot prints carry the carton number: `{inbound}-001` for the carton the
    // seller did not number, the seller's own number for the other.
    let marks: Vec<&str> =
        inbound["cartonList"].as_array().unwrap().iter().map(|c| c["cartonNumber"].as_str().unwrap()).collect();
    let first_mark = format!("{number}-001");
    assert_eq!(marks, vec![first_mark.as_str(), "ACME-CTN-2"], "{b:?}: {inbound}");
    // What the floor scans is what Entrepot printed: a Code128 of the carton number on each
    // carton mark, of the MFSKUID on each SKU label (one label per unit expected).
    let printed = |key: &str| {
        let url = inbound[key].as_str().unwrap().split('#').next().unwrap().to_owned();
        async move {
            let pdf = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
            read_pdf(&pdf).unwrap().into_iter().map(|p| p.barcodes).collect::<Vec<_>>()
        }
    };
    assert_eq!(printed("cartonMarkUrl").await, vec![vec![first_mark.clone()], vec!["ACME-CTN-2".to_owned()]], "{b:?}");
    let mut labels: Vec<(String, usize)> = vec![];
    for page in printed("skuLabelUrl").await {
        assert_eq!(page.len(), 1, "{b:?}: one barcode per label: {page:?}");
        match labels.iter_mut().find(|(code, _)| *code == page[0]) {
            Some(l) => l.1 += 1,
            None => labels.push((page[0].clone(), 1)),
        }
    }
    labels.sort();
    let mut want = vec![(mug.clone(), 12), (lamp.clone(), 6), (vase.clone(), 4)];
    want.sort();
    assert_eq!(labels, want, "{b:?}: the SKU labels printed");
    let dispatch = number.strip_prefix("OCI").unwrap().trim_start_matches('0').to_owned();

    let uk = login(base, "uk", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let seller = Seller { base, user: &acme, oc: &oc, bird: &bird, backend };
    seller.assert_stock("created", MUG, &mug, [12, 0, 0, 0]).await;
    seller.assert_stock("created", LAMP, &lamp, [6, 0, 0, 0]).await;
    seller.assert_stock("created", VASE, &vase, [4, 0, 0, 0]).await;
    seller.assert_stock("created", TOY, &toy, [0, 0, 0, 0]).await;

    // Bins, through the API: three pick faces and a reserve bin.
    let range = json!({"range": "A-01-1..3", "type": "pick_face"});
    let made =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations/range", &["UK1"], "", Some(range)).await;
    assert_eq!(made.status, 201, "{b:?}: {}", made.body);
    let reserve = json!({"code": "R-01", "type": "reserve"});
    let made = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations", &["UK1"], "", Some(reserve)).await;
    assert_eq!(made.status, 201, "{b:?}: {}", made.body);

    // The seller books the dock (staff opened slots); staff check the freight in.
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 10, "capacity": 2});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{b:?}: {}", slots.body);
    let booked =
        call(base, acme.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", Some(json!({}))).await;
    assert_eq!((booked.status, booked.body["status"].as_str()), (200, Some("BOOKED")), "{b:?}: {}", booked.body);
    assert_eq!(booked.body["slot"]["id"], slots.body["items"][0]["id"], "{b:?}: the earliest slot");
    let row = oc_detail(&oc, &number).await;
    assert_eq!((row["status"].as_str(), row["appointmentBooked"].as_bool()), (Some("In transit"), Some(true)), "{b:?}");
    let arrived = call(base, uk.bearer(), "POST /api/v1/inbounds/{inbound}/arrival", &[&number], "", None).await;
    assert_eq!((arrived.status, arrived.body["status"].as_str()), (200, Some("Arrived")), "{b:?}: {}", arrived.body);
    assert_eq!(dispatch_numbers(&dispatch_row(&bird, &dispatch).await), ("ARRIVED".into(), [22, 0, 0, 0, 0, 0]));

    // The first carton's mark opens the receipt: three SKUs expected, nothing counted.
    let open = call(base, uk.bearer(), "POST /api/v1/receipts", &[], "", Some(json!({"code": first_mark}))).await;
    assert_eq!(open.status, 200, "{b:?}: {}", open.body);
    assert_eq!(
        lines(&open.body),
        vec![line(MUG, 12, 0, 0, 0, 0), line(LAMP, 6, 0, 0, 0, 0), line(VASE, 4, 0, 0, 0, 0)],
        "{b:?}"
    );
    let inbound_id = open.body["inbound"]["id"].as_str().unwrap().to_owned();

    // Scans: 9 of 12 mugs (7 typed once, then two labels); 5 lamps one by one and one damaged;
    // the second carton's mark (same inbound: nothing counted); 4 vases.
    let s = scan(base, uk.bearer(), &number, json!({"code": mug, "quantity": 7, "scan_id": "h1-1"})).await;
    assert_eq!((s["counted"].as_i64(), s["sku_id"].as_i64()), (Some(7), Some(id_of(MUG))), "{b:?}: {s}");
    for k in 2..4 {
        scan(base, uk.bearer(), &number, json!({"code": mug, "scan_id": format!("h1-{k}")})).await;
    }
    for k in 4..9 {
        scan(base, uk.bearer(), &number, json!({"code": lamp, "scan_id": format!("h1-{k}")})).await;
    }
    scan(base, uk.bearer(), &number, json!({"code": lamp, "condition": "damaged", "scan_id": "h1-9"})).await;
    let s = scan(base, uk.bearer(), &number, json!({"code": "ACME-CTN-2", "scan_id": "h1-10"})).await;
    assert_eq!((s["counted"].as_i64(), s["sku_id"].clone()), (Some(0), Value::Null), "{b:?}: {s}");
    let s =
        scan(base, uk.bearer(), &number, json!({"code": vase.to_lowercase(), "quantity": 4, "scan_id": "h1-11"})).await;
    assert_eq!(s["counted"].as_i64(), Some(4), "{b:?}: a label read in lower case counts: {s}");

    // The unexpected SKU's label is refused at the scan, saying what the inbound expects; it is
    // recorded as an unexpected discrepancy instead. A code that is nothing Entrepot printed is
    // refused too; neither counts anything.
    let expected = format!("code: expected a SKU of inbound {number}: {mug}, {lamp}, {vase}");
    let r = call(
        base,
        uk.bearer(),
        "POST /api/v1/receipts/{inbound}/scans",
        &[&number],
        "",
        Some(json!({"code": toy, "scan_id": "h1-12"})),
    )
    .await;
    r.problem(422, "validation");
    assert_eq!(
        r.body["detail"].as_str().unwrap(),
        format!("{expected}; got SKU {toy}, which is not on this inbound (record it as an unexpected discrepancy)"),
        "{b:?}"
    );
    let r = call(
        base,
        uk.bearer(),
        "POST /api/v1/receipts/{inbound}/scans",
        &[&number],
        "",
        Some(json!({"code": "A-01-1", "scan_id": "h1-13"})),
    )
    .await;
    r.problem(422, "validation");
    assert_eq!(
        r.body["detail"].as_str().unwrap(),
        format!("{expected}; got 'A-01-1', which is neither a SKU label nor a carton mark"),
        "{b:?}"
    );
    let extra = json!({"code": toy, "quantity": 2, "note": "two loose in carton ACME-CTN-2"});
    let u = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/unexpected", &[&number], "", Some(extra)).await;
    assert_eq!(
        (u.status, u.body["kind"].as_str(), u.body["sku_id"].as_i64(), u.body["quantity"].as_i64()),
        (201, Some("unexpected"), Some(id_of(TOY)), Some(2)),
        "{b:?}: {}",
        u.body
    );

    // Counted, not closed: the mugs still missing are in transit, nothing is short yet.
    let receipt = call(base, acme.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(
        lines(&receipt.body),
        vec![line(MUG, 12, 9, 0, 0, 0), line(LAMP, 6, 5, 1, 0, 0), line(VASE, 4, 4, 0, 0, 0)],
        "{b:?}: {}",
        receipt.body
    );
    seller.assert_stock("counted", MUG, &mug, [3, 9, 0, 0]).await;
    seller.assert_stock("counted", LAMP, &lamp, [0, 5, 0, 1]).await;
    seller.assert_stock("counted", VASE, &vase, [0, 4, 0, 0]).await;
    seller.assert_stock("counted", TOY, &toy, [0, 0, 0, 0]).await;
    let row = oc_detail(&oc, &number).await;
    assert_eq!(row["status"], "Receiving", "{b:?}: {row}");
    let mut want = vec![
        (mug.clone(), [12, 9, 0, 0, 0, 0]),
        (lamp.clone(), [6, 6, 0, 1, 0, 0]),
        (vase.clone(), [4, 4, 0, 0, 0, 0]),
    ];
    want.sort();
    assert_eq!(oc_skus(&row), want, "{b:?}: OC detail while counting: {row}");
    assert_eq!(dispatch_numbers(&dispatch_row(&bird, &dispatch).await), ("RECEIVING".into(), [22, 19, 0, 1, 0, 0]));

    // Closing the receipt: three mugs short, one lamp damaged, two toys unexpected.
    let closed = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/close", &[&number], "", None).await;
    assert_eq!(closed.status, 200, "{b:?}: {}", closed.body);
    let found = |receipt: &Value| -> Vec<(String, Option<i64>, i64, i64, i64)> {
        let mut d: Vec<_> = receipt["discrepancies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let n = |k: &str| d[k].as_i64().unwrap();
                (
                    d["kind"].as_str().unwrap().to_owned(),
                    d["sku_id"].as_i64(),
                    n("expected"),
                    n("received"),
                    n("quantity"),
                )
            })
            .collect();
        d.sort();
        d
    };
    let discrepancies = vec![
        ("damaged".to_owned(), Some(id_of(LAMP)), 6, 6, 1),
        ("short".to_owned(), Some(id_of(MUG)), 12, 9, 3),
        ("unexpected".to_owned(), Some(id_of(TOY)), 0, 2, 2),
    ];
    assert_eq!(found(&closed.body), discrepancies, "{b:?}: {}", closed.body);
    assert_eq!(
        lines(&closed.body),
        vec![line(MUG, 12, 9, 0, 0, 3), line(LAMP, 6, 5, 1, 0, 0), line(VASE, 4, 4, 0, 0, 0)],
        "{b:?}"
    );
    let again = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/close", &[&number], "", None).await;
    again.problem(409, "conflict");
    let late = call(
        base,
        uk.bearer(),
        "POST /api/v1/receipts/{inbound}/scans",
        &[&number],
        "",
        Some(json!({"code": mug, "scan_id": "h1-14"})),
    )
    .await;
    late.problem(409, "conflict");
    assert!(late.body["detail"].as_str().unwrap().contains("its receipt is closed"), "{b:?}: {}", late.body);

    // Received units wait at the dock (the damaged one in DAMAGED); nothing is sellable yet.
    seller.assert_stock("closed", MUG, &mug, [0, 9, 0, 0]).await;
    seller.assert_stock("closed", LAMP, &lamp, [0, 5, 0, 1]).await;
    seller.assert_stock("closed", VASE, &vase, [0, 4, 0, 0]).await;
    seller.assert_stock("closed", TOY, &toy, [0, 0, 0, 0]).await;
    let at = |code: &str, sku: &str, qty: i64| (code.to_owned(), sku.to_owned(), qty);
    assert_eq!(
        where_stock_is(base, &uk, &ids).await,
        vec![at("DAMAGED", LAMP, 1), at("DOCK", LAMP, 5), at("DOCK", MUG, 9), at("DOCK", VASE, 4)],
        "{b:?}"
    );
    let row = oc_detail(&oc, &number).await;
    let mut want = vec![
        (mug.clone(), [12, 9, 0, 0, 3, 0]),
        (lamp.clone(), [6, 6, 0, 1, 0, 0]),
        (vase.clone(), [4, 4, 0, 0, 0, 0]),
    ];
    want.sort();
    assert_eq!(oc_skus(&row), want, "{b:?}: OC detail after the close: {row}");
    let mut oc_found: Vec<(String, String, Option<String>, i64, i64, i64)> = row["discrepancyList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let n = |k: &str| d[k].as_i64().unwrap();
            (
                d["type"].as_str().unwrap().to_owned(),
                d["MFSKUID"].as_str().unwrap().to_owned(),
                d["sellerSKUID"].as_str().map(str::to_owned),
                n("expectedQuantity"),
                n("receivedQuantity"),
                n("quantity"),
            )
        })
        .collect();
    oc_found.sort();
    assert_eq!(
        oc_found,
        vec![
            ("DAMAGED".into(), lamp.clone(), Some(LAMP.into()), 6, 6, 1),
            ("SHORT".into(), mug.clone(), Some(MUG.into()), 12, 9, 3),
            ("UNEXPECTED".into(), toy.clone(), Some(TOY.into()), 0, 2, 2),
        ],
        "{b:?}: OC's discrepancy list: {row}"
    );
    assert_eq!(dispatch_numbers(&dispatch_row(&bird, &dispatch).await), ("RECEIVING".into(), [22, 19, 0, 1, 3, 0]));

    // Putaway by scans. Every bin is empty: the mugs' task suggests the first pick face.
    let tasks = tasks_of(base, &uk, &number).await;
    assert_eq!(
        tasks.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>(),
        {
            let mut w = vec![(id_of(MUG), 9), (id_of(LAMP), 5), (id_of(VASE), 4)];
            w.sort();
            w
        },
        "{b:?}: one task per line with good units, of what was counted"
    );
    let task =
        |tasks: &[(i64, i64, Option<String>)], sku: &str| tasks.iter().find(|t| t.0 == id_of(sku)).unwrap().clone();
    assert_eq!(task(&tasks, MUG).2.as_deref(), Some("A-01-1"), "{b:?}: {tasks:?}");
    let put = |sku: &str, qty: i64, bin: &str, confirm: bool| json!({"client": "Acme", "sku": sku, "qty": qty, "bin": bin, "inbound": number, "confirm_other_bin": confirm});
    let p = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/putaway",
        &["UK1"],
        "",
        Some(put(&mug, 9, "a-01-1", false)),
    )
    .await;
    assert_eq!(
        (p.status, p.body["bin"].as_str(), p.body["qty"].as_i64()),
        (200, Some("A-01-1"), Some(9)),
        "{b:?}: {}",
        p.body
    );

    // Part put away: the mugs are sellable, the rest still at the dock.
    seller.assert_stock("mugs put away", MUG, &mug, [0, 0, 9, 0]).await;
    seller.assert_stock("mugs put away", LAMP, &lamp, [0, 5, 0, 1]).await;
    let row = oc_detail(&oc, &number).await;
    assert_eq!((row["status"].as_str(), row["putAwayTime"].as_str()), (Some("Partially Put away"), None), "{b:?}");
    assert_eq!(dispatch_numbers(&dispatch_row(&bird, &dispatch).await), ("PUTTING_AWAY".into(), [22, 19, 9, 1, 3, 0]));

    // A-01-1 holds the mugs now: the lamps go to the next empty pick face.
    let tasks = tasks_of(base, &uk, &number).await;
    assert_eq!(tasks.len(), 2, "{b:?}: {tasks:?}");
    assert_eq!(task(&tasks, LAMP).2.as_deref(), Some("A-01-2"), "{b:?}: {tasks:?}");
    let p = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/putaway",
        &["UK1"],
        "",
        Some(put(LAMP, 5, "A-01-2", false)),
    )
    .await;
    assert_eq!((p.status, p.body["bin"].as_str()), (200, Some("A-01-2")), "{b:?}: {}", p.body);

    // The vases are suggested A-01-3; the reserve bin scanned instead needs the confirmation.
    let tasks = tasks_of(base, &uk, &number).await;
    assert_eq!(tasks, vec![(id_of(VASE), 4, Some("A-01-3".to_owned()))], "{b:?}");
    let r = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/putaway",
        &["UK1"],
        "",
        Some(put(&vase, 4, "R-01", false)),
    )
    .await;
    r.problem(409, "conflict");
    assert_eq!(
        r.body["detail"].as_str().unwrap(),
        "the suggested bin is A-01-3, not R-01: scan A-01-3, or confirm putting away into R-01 (confirm_other_bin)",
        "{b:?}"
    );
    seller.assert_stock("refused putaway", VASE, &vase, [0, 4, 0, 0]).await;
    let p = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/putaway",
        &["UK1"],
        "",
        Some(put(&vase, 4, "R-01", true)),
    )
    .await;
    assert_eq!(
        (p.status, p.body["bin"].as_str(), p.body["suggested_bin"].as_str()),
        (200, Some("R-01"), Some("A-01-3")),
        "{b:?}: {}",
        p.body
    );
    assert_eq!(tasks_of(base, &uk, &number).await, vec![], "{b:?}: nothing left at the dock");

    // Everything sellable is sellable, the damaged lamp is not; each door agrees.
    seller.assert_stock("put away", MUG, &mug, [0, 0, 9, 0]).await;
    seller.assert_stock("put away", LAMP, &lamp, [0, 0, 5, 1]).await;
    seller.assert_stock("put away", VASE, &vase, [0, 0, 4, 0]).await;
    seller.assert_stock("put away", TOY, &toy, [0, 0, 0, 0]).await;
    assert_eq!(
        where_stock_is(base, &uk, &ids).await,
        vec![at("A-01-1", MUG, 9), at("A-01-2", LAMP, 5), at("DAMAGED", LAMP, 1), at("R-01", VASE, 4)],
        "{b:?}"
    );
    let mine =
        call(base, acme.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "location=R-01", None)
            .await;
    assert_eq!(
        mine.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["sku_id"].as_i64(), r["qty"].as_i64()))
            .collect::<Vec<_>>(),
        vec![(Some(id_of(VASE)), Some(4))],
        "{b:?}: the seller sees its units in R-01: {}",
        mine.body
    );
    let receipt = call(base, acme.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(
        lines(&receipt.body),
        vec![line(MUG, 12, 9, 0, 9, 3), line(LAMP, 6, 5, 1, 5, 0), line(VASE, 4, 4, 0, 4, 0)],
        "{b:?}: {}",
        receipt.body
    );
    assert_eq!(found(&receipt.body), discrepancies, "{b:?}: the seller reads the discrepancies");
    assert_eq!(receipt.body["inbound"]["status"], "PutAway", "{b:?}: {}", receipt.body);
    let (arrived_ms, available_ms) =
        (receipt.body["arrived_at_ms"].as_i64().unwrap(), receipt.body["available_at_ms"].as_i64().unwrap());
    assert!(arrived_ms <= available_ms, "{b:?}: {}", receipt.body);

    // OC: the detail and the list query show the same totals.
    let row = oc_detail(&oc, &number).await;
    let mut want = vec![
        (mug.clone(), [12, 9, 9, 0, 3, 0]),
        (lamp.clone(), [6, 6, 5, 1, 0, 0]),
        (vase.clone(), [4, 4, 4, 0, 0, 0]),
    ];
    want.sort();
    assert_eq!(oc_skus(&row), want, "{b:?}: OC detail after putaway: {row}");
    assert_eq!(row["status"], "Put away", "{b:?}");
    assert!(row["arrivedTime"].is_string() && row["putAwayTime"].is_string(), "{b:?}: {row}");
    assert_eq!(row["discrepancyList"].as_array().unwrap().len(), 3, "{b:?}: {row}");
    let (start, end) = window();
    let list = oc.call("/openapi/3pp/inbound/v1/query", json!({"startTime": start, "endTime": end})).await.unwrap();
    let listed = list["inboundOrderList"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{b:?}: {list}");
    let n = |k: &str| listed[0][k].as_i64().unwrap();
    assert_eq!(
        (
            listed[0]["inboundNumber"].as_str(),
            [n("skuQty"), n("receivedQty"), n("putAwayQty"), n("damagedQty"), n("shortageQty"), n("overQty")]
        ),
        (Some(number.as_str()), [22, 19, 18, 1, 3, 0]),
        "{b:?}: OC's inbound list: {list}"
    );

    // Bird: the dispatch row; one CLIENT_DISPATCH UPDATE webhook per discrepancy.
    let row = dispatch_row(&bird, &dispatch).await;
    assert_eq!(dispatch_numbers(&row), ("FINISHED".into(), [22, 19, 18, 1, 3, 0]), "{b:?}: {row}");
    assert_eq!((row["inbound_number"].as_str(), row["reference"].as_str()), (Some(number.as_str()), Some("PO-E2E-1")));
    let mut messages = vec![];
    for _ in 0..300 {
        messages = hooks.lock().unwrap().clone();
        if messages.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Anything sent twice would have arrived by now too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let messages = hooks.lock().unwrap().clone();
    let mut got: Vec<(String, Option<i64>, i64, String)> = messages
        .iter()
        .map(|m| {
            assert_eq!(
                (m["resource_type"].as_str(), m["action"].as_str()),
                (Some("CLIENT_DISPATCH"), Some("UPDATE")),
                "{m}"
            );
            let d = &m["data"]["discrepancy"];
            (
                d["kind"].as_str().unwrap().to_owned(),
                d["sku"].as_i64(),
                d["quantity"].as_i64().unwrap(),
                m["data"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("damaged".into(), Some(id_of(LAMP)), 1, dispatch.clone()),
            ("short".into(), Some(id_of(MUG)), 3, dispatch.clone()),
            ("unexpected".into(), Some(id_of(TOY)), 2, dispatch.clone()),
        ],
        "{b:?}: {messages:?}"
    );

    // The audit trail of the inbound: who did what, from which device, in order.
    let trail =
        call(base, uk.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["inbound", &inbound_id], "", None)
            .await;
    assert_eq!(trail.status, 200, "{b:?}: {}", trail.body);
    let entries: Vec<(String, String, Option<String>)> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor_name"].as_str().unwrap().to_owned(),
                e["device"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let handheld = Some("uk-handheld".to_owned());
    let acme_device = Some("acme-owner-handheld".to_owned());
    let mut want = vec![
        ("inbound.appointment_booked".to_owned(), "acme-owner".to_owned(), acme_device),
        ("inbound.arrived".into(), "uk".into(), handheld.clone()),
    ];
    want.extend((0..10).map(|_| ("inbound.received".to_owned(), "uk".to_owned(), handheld.clone())));
    want.push(("inbound.discrepancy".into(), "uk".into(), handheld.clone()));
    want.push(("inbound.receipt_closed".into(), "uk".into(), handheld.clone()));
    want.extend((0..3).map(|_| ("putaway.confirmed".to_owned(), "uk".to_owned(), handheld.clone())));
    assert_eq!(entries, want, "{b:?}: {}", trail.body);
    let details: Vec<&str> =
        trail.body["items"].as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    for d in [
        format!("7 × {mug}"),
        format!("1 × {lamp}, damaged"),
        format!("2 × {toy} unexpected"),
        format!("9 × {MUG} into A-01-1"),
        format!("4 × {VASE} into R-01"),
    ] {
        assert!(details.contains(&d.as_str()), "{b:?}: '{d}' in {details:?}");
    }
    let theirs =
        call(base, acme.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["inbound", &inbound_id], "", None)
            .await;
    assert_eq!(
        theirs.body["items"].as_array().map(Vec::len),
        Some(want.len()),
        "{b:?}: the seller reads the same trail"
    );

    // Dock-to-stock counts the finished inbound; the ledgers add up.
    let (status, metrics) = get(&format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    assert!(metrics.contains("\nentrepot_dock_to_stock_inbounds 1\n"), "{b:?}: {metrics}");
    assert_check(url);
    drop(server);
}

/// A handheld that lost the answer to a scan replays it with the same `Idempotency-Key`: it gets
/// the first answer again and nothing is counted twice. A second device sending the same scan (its
/// own key, the same scan id) counts nothing either, even when the devices send at once; two
/// devices scanning the same SKU at once both count.
#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_replayed_by_key_or_by_another_device_counts_once(backend: Backend) {
    let b = backend;
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let number = api_common::acme_inbound(&db.url, "SEA-REPLAY-1").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let second = device_token(base, &uk, "uk-tc52-2").await;
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 9});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{b:?}: {}", slots.body);
    let booked =
        call(base, acme.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", Some(json!({}))).await;
    assert_eq!(booked.status, 200, "{b:?}: {}", booked.body);
    let arrived = call(base, uk.bearer(), "POST /api/v1/inbounds/{inbound}/arrival", &[&number], "", None).await;
    assert_eq!(arrived.status, 200, "{b:?}: {}", arrived.body);
    let open =
        call(base, uk.bearer(), "POST /api/v1/receipts", &[], "", Some(json!({"code": format!("{number}-001")}))).await;
    let label = open.body["lines"].as_array().unwrap().iter().find(|l| l["seller_sku"] == "ACME-1").unwrap()["mfskuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let received = |r: &Value| -> i64 {
        r["lines"].as_array().unwrap().iter().find(|l| l["seller_sku"] == "ACME-1").unwrap()["received"]
            .as_i64()
            .unwrap()
    };
    let op = "POST /api/v1/receipts/{inbound}/scans";
    let three = json!({"code": label, "quantity": 3, "scan_id": "tc52-1-0001"});

    // The first device's scan; its answer is lost, so it replays it with the same key.
    let key = [("idempotency-key", "tc52-1-q-0001")];
    let first = call_with(base, uk.bearer(), op, &[&number], "", Some(three.clone()), &key).await;
    assert_eq!((first.status, first.body["counted"].as_i64()), (200, Some(3)), "{b:?}: {}", first.body);
    assert_eq!(first.header("idempotent-replayed"), "", "{b:?}: a first answer is no replay");
    let replay = call_with(base, uk.bearer(), op, &[&number], "", Some(three.clone()), &key).await;
    assert_eq!(
        (replay.status, replay.header("idempotent-replayed"), &replay.body),
        (200, "true", &first.body),
        "{b:?}: the same answer again"
    );
    // The same key with another scan is refused, not run.
    let other = json!({"code": label, "quantity": 5, "scan_id": "tc52-1-0002"});
    call_with(base, uk.bearer(), op, &[&number], "", Some(other), &key).await.problem(422, "idempotency-mismatch");

    // The second device sends the same scan under its own key: nothing more is counted.
    let key2 = [("idempotency-key", "tc52-2-q-0001")];
    let dup = call_with(base, Auth::Bearer(&second), op, &[&number], "", Some(three.clone()), &key2).await;
    assert_eq!(
        (dup.status, dup.body["replayed"].as_bool(), dup.body["counted"].as_i64()),
        (200, Some(true), Some(3)),
        "{b:?}: {}",
        dup.body
    );
    assert_eq!(received(&dup.body["receipt"]), 3, "{b:?}: {}", dup.body);

    // Both devices send one new scan at once, each twice under keys of their own: counted once.
    let two = json!({"code": label, "quantity": 2, "scan_id": "tc52-1-0003"});
    let send = |token: &str, k: &'static str| {
        let (base, number, two, token) = (server.base.clone(), number.clone(), two.clone(), token.to_owned());
        tokio::spawn(async move {
            let r =
                call_with(&base, Auth::Bearer(&token), op, &[&number], "", Some(two), &[("idempotency-key", k)]).await;
            (r.status, r.body)
        })
    };
    let racers =
        [send(&uk.token, "race-a"), send(&second, "race-b"), send(&uk.token, "race-c"), send(&second, "race-d")];
    let mut fresh = 0;
    for r in racers {
        let (status, body) = r.await.unwrap();
        assert_eq!(status, 200, "{b:?}: every device gets its answer: {body}");
        assert_eq!(body["counted"].as_i64(), Some(2), "{b:?}: {body}");
        fresh += i32::from(body["replayed"] == false);
    }
    assert_eq!(fresh, 1, "{b:?}: exactly one of them counted");

    // Two devices scanning the same SKU at once (different scans) both count.
    let one = |id: &'static str| json!({"code": label, "scan_id": id});
    let at = [number.as_str()];
    let (a, c) = tokio::join!(
        call(base, uk.bearer(), op, &at, "", Some(one("tc52-1-0004"))),
        call(base, Auth::Bearer(&second), op, &at, "", Some(one("tc52-2-0001"))),
    );
    assert_eq!((a.status, c.status), (200, 200), "{b:?}: {} {}", a.body, c.body);
    let receipt = call(base, uk.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(received(&receipt.body), 7, "{b:?}: 3 + 2 + 1 + 1: {}", receipt.body);
    let stock = call(base, acme.bearer(), "GET /api/v1/stock", &[], "sku=ACME-1&warehouse=UK1", None).await;
    assert_eq!(stock.body["items"][0]["units"]["received"], 7, "{b:?}: {}", stock.body);

    // The trail names each counting device once per scan counted.
    let id = receipt.body["inbound"]["id"].as_str().unwrap();
    let trail =
        call(base, uk.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["inbound", id], "", None).await;
    let mut scans: Vec<(String, String)> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "inbound.received")
        .map(|e| (e["detail"].as_str().unwrap().to_owned(), e["device"].as_str().unwrap_or("").to_owned()))
        .collect();
    scans.sort();
    let counted: Vec<&str> = scans.iter().map(|s| s.0.as_str()).collect();
    let unit = format!("1 × {label}");
    assert_eq!(
        counted,
        vec![unit.as_str(), unit.as_str(), &format!("2 × {label}"), &format!("3 × {label}")],
        "{b:?}: {}",
        trail.body
    );
    assert_eq!(
        (scans[0].1.as_str(), scans[1].1.as_str(), scans[3].1.as_str()),
        ("uk-handheld", "uk-tc52-2", "uk-handheld"),
        "{b:?}: the single units came from both devices, the first scan from the first: {scans:?}"
    );
    assert_check(&db.url);
}
