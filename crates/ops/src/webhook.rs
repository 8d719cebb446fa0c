//! Webhook delivery from the transactional outbox, built like svix's: fan each outbox event out
//! to the subscribed endpoints once, store every message with its body, then POST it with
//! signed headers under a lease, retrying on a back-off schedule until it succeeds or the
//! schedule runs out. All state is in the database, so nothing is lost when a process dies.
//!
//! What a message looks like belongs to the dialect the endpoint was registered through: a
//! [`WebhookRenderer`] (Bird's lives in its dialect crate) decides which events an endpoint wants
//! and renders their bodies; this module never knows any dialect's shapes.
//!
//! Signatures follow the Standard Webhooks scheme svix uses: headers `webhook-id`,
//! `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! "{id}.{timestamp}.{body}">`. A secret of the form `whsec_<base64>` signs with its decoded
//! bytes, as svix's libraries expect; any other secret signs with its UTF-8 bytes.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use async_trait::async_trait;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use entrepot_core::{ids::ClientId, CoreError};
use entrepot_store::{
    AttemptOutcome, Delivery, DeliveryStatus, NewDelivery, OutboxEvent, Store, StoreError, Webhook, RESPONSE_BODY_CAP,
};
use hmac::{Hmac, Mac};
use tokio::sync::watch;

use crate::booking::{jitter, parse_ms_list, run_claim_loop, ClaimLoop};

/// One dialect's webhooks: which outbox events its endpoints want, and what the messages say.
#[async_trait]
pub trait WebhookRenderer: Send + Sync {
    /// The `dialect` of the endpoints this renderer serves, e.g. `bird`.
    fn dialect(&self) -> &'static str;

    /// Whether `event` can mean anything to this dialect: a cheap test before any endpoint is
    /// loaded, so events nobody renders cost one batch update.
    fn matches(&self, event: &OutboxEvent) -> bool;

    /// The messages `event` produces for `endpoints` (the client's active endpoints of this
    /// dialect): none, one per interested endpoint, or several (one per product it affected).
    async fn render(
        &self,
        store: &Store,
        event: &OutboxEvent,
        endpoints: &[Webhook],
    ) -> Result<Vec<NewDelivery>, StoreError>;
}

/// How delivery behaves. [`WebhookConfig::from_env`] documents the knobs.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Waits between attempts: after the n-th failed attempt the n-th entry (±20% jitter); when
    /// the list is used up the delivery is FAILED. The default is svix's shape: 5 s, 30 s, 2 min,
    /// 10 min, 1 h, 6 h — seven attempts over about seven hours.
    pub retry: Vec<Duration>,
    /// Per-request timeout, connection to the end of the response body.
    pub timeout: Duration,
    /// Whether private, loopback and link-local destinations may be called.
    pub allow_private: bool,
    /// How long a claimed delivery stays ours (must exceed `timeout`).
    pub lease: Duration,
    /// Pause of both loops when there is nothing to do.
    pub idle: Duration,
    /// Deliveries in flight at once per process.
    pub parallel: usize,
    /// Outbox events read per fan-out round.
    pub batch: i64,
    /// How long finished deliveries stay in the log.
    pub retention: Duration,
    /// An endpoint whose deliveries have all failed for this long is switched off (svix: 5 days).
    pub disable_after: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        WebhookConfig {
            retry: vec![s(5), s(30), s(120), s(600), s(3600), s(6 * 3600)],
            timeout: s(10),
            allow_private: true,
            lease: s(60),
            idle: Duration::from_millis(200),
            parallel: 16,
            batch: 200,
            retention: s(30 * 24 * 3600),
            disable_after: s(5 * 24 * 3600),
        }
    }
}

