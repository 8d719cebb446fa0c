//! A Bird client written as many PHP ERPs are: forms posted as `multipart/form-data` (cURL given
//! an array) and JSON filters written raw into URLs (`"`, `{`, `}`, `|`, `<`, `>`, spaces). Every
//! request is written byte for byte on one keep-alive socket, so no client library re-encodes it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

mod common;

use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

const BOUNDARY: &str = "------------------------a1b2c3d4e5f6";

/// One keep-alive connection, written to by hand.
struct RawClient {
    stream: TcpStream,
    host: String,
    /// Bytes read past the last response.
    pending: Vec<u8>,
}

impl RawClient {
    fn connect(base: &str) -> Self {
        let host = base.trim_start_matches("http://").to_owned();
        let stream = TcpStream::connect(&host).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Self { stream, host, pending: vec![] }
    }

    /// `GET <target>` with the target exactly as given.
    fn get(&mut self, target: &str) -> (u16, Value) {
        let head = format!("GET {target} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\n\r\n", self.host);
        self.exchange(head.as_bytes())
    }

    /// `POST <target>` of a multipart form, as PHP's cURL writes it.
    fn post_multipart(&mut self, target: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        let mut body = String::new();
        for (k, v) in fields {
            body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        let head = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\nContent-Length: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n",
            self.host,
            body.len()
        );
        self.exchange(&[head.as_bytes(), body.as_bytes()].concat())
    }

    fn exchange(&mut self, request: &[u8]) -> (u16, Value) {
        self.stream.write_all(request).unwrap();
        let mut buf = [0u8; 16 * 1024];
        loop {
            if let Some((status, body, used)) = response(&self.pending) {
                self.pending.drain(..used);
                let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {body:?}"));
                return (status, json);
            }
            let n = self.stream.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed; read so far: {:?}", String::from_utf8_lossy(&self.pending));
            self.pending.extend_from_slice(&buf[..n]);
        }
    }
}

/// A complete `Content-Length` response at the start of `raw`: status, body, bytes used.
fn response(raw: &[u8]) -> Option<(u16, String, usize)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let len: usize = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let body = raw.get(end + 4..end + 4 + len)?;
    Some((status, String::from_utf8_lossy(body).into_owned(), end + 4 + len))
}

fn ok(what: &str, (status, body): (u16, Value)) -> Value {
    assert_eq!((status, &body["success"]), (200, &Value::Bool(true)), "{what}: {body}");
    body
}

fn ids(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

async fn php_client_creates_fills_dispatches_cancels_and_lists(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    let mug = creds["skus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["client_ref"] == "DEMO-MUG-01" && s["warehouse"] == "UK1")
        .unwrap()["product_id"]
        .to_string();
    let mut php = RawClient::connect(&server.base);

    // Delivery services, by a raw JSON filter (a string filter with a space in its value).
    let services = ok(
        "delivery services",
        php.get(&format!(
            r#"/client/Delivery-Service?api_key={key}&company_id=1&filter=[{{"type":"string","property":"name","value":"Tracked 48"}}]"#
        )),
    );
    assert_eq!(services["total"], 1, "{services}");
    assert_eq!(services["data"][0]["name"], "Royal Mail Tracked 48");
    let service = services["data"][0]["id"].as_str().unwrap().to_owned();
    let by_name = ok(
        "delivery services by exact name",
        php.get(&format!(
            r#"/client/Delivery-Service?api_key={key}&filter=[{{"property":"name","value":"Royal Mail Tracked 48"}}]&x=<a|b>"#
        )),
    );
    assert_eq!(ids(&by_name), vec![service.clone()]);

    // Two consignments created and filled through multipart forms, the key in the form.
    let mut created = vec![];
    for (n, qty) in [("PHP-1", "2"), ("PHP-2", "1")] {
        let c = ok(
            "create",
            php.post_multipart(
                "/client/Consignment",
                &[
                    ("api_key", &key),
                    ("company_id", "1"),
                    ("delivery_service_id", &service),
                    ("sales_reference", n),
                    ("contact", "Jane \"JJ\" Doe"),
                    ("address_line1", "1 High Street"),
                    ("city", "Leeds"),
                    ("post_code", "LS1 1AA"),
                    ("country_iso", "GB"),
                ],
            ),
        );
        assert_eq!(
            (c["data"]["status"].as_str(), c["data"]["contact"].as_str()),
            (Some("PREPARING"), Some("Jane \"JJ\" Doe"))
        );
        let id = c["data"]["id"].as_str().unwrap().to_owned();
        let line = ok(
            "add product",
            php.post_multipart(
                "/client/Consignment-Product",
                &[("api_key", &key), ("consignment_id", &id), ("product_id", &mug), ("quantity", qty)],
            ),
        );
        assert_eq!(line["data"]["quantity"], qty);
        let lines = ok("lines", php.get(&format!("/client/Consignment-Product?api_key={key}&consignment_id={id}")));
        assert_eq!(lines["total"], 1, "{lines}");
        created.push(id);
    }
    let joined = created.join("_");

    // Dispatched (submitted), then one cancelled, all by multipart forms.
    ok(
        "dispatch",
        php.post_multipart(
            "/client/Consignment/Batch-Update-Status",
            &[("api_key", &key), ("ids", &joined), ("status", "PENDING")],
        ),
    );
    let pending = ok(
        "list pending",
        php.get(&format!(
            r#"/client/Consignment?api_key={key}&company_id=1&filter=[{{"property":"status","value":"PENDING"}},{{"type":"list","property":"sales_reference","value":["PHP-1","PHP-2"]}}]&sort=[{{"property":"id","direction":"ASC"}}]"#
        )),
    );
    assert_eq!(ids(&pending), created, "{pending}");
    ok(
        "cancel",
        php.post_multipart(
            "/client/Consignment/Batch-Update-Status",
            &[("api_key", &key), ("sales_references", "PHP-2"), ("status", "CANCELLED")],
        ),
    );
    let cancelled = ok(
        "list cancelled",
        php.get(&format!(r#"/client/Consignment?api_key={key}&filter=[{{"property":"status","value":"CANCELLED"}}]"#)),
    );
    assert_eq!(ids(&cancelled), vec![created[1].clone()], "{cancelled}");
    let one = ok("by id", php.get(&format!(r#"/client/Consignment?api_key={key}&id={}&note="a b"|<c>"#, created[0])));
    assert_eq!(one["data"][0]["status"], "PENDING", "{one}");

    // A multipart form without the key is refused as BirdSystem refuses it.
    let (status, body) = php.post_multipart("/client/Consignment", &[("contact", "x")]);
    assert_eq!((status, &body["message"]), (403, &Value::from("Login Required!")), "{body}");
    assert_check(&db.url);
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn php_client(backend: Backend) {
    php_client_creates_fills_dispatches_cancels_and_lists(backend).await;
}
