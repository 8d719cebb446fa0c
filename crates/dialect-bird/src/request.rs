//! Reading a Bird request as liberally as BirdSystem does: `api_key`/`company_id` from headers,
//! else the query string, else the body; bodies as form-urlencoded, multipart or JSON (also on
//! GET); numbers as strings; duplicate JSON keys (last wins); `#` comment keys dropped.
//!
//! Liberal, but not at any cost: an unknown caller gets a few kilobytes of the server's memory,
//! never the body it chose to send (see [`BirdRequest::from_request`]).

use axum::{
    extract::{FromRequest, MatchedPath, Request},
    http::{header::CONTENT_TYPE, HeaderMap},
};
use entrepot_core::{company::Warehouse, ids::ClientId};
use entrepot_ops::{describe_limit, retry_after_secs, BodyError, CappedBody};
use entrepot_wire::{as_string_lenient, get_ci, parse_lenient};
use serde_json::{Map, Value};

use crate::{
    body_limits::{BODY_LIMITS, PREFIX_BEFORE_KEY},
    envelope::BirdError,
    multipart, BirdState,
};

/// An authenticated Bird request: the caller's client, the site it addressed (`company_id`), and
/// every parameter it sent.
pub struct BirdRequest {
    pub client: ClientId,
    /// The warehouse of `company_id`, when one was sent.
    pub site: Option<Warehouse>,
    /// Query-string and body fields merged (body wins), keys as sent.
    pub params: Map<String, Value>,
    /// A JSON array body (bulk uploads), if that is what was sent.
    pub rows: Option<Vec<Value>>,
}

impl BirdRequest {
    /// The site, which most operations need.
    pub fn site(&self) -> Result<&Warehouse, BirdError> {
        self.site.as_ref().ok_or_else(|| BirdError::bad("company_id is required"))
    }

    /// The parameters as the request struct `T` of the route (see [`crate::fields`]).
    pub fn fields<T: serde::de::DeserializeOwned>(&self) -> Result<T, BirdError> {
        crate::fields::read_map(&self.params)
    }
}

impl FromRequest<BirdState> for BirdRequest {
    type Rejection = BirdError;

    /// The caller is authenticated before its body is read: from the `api_key` header or query
    /// field when there is one, otherwise from the first [`PREFIX_BEFORE_KEY`] bytes of the body
    /// (a form or JSON object carrying `api_key`). Only then, and within the client's request
    /// budget, is the rest read, up to the route's limit ([`BODY_LIMITS`]).
    async fn from_request(req: Request, state: &BirdState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let query = parts.uri.query().unwrap_or("").to_owned();
        let query_params = parse_form(query.as_bytes());
        let limit = BODY_LIMITS.for_route(parts.extensions.get::<MatchedPath>().map(MatchedPath::as_str));
        let mut body = CappedBody::new(body, &parts.headers);
        let header_key = header(&parts.headers, "api_key").or_else(|| header(&parts.headers, "api-key"));
        let early_key = header_key.clone().or_else(|| get_ci(&query_params, "api_key").and_then(as_string_lenient));
        let mut parsed = None;
        let early_key = match nonblank(early_key) {
            Some(k) => k,
            None => {
                // A network chunk may take the read past the prefix: what lies beyond is not
                // looked at, so the outcome does not depend on how the body was cut.
                let complete = body.fill(PREFIX_BEFORE_KEY).await.map_err(body_error)?;
                let found = if complete && body.held().len() <= PREFIX_BEFORE_KEY {
                    let whole = parse_body(&parts.headers, body.held())?;
                    let key = get_ci(&whole.0, "api_key").and_then(as_string_lenient);
                    parsed = Some(whole);
                    key
                } else {
                    sniff_key(&parts.headers, &body.held()[..PREFIX_BEFORE_KEY.min(body.held().len())])
                };
                nonblank(found).ok_or_else(BirdError::login_required)?
            }
        };
        let mut client = authenticate(state, &early_key).await?;
        let bytes = body.read_all(limit).await.map_err(body_error)?;
        let (mut params, rows) = match parsed {
            Some(p) => p,
            None => parse_body(&parts.headers, &bytes)?,
        };
        // Query parameters fill in what the body did not send.
        for (k, v) in query_params {
            params.entry(k).or_insert(v);
        }
        params.retain(|k, _| !k.starts_with('#'));
        // The key that counts is the one BirdSystem reads (header, then body, then query): when
        // the body names another than the one checked above, that one must be valid too.
        let api_key = header_key.or_else(|| get_ci(&params, "api_key").and_then(as_string_lenient));
        let Some(api_key) = nonblank(api_key) else { return Err(BirdError::login_required()) };
        if api_key != early_key {
            client = authenticate(state, &api_key).await?;
        }
        if let Some(field) = entrepot_wire::field_with_nul(&params) {
            return Err(BirdError::bad(format!("{field}: NUL characters are not accepted")));
        }
        tracing::Span::current().record("client_id", client.0.as_str());
        // A test key's client is a sandbox twin: its successful calls count for the report.
        if let Some(slot) = parts.extensions.get::<crate::sandbox::Slot>() {
            if let Some(live) = state.app.sandbox_of(&client).await? {
                slot.note(entrepot_app::sandbox::bird_app(&live), &parts.method, parts.uri.path());
            }
        }
        let company = header(&parts.headers, "company_id")
            .or_else(|| header(&parts.headers, "company-id"))
            .or_else(|| get_ci(&params, "company_id").and_then(as_string_lenient));
        let site = match company.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => {
                let id: i64 = c.parse().map_err(|_| BirdError::bad(format!("company_id '{c}' is not a number")))?;
                Some(state.app.warehouse_for_client_by_numeric_id(&client, id).await?)
            }
        };
        Ok(BirdRequest { client, site, params, rows })
    }
}

