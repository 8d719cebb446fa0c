//! The OAuth login page in a real browser: headless Chromium, driven through chromedriver's
//! WebDriver API, types a wrong password (the form comes back with an error), then the right one,
//! and lands on the ERP's redirect URI with a code the ERP exchanges for working tokens; the form's
//! CSRF token and cookie travel as a browser sends them. A browser preferring Chinese gets the
//! page in Simplified Chinese.
//!
//! Needs `chromium` and `chromium-driver` (Debian packages; `./scripts/test` installs them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{ok, App, PASSWORD};
use entrepot_dialect_oc::signature::sign;
use entrepot_store::NewErpApp;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed for the browser tests: apt-get install chromium chromium-driver");
        let d = Driver { child, base: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new() };
        for _ in 0..100 {
            if let Ok(r) = d.http.get(format!("{}/status", d.base)).send().await {
                if r.json::<Value>().await.map(|v| v["value"]["ready"] == true).unwrap_or(false) {
                    return d;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start");
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let r = self.http.post(format!("{}{path}", self.base)).json(&body).send().await.unwrap();
        let v: Value = r.json().await.unwrap();
        assert!(v["value"]["error"].is_null(), "{path}: {v}");
        v["value"].clone()
    }

    async fn get(&self, path: &str) -> Value {
        self.http.get(format!("{}{path}", self.base)).send().await.unwrap().json::<Value>().await.unwrap()["value"]
            .clone()
    }

    /// A browser whose preferred language is `lang` (its `Accept-Language`).
    async fn session(&self, lang: &str) -> String {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", format!("--lang={lang}")],
                "prefs": {"intl.accept_languages": lang}
            }
        }}});
        self.post("/session", caps).await["sessionId"].as_str().unwrap().to_owned()
    }

    /// Types into the field `css`.
    async fn fill(&self, s: &str, css: &str, text: &str) {
        let el = self.post(&format!("/session/{s}/element"), json!({"using": "css selector", "value": css})).await;
        let id = el[ELEMENT].as_str().unwrap();
        self.post(&format!("/session/{s}/element/{id}/clear"), json!({})).await;
        self.post(&format!("/session/{s}/element/{id}/value"), json!({"text": text})).await;
    }

    /// Waits for the page (which a click may still be loading) to contain `needle`.
    async fn wait_for(&self, s: &str, needle: &str) {
        let mut last = Value::Null;
        for _ in 0..100 {
            last = self.get(&format!("/session/{s}/source")).await;
            if last.as_str().is_some_and(|p| p.contains(needle)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{needle:?} never appeared; the page is {last}");
    }

    async fn click(&self, s: &str, css: &str) {
        let el = self.post(&format!("/session/{s}/element"), json!({"using": "css selector", "value": css})).await;
        let id = el[ELEMENT].as_str().unwrap();
        self.post(&format!("/session/{s}/element/{id}/click"), json!({})).await;
    }
}

/// The ERP's redirect endpoint: answers a page and hands over the query it was called with.
async fn erp_callback() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/oc/callback",
        axum::routing::get(move |axum::extract::RawQuery(q): axum::extract::RawQuery| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(q.unwrap_or_default());
                axum::response::Html("<p>Authorized, you can close this window.</p>")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/oc/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

#[each_backend]
async fn a_seller_authorizes_an_erp_in_a_real_browser(b: Backend) {
    let app = App::start(b).await;
    let (callback, mut codes) = erp_callback().await;
    let erp = app
        .store
        .create_erp_app(NewErpApp {
            client_id: app.seller.client.clone(),
            name: "Browser ERP".into(),
            kind: "SELLER_ERP".into(),
            environment: "PRODUCTION".into(),
            redirect_uri: callback.clone(),
        })
        .await
        .unwrap();
    let driver = Driver::start().await;
    let s = driver.session("en-US").await;
    let authorize = format!(
        "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={callback}&state=erp-user-7",
        app.base, erp.client_key
    );
    driver.post(&format!("/session/{s}/url"), json!({"url": authorize})).await;
    driver.wait_for(&s, "Sign in to authorize").await;
    assert_eq!(driver.get(&format!("/session/{s}/title")).await, "Authorize — Entrepot");
    // The form carries its CSRF token (the POSTs below succeed only with it and the cookie).
    driver.wait_for(&s, r#"name="csrf_token""#).await;

    // A wrong password: the same form again, with the error shown.
    driver.fill(&s, "#username", &app.seller.username).await;
    driver.fill(&s, "#password", "wrong password").await;
    driver.click(&s, "button[type=submit]").await;
    driver.wait_for(&s, "Incorrect username or password").await;
    assert!(codes.try_recv().is_err(), "no redirect on a wrong password");

    // The right one: the browser lands on the ERP with a code and the state.
    driver.fill(&s, "#username", &app.seller.username).await;
    driver.fill(&s, "#password", PASSWORD).await;
    driver.click(&s, "button[type=submit]").await;
    let query = tokio::time::timeout(Duration::from_secs(20), codes.recv()).await.unwrap().unwrap();
    let current = driver.get(&format!("/session/{s}/url")).await;
    assert!(current.as_str().unwrap().starts_with(&callback), "{current}");
    let _ = driver.http.delete(format!("{}/session/{s}", driver.base)).send().await;

    // A browser that prefers Chinese gets the page in Simplified Chinese, and signs in too.
    let zh = driver.session("zh-CN").await;
    driver.post(&format!("/session/{zh}/url"), json!({"url": authorize})).await;
    driver.wait_for(&zh, "登录以授权").await;
    driver.wait_for(&zh, r#"lang="zh-CN""#).await;
    assert_eq!(driver.get(&format!("/session/{zh}/title")).await, "授权 — Entrepot");
    driver.fill(&zh, "#username", &app.seller.username).await;
    driver.fill(&zh, "#password", "wrong password").await;
    driver.click(&zh, "button[type=submit]").await;
    driver.wait_for(&zh, "用户名或密码错误").await;
    driver.fill(&zh, "#username", &app.seller.username).await;
    driver.fill(&zh, "#password", PASSWORD).await;
    driver.click(&zh, "button[type=submit]").await;
    let zh_query = tokio::time::timeout(Duration::from_secs(20), codes.recv()).await.unwrap().unwrap();
    assert!(zh_query.contains("code=") && zh_query.contains("state=erp-user-7"), "{zh_query}");
    let _ = driver.http.delete(format!("{}/session/{zh}", driver.base)).send().await;

    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
    let param = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(param("state"), "erp-user-7");

    // The ERP exchanges the code and calls the API with the token.
    let tokens: Value = app
        .http
        .post(format!("{}/oauth/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &param("code")),
            ("redirect_uri", &callback),
            ("client_id", &erp.client_key),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap_or_else(|| panic!("{tokens}"));
    let path = "/openapi/3pp/base/v1/service";
    let body = r#"{"data":{}}"#;
    let sig = sign(path, body.as_bytes(), &erp.client_key, &erp.secret_key);
    let v = app
        .send(
            path,
            body,
            &[("Access-Token", &format!("Bearer {access}")), ("clientKey", &erp.client_key), ("vAuthorization", &sig)],
        )
        .await;
    ok(v);
}
