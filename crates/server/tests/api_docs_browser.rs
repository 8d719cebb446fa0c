//! The API reference page in a real browser: headless Chromium loads `/api/docs` under its
//! Content-Security-Policy, runs the vendored Redoc from Entrepot's own assets, and renders the
//! title and tags of `/api/v1/openapi.json` (only the document holds them, so seeing them
//! proves the page rendered it).
//!
//! Needs `chromium` (a Debian package; `./scripts/test` installs it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};

#[each_backend]
async fn the_reference_page_renders_the_document(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let url = format!("{}/api/docs", server.base);
    let profile = tempfile::tempdir().unwrap();
    let dom = tokio::task::spawn_blocking(move || {
        Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=15000"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--dump-dom", &url])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let html = String::from_utf8_lossy(&dom.stdout);
    // The document's title and its tags, which only the document holds (the page's own title
    // is "Entrepot API reference").
    for text in ["data-text=\"Entrepot native API\"", "href=\"#/access\"", "href=\"#/stock\""] {
        assert!(html.contains(text), "{text} not rendered:\n{}", &html[..html.len().min(3000)]);
    }
}
