//! Request bodies against the real binary over real sockets, on both backends: a caller that is
//! not authenticated cannot make the server read (let alone buffer) a large body, each route takes
//! at most what it needs, every refusal is in the dialect's own shape, and memory comes back after
//! a burst of oversized uploads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

mod common;
#[path = "common/raw_http.rs"]
mod raw_http;

use common::*;
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use raw_http::{rss_mb, Answer, Framing, Upload};
use serde_json::Value;

const MB: usize = 1024 * 1024;
const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const CUSTOMS: &str = "/openapi/3pp/inbound/v1/upload/customs-clearance-file";
const SKU_CREATION: &str = "/openapi/3pp/sku/v3/creation";
/// Long enough for a loaded machine; the server answers these in milliseconds, or never (while it
/// waits for the rest of a body the test will not send).
const WAIT: Duration = Duration::from_secs(15);

/// A demo server with the Bird key and an OC access token of its seller.
struct Demo {
    server: Server,
    bird_key: String,
    client_key: String,
    access_token: String,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

/// Every test that used a demo server leaves the books balanced (`admin check`).
impl Drop for Demo {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            common::assert_check(&self._db.url);
        }
    }
}

async fn demo(backend: entrepot_testkit::Backend) -> Demo {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let oc = &creds["oc"];
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    let client = OcClient::new(&server.base, &s(&oc["client_key"]), &s(&oc["secret_key"]));
    let redirect = s(&oc["redirect_uri"]);
    let code = client.login_for_code(&redirect, "st", &s(&oc["username"]), &s(&oc["password"])).await.unwrap();
    let tokens = client.exchange_code(&code, &redirect).await.unwrap();
    Demo {
        bird_key: s(&creds["bird"]["api_key"]),
        client_key: s(&oc["client_key"]),
        access_token: tokens.access_token,
        server,
        _db: db,
        _dir: dir,
    }
}

impl Demo {
    /// An OC call's headers; the signature is never checked here, as these bodies are refused
    /// before they are read.
    fn oc(&self, u: Upload, token: &str) -> Upload {
        u.header("clientKey", &self.client_key)
            .header("vAuthorization", "0123456789abcdef0123456789abcdef")
            .header("Access-Token", &format!("Bearer {token}"))
            .header("Content-Type", "application/json")
    }

    fn bird(&self, u: Upload) -> Upload {
        u.header("api_key", &self.bird_key).header("company_id", "1").header("Content-Type", "application/json")
    }
}

fn assert_bird(a: &Answer, status: u16, message: &str) {
    assert_eq!(a.status, status, "{a:?}");
    let v = a.json();
    assert_eq!(v["success"], false, "{a:?}");
    assert!(v["message"].as_str().unwrap().contains(message), "{a:?}");
}

fn assert_oc(a: &Answer, status: u16, code: i64, message: &str) {
    assert_eq!(a.status, status, "{a:?}");
    let v = a.json();
    assert_eq!((v["success"].clone(), v["code"].as_i64()), (Value::Bool(false), Some(code)), "{a:?}");
    assert!(v["message"].as_str().unwrap().contains(message), "{a:?}");
    assert!(v["errors"][0]["code"].is_string(), "{a:?}");
}

