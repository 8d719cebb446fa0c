//! Every route of both dialects and the OAuth endpoints, driven against the real binary with
//! hostile values: multi-byte and combining characters, NUL, very long strings, huge and negative
//! numbers, wrong JSON types, deep nesting, broken bodies. Each field of a plausible request is
//! replaced by each value in turn, so the value reaches the parser of that field. The server must
//! answer every request with a documented status in its door's shape, never panic (its log is
//! read), never fail internally, and leave books that `admin check` accepts. On both backends.
//!
//! [`ROUTES`] is the list driven; `routes_list_matches_the_routers` fails when a route is added to
//! a dialect without being added here.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// The plausible requests are large `json!` literals.
#![recursion_limit = "256"]

mod common;

use std::time::Duration;

use common::{admin, stderr, Log, Server};
use entrepot_dialect_oc::signature::sign;
use entrepot_testkit::{each_backend, Backend, TestDb};
use futures_util::{stream, StreamExt};
use serde_json::{json, Value};

/// Every route: method and path template, as registered in the routers.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/client/consignment"),
    ("POST", "/client/consignment"),
    ("POST", "/client/consignment/batch-update-status"),
    ("POST", "/client/consignment/batch-create-client-direct-consignment"),
    ("POST", "/client/consignment/post-pending-consignment-with-products-json"),
    ("GET", "/client/consignment/post-pending-consignment-with-products-json"),
    ("GET", "/client/consignment-product"),
    ("POST", "/client/consignment-product"),
    ("DELETE", "/client/consignment-product/{id}"),
    ("GET", "/client/consignment-parcel-piece"),
    ("POST", "/client/agent-direct-consignment-product"),
    ("GET", "/client/product"),
    ("POST", "/client/product"),
    ("GET", "/client/product/get-product-available-quantity"),
    ("GET", "/client/container-product/get-product-stock-info"),
    ("GET", "/client/container-product-transaction"),
    ("GET", "/client/product-customs-property"),
    ("GET", "/client/delivery-service"),
    ("GET", "/client/country"),
    ("GET", "/client/return-consignment-action"),
    ("GET", "/client/public/company-list"),
    ("GET", "/client/warehouse"),
    ("GET", "/client/customs-category"),
    ("GET", "/client/customs-category/{id}"),
    ("GET", "/client/client"),
    ("GET", "/client/client-user"),
    ("GET", "/client/delivery-package-size"),
    // Conversions first: each converts every row the uploads below leave.
    ("GET", "/client/temp-consignment-info/convert-into-consignment"),
    ("POST", "/client/temp-consignment-info/convert-into-consignment"),
    ("POST", "/client/consignment-upload/temp-consignment-json"),
    ("POST", "/client/temp-consignment-info"),
    ("GET", "/client/temp-consignment-info"),
    ("GET", "/client/gearman-background-tasks/get-detail"),
    ("POST", "/client/client-dispatch-upload/client-dispatch-json"),
    ("GET", "/client/client-dispatch-upload/client-dispatch-json"),
    ("GET", "/client/client-dispatch"),
    ("GET", "/client/client-dispatch-container-product"),
    ("GET", "/client/printer/barcode/{id}"),
    ("GET", "/client/webhook"),
    ("POST", "/client/webhook"),
    ("DELETE", "/client/webhook"),
    ("GET", "/client/webhook/{id}"),
    ("POST", "/client/webhook/{id}"),
    ("DELETE", "/client/webhook/{id}"),
    ("GET", "/client/webhook-delivery"),
    ("GET", "/client"),
    ("POST", "/client/{*rest}"),
    ("POST", "/openapi/3pp/sku/v1/creation"),
    ("POST", "/openapi/3pp/sku/v2/creation"),
    ("POST", "/openapi/3pp/sku/v3/creation"),
    ("POST", "/openapi/3pp/sku/v1/query"),
    ("POST", "/openapi/3pp/sku/v2/query"),
    ("POST", "/openapi/3pp/sku/v3/query"),
    ("POST", "/openapi/3pp/inventory/v1/movement"),
    ("POST", "/openapi/3pp/inventory/v2/snapshot"),
    ("POST", "/openapi/3pp/inventory/v1/snapshotAge"),
    ("GET", "/openapi/3pp/base/v1/service"),
    ("POST", "/openapi/3pp/base/v1/service"),
    ("POST", "/openapi/3pp/outbound/v1/creation"),
    ("POST", "/openapi/3pp/outbound/v2/query"),
    ("POST", "/openapi/3pp/outbound/v1/cancel"),
    ("POST", "/openapi/3pp/inbound/v1/creation"),
    ("POST", "/openapi/3pp/inbound/v1/query"),
    ("POST", "/openapi/3pp/inbound/v1/detail"),
    ("POST", "/openapi/3pp/inbound/v1/query/labels"),
    ("POST", "/openapi/3pp/inbound/v1/upload/shipment-file"),
    ("POST", "/openapi/3pp/inbound/v1/upload/customs-clearance-file"),
    ("GET", "/openapi/3pp/files/{token}/{name}"),
    ("POST", "/openapi/{*rest}"),
    ("GET", "/oauth/authorize"),
    ("POST", "/oauth/authorize"),
    ("GET", "/oauth/token"),
    ("POST", "/oauth/token"),
];

