//! A person's console language follows them: chosen on one browser (with the page's CSRF token),
//! it is the language of their pages on a fresh login from any other browser, whatever that
//! browser asks for, and a login on the console's form hands it to that browser's cookie; a choice posted without the page's token changes only the browser's cookie,
//! and other people keep their browser's language. Real server, real socket, both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{login, seed_people, Console, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};

/// The `<html lang>` of `path` as a browser asking for English, holding no language cookie.
async fn page_lang(c: &Console<'_>, path: &str) -> String {
    let r = c.request(reqwest::Method::GET, path).header("accept-language", "en-GB,en;q=0.9").send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let body = r.text().await.unwrap();
    let at = body.find("<html lang=\"").unwrap_or_else(|| panic!("{body}")) + "<html lang=\"".len();
    body[at..at + body[at..].find('"').unwrap()].to_owned()
}

#[each_backend]
async fn a_chosen_language_follows_the_person(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();

    let office = login(base, "acme-owner", PW).await;
    let desk = Console { base, who: &office };
    assert_eq!(page_lang(&desk, "/console/dashboard").await, "en");

    // Chosen on the office browser, from a signed-in page (which sends its CSRF token).
    let p = desk.submit("/console/language", &[("lang", "zh-CN"), ("back", "/console/dashboard")], false).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/console/dashboard"), "{}", p.body);

    // A handheld logs in fresh, asking for English: the pages are in the person's language.
    let handheld = login(base, "acme-owner", PW).await;
    let hand = Console { base, who: &handheld };
    assert_eq!(page_lang(&hand, "/console/dashboard").await, "zh-CN");
    assert_eq!(page_lang(&desk, "/console/stock").await, "zh-CN");
    // Logging in on the console's own form also tells that browser, for its login page.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirects
        .post(format!("{base}/console/login"))
        .form(&[("username", "acme-owner"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cookies: Vec<&str> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("entrepot_lang=zh-CN;")), "{cookies:?}");

    // Without the page's token the person's choice stays (only a cookie would be set).
    let forged = hand
        .request(reqwest::Method::POST, "/console/language")
        .form(&[("lang", "en"), ("csrf", "not-the-token"), ("back", "/console")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let bare = hand.request(reqwest::Method::POST, "/console/language").form(&[("lang", "en")]).send().await.unwrap();
    assert_eq!(bare.status(), 303);
    assert_eq!(page_lang(&Console { base, who: &login(base, "acme-owner", PW).await }, "/console/skus").await, "zh-CN");

    // Someone else keeps their browser's language.
    let staff = login(base, "uk", PW).await;
    assert_eq!(page_lang(&Console { base, who: &staff }, "/console/board").await, "en");

    // Chosen back to English, from the handheld this time.
    let p = hand.submit("/console/language", &[("lang", "en"), ("back", "/console/dashboard")], false).await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(page_lang(&desk, "/console/dashboard").await, "en");
}
