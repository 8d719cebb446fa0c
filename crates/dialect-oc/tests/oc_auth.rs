//! Signed calls (spec §3): every way a call can fail authentication gets OC's error shape, HTTP
//! 200, and a message saying what is wrong; on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_refused, ok, App};
use entrepot_dialect_oc::signature::sign;
use entrepot_testkit::{each_backend, Backend};
use serde_json::json;

const SERVICE: &str = "/openapi/3pp/base/v1/service";

#[each_backend]
async fn service_list_is_grouped_by_region_with_names_per_language(b: Backend) {
    let app = App::start(b).await;
    // OC's GET is signed with an empty body part.
    let sig = sign(SERVICE, b"", &app.seller.client_key, &app.seller.secret_key);
    let v: serde_json::Value = app
        .http
        .get(format!("{}{SERVICE}", app.base))
        .header("Access-Token", format!("bearer {}", app.seller.access_token))
        .header("clientKey", &app.seller.client_key)
        .header("vAuthorization", sig)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let data = ok(v);
    let uk = data.as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").unwrap();
    let std = uk["productList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["shippingServiceCode"] == "GBDomesticStandard")
        .unwrap();
    let names = std["shippingServiceNameList"].as_array().unwrap();
    assert!(names.iter().any(|n| n["language"] == "en-US" && n["shippingServiceName"] == "GB Domestic Standard"));
    assert!(names.iter().any(|n| n["language"] == "zh-CN" && n["shippingServiceName"] == "英国本地标准"));
    let de = data.as_array().unwrap().iter().find(|r| r["serviceRegion"] == "DE").unwrap();
    assert_eq!(de["productList"][0]["shippingServiceCode"], "DEDomesticStandard");
}

#[each_backend]
async fn every_authentication_failure_is_refused_in_ocs_shape(b: Backend) {
    let app = App::start(b).await;
    let s = &app.seller;
    let body = r#"{"messageId":"m-7","data":{}}"#;
    let good_sig = sign(SERVICE, body.as_bytes(), &s.client_key, &s.secret_key);
    let bearer = format!("Bearer {}", s.access_token);
    // The control: everything right.
    ok(app
        .send(SERVICE, body, &[("Access-Token", &bearer), ("clientKey", &s.client_key), ("vAuthorization", &good_sig)])
        .await);

    let v = app
        .send(SERVICE, body, &[("Access-Token", &bearer), ("clientKey", &s.client_key), ("vAuthorization", "0123")])
        .await;
    assert_refused(&v, "Signature verification failed");
    assert_eq!(v["code"], 2);
    assert_eq!(v["messageId"], "m-7", "the caller's messageId is echoed");

    // The body altered after signing: a production app signs the body.
    let altered = r#"{"messageId":"m-7","data":{"x":1}}"#;
    let v = app
        .send(
            SERVICE,
            altered,
            &[("Access-Token", &bearer), ("clientKey", &s.client_key), ("vAuthorization", &good_sig)],
        )
        .await;
    assert_refused(&v, "exact request body");

    // A production app may not use the sandbox's path-only form.
    let path_only = sign(SERVICE, b"", &s.client_key, &s.secret_key);
    let v = app
        .send(SERVICE, body, &[("Access-Token", &bearer), ("clientKey", &s.client_key), ("vAuthorization", &path_only)])
        .await;
    assert_refused(&v, "Signature verification failed");
    // A sandbox app may.
    let o = &app.sandbox;
    let sandbox_sig = sign(SERVICE, b"", &o.client_key, &o.secret_key);
    let ob = format!("Bearer {}", o.access_token);
    ok(app
        .send(SERVICE, body, &[("Access-Token", &ob), ("clientKey", &o.client_key), ("vAuthorization", &sandbox_sig)])
        .await);

    let v = app.send(SERVICE, body, &[("Access-Token", &bearer), ("vAuthorization", &good_sig)]).await;
    assert_refused(&v, "clientKey header is required");
    let v = app
        .send(SERVICE, body, &[("Access-Token", &bearer), ("clientKey", "nope"), ("vAuthorization", &good_sig)])
        .await;
    assert_refused(&v, "Unknown clientKey [nope]");
    let v = app.send(SERVICE, body, &[("clientKey", &s.client_key), ("vAuthorization", &good_sig)]).await;
    assert_refused(&v, "Access-Token header is required");
    assert_eq!(v["code"], 1);
    let v = app
        .send(
            SERVICE,
            body,
            &[("Access-Token", "Bearer forged"), ("clientKey", &s.client_key), ("vAuthorization", &good_sig)],
        )
        .await;
    assert_refused(&v, "Invalid access token");

    // Another client's token, with this app's valid signature.
    let v = app
        .send(SERVICE, body, &[("Access-Token", &ob), ("clientKey", &s.client_key), ("vAuthorization", &good_sig)])
        .await;
    assert_refused(&v, "not issued to this clientKey");

    // An expired token. Written to the database directly, as another process would: a token
    // read a moment ago is used as read for up to a second (its expiry is checked each call).
    app.store.execute_raw("UPDATE oauth_tokens SET expires_at = 1 WHERE kind = 'access'").await.unwrap();
    tokio::time::sleep(entrepot_store::CACHE_TTL + std::time::Duration::from_millis(100)).await;
    let v = app
        .send(SERVICE, body, &[("Access-Token", &bearer), ("clientKey", &s.client_key), ("vAuthorization", &good_sig)])
        .await;
    assert_refused(&v, "Access token expired");
}

#[each_backend]
async fn revoking_the_app_revokes_its_tokens(b: Backend) {
    let app = App::start(b).await;
    ok(app.call(SERVICE, json!({})).await);
    app.store.revoke_erp_app(&app.seller.client_key).await.unwrap();
    let v = app.call(SERVICE, json!({})).await;
    assert_refused(&v, "revoked");
    // The other seller's app is untouched.
    ok(app.call_as(&app.other, SERVICE, json!({})).await);
}

#[each_backend]
async fn bodies_with_comments_and_odd_keys_are_read_after_the_signature(b: Backend) {
    let app = App::start(b).await;
    // Signed over the raw text, comments included, as OC's Postman collection does.
    let body = "{\n  \"MessageID\": \"c-1\", // required\n  \"DATA\": {}\n}";
    let v = app.raw(&app.seller, SERVICE, body).await;
    assert_eq!(v["messageId"], "c-1");
    ok(v);
    let v = app.raw(&app.seller, SERVICE, "{\"data\": [").await;
    assert_refused(&v, "not valid JSON");
}

#[tokio::test]
async fn unknown_openapi_routes_answer_in_ocs_shape() {
    let app = App::start(entrepot_testkit::Backend::Sqlite).await;
    let r = app.http.post(format!("{}/openapi/3pp/nothing/v9/here", app.base)).body("{}").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_refused(&v, "No such API: /openapi/3pp/nothing/v9/here");
}

#[tokio::test]
async fn oversized_bodies_are_refused_in_ocs_shape() {
    let app = App::start(entrepot_testkit::Backend::Sqlite).await;
    let body = format!(r#"{{"data":"{}"}}"#, "x".repeat(entrepot_dialect_oc::body_limits::BODY_LIMITS.default));
    let v = app.raw(&app.seller, SERVICE, &body).await;
    assert_refused(&v, "Request body could not be read");
}
