//! OC's authorization-code flow over a real socket (spec §2): login page, redirect with code and
//! state, code exchange (double-encoded, single use, bound to app and redirect URI), refresh, and
//! RFC 6749 error bodies; on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine;
use common::{ok, App, Seller, PASSWORD};
use entrepot_dialect_oc::signature::sign;
use entrepot_testkit::{each_backend, Backend};
use serde_json::Value;

const CALLBACK: &str = "https://erp.example.com/oc/callback";
const SERVICE: &str = "/openapi/3pp/base/v1/service";

fn authorize_query(client_key: &str) -> String {
    format!("response_type=code&client_id={client_key}&redirect_uri={CALLBACK}&state=erp-user-42")
}

/// Logs in on the authorize page and returns the code from the redirect, as it sits in the
/// `Location` header (percent-encoded once).
async fn login(app: &App, client_key: &str, username: &str, password: &str) -> reqwest::Response {
    app.sign_in(&authorize_query(client_key), username, password).await
}

fn code_in(location: &str) -> String {
    let q = location.split_once('?').unwrap().1;
    q.split('&').find_map(|kv| kv.strip_prefix("code=")).unwrap().to_owned()
}

async fn token(app: &App, query: &str, auth: Option<String>) -> (u16, Value) {
    let mut r = app.http.post(format!("{}/oauth/token?{query}", app.base));
    if let Some(a) = auth {
        r = r.header("Authorization", a);
    }
    let resp = r.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

async fn service_call(app: &App, s: &Seller, access_token: &str) -> Value {
    let body = r#"{"data":{}}"#;
    let sig = sign(SERVICE, body.as_bytes(), &s.client_key, &s.secret_key);
    app.send(
        SERVICE,
        body,
        &[("Access-Token", &format!("Bearer {access_token}")), ("clientKey", &s.client_key), ("vAuthorization", &sig)],
    )
    .await
}

#[each_backend]
async fn an_erp_authorizes_exchanges_and_refreshes(b: Backend) {
    let app = App::start(b).await;
    let s = &app.seller;

    // The login page is a real form posting back with the original query.
    let page =
        app.http.get(format!("{}/oauth/authorize?{}", app.base, authorize_query(&s.client_key))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"<form method="post" action="/oauth/authorize?response_type=code&amp;client_id="#),
        "{html}"
    );
    assert!(html.contains(r#"name="username""#) && html.contains(r#"name="password""#));
    assert!(html.contains("Seller ERP"));

    // A wrong password re-renders the form with an error.
    let wrong = login(&app, &s.client_key, &s.username, "not the password").await;
    assert_eq!(wrong.status(), 200);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Incorrect username or password") && html.contains(r#"name="password""#));

    // The right one redirects to the ERP with a code and the state.
    let ok_login = login(&app, &s.client_key, &s.username, PASSWORD).await;
    assert_eq!(ok_login.status(), 302);
    let location = ok_login.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("{CALLBACK}?code=")), "{location}");
    assert!(location.ends_with("&state=erp-user-42"), "{location}");
    let code = code_in(&location);

    // Pasted in encoded once more (%2B → %252B), as OC's own examples do; no client auth.
    let double = code.replace('%', "%25");
    let (status, t) = token(
        &app,
        &format!("grant_type=authorization_code&code={double}&redirect_uri={CALLBACK}&client_id={}", s.client_key),
        None,
    )
    .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 3600);
    let access = t["access_token"].as_str().unwrap().to_owned();
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    ok(service_call(&app, s, &access).await);

    // Single use.
    let (status, e) =
        token(&app, &format!("grant_type=authorization_code&code={code}&client_id={}", s.client_key), None).await;
    assert_eq!(status, 400);
    assert_eq!(e["error"], "invalid_grant");
    assert!(e["error_description"].as_str().unwrap().contains("already been used"), "{e}");

    // Refresh with OC's `Bearer b64(id:secret)` header: a new access token that works.
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", s.client_key, s.secret_key));
    let (status, r) = token(
        &app,
        &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={}", s.client_key),
        Some(format!("Bearer {b64}")),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["expires_in"], 3600);
    let fresh = r["access_token"].as_str().unwrap();
    assert_ne!(fresh, access);
    ok(service_call(&app, s, fresh).await);

    // Parameters in a form body and Basic auth work too.
    let resp = app
        .http
        .post(format!("{}/oauth/token", app.base))
        .basic_auth(&s.client_key, Some(&s.secret_key))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // A wrong secret is invalid_client, 401.
    let (status, e) = token(
        &app,
        &format!("grant_type=refresh_token&refresh_token={refresh}"),
        Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{}:nope", s.client_key)))),
    )
    .await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")), "{e}");

    // Another app cannot use this seller's refresh token.
    let (status, e) = token(
        &app,
        &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={}", app.other.client_key),
        None,
    )
    .await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")), "{e}");

    let (status, e) = token(&app, &format!("grant_type=password&client_id={}", s.client_key), None).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("unsupported_grant_type")), "{e}");

    // Revoking the app revokes the refresh token and every access token.
    app.store.revoke_erp_app(&s.client_key).await.unwrap();
    let (status, e) =
        token(&app, &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={}", s.client_key), None)
            .await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")), "{e}");
    let v = service_call(&app, s, fresh).await;
    assert_eq!(v["success"], false);
}

