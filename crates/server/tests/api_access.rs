//! The native API's access over a real socket on both backends: logging in (cookie flags, CSRF
//! token, wrong passwords as problems, the throttle), the session and bearer tokens (shown once,
//! scoped no higher than their creator, revoked at once, the label recorded as the device),
//! logging out, Idempotency-Key replays and refusals, body limits, problems for unknown paths,
//! and the OpenAPI document and reference page served.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, call_with, login, seed_people, Auth, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

#[each_backend]
async fn sessions_tokens_and_the_caller(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();

    // Unauthenticated: a 401 problem; an unknown path under /api/v1: a 404 problem.
    call(base, Auth::None, "GET /api/v1/me", &[], "", None).await.problem(401, "unauthenticated");
    call(base, Auth::Bearer("ent_nope"), "GET /api/v1/me", &[], "", None).await.problem(401, "unauthenticated");
    call(base, Auth::None, "GET /api/v1/nope", &[], "", None).await.problem(404, "not-found");

    // Wrong password: 401, the same as an unknown user.
    let wrong = json!({"username": "uksup", "password": "wrong password"});
    call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(wrong)).await.problem(401, "login-failed");
    let nobody = json!({"username": "nobody", "password": "wrong password"});
    call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(nobody)).await.problem(401, "login-failed");
    let junk = call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(json!({"user": 1}))).await;
    junk.problem(422, "validation");

    // Logging in sets a Secure, HttpOnly, SameSite cookie and answers the CSRF token.
    let a =
        call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(json!({"username": "uksup", "password": PW})))
            .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let set = a.header("set-cookie").to_owned();
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(flag), "{set}");
    }
    assert_eq!(a.body["user"]["role"]["name"], "supervisor");
    assert_eq!(a.body["user"]["role"]["warehouses"][0]["code"], "UK1");
    let session = set.split(';').next().unwrap().strip_prefix("entrepot_session=").unwrap().to_owned();
    let csrf = a.body["csrf_token"].as_str().unwrap().to_owned();
    let cookie = Auth::Cookie { session: &session, csrf: Some(&csrf) };
    let no_csrf = Auth::Cookie { session: &session, csrf: None };
    let bad_csrf = Auth::Cookie { session: &session, csrf: Some("0000") };

    let me = call(base, no_csrf, "GET /api/v1/me", &[], "", None).await;
    assert_eq!(me.status, 200, "a read needs no CSRF token");
    assert_eq!((me.body["username"].as_str(), me.body["authenticated_by"].as_str()), (Some("uksup"), Some("session")));

    // A command under the cookie needs the CSRF token.
    let label = json!({"label": "TC52-7", "scope": "staff"});
    call(base, no_csrf, "POST /api/v1/tokens", &[], "", Some(label.clone())).await.problem(403, "csrf");
    call(base, bad_csrf, "POST /api/v1/tokens", &[], "", Some(label.clone())).await.problem(403, "csrf");
    // A scope above the creator's is refused.
    let high = json!({"label": "x", "scope": "operator"});
    let refused = call(base, cookie, "POST /api/v1/tokens", &[], "", Some(high)).await;
    refused.problem(422, "validation");
    assert_eq!(refused.body["errors"][0]["field"], "scope");
    let t = call(base, cookie, "POST /api/v1/tokens", &[], "", Some(label)).await;
    assert_eq!(t.status, 201, "{}", t.body);
    let (token, token_id) = (t.body["token"].as_str().unwrap().to_owned(), t.body["id"].as_str().unwrap().to_owned());
    assert_eq!(t.body["scope"], "staff");

    // The token acts as the user narrowed to its scope, from its device; it needs no CSRF token.
    let me = call(base, Auth::Bearer(&token), "GET /api/v1/me", &[], "", None).await;
    assert_eq!(me.body["role"]["name"], "staff", "{}", me.body);
    assert_eq!(me.body["device"], "TC52-7");
    assert_eq!(me.body["authenticated_by"], "token");
    let mine = call(base, Auth::Bearer(&token), "GET /api/v1/tokens", &[], "", None).await;
    assert_eq!(mine.status, 200);
    let listed = mine.body["items"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["label"], "TC52-7");
    assert!(listed[0].get("token").is_none(), "never shown again");
    let other = call(base, Auth::Bearer(&token), "POST /api/v1/tokens", &[], "", Some(json!({"label": "spare"}))).await;
    assert_eq!(other.status, 201);
    assert_eq!(other.body["scope"], "staff", "a staff token makes staff tokens");

    // Revoked: at once; a second revoke is not found. Recorded in the trail, with the device.
    let bearer = Auth::Bearer(&token);
    let spare = other.body["id"].as_str().unwrap().to_owned();
    assert_eq!(call(base, bearer, "DELETE /api/v1/tokens/{id}", &[&spare], "", None).await.status, 204);
    assert_eq!(call(base, cookie, "DELETE /api/v1/tokens/{id}", &[&token_id], "", None).await.status, 204);
    call(base, bearer, "GET /api/v1/me", &[], "", None).await.problem(401, "unauthenticated");
    call(base, cookie, "DELETE /api/v1/tokens/{id}", &[&token_id], "", None).await.problem(404, "not-found");
    let op = login(base, "op", PW).await;
    let trail =
        call(base, op.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["token", &spare], "", None).await;
    let actions: Vec<_> = trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions, vec![json!("token.created"), json!("token.revoked")], "{}", trail.body);
    assert_eq!(trail.body["items"][1]["device"], "TC52-7");
    assert_eq!(trail.body["items"][1]["actor_name"], "uksup");
    assert_eq!(trail.body["items"][1]["role"], "staff");

    // Logging out ends the session and clears the cookie; a bearer token is not a session.
    call(base, op.bearer(), "DELETE /api/v1/sessions/current", &[], "", None).await.problem(409, "conflict");
    call(base, no_csrf, "DELETE /api/v1/sessions/current", &[], "", None).await.problem(403, "csrf");
    let out = call(base, cookie, "DELETE /api/v1/sessions/current", &[], "", None).await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    call(base, no_csrf, "GET /api/v1/me", &[], "", None).await.problem(401, "unauthenticated");

    // Disabled users cannot log in, and their tokens stop at once.
    let de = login(base, "de", PW).await;
    let users = call(base, op.bearer(), "GET /api/v1/users", &[], "", None).await;
    let de_id = users.body["items"].as_array().unwrap().iter().find(|u| u["username"] == "de").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let off = call(base, op.bearer(), "POST /api/v1/users/{id}/disable", &[&de_id], "", None).await;
    assert_eq!((off.status, off.body["disabled"].clone()), (200, json!(true)), "{}", off.body);
    call(base, de.bearer(), "GET /api/v1/me", &[], "", None).await.problem(401, "unauthenticated");
    let again = json!({"username": "de", "password": PW});
    call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(again)).await.problem(401, "login-failed");
}

