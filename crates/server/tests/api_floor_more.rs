//! The floor's remaining native operations, a real server on both backends: bin labels as a PDF,
//! photo uploads (typed by their content, bounded, read back only by who may see them, and
//! checked where receiving and returns take a photo key), an inbound's appointment read by its
//! seller and its warehouse's staff, the worker recording a passed appointment as a no-show on
//! its own, and `admin user grant|revoke` changing what a staff user's live token reaches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{acme_inbound, call, call_with, login, seed_people, Auth, PW};
use common::{admin, admin_ok, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

/// A call whose body and answer are bytes: `op` as the OpenAPI document spells it.
async fn raw(
    base: &str,
    token: Option<&str>,
    op: &str,
    params: &[&str],
    query: &str,
    body: Option<(&str, Vec<u8>)>,
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    let (method, template) = op.split_once(' ').unwrap();
    let mut path = template.to_owned();
    for p in params {
        let open = path.find('{').unwrap();
        let close = path[open..].find('}').unwrap() + open;
        path.replace_range(open..=close, p);
    }
    if !query.is_empty() {
        path = format!("{path}?{query}");
    }
    let mut req = reqwest::Client::new().request(method.parse().unwrap(), format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some((ct, bytes)) = body {
        req = req.header("content-type", ct).body(bytes);
    }
    // Status 0: the connection closed while the body was being sent (see the 413 case below).
    let r = match req.send().await {
        Ok(r) => r,
        Err(e) if e.is_request() => return (0, String::new(), e.to_string().into_bytes()),
        Err(e) => panic!("{e}"),
    };
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

/// The text of each page of a PDF, as poppler's `pdftotext` extracts it.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn jpeg(len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    b.resize(len, 0x42);
    b
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

async fn sql(url: &str, q: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::raw_sql(q).execute(&mut conn).await.unwrap();
}

#[each_backend]
async fn bin_labels_photos_and_appointments(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let first = acme_inbound(&db.url, "SEA-MORE-1").await;
    let second = acme_inbound(&db.url, "SEA-MORE-2").await;
    let dir = tempfile::tempdir().unwrap();
    // The no-show sweep every 200 ms, so the test need not wait a minute.
    let server = Server::start_with(dir.path(), &db.url, false, &[("ENTREPOT_NO_SHOW_INTERVAL_MS", "200")]);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;

    // Bin labels: named codes, or a range (the bins of it that exist), one page each.
    let range = json!({"range": "A-01-1..3", "type": "pick_face"});
    let made =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations/range", &["UK1"], "", Some(range)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let labels = "GET /api/v1/warehouses/{code}/locations/labels.pdf";
    let (status, ct, pdf) = raw(base, Some(&uk.token), labels, &["UK1"], "codes=a-01-2,A-01-1", None, &[]).await;
    assert_eq!((status, ct.as_str()), (200, "application/pdf"), "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF"), "{backend:?}");
    let pages = pdf_pages(&pdf);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].contains("A-01-2") && pages[1].contains("A-01-1"), "in the order asked: {pages:?}");
    assert!(pages[0].contains("UK1 - zone A - pick face"), "{pages:?}");
    let (status, _, pdf) = raw(base, Some(&uk.token), labels, &["UK1"], "range=A-01-1..9", None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(pdf_pages(&pdf).len(), 3, "the range's existing bins");
    let (status, _, pdf) = raw(base, Some(&uk.token), labels, &["UK1"], "prefix=A-01", None, &[]).await;
    assert_eq!((status, pdf_pages(&pdf).len()), (200, 3));
    call(base, uk.bearer(), labels, &["UK1"], "codes=A-01-1,NOPE-1", None).await.problem(404, "not-found");
    let many = (0..501).map(|k| format!("B-{k}")).collect::<Vec<_>>().join(",");
    call(base, uk.bearer(), labels, &["UK1"], &format!("codes={many}"), None).await.problem(422, "validation");
    call(base, uk.bearer(), labels, &["UK1"], "codes=A-01-1&range=A-01-1..2", None).await.problem(422, "validation");

    // Uploads: typed by Content-Type and checked against the content, at most 10 MB.
    let upload = "POST /api/v1/files";
    let photo = jpeg(2_000_000);
    let (status, _, body) = raw(base, Some(&uk.token), upload, &[], "", Some(("image/jpeg", photo.clone())), &[]).await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let stored: Value = serde_json::from_slice(&body).unwrap();
    let uk_key = stored["key"].as_str().unwrap().to_owned();
    assert_eq!((stored["content_type"].clone(), stored["size"].clone()), (json!("image/jpeg"), json!(2_000_000)));
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    for (ct, bytes, status) in [
        ("image/jpeg", png.clone(), 415),
        ("text/plain", b"hello".to_vec(), 415),
        ("image/png", vec![], 422),
        ("image/jpeg", jpeg(10 * 1024 * 1024 + 1), 413),
    ] {
        let (s, ct_back, body) = raw(base, Some(&uk.token), upload, &[], "", Some((ct, bytes)), &[]).await;
        if status == 413 && s == 0 {
            // Refused by its length before it was read: the answer can beat the body's last
            // bytes, and the client then sees the connection closed rather than the 413.
            continue;
        }
        assert_eq!(
            (s, ct_back.as_str()),
            (status, "application/problem+json"),
            "{ct}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // A replay of an upload under its Idempotency-Key answers the same key.
    let idem = [("idempotency-key", "upload-1")];
    let (s1, _, a) = raw(base, Some(&uk.token), upload, &[], "", Some(("image/png", png.clone())), &idem).await;
    let (s2, _, b) = raw(base, Some(&uk.token), upload, &[], "", Some(("image/png", png.clone())), &idem).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(a, b, "{backend:?}: replayed");
    // A seller's upload is its client's; staff attached to one warehouse need not name it.
    let (status, _, body) = raw(base, Some(&acme.token), upload, &[], "", Some(("image/png", png.clone())), &[]).await;
    assert_eq!(status, 201);
    let acme_key = serde_json::from_slice::<Value>(&body).unwrap()["key"].as_str().unwrap().to_owned();
    let (status, _, body) =
        raw(base, Some(&de.token), upload, &[], "warehouse=UK1", Some(("image/png", png.clone())), &[]).await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));

    // Read back by who may see it; to anyone else, not found.
    let download = "GET /api/v1/files/{key}";
    let (status, ct, bytes) = raw(base, Some(&uk.token), download, &[&uk_key], "", None, &[]).await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    assert_eq!(bytes, photo, "{backend:?}: the same bytes");
    for (who, key) in [(&de, &uk_key), (&acme, &uk_key), (&uk, &acme_key), (&beta, &acme_key)] {
        call(base, who.bearer(), download, &[key], "", None).await.problem(404, "not-found");
    }
    let (status, ct, _) = raw(base, Some(&acme.token), download, &[&acme_key], "", None, &[]).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    call(base, uk.bearer(), download, &["nope.0123456789abcdef0123456789abcdef.jpg"], "", None)
        .await
        .problem(404, "not-found");

    // Receiving and returns take only a photo that exists and is the caller's.
    let unidentified = "POST /api/v1/warehouses/{code}/unidentified";
    for key in ["w-nope.0123456789abcdef0123456789abcdef.jpg", acme_key.as_str(), "labels/x.pdf"] {
        let b = json!({"cartons": 1, "photo_key": key});
        let a = call(base, uk.bearer(), unidentified, &["UK1"], "", Some(b)).await;
        a.problem(422, "validation");
        assert_eq!(a.body["errors"][0]["field"], "photo_key", "{}", a.body);
    }
    let ok =
        call(base, uk.bearer(), unidentified, &["UK1"], "", Some(json!({"cartons": 2, "photo_key": uk_key}))).await;
    assert_eq!((ok.status, ok.body["photo_key"].clone()), (201, json!(uk_key)), "{}", ok.body);
    let b = json!({"code": "X", "quantity": 1, "photo_key": acme_key});
    call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/unexpected", &[&first], "", Some(b))
        .await
        .problem(422, "validation");
    let b = json!({"action": "HOLD", "photos": [uk_key, "c-x.0123456789abcdef0123456789abcdef.png"]});
    let a = call(base, uk.bearer(), "POST /api/v1/returns/{id}/action", &["NO-RMA"], "", Some(b)).await;
    a.problem(422, "validation");
    assert_eq!(a.body["errors"][0]["field"], "photos[1]", "{}", a.body);

    // Appointments: slots of capacity one; the seller books both inbounds and reads them back,
    // as do staff of UK1 naming the client; DE staff and another seller find nothing.
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 10, "capacity": 1});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{}", slots.body);
    let later = slots.body["items"][1]["id"].as_str().unwrap().to_owned();
    let book = "POST /api/v1/inbounds/{inbound}/appointment";
    assert_eq!(call(base, acme.bearer(), book, &[&first], "", Some(json!({}))).await.status, 200);
    let booked = call(base, acme.bearer(), book, &[&second], "", Some(json!({"slot": later}))).await;
    assert_eq!(booked.status, 200, "{}", booked.body);
    let read = "GET /api/v1/inbounds/{inbound}/appointment";
    let mine = call(base, acme.bearer(), read, &[&first], "", None).await;
    assert_eq!((mine.status, mine.body["status"].clone()), (200, json!("BOOKED")), "{}", mine.body);
    assert_eq!(mine.body["slot"]["id"], slots.body["items"][0]["id"]);
    let staff = call(base, uk.bearer(), read, &[&second], "client=Acme", None).await;
    assert_eq!((staff.status, staff.body["slot"]["id"].clone()), (200, json!(later)), "{}", staff.body);
    call(base, uk.bearer(), read, &[&second], "", None).await.problem(422, "validation");
    call(base, de.bearer(), read, &[&second], "client=Acme", None).await.problem(404, "not-found");
    call(base, beta.bearer(), read, &[&second], "", None).await.problem(404, "not-found");
    let third = acme_inbound(&db.url, "SEA-MORE-3").await;
    let none = call(base, acme.bearer(), read, &[&third], "", None).await;
    none.problem(404, "not-found");
    assert!(none.body["detail"].as_str().unwrap().contains("no appointment"), "{}", none.body);

    // The second's slot passes with nobody at the dock: the worker records the no-show itself.
    let (start, end) = (now_ms() - 3 * 3_600_000, now_ms() - 2 * 3_600_000);
    sql(&db.url, &format!("UPDATE dock_slots SET start_at = {start}, end_at = {end} WHERE id = '{later}'")).await;
    let mut status = Value::Null;
    for _ in 0..100 {
        status = call(base, acme.bearer(), read, &[&second], "", None).await.body["status"].clone();
        if status == "NO_SHOW" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "NO_SHOW", "{backend:?}: recorded without any command");
    let first_still = call(base, acme.bearer(), read, &[&first], "", None).await;
    assert_eq!(first_still.body["status"], "BOOKED", "{}", first_still.body);
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    let client = app.find_client("Acme").await.unwrap().id;
    let id = app.find_inbound(&client, &second).await.unwrap().id.0;
    let trail = app.audit_trail(&entrepot_core::actor::Actor::system("t"), "inbound", &id).await.unwrap();
    let shows: Vec<_> = trail.iter().filter(|e| e.action == "inbound.no_show").collect();
    assert_eq!(shows.len(), 1, "{trail:?}");
    assert_eq!(shows[0].actor_name, "worker", "{trail:?}");
    store.close().await;
    assert!(server.stop().success());
}

