//! Calling the native API in tests: every call names its operation as the OpenAPI document does
//! (`"DELETE /api/v1/tokens/{id}"`), so `crates/api/tests/openapi.rs` can check that each
//! operation of the document is exercised by some test by finding that string in these files.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::common::{admin_ok, create_acme_erp_app, seed_with_cli};

/// How a call authenticates.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    /// The session cookie, with the CSRF token sent (or not).
    Cookie {
        session: &'a str,
        csrf: Option<&'a str>,
    },
}

/// A logged-in user: its session and a bearer token of its own.
#[derive(Clone, Debug)]
pub struct Login {
    pub session: String,
    pub csrf: String,
    pub token: String,
}

impl Login {
    pub fn cookie(&self) -> Auth<'_> {
        Auth::Cookie { session: &self.session, csrf: Some(&self.csrf) }
    }
    pub fn bearer(&self) -> Auth<'_> {
        Auth::Bearer(&self.token)
    }
}

/// The console as a browser or a handheld uses it: one signed-in person getting pages and
/// posting forms (redirects are not followed).
pub struct Console<'a> {
    pub base: &'a str,
    pub who: &'a Login,
}

/// A form's answer: its status, where it redirects (or ""), and its body.
pub struct Posted {
    pub status: u16,
    pub location: String,
    pub body: String,
}

impl Console<'_> {
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", format!("entrepot_session={}", self.who.session))
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.request(reqwest::Method::GET, path).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A form post with the session's CSRF token and the page's `Origin`, as the page sends it;
    /// `screen`: as htmx does (for a fragment).
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)], screen: bool) -> Posted {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.who.csrf.as_str())];
        form.extend_from_slice(fields);
        let mut r = self.request(reqwest::Method::POST, path).header("origin", self.base).form(&form);
        if screen {
            r = r.header("hx-request", "true");
        }
        let r = r.send().await.unwrap();
        let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        Posted { status: r.status().as_u16(), location, body: r.text().await.unwrap() }
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)], screen: bool) -> (u16, String) {
        let p = self.submit(path, fields, screen).await;
        (p.status, p.body)
    }
}

/// An answer: status, headers, body (JSON, or `Null`).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts a problem document with this status and type suffix.
    pub fn problem(&self, status: u16, kind: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), "application/problem+json", "{}", self.body);
        assert_eq!(self.body["type"], format!("urn:entrepot:problem:{kind}"), "{}", self.body);
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string());
    }
}

