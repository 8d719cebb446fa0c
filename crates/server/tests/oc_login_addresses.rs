//! The real `entrepot serve` throttles password guesses per client address, on both backends: the
//! address is the socket's peer, and `X-Forwarded-For` counts only when that peer is a proxy the
//! operator trusts (`ENTREPOT_TRUSTED_PROXIES`), so a guesser can neither hide behind a forged
//! header nor, behind a trusted proxy, lock out everyone else who comes through it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{admin_ok, create_acme_erp_app, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};

const CALLBACK: &str = "https://erp.example.com/oc/callback";
const USER: &str = "ann@acme.example";
const PASSWORD: &str = "s3cret-pass";

struct Login {
    http: reqwest::Client,
    url: String,
    cookie: String,
    token: String,
}

impl Login {
    /// Opens the login page from `local` (a loopback address).
    async fn open(base: &str, client_key: &str, local: &str) -> Login {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(Some(local.parse().unwrap()))
            .build()
            .unwrap();
        let url =
            format!("{base}/oauth/authorize?response_type=code&client_id={client_key}&redirect_uri={CALLBACK}&state=s");
        let page = http.get(&url).send().await.unwrap();
        let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let html = page.text().await.unwrap();
        let field = r#"name="csrf_token" value=""#;
        let at = html.find(field).unwrap() + field.len();
        let token = html[at..at + html[at..].find('"').unwrap()].to_owned();
        Login { http, url, cookie, token }
    }

    /// Signs in, claiming to be forwarded for `forwarded_for`; the HTTP status.
    async fn post(&self, username: &str, password: &str, forwarded_for: &str) -> u16 {
        let r = self
            .http
            .post(&self.url)
            .header("Cookie", &self.cookie)
            .header("X-Forwarded-For", forwarded_for)
            .form(&[("csrf_token", self.token.as_str()), ("username", username), ("password", password)])
            .send()
            .await
            .unwrap();
        r.status().as_u16()
    }

    /// Fifty wrong guesses, each for another user name (so only the address is throttled).
    async fn guess_many(&self, forwarded_for: &str) {
        for i in 0..50 {
            let status = self.post(&format!("nobody{i}@acme.example"), "guess", forwarded_for).await;
            assert!(status == 200 || status == 429, "{status}");
        }
    }
}

fn setup(db: &str) -> String {
    admin_ok(db, &["company", "create", "--name", "Op"]);
    admin_ok(db, &["client", "create", "--name", "Acme", "--currency", "GBP"]);
    admin_ok(db, &["user", "create", "--client", "Acme", "--username", USER, "--password", PASSWORD]);
    let app = create_acme_erp_app(db, CALLBACK);
    app["client_key"].as_str().unwrap().to_owned()
}

#[each_backend]
async fn guesses_lock_the_guessers_address_whatever_it_forwards(backend: Backend) {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().unwrap();
    let key = setup(&db.url);
    let server = Server::start(data.path(), &db.url, false);
    let guesser = Login::open(&server.base, &key, "127.0.0.21").await;
    // A forged header from an untrusted peer changes nothing: its own address is locked.
    for i in 0..50 {
        let status = guesser.post(&format!("nobody{i}@acme.example"), "guess", &format!("198.51.100.{i}")).await;
        assert!(status == 200 || status == 429, "{status}");
    }
    assert_eq!(guesser.post(USER, PASSWORD, "198.51.100.200").await, 429);
    // The seller, from another address, signs in.
    let seller = Login::open(&server.base, &key, "127.0.0.22").await;
    assert_eq!(seller.post(USER, PASSWORD, "198.51.100.200").await, 302);
    common::assert_check(&db.url);
}

#[each_backend]
async fn behind_a_trusted_proxy_the_forwarded_client_is_throttled_not_the_proxy(backend: Backend) {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().unwrap();
    let key = setup(&db.url);
    let server =
        Server::start_with(data.path(), &db.url, false, &[("ENTREPOT_TRUSTED_PROXIES", "127.0.0.30/31, 10.9.9.9")]);
    // Everyone comes through the proxy at 127.0.0.31.
    let proxy = Login::open(&server.base, &key, "127.0.0.31").await;
    proxy.guess_many("203.0.113.7").await;
    // The guesser is locked, even with the right password (and a forged entry of its own).
    assert_eq!(proxy.post(USER, PASSWORD, "203.0.113.7").await, 429);
    assert_eq!(proxy.post(USER, PASSWORD, "203.0.113.99, 203.0.113.7").await, 429);
    // The seller, another client of the same proxy, is not.
    assert_eq!(proxy.post(USER, PASSWORD, "203.0.113.8").await, 302);
    common::assert_check(&db.url);
}