/// Bird's bulk uploads take a JSON array of rows.
const BIRD_ARRAY_ROUTES: [&str; 4] = [
    "/client/consignment/post-pending-consignment-with-products-json",
    "/client/consignment/batch-create-client-direct-consignment",
    "/client/consignment-upload/temp-consignment-json",
    "/client/client-dispatch-upload/client-dispatch-json",
];

/// The hostile values put in every field, one field at a time.
fn hostile_values() -> Vec<Value> {
    vec![
        json!("😀😀😀😀"),
        json!("2022-10-3😀😀"),
        json!("e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}"),
        json!("\u{0}"),
        json!("a\u{0}b\u{0}"),
        json!("😀".repeat(3000)),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(-1),
        json!(u64::MAX),
        json!(1e308),
        json!("6148914691236483869"),
        json!("-9223372036854775809"),
        json!("1e400"),
        json!(true),
        json!({"a": [1, {"b": null}]}),
        json!([[], "x", -1]),
    ]
}

/// The values put in each field of a plausible request in turn (a subset of [`hostile_values`],
/// so that routes × fields × values stays a few thousand requests a route at most).
fn field_values() -> Vec<Value> {
    vec![
        json!("😀😀😀😀"),
        json!("e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}"),
        json!("a\u{0}b"),
        json!(i64::MAX),
        json!(i64::MIN),
        json!("6148914691236483869"),
        json!({"a": [1, {"b": null}]}),
    ]
}

/// Raw bodies: deep nesting, broken JSON, bytes that are not UTF-8.
fn hostile_raw_bodies() -> Vec<Vec<u8>> {
    vec![
        "[".repeat(100_000).into_bytes(),
        "{\"a\":".repeat(50_000).into_bytes(),
        format!("{}{}", "[".repeat(127), "]".repeat(127)).into_bytes(),
        b"\0".to_vec(),
        vec![0xff, 0xfe, 0x80, b'{'],
        b"{\"data\": [1, 2,, ]".to_vec(),
        "😀".repeat(10).into_bytes(),
        Vec::new(),
    ]
}

/// A plausible Bird request that names every field some Bird route reads.
fn bird_base(product_id: i64, client_ref: &str) -> Value {
    json!({
        "id": product_id, "ids": product_id.to_string(), "consignment_id": 1, "product_id": product_id,
        "start": 0, "limit": 10, "sort": "id", "dir": "DESC", "field": "name", "query": "x",
        "filter": "[{\"type\":\"string\",\"value\":\"x\",\"property\":\"name\"}]", "selectFields": "id,name",
        "status": "PENDING", "type": "LOCAL", "reference": "HOSTILE-1", "sales_reference": "S-1",
        "sales_references": "S-1", "custom_identity_reference": "C-1", "custom_identity_references": "C-1",
        "delivery_service_id": 139, "delivery_service_name": "GBDomesticStandard", "country_iso": "GB",
        "country_name": "United Kingdom", "contact": "Ann", "address_line1": "1 High St", "city": "Leeds",
        "post_code": "LS1 1AA", "telephone": "0123", "email": "ann@example.com",
        "client_ref": client_ref, "client_sku": client_ref, "name": "Mug", "name_customs": "Mug",
        "product_name": "Mug", "quantity": 1, "weight": "0.5", "length": 10, "width": 10, "depth": 10,
        "price_customs_export": "1.00", "sales_price": "2.00", "product_company_ref": format!("{client_ref}*1"),
        "product_customs_property": "GENERAL", "attachment-url": "https://example.com/a.png",
        "url": "http://127.0.0.1:9/hook", "resource_type": "PRODUCT", "action": "CREATE", "secret": "s3cret",
        "final_freight_method": "SEA", "warehouse_id_destination": 1, "ioss_vat_number": "IM1234567890",
        "start_time": "2024-01-01 00:00:00", "end_time": "2024-01-02 00:00:00", "returnLabel": "0",
        "products": [{"id": product_id, "client_sku": client_ref, "client_ref": client_ref, "quantity": 1,
                      "sales_price": "1", "weight": "0.5", "product_name": "Mug",
                      "attachment-url": "https://example.com/a.png"}],
        "packages": [{"length": 10, "width": 10, "depth": 10, "weight": 1,
                      "products": [{"name": "Cup", "quantity": 1}]}],
        "client_dispatch_container_product_list": [{"product_id": product_id, "quantity": 1,
                      "client_dispatch_container_reference": "C1"}],
    })
}