/// The client of an API key, which must then have budget left for this request.
async fn authenticate(state: &BirdState, api_key: &str) -> Result<ClientId, BirdError> {
    let client = state.app.client_by_api_key(api_key).await?.ok_or_else(BirdError::login_required)?;
    state.budget.take(&client, "bird").map_err(|wait| BirdError::too_many_requests(retry_after_secs(wait)))?;
    Ok(client)
}

fn body_error(e: BodyError) -> BirdError {
    match e {
        BodyError::TooLarge { limit } => BirdError::too_large(&describe_limit(limit)),
        BodyError::Read(e) => BirdError::bad(format!("Request body could not be read: {e}")),
    }
}

fn nonblank(s: Option<String>) -> Option<String> {
    s.filter(|k| !k.trim().is_empty())
}

/// `api_key` in the first bytes of a body too large to read before its caller is known: a form
/// field before the last `&`, a multipart part that ends within the prefix, or a JSON member
/// `"api_key": "..."` anywhere in the prefix. Only a
/// gate: the whole body, once read, says which key counts.
fn sniff_key(headers: &HeaderMap, prefix: &[u8]) -> Option<String> {
    let start = prefix.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)?;
    let ctype = header(headers, CONTENT_TYPE.as_str()).unwrap_or_default();
    if let Some(boundary) = multipart::boundary(&ctype) {
        // The parts that end within the prefix; a malformed prefix finds no key (403).
        let fields = parse_multipart(prefix, &boundary.ok()?, false).ok()?;
        return get_ci(&fields, "api_key").and_then(as_string_lenient);
    }
    let ctype = ctype.to_ascii_lowercase();
    if ctype.contains("json") || matches!(prefix[start], b'{' | b'[') {
        return sniff_json_key(prefix);
    }
    let whole_fields = prefix.iter().rposition(|b| *b == b'&').map_or(&prefix[..0], |end| &prefix[..end]);
    get_ci(&parse_form(whole_fields), "api_key").and_then(as_string_lenient)
}

