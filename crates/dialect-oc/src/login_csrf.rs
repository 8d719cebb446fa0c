//! Login CSRF defence for `/oauth/authorize` (a page on another site must not be able to sign a
//! victim's browser in, to the attacker's account or any other).
//!
//! A signed double submit, with no session table: the first page a browser gets sets a random
//! cookie (`HttpOnly`, `SameSite=Lax`, path `/oauth/authorize`); each rendered form carries a
//! token, `<expiry ms>.<HMAC-SHA256>` over that cookie, the authorize parameters (`client_id`,
//! `redirect_uri`, `state`) and the expiry, under a key kept once per database
//! (`Store::login_form_secret`), so any process sharing the database checks a form another one
//! rendered. A POST is refused unless the cookie is there and the token matches it and the
//! parameters and has not expired: another site can neither read the token from our page nor
//! set our cookie. A POST whose `Origin` names another host is refused as well.

use axum::http::{header, HeaderMap};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The cookie holding the browser's random nonce.
pub const COOKIE: &str = "entrepot_login";
/// The form field holding the token.
pub const FIELD: &str = "csrf_token";
/// How long a rendered form can be submitted.
pub const TTL_MS: i64 = 60 * 60_000;

/// What a token is bound to besides the browser: the authorize request it was rendered for.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub state: &'a str,
}

/// The nonce in the request's cookie, if it has a well-formed one.
pub fn nonce(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A fresh nonce and the `Set-Cookie` value that hands it to the browser (no `Secure`: the server
/// may be reached over plain HTTP behind a proxy; the cookie is no secret on its own).
pub fn new_cookie() -> (String, String) {
    let nonce = format!("{:032x}", rand::random::<u128>());
    let cookie = format!("{COOKIE}={nonce}; Path=/oauth/authorize; HttpOnly; SameSite=Lax; Max-Age=86400");
    (nonce, cookie)
}

fn mac(secret: &[u8; 32], nonce: &str, b: &Binding<'_>, expires_ms: i64) -> Option<Hmac<Sha256>> {
    // HMAC takes keys of any length: this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).ok()?;
    for part in [
        b"entrepot-login-v1".as_slice(),
        nonce.as_bytes(),
        b.client_id.as_bytes(),
        b.redirect_uri.as_bytes(),
        b.state.as_bytes(),
    ] {
        // Length-prefixed, so no two bindings give the same bytes.
        m.update(&(part.len() as u64).to_be_bytes());
        m.update(part);
    }
    m.update(&expires_ms.to_be_bytes());
    Some(m)
}

/// The token for a form rendered at `now_ms`.
pub fn token(secret: &[u8; 32], nonce: &str, b: &Binding<'_>, now_ms: i64) -> String {
    let expires = now_ms.saturating_add(TTL_MS);
    let tag = mac(secret, nonce, b, expires).map(|m| m.finalize().into_bytes().to_vec()).unwrap_or_default();
    let hex: String = tag.iter().map(|x| format!("{x:02x}")).collect();
    format!("{expires}.{hex}")
}

/// Whether `token` was rendered for this browser and request and is still fresh (constant-time).
pub fn valid(secret: &[u8; 32], nonce: &str, b: &Binding<'_>, token: &str, now_ms: i64) -> bool {
    let Some((expires, hex)) = token.split_once('.') else { return false };
    let Ok(expires) = expires.parse::<i64>() else { return false };
    if now_ms >= expires || expires > now_ms.saturating_add(TTL_MS) || hex.len() != 64 || !hex.is_ascii() {
        return false;
    }
    let mut tag = [0u8; 32];
    for (k, byte) in tag.iter_mut().enumerate() {
        match u8::from_str_radix(&hex[2 * k..2 * k + 2], 16) {
            Ok(v) => *byte = v,
            Err(_) => return false,
        }
    }
    mac(secret, nonce, b, expires).is_some_and(|m| m.verify_slice(&tag).is_ok())
}

/// False when the request says it comes from a page of another origin: an `Origin` naming
/// another host than `Host` (or `X-Forwarded-Host`, which a reverse proxy that rewrites `Host`
/// sets; a page on another site cannot set either header in its visitor's browser), or the
/// opaque `null`. Browsers send `Origin` with every form POST; clients that send none are judged
/// by the token alone.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Some(origin) = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, host)| host) else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    let hosts = [header::HOST.as_str(), "x-forwarded-host"];
    hosts
        .iter()
        .flat_map(|name| headers.get_all(*name).iter())
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|host| !host.trim().is_empty() && origin.eq_ignore_ascii_case(host.trim()))
}

#[cfg(test)]
mod tests {
    use axum::http::{header, HeaderMap, HeaderValue};

    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const B: Binding<'static> = Binding { client_id: "ck", redirect_uri: "https://erp/cb", state: "s1" };

    #[test]
    fn a_token_is_bound_to_browser_request_and_time() {
        let n = "0123456789abcdef0123456789abcdef";
        let t = token(&KEY, n, &B, 1_000);
        assert!(valid(&KEY, n, &B, &t, 1_001));
        assert!(valid(&KEY, n, &B, &t, 1_000 + TTL_MS - 1));
        assert!(!valid(&KEY, n, &B, &t, 1_000 + TTL_MS), "expired");
        assert!(!valid(&KEY, "fedcba9876543210fedcba9876543210", &B, &t, 1_001), "another browser");
        assert!(!valid(&[8; 32], n, &B, &t, 1_001), "another key");
        for other in [
            Binding { client_id: "ck2", ..B },
            Binding { redirect_uri: "https://erp/cb/x", ..B },
            Binding { state: "s2", ..B },
            Binding { client_id: "c", redirect_uri: "khttps://erp/cb", ..B },
        ] {
            assert!(!valid(&KEY, n, &other, &t, 1_001), "{other:?}");
        }
        let (expires, hex) = t.split_once('.').unwrap_or_default();
        let later = format!("{}.{hex}", expires.parse::<i64>().unwrap_or_default() + 1);
        assert!(!valid(&KEY, n, &B, &later, 1_001), "expiry is signed");
        for junk in ["", ".", "1.", "x.y", "99999999999999999999.00", &format!("{expires}.{}", "é".repeat(32))] {
            assert!(!valid(&KEY, n, &B, junk, 1_001), "{junk}");
        }
    }

    #[test]
    fn the_cookie_is_read_back_and_origins_compared() {
        let (n, cookie) = new_cookie();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={n}; c=d")).unwrap_or(HeaderValue::from_static("")),
        );
        assert_eq!(nonce(&h), Some(n));
        h.insert(header::COOKIE, HeaderValue::from_static("entrepot_login=short"));
        assert_eq!(nonce(&h), None);

        let mut h = HeaderMap::new();
        assert!(same_origin(&h));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
        // Behind a proxy that rewrites Host.
        h.insert(header::ORIGIN, HeaderValue::from_static("https://wms.example.com"));
        assert!(!same_origin(&h));
        h.insert("x-forwarded-host", HeaderValue::from_static("wms.example.com"));
        assert!(same_origin(&h));
    }
}
