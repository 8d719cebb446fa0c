//! A real Entrepot app (store + OC router) on a real socket, seeded like a small operator with two
//! sellers, each with a user, an ERP app and an access token; and a signing OC caller.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use entrepot_core::{
    ids::{ClientId, SkuId},
    money::Currency,
};
use entrepot_dialect_oc::{router, signature::sign, OcState};
use entrepot_store::{fixtures, NewErpApp, Store};
use entrepot_testkit::{Backend, TestDb};
use serde_json::{json, Value};

/// One seller as its ERP sees Entrepot.
#[derive(Clone)]
pub struct Seller {
    pub client: ClientId,
    pub username: String,
    pub password: String,
    pub client_key: String,
    pub secret_key: String,
    pub access_token: String,
    pub refresh_token: String,
}

pub struct App {
    pub base: String,
    pub store: Store,
    /// A production app: signatures must cover the body.
    pub seller: Seller,
    /// Another seller, with a production app.
    pub other: Seller,
    /// The first seller's sandbox app: its calls act on the seller's sandbox twin.
    pub sandbox: Seller,
    pub http: reqwest::Client,
    _db: TestDb,
    pub blobs: tempfile::TempDir,
}

pub const PASSWORD: &str = "correct horse battery";

async fn seller(store: &Store, company: &entrepot_core::ids::CompanyId, name: &str, env: &str) -> Seller {
    let gbp = Currency::parse("GBP").unwrap();
    let client = store.create_client(company, name, &gbp).await.unwrap().id;
    fixtures::attach_everywhere(store, &client).await.unwrap();
    store.top_up(&client, None, 1_000_000, "t").await.unwrap();
    let username = format!("{}@example.com", name.to_lowercase());
    let user = store.create_user(Some(&client), &username, PASSWORD, "seller").await.unwrap();
    app_of(store, &client, &user.id, username, &format!("{name} ERP"), env).await
}

/// An app of `client` (whose user `user` authorized it), with its tokens.
async fn app_of(
    store: &Store,
    client: &ClientId,
    user: &entrepot_core::ids::UserId,
    username: String,
    name: &str,
    env: &str,
) -> Seller {
    let app = store
        .create_erp_app(NewErpApp {
            client_id: client.clone(),
            name: name.into(),
            kind: "SELLER_ERP".into(),
            environment: env.into(),
            redirect_uri: "https://erp.example.com/oc/callback".into(),
        })
        .await
        .unwrap();
    let erp = store.erp_app_by_key(&app.client_key).await.unwrap().unwrap();
    let code = store.issue_authorization_code(&erp, client, user, "https://erp.example.com/oc/callback").await.unwrap();
    let pair = store.exchange_authorization_code(&app.client_key, &code, None).await.unwrap().unwrap();
    Seller {
        client: client.clone(),
        username,
        password: PASSWORD.into(),
        client_key: app.client_key,
        secret_key: app.secret_key,
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
    }
}

impl App {
    /// `admin check`: every ledger invariant holds.
    pub async fn assert_check(&self) {
        let problems = self.store.check().await.unwrap();
        assert!(problems.is_empty(), "admin check: {problems:?}");
    }