/// A plausible OC `data` that names every field some OC route reads.
fn oc_base(mfskuid: &str) -> Value {
    let sku = json!({"mfSkuId": mfskuid, "skuQuantity": 1, "quantity": 1, "mfskuid": mfskuid});
    json!({
        "startTime": "2024-01-01T00:00:00+0000", "endTime": "2024-01-05T00:00:00+0000",
        "page": 1, "limit": 10, "pageNumber": 1, "pageSize": 10,
        "mfSkuIdList": [{"mfSkuId": mfskuid}], "referenceSKUIDList": [{"referenceSKUID": "R-1"}],
        "sellerSKUIDList": [{"sellerSKUID": "R-1"}], "referenceSKUID": "HOSTILE-SKU",
        "SKUNameList": [{"languageCode": "en", "name": "Mug"}], "SKUDescription": "A mug",
        "SKUPictureURLList": [{"SKUPictureURL": "https://example.com/a.png"}],
        "weight": 100, "weightUnit": "g", "length": 10, "width": 10, "height": 10, "dimensionUnit": "cm",
        "declaredValue": "1.00", "currency": "GBP", "hscode": "123456", "countryOfOrigin": "CN",
        "batteryForm": "PB", "withBattery": false,
        "referenceNumber": "HOSTILE-REF", "orderNumber": "OCO1", "orderNumberList": [{"orderNumber": "OCO1"}],
        "referenceNumberList": [{"referenceNumber": "HOSTILE-REF"}], "ebayOrderIdList": [{"ebayOrderId": "02-05696-00555"}],
        "serviceRegion": "UK", "serviceRegionList": ["UK"], "shippingServiceCode": "GBDomesticStandard",
        "orderPlatform": "eBay", "ebayOrderId": "02-05696-00555", "ebayId": "buyer",
        "consigneeName": "Ann", "consigneeAddress1": "1 High St", "consigneeCity": "Leeds",
        "consigneeZipCode": "LS1 1AA", "consigneeCountryCode": "GB", "consigneePhone": "0123",
        "productList": [sku],
        "inboundNumber": "OCI1", "sellerInboundNumber": "HOSTILE-IN", "shippingMethod": "EXPRESS",
        "transportMethod": "SEA", "eta": "2024-01-01+0800", "trackingNumber": "T1", "carrier": "DHL",
        "cartonList": [{"cartonNumber": 1, "sellerCartonNumber": "C1", "cartonOriginCountry": "CN",
                        "productList": [sku]}],
        "labelSize": "A4", "fileType": "pdf", "fileName": "a.pdf", "file": "JVBERi0xLjQK",
        "cancelReason": "changed mind", "languageCode": "en",
    })
}

