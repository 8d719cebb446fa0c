//! Files every process can read: two `entrepot serve` processes with data directories of their
//! own on one database. On PostgreSQL the files live in the database (`--file-store auto`), so a
//! customs document uploaded through one process, and the labels it printed, are served by the
//! other; on SQLite the local directory stays the default, each process serving its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine;
use common::*;
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CUSTOMS: &str = "/openapi/3pp/inbound/v1/upload/customs-clearance-file";

/// The path of a file URL (`http://host:port/openapi/3pp/files/...`), to ask another process.
fn path_of(url: &str) -> String {
    let at = url.find("/openapi/3pp/files/").unwrap_or_else(|| panic!("not a file URL: {url}"));
    url[at..].to_owned()
}

async fn fetch(base: &str, path: &str) -> (u16, Vec<u8>) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[each_backend]
async fn a_file_uploaded_through_one_process_is_served_by_another(backend: Backend) {
    let db = TestDb::new(backend).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Server::start(dir_a.path(), &db.url, true);
    let b = Server::start(dir_b.path(), &db.url, false);

    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir_a.path().join("demo-credentials.json")).unwrap()).unwrap();
    let (oc, s) = (&creds["oc"], |v: &Value| v.as_str().unwrap().to_owned());
    let client = OcClient::new(&a.base, &s(&oc["client_key"]), &s(&oc["secret_key"]));
    let code = client.login_for_code(&s(&oc["redirect_uri"]), "st", &s(&oc["username"]), &s(&oc["password"])).await;
    client.exchange_code(&code.unwrap(), &s(&oc["redirect_uri"])).await.unwrap();
    let mfskuid = s(&creds["skus"][0]["mfskuid"]);

    // An express inbound through process A: its labels are printed there.
    let inbound = client
        .call(
            "/openapi/3pp/inbound/v1/creation",
            json!({"sellerInboundNumber": "PO-SHARED-1", "serviceRegion": "UK", "shippingFrom": "CN",
                   "shippingMethod": "EX", "transportMethod": "AF", "eta": "2030-01-15+0800",
                   "cartonList": [{"cartonNumber": "1", "cartonOriginCountry": "CN", "labelSize": "2",
                                   "productList": [{"mfskuid": mfskuid, "quantity": 2}]}]}),
        )
        .await
        .unwrap();
    let number = s(&inbound["inboundNumber"]);
    let labels = path_of(inbound["skuLabelUrl"].as_str().unwrap_or_else(|| panic!("no skuLabelUrl in {inbound}")));

    // A customs document uploaded through A.
    let pdf = b"%PDF-1.4\n% packing list uploaded through process A\n".to_vec();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&pdf);
    let up = client
        .call(
            CUSTOMS,
            json!({"inboundNumber": number, "fileList": [{"file": b64, "fileName": "pl.pdf", "fileType": "PL"}]}),
        )
        .await
        .unwrap();
    let customs = path_of(up["fileList"][0]["file"].as_str().unwrap());

    // A serves both, whatever the backend.
    assert_eq!(fetch(&a.base, &customs).await, (200, pdf.clone()), "{backend:?}");
    let (status, label) = fetch(&a.base, &labels).await;
    assert_eq!(status, 200, "{backend:?}");
    assert!(label.starts_with(b"%PDF"), "{backend:?}");

    match backend {
        // B, which never saw the upload, serves the same bytes: they are in the database, and
        // neither data directory holds a file.
        Backend::Postgres => {
            assert_eq!(fetch(&b.base, &customs).await, (200, pdf), "served by the other process");
            assert_eq!(fetch(&b.base, &labels).await, (200, label), "labels too");
            assert!(!dir_a.path().join("blobs").exists() && !dir_b.path().join("blobs").exists());
        }
        // SQLite keeps its default: the files are in A's own directory, which B does not read.
        Backend::Sqlite => {
            assert!(dir_a.path().join("blobs").is_dir());
            assert_eq!(fetch(&b.base, &customs).await.0, 404);
        }
    }
    // An unknown file is still a 404 on either process.
    let missing = format!("/openapi/3pp/files/{:032x}/pl.pdf", 7u128);
    assert_eq!(fetch(&b.base, &missing).await.0, 404);
    assert_eq!(fetch(&a.base, &missing).await.0, 404);
}