#[each_backend]
async fn idempotency_keys_replay_and_refuse(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let key = [("idempotency-key", "scan-0001")];
    let body = json!({"label": "ring scanner"});

    let first = call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(body.clone()), &key).await;
    assert_eq!(first.status, 201);
    assert_eq!(first.header("idempotent-replayed"), "");
    let replay = call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(body.clone()), &key).await;
    assert_eq!(replay.status, 201);
    assert_eq!(replay.header("idempotent-replayed"), "true");
    assert_eq!(replay.body, first.body, "the same answer, not a second token");
    let tokens = call(base, uk.bearer(), "GET /api/v1/tokens", &[], "", None).await;
    assert_eq!(tokens.body["items"].as_array().unwrap().len(), 2, "the login's token and this one");

    // The same key with another body: 422; the same key under the cookie is the same user's.
    let other = json!({"label": "another"});
    call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(other), &key)
        .await
        .problem(422, "idempotency-mismatch");
    let again = call_with(base, uk.cookie(), "POST /api/v1/tokens", &[], "", Some(body.clone()), &key).await;
    assert_eq!((again.status, again.header("idempotent-replayed")), (201, "true"));
    // Another user's key space is its own.
    let uksup = login(base, "uksup", PW).await;
    let theirs = call_with(base, uksup.bearer(), "POST /api/v1/tokens", &[], "", Some(body.clone()), &key).await;
    assert_eq!((theirs.status, theirs.header("idempotent-replayed")), (201, ""));
    // A refusal is kept and replayed as well; a bad key is a validation problem.
    let bad = json!({"label": ""});
    let k2 = [("idempotency-key", "scan-0002")];
    call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(bad.clone()), &k2)
        .await
        .problem(422, "validation");
    let r = call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(bad), &k2).await;
    assert_eq!((r.status, r.header("idempotent-replayed")), (422, "true"));
    let long = "k".repeat(300);
    let k3 = [("idempotency-key", long.as_str())];
    call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(body.clone()), &k3)
        .await
        .problem(422, "validation");
    // Unauthenticated commands are refused before their body is read, key or not.
    call_with(base, Auth::None, "POST /api/v1/tokens", &[], "", Some(body), &key).await.problem(401, "unauthenticated");

    // Two tries at once: the command runs once; the other is told it is running, or replayed.
    let op = login(base, "op", PW).await;
    let user = json!({"username": "twice", "password": "long enough", "role": "staff", "warehouses": ["UK1"]});
    let same = [("idempotency-key", "user-twice")];
    let (a, b) = tokio::join!(
        call_with(base, op.bearer(), "POST /api/v1/users", &[], "", Some(user.clone()), &same),
        call_with(base, op.bearer(), "POST /api/v1/users", &[], "", Some(user.clone()), &same)
    );
    let (first, second) = if a.header("idempotent-replayed").is_empty() && a.status == 201 { (a, b) } else { (b, a) };
    assert_eq!(first.status, 201, "{}", first.body);
    if second.status == 409 {
        second.problem(409, "idempotency-in-flight");
    } else {
        assert_eq!((second.status, second.header("idempotent-replayed")), (201, "true"), "{}", second.body);
    }
    let users = call(base, op.bearer(), "GET /api/v1/users", &[], "", None).await;
    assert_eq!(users.body["items"].as_array().unwrap().iter().filter(|u| u["username"] == "twice").count(), 1);

    // Bodies are bounded, with or without a key.
    let huge = json!({"label": "x".repeat(100_000)});
    call_with(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(huge.clone()), &[("idempotency-key", "big")])
        .await
        .problem(413, "payload-too-large");
    call(base, uk.bearer(), "POST /api/v1/tokens", &[], "", Some(huge)).await.problem(413, "payload-too-large");
}