/// Calls `op` (`"METHOD /api/v1/path/{param}"`), filling the path's parameters from `params` in
/// order, with `query` appended and `body` as JSON; extra headers too.
pub async fn call_with(
    base: &str,
    auth: Auth<'_>,
    op: &str,
    params: &[&str],
    query: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let (method, path) = path_of(op, params, query);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client.request(method, format!("{base}{path}"));
    match auth {
        Auth::None => {}
        Auth::Bearer(t) => req = req.bearer_auth(t),
        Auth::Cookie { session, csrf } => {
            req = req.header("cookie", format!("other=1; entrepot_session={session}"));
            if let Some(c) = csrf {
                req = req.header("x-csrf-token", c);
            }
        }
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    Answer { status, headers, body }
}

/// The method and path (with `query`) of `op`, its parameters filled from `params` in order.
fn path_of(op: &str, params: &[&str], query: &str) -> (reqwest::Method, String) {
    let (method, template) = op.split_once(' ').unwrap();
    let mut path = String::new();
    let mut rest = template;
    let mut params = params.iter();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').unwrap() + open;
        path.push_str(&rest[..open]);
        path.push_str(params.next().expect("a value for each path parameter"));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if !query.is_empty() {
        path = format!("{path}?{query}");
    }
    (method.parse().unwrap(), path)
}

/// Calls a `GET` operation that answers a PDF with a bearer token: the status and the bytes.
pub async fn call_pdf(base: &str, token: &str, op: &str, params: &[&str], query: &str) -> (u16, Vec<u8>) {
    let (method, path) = path_of(op, params, query);
    let r = reqwest::Client::new().request(method, format!("{base}{path}")).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    if status == 200 {
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert_eq!(ct, "application/pdf", "{op}");
    }
    (status, r.bytes().await.unwrap().to_vec())
}

pub async fn call(base: &str, auth: Auth<'_>, op: &str, params: &[&str], query: &str, body: Option<Value>) -> Answer {
    call_with(base, auth, op, params, query, body, &[]).await
}

/// Logs in; the session's cookie value and CSRF token, and a bearer token made with them.
pub async fn login(base: &str, username: &str, password: &str) -> Login {
    let a = call(
        base,
        Auth::None,
        "POST /api/v1/sessions",
        &[],
        "",
        Some(json!({"username": username, "password": password})),
    )
    .await;
    assert_eq!(a.status, 201, "login {username}: {}", a.body);
    let set = a.header("set-cookie").to_owned();
    let session = set.split(';').next().unwrap().strip_prefix("entrepot_session=").unwrap().to_owned();
    let csrf = a.body["csrf_token"].as_str().unwrap().to_owned();
    let auth = Auth::Cookie { session: &session, csrf: Some(&csrf) };
    let t =
        call(base, auth, "POST /api/v1/tokens", &[], "", Some(json!({"label": format!("{username}-handheld")}))).await;
    assert_eq!(t.status, 201, "{}", t.body);
    let token = t.body["token"].as_str().unwrap().to_owned();
    Login { session, csrf, token }
}

pub const PW: &str = "correct horse";

/// The world of the tenancy tests: Op runs UK1 and DE; client Acme (site UK1) holds ACME-1 and
/// ACME-2 in UK1; client Beta (site DE); users of every role, created through the CLI.
pub fn seed_people(db: &str) {
    seed_with_cli(db, 5);
    admin_ok(
        db,
        &["warehouse", "create", "--code", "DE", "--name", "DE", "--country", "DE", "--timezone", "Europe/Berlin"],
    );
    admin_ok(db, &["client", "create", "--name", "Beta", "--currency", "EUR", "--site", "DE"]);
    admin_ok(db, &["sku", "create", "--client", "Acme", "--sku", "ACME-2", "--name", "Bolt", "--weight-g", "100"]);
    admin_ok(db, &["sku", "submit", "--client", "Acme", "--sku", "ACME-2"]);
    admin_ok(db, &["sku", "approve", "--client", "Acme", "--sku", "ACME-2"]);
    admin_ok(db, &["stock", "receive", "--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-2", "--qty", "3"]);
    for args in [
        &["--username", "op", "--role", "operator"][..],
        &["--username", "uk", "--role", "staff", "--warehouse", "UK1"],
        &["--username", "uksup", "--role", "staff", "--warehouse", "UK1", "--supervisor"],
        &["--username", "de", "--role", "staff", "--warehouse", "DE"],
        &["--username", "acme-owner", "--role", "seller", "--client", "Acme", "--owner"],
        &["--username", "acme-clerk", "--role", "seller", "--client", "Acme"],
        &["--username", "beta-owner", "--role", "seller", "--client", "Beta", "--owner"],
    ] {
        let mut all = vec!["user", "create", "--password", PW];
        all.extend_from_slice(args);
        admin_ok(db, &all);
    }
}

/// [`seed_people`], and Acme's ERPs: a Bird API key (returned) and an OC ERP app redirecting to
/// `callback` (returned), which the ERP user `ann@acme.example` / `s3cret-pass` authorises.
pub fn seed_people_and_erps(db: &str, callback: &str) -> (String, Value) {
    seed_people(db);
    let key = admin_ok(db, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    let erp = create_acme_erp_app(db, callback);
    let ann = ["--client", "Acme", "--username", "ann@acme.example", "--password", "s3cret-pass"];
    admin_ok(db, &[&["user", "create"][..], &ann].concat());
    (key, erp)
}

/// Acme's sea inbound of 10 ACME-1 and 5 ACME-2 into UK1 (as a seller's ERP creates it); its number.
pub async fn acme_inbound(db: &str, reference: &str) -> String {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let one = store.resolve_sku(&client, "ACME-1").await.unwrap();
    let two = store.resolve_sku(&client, "ACME-2").await.unwrap();
    let uk = store.warehouse_by_code("UK1").await.unwrap().id;
    let new = entrepot_store::NewInbound {
        warehouse_id: uk,
        reference: reference.into(),
        mode: entrepot_core::inbound::ShippingMode::Sea,
        lines: vec![(one.id, 10), (two.id, 5)],
        need_clearance_doc: false,
        details: json!({}),
    };
    let number = store.create_inbound(&client, new).await.unwrap().inbound.number;
    store.close().await;
    number
}

/// Another bearer token of a logged-in user, for a second device named `label`.
pub async fn device_token(base: &str, user: &Login, label: &str) -> String {
    let t = call(base, user.cookie(), "POST /api/v1/tokens", &[], "", Some(json!({"label": label}))).await;
    assert_eq!(t.status, 201, "{}", t.body);
    t.body["token"].as_str().unwrap().to_owned()
}
