//! Whether an authorize request's `redirect_uri` may receive a code: the registered URI, or a path
//! under it, compared after RFC 3986 normalisation (scheme and host case, default ports, escapes of
//! unreserved characters). Anything a server or browser could resolve to somewhere else is
//! refused rather than normalised: dot segments in any spelling (`/../`, `%2e%2e`, `%2f..%2f`,
//! `..%2f`, `..;`, escaped twice), backslashes, userinfo (`@`), fragments, spaces and control
//! or non-ASCII characters. A code must only ever travel to the place the operator registered.

/// Longest `redirect_uri` considered (browsers and proxies cut URLs near 2 KB anyway).
pub const MAX_REDIRECT_URI: usize = 2048;

/// Whether `requested` may receive codes for an app registered with `registered`.
pub fn redirect_allowed(registered: &str, requested: &str) -> bool {
    let (Some(reg), Some(req)) = (Parsed::of(registered), Parsed::of(requested)) else { return false };
    if (reg.scheme, &reg.host, reg.port) != (req.scheme, &req.host, req.port) {
        return false;
    }
    let base = reg.path.trim_end_matches('/');
    let path_ok = req.path == reg.path
        || req.path.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let query_ok = match (reg.query, req.query) {
        (None, _) => true,
        (Some(r), Some(q)) => q == r || q.strip_prefix(r).is_some_and(|rest| rest.starts_with('&')),
        (Some(_), None) => false,
    };
    path_ok && query_ok
}

/// A URI in normal form, or nothing when it has anything this check refuses.
#[derive(Debug, PartialEq, Eq)]
struct Parsed<'a> {
    scheme: &'static str,
    host: String,
    port: u16,
    /// Normalised: escapes of unreserved characters decoded, the others in upper case.
    path: String,
    query: Option<&'a str>,
}

impl<'a> Parsed<'a> {
    fn of(uri: &'a str) -> Option<Self> {
        // Visible ASCII only: no spaces, controls, DEL or raw non-ASCII; no backslash (browsers
        // read it as `/`); no fragment (RFC 6749 §3.1.2).
        if uri.len() > MAX_REDIRECT_URI || !uri.bytes().all(|b| b.is_ascii_graphic() && b != b'\\' && b != b'#') {
            return None;
        }
        let (scheme, rest) = uri.split_once("://")?;
        let (scheme, default_port) = if scheme.eq_ignore_ascii_case("https") {
            ("https", 443)
        } else if scheme.eq_ignore_ascii_case("http") {
            ("http", 80)
        } else {
            return None;
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(end);
        let (host, port) = host_port(authority, default_port)?;
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        if !safe_path(path) {
            return None;
        }
        Some(Parsed { scheme, host, port, path: normalise_escapes(path)?, query })
    }
}

/// Host (lower case) and port of an authority without userinfo.
fn host_port(authority: &str, default_port: u16) -> Option<(String, u16)> {
    if authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return None;
        }
        (format!("[{}]", inside.to_ascii_lowercase()), after.strip_prefix(':').or(after.is_empty().then_some(""))?)
    } else {
        let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
        let labels_ok =
            host.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !labels_ok {
            return None;
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        "" => default_port,
        p if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok().filter(|p| *p != 0)?,
        _ => return None,
    };
    Some((host, port))
}

/// No dot segment, backslash or control character in the path however many times it is
/// percent-decoded (servers and frameworks differ in how often they decode), and no malformed
/// escape.
fn safe_path(path: &str) -> bool {
    let mut text = path.as_bytes().to_vec();
    for _ in 0..4 {
        let dotted = text.split(|b| *b == b'/').any(|seg| {
            // `..;x` is `..` to servlet containers; `..%00` to some C code.
            let seg = seg.split(|b| *b == b';' || *b == 0).next().unwrap_or_default();
            seg == b"." || seg == b".."
        });
        if dotted || text.iter().any(|b| *b == b'\\' || b.is_ascii_control()) {
            return false;
        }
        match percent_decode(&text) {
            Some(decoded) if decoded == text => return true,
            Some(decoded) => text = decoded,
            None => return false,
        }
    }
    // Still decoding after four rounds: nobody legitimate encodes that deep.
    false
}

