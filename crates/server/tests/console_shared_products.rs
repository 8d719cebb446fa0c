//! A seller's shared products in the console, over a real socket on both backends: the SKU list
//! links each SKU's sharing page; an owner shares a SKU with another client by its name (an
//! unknown name is said on the form) or with every client, and stops; the other client may then
//! order it, and no longer after; the seller's staff see the page but change nothing; another
//! client cannot see it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{login, seed_people, Console, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};

#[each_backend]
async fn an_owner_shares_a_sku_with_a_client_by_name_and_stops(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let acme = store.find_client("Acme").await.unwrap().id;
    let beta = store.find_client("Beta").await.unwrap().id;
    let sku = store.resolve_sku(&acme, "ACME-2").await.unwrap().id;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let (owner_l, clerk_l, beta_l) =
        (login(base, "acme-owner", PW).await, login(base, "acme-clerk", PW).await, login(base, "beta-owner", PW).await);
    let (owner, clerk, other) =
        (Console { base, who: &owner_l }, Console { base, who: &clerk_l }, Console { base, who: &beta_l });
    let path = format!("/console/skus/{}/sharing", sku.0);
    let beta_may_order = || async { !store.skus_shared_with(&beta, &[sku]).await.unwrap().is_empty() };

    let (status, list) = owner.get("/console/skus").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("href=\"{path}\"")), "{list}");
    let (status, page) = owner.get(&path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ACME-2") && page.contains("Not shared"), "{page}");

    // A name the warehouse does not know is said on the form, which keeps it.
    let p = owner.submit(&path, &[("with", "Nobody Ltd")], false).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("class=\"flash bad\"") && p.body.contains("value=\"Nobody Ltd\""), "{}", p.body);
    // The seller's staff see the page without its forms, and may not share.
    let (status, page) = clerk.get(&path).await;
    assert_eq!(status, 200);
    assert!(!page.contains("name=\"with\""), "{page}");
    assert_eq!(clerk.submit(&path, &[("with", "Beta")], false).await.status, 403);
    assert!(!beta_may_order().await);

    // Shared with Beta by name: Beta may order it from Acme's stock; Beta cannot see the page.
    let p = owner.submit(&path, &[("with", "Beta")], false).await;
    assert_eq!((p.status, p.location.as_str()), (303, format!("{path}?done=shared").as_str()), "{}", p.body);
    let (_, page) = owner.get(&p.location).await;
    assert!(page.contains("<td>Beta</td>") && page.contains("Shared."), "{page}");
    assert!(beta_may_order().await);
    assert_eq!(other.get(&path).await.0, 404);
    assert_eq!(other.submit(&format!("{path}/end"), &[("with", &beta.0)], false).await.status, 404);
    assert!(beta_may_order().await, "another client's SKU is not found, nor its share ended");

    // Stopped; then shared with every client.
    let p = owner.submit(&format!("{path}/end"), &[("with", &beta.0)], false).await;
    assert_eq!((p.status, p.location.as_str()), (303, format!("{path}?done=ended").as_str()));
    assert!(!beta_may_order().await);
    let p = owner.submit(&path, &[("with", "*")], false).await;
    assert_eq!(p.status, 303);
    let (_, page) = owner.get(&path).await;
    assert!(page.contains("<td>Every client</td>") && !page.contains("<td>Beta</td>"), "{page}");
    assert!(beta_may_order().await);
    store.close().await;
}