impl WebhookConfig {
    /// The defaults, overridden by:
    /// - `ENTREPOT_WEBHOOK_RETRY_MS`: the retry schedule in comma-separated milliseconds (tests
    ///   use `50,100,200`);
    /// - `ENTREPOT_WEBHOOK_DISABLE_AFTER_MS`: how long an endpoint may fail before it is switched
    ///   off (default five days);
    /// - `ENTREPOT_WEBHOOK_ALLOW_PRIVATE=false`: refuse destinations that are (or resolve to)
    ///   private, loopback, link-local or otherwise internal addresses, against SSRF. The default
    ///   allows them, so an ERP on the same network (or a test on 127.0.0.1) can receive.
    pub fn from_env() -> Self {
        let mut c = Self::default();
        if let Some(r) = std::env::var("ENTREPOT_WEBHOOK_RETRY_MS").ok().and_then(|v| parse_ms_list(&v)) {
            c.retry = r;
        }
        if let Ok(v) = std::env::var("ENTREPOT_WEBHOOK_ALLOW_PRIVATE") {
            c.allow_private = !matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off");
        }
        if let Some(ms) = std::env::var("ENTREPOT_WEBHOOK_DISABLE_AFTER_MS").ok().and_then(|v| v.trim().parse().ok()) {
            c.disable_after = Duration::from_millis(ms);
        }
        c
    }

    /// The wait after a 429 or a timeout is at least this: 60 s, or the longest wait of a shorter
    /// schedule (so a test schedule in milliseconds stays in milliseconds).
    fn throttle_floor(&self) -> Duration {
        self.retry.iter().max().copied().unwrap_or_default().min(Duration::from_secs(60))
    }

    /// When to try again after `attempts` attempts failed, or `None` to give up. `throttled`
    /// (429, timeout) waits at least the throttle floor; a `Retry-After` is honoured within
    /// `[wait, 2 × wait]`.
    pub fn next_wait(&self, attempts: i64, throttled: bool, retry_after: Option<Duration>) -> Option<Duration> {
        let base = *self.retry.get(usize::try_from(attempts).ok()?.checked_sub(1)?)?;
        let mut wait = jitter(base);
        if throttled {
            wait = wait.max(self.throttle_floor());
        }
        if let Some(ra) = retry_after {
            wait = ra.clamp(wait, wait * 2);
        }
        Some(wait)
    }
}

/// A fresh signing secret: `whsec_` and 24 random bytes in base64, as svix issues them.
pub fn new_secret() -> String {
    format!("whsec_{}", B64.encode(rand::random::<[u8; 24]>()))
}

/// The HMAC key of a secret (see the module notes).
fn secret_key(secret: &str) -> Vec<u8> {
    secret.strip_prefix("whsec_").and_then(|b| B64.decode(b).ok()).unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// The `webhook-signature` value for a message: `v1,<base64 HMAC-SHA256("{id}.{ts}.{body}")>`.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&secret_key(secret)) else { return String::new() };
    mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
}

/// Refuses URLs a webhook cannot use: anything but `http`/`https` with a host.
pub fn validate_url(url: &str) -> Result<(), String> {
    let u = reqwest::Url::parse(url.trim()).map_err(|e| format!("invalid URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err("only http and https URLs are supported".into());
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if url.len() > 2048 {
        return Err("the URL is longer than 2048 characters".into());
    }
    Ok(())
}

/// Addresses a webhook must not reach when private destinations are refused: loopback,
/// private, link-local, carrier-grade NAT, unspecified, multicast, documentation, benchmark
/// and unique-local ranges, and IPv4-mapped IPv6 forms of them.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            let o = v.octets();
            v.is_private()
                || v.is_loopback()
                || v.is_link_local()
                || v.is_unspecified()
                || v.is_broadcast()
                || v.is_multicast()
                || v.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xC0) == 64)
                || (o[0] == 198 && (o[1] & 0xFE) == 18)
        }
        IpAddr::V6(v) => {
            let first = v.segments()[0];
            v.is_loopback()
                || v.is_unspecified()
                || v.is_multicast()
                || (first & 0xFE00) == 0xFC00
                || (first & 0xFFC0) == 0xFE80
                || v.to_ipv4_mapped().is_some_and(|m| is_private(IpAddr::V4(m)))
        }
    }
}

