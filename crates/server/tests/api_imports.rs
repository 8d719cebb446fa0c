//! Order imports on the real binary, both backends, as issue #20's test runs it: a seller
//! uploads an XLSX of 200 orders with 3 bad rows; the dry run reports exactly those 3, the import
//! places the other 197, and the same file again places nothing new. The template and the
//! annotated copy are XLSX workbooks (read back with calamine). SKU imports likewise: good rows
//! created as drafts, bad ones reported, nothing twice, another client's SKUs apart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;
#[path = "common/sheets.rs"]
mod sheets;

use std::io::Cursor;

use api_common::{login, PW};
use calamine::{Data, Reader, Xlsx};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const IMPORT: &str = "POST /api/v1/imports/orders";
const ANNOTATED: &str = "POST /api/v1/imports/orders/annotated";
const TEMPLATE: &str = "GET /api/v1/imports/orders/template";
const SKU_IMPORT: &str = "POST /api/v1/imports/skus";
const SKU_ANNOTATED: &str = "POST /api/v1/imports/skus/annotated";
const SKU_TEMPLATE: &str = "GET /api/v1/imports/skus/template";

/// Calls `op` with a bearer token, the body as `content_type`: status, content type, bytes.
async fn send(base: &str, token: &str, op: &str, query: &str, body: Option<(&[u8], &str)>) -> (u16, String, Vec<u8>) {
    let (method, path) = op.split_once(' ').unwrap();
    let url = if query.is_empty() { format!("{base}{path}") } else { format!("{base}{path}?{query}") };
    let mut req = reqwest::Client::new().request(method.parse().unwrap(), url).bearer_auth(token);
    if let Some((bytes, ct)) = body {
        req = req.header("content-type", ct).body(bytes.to_vec());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

async fn import(base: &str, token: &str, file: &[u8], dry_run: bool) -> Value {
    let q = format!("dry_run={dry_run}&file_name=orders.xlsx");
    let (status, _, body) = send(base, token, IMPORT, &q, Some((file, XLSX))).await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{v}");
    v
}

/// 200 one-line orders of ACME-1 to Leeds; rows 51, 102 and 153 (orders 50, 101, 152) are bad:
/// an unknown SKU, a quantity of 0, a country that is not a code. Postcodes alternate between
/// text and numbers (as a sheet types a numeric postcode).
/// The first worksheet's rows as text.
fn rows_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[each_backend]
async fn a_seller_imports_200_orders_with_3_bad_rows_once(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_with_cli(&db.url, 300);
    admin_ok(&db.url, &["balance", "top-up", "--client", "Acme", "--amount", "5000.00"]);
    let seller =
        ["user", "create", "--password", PW, "--username", "acme-owner", "--role", "seller", "--client", "Acme"];
    admin_ok(&db.url, &seller);
    admin_ok(&db.url, &["user", "create", "--password", PW, "--username", "op", "--role", "operator"]);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let acme = login(base, "acme-owner", PW).await;
    let file = sheets::orders_xlsx("IMP", &[("UK1", "GBDomesticStandard", "GB", "ACME-1", 200)]);

    // The template is a workbook whose header row the importer reads without a mapping.
    let (status, ct, template) = send(base, &acme.token, TEMPLATE, "", None).await;
    assert_eq!((status, ct.as_str()), (200, XLSX));
    let t = rows_of(&template);
    assert_eq!(t[0][0], "Order reference");
    assert!(t[0].contains(&"Quantity".to_owned()));
    assert_eq!(t.len(), 2, "the header row and one example");

    let dry = import(base, &acme.token, &file, true).await;
    assert_eq!((dry["rows"].as_u64(), dry["orders"].as_u64()), (Some(200), Some(200)));
    let errors: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(errors, [(51, "SKU"), (102, "数量"), (153, "Country")], "{}", dry["errors"]);
    assert_eq!(dry["placed"].as_array().unwrap().len(), 197);
    assert_eq!(dry["mapping_source"], "built_in");
    assert_eq!(dry["mapping"]["订单号"], "reference");

    // The annotated copy: the same rows, an Error column, the three bad rows explained.
    let (status, ct, annotated) =
        send(base, &acme.token, ANNOTATED, "file_name=orders.xlsx", Some((&file, XLSX))).await;
    assert_eq!((status, ct.as_str()), (200, XLSX), "{}", String::from_utf8_lossy(&annotated));
    let a = rows_of(&annotated);
    assert_eq!(a.len(), 201);
    assert_eq!(a[0][10], "Error");
    let noted: Vec<usize> = (1..a.len()).filter(|r| a[*r].get(10).is_some_and(|e| !e.is_empty())).collect();
    assert_eq!(noted, [50, 101, 152]);
    assert!(a[50][10].contains("NO-SUCH-SKU"), "{}", a[50][10]);
    assert_eq!(a[2][6], "10002", "a postcode typed as a number comes back as typed");

    let done = import(base, &acme.token, &file, false).await;
    assert_eq!(done["placed"].as_array().unwrap().len(), 197, "{}", done["errors"]);
    assert_eq!(done["errors"].as_array().unwrap().len(), 3);
    assert!(done["placed"].as_array().unwrap().iter().all(|o| o["status"] == "SUBMITTED" && o["id"].is_string()));

    let again = import(base, &acme.token, &file, false).await;
    assert_eq!(again["placed"].as_array().unwrap().len(), 0, "{}", again["placed"]);
    assert_eq!(again["already_imported"].as_array().unwrap().len(), 197);

    // What the database holds: 197 orders, 197 units reserved, a numeric postcode as typed.
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let (orders, total) = store.list_orders(&client, &Default::default()).await.unwrap();
    assert_eq!(total, 197);
    let two = orders.iter().find(|o| o.reference == "IMP-002").unwrap();
    assert_eq!(two.recipient.postcode, "10002");
    let stock = store.stock(&client, &[], None).await.unwrap();
    assert_eq!(stock[0].position.get(entrepot_core::inventory::Bucket::Available), 300 - 197);
    store.close().await;

    // A CSV of the seller's own headers, with a mapping, kept under an Idempotency-Key: the
    // replay answers the first report without placing anything again.
    let csv = "Ref,WH,Svc,Name,Street,Town,Zip,Land,Item,Qty\nCSV-1,UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1,GB,ACME-1,2\n";
    let mapping = r#"{"Ref":"reference","WH":"warehouse","Svc":"service","Name":"recipient_name","Street":"address1","Town":"city","Zip":"postcode","Land":"country","Item":"sku","Qty":"quantity"}"#;
    let (_, path) = IMPORT.split_once(' ').unwrap();
    let csv_import = || {
        reqwest::Client::new()
            .post(format!("{base}{path}"))
            .query(&[("dry_run", "false"), ("mapping", mapping)])
            .bearer_auth(&acme.token)
            .header("content-type", "text/csv")
            .header("idempotency-key", "csv-import-1")
            .body(csv)
            .send()
    };
    let first = csv_import().await.unwrap();
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["mapping_source"], "given", "{first}");
    assert_eq!(first["placed"][0]["reference"], "CSV-1");
    let replay = csv_import().await.unwrap();
    assert_eq!(replay.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), first);

    // Only a seller's user imports; a file of another type is refused before it is read.
    let op = login(base, "op", PW).await;
    let (status, _, _) = send(base, &op.token, IMPORT, "", Some((&file, XLSX))).await;
    assert_eq!(status, 403);
    let (status, _, _) = send(base, &acme.token, IMPORT, "", Some((b"%PDF-1.4", "application/pdf"))).await;
    assert_eq!(status, 415);
}

