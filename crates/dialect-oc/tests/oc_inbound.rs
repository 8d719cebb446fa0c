//! Inbound orders over OC's API (spec §5.6–§5.11): creation with real label PDFs, idempotency on
//! `sellerInboundNumber`, list, detail and label queries, tracking numbers for express inbounds
//! and customs files; refusals in OC's shape with nothing changed, and one client never seeing or
//! touching another's inbounds. On both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use common::{assert_refused, ok, App, Seller};
use entrepot_core::{ids::SkuId, inventory::Bucket, sku::SkuStatus};
use entrepot_labels::inspect::{read_pdf, PrintedPage};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const CREATE: &str = "/openapi/3pp/inbound/v1/creation";
const LIST: &str = "/openapi/3pp/inbound/v1/query";
const DETAIL: &str = "/openapi/3pp/inbound/v1/detail";
const LABELS: &str = "/openapi/3pp/inbound/v1/query/labels";
const TRACKING: &str = "/openapi/3pp/inbound/v1/upload/shipment-file";
const CUSTOMS: &str = "/openapi/3pp/inbound/v1/upload/customs-clearance-file";
const DAY: i64 = 86_400_000;

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn inbound(seller_number: &str, method: &str, mf1: &str, mf2: &str) -> Value {
    json!({
        "sellerInboundNumber": seller_number,
        "serviceRegion": "UK",
        "shippingFrom": "CN",
        "shippingMethod": method,
        "transportMethod": if method == "TK" { "OF" } else { "AF" },
        "ETA": "2030-01-15+0800",
        "VAT": "GB123456789",
        "cartonList": [
            {"cartonNumber": "C-1", "sellerCartonNumber": "S-BOX-1", "cartonOriginCountry": "CN", "labelSize": "2",
             "productList": [{"mfskuid": mf1, "quantity": "3"}]},
            {"productList": [{"MFSKUID": mf2, "quantity": 2}, {"mfSkuId": mf1, "quantity": 1}]}
        ]
    })
}

fn in_transit(app_stock: &[entrepot_store::StockRow]) -> i64 {
    app_stock.iter().map(|r| r.position.get(Bucket::InTransit)).sum()
}

async fn transit(app: &App, who: &Seller, sku: SkuId) -> i64 {
    in_transit(&app.store.stock(&who.client, &[sku], None).await.unwrap())
}

/// The pages of a label PDF as poppler prints them, barcodes read by a real decoder.
fn pages(pdf: &[u8]) -> Vec<PrintedPage> {
    read_pdf(pdf).unwrap()
}

/// The page's barcode scans as exactly Code128 `data`, and `data` is printed under it.
fn assert_barcode(page: &PrintedPage, data: &str) {
    assert_eq!(page.barcodes, [data], "the barcode is not Code128 of {data}");
    assert!(page.shows(data), "{data} is printed under its barcode: {}", page.text);
}

