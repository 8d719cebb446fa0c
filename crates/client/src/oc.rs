//! A client of the OC dialect (spec §2–§4).

use entrepot_wire::oc_signature::sign;
use serde_json::{json, Value};
use tokio::sync::Mutex;

/// The token pair of one authorized seller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum OcError {
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    /// OC's error envelope: HTTP 200 with a non-zero `code`. `body` is the whole reply (a batch
    /// that partly succeeded carries `data` too).
    #[error("OC error {code}: {message}")]
    Api { code: i64, message: String, body: Value },
    /// The token endpoint refused (`{"error","error_description"}`).
    #[error("OAuth {error}: {description}")]
    OAuth { status: u16, error: String, description: String },
    #[error("{0}")]
    Protocol(String),
}

/// One ERP app (ClientKey/SecretKey) acting for one seller.
pub struct OcClient {
    http: reqwest::Client,
    base: String,
    client_key: String,
    secret_key: String,
    tokens: Mutex<Option<Tokens>>,
}

impl OcClient {
    pub fn new(base: &str, client_key: &str, secret_key: &str) -> Self {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            client_key: client_key.to_owned(),
            secret_key: secret_key.to_owned(),
            tokens: Mutex::new(None),
        }
    }

    /// Where to send the seller's browser to authorize this app.
    pub fn authorize_url(&self, redirect_uri: &str, state: &str) -> String {
        let q = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", &self.client_key),
            ("redirect_uri", redirect_uri),
            ("state", state),
        ])
        .unwrap_or_default();
        format!("{}/oauth/authorize?{q}", self.base)
    }

    /// Fills in the login form as the seller's browser would and returns the code from the
    /// redirect (for command-line tools and tests; web ERPs let the browser do this).
    pub async fn login_for_code(
        &self,
        redirect_uri: &str,
        state: &str,
        username: &str,
        password: &str,
    ) -> Result<String, OcError> {
        let url = self.authorize_url(redirect_uri, state);
        let page = self.http.get(&url).send().await?;
        if !page.status().is_success() {
            return Err(OcError::Protocol(format!("authorize page answered {}", page.status())));
        }
        // The form is bound to this "browser": its cookie goes back with the token it carries.
        let cookie = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        let html = page.text().await?;
        let token = hidden_field(&html, "csrf_token").unwrap_or_default();
        let mut post = self.http.post(&url).form(&[
            ("csrf_token", token.as_str()),
            ("username", username),
            ("password", password),
        ]);
        if !cookie.is_empty() {
            post = post.header("cookie", cookie);
        }
        let resp = post.send().await?;
        let Some(location) = resp.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned) else {
            return Err(OcError::Protocol(format!("login was not accepted (HTTP {})", resp.status())));
        };
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        if pairs.iter().find(|(k, _)| k == "state").map(|(_, v)| v.as_str()) != Some(state) {
            return Err(OcError::Protocol("the redirect did not carry our state".into()));
        }
        pairs
            .into_iter()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v)
            .ok_or_else(|| OcError::Protocol(format!("no code in {location}")))
    }

    async fn token_request(&self, params: &[(&str, &str)]) -> Result<Value, OcError> {
        let q = serde_urlencoded::to_string(params).unwrap_or_default();
        let resp = self
            .http
            .post(format!("{}/oauth/token?{q}", self.base))
            .basic_auth(&self.client_key, Some(&self.secret_key))
            .send()
            .await?;
        let status = resp.status().as_u16();
        let body: Value = resp.json().await?;
        if status != 200 {
            return Err(OcError::OAuth {
                status,
                error: body["error"].as_str().unwrap_or_default().to_owned(),
                description: body["error_description"].as_str().unwrap_or_default().to_owned(),
            });
        }
        Ok(body)
    }

    /// Exchanges an authorization code for the token pair, which this client keeps.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<Tokens, OcError> {
        let body = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("client_id", &self.client_key),
            ])
            .await?;
        let t = Tokens { access_token: text(&body, "access_token")?, refresh_token: text(&body, "refresh_token")? };
        *self.tokens.lock().await = Some(t.clone());
        Ok(t)
    }

    /// Uses a stored token pair (e.g. from the ERP's database).
    pub async fn set_tokens(&self, t: Tokens) {
        *self.tokens.lock().await = Some(t);
    }

    pub async fn tokens(&self) -> Option<Tokens> {
        self.tokens.lock().await.clone()
    }

    /// Gets a new access token with the refresh token (kept if the server sends no new one).
    pub async fn refresh(&self) -> Result<Tokens, OcError> {
        let mut guard = self.tokens.lock().await;
        let refresh = guard
            .as_ref()
            .map(|t| t.refresh_token.clone())
            .ok_or_else(|| OcError::Protocol("not authorized".into()))?;
        let body = self
            .token_request(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh),
                ("client_id", &self.client_key),
            ])
            .await?;
        let t = Tokens {
            access_token: text(&body, "access_token")?,
            refresh_token: body["refresh_token"].as_str().map(str::to_owned).unwrap_or(refresh),
        };
        *guard = Some(t.clone());
        Ok(t)
    }

    /// A signed call; returns `data` on success. An expired access token is refreshed once.
    pub async fn call(&self, path: &str, data: Value) -> Result<Value, OcError> {
        let reply = self.call_envelope(path, data).await?;
        if reply["code"].as_i64() == Some(0) {
            return Ok(reply["data"].clone());
        }
        Err(api_error(reply))
    }

    /// A signed call returning the whole envelope, successful or not (for batches that can
    /// partly succeed: `data` lists what was done and `errors` what was not).
    pub async fn call_envelope(&self, path: &str, data: Value) -> Result<Value, OcError> {
        let reply = self.send(path, &data).await?;
        let expired = reply["errors"][0]["code"].as_str() == Some("1A0003")
            || reply["message"].as_str().is_some_and(|m| m.contains("Access token expired"));
        if expired {
            self.refresh().await?;
            return self.send(path, &data).await;
        }
        Ok(reply)
    }

    async fn send(&self, path: &str, data: &Value) -> Result<Value, OcError> {
        let token = self.tokens.lock().await.as_ref().map(|t| t.access_token.clone()).unwrap_or_default();
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        let body = json!({"apiVersion": "2.0", "messageId": now.to_string(), "timestamp": now as i64, "data": data})
            .to_string();
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Access-Token", format!("Bearer {token}"))
            .header("clientKey", &self.client_key)
            .header("vAuthorization", sign(path, body.as_bytes(), &self.client_key, &self.secret_key))
            .header("TimeStamp", now.to_string())
            .body(body)
            .send()
            .await?;
        Ok(resp.json().await?)
    }
}

fn text(v: &Value, key: &str) -> Result<String, OcError> {
    v[key].as_str().map(str::to_owned).ok_or_else(|| OcError::Protocol(format!("no {key} in {v}")))
}

fn api_error(reply: Value) -> OcError {
    let message = reply["errors"][0]["message"].as_str().or(reply["message"].as_str()).unwrap_or_default().to_owned();
    OcError::Api { code: reply["code"].as_i64().unwrap_or(-1), message, body: reply }
}

/// The value of the hidden input `name` in a page we rendered ourselves (attribute order fixed).
fn hidden_field(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!(r#"name="{name}" value=""#))? + name.len() + 15;
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&amp;", "&").replace("&quot;", "\""))
}