/// Resolves names to public addresses only, so a name cannot be re-pointed at an internal
/// address between the check and the connection (DNS rebinding).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.filter(|a| !is_private(a.ip())).collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves only to private addresses").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// `Some(reason)` if `url` is, or resolves only to, addresses refused by `is_private`.
async fn refused_destination(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']').to_owned();
    let why = |h: &str| Some(format!("{h} is a private or loopback address (ENTREPOT_WEBHOOK_ALLOW_PRIVATE=false)"));
    if let Ok(ip) = host.parse::<IpAddr>() {
        return if is_private(ip) { why(&host) } else { None };
    }
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await.ok()?.collect();
    if !addrs.is_empty() && addrs.iter().all(|a| is_private(a.ip())) {
        return why(&host);
    }
    None
}

/// Fans out the outbox and delivers the messages: both loops of one process.
pub struct WebhookWorker {
    store: Store,
    renderers: Vec<Arc<dyn WebhookRenderer>>,
    http: reqwest::Client,
    owner: String,
    cfg: WebhookConfig,
}

impl WebhookWorker {
    /// A worker identified as `owner` (unique per process) in delivery leases.
    pub fn new(store: Store, owner: impl Into<String>, cfg: WebhookConfig) -> Self {
        let mut b = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Entrepot-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !cfg.allow_private {
            b = b.dns_resolver(Arc::new(PublicOnly));
        }
        let http = b.build().unwrap_or_else(|e| {
            tracing::error!(error = %e, "webhook HTTP client: falling back to defaults");
            reqwest::Client::new()
        });
        WebhookWorker { store, renderers: vec![], http, owner: owner.into(), cfg }
    }

    /// Adds a dialect's renderer.
    pub fn with_renderer(mut self, r: Arc<dyn WebhookRenderer>) -> Self {
        self.renderers.push(r);
        self
    }

    /// Fans out one batch of outbox events; returns how many events it read.
    pub async fn fan_out_once(&self) -> Result<usize, StoreError> {
        let events = self.store.events_to_fan_out(self.cfg.batch).await?;
        let mut skip = vec![];
        let mut endpoints: HashMap<ClientId, Vec<Webhook>> = HashMap::new();
        for e in &events {
            let wanted: Vec<&Arc<dyn WebhookRenderer>> = self.renderers.iter().filter(|r| r.matches(e)).collect();
            let Some(client) = e.client_id.as_ref().filter(|_| !wanted.is_empty()) else {
                skip.push(e.id.clone());
                continue;
            };
            if !endpoints.contains_key(client) {
                endpoints.insert(client.clone(), self.store.active_webhooks(client).await?);
            }
            // An endpoint hears of what happens after it was registered.
            let live: Vec<&Webhook> = endpoints[client].iter().filter(|w| w.created_at_ms <= e.created_at_ms).collect();
            let mut deliveries = vec![];
            let mut failed = false;
            for r in wanted {
                let mine: Vec<Webhook> =
                    live.iter().filter(|w| w.dialect == r.dialect()).map(|w| (*w).clone()).collect();
                if mine.is_empty() {
                    continue;
                }
                match r.render(&self.store, e, &mine).await {
                    Ok(d) => deliveries.extend(d),
                    // What the event is about is gone: there is nothing left to tell.
                    Err(StoreError::Core(CoreError::NotFound { .. })) => {}
                    Err(err) => {
                        tracing::warn!(event = %e.id, kind = %e.kind, error = %err, "could not render a webhook");
                        failed = true;
                    }
                }
            }
            let age = jiff::Timestamp::now().as_millisecond() - e.created_at_ms;
            if failed && age < 3_600_000 {
                continue; // tried again next round
            }
            if deliveries.is_empty() {
                skip.push(e.id.clone());
            } else if self.store.fan_out_event(e, &deliveries).await? {
                tracing::debug!(event = %e.id, kind = %e.kind, messages = deliveries.len(), "webhooks queued");
            }
        }
        self.store.skip_events(&skip).await?;
        Ok(events.len())
    }

