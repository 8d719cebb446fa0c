//! No console page loads anything from outside Entrepot: every page a seller, staff and the
//! operator open carries a Content-Security-Policy that allows the console's own origin only,
//! (and the local camera), and names no other host in its scripts, styles, images or links. Real
//! server, both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{login, seed_people, Console, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};

const SELLER: &[&str] = &[
    "/console/dashboard",
    "/console/orders",
    "/console/orders/new",
    "/console/skus",
    "/console/stock",
    "/console/inbounds",
    "/console/inbounds/new",
    "/console/balance",
    "/console/import",
    "/console/integrations",
];
const STAFF: &[&str] = &[
    "/console/board",
    "/console/queue",
    "/console/sku-audit",
    "/console/appointments",
    "/console/unidentified",
    "/console/receiving",
    "/console/putaway",
    "/console/waves",
    "/console/picking",
    "/console/packing",
    "/console/manifests",
    "/console/returns",
    "/console/counts",
];

async fn check(c: &Console<'_>, path: &str) {
    let r = c.request(reqwest::Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
    for directive in csp.split(';') {
        let sources = directive.split_whitespace().skip(1);
        for s in sources {
            assert!(
                ["'self'", "'none'", "data:", "blob:", "mediastream:"].contains(&s),
                "{path}: {directive} allows {s}, outside the console"
            );
        }
    }
    let body = r.text().await.unwrap().to_ascii_lowercase();
    for outside in ["src=\"http", "src=\"//", "href=\"http", "href=\"//", "url(http", "url(//", "@import"] {
        assert!(!body.contains(outside), "{path} loads from outside: {outside}");
    }
}

#[each_backend]
async fn no_console_page_loads_anything_from_outside(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let seller = login(base, "acme-owner", PW).await;
    for path in SELLER {
        check(&Console { base, who: &seller }, path).await;
    }
    let staff = login(base, "uksup", PW).await;
    for path in STAFF {
        check(&Console { base, who: &staff }, path).await;
    }
}
