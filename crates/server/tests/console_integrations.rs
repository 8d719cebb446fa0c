//! The seller's Integrations page beyond API keys, driven over a real socket against the real
//! server on both backends, as a browser posts its forms:
//! - webhooks: an owner registers an endpoint (a private address refused, the signing secret
//!   shown once), sends it a test that a real receiver gets signed (a double-posted test queues
//!   one), replays a delivered message and a failed one (a replay posted twice queues one
//!   attempt, under the same `webhook-id`), switches it off and on, and deletes it;
//! - OC ERP apps: an owner revokes one app's access, after which that app's access and refresh
//!   tokens for this seller are refused on the OC door, while another seller's grant to the same
//!   app keeps working.
//!
//! The seller's staff reads both but is refused every write; another seller sees and touches
//! neither; and nothing a refused post sent changed anything. The new words read in both
//! languages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use api_common::{login, seed_people, Console, Login, PW};
use axum::{
    http::{HeaderMap, StatusCode, Uri},
    response::IntoResponse,
    routing::post,
    Router,
};
use common::{admin_ok, create_acme_erp_app, Server};
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

/// One message a receiver got.
#[derive(Clone, Debug)]
struct Got {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A webhook receiver on a real loopback socket: it keeps every message, answers `/down` with
/// 500 and anything else with 200, after a pause while `hold` is set.
async fn receiver() -> (Arc<Mutex<Vec<Got>>>, Arc<AtomicBool>, u16) {
    let got: Arc<Mutex<Vec<Got>>> = Arc::default();
    let hold = Arc::new(AtomicBool::new(false));
    let (seen, held) = (got.clone(), hold.clone());
    let app = Router::new().fallback(post(move |uri: Uri, headers: HeaderMap, body: String| {
        let (seen, held) = (seen.clone(), held.clone());
        async move {
            if held.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(1500)).await;
            }
            let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            seen.lock().unwrap().push(Got {
                path: uri.path().to_owned(),
                id: h("webhook-id"),
                timestamp: h("webhook-timestamp"),
                signature: h("webhook-signature"),
                body,
            });
            if uri.path() == "/down" {
                (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
            } else {
                (StatusCode::OK, "ok").into_response()
            }
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, hold, port)
}

/// What a receiver got at `path`.
fn sent_to(got: &Arc<Mutex<Vec<Got>>>, path: &str) -> Vec<Got> {
    got.lock().unwrap().iter().filter(|g| g.path == path).cloned().collect()
}

/// The number after `prefix` in `page` (`id="hook-12"` → 12), first occurrence after `after`.
fn number_after(page: &str, after: &str, prefix: &str) -> i64 {
    let from = page.find(after).unwrap_or_else(|| panic!("{after} not in {page}"));
    let rest = &page[from..];
    let at = rest.find(prefix).unwrap_or_else(|| panic!("{prefix} not in {rest}")) + prefix.len();
    rest[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// The row `id="{row}"` of a page, to its `</tr>`.
fn row<'a>(page: &'a str, id: &str) -> &'a str {
    let from = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id} not in {page}"));
    let rest = &page[from..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// The value of the hidden input `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name}")) + name.len() + 15;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// The page of `path` in Simplified Chinese.
async fn in_chinese(c: &Console<'_>, path: &str) -> String {
    let r = c.request(reqwest::Method::GET, path).header("accept-language", "zh-CN").send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// Polls an endpoint's log until `done` holds for it (10 s at most).
async fn log_until(c: &Console<'_>, hook: i64, what: &str, done: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        let (status, page) = c.get(&format!("/console/integrations/webhooks/{hook}")).await;
        assert_eq!(status, 200, "{page}");
        if done(&page) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("webhook {hook}: never {what}");
}

/// Checks a message's Standard Webhooks signature with the endpoint's secret.
fn signed(g: &Got, secret: &str) {
    let ts: i64 = g.timestamp.parse().unwrap();
    assert_eq!(g.signature, entrepot_ops::sign(secret, &g.id, ts, g.body.as_bytes()), "{g:?}");
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_manages_webhooks_that_really_deliver(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    let dir = tempfile::tempdir().unwrap();
    let (got, hold, port) = receiver().await;
    // Loopback allowed (the receiver is on it), one quick retry; private networks still refused.
    let env = [("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8,::1"), ("ENTREPOT_WEBHOOK_RETRY_MS", "50")];
    let server = Server::start_with(dir.path(), url, false, &env);
    let base = server.base.as_str();
    let (owner_l, clerk_l, beta_l) =
        (login(base, "acme-owner", PW).await, login(base, "acme-clerk", PW).await, login(base, "beta-owner", PW).await);
    let owner = Console { base, who: &owner_l };

    // Refused registrations: an address in a private network, a subscription Bird does not have.
    let (status, page) = owner.get("/console/integrations").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"new-hook-form\"") && page.contains("PRODUCT.UPDATE_LIVE_STOCK"), "{page}");
    for (u, topic, says) in [
        ("http://10.0.0.7/hook", "PRODUCT.CREATE", "private"),
        ("ftp://93.184.215.14/hook", "PRODUCT.CREATE", "http"),
        (&format!("http://127.0.0.1:{port}/ok"), "PRODUCT.NOPE", "NOPE"),
    ] {
        let p = owner.submit("/console/integrations/webhooks", &[("url", u), ("topic", topic)], false).await;
        assert_eq!(p.status, 422, "{u}: {}", p.body);
        let refused = &p.body[p.body.find("id=\"refused\"").unwrap()..];
        assert!(refused[..refused.find("</p>").unwrap()].contains(says), "{u}: {refused}");
        assert!(!p.body.contains("<tr id=\"hook-"), "{u}: nothing registered");
    }

    // Registered: the secret shown once, the endpoint listed as on.
    let ok_url = format!("http://127.0.0.1:{port}/ok");
    let p =
        owner.submit("/console/integrations/webhooks", &[("url", &ok_url), ("topic", "product.create")], false).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let shown = &p.body[p.body.find("id=\"new-secret\"").unwrap()..];
    let at = shown.find("whsec_").unwrap();
    let secret = shown[at..at + shown[at..].find('<').unwrap()].to_owned();
    let hook = number_after(&p.body, "id=\"webhooks\"", "<tr id=\"hook-");
    let listed = row(&p.body, &format!("hook-{hook}"));
    assert!(listed.contains(&ok_url) && listed.contains("PRODUCT.CREATE") && listed.contains(">On<"), "{listed}");
    let (_, again) = owner.get("/console/integrations").await;
    assert!(!again.contains(&secret), "the secret is shown once");
    let p = owner
        .submit(
            "/console/integrations/webhooks",
            &[("url", &format!("http://127.0.0.1:{port}/down")), ("topic", "PRODUCT.UPDATE")],
            false,
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let down = number_after(&p.body, &format!("id=\"hook-{hook}\""), "<tr id=\"hook-");
    assert_ne!(down, hook);

    // The seller's staff reads the endpoints and their logs, and is refused every write; another
    // seller sees none of them and touches none. Nothing was sent or changed.
    let clerk = Console { base, who: &clerk_l };
    let (status, page) = clerk.get("/console/integrations").await;
    assert_eq!(status, 200);
    assert!(page.contains(&ok_url) && !page.contains("/test\"") && !page.contains("id=\"new-hook-form\""), "{page}");
    assert!(page.contains("Only an owner of the account adds"), "{page}");
    let (status, page) = clerk.get(&format!("/console/integrations/webhooks/{hook}")).await;
    assert_eq!(status, 200, "{page}");
    let beta = Console { base, who: &beta_l };
    let (status, page) = beta.get("/console/integrations").await;
    assert_eq!(status, 200);
    assert!(!page.contains(&ok_url) && !page.contains("<tr id=\"hook-"), "{page}");
    let writes = |h: i64| {
        vec![
            (format!("/console/integrations/webhooks/{h}/test"), vec![("nonce", "0123456789abcdef0123")]),
            (format!("/console/integrations/webhooks/{h}/active"), vec![("active", "false")]),
            (format!("/console/integrations/webhooks/{h}/delete"), vec![]),
            (format!("/console/integrations/webhooks/{h}/deliveries/1/replay"), vec![]),
        ]
    };
    let p =
        clerk.submit("/console/integrations/webhooks", &[("url", &ok_url), ("topic", "PRODUCT.CREATE")], false).await;
    assert_eq!(p.status, 403, "{}", p.body);
    for (path, fields) in writes(hook) {
        assert_eq!(clerk.submit(&path, &fields, false).await.status, 403, "clerk {path}");
        assert_eq!(beta.submit(&path, &fields, false).await.status, 404, "beta {path}");
    }
    let (status, _) = beta.get(&format!("/console/integrations/webhooks/{hook}")).await;
    assert_eq!(status, 404);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(got.lock().unwrap().is_empty(), "nothing was sent");
    let (_, page) = owner.get("/console/integrations").await;
    assert!(row(&page, &format!("hook-{hook}")).contains(">On<") && page.contains(&format!("id=\"hook-{down}\"")));
    let (_, log) = owner.get(&format!("/console/integrations/webhooks/{hook}")).await;
    assert!(!log.contains("id=\"delivery-"), "{log}");

    // A test, posted twice with its form's key (a double click): one message, delivered signed,
    // shown in the log as delivered.
    let (_, log) = owner.get(&format!("/console/integrations/webhooks/{hook}")).await;
    let nonce = hidden(&log, "nonce");
    let test = format!("/console/integrations/webhooks/{hook}/test");
    let first = owner.submit(&test, &[("nonce", &nonce)], false).await;
    assert_eq!(
        (first.status, first.location.as_str()),
        (303, format!("/console/integrations/webhooks/{hook}?done=test-queued").as_str())
    );
    let second = owner.submit(&test, &[("nonce", &nonce)], false).await;
    assert!(second.location.ends_with("?done=test-already"), "{}", second.location);
    let log = log_until(&owner, hook, "delivered", |p| p.contains("data-status>Delivered<")).await;
    let delivery = number_after(&log, "class=\"deliveries", "id=\"delivery-");
    let line = row(&log, &format!("delivery-{delivery}"));
    assert!(line.contains("<code>test</code>") && line.contains(">200<"), "{line}");
    assert_eq!(log.matches("id=\"delivery-").count(), 1, "one test queued: {log}");
    let sent = sent_to(&got, "/ok");
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body: Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!((body["resource_type"].as_str(), body["action"].as_str()), (Some("PRODUCT"), Some("TEST")), "{body}");
    assert_eq!(body["data"]["webhook_id"], json!(hook.to_string()));
    signed(&sent[0], &secret);
    let (_, page) = owner.get("/console/integrations").await;
    let listed = row(&page, &format!("hook-{hook}"));
    assert!(listed.contains(" UTC</td>"), "last success shown: {listed}");

    // Replayed twice while the first replay is still in flight (the receiver holds it): one more
    // attempt, the same message under the same webhook-id.
    hold.store(true, Ordering::SeqCst);
    let replay = format!("/console/integrations/webhooks/{hook}/deliveries/{delivery}/replay");
    let first = owner.submit(&replay, &[], false).await;
    assert!(first.location.ends_with("?done=replay-queued"), "{}", first.location);
    let second = owner.submit(&replay, &[], false).await;
    assert!(second.location.ends_with("?done=replay-already"), "{}", second.location);
    hold.store(false, Ordering::SeqCst);
    log_until(&owner, hook, "replayed", |p| {
        let line = row(p, &format!("delivery-{delivery}"));
        line.contains("Delivered") && line.contains("class=\"num\">2<")
    })
    .await;
    let zh = in_chinese(&owner, &format!("/console/integrations/webhooks/{hook}")).await;
    assert!(zh.contains("Webhook 推送记录") && zh.contains("已送达") && zh.contains("重新发送"), "{zh}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = sent_to(&got, "/ok");
    assert_eq!(sent.len(), 2, "one replay sent: {sent:?}");
    assert_eq!((sent[1].id.as_str(), sent[1].body.as_str()), (sent[0].id.as_str(), sent[0].body.as_str()));
    signed(&sent[1], &secret);

    // A failed delivery (the endpoint answers 500, its one retry too) is replayed: one attempt
    // more, failed again; the list shows the failure.
    let (_, log) = owner.get(&format!("/console/integrations/webhooks/{down}")).await;
    let queued = owner
        .submit(&format!("/console/integrations/webhooks/{down}/test"), &[("nonce", &hidden(&log, "nonce"))], false)
        .await;
    assert!(queued.location.ends_with("?done=test-queued"), "{}", queued.location);
    let log = log_until(&owner, down, "failed", |p| p.contains("data-status>Failed<")).await;
    let failed = number_after(&log, "class=\"deliveries", "id=\"delivery-");
    assert!(row(&log, &format!("delivery-{failed}")).contains("class=\"num\">2<") && log.contains(">500<"), "{log}");
    assert_eq!(sent_to(&got, "/down").len(), 2);
    let again =
        owner.submit(&format!("/console/integrations/webhooks/{down}/deliveries/{failed}/replay"), &[], false).await;
    assert!(again.location.ends_with("?done=replay-queued"), "{}", again.location);
    log_until(&owner, down, "failed again", |p| {
        let line = row(p, &format!("delivery-{failed}"));
        line.contains("Failed") && line.contains("class=\"num\">3<")
    })
    .await;
    assert_eq!(sent_to(&got, "/down").len(), 3, "one attempt more");
    let (_, page) = owner.get("/console/integrations").await;
    let listed = row(&page, &format!("hook-{down}"));
    assert!(listed.matches(" UTC</td>").count() == 1 && listed.contains(">On<"), "last failure shown: {listed}");

    // Switched off: listed as off, no test or replay is queued for it; on again.
    let p = owner.submit(&format!("/console/integrations/webhooks/{hook}/active"), &[("active", "false")], false).await;
    assert_eq!(p.location, "/console/integrations?done=hook-switched#webhooks");
    let (_, page) = owner.get("/console/integrations?done=hook-switched").await;
    assert!(row(&page, &format!("hook-{hook}")).contains(">Off<") && page.contains("id=\"done\""), "{page}");
    let p = owner.submit(&test, &[("nonce", "another-key-0123456789")], false).await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("switch it on first"), "{}", p.body);
    assert_eq!(owner.submit(&replay, &[], false).await.status, 422);
    let p = owner.submit(&format!("/console/integrations/webhooks/{hook}/active"), &[("active", "true")], false).await;
    assert_eq!(p.status, 303);
    let (_, page) = owner.get("/console/integrations").await;
    assert!(row(&page, &format!("hook-{hook}")).contains(">On<"));

    // The words of the page in Chinese.
    let zh = in_chinese(&owner, "/console/integrations").await;
    for words in ["Webhook 回调", "最近成功", "发送测试", "已授权的 OC ERP 应用", "添加 Webhook"] {
        assert!(zh.contains(words), "{words}: {zh}");
    }

    // Deleted, with its log.
    let p = owner.submit(&format!("/console/integrations/webhooks/{hook}/delete"), &[], false).await;
    assert_eq!(p.location, "/console/integrations?done=hook-deleted#webhooks");
    let (_, page) = owner.get("/console/integrations").await;
    assert!(!page.contains(&format!("id=\"hook-{hook}\"")) && page.contains(&format!("id=\"hook-{down}\"")));
    let (status, _) = owner.get(&format!("/console/integrations/webhooks/{hook}")).await;
    assert_eq!(status, 404);
    assert_eq!(sent_to(&got, "/ok").len(), 2, "nothing more was sent");
}

/// Whether an OC call with the client's access token is refused for it: OC's error item code
/// (`1A0004`: revoked), `None` when the token was accepted.
async fn token_refusal(oc: &OcClient) -> Option<String> {
    let reply = oc
        .call_envelope("/openapi/3pp/sku/v3/query", json!({"mfskulist": [{"mfskuid": "OC0000000000001"}]}))
        .await
        .unwrap();
    reply["errors"][0]["code"].as_str().filter(|c| c.starts_with("1A")).map(str::to_owned)
}

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_revokes_an_erp_apps_access_to_its_account_alone(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    // A 3PP ERP two sellers authorise, and Acme's own ERP.
    let shared = admin_ok(
        url,
        &[
            "erp-app",
            "create",
            "--client",
            "Acme",
            "--name",
            "Shared ERP",
            "--kind",
            "3PP_ERP",
            "--environment",
            "production",
            "--redirect-uri",
            CALLBACK,
        ],
    );
    let own = create_acme_erp_app(url, CALLBACK);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let oc =
        |app: &Value| OcClient::new(base, app["client_key"].as_str().unwrap(), app["secret_key"].as_str().unwrap());
    let (acme_shared, beta_shared, acme_own) = (oc(&shared), oc(&shared), oc(&own));
    for (client, user) in [(&acme_shared, "acme-owner"), (&beta_shared, "beta-owner"), (&acme_own, "acme-owner")] {
        let code = client.login_for_code(CALLBACK, "s1", user, PW).await.unwrap();
        client.exchange_code(&code, CALLBACK).await.unwrap();
        assert_eq!(token_refusal(client).await, None, "{user}: the token works");
    }
    let (owner_l, clerk_l, beta_l): (Login, Login, Login) =
        (login(base, "acme-owner", PW).await, login(base, "acme-clerk", PW).await, login(base, "beta-owner", PW).await);
    let (owner, clerk, beta) =
        (Console { base, who: &owner_l }, Console { base, who: &clerk_l }, Console { base, who: &beta_l });

    // Each seller lists its own grants; the staff reads them without a revoke button.
    let (_, page) = owner.get("/console/integrations").await;
    let apps = &page[page.find("id=\"apps\"").unwrap()..page.find("id=\"connect\"").unwrap()];
    assert!(apps.contains("Shared ERP") && apps.contains("Acme ERP") && apps.contains("PRODUCTION"), "{apps}");
    let shared_id = {
        let at = apps.find("Shared ERP").unwrap();
        let start = apps[..at].rfind("id=\"app-").unwrap() + 8;
        apps[start..start + apps[start..].find('"').unwrap()].to_owned()
    };
    let own_id = {
        let at = apps.find("Acme ERP").unwrap();
        let start = apps[..at].rfind("id=\"app-").unwrap() + 8;
        apps[start..start + apps[start..].find('"').unwrap()].to_owned()
    };
    assert!(row(apps, &format!("app-{shared_id}")).contains(" UTC"), "{apps}");
    let (_, page) = clerk.get("/console/integrations").await;
    let apps = &page[page.find("id=\"apps\"").unwrap()..page.find("id=\"connect\"").unwrap()];
    assert!(apps.contains("Shared ERP") && !apps.contains("/revoke"), "{apps}");
    let (_, page) = beta.get("/console/integrations").await;
    let apps = &page[page.find("id=\"apps\"").unwrap()..page.find("id=\"connect\"").unwrap()];
    assert!(apps.contains("Shared ERP") && !apps.contains("Acme ERP"), "{apps}");
    let zh = in_chinese(&owner, "/console/integrations").await;
    assert!(zh.contains("撤销访问权限") && zh.contains("最近获取令牌"), "{zh}");

    // The staff may not revoke; another seller has no grant to Acme's own app to revoke.
    let p = clerk.submit(&format!("/console/integrations/apps/{shared_id}/revoke"), &[], false).await;
    assert_eq!(p.status, 403, "{}", p.body);
    let p = beta.submit(&format!("/console/integrations/apps/{own_id}/revoke"), &[], false).await;
    assert_eq!(p.status, 404, "{}", p.body);
    for client in [&acme_shared, &beta_shared, &acme_own] {
        assert_eq!(token_refusal(client).await, None, "nothing was revoked");
    }

    // The owner revokes the shared app: its tokens for Acme stop at once (access and refresh), as
    // does a code it was given and has not exchanged yet; Beta's grant to it and Acme's other
    // app keep working.
    let unexchanged = acme_shared.login_for_code(CALLBACK, "s1b", "acme-owner", PW).await.unwrap();
    let p = owner.submit(&format!("/console/integrations/apps/{shared_id}/revoke"), &[], false).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/console/integrations?done=app-revoked#apps"));
    assert_eq!(token_refusal(&acme_shared).await.as_deref(), Some("1A0004"));
    assert!(acme_shared.refresh().await.is_err(), "the refresh token is revoked too");
    assert!(acme_shared.exchange_code(&unexchanged, CALLBACK).await.is_err(), "the code is spent");
    assert_eq!(token_refusal(&beta_shared).await, None, "another seller's grant stays");
    beta_shared.refresh().await.unwrap();
    assert_eq!(token_refusal(&beta_shared).await, None);
    assert_eq!(token_refusal(&acme_own).await, None, "Acme's other app stays");
    let (_, page) = owner.get("/console/integrations?done=app-revoked").await;
    let apps = &page[page.find("id=\"apps\"").unwrap()..page.find("id=\"connect\"").unwrap()];
    assert!(!apps.contains("Shared ERP") && apps.contains("Acme ERP") && page.contains("id=\"done\""), "{apps}");
    let (_, page) = beta.get("/console/integrations").await;
    assert!(page.contains("Shared ERP"));
    // Revoked already: nothing left to revoke.
    assert_eq!(owner.submit(&format!("/console/integrations/apps/{shared_id}/revoke"), &[], false).await.status, 404);

    // Authorising again gives the app access anew.
    let code = acme_shared.login_for_code(CALLBACK, "s2", "acme-owner", PW).await.unwrap();
    acme_shared.exchange_code(&code, CALLBACK).await.unwrap();
    assert_eq!(token_refusal(&acme_shared).await, None);
}

/// The table row of the report line `label` on the integrations page.
fn report_line<'p>(page: &'p str, label: &str) -> &'p str {
    let at = page.find(&format!("<td class=\"lead\">{label}</td>")).unwrap_or_else(|| panic!("no line {label}"));
    let start = page[..at].rfind("<tr").unwrap();
    &page[start..at + page[at..].find("</tr>").unwrap()]
}

#[each_backend]
async fn the_sandbox_report_a_test_key_and_a_reset(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (owner_l, clerk_l) = (login(base, "acme-owner", PW).await, login(base, "acme-clerk", PW).await);
    let (owner, clerk) = (Console { base, who: &owner_l }, Console { base, who: &clerk_l });

    // The Bird test key's report, nothing called yet.
    let (status, page) = owner.get("/console/integrations").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"sandbox\"") && page.contains("Bird test key"), "{page}");
    assert!(report_line(&page, "Read consignments back").contains("<td data-label=\"Successful calls\">0</td>"));
    // An owner makes a test key (shown once); the seller's staff may not, nor a live key.
    let p = clerk.submit("/console/integrations/sandbox/keys", &[("label", "erp test")], false).await;
    assert_eq!(p.status, 403, "{}", p.body);
    let p = clerk.submit("/console/integrations/keys", &[("label", "erp live")], false).await;
    assert_eq!(p.status, 403, "{}", p.body);
    let p = owner.submit("/console/integrations/sandbox/keys", &[("label", "erp test")], false).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let shown = &p.body[p.body.find("id=\"new-key\"").unwrap()..];
    let open = "<code class=\"secret\">";
    let at = shown.find(open).unwrap() + open.len();
    let key = shown[at..at + shown[at..].find('<').unwrap()].to_owned();
    // The key works on Bird, on the sandbox: none of Acme's live products or consignments.
    let bird = common::BirdErp { base: base.to_owned(), key, company_id: "1".into() };
    let listed = bird.get("/client/Consignment").await;
    assert_eq!(listed["total"], 0, "{backend:?}: {listed}");
    let products = bird.get("/client/Product").await;
    let live = admin_ok(url, &["sku", "list", "--client", "Acme"]);
    let live_ids: Vec<String> = live.as_array().unwrap().iter().map(|s| s["id"].to_string()).collect();
    assert!(
        products["data"].as_array().unwrap().iter().all(|p| !live_ids.contains(&p["id"].as_str().unwrap().to_owned())),
        "{backend:?}: {products}"
    );
    let (_, page) = clerk.get("/console/integrations").await;
    assert!(
        report_line(&page, "Read consignments back").contains("<td data-label=\"Successful calls\">1</td>"),
        "{page}"
    );
    assert!(!page.contains("id=\"sandbox-reset-form\""), "only an owner resets");
    // The reset: refused to staff; an owner's says so.
    let p = clerk.submit("/console/integrations/sandbox/reset", &[], false).await;
    assert_eq!(p.status, 403, "{}", p.body);
    let p = owner.submit("/console/integrations/sandbox/reset", &[], false).await;
    assert_eq!(
        (p.status, p.location.as_str()),
        (303, "/console/integrations?done=sandbox-reset#sandbox"),
        "{}",
        p.body
    );
    let (_, page) = owner.get("/console/integrations?done=sandbox-reset").await;
    assert!(page.contains("The sandbox was started again."), "{page}");
    let zh = in_chinese(&owner, "/console/integrations").await;
    assert!(zh.contains("沙箱") && zh.contains("查询订单"), "{zh}");
    common::assert_check(url);
}