#[each_backend]
async fn unauthenticated_bodies_are_refused_before_they_are_read(backend: Backend) {
    let d = demo(backend).await;
    let base = d.server.base.clone();
    // 60 MB declared, 1 MB sent, then the client waits: only a server that does not wait for
    // the rest answers.
    let declared = Framing::Length(60 * MB);
    let a = Upload::new("POST", PENDING, declared, MB).header("Content-Type", "application/json").run(&base, WAIT);
    assert_bird(&a, 403, "Login Required!");
    let a = Upload::new("POST", "/client/Consignment", declared, MB)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .start(b"company_id=1&contact=")
        .run(&base, WAIT);
    assert_bird(&a, 403, "Login Required!");
    let a = Upload::new("POST", PENDING, Framing::Chunked, 2 * MB).run(&base, WAIT);
    assert_bird(&a, 403, "Login Required!");
    // A wrong key in the header: refused from the headers alone.
    let a = Upload::new("POST", PENDING, declared, MB).header("api_key", "forged").run(&base, WAIT);
    assert_bird(&a, 403, "Login Required!");

    // OC: no clientKey, then a real app with a forged token, on the customs-file route.
    let a = Upload::new("POST", CUSTOMS, declared, MB).run(&base, WAIT);
    assert_oc(&a, 200, 2, "clientKey header is required");
    let a = d.oc(Upload::new("POST", CUSTOMS, declared, MB), "forged").run(&base, WAIT);
    assert_oc(&a, 200, 1, "Invalid access token");
    let a = d.oc(Upload::new("POST", SKU_CREATION, Framing::Chunked, 2 * MB), "forged").run(&base, WAIT);
    assert_oc(&a, 200, 1, "Invalid access token");

    // The token endpoint, whose client may authenticate in the form: a form is small.
    let a = Upload::new("POST", "/oauth/token", declared, MB)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .start(b"grant_type=authorization_code&code=")
        .run(&base, WAIT);
    assert_eq!(a.status, 400, "{a:?}");
    assert_eq!(a.json()["error"], "invalid_request", "{a:?}");
    assert!(a.json()["error_description"].as_str().unwrap().contains("64 KB"), "{a:?}");
}