#[each_backend]
async fn logins_are_throttled(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let mut last = None;
    for _ in 0..12 {
        let wrong = json!({"username": "uk", "password": "not the password"});
        last = Some(call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(wrong)).await);
        if last.as_ref().unwrap().status == 429 {
            break;
        }
    }
    let last = last.unwrap();
    last.problem(429, "too-many-requests");
    assert!(last.header("retry-after").parse::<u64>().unwrap() >= 1);
}

#[each_backend]
async fn the_document_and_the_reference_page_are_served(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let doc = reqwest::get(format!("{base}/api/v1/openapi.json")).await.unwrap();
    assert_eq!(doc.status(), 200);
    let doc: serde_json::Value = doc.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/tokens/{id}"]["delete"].is_object());
    let page = reqwest::get(format!("{base}/api/docs")).await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "no asset from elsewhere: {html}");
    // Every script is ours, named by its hash, cached for ever.
    let scripts: Vec<&str> = html.split("\"/api/docs/assets/").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(scripts.len(), 2, "{html}");
    for src in scripts {
        let r = reqwest::get(format!("{base}/api/docs/assets/{src}")).await.unwrap();
        assert_eq!(r.status(), 200, "{src}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
        assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert!(r.bytes().await.unwrap().len() > 100);
    }
    assert_eq!(reqwest::get(format!("{base}/api/docs/assets/nope.js")).await.unwrap().status(), 404);
}