/// One round of `%XX` decoding; `None` for a `%` without two hex digits.
fn percent_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'%' {
            let hi = hex(*text.get(i + 1)?)?;
            let lo = hex(*text.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// RFC 3986 §6.2.2: `%63` is `c`, `%2f` is `%2F`.
fn normalise_escapes(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let value = hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?;
            if value.is_ascii_alphanumeric() || b"-._~".contains(&value) {
                out.push(value as char);
            } else {
                out.push_str(&format!("%{value:02X}"));
            }
            i += 3;
        } else {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::redirect_allowed;

    const REG: &str = "https://erp.example.com/oc/callback";

    #[test]
    fn the_registered_uri_and_paths_under_it_are_allowed() {
        for ok in [
            REG,
            "https://erp.example.com/oc/callback/",
            "https://erp.example.com/oc/callback/user/7",
            "https://erp.example.com/oc/callback?act=getAuthorizationCode",
            "https://erp.example.com/oc/callback/user/7?a=1&b=%2F..%2F",
            // Normalisation: scheme and host case, default port, escapes of unreserved characters.
            "HTTPS://ERP.Example.COM/oc/callback",
            "https://erp.example.com:443/oc/callback",
            "https://erp.example.com/oc/%63allback",
            "https://erp.example.com/oc/callback/%7Euser",
            "https://erp.example.com/oc/callback/a%2Db",
            "https://erp.example.com/oc/callback/file.v2",
            "https://erp.example.com/oc/callback/...",
        ] {
            assert!(redirect_allowed(REG, ok), "{ok}");
        }
        assert!(redirect_allowed("https://erp.example.com/", "https://erp.example.com/any"));
        assert!(redirect_allowed("https://erp.example.com", "https://erp.example.com/any?x=1"));
        assert!(redirect_allowed("http://127.0.0.1:8081/cb", "http://127.0.0.1:8081/cb/x"));
        assert!(redirect_allowed("http://[::1]:8081/cb", "http://[::1]:8081/cb"));
        assert!(redirect_allowed("https://erp.example.com/cb?shop=1", "https://erp.example.com/cb?shop=1&x=2"));
    }

    #[test]
    fn dot_segments_are_refused_in_every_spelling() {
        for bad in [
            "https://erp.example.com/oc/callback/../admin",
            "https://erp.example.com/oc/callback/..",
            "https://erp.example.com/oc/callback/./x",
            "https://erp.example.com/oc/callback/%2e%2e/admin",
            "https://erp.example.com/oc/callback/%2E%2E/admin",
            "https://erp.example.com/oc/callback/.%2e/admin",
            "https://erp.example.com/oc/callback%2f..%2fadmin",
            "https://erp.example.com/oc/callback/%2f..%2f/admin",
            "https://erp.example.com/oc/callback/..%2fadmin",
            "https://erp.example.com/oc/callback/..%2Fadmin",
            "https://erp.example.com/oc/callback/..%5cadmin",
            "https://erp.example.com/oc/callback/%252e%252e/admin",
            "https://erp.example.com/oc/callback/%25252e%25252e/admin",
            "https://erp.example.com/oc/callback/..;/admin",
            "https://erp.example.com/oc/callback/..%3b/admin",
            "https://erp.example.com/oc/callback/..%00/admin",
            "https://erp.example.com/oc/callback/%2e",
        ] {
            assert!(!redirect_allowed(REG, bad), "{bad}");
        }
    }

    #[test]
    fn backslashes_userinfo_and_odd_characters_are_refused() {
        for bad in [
            "https://erp.example.com/oc/callback\\..\\admin",
            "https://erp.example.com\\@evil.io/oc/callback",
            "https://erp.example.com/oc/callback/%5c..%5cadmin",
            "https://erp.example.com@evil.io/oc/callback",
            "https://user@erp.example.com/oc/callback",
            "https://erp.example.com:443@evil.io/oc/callback",
            "https://evil.io@erp.example.com/oc/callback",
            "https://erp.example.com/oc/callback/ x",
            "https://erp.example.com/oc/callback/\tx",
            "https://erp.example.com/oc/callback/\nLocation: x",
            "https://erp.example.com/oc/callback/é",
            "https://erp.example.com/oc/callback/%zz",
            "https://erp.example.com/oc/callback/%2",
            "https://erp.example.com/oc/callback/%0d%0aSet-Cookie:x",
            "https://erp%2eexample.com/oc/callback",
            "https://erp.example.com./oc/callback",
            "https://erp..example.com/oc/callback",
        ] {
            assert!(!redirect_allowed(REG, bad), "{bad:?}");
        }
    }

    #[test]
    fn another_host_port_scheme_or_path_is_refused() {
        for bad in [
            "https://erp.example.com/oc/callbackevil",
            "https://erp.example.com/oc/callbac",
            "https://erp.example.com/oc/Callback",
            "https://erp.example.com/oc",
            "https://erp.example.com.evil.io/oc/callback",
            "https://evil.io/?https://erp.example.com/oc/callback",
            "https://evil.io/oc/callback",
            "http://erp.example.com/oc/callback",
            "https://erp.example.com:8443/oc/callback",
            "https://erp.example.com:0/oc/callback",
            "https://erp.example.com:99999/oc/callback",
            "https://erp.example.com:44a/oc/callback",
            "javascript://erp.example.com/oc/callback",
            "//erp.example.com/oc/callback",
            "erp.example.com/oc/callback",
            "https:/erp.example.com/oc/callback",
            "https:///erp.example.com/oc/callback",
            "",
        ] {
            assert!(!redirect_allowed(REG, bad), "{bad}");
        }
    }

    #[test]
    fn fragments_are_refused_and_a_registered_query_must_be_kept() {
        assert!(!redirect_allowed(REG, "https://erp.example.com/oc/callback#x"));
        assert!(!redirect_allowed(REG, "https://erp.example.com/oc/callback?x=1#y"));
        assert!(!redirect_allowed(REG, "https://erp.example.com/oc/callback#@evil.io"));
        let reg = "https://erp.example.com/cb?shop=1";
        assert!(!redirect_allowed(reg, "https://erp.example.com/cb"));
        assert!(!redirect_allowed(reg, "https://erp.example.com/cb?shop=12"));
        assert!(!redirect_allowed(reg, "https://erp.example.com/cb?x=1&shop=1"));
        let long = format!("{REG}/{}", "a".repeat(super::MAX_REDIRECT_URI));
        assert!(!redirect_allowed(REG, &long));
    }

    #[test]
    fn a_malformed_registered_uri_allows_nothing() {
        assert!(!redirect_allowed("not a uri", "not a uri"));
        assert!(!redirect_allowed("https://a@b/cb", "https://a@b/cb"));
    }
}
