//! Shared products over the native API, real socket, both backends: a seller's owner shares a
//! SKU with another client by name (or `*` every client) and ends it; the other client may then
//! order it, and no longer after; the seller's plain user reads but may not change; another
//! client finds nothing; staff are no seller; no caller, no CSRF token: refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, Auth, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

const GET: &str = "GET /api/v1/skus/{id}/shares";
const SHARE: &str = "POST /api/v1/skus/{id}/shares";
const END: &str = "DELETE /api/v1/skus/{id}/shares/{with}";

#[each_backend]
async fn an_owner_shares_a_sku_through_the_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let acme = store.find_client("Acme").await.unwrap().id;
    let beta = store.find_client("Beta").await.unwrap().id;
    let sku = store.resolve_sku(&acme, "ACME-2").await.unwrap().id;
    let id = sku.0.to_string();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let (owner, clerk, other, staff) = (
        login(base, "acme-owner", PW).await,
        login(base, "acme-clerk", PW).await,
        login(base, "beta-owner", PW).await,
        login(base, "uk", PW).await,
    );
    let beta_may_order = || async { !store.skus_shared_with(&beta, &[sku]).await.unwrap().is_empty() };

    let a = call(base, owner.bearer(), GET, &[&id], "", None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!((a.body["everyone"].clone(), a.body["clients"].clone()), (json!(false), json!([])));
    // Refused: nobody named, a name unknown, the seller's plain user, another client, staff,
    // no caller, the cookie without its CSRF token.
    call(base, owner.bearer(), SHARE, &[&id], "", Some(json!({"with": " "}))).await.problem(422, "validation");
    assert_eq!(call(base, owner.bearer(), SHARE, &[&id], "", Some(json!({"with": "Nobody"}))).await.status, 404);
    assert_eq!(call(base, clerk.bearer(), SHARE, &[&id], "", Some(json!({"with": "Beta"}))).await.status, 403);
    assert_eq!(call(base, clerk.bearer(), GET, &[&id], "", None).await.status, 200);
    assert_eq!(call(base, other.bearer(), GET, &[&id], "", None).await.status, 404);
    assert_eq!(call(base, staff.bearer(), GET, &[&id], "", None).await.status, 403);
    assert_eq!(call(base, Auth::None, GET, &[&id], "", None).await.status, 401);
    let no_csrf = Auth::Cookie { session: &owner.session, csrf: None };
    assert_eq!(call(base, no_csrf, SHARE, &[&id], "", Some(json!({"with": "Beta"}))).await.status, 403);
    assert!(!beta_may_order().await);

    // Shared with Beta by name; ended by its id; then shared with every client and ended.
    let a = call(base, owner.cookie(), SHARE, &[&id], "", Some(json!({"with": "Beta"}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["clients"], json!([{"id": beta.0, "name": "Beta"}]));
    assert!(beta_may_order().await);
    assert_eq!(call(base, other.bearer(), END, &[&id, &beta.0], "", None).await.status, 404);
    assert_eq!(call(base, owner.bearer(), END, &[&id, &beta.0], "", None).await.status, 204);
    assert!(!beta_may_order().await);
    assert_eq!(call(base, owner.bearer(), END, &[&id, &beta.0], "", None).await.status, 404, "nothing to end");
    let a = call(base, owner.bearer(), SHARE, &[&id], "", Some(json!({"with": "*"}))).await;
    assert_eq!(a.body["everyone"], true, "{}", a.body);
    assert!(beta_may_order().await);
    assert_eq!(call(base, owner.bearer(), END, &[&id, "*"], "", None).await.status, 204);
    assert!(!beta_may_order().await);
    store.close().await;
}
