//! Tenancy of every native API operation, over a real socket on both backends, as the dialects'
//! tests do it: a seller of client Acme cannot see or act on client Beta's data, staff of UK1
//! cannot on DE, a seller's plain user cannot manage users; every operation refuses an
//! unauthenticated caller (401 problem) and every command under the cookie without its CSRF
//! token (403 problem).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{acme_inbound, call, login, seed_people, Auth, Login, PW};
use common::{admin_ok, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

fn names(v: &Value, key: &str) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|i| i[key].as_str().unwrap_or_default().to_owned()).collect()
}

fn id_of(users: &Value, name: &str) -> String {
    users["items"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[each_backend]
async fn every_operation_is_scoped(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let op = login(base, "op", PW).await;
    let uk = login(base, "uk", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let clerk = login(base, "acme-clerk", PW).await;
    let beta = login(base, "beta-owner", PW).await;
    let all = call(base, op.bearer(), "GET /api/v1/users", &[], "", None).await;
    let beta_id = id_of(&all.body, "beta-owner");
    let acme_clients = all.body["items"].as_array().unwrap().iter().find(|u| u["username"] == "acme-owner").unwrap();
    let acme_client = acme_clients["role"]["client_id"].as_str().unwrap().to_owned();
    let beta_client = all.body["items"].as_array().unwrap().iter().find(|u| u["username"] == "beta-owner").unwrap()
        ["role"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // GET /api/v1/users: operators all, an owner its client's, nobody else.
    assert_eq!(names(&all.body, "username").len(), 7, "{}", all.body);
    let acme_users = call(base, acme.bearer(), "GET /api/v1/users", &[], "", None).await;
    assert_eq!(names(&acme_users.body, "username"), vec!["acme-clerk", "acme-owner"]);
    let beta_users = call(base, beta.cookie(), "GET /api/v1/users", &[], "", None).await;
    assert_eq!(names(&beta_users.body, "username"), vec!["beta-owner"]);
    call(base, clerk.bearer(), "GET /api/v1/users", &[], "", None).await.problem(403, "forbidden");
    call(base, uk.bearer(), "GET /api/v1/users", &[], "", None).await.problem(403, "forbidden");

    // POST /api/v1/users: an owner creates its own client's sellers only.
    let mk = |name: &str, extra: Value| {
        let mut b = json!({"username": name, "password": "long enough"});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let own =
        call(base, acme.cookie(), "POST /api/v1/users", &[], "", Some(mk("acme-2", json!({"role": "seller"})))).await;
    assert_eq!(own.status, 201, "{}", own.body);
    assert_eq!(own.body["role"]["client_id"], acme_client.as_str());
    let cross = mk("sneaky", json!({"role": "seller", "client_id": beta_client}));
    call(base, acme.bearer(), "POST /api/v1/users", &[], "", Some(cross)).await.problem(403, "forbidden");
    let staff = mk("sneaky", json!({"role": "staff", "warehouses": ["UK1"]}));
    call(base, acme.bearer(), "POST /api/v1/users", &[], "", Some(staff.clone())).await.problem(403, "forbidden");
    call(base, uk.bearer(), "POST /api/v1/users", &[], "", Some(staff.clone())).await.problem(403, "forbidden");
    call(base, clerk.bearer(), "POST /api/v1/users", &[], "", Some(mk("c2", json!({"role": "seller"}))))
        .await
        .problem(403, "forbidden");
    let made = call(base, op.bearer(), "POST /api/v1/users", &[], "", Some(staff.clone())).await;
    assert_eq!((made.status, made.body["role"]["name"].clone()), (201, json!("staff")), "{}", made.body);
    call(base, op.bearer(), "POST /api/v1/users", &[], "", Some(staff)).await.problem(409, "duplicate");
    let nowhere = mk("lost", json!({"role": "staff", "warehouses": ["XX"]}));
    call(base, op.bearer(), "POST /api/v1/users", &[], "", Some(nowhere)).await.problem(422, "validation");

    // POST /api/v1/users/{id}/disable: another client's user is not found.
    call(base, acme.bearer(), "POST /api/v1/users/{id}/disable", &[&beta_id], "", None).await.problem(404, "not-found");
    call(base, uk.bearer(), "POST /api/v1/users/{id}/disable", &[&beta_id], "", None).await.problem(404, "not-found");
    let acme2 = own.body["id"].as_str().unwrap().to_owned();
    call(base, beta.bearer(), "POST /api/v1/users/{id}/disable", &[&acme2], "", None).await.problem(404, "not-found");
    let off = call(base, acme.bearer(), "POST /api/v1/users/{id}/disable", &[&acme2], "", None).await;
    assert_eq!(off.status, 200, "{}", off.body);

    // GET /api/v1/warehouses: staff theirs, sellers their client's sites.
    let whs = |l: &Login| {
        let l = l.clone();
        async move { names(&call(base, l.bearer(), "GET /api/v1/warehouses", &[], "", None).await.body, "code") }
    };
    assert_eq!(whs(&op).await, vec!["DE", "UK1"]);
    assert_eq!(whs(&uk).await, vec!["UK1"]);
    assert_eq!(whs(&de).await, vec!["DE"]);
    assert_eq!(whs(&acme).await, vec!["UK1"]);
    assert_eq!(whs(&beta).await, vec!["DE"]);

    // GET /api/v1/audit/...: the creation of Beta's owner is Beta's and the operator's to read.
    let trail = |l: &Login, id: &str| {
        let (l, id) = (l.clone(), id.to_owned());
        async move {
            let a =
                call(base, l.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["user", &id], "", None).await;
            assert_eq!(a.status, 200, "{}", a.body);
            names(&a.body, "action")
        }
    };
    assert_eq!(trail(&op, &beta_id).await, vec!["user.created", "session.opened"]);
    assert_eq!(trail(&beta, &beta_id).await, vec!["user.created", "session.opened"]);
    assert!(trail(&acme, &beta_id).await.is_empty());
    assert!(trail(&uk, &beta_id).await.is_empty(), "no warehouse of theirs");
    let created = call(
        base,
        op.bearer(),
        "GET /api/v1/audit/{subject_kind}/{subject_id}",
        &["user", made.body["id"].as_str().unwrap()],
        "",
        None,
    )
    .await;
    assert!(created.body["items"][0]["warehouse_id"].as_str().is_some());
    assert_eq!(trail(&uk, made.body["id"].as_str().unwrap()).await, vec!["user.created"], "UK1 staff read UK1's");
    assert!(trail(&de, made.body["id"].as_str().unwrap()).await.is_empty(), "DE staff do not");

    // GET /api/v1/stock: sellers their client's; staff one client's in their warehouses.
    let stock = |l: &Login, q: &str| {
        let (l, q) = (l.clone(), q.to_owned());
        async move { call(base, l.bearer(), "GET /api/v1/stock", &[], &q, None).await }
    };
    let mine = stock(&acme, "").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(names(&mine.body, "seller_sku"), vec!["ACME-1", "ACME-2"]);
    stock(&acme, &format!("client={beta_client}")).await.problem(404, "not-found");
    assert!(names(&stock(&beta, "").await.body, "seller_sku").is_empty());
    stock(&uk, "").await.problem(422, "validation");
    assert_eq!(names(&stock(&uk, "client=Acme").await.body, "seller_sku"), vec!["ACME-1", "ACME-2"]);
    assert!(names(&stock(&de, "client=Acme").await.body, "seller_sku").is_empty(), "DE staff see no UK1 stock");
    stock(&de, "client=Acme&warehouse=UK1").await.problem(403, "forbidden");
    stock(&uk, "client=Acme&warehouse=DE").await.problem(403, "forbidden");
    assert_eq!(names(&stock(&op, "client=Acme&warehouse=UK1").await.body, "seller_sku").len(), 2);

    // Cursors and filters.
    let p1 = stock(&acme, "limit=1").await;
    assert_eq!(names(&p1.body, "seller_sku"), vec!["ACME-1"]);
    assert_eq!(p1.body["items"][0]["units"]["available"], 5);
    let next = p1.body["next_cursor"].as_str().unwrap().to_owned();
    let p2 = stock(&acme, &format!("limit=1&cursor={next}")).await;
    assert_eq!(names(&p2.body, "seller_sku"), vec!["ACME-2"]);
    assert_eq!(p2.body["items"][0]["units"]["received"], 3);
    assert_eq!(p2.body["next_cursor"], Value::Null);
    assert_eq!(names(&stock(&acme, "sku=ACME-2").await.body, "seller_sku"), vec!["ACME-2"]);
    assert!(names(&stock(&acme, "sku=NOPE").await.body, "seller_sku").is_empty());
    stock(&acme, "limit=0").await.problem(422, "validation");
    stock(&acme, "limit=501").await.problem(422, "validation");
    stock(&acme, "cursor=%21%21").await.problem(422, "validation");
    stock(&acme, "limit=abc").await.problem(422, "validation");

    // DELETE /api/v1/tokens/{id}: another user's token is not found; GET lists one's own.
    let uk_tokens = call(base, uk.bearer(), "GET /api/v1/tokens", &[], "", None).await;
    let uk_token = uk_tokens.body["items"][0]["id"].as_str().unwrap().to_owned();
    call(base, de.bearer(), "DELETE /api/v1/tokens/{id}", &[&uk_token], "", None).await.problem(404, "not-found");
    call(base, acme.bearer(), "DELETE /api/v1/tokens/{id}", &[&uk_token], "", None).await.problem(404, "not-found");
    assert_eq!(
        call(base, de.bearer(), "GET /api/v1/tokens", &[], "", None).await.body["items"].as_array().unwrap().len(),
        1
    );
    assert_eq!(call(base, uk.bearer(), "GET /api/v1/me", &[], "", None).await.status, 200, "still valid");
    // A supervisor's token scoped to staff cannot approve; an owner's scoped to seller cannot manage users.
    let owner_plain =
        call(base, acme.cookie(), "POST /api/v1/tokens", &[], "", Some(json!({"label": "plain", "scope": "seller"})))
            .await;
    let plain = owner_plain.body["token"].as_str().unwrap().to_owned();
    call(base, Auth::Bearer(&plain), "GET /api/v1/users", &[], "", None).await.problem(403, "forbidden");
}

#[each_backend]
async fn every_operation_needs_a_caller_and_commands_a_csrf_token(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let op = login(base, "op", PW).await;
    let no_csrf = Auth::Cookie { session: &op.session, csrf: None };
    let reads = [
        ("GET /api/v1/me", vec![]),
        ("GET /api/v1/tokens", vec![]),
        ("GET /api/v1/users", vec![]),
        ("GET /api/v1/warehouses", vec![]),
        ("GET /api/v1/audit/{subject_kind}/{subject_id}", vec!["user", "usr_x"]),
        ("GET /api/v1/stock", vec![]),
        ("GET /api/v1/sku-audit/queue", vec![]),
        ("GET /api/v1/warehouses/{code}/returns/unidentified", vec!["UK1"]),
        ("GET /api/v1/warehouses/{code}/return-rates", vec!["UK1"]),
    ];
    for (opn, params) in &reads {
        call(base, Auth::None, opn, params, "client=Acme", None).await.problem(401, "unauthenticated");
        assert_eq!(call(base, no_csrf, opn, params, "client=Acme", None).await.status, 200, "{opn}");
    }
    let body = json!({"label": "x", "username": "x", "password": "long enough", "role": "operator"});
    let commands = [
        ("POST /api/v1/tokens", vec![], json!({"label": "x"})),
        ("DELETE /api/v1/tokens/{id}", vec!["tok_x"], Value::Null),
        ("POST /api/v1/users", vec![], body),
        ("POST /api/v1/users/{id}/disable", vec!["usr_x"], Value::Null),
        ("POST /api/v1/warehouses/{code}/returns/receipts", vec!["UK1"], json!({"scan": "X"})),
        ("POST /api/v1/returns/{id}/action", vec!["X"], json!({})),
        ("POST /api/v1/returns/unidentified/{id}/match", vec!["urt_x"], json!({"scan": "X"})),
        ("PUT /api/v1/warehouses/{code}/return-rates", vec!["UK1"], json!({"receive_per_unit": 0, "actions": []})),
        ("POST /api/v1/skus/{id}/submit", vec!["1"], Value::Null),
        ("POST /api/v1/skus/{id}/measurements", vec!["1"], json!({})),
        ("POST /api/v1/skus/{id}/approve", vec!["1"], Value::Null),
        ("POST /api/v1/skus/{id}/reject", vec!["1"], json!({"reason": "x"})),
        ("DELETE /api/v1/sessions/current", vec![], Value::Null),
    ];
    for (opn, params, body) in &commands {
        let b = (!body.is_null()).then(|| body.clone());
        call(base, Auth::None, opn, params, "", b.clone()).await.problem(401, "unauthenticated");
        call(base, no_csrf, opn, params, "", b).await.problem(403, "csrf");
    }
    // The floor's operations: every one needs a caller, every command its CSRF token.
    let floor_reads = [
        ("GET /api/v1/warehouses/{code}/locations", vec!["UK1"]),
        ("GET /api/v1/warehouses/{code}/location-stock", vec!["UK1"]),
        ("GET /api/v1/warehouses/{code}/putaway-tasks", vec!["UK1"]),
        ("GET /api/v1/warehouses/{code}/slots", vec!["UK1"]),
        ("GET /api/v1/warehouses/{code}/unidentified", vec!["UK1"]),
        ("GET /api/v1/receipts/{inbound}", vec!["IN-X"]),
    ];
    for (opn, params) in &floor_reads {
        call(base, Auth::None, opn, params, "", None).await.problem(401, "unauthenticated");
        assert_ne!(call(base, no_csrf, opn, params, "", None).await.status, 401, "{opn}");
    }
    let floor_commands = [
        ("POST /api/v1/warehouses/{code}/locations", vec!["UK1"], json!({"code": "A-1", "type": "reserve"})),
        ("POST /api/v1/warehouses/{code}/locations/range", vec!["UK1"], json!({"range": "A-1..2", "type": "reserve"})),
        ("POST /api/v1/warehouses/{code}/locations/{location}/disable", vec!["UK1", "A-1"], Value::Null),
        ("POST /api/v1/warehouses/{code}/moves", vec!["UK1"], json!({})),
        ("POST /api/v1/warehouses/{code}/putaway", vec!["UK1"], json!({})),
        ("POST /api/v1/warehouses/{code}/slots", vec!["UK1"], json!({})),
        ("POST /api/v1/warehouses/{code}/unidentified", vec!["UK1"], json!({"cartons": 1})),
        ("POST /api/v1/unidentified/{id}/resolve", vec!["x"], json!({"reason": "x"})),
        ("POST /api/v1/inbounds/{inbound}/appointment", vec!["IN-X"], json!({})),
        ("DELETE /api/v1/inbounds/{inbound}/appointment", vec!["IN-X"], Value::Null),
        ("POST /api/v1/inbounds/{inbound}/arrival", vec!["IN-X"], Value::Null),
        ("POST /api/v1/receipts", vec![], json!({"code": "IN-X"})),
        ("POST /api/v1/receipts/{inbound}/scans", vec!["IN-X"], json!({"code": "X"})),
        ("POST /api/v1/receipts/{inbound}/unexpected", vec!["IN-X"], json!({"code": "X", "quantity": 1})),
        ("POST /api/v1/receipts/{inbound}/close", vec!["IN-X"], Value::Null),
    ];
    for (opn, params, body) in &floor_commands {
        let b = (!body.is_null()).then(|| body.clone());
        call(base, Auth::None, opn, params, "", b.clone()).await.problem(401, "unauthenticated");
        call(base, no_csrf, opn, params, "", b).await.problem(403, "csrf");
    }
    assert_eq!(call(base, op.cookie(), "GET /api/v1/me", &[], "", None).await.status, 200, "the session survived");
}

/// Returns and the SKU audit: UK1 staff cannot act in DE nor DE staff in UK1, sellers cannot act
/// as staff, nor read a return or touch a SKU that is not their client's.
#[each_backend]
async fn floor_returns_and_the_sku_audit_are_scoped(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let acme9 = admin_ok(
        &db.url,
        &["sku", "create", "--client", "Acme", "--sku", "ACME-9", "--name", "Nut", "--weight-g", "5"],
    );
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let uksup = login(base, "uksup", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;
    let scan = json!({"scan": "NO-RMA-1"});
    let receipts = "POST /api/v1/warehouses/{code}/returns/receipts";
    call(base, uk.bearer(), receipts, &["DE"], "", Some(scan.clone())).await.problem(403, "forbidden");
    call(base, de.bearer(), receipts, &["UK1"], "", Some(scan.clone())).await.problem(403, "forbidden");
    call(base, acme.bearer(), receipts, &["UK1"], "", Some(scan.clone())).await.problem(403, "forbidden");
    let queued = call(base, uk.bearer(), receipts, &["UK1"], "", Some(scan)).await;
    assert_eq!(queued.body["result"], "unidentified", "{backend:?}: {}", queued.body);
    let unidentified = "GET /api/v1/warehouses/{code}/returns/unidentified";
    call(base, de.bearer(), unidentified, &["UK1"], "", None).await.problem(403, "forbidden");
    call(base, acme.bearer(), unidentified, &["UK1"], "", None).await.problem(403, "forbidden");
    let mine = call(base, uk.bearer(), unidentified, &["UK1"], "", None).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1, "{}", mine.body);
    assert_eq!(call(base, de.bearer(), unidentified, &["DE"], "", None).await.body["items"], json!([]));
    let uid = mine.body["items"][0]["id"].as_str().unwrap().to_owned();
    let m = json!({"scan": "NO-SUCH-RMA"});
    let matching = "POST /api/v1/returns/unidentified/{id}/match";
    call(base, acme.bearer(), matching, &[&uid], "", Some(m.clone())).await.problem(403, "forbidden");
    call(base, de.bearer(), matching, &[&uid], "", Some(m)).await.problem(404, "not-found");
    call(base, acme.bearer(), "GET /api/v1/returns/{id}", &["NO-RMA-1"], "", None).await.problem(404, "not-found");
    call(base, acme.bearer(), "POST /api/v1/returns/{id}/action", &["NO-RMA-1"], "", Some(json!({})))
        .await
        .problem(403, "forbidden");

    // Rate cards: a supervisor of UK1 sets UK1's, not DE's; plain staff and sellers none; a
    // seller reads its sites' only.
    let card = json!({"receive_per_unit": 10, "actions": [{"action": "HOLD", "per_return": 50, "per_unit": 0}]});
    let rates = "PUT /api/v1/warehouses/{code}/return-rates";
    assert_eq!(call(base, uksup.bearer(), rates, &["UK1"], "", Some(card.clone())).await.status, 200);
    call(base, uksup.bearer(), rates, &["DE"], "", Some(card.clone())).await.problem(403, "forbidden");
    call(base, uk.bearer(), rates, &["UK1"], "", Some(card.clone())).await.problem(403, "forbidden");
    call(base, acme.bearer(), rates, &["UK1"], "", Some(card)).await.problem(403, "forbidden");
    let read = "GET /api/v1/warehouses/{code}/return-rates";
    call(base, de.bearer(), read, &["UK1"], "", None).await.problem(403, "forbidden");
    call(base, acme.bearer(), read, &["DE"], "", None).await.problem(404, "not-found");
    assert_eq!(call(base, beta.bearer(), read, &["DE"], "", None).await.body["receive_per_unit"], 20);

    // SKUs: another client's is not found; sellers do not audit.
    let id = acme9["id"].to_string();
    call(base, beta.bearer(), "POST /api/v1/skus/{id}/submit", &[&id], "", None).await.problem(404, "not-found");
    call(base, beta.bearer(), "POST /api/v1/skus/{id}/submit", &[&id], "client=Acme", None)
        .await
        .problem(404, "not-found");
    call(base, acme.bearer(), "POST /api/v1/skus/{id}/approve", &[&id], "", None).await.problem(403, "forbidden");
    call(base, acme.bearer(), "GET /api/v1/sku-audit/queue", &[], "", None).await.problem(403, "forbidden");
    assert!(server.stop().success());
}

#[each_backend]
async fn every_floor_inbound_operation_is_scoped(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let number = acme_inbound(&db.url, "SEA-T-1").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 9});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan.clone())).await;
    assert_eq!(slots.status, 201, "{}", slots.body);
    let uf = json!({"cartons": 1});
    let entry =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/unidentified", &["UK1"], "", Some(uf.clone())).await;
    let entry = entry.body["id"].as_str().unwrap().to_owned();

    // UK1 staff cannot act in DE: every warehouse operation is a 403 problem.
    let bin = json!({"code": "A-1", "type": "pick_face"});
    let range = json!({"range": "A-1..2", "type": "pick_face"});
    let put = json!({"client": "Beta", "sku": "X", "qty": 1, "bin": "A-1"});
    let mv = json!({"client": "Beta", "sku": "X", "from": "A-1", "to": "A-2", "qty": 1});
    let in_de: Vec<(&str, Vec<&str>, Option<Value>)> = vec![
        ("GET /api/v1/warehouses/{code}/locations", vec!["DE"], None),
        ("POST /api/v1/warehouses/{code}/locations", vec!["DE"], Some(bin.clone())),
        ("POST /api/v1/warehouses/{code}/locations/range", vec!["DE"], Some(range.clone())),
        ("POST /api/v1/warehouses/{code}/locations/{location}/disable", vec!["DE", "DOCK"], None),
        ("GET /api/v1/warehouses/{code}/location-stock", vec!["DE"], None),
        ("POST /api/v1/warehouses/{code}/moves", vec!["DE"], Some(mv)),
        ("GET /api/v1/warehouses/{code}/putaway-tasks", vec!["DE"], None),
        ("POST /api/v1/warehouses/{code}/putaway", vec!["DE"], Some(put)),
        ("GET /api/v1/warehouses/{code}/slots", vec!["DE"], None),
        ("POST /api/v1/warehouses/{code}/slots", vec!["DE"], Some(plan.clone())),
        ("GET /api/v1/warehouses/{code}/unidentified", vec!["DE"], None),
        ("POST /api/v1/warehouses/{code}/unidentified", vec!["DE"], Some(uf.clone())),
    ];
    for (opn, params, body) in &in_de {
        call(base, uk.bearer(), opn, params, "", body.clone()).await.problem(403, "forbidden");
    }
    // DE staff cannot act on UK1's inbound or freight.
    let scan = json!({"code": "X"});
    let on_uk1: Vec<(&str, Vec<&str>, Option<Value>)> = vec![
        ("POST /api/v1/inbounds/{inbound}/arrival", vec![&number], None),
        ("POST /api/v1/receipts", vec![], Some(json!({"code": number}))),
        ("GET /api/v1/receipts/{inbound}", vec![&number], None),
        ("POST /api/v1/receipts/{inbound}/scans", vec![&number], Some(scan.clone())),
        ("POST /api/v1/receipts/{inbound}/unexpected", vec![&number], Some(json!({"code": "X", "quantity": 1}))),
        ("POST /api/v1/receipts/{inbound}/close", vec![&number], None),
        ("POST /api/v1/unidentified/{id}/resolve", vec![&entry], Some(json!({"reason": "nope"}))),
    ];
    for (opn, params, body) in &on_uk1 {
        let a = call(base, de.bearer(), opn, params, "", body.clone()).await;
        assert!(a.status == 403 || a.status == 404, "{opn}: {} {}", a.status, a.body);
    }
    // A seller cannot act as staff, even on its own inbound and site.
    let as_staff: Vec<(&str, Vec<&str>, Option<Value>)> = vec![
        ("GET /api/v1/warehouses/{code}/locations", vec!["UK1"], None),
        ("POST /api/v1/warehouses/{code}/locations", vec!["UK1"], Some(bin)),
        ("POST /api/v1/warehouses/{code}/locations/range", vec!["UK1"], Some(range)),
        ("POST /api/v1/warehouses/{code}/locations/{location}/disable", vec!["UK1", "DOCK"], None),
        ("GET /api/v1/warehouses/{code}/putaway-tasks", vec!["UK1"], None),
        (
            "POST /api/v1/warehouses/{code}/putaway",
            vec!["UK1"],
            Some(json!({"client": "Acme", "sku": "ACME-1", "qty": 1, "bin": "A-1"})),
        ),
        (
            "POST /api/v1/warehouses/{code}/moves",
            vec!["UK1"],
            Some(json!({"client": "Acme", "sku": "ACME-1", "from": "A-1", "to": "A-2", "qty": 1})),
        ),
        ("POST /api/v1/warehouses/{code}/slots", vec!["UK1"], Some(plan)),
        ("GET /api/v1/warehouses/{code}/unidentified", vec!["UK1"], None),
        ("POST /api/v1/warehouses/{code}/unidentified", vec!["UK1"], Some(uf)),
        ("POST /api/v1/unidentified/{id}/resolve", vec![&entry], Some(json!({"reason": "mine"}))),
        ("POST /api/v1/inbounds/{inbound}/arrival", vec![&number], None),
        ("POST /api/v1/receipts", vec![], Some(json!({"code": number}))),
        ("POST /api/v1/receipts/{inbound}/scans", vec![&number], Some(scan)),
        ("POST /api/v1/receipts/{inbound}/unexpected", vec![&number], Some(json!({"code": "X", "quantity": 1}))),
        ("POST /api/v1/receipts/{inbound}/close", vec![&number], None),
    ];
    for (opn, params, body) in &as_staff {
        call(base, acme.bearer(), opn, params, "", body.clone()).await.problem(403, "forbidden");
    }
    // Another client's inbound is not found: not booked, not cancelled, its receipt unseen.
    let book = Some(json!({}));
    call(base, beta.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", book.clone())
        .await
        .problem(404, "not-found");
    call(base, beta.bearer(), "DELETE /api/v1/inbounds/{inbound}/appointment", &[&number], "", None)
        .await
        .problem(404, "not-found");
    call(base, beta.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await.problem(404, "not-found");
    let named = Some(json!({"client": "Acme"}));
    call(base, beta.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", named)
        .await
        .problem(404, "not-found");
    // Location stock: a seller reads its own only, naming another client is not found.
    call(base, beta.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "client=Acme", None)
        .await
        .problem(404, "not-found");
    let own = call(base, beta.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "", None).await;
    assert_eq!(own.body["items"], json!([]), "{}", own.body);
    let acme_own = call(base, acme.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "", None).await;
    assert!(!acme_own.body["items"].as_array().unwrap().is_empty(), "{}", acme_own.body);
    // The owner books its own; UK1 staff books for Acme by naming it.
    let ok = call(base, acme.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", book).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let cancel =
        call(base, uk.bearer(), "DELETE /api/v1/inbounds/{inbound}/appointment", &[&number], "client=Acme", None).await;
    assert_eq!(cancel.status, 200, "{}", cancel.body);
    call(base, de.bearer(), "GET /api/v1/warehouses/{code}/slots", &["UK1"], "", None).await.problem(403, "forbidden");
    call(base, beta.bearer(), "GET /api/v1/warehouses/{code}/slots", &["UK1"], "", None)
        .await
        .problem(404, "not-found");
}

/// Cycle counts: staff of DE cannot count, read or decide UK1's; sellers cannot at all, even of
/// their own goods; plain staff cannot approve or reject; every operation needs a caller and
/// every command its CSRF token.
#[each_backend]
async fn every_count_operation_is_scoped(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let made = admin_ok(&db.url, &["count", "create", "--warehouse", "UK1", "--bin", "DOCK"]);
    let id = made[0]["id"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let op = login(base, "op", PW).await;
    let uk = login(base, "uk", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;
    let bins = json!({"bins": ["DOCK"]});
    let results = json!({"bin": "DOCK", "scans": []});
    let reason = json!({"reason": "no"});
    let ops: Vec<(&str, Vec<&str>, Option<Value>)> = vec![
        ("POST /api/v1/warehouses/{code}/counts", vec!["UK1"], Some(bins.clone())),
        ("GET /api/v1/warehouses/{code}/counts", vec!["UK1"], None),
        ("GET /api/v1/counts/{id}", vec![&id], None),
        ("POST /api/v1/counts/{id}/results", vec![&id], Some(results.clone())),
        ("POST /api/v1/counts/{id}/approve", vec![&id], None),
        ("POST /api/v1/counts/{id}/reject", vec![&id], Some(reason.clone())),
    ];
    // DE staff on UK1, and sellers (Acme's goods are at the dock), are refused every one.
    for (opn, params, body) in &ops {
        call(base, de.bearer(), opn, params, "", body.clone()).await.problem(403, "forbidden");
        call(base, acme.bearer(), opn, params, "", body.clone()).await.problem(403, "forbidden");
        call(base, beta.cookie(), opn, params, "", body.clone()).await.problem(403, "forbidden");
        call(base, Auth::None, opn, params, "", body.clone()).await.problem(401, "unauthenticated");
    }
    // UK1 staff cannot count in DE, nor approve or reject at home.
    call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/counts", &["DE"], "", Some(bins.clone()))
        .await
        .problem(403, "forbidden");
    call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/counts", &["DE"], "", None).await.problem(403, "forbidden");
    call(base, uk.bearer(), "POST /api/v1/counts/{id}/approve", &[&id], "", None).await.problem(403, "forbidden");
    call(base, uk.bearer(), "POST /api/v1/counts/{id}/reject", &[&id], "", Some(reason.clone()))
        .await
        .problem(403, "forbidden");
    // The commands need the session's CSRF token; reads do not.
    let no_csrf = Auth::Cookie { session: &op.session, csrf: None };
    for (opn, params, body) in &ops {
        let a = call(base, no_csrf, opn, params, "", body.clone()).await;
        if opn.starts_with("GET ") {
            assert_eq!(a.status, 200, "{opn}: {}", a.body);
        } else {
            a.problem(403, "csrf");
        }
    }
    // UK1 staff see it (blind) and the operator cancels it; an unknown task is not found.
    let mine = call(base, uk.bearer(), "GET /api/v1/counts/{id}", &[&id], "", None).await;
    assert_eq!((mine.status, mine.body["lines"].clone()), (200, json!([])), "{}", mine.body);
    let gone = call(base, op.cookie(), "POST /api/v1/counts/{id}/reject", &[&id], "", Some(reason)).await;
    assert_eq!(gone.body["state"], "rejected", "{}", gone.body);
    call(base, uk.bearer(), "GET /api/v1/counts/{id}", &["cnt_nope"], "", None).await.problem(404, "not-found");
    assert!(server.stop().success());
}

/// Bin labels, files and the appointment read: UK1's to UK1 staff, a seller's to its client;
/// every one needs a caller, the upload (a command) its CSRF token under the cookie.
#[each_backend]
async fn labels_files_and_appointment_reads_are_scoped(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let number = acme_inbound(&db.url, "SEA-T-2").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let de = login(base, "de", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;
    let upload = |token: String, query: &'static str| {
        let url = format!("{base}/api/v1/files?{query}");
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .header("content-type", "image/png")
                .body(b"\x89PNG\r\n\x1a\nxx".to_vec())
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, uk_file) = upload(uk.token.clone(), "").await;
    assert_eq!(status, 201, "{uk_file}");
    let uk_key = uk_file["key"].as_str().unwrap().to_owned();
    let (_, acme_file) = upload(acme.token.clone(), "").await;
    let acme_key = acme_file["key"].as_str().unwrap().to_owned();

    // DE staff on UK1: no labels, no upload for UK1, no UK1 file, no UK1 inbound's appointment.
    let labels = "GET /api/v1/warehouses/{code}/locations/labels.pdf";
    call(base, de.bearer(), labels, &["UK1"], "codes=DOCK", None).await.problem(403, "forbidden");
    call(base, uk.bearer(), labels, &["DE"], "", None).await.problem(403, "forbidden");
    assert_eq!(upload(de.token.clone(), "warehouse=UK1").await.0, 403);
    call(base, de.bearer(), "GET /api/v1/files/{key}", &[&uk_key], "", None).await.problem(404, "not-found");
    let read = "GET /api/v1/inbounds/{inbound}/appointment";
    call(base, de.bearer(), read, &[&number], "client=Acme", None).await.problem(404, "not-found");

    // Sellers: no bin labels, another client's file and inbound are not found, nor staff files.
    call(base, acme.bearer(), labels, &["UK1"], "codes=DOCK", None).await.problem(403, "forbidden");
    call(base, acme.bearer(), labels, &["UK1"], "", None).await.problem(403, "forbidden");
    assert_eq!(upload(acme.token.clone(), "warehouse=UK1").await.0, 422, "a seller's files are its client's");
    for (who, key) in [(&beta, &acme_key), (&acme, &uk_key)] {
        call(base, who.bearer(), "GET /api/v1/files/{key}", &[key], "", None).await.problem(404, "not-found");
    }
    call(base, beta.bearer(), read, &[&number], "", None).await.problem(404, "not-found");
    call(base, beta.bearer(), read, &[&number], "client=Acme", None).await.problem(404, "not-found");
    assert_eq!(call(base, uk.bearer(), labels, &["UK1"], "codes=DOCK", None).await.status, 200);
    call(base, uk.bearer(), "GET /api/v1/files/{key}", &[&acme_key], "", None).await.problem(404, "not-found");

    // No caller: 401 everywhere; the upload under the cookie without its CSRF token: 403.
    for (opn, params, query) in [
        (labels, vec!["UK1"], "codes=DOCK"),
        ("GET /api/v1/files/{key}", vec![uk_key.as_str()], ""),
        (read, vec![number.as_str()], "client=Acme"),
    ] {
        call(base, Auth::None, opn, &params, query, None).await.problem(401, "unauthenticated");
    }
    call(base, Auth::None, "POST /api/v1/files", &[], "", Some(json!({}))).await.problem(401, "unauthenticated");
    let no_csrf = Auth::Cookie { session: &uk.session, csrf: None };
    call(base, no_csrf, "POST /api/v1/files", &[], "", Some(json!({}))).await.problem(403, "csrf");
    assert!(server.stop().success());
}