#[each_backend]
async fn codes_are_bound_to_their_app_and_redirect_uri_and_expire(b: Backend) {
    let app = App::start(b).await;
    let s = &app.seller;
    let code_of = |r: reqwest::Response| code_in(r.headers()["location"].to_str().unwrap());

    let code = code_of(login(&app, &s.client_key, &s.username, PASSWORD).await);
    let (status, e) =
        token(&app, &format!("grant_type=authorization_code&code={code}&client_id={}", app.other.client_key), None)
            .await;
    assert_eq!(status, 400);
    assert!(e["error_description"].as_str().unwrap().contains("another client"), "{e}");

    let code = code_of(login(&app, &s.client_key, &s.username, PASSWORD).await);
    let (status, e) = token(
        &app,
        &format!(
            "grant_type=authorization_code&code={code}&client_id={}&redirect_uri=https://erp.example.com/elsewhere",
            s.client_key
        ),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(e["error_description"].as_str().unwrap().contains("Redirect URI mismatch"), "{e}");

    let code = code_of(login(&app, &s.client_key, &s.username, PASSWORD).await);
    app.store.execute_raw("UPDATE oauth_codes SET expires_at = 1").await.unwrap();
    let (status, e) =
        token(&app, &format!("grant_type=authorization_code&code={code}&client_id={}", s.client_key), None).await;
    assert_eq!(status, 400);
    assert!(e["error_description"].as_str().unwrap().contains("expired"), "{e}");

    let (status, e) =
        token(&app, &format!("grant_type=authorization_code&code=forged&client_id={}", s.client_key), None).await;
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
    let (status, e) = token(&app, "grant_type=authorization_code&code=x", None).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
}

#[each_backend]
async fn the_authorize_page_refuses_unknown_apps_foreign_redirects_and_other_sellers(b: Backend) {
    let app = App::start(b).await;
    let s = &app.seller;
    let get = |q: String| {
        let http = app.http.clone();
        let url = format!("{}/oauth/authorize?{q}", app.base);
        async move { http.get(url).send().await.unwrap() }
    };
    let r = get("response_type=code&client_id=unknown&redirect_uri=https://x/".into()).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Unknown client_id"));

    // No open redirector: an unregistered redirect URI is an error page, not a redirect.
    let r = get(format!("response_type=code&client_id={}&redirect_uri=https://evil.example/cb&state=1", s.client_key))
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is not registered"));
    let r = app
        .http
        .post(format!(
            "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri=https://evil.example/cb",
            app.base, s.client_key
        ))
        .form(&[("username", s.username.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let r = get(format!("response_type=token&client_id={}", s.client_key)).await;
    assert_eq!(r.status(), 400);

    // A seller's own ERP app cannot be authorized by another seller's account.
    let r = login(&app, &s.client_key, &app.other.username, PASSWORD).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("registered to another seller"));
}