/// `admin user grant|revoke`: a staff user gains and loses a warehouse (and the supervisor flag),
/// its live token follows at once, each change is in the user's audit trail.
#[each_backend]
async fn admin_grants_and_revokes_staff_warehouses(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let de = login(base, "de", PW).await;
    let bins = "GET /api/v1/warehouses/{code}/locations";
    call(base, de.bearer(), bins, &["UK1"], "", None).await.problem(403, "forbidden");

    let granted = admin_ok(&db.url, &["user", "grant", "--user", "de", "--warehouse", "UK1", "--supervisor"]);
    let mut codes: Vec<_> = granted["warehouses"].as_array().unwrap().iter().map(|w| w.to_string()).collect();
    codes.sort();
    assert_eq!(codes, ["\"DE\"", "\"UK1\""], "{granted}");
    assert_eq!((granted["role"].clone(), granted["supervisor"].clone()), (json!("supervisor"), json!(true)));
    assert_eq!(call(base, de.bearer(), bins, &["UK1"], "", None).await.status, 200, "the token follows at once");
    let me = call_with(base, Auth::Bearer(&de.token), "GET /api/v1/me", &[], "", None, &[]).await;
    assert_eq!(me.status, 200, "{}", me.body);

    let revoked = admin_ok(&db.url, &["user", "revoke", "--user", "de", "--warehouse", "UK1"]);
    assert_eq!(revoked["warehouses"], json!(["DE"]), "{revoked}");
    call(base, de.bearer(), bins, &["UK1"], "", None).await.problem(403, "forbidden");
    assert_eq!(call(base, de.bearer(), bins, &["DE"], "", None).await.status, 200);

    // Refused: a warehouse not attached, a seller, an unknown warehouse.
    for args in [
        &["user", "revoke", "--user", "de", "--warehouse", "UK1"][..],
        &["user", "grant", "--user", "acme-owner", "--warehouse", "UK1"],
        &["user", "grant", "--user", "de", "--warehouse", "XX"],
    ] {
        let out = admin(&db.url, args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{args:?}");
    }

    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    let id = app.find_person("de").await.unwrap().id;
    let trail = app.audit_trail(&entrepot_core::actor::Actor::system("t"), "user", &id.0).await.unwrap();
    let actions: Vec<_> = trail
        .iter()
        .filter(|e| e.action.starts_with("user."))
        .map(|e| (e.action.as_str(), e.actor_name.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("user.created", "admin-cli"),
            ("user.warehouse_granted", "admin-cli"),
            ("user.warehouse_revoked", "admin-cli")
        ]
    );
    store.close().await;
    assert!(server.stop().success());
}
