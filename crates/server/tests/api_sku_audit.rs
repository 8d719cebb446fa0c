//! The SKU audit over the native API on the real binary, both backends: a seller submits its
//! draft, UK1 staff find it in the queue, measure it, reject it with a reason, and approve it once
//! resubmitted; staff cannot submit, sellers cannot audit, nor touch another client's SKU.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, PW};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

#[each_backend]
async fn a_draft_goes_through_the_audit_over_the_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let draft = admin_ok(
        &db.url,
        &["sku", "create", "--client", "Acme", "--sku", "ACME-3", "--name", "Crate", "--weight-g", "500"],
    );
    let id = draft["id"].to_string();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let acme = login(base, "acme-owner", PW).await;
    let beta = login(base, "beta-owner", PW).await;

    call(base, uk.bearer(), "POST /api/v1/skus/{id}/submit", &[&id], "client=Acme", None)
        .await
        .problem(403, "forbidden");
    call(base, beta.bearer(), "POST /api/v1/skus/{id}/submit", &[&id], "", None).await.problem(404, "not-found");
    let sub = call(base, acme.bearer(), "POST /api/v1/skus/{id}/submit", &[&id], "", None).await;
    assert_eq!((sub.status, sub.body["status"].as_str()), (200, Some("SUBMITTED")), "{backend:?}: {}", sub.body);

    let q = call(base, uk.bearer(), "GET /api/v1/sku-audit/queue", &[], "limit=1", None).await;
    assert_eq!(q.status, 200, "{}", q.body);
    assert_eq!(q.body["items"][0]["sku"]["seller_sku"], "ACME-3", "{}", q.body);
    assert!(q.body["items"][0]["sku"]["client_id"].as_str().is_some());
    call(base, acme.bearer(), "GET /api/v1/sku-audit/queue", &[], "", None).await.problem(403, "forbidden");

    let m = json!({"weight_g": 640, "length_mm": 300});
    let measured =
        call(base, uk.bearer(), "POST /api/v1/skus/{id}/measurements", &[&id], "client=Acme", Some(m.clone())).await;
    assert_eq!((measured.status, measured.body["weight_g"].as_i64()), (200, Some(640)), "{}", measured.body);
    assert_eq!(measured.body["measured"], true);
    call(base, acme.bearer(), "POST /api/v1/skus/{id}/measurements", &[&id], "", Some(m))
        .await
        .problem(403, "forbidden");
    call(base, uk.bearer(), "POST /api/v1/skus/{id}/approve", &[&id], "", None).await.problem(422, "validation");

    let why = json!({"reason": "no barcode on the unit"});
    call(base, acme.bearer(), "POST /api/v1/skus/{id}/reject", &[&id], "", Some(why.clone()))
        .await
        .problem(403, "forbidden");
    call(base, uk.bearer(), "POST /api/v1/skus/{id}/reject", &[&id], "client=Acme", Some(json!({"reason": " "})))
        .await
        .problem(422, "validation");
    let rej = call(base, uk.bearer(), "POST /api/v1/skus/{id}/reject", &[&id], "client=Acme", Some(why)).await;
    assert_eq!(
        (rej.body["status"].as_str(), rej.body["reject_reason"].as_str()),
        (Some("REJECTED"), Some("no barcode on the unit")),
        "{}",
        rej.body
    );
    call(base, uk.bearer(), "POST /api/v1/skus/{id}/approve", &[&id], "client=Acme", None)
        .await
        .problem(409, "conflict");
    assert_eq!(call(base, acme.cookie(), "POST /api/v1/skus/{id}/submit", &[&id], "", None).await.status, 200);
    let ok = call(base, uk.bearer(), "POST /api/v1/skus/{id}/approve", &[&id], "client=Acme", None).await;
    assert_eq!(ok.body["status"], "APPROVED", "{}", ok.body);
    let empty = call(base, uk.bearer(), "GET /api/v1/sku-audit/queue", &[], "client=Acme", None).await;
    assert_eq!(empty.body["items"].as_array().unwrap().len(), 0, "{}", empty.body);
    assert_check(&db.url);
    assert!(server.stop().success());
}