    /// Claims one due delivery and attempts it; `false` when none was due.
    pub async fn deliver_once(&self) -> Result<bool, StoreError> {
        let Some((d, w)) = self.store.claim_delivery(&self.owner, self.cfg.lease.as_millis() as i64).await? else {
            return Ok(false);
        };
        self.attempt(d, w).await;
        Ok(true)
    }

    /// One HTTP attempt of a claimed delivery, and its outcome recorded.
    async fn attempt(&self, d: Delivery, w: Webhook) {
        let outcome = self.post(&d, &w).await;
        tracing::info!(
            delivery = d.id, webhook = w.id, attempt = d.attempts, status = outcome.status.as_str(),
            code = ?outcome.response_code, error = ?outcome.error, "webhook attempt"
        );
        match self.store.finish_attempt(d.id, &self.owner, &outcome).await {
            Ok(true) if outcome.status == DeliveryStatus::Failed => {
                match self.store.disable_if_failing(w.id, self.cfg.disable_after.as_millis() as i64).await {
                    Ok(true) => tracing::warn!(webhook = w.id, "webhook endpoint failing for too long; disabled"),
                    Ok(false) => {}
                    Err(e) => tracing::error!(webhook = w.id, error = %e, "could not check a failing webhook"),
                }
            }
            Ok(true) => {}
            Ok(false) => tracing::warn!(delivery = d.id, "webhook attempt outlived its lease; outcome dropped"),
            Err(e) => tracing::error!(delivery = d.id, error = %e, "could not record a webhook attempt"),
        }
    }

    async fn post(&self, d: &Delivery, w: &Webhook) -> AttemptOutcome {
        let now_ms = jiff::Timestamp::now().as_millisecond();
        let give_up = |error: String| AttemptOutcome {
            status: DeliveryStatus::Failed,
            next_attempt_at_ms: now_ms,
            response_code: None,
            response_body: None,
            error: Some(error),
        };
        let url = match reqwest::Url::parse(&w.url) {
            Ok(u) => u,
            Err(e) => return give_up(format!("invalid URL: {e}")),
        };
        if !self.cfg.allow_private {
            if let Some(reason) = refused_destination(&url).await {
                return give_up(reason);
            }
        }
        let msg_id = format!("msg_{}", d.id);
        let ts = now_ms / 1000;
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &msg_id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", sign(&w.secret, &msg_id, ts, d.payload.as_bytes()))
            .body(d.payload.clone())
            .send()
            .await;
        let (code, body, error, throttled, retry_after) = match sent {
            Ok(mut r) => {
                let code = r.status().as_u16();
                let retry_after = r
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let mut body = Vec::new();
                let mut read_error = None;
                while body.len() < RESPONSE_BODY_CAP {
                    match r.chunk().await {
                        Ok(Some(c)) => body.extend_from_slice(&c),
                        Ok(None) => break,
                        Err(e) => {
                            read_error = Some(format!("reading the response: {e}"));
                            break;
                        }
                    }
                }
                let body = String::from_utf8_lossy(&body).into_owned();
                (Some(code), Some(body), read_error, code == 429, retry_after.filter(|_| code == 429 || code == 503))
            }
            Err(e) => (None, None, Some(error_chain(&e)), e.is_timeout(), None),
        };
        if code.is_some_and(|c| (200..300).contains(&c)) {
            return AttemptOutcome {
                status: DeliveryStatus::Success,
                next_attempt_at_ms: now_ms,
                response_code: code.map(i64::from),
                response_body: body,
                error: None,
            };
        }
        let wait = self.cfg.next_wait(d.attempts, throttled, retry_after);
        AttemptOutcome {
            status: if wait.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed },
            next_attempt_at_ms: now_ms + wait.map(|w| w.as_millis() as i64).unwrap_or(0),
            response_code: code.map(i64::from),
            response_body: body,
            error,
        }
    }

    /// Runs fan-out and delivery until `shutdown` turns true; deliveries in flight finish first.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let me = Arc::new(self);
        let fan_out = fan_out_loop(me.clone(), shutdown.clone());
        let (parallel, idle) = (me.cfg.parallel, me.cfg.idle);
        tokio::join!(fan_out, run_claim_loop(me, parallel, idle, shutdown));
    }
}

