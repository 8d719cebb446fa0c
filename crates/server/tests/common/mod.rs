//! Running the real `entrepot` binary in tests: a server process on a real socket and admin
//! commands, on either backend.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Output, Stdio},
    time::Duration,
};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_entrepot");

/// The binary servers and admin commands run: [`BIN`], unless `ENTREPOT_TEST_BIN` names another
/// build of it (worktrees sharing one target directory share `target/debug/entrepot`, which the
/// last build of any of them wrote; each build's own copy stays under `target/debug/deps`).
pub fn bin() -> String {
    std::env::var("ENTREPOT_TEST_BIN").ok().filter(|b| !b.is_empty()).unwrap_or_else(|| BIN.to_owned())
}

/// Every process a test starts seals secrets with the same key, so that admin commands (which
/// use no `--data-dir`), servers in temporary data directories and stores opened in-process
/// with `Store::open` share one database. A test of the key file overrides it.
pub const SECRET_KEY_ENV: (&str, &str) = ("ENTREPOT_SECRET_KEY", entrepot_store::fixtures::TEST_SECRET_KEY);

/// A running `entrepot serve`.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// What it printed on stdout so far.
    pub stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(data_dir: &Path, db: &str, demo: bool) -> Server {
        Self::start_with(data_dir, db, demo, &[])
    }

    pub fn start_with(data_dir: &Path, db: &str, demo: bool, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(bin());
        cmd.env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1);
        // An empty value removes the variable (e.g. `ENTREPOT_SECRET_KEY`, to use the key file).
        for (k, v) in env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", db]).arg("--data-dir").arg(data_dir);
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd.env("RUST_LOG", "warn").stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
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

    /// SIGKILL: the process dies mid-work, as in a crash or an OOM kill.
    pub fn kill_hard(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, then wait: a graceful shutdown exits 0.
    pub fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn admin(db: &str, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["admin", "--database-url", db])
        .args(args)
        .env("RUST_LOG", "warn")
        .env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1)
        .output()
        .unwrap()
}

/// `admin check` must find every ledger invariant holding.
pub fn assert_check(db: &str) {
    let out = admin(db, &["check"]);
    assert!(out.status.success(), "admin check: {}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
}

/// Runs an admin command that must succeed and returns its JSON output.
pub fn admin_ok(db: &str, args: &[&str]) -> Value {
    let out = admin(db, args);
    assert!(out.status.success(), "admin {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// Registers the production Seller-ERP app "Acme ERP" of client Acme through the CLI, redirecting
/// to `redirect_uri`; the CLI's answer (`client_key`, `secret_key`, ...).
pub fn create_acme_erp_app(db: &str, redirect_uri: &str) -> Value {
    admin_ok(
        db,
        &[
            "erp-app",
            "create",
            "--client",
            "Acme",
            "--name",
            "Acme ERP",
            "--kind",
            "SELLER_ERP",
            "--environment",
            "production",
            "--redirect-uri",
            redirect_uri,
        ],
    )
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub async fn get(url: &str) -> (u16, String) {
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Sets up an operator, warehouse, service and a client with one approved SKU, through the CLI.
pub fn seed_with_cli(db: &str, available: i64) {
    admin_ok(db, &["company", "create", "--name", "Op"]);
    admin_ok(
        db,
        &[
            "warehouse",
            "create",
            "--code",
            "UK1",
            "--name",
            "UK",
            "--country",
            "GB",
            "--timezone",
            "Europe/London",
            "--bird-company-id",
            "1",
            "--oc-region",
            "UK",
        ],
    );
    admin_ok(
        db,
        &[
            "service",
            "create",
            "--warehouse",
            "UK1",
            "--code",
            "GBDomesticStandard",
            "--name",
            "Royal Mail Tracked 48",
            "--bird-id",
            "139",
            "--carrier",
            "ROYALMAIL",
            "--currency",
            "GBP",
            "--handling",
            "1.20",
            "--band",
            "1000:3.25",
            "--band",
            "20000:8.95",
            "--destinations",
            "GB",
            "--max-weight-g",
            "20000",
        ],
    );
    admin_ok(db, &["client", "create", "--name", "Acme", "--currency", "GBP", "--site", "UK1"]);
    admin_ok(db, &["balance", "top-up", "--client", "Acme", "--amount", "1000.00"]);
    let sku =
        admin_ok(db, &["sku", "create", "--client", "Acme", "--sku", "ACME-1", "--name", "Anvil", "--weight-g", "900"]);
    assert_eq!(sku["status"], "Draft");
    admin_ok(db, &["sku", "submit", "--client", "Acme", "--sku", "ACME-1"]);
    assert_eq!(admin_ok(db, &["sku", "approve", "--client", "Acme", "--sku", "ACME-1"])["status"], "Approved");
    admin_ok(
        db,
        &[
            "stock",
            "receive",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--sku",
            "ACME-1",
            "--qty",
            &available.to_string(),
        ],
    );
    let row = admin_ok(
        db,
        &[
            "stock",
            "put-away",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--sku",
            "ACME-1",
            "--qty",
            &available.to_string(),
        ],
    );
    assert_eq!(row["available"], available);
}

/// The log (stderr) of a server started with [`Server::start_logged`], as it grows.
#[derive(Clone, Default)]
pub struct Log(std::sync::Arc<std::sync::Mutex<String>>);

impl Log {
    pub fn text(&self) -> String {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Server {
    /// Like [`Server::start_with`], with the server's stderr captured instead of inherited, so a
    /// test can assert what was (not) logged: a panic, an internal error.
    pub fn start_logged(data_dir: &Path, db: &str, demo: bool, env: &[(&str, &str)]) -> (Server, Log) {
        let mut cmd = Command::new(bin());
        cmd.env(SECRET_KEY_ENV.0, SECRET_KEY_ENV.1);
        cmd.envs(env.iter().copied());
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", db]).arg("--data-dir").arg(data_dir);
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd.env("RUST_LOG", "warn").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let log = Log::default();
        let stderr = child.stderr.take().unwrap();
        let keep = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut s) = keep.0.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("entrepot listening on ") {
                    let _ = tx.send(url.to_owned());
                }
            }
        });
        let base =
            rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("server did not start: {}", log.text()));
        (Server { child, base, stdout: Default::default() }, log)
    }
}

/// A loopback webhook receiver: every body POSTed to it, in order, and its port.
pub async fn webhook_receiver() -> (std::sync::Arc<std::sync::Mutex<Vec<Value>>>, u16) {
    let got: std::sync::Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
    let seen = got.clone();
    let app = axum::Router::new().fallback(axum::routing::post(move |body: String| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(serde_json::from_str(&body).unwrap_or(Value::String(body)));
            "ok"
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, port)
}

/// A Bird ERP: a client's api key, addressing one site by its Bird company id.
pub struct BirdErp {
    pub base: String,
    pub key: String,
    pub company_id: String,
}

impl BirdErp {
    /// `GET path` (with its query); the JSON answer, which must be HTTP 200.
    pub async fn get(&self, path: &str) -> Value {
        let r = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", &self.company_id)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// `POST path` with a JSON body; the JSON answer, which must be HTTP 200.
    pub async fn post_json(&self, path: &str, body: &Value) -> Value {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", &self.company_id)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let answer: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "POST {path}: {answer}");
        answer
    }

    /// `POST path` with a form; the JSON answer, which must be HTTP 200.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", &self.company_id)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "POST {path}: {body}");
        body
    }
}
