//! Secrets at rest and on screen, against the real `entrepot` binary on both backends: OC
//! SecretKeys and webhook secrets are sealed in the database (read here with a direct SQL
//! connection) while signed OC calls and signed webhooks keep working; plaintext rows from
//! before are sealed at start; a process with another key is refused; the data directory and
//! its files are private whatever the umask; the demo banner shows credentials only once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{http::HeaderMap, routing::post, Router};
use common::{admin, admin_ok, seed_with_cli, stderr, Server, BIN, SECRET_KEY_ENV};
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};
use sqlx::{Connection, Row};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

/// A local ERP endpoint that records what it receives.
#[derive(Clone, Default)]
struct Receiver {
    hits: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let r = Receiver::default();
        let rec = r.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let rec = rec.clone();
                async move {
                    rec.hits.lock().unwrap().push((headers, body));
                    "thanks"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, url)
    }

    /// Waits for a delivery whose body contains `needle`.
    async fn wait_for(&self, needle: &str) -> (HeaderMap, String) {
        for _ in 0..500 {
            if let Some(hit) = self.hits.lock().unwrap().iter().find(|h| h.1.contains(needle)) {
                return hit.clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no webhook delivery mentioning {needle}");
    }
}

/// The webhook's Standard Webhooks signature is the HMAC of `secret`.
fn assert_signed(hit: &(HeaderMap, String), secret: &str) {
    let h = |k: &str| hit.0.get(k).unwrap_or_else(|| panic!("no {k} header")).to_str().unwrap().to_owned();
    let ts: i64 = h("webhook-timestamp").parse().unwrap();
    assert_eq!(h("webhook-signature"), entrepot_ops::sign(secret, &h("webhook-id"), ts, hit.1.as_bytes()));
}

/// The stored secret columns, read with a direct SQL connection.
async fn stored_secrets(url: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let mut out = vec![];
    for q in ["SELECT secret_key AS v FROM erp_apps", "SELECT secret AS v FROM webhooks"] {
        for row in sqlx::query(q).fetch_all(&mut conn).await.unwrap() {
            out.push(row.try_get::<String, _>("v").unwrap());
        }
    }
    conn.close().await.unwrap();
    out
}

async fn execute(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

/// No stored secret column holds a plaintext secret: each is `enc:v1:...`.
async fn assert_sealed(url: &str, plain: &[&str], backend: Backend) {
    let stored = stored_secrets(url).await;
    assert_eq!(stored.len(), 2, "{backend:?}: one app, one webhook");
    for v in &stored {
        assert!(v.starts_with("enc:v1:"), "{backend:?}: stored in plaintext: {v}");
        for p in plain {
            assert!(!v.contains(p), "{backend:?}: {v} holds {p}");
        }
    }
}

/// The test's webhook receiver listens on loopback, refused unless the operator allows it.
const LOOPBACK_WEBHOOKS: &[(&str, &str)] = &[("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8")];

/// Registers a Bird webhook for PRODUCT CREATE; its secret.
async fn register_webhook(base: &str, api_key: &str, url: &str) -> String {
    let r: Value = reqwest::Client::new()
        .post(format!("{base}/client/Webhook"))
        .header("api_key", api_key)
        .header("company_id", "1")
        .json(&json!({"url": url, "resource_type": "PRODUCT", "action": "CREATE"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["success"], true, "{r}");
    r["data"]["secret"].as_str().unwrap().to_owned()
}

fn create_sku(db: &str, sku: &str) {
    admin_ok(db, &["sku", "create", "--client", "Acme", "--sku", sku, "--name", "Widget", "--weight-g", "100"]);
}

#[each_backend]
async fn secrets_are_sealed_at_rest_and_signed_calls_and_webhooks_still_work(backend: Backend) {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().unwrap();
    seed_with_cli(&db.url, 5);
    admin_ok(&db.url, &["user", "create", "--client", "Acme", "--username", "ann", "--password", "s3cret-pass"]);
    let app =
        admin_ok(&db.url, &["erp-app", "create", "--client", "Acme", "--name", "ERP", "--redirect-uri", CALLBACK]);
    let (client_key, secret_key) =
        (app["client_key"].as_str().unwrap().to_owned(), app["secret_key"].as_str().unwrap().to_owned());
    let api_key = admin_ok(&db.url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    let server = Server::start_with(data.path(), &db.url, false, LOOPBACK_WEBHOOKS);
    let (rx, hook_url) = Receiver::start().await;
    let hook_secret = register_webhook(&server.base, &api_key, &hook_url).await;
    assert_sealed(&db.url, &[&secret_key, &hook_secret], backend).await;

    // Signed OC calls: the server verifies signatures with the opened SecretKey.
    let oc = OcClient::new(&server.base, &client_key, &secret_key);
    let code = oc.login_for_code(CALLBACK, "erp-1", "ann", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    let q = json!({"referenceSKUIDList": [{"referenceSKUID": "NONE"}]});
    oc.call("/openapi/3pp/sku/v3/query", q.clone()).await.unwrap();
    let wrong = OcClient::new(&server.base, &client_key, "0123456789abcdef0123456789abcdef");
    let code = wrong.login_for_code(CALLBACK, "erp-1", "ann", "s3cret-pass").await.unwrap();
    assert!(wrong.exchange_code(&code, CALLBACK).await.is_err(), "{backend:?}: a wrong SecretKey is refused");
    // Signed webhooks: signed with the opened secret.
    create_sku(&db.url, "HOOK-1");
    assert_signed(&rx.wait_for("HOOK-1").await, &hook_secret);
    assert!(admin(&db.url, &["check"]).status.success(), "{backend:?}");
    assert!(server.stop().success());

    // A database from before: plaintext secrets, no key check. Sealed at start.
    execute(
        &db.url,
        &format!(
            "UPDATE erp_apps SET secret_key = '{secret_key}'; UPDATE webhooks SET secret = '{hook_secret}'; \
                 DELETE FROM secret_key_check"
        ),
    )
    .await;
    assert!(stored_secrets(&db.url).await.contains(&secret_key));
    let server = Server::start_with(data.path(), &db.url, false, LOOPBACK_WEBHOOKS);
    assert_sealed(&db.url, &[&secret_key, &hook_secret], backend).await;
    let oc = OcClient::new(&server.base, &client_key, &secret_key);
    let code = oc.login_for_code(CALLBACK, "erp-1", "ann", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    oc.call("/openapi/3pp/sku/v3/query", q).await.unwrap();
    create_sku(&db.url, "HOOK-2");
    assert_signed(&rx.wait_for("HOOK-2").await, &hook_secret);
    let check = admin(&db.url, &["check"]);
    assert!(check.status.success(), "{backend:?}: {}", stderr(&check));
    assert!(server.stop().success());

    // Another key is refused at start, before it can seal anything.
    let other = entrepot_store::SecretKey::generate().to_text();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db.url])
        .arg("--data-dir")
        .arg(data.path())
        .env("ENTREPOT_SECRET_KEY", &other)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{backend:?}");
    assert!(stderr(&out).contains("sealed with another key than ENTREPOT_SECRET_KEY"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&other));
    // A malformed key is refused without being repeated.
    let out = admin(&db.url, &["--secret-key", "not-a-key-0xDEADBEEF", "check"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("ENTREPOT_SECRET_KEY: a secret key is 32 bytes"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("DEADBEEF"), "{}", stderr(&out));
}

/// `entrepot serve` under `umask 000`, without `ENTREPOT_SECRET_KEY` (so with a key file).
fn start_umask0(data_dir: &Path, db: Option<&str>) -> Server {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "umask 000; exec \"$0\" \"$@\"", BIN, "serve", "--listen", "127.0.0.1:0", "--demo"])
        .arg("--data-dir")
        .arg(data_dir);
    if let Some(db) = db {
        cmd.args(["--database-url", db]);
    }
    let mut child = cmd
        .env_remove(SECRET_KEY_ENV.0)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let lines = Arc::new(Mutex::new(vec![]));
    let seen = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("entrepot listening on ") {
                let _ = tx.send(url.to_owned());
            }
            seen.lock().unwrap().push(line);
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(60)).expect("server did not start");
    Server { child, base, stdout: lines }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[each_backend]
async fn the_data_directory_is_private_and_the_demo_banner_shows_secrets_once(backend: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(TestDb::new(backend).await),
    };
    let url = pg.as_ref().map(|d| d.url.clone());
    let server = start_umask0(&data, url.as_deref());
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("demo-credentials.json")).unwrap()).unwrap();
    let secret = creds["oc"]["secret_key"].as_str().unwrap().to_owned();
    let api_key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    let mut private = vec![data.join("secret.key"), data.join("demo-credentials.json")];
    if backend == Backend::Sqlite {
        for f in ["entrepot.db", "entrepot.db-wal", "entrepot.db-shm"] {
            private.push(data.join(f));
        }
    }
    assert_eq!(mode(&data), 0o700, "{backend:?}: data directory");
    for f in &private {
        assert_eq!(mode(f), 0o600, "{backend:?}: {}", f.display());
    }
    let first = server.stdout.lock().unwrap().join("\n");
    assert!(first.contains(&secret) && first.contains(&api_key), "{backend:?}: seeding shows them: {first}");
    assert!(server.stop().success());

    // A restart seeds nothing and prints no secret, only where they are.
    let server = start_umask0(&data, url.as_deref());
    let (status, _) = common::get(&format!("{}/healthz", server.base)).await;
    assert_eq!(status, 200);
    let again = server.stdout.lock().unwrap().join("\n");
    assert!(!again.contains(&secret) && !again.contains(&api_key), "{backend:?}: {again}");
    assert!(again.contains(&format!("credentials are in {}", data.join("demo-credentials.json").display())), "{again}");
    for f in &private {
        assert_eq!(mode(f), 0o600, "{backend:?}: {}", f.display());
    }
    assert!(server.stop().success());
}