/// The first `"api_key"` (any case) member with a plain string value.
fn sniff_json_key(text: &[u8]) -> Option<String> {
    const NEEDLE: &[u8] = b"\"api_key\"";
    let skip_ws = |mut i: usize| {
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut at = 0;
    while let Some(pos) = text.get(at..)?.windows(NEEDLE.len()).position(|w| w.eq_ignore_ascii_case(NEEDLE)) {
        at += pos + 1;
        let colon = skip_ws(at - 1 + NEEDLE.len());
        if text.get(colon) != Some(&b':') {
            continue;
        }
        let open = skip_ws(colon + 1);
        if text.get(open) != Some(&b'"') {
            continue;
        }
        let rest = text.get(open + 1..)?;
        let Some(len) = rest.iter().position(|b| matches!(b, b'"' | b'\\')) else { continue };
        if rest[len] == b'"' {
            return std::str::from_utf8(&rest[..len]).ok().map(str::to_owned);
        }
    }
    None
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Form fields; `name[]` keys collect into arrays, as PHP does.
fn parse_form(bytes: &[u8]) -> Map<String, Value> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    collect_fields(pairs)
}

/// The fields of a `multipart/form-data` body (or of its first bytes, when not `complete`),
/// read as a form's are.
fn parse_multipart(text: &[u8], boundary: &str, complete: bool) -> Result<Map<String, Value>, BirdError> {
    let fields = multipart::fields(text, boundary, complete).map_err(BirdError::bad)?;
    Ok(collect_fields(fields.into_iter().map(|f| (f.name, f.value))))
}

/// Fields by name; `name[]` keys collect into arrays, as PHP does.
fn collect_fields(pairs: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in pairs {
        if let Some(base) = k.strip_suffix("[]") {
            match out.entry(base.to_owned()).or_insert_with(|| Value::Array(vec![])) {
                Value::Array(a) => a.push(Value::String(v)),
                other => *other = Value::Array(vec![Value::String(v)]),
            }
        } else {
            out.insert(k, Value::String(v));
        }
    }
    out
}

/// A body's fields (an object or a form) and its rows (a JSON array).
type Body = (Map<String, Value>, Option<Vec<Value>>);

/// The body as fields or rows.
fn parse_body(headers: &HeaderMap, text: &[u8]) -> Result<Body, BirdError> {
    let trimmed = text.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    let Some(start) = trimmed else { return Ok((Map::new(), None)) };
    let ctype = header(headers, CONTENT_TYPE.as_str()).unwrap_or_default();
    if let Some(boundary) = multipart::boundary(&ctype) {
        return Ok((parse_multipart(text, &boundary.map_err(BirdError::bad)?, true)?, None));
    }
    let ctype = ctype.to_ascii_lowercase();
    let looks_json = matches!(text[start], b'{' | b'[');
    // A body that starts like JSON is JSON even under a form content type (curl's default).
    if ctype.contains("json") || looks_json {
        let value = match parse_lenient(text) {
            Ok(v) => v,
            Err(_) if ctype.contains("form") => return Ok((parse_form(text), None)),
            Err(e) => return Err(BirdError::bad(format!("Invalid JSON body: {e}"))),
        };
        return match value {
            Value::Object(map) => Ok((map, None)),
            Value::Array(rows) => Ok((Map::new(), Some(rows))),
            _ => Err(BirdError::bad("Invalid JSON body: expected an object or an array")),
        };
    }
    Ok((parse_form(text), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_arrays_and_plain_fields() {
        let m = parse_form(b"a=1&p%5B%5D=1&p[]=3&b=x+y");
        assert_eq!(m["a"], "1");
        assert_eq!(m["p"], serde_json::json!(["1", "3"]));
        assert_eq!(m["b"], "x y");
    }

    #[test]
    fn json_bodies_without_content_type_and_with_comments() {
        let h = HeaderMap::new();
        let (m, rows) = parse_body(&h, b"{\"a\":1,\"a\":2,}").unwrap();
        assert_eq!((m["a"].clone(), rows), (serde_json::json!(2), None));
        let (_, rows) = parse_body(&h, b" [{\"x\":1}]").unwrap();
        assert_eq!(rows.unwrap().len(), 1);
        assert!(parse_body(&h, b"{\"a\":").is_err());
    }

    fn multipart_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, "multipart/form-data; boundary=------------------------abc".parse().unwrap());
        h
    }

    #[test]
    fn multipart_bodies_are_read_as_forms() {
        let body = b"--------------------------abc\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nK1\r\n\
            --------------------------abc\r\nContent-Disposition: form-data; name=\"ids[]\"\r\n\r\n1\r\n\
            --------------------------abc\r\nContent-Disposition: form-data; name=\"ids[]\"\r\n\r\n2\r\n\
            --------------------------abc--\r\n";
        let h = multipart_headers();
        let (m, rows) = parse_body(&h, body).unwrap();
        assert_eq!(
            (m["api_key"].clone(), m["ids"].clone(), rows),
            (serde_json::json!("K1"), serde_json::json!(["1", "2"]), None)
        );
        assert!(parse_body(&h, &body[..40]).is_err());
        // The key is found in a prefix once its part is complete.
        assert_eq!(sniff_key(&h, &body[..120]).as_deref(), Some("K1"));
        assert_eq!(sniff_key(&h, &body[..50]), None);
        let mut no_boundary = HeaderMap::new();
        no_boundary.insert(CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        assert!(parse_body(&no_boundary, body).is_err());
        assert_eq!(sniff_key(&no_boundary, body), None);
    }

    #[test]
    fn the_key_is_found_in_a_prefix() {
        let h = HeaderMap::new();
        assert_eq!(sniff_key(&h, b"a=1&api_key=K1&b=xxxxx").as_deref(), Some("K1"));
        // A field cut off at the end of the prefix is not trusted.
        assert_eq!(sniff_key(&h, b"a=1&api_key=K1"), None);
        assert_eq!(sniff_key(&h, b" {\"rows\":[1,2], \"API_KEY\" : \"K2\", \"more\": [").as_deref(), Some("K2"));
        assert_eq!(sniff_key(&h, b"{\"api_key\": 5, \"x\":\"api_key\", \"api_key\":\"K3\"").as_deref(), Some("K3"));
        assert_eq!(sniff_key(&h, b"{\"api_key\":\"K4"), None);
        assert_eq!(sniff_key(&h, b"[{\"contact\":\"x\"}"), None);
    }
}