/// A reqwest error with its causes ("error sending request: connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

async fn fan_out_loop(w: Arc<WebhookWorker>, mut shutdown: watch::Receiver<bool>) {
    let mut last_prune = tokio::time::Instant::now() - Duration::from_secs(3600);
    loop {
        if *shutdown.borrow() {
            return;
        }
        let full = match w.fan_out_once().await {
            Ok(n) => n as i64 >= w.cfg.batch,
            Err(e) => {
                tracing::error!(error = %e, "webhook fan-out failed");
                false
            }
        };
        if last_prune.elapsed() >= Duration::from_secs(3600) {
            last_prune = tokio::time::Instant::now();
            let before = jiff::Timestamp::now().as_millisecond() - w.cfg.retention.as_millis() as i64;
            match w.store.prune_webhook_deliveries(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "pruned the webhook delivery log"),
                Err(e) => tracing::warn!(error = %e, "could not prune the webhook delivery log"),
            }
        }
        if !full {
            tokio::select! {
                _ = tokio::time::sleep(w.cfg.idle) => {}
                r = shutdown.changed() => if r.is_err() { return },
            }
        }
    }
}

#[async_trait]
impl ClaimLoop for WebhookWorker {
    type Job = (Delivery, Webhook);
    async fn claim(&self) -> Result<Option<(Delivery, Webhook)>, StoreError> {
        self.store.claim_delivery(&self.owner, self.cfg.lease.as_millis() as i64).await
    }
    async fn work(&self, (d, w): (Delivery, Webhook)) {
        self.attempt(d, w).await
    }
    fn name(&self) -> &'static str {
        "webhook delivery"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (also svix's documentation).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let sig = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn plain_secrets_sign_with_their_bytes_and_new_secrets_decode() {
        assert_ne!(sign("a", "m", 1, b"x"), sign("b", "m", 1, b"x"));
        let s = new_secret();
        assert!(s.starts_with("whsec_") && B64.decode(&s[6..]).map(|k| k.len()) == Ok(24), "{s}");
        assert_ne!(new_secret(), s);
    }

    #[test]
    fn retry_schedule_gives_up_after_the_last_wait() {
        let ms = Duration::from_millis;
        let c = WebhookConfig { retry: vec![ms(100), ms(1000)], ..Default::default() };
        let w1 = c.next_wait(1, false, None).expect("retry");
        assert!(w1 >= ms(80) && w1 <= ms(120), "{w1:?}");
        assert!(c.next_wait(2, false, None).expect("retry") >= ms(800));
        assert_eq!(c.next_wait(3, false, None), None);
        assert_eq!(c.next_wait(0, false, None), None);
        // Throttled: at least the floor (here the schedule's longest wait); Retry-After within [w, 2w].
        assert!(c.next_wait(1, true, None).expect("retry") >= ms(1000));
        let w = c.next_wait(1, false, Some(Duration::from_secs(3600))).expect("retry");
        assert!(w <= ms(240), "{w:?}");
        let d = WebhookConfig::default();
        assert!(d.next_wait(1, true, None).expect("retry") >= Duration::from_secs(60));
        assert_eq!(d.next_wait(7, false, None), None, "seven attempts in all");
    }

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"] {
            assert!(!is_private(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[tokio::test]
    async fn literal_private_destinations_are_refused() {
        let u = |s: &str| reqwest::Url::parse(s).expect("url");
        assert!(refused_destination(&u("http://127.0.0.1:9/x")).await.is_some());
        assert!(refused_destination(&u("http://[::1]/x")).await.is_some());
        assert!(refused_destination(&u("https://8.8.8.8/x")).await.is_none());
    }

    #[test]
    fn only_http_urls_with_a_host() {
        assert!(validate_url("https://erp.example.com/hook?x=1").is_ok());
        assert!(validate_url("http://127.0.0.1:8080/").is_ok());
        for bad in ["ftp://x/", "javascript:alert(1)", "not a url", "http://", "file:///etc/passwd"] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
    }
}