/// A seller's SKU sheet: MUG-1 and NEW-2 good, ACME-1 Acme's already; rows 5 to 7 bad (no name,
/// a negative length, a country that is no code).
const SKUS: &str = "SKU,Name (English),Weight (g),Length (mm),Declared value,原产国
MUG-1,Mug,350,120,4.50,CN
ACME-1,Anvil,900,,,
NEW-2,Bolt box,100,,,GB
BAD-1,,100,,,
BAD-2,Thing,,-5,,
BAD-3,Other,,,,UK
";

async fn import_skus(base: &str, token: &str, file: &[u8], query: &str) -> Value {
    let (status, _, body) = send(base, token, SKU_IMPORT, query, Some((file, "text/csv"))).await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{v}");
    v
}

fn codes(v: &Value, list: &str) -> Vec<String> {
    v[list].as_array().unwrap().iter().map(|s| s["seller_sku"].as_str().unwrap().to_owned()).collect()
}

#[each_backend]
async fn a_seller_imports_skus_once_and_apart_from_other_clients(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    api_common::seed_people(url);
    admin_ok(url, &["sku", "create", "--client", "Beta", "--sku", "MUG-1", "--name", "Beta mug", "--weight-g", "1"]);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (acme, beta, op, uk) = (
        login(base, "acme-owner", PW).await,
        login(base, "beta-owner", PW).await,
        login(base, "op", PW).await,
        login(base, "uk", PW).await,
    );

    let (status, ct, template) = send(base, &acme.token, SKU_TEMPLATE, "", None).await;
    assert_eq!((status, ct.as_str()), (200, XLSX));
    let t = rows_of(&template);
    assert_eq!((t[0][0].as_str(), t.len()), ("SKU", 2));
    // The template reads back as a SKU sheet without a mapping: its example is one good row.
    let dry = import_skus(base, &acme.token, &template, "file_name=skus-template.xlsx").await;
    assert_eq!((codes(&dry, "created"), dry["errors"].as_array().unwrap().len()), (vec!["MUG-RED".to_owned()], 0));

    // The dry run: per-row errors with their columns; nothing created.
    let dry = import_skus(base, &acme.token, SKUS.as_bytes(), "dry_run=true&file_name=skus.csv").await;
    let errors: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(errors, [(5, "Name (English)"), (6, "Length (mm)"), (7, "原产国")], "{}", dry["errors"]);
    assert_eq!(codes(&dry, "created"), ["MUG-1", "NEW-2"]);
    assert!(dry["created"][0]["id"].is_null());
    assert_eq!(codes(&dry, "already_present"), ["ACME-1"]);
    assert_eq!(dry["refused"], serde_json::json!([5, 6, 7]));
    assert_eq!(
        (dry["mapping_source"].as_str(), dry["mapping"]["原产国"].as_str()),
        (Some("built_in"), Some("origin_country"))
    );

    let (status, ct, annotated) =
        send(base, &acme.token, SKU_ANNOTATED, "file_name=skus.csv", Some((SKUS.as_bytes(), "text/csv"))).await;
    assert_eq!((status, ct.as_str()), (200, XLSX));
    let a = rows_of(&annotated);
    assert_eq!(a[0][6], "Error");
    let noted: Vec<usize> =
        (1..a.len()).filter(|r| a[*r].get(6).is_some_and(|e| !e.is_empty())).map(|r| r + 1).collect();
    assert_eq!(noted, [5, 6, 7]);

    let store = entrepot_store::Store::open(url).await.unwrap();
    let acme_id = store.find_client("Acme").await.unwrap().id;
    let beta_id = store.find_client("Beta").await.unwrap().id;
    let before = store.list_skus(&acme_id, &Default::default()).await.unwrap().1;

    let done = import_skus(base, &acme.token, SKUS.as_bytes(), "dry_run=false").await;
    assert_eq!(codes(&done, "created"), ["MUG-1", "NEW-2"], "{done}");
    assert!(done["created"].as_array().unwrap().iter().all(|s| s["status"] == "DRAFT" && s["id"].is_i64()));
    let again = import_skus(base, &acme.token, SKUS.as_bytes(), "dry_run=false").await;
    assert_eq!(codes(&again, "created"), Vec::<String>::new());
    assert_eq!(codes(&again, "already_present"), ["MUG-1", "ACME-1", "NEW-2"]);
    assert_eq!(store.list_skus(&acme_id, &Default::default()).await.unwrap().1, before + 2);
    let (beta_skus, _) = store.list_skus(&beta_id, &Default::default()).await.unwrap();
    assert_eq!((beta_skus.len(), beta_skus[0].name_en.as_str()), (1, "Beta mug"), "Beta's MUG-1 untouched");

    // Beta's dry run knows its own MUG-1 only.
    let b = import_skus(base, &beta.token, SKUS.as_bytes(), "").await;
    assert_eq!(codes(&b, "already_present"), ["MUG-1"]);
    assert_eq!(codes(&b, "created"), ["ACME-1", "NEW-2"]);

    // A sheet of the seller's own headers: mapped once, remembered for the next file.
    let own = "Artikel,Bezeichnung\nOWN-1,Own thing\n";
    let mapping = r#"{"Artikel":"seller_sku","Bezeichnung":"name_en"}"#;
    let encoded: String = mapping.bytes().map(|b| format!("%{b:02X}")).collect();
    let q = format!("dry_run=false&mapping={encoded}");
    let first = import_skus(base, &acme.token, own.as_bytes(), &q).await;
    assert_eq!((first["mapping_source"].as_str(), codes(&first, "created")), (Some("given"), vec!["OWN-1".to_owned()]));
    let next = import_skus(base, &acme.token, "Artikel,Bezeichnung\nOWN-2,Other\n".as_bytes(), "").await;
    assert_eq!(
        (next["mapping_source"].as_str(), codes(&next, "created")),
        (Some("remembered"), vec!["OWN-2".to_owned()])
    );
    // Beta has no mapping for these headers: Acme's is Acme's.
    let (status, _, _) = send(base, &beta.token, SKU_IMPORT, "", Some((own.as_bytes(), "text/csv"))).await;
    assert_eq!(status, 422);

    // Staff are refused; nothing changes.
    let count = store.list_skus(&acme_id, &Default::default()).await.unwrap().1;
    for who in [&op, &uk] {
        let (status, _, _) =
            send(base, &who.token, SKU_IMPORT, "dry_run=false", Some((SKUS.as_bytes(), "text/csv"))).await;
        assert_eq!(status, 403);
        let (status, _, _) = send(base, &who.token, SKU_ANNOTATED, "", Some((SKUS.as_bytes(), "text/csv"))).await;
        assert_eq!(status, 403);
    }
    assert_eq!(store.list_skus(&acme_id, &Default::default()).await.unwrap().1, count);
    assert_eq!(store.list_skus(&beta_id, &Default::default()).await.unwrap().1, 1);
    store.close().await;
}