#[each_backend]
async fn the_demo_seeds_people_who_can_log_in(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let base = server.base.as_str();
    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let staff = creds["staff"].as_array().unwrap();
    let expect = [("uk1-staff", "staff", "UK1"), ("uk1-supervisor", "supervisor", "UK1"), ("de-staff", "staff", "DE")];
    assert_eq!(staff.len(), expect.len());
    for (s, (name, role, wh)) in staff.iter().zip(expect) {
        assert_eq!(s["username"], name);
        let l = login(base, name, s["password"].as_str().unwrap()).await;
        let me = call(base, l.bearer(), "GET /api/v1/me", &[], "", None).await;
        assert_eq!(me.body["role"]["name"], role, "{}", me.body);
        assert_eq!(me.body["role"]["warehouses"][0]["code"], wh);
    }
    // An inbound in transit, booked into one of today's (or, in the day's last hour, tomorrow's)
    // UK1 slots: the staff check it in and open its receipt by scanning its number.
    let arriving = &creds["inbound_in_transit"];
    let number = arriving["inbound_number"].as_str().unwrap();
    let uk = &staff[0];
    let uk = login(base, "uk1-staff", uk["password"].as_str().unwrap()).await;
    let slots = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/slots", &["UK1"], "days=2", None).await;
    let booked: Vec<&Value> = slots.body["items"].as_array().unwrap().iter().filter(|s| s["booked"] == 1).collect();
    assert_eq!(booked.len(), 1, "{}", slots.body);
    assert_eq!(booked[0]["start_ms"], arriving["slot_start_ms"]);
    let at_dock = call(base, uk.bearer(), "POST /api/v1/inbounds/{inbound}/arrival", &[number], "", None).await;
    assert_eq!(at_dock.status, 200, "{}", at_dock.body);
    let receipt = call(base, uk.bearer(), "POST /api/v1/receipts", &[], "", Some(json!({"code": number}))).await;
    let lines = receipt.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{}", receipt.body);
    assert!(lines.iter().all(|l| l["expected"] == 24 && l["received"] == 0), "{}", receipt.body);
    // Bins in both warehouses.
    let op = &creds["operator"];
    let op = login(base, op["username"].as_str().unwrap(), op["password"].as_str().unwrap()).await;
    for wh in ["UK1", "DE"] {
        let bins = call(base, op.bearer(), "GET /api/v1/warehouses/{code}/locations", &[wh], "", None).await;
        let codes: Vec<&str> =
            bins.body["items"].as_array().unwrap().iter().filter_map(|b| b["code"].as_str()).collect();
        assert!(codes.iter().filter(|c| c.starts_with("A-")).count() >= 3, "{wh}: {codes:?}");
    }
    let owner = &creds["sellers"][0];
    let l = login(base, owner["username"].as_str().unwrap(), owner["password"].as_str().unwrap()).await;
    let me = call(base, l.bearer(), "GET /api/v1/me", &[], "", None).await;
    assert_eq!(
        (me.body["role"]["name"].as_str(), me.body["role"]["client_id"].as_str()),
        (Some("seller_owner"), creds["client_id"].as_str())
    );
    let stock = call(base, l.bearer(), "GET /api/v1/stock", &[], "limit=2", None).await;
    assert_eq!(stock.body["items"].as_array().unwrap().len(), 2);
    assert!(stock.body["next_cursor"].is_string());
    assert_eq!(call(base, op.bearer(), "GET /api/v1/me", &[], "", None).await.body["role"]["name"], "operator");
}