    pub async fn start(backend: Backend) -> App {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url).await.unwrap();
        let company = store.create_company("Op").await.unwrap();
        store.create_warehouse(fixtures::uk1(&company.id)).await.unwrap();
        store.create_warehouse(fixtures::warehouse(&company.id, "DE", 12, "DE", "DE", "Europe/Berlin")).await.unwrap();
        let mut std = fixtures::service("UK1", "GBDomesticStandard", 139, "GB Domestic Standard");
        std.name_cn = Some("英国本地标准".into());
        store.create_service(std).await.unwrap();
        store.create_service(fixtures::service("UK1", "GBDomesticExpress", 1, "GB Domestic Express")).await.unwrap();
        let mut de = fixtures::service("DE", "DEDomesticStandard", 1201, "DE Domestic Standard");
        de.constraints.destinations = vec!["DE".into()];
        de.rates.currency = "GBP".into();
        store.create_service(de).await.unwrap();
        let seller = seller(&store, &company.id, "Seller", "PRODUCTION").await;
        let other = seller_other(&store, &company.id).await;
        let user = store.client_users(&seller.client).await.unwrap().remove(0).id;
        let sandbox =
            app_of(&store, &seller.client, &user, seller.username.clone(), "Seller ERP (sandbox)", "SANDBOX").await;
        let blobs = tempfile::tempdir().unwrap();
        let state = OcState {
            app: entrepot_app::App::new(std::sync::Arc::new(store.clone())),
            blobs: std::sync::Arc::new(entrepot_ops::LocalBlobStore::new(blobs.path().into())),
            budget: entrepot_ops::ClientBudget::unlimited(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        App { base, store, seller, other, sandbox, http, _db: db, blobs }
    }

    /// A signed call as `who`, with OC's request envelope around `data`.
    pub async fn call_as(&self, who: &Seller, path: &str, data: Value) -> Value {
        let body = json!({"apiVersion": "2.0", "messageId": "msg-1", "timestamp": 1_700_000_000_000i64, "data": data});
        self.raw(who, path, &body.to_string()).await
    }

    /// A signed call as the main seller.
    pub async fn call(&self, path: &str, data: Value) -> Value {
        self.call_as(&self.seller, path, data).await
    }

    /// POSTs `body` exactly as given, signed over those bytes.
    pub async fn raw(&self, who: &Seller, path: &str, body: &str) -> Value {
        let sig = sign(path, body.as_bytes(), &who.client_key, &who.secret_key);
        self.send(
            path,
            body,
            &[
                ("Access-Token", &format!("Bearer {}", who.access_token)),
                ("clientKey", &who.client_key),
                ("vAuthorization", &sig),
            ],
        )
        .await
    }

    /// POSTs `body` with exactly these headers (to test refusals); asserts HTTP 200 and JSON.
    pub async fn send(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Value {
        let mut r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .body(body.to_owned());
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let resp = r.send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        resp.json().await.unwrap()
    }

    /// Makes a SKU usable the way staff would: submitted and approved.
    pub async fn approve(&self, who: &Seller, mfskuid: &str) -> SkuId {
        let sku = self.store.resolve_sku(&who.client, mfskuid).await.unwrap();
        self.store.submit_sku(&who.client, sku.id).await.unwrap();
        self.store.audit_sku(&who.client, sku.id, true, None).await.unwrap();
        sku.id
    }
}

async fn seller_other(store: &Store, company: &entrepot_core::ids::CompanyId) -> Seller {
    seller(store, company, "Other", "PRODUCTION").await
}

/// Asserts an OC error reply: HTTP 200 (checked by `send`), non-zero code, `success:false` and a
/// first error message containing `needle`.
pub fn assert_refused(v: &Value, needle: &str) {
    assert_ne!(v["code"], json!(0), "{v}");
    assert_eq!(v["success"], json!(false), "{v}");
    let msg = v["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains(needle), "expected {needle:?} in {v}");
}

/// Asserts a success reply and returns its `data`.
pub fn ok(v: Value) -> Value {
    assert_eq!(v["code"], json!(0), "{v}");
    v["data"].clone()
}

/// OC's own minimal SKU (its production Postman example): no weight, dimensions or value.
pub fn minimal_sku(reference: &str) -> Value {
    json!({
        "referenceSKUID": reference,
        "SKUNameList": [{"SKUName": format!("Item {reference}"), "languageCode": "en-US"}],
        "SKUPictureURLList": [{"SKUPictureURL": "https://img.example.com/1.jpg"}],
        "withBattery": false,
        "salesURL": "https://www.ebay.co.uk/itm/1",
        "serviceRegionList": [{"serviceRegion": "DE", "withBrand": "WOB"}]
    })
}

impl App {
    /// Creates minimal SKUs through SKUCreation v3 as `who`; returns their MFSKUIDs in order.
    pub async fn create_skus(&self, who: &Seller, refs: &[&str]) -> Vec<String> {
        let items: Vec<Value> = refs.iter().map(|r| minimal_sku(r)).collect();
        let data = ok(self.call_as(who, "/openapi/3pp/sku/v3/creation", Value::Array(items)).await);
        data.as_array().unwrap().iter().map(|d| d["MFSKUID"].as_str().unwrap().to_owned()).collect()
    }

    /// A SKU created through the API and approved: its MFSKUID and id.
    pub async fn approved_sku(&self, who: &Seller, reference: &str) -> (String, SkuId) {
        let mf = self.create_skus(who, &[reference]).await.remove(0);
        let id = self.approve(who, &mf).await;
        (mf, id)
    }

    /// How many SKUs `who` has.
    pub async fn sku_count(&self, who: &Seller) -> i64 {
        self.store.list_skus(&who.client, &entrepot_store::SkuFilter::default()).await.unwrap().1
    }
}

impl App {
    /// An approved 300 g SKU made straight in the store (so outbound tests do not depend on
    /// SKUCreation), with `stock` units available in UK1: its MFSKUID and id.
    pub async fn stocked_sku(&self, who: &Seller, code: &str, stock: i64) -> (String, SkuId) {
        let sku = self.store.create_skus(&who.client, vec![fixtures::sku(code)]).await.unwrap().remove(0);
        if stock > 0 {
            let uk = self.store.warehouse_by_code("UK1").await.unwrap();
            let t = entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, stock)
                .unwrap();
            self.store.move_stock(&who.client, sku.id, &uk.id, t, None).await.unwrap();
        }
        (sku.mfskuid, sku.id)
    }

    /// How many outbound orders `who` has.
    pub async fn order_count(&self, who: &Seller) -> i64 {
        self.store.list_orders(&who.client, &entrepot_store::OrderFilter::default()).await.unwrap().1
    }

    /// Units of `sku` available to `who` in UK1.
    pub async fn available(&self, who: &Seller, sku: SkuId) -> i64 {
        let rows = self.store.stock(&who.client, &[sku], None).await.unwrap();
        rows.iter().map(|r| r.position.get(entrepot_core::inventory::Bucket::Available)).sum()
    }

    /// How many inbound orders `who` has.
    pub async fn inbound_count(&self, who: &Seller) -> i64 {
        self.store.search_inbounds(&who.client, &entrepot_store::InboundSearch::default()).await.unwrap().1
    }

    /// GETs an absolute URL (no OC headers): status and body.
    pub async fn download(&self, url: &str) -> (u16, Vec<u8>) {
        let r = self.http.get(url).send().await.unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }
}

/// What a browser keeps of the login page: the cookie it was given and the form's CSRF token.
#[derive(Debug, Clone)]
pub struct LoginForm {
    pub cookie: String,
    pub token: String,
}

/// An HTTP client (no redirects followed) whose connections come from `ip`, a loopback address
/// such as `127.0.0.7`, so tests can play several client addresses.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(ip.parse().unwrap()))
        .build()
        .unwrap()
}

impl App {
    /// GETs the authorize page for `query` as a browser would; its cookie and token.
    pub async fn login_form_via(&self, http: &reqwest::Client, query: &str) -> LoginForm {
        let r = http.get(format!("{}/oauth/authorize?{query}", self.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "authorize page for {query}");
        let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let html = r.text().await.unwrap();
        let field = r#"name="csrf_token" value=""#;
        let at = html.find(field).unwrap_or_else(|| panic!("no token in {html}")) + field.len();
        let token = html[at..at + html[at..].find('"').unwrap()].to_owned();
        LoginForm { cookie, token }
    }

    pub async fn login_form(&self, query: &str) -> LoginForm {
        self.login_form_via(&self.http, query).await
    }

    /// POSTs the login form for `query` with the browser state `form` and these credentials.
    pub async fn post_login_via(
        &self,
        http: &reqwest::Client,
        query: &str,
        form: &LoginForm,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        http.post(format!("{}/oauth/authorize?{query}", self.base))
            .header("Cookie", &form.cookie)
            .form(&[("csrf_token", form.token.as_str()), ("username", username), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// Opens the login page and signs in, as a browser would.
    pub async fn sign_in(&self, query: &str, username: &str, password: &str) -> reqwest::Response {
        let form = self.login_form(query).await;
        self.post_login_via(&self.http, query, &form, username, password).await
    }
}
