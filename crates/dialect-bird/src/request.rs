//! Reading a Bird request as liberally as BirdSystem does: `api_key`/`company_id` from headers,
//! else the query string, else the body; bodies as form-urlencoded or JSON (also on GET); numbers
//! as strings; duplicate JSON keys (last wins); `#` comment keys dropped.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{header::CONTENT_TYPE, HeaderMap},
};
use entrepot_core::{company::Warehouse, ids::ClientId};
use entrepot_wire::{as_i64_lenient, as_string_lenient, get_ci, parse_lenient};
use serde_json::{Map, Value};

use crate::{envelope::BirdError, BirdState};

/// Bodies above this size are refused rather than buffered.
const MAX_BODY: usize = 64 * 1024 * 1024;

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

    /// A parameter as text (case-insensitive key); empty strings count as absent.
    pub fn text(&self, key: &str) -> Option<String> {
        get_ci(&self.params, key).and_then(as_string_lenient).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    }

    /// A parameter as an integer, with a clear error if it is not one.
    pub fn int(&self, key: &str) -> Result<Option<i64>, BirdError> {
        match get_ci(&self.params, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => as_i64_lenient(v).map(Some).ok_or_else(|| BirdError::bad(format!("{key} must be a number"))),
        }
    }
}

impl FromRequest<BirdState> for BirdRequest {
    type Rejection = BirdError;

    async fn from_request(req: Request, state: &BirdState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let query = parts.uri.query().unwrap_or("").to_owned();
        let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| BirdError::bad("request body too large"))?;
        let (mut params, rows) = parse_body(&parts.headers, &bytes)?;
        // Query parameters fill in what the body did not send.
        for (k, v) in parse_form(query.as_bytes()) {
            params.entry(k).or_insert(v);
        }
        params.retain(|k, _| !k.starts_with('#'));
        if let Some(field) = entrepot_wire::field_with_nul(&params) {
            return Err(BirdError::bad(format!("{field}: NUL characters are not accepted")));
        }
        let api_key = header(&parts.headers, "api_key")
            .or_else(|| header(&parts.headers, "api-key"))
            .or_else(|| get_ci(&params, "api_key").and_then(as_string_lenient));
        let Some(api_key) = api_key.filter(|k| !k.trim().is_empty()) else { return Err(BirdError::login_required()) };
        let client = state.store.client_by_api_key(&api_key).await?.ok_or_else(BirdError::login_required)?;
        tracing::Span::current().record("client_id", client.0.as_str());
        let company = header(&parts.headers, "company_id")
            .or_else(|| header(&parts.headers, "company-id"))
            .or_else(|| get_ci(&params, "company_id").and_then(as_string_lenient));
        let site = match company.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => {
                let id: i64 = c.parse().map_err(|_| BirdError::bad(format!("company_id '{c}' is not a number")))?;
                Some(state.store.warehouse_for_client_by_bird_id(&client, id).await?)
            }
        };
        Ok(BirdRequest { client, site, params, rows })
    }
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Form fields; `name[]` keys collect into arrays, as PHP does.
fn parse_form(bytes: &[u8]) -> Map<String, Value> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
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
fn parse_body(headers: &HeaderMap, bytes: &Bytes) -> Result<Body, BirdError> {
    let text = bytes.as_ref();
    let trimmed = text.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    let Some(start) = trimmed else { return Ok((Map::new(), None)) };
    let ctype = header(headers, CONTENT_TYPE.as_str()).unwrap_or_default().to_ascii_lowercase();
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
        let (m, rows) = parse_body(&h, &Bytes::from_static(b"{\"a\":1,\"a\":2,}")).unwrap();
        assert_eq!((m["a"].clone(), rows), (serde_json::json!(2), None));
        let (_, rows) = parse_body(&h, &Bytes::from_static(b" [{\"x\":1}]")).unwrap();
        assert_eq!(rows.unwrap().len(), 1);
        assert!(parse_body(&h, &Bytes::from_static(b"{\"a\":")).is_err());
    }
}