/// Every path to a field of `base`: top-level keys and keys of objects inside top-level arrays.
fn field_paths(base: &Value) -> Vec<(String, Option<(usize, String)>)> {
    let mut out = vec![];
    for (k, v) in base.as_object().unwrap() {
        out.push((k.clone(), None));
        if let Value::Array(items) = v {
            for (i, item) in items.iter().enumerate() {
                if let Value::Object(m) = item {
                    for (kk, vv) in m {
                        out.push((k.clone(), Some((i, kk.clone()))));
                        if let Value::Array(inner) = vv {
                            if inner.first().is_some_and(Value::is_object) {
                                out.push((format!("{k}.{i}.{kk}"), None));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn with_field(base: &Value, path: &(String, Option<(usize, String)>), v: &Value) -> Value {
    let mut b = base.clone();
    match path {
        (k, None) if k.contains('.') => {
            let parts: Vec<&str> = k.split('.').collect();
            let (top, i, inner) = (parts[0], parts[1].parse::<usize>().unwrap(), parts[2]);
            b[top][i][inner] = json!([v.clone()]);
        }
        (k, None) => b[k.as_str()] = v.clone(),
        (k, Some((i, kk))) => b[k.as_str()][*i][kk.as_str()] = v.clone(),
    }
    b
}

/// Every field set to `v` at once (the shallow case).
fn all_fields(base: &Value, v: &Value) -> Value {
    let mut b = base.clone();
    for (_, x) in b.as_object_mut().unwrap().iter_mut() {
        *x = v.clone();
    }
    b
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// One request to send and how to judge its answer.
struct Probe {
    door: Door,
    method: reqwest::Method,
    path: String,
    query: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    form: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Door {
    Bird,
    Oc,
    Authorize,
    Token,
}

fn door_of(path: &str) -> Door {
    if path.starts_with("/client") {
        Door::Bird
    } else if path.starts_with("/openapi") {
        Door::Oc
    } else if path.starts_with("/oauth/token") {
        Door::Token
    } else {
        Door::Authorize
    }
}

/// Fills the path parameters with plausible values, except `{hostile}` which gets `v`
/// (percent-encoded).
fn fill(template: &str, hostile: Option<(&str, &str)>) -> String {
    let mut out = template.to_owned();
    for (param, plain) in [
        ("{id}", "1"),
        ("{token}", "0123456789abcdef0123456789abcdef"),
        ("{name}", "a.pdf"),
        ("{*rest}", "no-such-route"),
    ] {
        let v = match hostile {
            Some((p, v)) if p == param => encode(v),
            _ => plain.to_owned(),
        };
        out = out.replace(param, &v);
    }
    out
}

/// The parameters of a path template.
fn params(template: &str) -> Vec<&'static str> {
    ["{id}", "{token}", "{name}", "{*rest}"].into_iter().filter(|p| template.contains(p)).collect()
}

struct Creds {
    bird_key: String,
    product_id: i64,
    client_ref: String,
    mfskuid: String,
    client_key: String,
    secret: String,
    redirect_uri: String,
    access_token: String,
    username: String,
}

fn oc_envelope(data: &Value) -> Vec<u8> {
    json!({"apiVersion": "2.0", "messageId": "hostile", "timestamp": 1_700_000_000_000i64, "data": data})
        .to_string()
        .into_bytes()
}

fn oc_headers(c: &Creds, path: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    vec![
        ("content-type".into(), b"application/json".to_vec()),
        ("access-token".into(), format!("Bearer {}", c.access_token).into_bytes()),
        ("clientkey".into(), c.client_key.clone().into_bytes()),
        ("vauthorization".into(), sign(path, body, &c.client_key, &c.secret).into_bytes()),
    ]
}

fn bird_headers(c: &Creds) -> Vec<(String, Vec<u8>)> {
    vec![("api_key".into(), c.bird_key.clone().into_bytes()), ("company_id".into(), b"1".to_vec())]
}

/// Every probe of one route.
fn probes(c: &Creds, method: &str, template: &str) -> Vec<Probe> {
    let method: reqwest::Method = method.parse().unwrap();
    let door = door_of(template);
    let values = hostile_values();
    let mut out = vec![];
    let probe = |path: String, query: String, headers, body, form| Probe {
        door,
        method: method.clone(),
        path,
        query,
        headers,
        body,
        form,
    };
    match door {
        Door::Bird => {
            let base = bird_base(c.product_id, &c.client_ref);
            let array = BIRD_ARRAY_ROUTES.contains(&template);
            let wrap = |v: Value| if array { json!([v]) } else { v };
            let path = fill(template, None);
            for v in &values {
                let t = encode(&text_of(v));
                // The value in the path, as the whole body, in every field at once, and in the
                // query string; and hostile credentials.
                for param in params(template) {
                    let p = fill(template, Some((param, &text_of(v))));
                    out.push(probe(p, String::new(), bird_headers(c), vec![], false));
                }
                out.push(probe(path.clone(), String::new(), bird_headers(c), v.to_string().into_bytes(), false));
                out.push(probe(
                    path.clone(),
                    String::new(),
                    bird_headers(c),
                    wrap(all_fields(&base, v)).to_string().into_bytes(),
                    false,
                ));
                // A long value in one key only: a URI stays under 64 KiB (the `http` crate's limit).
                let long = t.len() > 2000;
                let keys = if long { 1 } else { usize::MAX };
                let q: Vec<String> =
                    base.as_object().unwrap().keys().take(keys).map(|k| format!("{}={t}", encode(k))).collect();
                out.push(probe(path.clone(), q.join("&"), bird_headers(c), vec![], false));
                out.push(probe(path.clone(), String::new(), bird_headers(c), q.join("&").into_bytes(), true));
                let creds = if long { format!("api_key={t}") } else { format!("api_key={t}&company_id={t}") };
                out.push(probe(path.clone(), creds, vec![], vec![], false));
            }
            for v in &field_values() {
                for field in field_paths(&base) {
                    let body = wrap(with_field(&base, &field, v)).to_string().into_bytes();
                    out.push(probe(path.clone(), String::new(), bird_headers(c), body, false));
                }
            }
            for raw in hostile_raw_bodies() {
                out.push(probe(path.clone(), String::new(), bird_headers(c), raw, false));
            }
        }
        Door::Oc => {
            let base = oc_base(&c.mfskuid);
            let path = fill(template, None);
            let signed = |path: &str, body: Vec<u8>| (oc_headers(c, path, &body), body);
            for v in &values {
                for param in params(template) {
                    let p = fill(template, Some((param, &text_of(v))));
                    out.push(probe(p, String::new(), vec![], vec![], false));
                }
                for data in [v.clone(), all_fields(&base, v), json!([all_fields(&base, v)])] {
                    let (h, b) = signed(&path, oc_envelope(&data));
                    out.push(probe(path.clone(), String::new(), h, b, false));
                }
                // The envelope's own members, and hostile credentials.
                for member in ["apiVersion", "messageId", "timestamp"] {
                    let mut env: Value = serde_json::from_slice(&oc_envelope(&base)).unwrap();
                    env[member] = v.clone();
                    let (h, b) = signed(&path, env.to_string().into_bytes());
                    out.push(probe(path.clone(), String::new(), h, b, false));
                }
                let body = oc_envelope(&base);
                let t = text_of(v).into_bytes();
                for (i, name) in ["access-token", "clientkey", "vauthorization"].into_iter().enumerate() {
                    let mut h = oc_headers(c, &path, &body);
                    h[i + 1] =
                        (name.into(), t.iter().copied().filter(|b| *b >= 0x20 && *b != 0x7f).take(8000).collect());
                    out.push(probe(path.clone(), String::new(), h, body.clone(), false));
                }
            }
            for v in &field_values() {
                for data in field_paths(&base).iter().map(|f| with_field(&base, f, v)) {
                    let (h, b) = signed(&path, oc_envelope(&data));
                    out.push(probe(path.clone(), String::new(), h, b, false));
                }
            }
            for raw in hostile_raw_bodies() {
                let (h, b) = signed(&path, raw.clone());
                out.push(probe(path.clone(), String::new(), h, b, false));
                let mut wrapped = b"{\"data\":".to_vec();
                wrapped.extend(raw);
                wrapped.push(b'}');
                let (h, b) = signed(&path, wrapped);
                out.push(probe(path.clone(), String::new(), h, b, false));
            }
        }
        Door::Authorize | Door::Token => {
            let good: Vec<(&str, String)> = vec![
                ("response_type", "code".into()),
                ("client_id", c.client_key.clone()),
                ("redirect_uri", c.redirect_uri.clone()),
                ("state", "s".into()),
                ("grant_type", "authorization_code".into()),
                ("code", "abc".into()),
                ("refresh_token", "abc".into()),
                ("username", c.username.clone()),
                ("password", "wrong password".into()),
            ];
            let q = |pairs: &[(&str, String)]| {
                pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
            };
            for v in &values {
                let t = text_of(v);
                for i in 0..good.len() {
                    let mut pairs = good.clone();
                    pairs[i].1 = t.clone();
                    out.push(probe(template.into(), q(&pairs), vec![], vec![], false));
                    if method == reqwest::Method::POST {
                        out.push(probe(template.into(), q(&good), vec![], q(&pairs).into_bytes(), true));
                    }
                }
                let auth =
                    format!("Basic {}", t).into_bytes().into_iter().filter(|b| *b >= 0x20 && *b != 0x7f).collect();
                out.push(probe(template.into(), q(&good), vec![("authorization".into(), auth)], vec![], false));
            }
            for raw in hostile_raw_bodies() {
                out.push(probe(template.into(), q(&good), vec![], raw, true));
            }
        }
    }
    out
}

/// Sends one probe; returns a description of what is wrong with the answer, if anything.
async fn run(http: &reqwest::Client, base: &str, p: Probe) -> Option<String> {
    let url = if p.query.is_empty() { format!("{base}{}", p.path) } else { format!("{base}{}?{}", p.path, p.query) };
    let request = || {
        let mut rb = http.request(p.method.clone(), &url).body(p.body.clone());
        for (k, v) in &p.headers {
            rb = rb.header(k.as_str(), reqwest::header::HeaderValue::from_bytes(v).ok()?);
        }
        if p.form {
            rb = rb.header("content-type", "application/x-www-form-urlencoded");
        }
        Some(rb)
    };
    let what = || {
        format!(
            "{} {} ({} body bytes: {:?})",
            p.method,
            url.chars().take(300).collect::<String>(),
            p.body.len(),
            String::from_utf8_lossy(&p.body[..p.body.len().min(300)])
        )
    };
    let rb = request()?;
    // Once more on a connection error: a handler may answer without reading the body, and
    // hyper then closes the kept-alive connection under a client still writing or reusing it.
    // A panic would show in the log, which is checked separately.
    // Under load the retry can meet a second such connection: up to three attempts.
    let mut sent = rb.send().await;
    for _ in 0..2 {
        if sent.is_ok() {
            break;
        }
        sent = request()?.send().await;
    }
    let resp = match sent {
        Ok(r) => r,
        Err(e) => return Some(format!("{}: no answer: {e}", what())),
    };
    let status = resp.status().as_u16();
    let ctype = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => return Some(format!("{}: body cut: {e}", what())),
    };
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    let internal = |m: &str| m.contains("Internal error");
    let bad = |why: &str| {
        Some(format!("{}: {why}: HTTP {status} {}", what(), String::from_utf8_lossy(&body[..body.len().min(400)])))
    };
    match p.door {
        Door::Bird => {
            if ctype.starts_with("image/png") && status == 200 {
                return None;
            }
            let Some(j) = json else { return bad("not JSON") };
            match status {
                200 => None,
                403 | 404 | 413 | 500 if j["success"] == json!(false) && j["message"].is_string() => {
                    if internal(j["message"].as_str().unwrap_or_default()) {
                        bad("internal error")
                    } else {
                        None
                    }
                }
                _ => bad("undocumented status or shape"),
            }
        }
        Door::Oc => {
            if p.path.starts_with("/openapi/3pp/files/") {
                // Capability URLs for browsers: the file, or a plain 404.
                return if matches!(status, 200 | 404) { None } else { bad("undocumented status") };
            }
            let Some(j) = json else { return bad("not JSON") };
            let code = j["code"].as_i64();
            match (status, code) {
                (200 | 404 | 413, Some(0..=4)) => None,
                (200 | 404 | 413, Some(5)) => bad("internal error"),
                _ => bad("undocumented status or shape"),
            }
        }
        Door::Authorize => match status {
            // 403: the login form's CSRF check; 429: the login throttle.
            200 | 302 | 400 | 403 | 429 if !body.is_empty() || status == 302 => None,
            _ => bad("undocumented status"),
        },
        Door::Token => {
            let Some(j) = json else { return bad("not JSON") };
            match status {
                200 => None,
                400 | 401 if j["error"].is_string() && !internal(j["error_description"].as_str().unwrap_or("")) => None,
                _ => bad("undocumented status or shape"),
            }
        }
    }
}

async fn credentials(server: &Server, data_dir: &std::path::Path) -> Creds {
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir.join("demo-credentials.json")).unwrap()).unwrap();
    let sku = creds["skus"].as_array().unwrap().iter().find(|s| s["warehouse"] == "UK1").unwrap().clone();
    let oc = &creds["oc"];
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    let client = entrepot_client::OcClient::new(&server.base, &s(&oc["client_key"]), &s(&oc["secret_key"]));
    let code =
        client.login_for_code(&s(&oc["redirect_uri"]), "st", &s(&oc["username"]), &s(&oc["password"])).await.unwrap();
    let tokens = client.exchange_code(&code, &s(&oc["redirect_uri"])).await.unwrap();
    Creds {
        bird_key: s(&creds["bird"]["api_key"]),
        product_id: sku["product_id"].as_i64().unwrap(),
        client_ref: s(&sku["client_ref"]),
        mfskuid: s(&sku["mfskuid"]),
        client_key: s(&oc["client_key"]),
        secret: s(&oc["secret_key"]),
        redirect_uri: s(&oc["redirect_uri"]),
        access_token: tokens.access_token,
        username: s(&oc["username"]),
    }
}

/// The lines of the server's log that tell of a panic (the panic hook's and the panic net's).
fn panics(log: &Log) -> Vec<String> {
    log.text().lines().filter(|l| l.contains("panicked") || l.contains("stack overflow")).map(str::to_owned).collect()
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_survives_hostile_values(backend: Backend) {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().unwrap();
    let (server, log) = Server::start_logged(data.path(), &db.url, true, &[("ENTREPOT_CLIENT_RATE_PER_SEC", "0")]);
    let c = credentials(&server, data.path()).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let all: Vec<Probe> = ROUTES.iter().flat_map(|(m, p)| probes(&c, m, p)).collect();
    let count = all.len();
    let failures: Vec<String> = stream::iter(all)
        .map(|p| run(&http, &server.base, p))
        .buffer_unordered(8)
        .filter_map(|f| async move { f })
        .collect()
        .await;
    let panicked = panics(&log);
    assert!(
        failures.is_empty() && panicked.is_empty(),
        "{backend:?}: {} of {count} hostile requests were answered wrongly, {} panics logged; the first ones:\n{}\n{}",
        failures.len(),
        panicked.len(),
        failures.iter().take(15).cloned().collect::<Vec<_>>().join("\n"),
        panicked.iter().take(15).cloned().collect::<Vec<_>>().join("\n"),
    );
    let check = admin(&db.url, &["check"]);
    assert!(check.status.success(), "{backend:?}: admin check after hostile input: {}", stderr(&check));
    // Still serving: nothing above took the process down.
    let (status, _) = common::get(&format!("{}/healthz", server.base)).await;
    assert_eq!(status, 200);
    assert_eq!(panics(&log), Vec::<String>::new(), "{backend:?}");
}

/// The paths registered in the dialects' routers, read from their source: a route added there and
/// not to [`ROUTES`] (or removed there and not here) fails this test.
#[test]
fn routes_list_matches_the_routers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut registered = std::collections::BTreeSet::new();
    // The dialects' sources, subdirectories (one per resource) included.
    let mut files = vec![];
    let mut dirs = vec![root.join("dialect-bird/src"), root.join("dialect-oc/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let rest = &text[at..];
            let Some(open) = rest.find('"') else { continue };
            let Some(len) = rest[open + 1..].find('"') else { continue };
            let path = &rest[open + 1..open + 1 + len];
            if path.contains("{v}") {
                for v in ["v1", "v2", "v3"] {
                    registered.insert(path.replace("{v}", v));
                }
            } else {
                registered.insert(path.to_owned());
            }
        }
    }
    let listed: std::collections::BTreeSet<String> = ROUTES.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(listed, registered, "ROUTES must list every route of both routers");
}

#[test]
fn probes_cover_every_route_and_both_credentials() {
    let c = Creds {
        bird_key: "k".into(),
        product_id: 1,
        client_ref: "R".into(),
        mfskuid: "OC1".into(),
        client_key: "ck".into(),
        secret: "s".into(),
        redirect_uri: "https://erp.example.com/cb".into(),
        access_token: "t".into(),
        username: "u".into(),
    };
    let mut total = 0;
    for (m, p) in ROUTES {
        let n = probes(&c, m, p).len();
        assert!(n > 50, "{m} {p}");
        total += n;
    }
    println!("{total} probes a backend");
}