#[each_backend]
async fn authenticated_bodies_over_the_route_limit_are_refused_in_the_dialects_shape(backend: Backend) {
    let d = demo(backend).await;
    let base = d.server.base.clone();
    // Bird: the bulk uploads take 8 MB, every other route 1 MB; declared or chunked.
    let a = d.bird(Upload::new("POST", PENDING, Framing::Length(9 * MB), MB)).run(&base, WAIT);
    assert_bird(&a, 500, "at most 8 MB");
    let a = d.bird(Upload::new("POST", PENDING, Framing::Chunked, 9 * MB)).run(&base, WAIT);
    assert_bird(&a, 500, "at most 8 MB");
    let a = d.bird(Upload::new("POST", "/client/Consignment", Framing::Length(2 * MB), 64 * 1024)).run(&base, WAIT);
    assert_bird(&a, 500, "at most 1 MB");
    let a = d.bird(Upload::new("POST", "/client/Webhook", Framing::Chunked, 2 * MB)).run(&base, WAIT);
    assert_bird(&a, 500, "at most 1 MB");

    // A bulk upload above the small limit is read (and judged on its content), on each of
    // the three bulk routes.
    let http = reqwest::Client::new();
    let rows: Vec<Value> = (0..700).map(|k| serde_json::json!({"contact": format!("Buyer {k:0>2000}")})).collect();
    let body = serde_json::to_vec(&rows).unwrap();
    assert!(body.len() > MB + MB / 4, "{}", body.len());
    let bulk = [
        PENDING,
        "/client/Consignment-Upload/Temp-Consignment-Json",
        "/client/Client-Dispatch-Upload/Client-Dispatch-Json",
    ];
    for path in bulk {
        let r = http
            .post(format!("{base}{path}"))
            .header("api_key", &d.bird_key)
            .header("company_id", "1")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        assert!(!v.to_string().contains("too large"), "{path}: {v}");
        if path == PENDING {
            assert!(v["message"].as_str().unwrap().starts_with("Row 1"), "{v}");
        }
    }

    // A form carrying its own key is read when the key comes early, refused when it does not.
    let filler = "x".repeat(200 * 1024);
    let early = format!("api_key={}&company_id=1&note={filler}", d.bird_key);
    let late = format!("note={filler}&api_key={}&company_id=1", d.bird_key);
    for (form, status) in [(early, 200), (late, 403)] {
        let r = http
            .get(format!("{base}/client/Delivery-Service"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{:?}", r.text().await);
    }

    // OC: the customs file takes 16 MB (one 10 MB file in base64), other calls 4 MB.
    let token = d.access_token.clone();
    let a = d.oc(Upload::new("POST", CUSTOMS, Framing::Length(20 * MB), MB), &token).run(&base, WAIT);
    assert_oc(&a, 200, 3, "larger than 16 MB");
    let a = d.oc(Upload::new("POST", CUSTOMS, Framing::Chunked, 17 * MB), &token).run(&base, WAIT);
    assert_oc(&a, 200, 3, "larger than 16 MB");
    let a = d.oc(Upload::new("POST", SKU_CREATION, Framing::Length(5 * MB), MB), &token).run(&base, WAIT);
    assert_oc(&a, 200, 3, "larger than 4 MB");
}

/// Runs `uploads` at once, sampling the server's RSS meanwhile; returns the peak.
fn burst(pid: u32, base: &str, uploads: Vec<Upload>) -> (f64, Vec<Answer>) {
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(Mutex::new(0.0f64));
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let now = rss_mb(pid);
                let mut p = peak.lock().unwrap();
                *p = p.max(now);
                drop(p);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let threads: Vec<_> = uploads
        .into_iter()
        .map(|u| {
            let base = base.to_owned();
            std::thread::spawn(move || u.run(&base, Duration::from_secs(60)))
        })
        .collect();
    let answers = threads.into_iter().map(|t| t.join().unwrap()).collect();
    stop.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let p = *peak.lock().unwrap();
    (p, answers)
}

#[each_backend]
async fn memory_comes_back_after_bursts_of_oversized_uploads(backend: Backend) {
    let d = demo(backend).await;
    let base = d.server.base.clone();
    let pid = d.server.child.id();
    // Warm up: the connection pools, caches and allocator as in normal service.
    for _ in 0..20 {
        let (status, _) = get(&format!("{base}/healthz")).await;
        assert_eq!(status, 200);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_mb(pid);
    let full = 60 * MB;
    let token = d.access_token.clone();
    // Three unauthenticated 60 MB uploads (the case), then three authenticated ones
    // streaming 60 MB into routes that take 8, 16 and 1 MB.
    let anonymous = vec![
        Upload::new("POST", PENDING, Framing::Length(full), full).header("Content-Type", "application/json"),
        Upload::new("POST", "/client/Consignment", Framing::Length(full), full)
            .header("Content-Type", "application/x-www-form-urlencoded"),
        Upload::new("POST", CUSTOMS, Framing::Length(full), full),
    ];
    let (peak_anonymous, answers) = burst(pid, &base, anonymous);
    for a in &answers {
        assert!(matches!(a.status, 200 | 403), "{a:?}");
        assert!(a.sent_when_answered < full / 2, "answered only after {} bytes", a.sent_when_answered);
    }
    let signed = vec![
        d.bird(Upload::new("POST", PENDING, Framing::Chunked, full)),
        d.oc(Upload::new("POST", CUSTOMS, Framing::Chunked, full), &token),
        d.bird(Upload::new("POST", "/client/Consignment", Framing::Chunked, full)),
    ];
    let (peak_signed, answers) = burst(pid, &base, signed);
    for a in &answers {
        assert!(a.body.contains("larger than") || a.body.contains("too large"), "{a:?}");
        assert!(a.sent_when_answered < full / 2, "answered only after {} bytes", a.sent_when_answered);
    }
    // Ordinary traffic goes on (the allocator returns freed memory as it works), then a pause.
    let http = reqwest::Client::new();
    for _ in 0..200 {
        let r = http.get(format!("{base}/client/Country")).header("api_key", &d.bird_key).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = rss_mb(pid);
    eprintln!(
        "{backend:?}: server RSS idle {idle:.1} MB, peak {peak_anonymous:.1} MB (3 anonymous 60 MB uploads), \
             {peak_signed:.1} MB (3 authenticated), after {after:.1} MB"
    );
    assert!(peak_anonymous - idle < 16.0, "{backend:?}: idle {idle:.1} MB, peak {peak_anonymous:.1} MB");
    assert!(peak_signed - idle < 80.0, "{backend:?}: idle {idle:.1} MB, peak {peak_signed:.1} MB");
    // The allocator hands memory back as it works, not at once: after 180 MB of bodies, within
    // 40 MB of idle (main kept gigabytes).
    assert!(after - idle < 40.0, "{backend:?}: idle {idle:.1} MB, after {after:.1} MB");
    // The server still serves.
    let (status, _) = get(&format!("{base}/healthz")).await;
    assert_eq!(status, 200);
}