#[each_backend]
async fn creation_answers_the_number_and_real_label_pdfs(b: Backend) {
    let app = App::start(b).await;
    let (mf1, sku1) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let d = ok(app.call(CREATE, inbound("S-1", "EX", &mf1, &mf2)).await);
    let number = d["inboundNumber"].as_str().unwrap().to_owned();
    assert!(number.starts_with("OCI"), "{d}");
    assert_eq!(d["sellerInboundNumber"], "S-1");
    assert_eq!(d["status"], "Pending tracking number");
    assert_eq!(d["serviceRegion"], "UK");
    assert_eq!(d["warehouseCode"], "UK1");
    assert_eq!(d["cartonList"][0]["cartonNumber"], "C-1");
    assert_eq!(d["cartonList"][0]["sellerCartonNumber"], "S-BOX-1");
    let second = format!("{number}-002");
    assert_eq!(d["cartonList"][1]["cartonNumber"], second.as_str());
    assert!(d["cartonList"][1]["cartonMarkUrl"].as_str().unwrap().ends_with("carton-marks.pdf#page=2"));
    assert_eq!(transit(&app, &app.seller, sku1).await, 4, "{b:?}: expected goods are in transit");

    // SKU labels: one per unit, each with the MFSKUID's barcode.
    let url = d["skuLabelUrl"].as_str().unwrap();
    assert!(url.starts_with(&app.base), "{url} is absolute, on the host called");
    let (status, pdf) = app.download(url).await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    let p = pages(&pdf);
    assert_eq!(p.len(), 6, "3 + 1 units of {mf1}, 2 of {mf2}");
    let mf1_pages = p.iter().filter(|c| c.barcodes == [mf1.as_str()] && c.shows(&mf1)).count();
    assert_eq!(mf1_pages, 4);
    assert_barcode(&p[0], &mf1);
    assert_barcode(&p[5], &mf2);

    // Carton marks: one per carton, with the carton number's barcode.
    let (status, pdf) = app.download(d["cartonMarkUrl"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let p = pages(&pdf);
    assert_eq!(p.len(), 2);
    assert_barcode(&p[0], "C-1");
    assert_barcode(&p[1], &second);
    assert!(p[1].shows(&format!("INBOUND {number}")), "{}", p[1].text);

    // The links are capabilities: a guessed token finds nothing.
    let forged = url.replace(&url[url.len() - 47..url.len() - 15], &"0".repeat(32));
    assert_ne!(forged, url);
    assert_eq!(app.download(&forged).await.0, 404);
    assert_eq!(app.download(&format!("{}/openapi/3pp/files/..%2F..%2Fetc/passwd", app.base)).await.0, 404);
}

#[each_backend]
async fn a_seller_inbound_number_makes_one_inbound_only(b: Backend) {
    let app = App::start(b).await;
    let (mf1, sku1) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let first = ok(app.call(CREATE, inbound("S-1", "EX", &mf1, &mf2)).await);
    // A retry after a lost answer gets the same inbound.
    let again = ok(app.call(CREATE, inbound("S-1", "EX", &mf1, &mf2)).await);
    assert_eq!(again, first, "{b:?}");
    // The same number for another shipment is refused.
    let mut other = inbound("S-1", "EX", &mf1, &mf2);
    other["cartonList"][0]["productList"][0]["quantity"] = json!(30);
    let v = app.call(CREATE, other).await;
    let number = first["inboundNumber"].as_str().unwrap();
    assert_refused(
        &v,
        &format!("Duplicate sellerInboundNumber [S-1]: it is already used by inbound {number} with other content"),
    );
    assert_eq!(v["errors"][0]["code"], "3A0409");
    assert_eq!(app.inbound_count(&app.seller).await, 1, "{b:?}");
    assert_eq!(transit(&app, &app.seller, sku1).await, 4, "{b:?}");
    // Another client may use the same number, with its own SKUs only.
    let (o1, _) = app.stocked_sku(&app.other, "MUG", 0).await;
    let (o2, _) = app.stocked_sku(&app.other, "CUP", 0).await;
    let v = app.call_as(&app.other, CREATE, inbound("S-1", "EX", &mf1, &mf2)).await;
    assert_refused(&v, &format!("MFSKUID [{mf1}] doesnt exists"));
    let theirs = ok(app.call_as(&app.other, CREATE, inbound("S-1", "EX", &o1, &o2)).await);
    assert_ne!(theirs["inboundNumber"], first["inboundNumber"]);
}

#[each_backend]
async fn refused_inbounds_change_nothing(b: Backend) {
    let app = App::start(b).await;
    let (mf1, sku1) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let mut draft = entrepot_store::fixtures::sku("DRAFT");
    draft.status = SkuStatus::Draft;
    let draft = app.store.create_skus(&app.seller.client, vec![draft]).await.unwrap().remove(0);
    let base = || inbound("S-1", "TK", &mf1, &mf2);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base();
        f(&mut v);
        v
    };
    let cases: Vec<(Value, String)> = vec![
        (
            inbound("S-1", "TK", &mf1, "OC0000000000099"),
            "Query fail. Because MFSKUID [OC0000000000099] doesnt exists.".into(),
        ),
        (inbound("S-1", "TK", &mf1, &draft.mfskuid), "is DRAFT; only approved SKUs can be shipped in or out".into()),
        (with(&|v| v["shippingMethod"] = json!("SEA")), "shippingMethod 'SEA' is not one of TK, EX.".into()),
        (with(&|v| v["transportMethod"] = json!("XX")), "transportMethod 'XX' is not one of OF, AF, RF, TK.".into()),
        (with(&|v| drop(v.as_object_mut().unwrap().remove("ETA"))), "eta is required.".into()),
        (with(&|v| v["serviceRegion"] = json!("MARS")), "serviceRegion 'MARS' is not a fulfilment centre".into()),
        (with(&|v| v["cartonList"] = json!([])), "cartonList needs at least one carton.".into()),
        (
            with(&|v| v["cartonList"][1]["cartonNumber"] = json!("C-1")),
            "cartonList[1].cartonNumber 'C-1' is given to more than one carton.".into(),
        ),
        (
            with(&|v| v["cartonList"][0]["productList"][0]["quantity"] = json!(0)),
            "cartonList[0].productList[0].quantity must be positive, not 0.".into(),
        ),
    ];
    for (body, needle) in cases {
        let v = app.call(CREATE, body).await;
        assert_refused(&v, &needle);
    }
    assert_eq!(app.inbound_count(&app.seller).await, 0, "{b:?}");
    assert_eq!(transit(&app, &app.seller, sku1).await, 0, "{b:?}");
}

#[each_backend]
async fn list_detail_and_label_queries_for_the_tenant_only(b: Backend) {
    let app = App::start(b).await;
    let (mf1, _) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let ex = ok(app.call(CREATE, inbound("S-EX", "EX", &mf1, &mf2)).await);
    let tk = ok(app.call(CREATE, inbound("S-TK", "TK", &mf1, &mf2)).await);
    let (ex_n, tk_n) = (ex["inboundNumber"].as_str().unwrap(), tk["inboundNumber"].as_str().unwrap());
    let slot = json!({"startTime": now() - DAY, "endTime": now() + 60_000});

    let list = ok(app.call(LIST, slot.clone()).await);
    let rows = list["inboundOrderList"].as_array().unwrap();
    assert_eq!((rows.len(), list["total"].clone()), (2, json!(2)), "{b:?}");
    assert_eq!(rows[0]["inboundNumber"], tk_n, "newest first");
    assert_eq!(rows[0]["sellerInboundNumber"], "S-TK");
    assert_eq!(rows[0]["status"], "Pending appointment");
    assert_eq!(rows[0]["shippingMethod"], "TK");
    assert_eq!(rows[0]["warehouseCode"], "UK1");
    assert_eq!(rows[0]["serviceRegion"], "UK");
    assert_eq!((rows[0]["skuQty"].clone(), rows[0]["putAwayQty"].clone()), (json!(6), json!(0)));
    assert_eq!(rows[1]["status"], "Pending tracking number");
    let mut paged = slot.clone();
    paged["page"] = json!(2);
    paged["limit"] = json!(1);
    let page2 = ok(app.call(LIST, paged).await);
    assert_eq!(page2["inboundOrderList"][0]["inboundNumber"], ex_n);
    let v = app.call(LIST, json!({"startTime": now() - 8 * DAY, "endTime": now()})).await;
    assert_refused(&v, "Query timeslot must not be longer than 7 days");
    let v = app.call(LIST, json!({"startTime": now() - 370 * DAY, "endTime": now() - 369 * DAY})).await;
    assert_refused(&v, "Query timeslot is only valid for the last 12 months.");
    assert_refused(&app.call(LIST, json!({})).await, "startTime and endTime are required.");

    // Detail by either list, with SKUs, cartons and the appointment once booked.
    app.store.book_inbound_appointment(&app.seller.client, tk_n).await.unwrap();
    let detail =
        ok(app.call(DETAIL, json!({"inboundNumberList": [tk_n], "sellerinboundNumberList": ["S-EX", "S-NONE"]})).await);
    let rows = detail["inboundOrderList"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{b:?}");
    let t = rows.iter().find(|r| r["inboundNumber"] == tk_n).unwrap();
    assert_eq!(t["sellerinboundNumber"], "S-TK");
    assert_eq!(t["status"], "In transit");
    assert_eq!(t["appointmentBooked"], true);
    assert_eq!(t["shippingFrom"], "CN");
    assert_eq!(t["transportMethod"], "OF");
    assert_eq!(t["vat"], "GB123456789");
    assert_eq!(t["eta"], "2030-01-14+0000");
    let skus = t["SKUList"].as_array().unwrap();
    let mug = skus.iter().find(|s| s["MFSKUID"] == mf1.as_str()).unwrap();
    assert_eq!((mug["sellerSKUID"].clone(), mug["skuquantity"].clone()), (json!("MUG"), json!(4)));
    assert_eq!(t["cartonList"][0]["productList"], json!([{"MFSKUID": mf1, "quantity": 3}]));
    assert_eq!(t["trackingList"], json!([]));
    assert_eq!(t["fileList"], json!([]));
    assert_refused(&app.call(DETAIL, json!({})).await, "Give inboundNumberList");

    // Labels: one item per order asked, echoing it; an unknown one is an error item.
    let v = app.call(LABELS, json!({"inboundOrderList": [{"inboundOrder": ex_n}, {"inboundOrder": "OCI9"}]})).await;
    assert_eq!(v["success"], false);
    let items = v["data"]["inboundOrderList"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["inboundOrder"], ex_n);
    assert_eq!(items[0]["skuLabelUrl"], ex["skuLabelUrl"]);
    assert_eq!(items[0]["cartonMarkUrl"], ex["cartonMarkUrl"]);
    assert_eq!(v["errors"][0]["id"], "OCI9");
    assert_eq!(app.download(items[0]["skuLabelUrl"].as_str().unwrap()).await.0, 200);

    // Another client sees and touches none of it.
    let o = &app.other;
    assert_eq!(ok(app.call_as(o, LIST, slot).await)["inboundOrderList"], json!([]));
    assert_eq!(ok(app.call_as(o, DETAIL, json!({"inboundNumberList": [tk_n]})).await)["inboundOrderList"], json!([]));
    let v = app.call_as(o, LABELS, json!({"inboundOrderList": [{"inboundOrder": ex_n}]})).await;
    assert_refused(&v, &format!("Because inboundNumber [{ex_n}] doesnt exists"));
    assert_eq!(v["data"]["inboundOrderList"], json!([]));
    let track = json!({"inboundNumber": ex_n, "referenceNumber": "S-EX",
                       "trackingList": [{"carrier": "DHL", "trackingNumber": "JD0001"}]});
    assert_refused(&app.call_as(o, TRACKING, track).await, "doesnt exists");
    let file = json!({"inboundNumber": ex_n, "fileList": [{"file": b64(b"%PDF-1.4 x"), "fileName": "a.pdf", "fileType": "PL"}]});
    assert_refused(&app.call_as(o, CUSTOMS, file).await, "doesnt exists");
    let ours = app.store.find_inbound(&app.seller.client, ex_n).await.unwrap();
    assert_eq!(ours.details["trackingList"], json!([]), "{b:?}");
    assert_eq!(ours.details["fileList"], json!([]), "{b:?}");
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[each_backend]
async fn tracking_numbers_for_express_inbounds_only(b: Backend) {
    let app = App::start(b).await;
    let (mf1, _) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let ex = ok(app.call(CREATE, inbound("S-EX", "EX", &mf1, &mf2)).await);
    let tk = ok(app.call(CREATE, inbound("S-TK", "TK", &mf1, &mf2)).await);
    let ex_n = ex["inboundNumber"].as_str().unwrap();
    let upload = |n: &str, carton: &str| {
        json!({"inboundNumber": n, "referenceNumber": "S-EX",
               "trackingList": [{"cartonNumber": carton, "carrier": "DHL", "trackingNumber": "JD0001"}]})
    };
    let v = app.call(TRACKING, upload(tk["inboundNumber"].as_str().unwrap(), "C-1")).await;
    assert_refused(&v, "is not shipped by express (EX): it takes a receiving appointment, not tracking numbers.");
    let v = app.call(TRACKING, upload(ex_n, "C-9")).await;
    assert_refused(&v, &format!("trackingList[0].cartonNumber 'C-9' is not a carton of inbound {ex_n}."));
    let v = app
        .call(TRACKING, json!({"inboundNumber": ex_n, "referenceNumber": "S-EX", "trackingList": [{"carrier": "DHL"}]}))
        .await;
    assert_refused(&v, "trackingList[0].trackingNumber is required.");
    let still = ok(app.call(DETAIL, json!({"inboundNumberList": [ex_n]})).await);
    assert_eq!(still["inboundOrderList"][0]["status"], "Pending tracking number", "{b:?}: refusals change nothing");

    let d = ok(app.call(TRACKING, upload(ex_n, "C-1")).await);
    assert_eq!(d["status"], "In transit");
    // Again: nothing new.
    ok(app.call(TRACKING, upload(ex_n, "C-1")).await);
    let detail = ok(app.call(DETAIL, json!({"inboundNumberList": [ex_n]})).await);
    let row = &detail["inboundOrderList"][0];
    assert_eq!(row["status"], "In transit");
    assert_eq!(
        row["trackingList"],
        json!([{"cartonNumber": "C-1", "carrier": "DHL", "trackingNumber": "JD0001", "referenceNumber": "S-EX"}])
    );
}

#[each_backend]
async fn customs_files_are_checked_then_stored(b: Backend) {
    let app = App::start(b).await;
    let (mf1, _) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let ex = ok(app.call(CREATE, inbound("S-EX", "EX", &mf1, &mf2)).await);
    let n = ex["inboundNumber"].as_str().unwrap();
    let pdf = b"%PDF-1.4\n% packing list\n".to_vec();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let file = |bytes: &[u8], name: &str, kind: &str| json!({"file": b64(bytes), "fileName": name, "fileType": kind});
    let send = |files: Vec<Value>| app.call(CUSTOMS, json!({"inboundNumber": n, "fileList": files}));

    let d = ok(send(vec![file(&pdf, "Packing list.PDF", "PL"), file(&png, "invoice.png", "in")]).await);
    assert_eq!(d["inboundNumber"], n);
    let url = d["fileList"][0]["file"].as_str().unwrap();
    assert_eq!(app.download(url).await, (200, pdf.clone()), "{b:?}");
    assert_eq!(app.download(d["fileList"][1]["file"].as_str().unwrap()).await, (200, png.clone()));

    let big = {
        let mut v = b"%PDF-1.4\n".to_vec();
        v.resize(10 * 1024 * 1024 + 1, b' ');
        v
    };
    let exe = b"MZ\x90\x00\x03".to_vec();
    for (files, needle) in [
        (
            vec![file(&png, "scan.pdf", "PL")],
            "fileList[0].fileName 'scan.pdf' names a PDF file but the content is a PNG file.",
        ),
        (vec![file(&exe, "x.pdf", "PL")], "fileList[0].file is not a PDF, JPEG or PNG file."),
        (vec![file(&pdf, "x.doc", "PL")], "fileList[0].fileName 'x.doc' must end in .pdf, .jpg, .jpeg or .png."),
        (
            vec![file(&pdf, "x.pdf", "XX")],
            "fileList[0].fileType 'XX' is not one of PL, IN, CI, BL, MAWB, HAWB, CO, OTHERS.",
        ),
        (
            vec![json!({"file": "not base64!", "fileName": "x.pdf", "fileType": "PL"})],
            "fileList[0].file is not valid base64.",
        ),
        (vec![file(&pdf, "ok.pdf", "PL"), file(&big, "big.pdf", "PL")], "fileList[1].file is larger than 10 MB."),
        (vec![], "fileList needs at least one file."),
    ] {
        assert_refused(&send(files).await, needle);
    }
    let detail = ok(app.call(DETAIL, json!({"sellerinboundNumberList": ["S-EX"]})).await);
    let files = detail["inboundOrderList"][0]["fileList"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{b:?}: refused uploads stored nothing");
    assert_eq!(files[0]["fileName"], "Packing list.PDF");
    assert_eq!(files[0]["fileType"], "PL");
    assert_eq!(files[0]["verifyStatus"], "Received");
    assert_eq!(files[0]["file"], url);
}

/// `needClearanceDoc`: sent at creation, read back by both queries with the documents still due;
/// receiving (the floor's path, which `admin stock receive --inbound` takes) is refused naming
/// the inbound and the missing documents until the customs upload gives them, then succeeds.
#[each_backend]
async fn an_inbound_needing_clearance_documents_is_received_once_they_are_uploaded(b: Backend) {
    let app = App::start(b).await;
    let (mf1, sku1) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (mf2, _) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let mut body = inbound("S-CLR", "EX", &mf1, &mf2);
    body["needClearanceDoc"] = json!(true);
    let n = ok(app.call(CREATE, body.clone()).await)["inboundNumber"].as_str().unwrap().to_owned();
    let plain = ok(app.call(CREATE, inbound("S-PLAIN", "EX", &mf1, &mf2)).await);
    let plain_n = plain["inboundNumber"].as_str().unwrap().to_owned();
    let mut bad = inbound("S-BAD", "EX", &mf1, &mf2);
    bad["needClearanceDoc"] = json!("maybe");
    assert_refused(&app.call(CREATE, bad).await, "needClearanceDoc must be true or false.");
    // A retry with the flag is the same request; without it, another one.
    assert_eq!(ok(app.call(CREATE, body.clone()).await)["inboundNumber"], n.as_str(), "{b:?}");
    let mut other = body.clone();
    other["needClearanceDoc"] = json!("0");
    assert_refused(&app.call(CREATE, other).await, "Duplicate sellerInboundNumber [S-CLR]");

    let rows = |v: &Value| -> Vec<Value> { v["inboundOrderList"].as_array().unwrap().clone() };
    let by_number = |rows: &[Value], number: &str| rows.iter().find(|r| r["inboundNumber"] == number).unwrap().clone();
    let slot = json!({"startTime": now() - DAY, "endTime": now() + 60_000});
    let list = rows(&ok(app.call(LIST, slot).await));
    let detail = rows(&ok(app.call(DETAIL, json!({"inboundNumberList": [n, plain_n]})).await));
    for rows in [&list, &detail] {
        let r = by_number(rows, &n);
        assert_eq!(
            (r["needClearanceDoc"].clone(), r["missingClearanceDocList"].clone()),
            (json!(true), json!(["PL", "IN"]))
        );
        let p = by_number(rows, &plain_n);
        assert_eq!((p["needClearanceDoc"].clone(), p["missingClearanceDocList"].clone()), (json!(false), json!([])));
    }

    let floor = entrepot_app::App::new(std::sync::Arc::new(app.store.clone()));
    let wh = app.store.warehouse_by_code("UK1").await.unwrap().id;
    let receive = || floor.receive_stock(&app.seller.client, sku1, &wh, 4, Some(&n));
    let refusal = |missing: &str| {
        format!(
            "inbound {n} cannot be received until its customs clearance documents are uploaded (it was created with needClearanceDoc): missing {missing}"
        )
    };
    assert_eq!(receive().await.unwrap_err().to_string(), refusal("packing list (PL), invoice (IN)"), "{b:?}");
    let pdf = b"%PDF-1.4\n% clearance\n".to_vec();
    let upload = |kind: &str| json!({"inboundNumber": n, "fileList": [{"file": b64(&pdf), "fileName": format!("{kind}.pdf"), "fileType": kind}]});
    ok(app.call(CUSTOMS, upload("PL")).await);
    let r = ok(app.call(DETAIL, json!({"inboundNumberList": [n]})).await)["inboundOrderList"][0].clone();
    assert_eq!(r["missingClearanceDocList"], json!(["IN"]), "{b:?}");
    assert_eq!(receive().await.unwrap_err().to_string(), refusal("invoice (IN)"), "{b:?}");
    let received = |app: &App| {
        let store = app.store.clone();
        let client = app.seller.client.clone();
        async move {
            store
                .stock(&client, &[sku1], None)
                .await
                .unwrap()
                .iter()
                .map(|r| r.position.get(Bucket::Received))
                .sum::<i64>()
        }
    };
    assert_eq!(received(&app).await, 0, "{b:?}: refused receipts moved nothing");
    // A commercial invoice counts as the invoice.
    ok(app.call(CUSTOMS, upload("CI")).await);
    let r = ok(app.call(DETAIL, json!({"inboundNumberList": [n]})).await)["inboundOrderList"][0].clone();
    assert_eq!((r["needClearanceDoc"].clone(), r["missingClearanceDocList"].clone()), (json!(true), json!([])));
    receive().await.unwrap();
    assert_eq!(received(&app).await, 4, "{b:?}");
    floor.put_away_stock(&app.seller.client, sku1, &wh, 4, Some(&n)).await.unwrap();
    // The inbound without the flag was never held back.
    floor.receive_stock(&app.seller.client, sku1, &wh, 1, Some(&plain_n)).await.unwrap();
    let r = ok(app.call(DETAIL, json!({"inboundNumberList": [n]})).await)["inboundOrderList"][0].clone();
    assert_eq!(r["status"], "Partially Put away", "{b:?}");
    app.assert_check().await;
}
