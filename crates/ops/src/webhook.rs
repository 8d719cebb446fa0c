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
//!
//! Work in hand is bounded whatever the backlog: a process has at most
//! [`WebhookConfig::parallel`] deliveries in flight, at most [`WebhookConfig::per_endpoint`] of
//! them to one endpoint (a slow endpoint cannot take every slot), and claims the next one only
//! when a slot is free; everything else waits in the database. Delivery is at least once: a claim
//! is a lease ([`WebhookConfig::lease`]), and a delivery whose process died mid-attempt is sent
//! again by another once the lease runs out, with the same `webhook-id` for the receiver to
//! recognise it. Where a message may go is [`Destinations`]' decision (against SSRF), made again
//! at every attempt.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use entrepot_app::{
    App, AttemptOutcome, Delivery, DeliveryStatus, NewDelivery, OutboxEvent, Webhook, RESPONSE_BODY_CAP,
};
use entrepot_core::{ids::ClientId, CoreError};
use hmac::{Hmac, Mac};
use tokio::sync::watch;

use crate::{
    booking::{jitter, run_claim_loop, ClaimLoop},
    destination::{Destinations, Refused, VettedResolver},
};

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
        app: &App,
        event: &OutboxEvent,
        endpoints: &[Webhook],
    ) -> Result<Vec<NewDelivery>, CoreError>;
}

/// How delivery behaves; the server sets it from its command line (`entrepot serve --help`).
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Waits between attempts: after the n-th failed attempt the n-th entry (±20% jitter); when
    /// the list is used up the delivery is FAILED. The default is svix's shape: 5 s, 30 s, 2 min,
    /// 10 min, 1 h, 6 h — seven attempts over about seven hours.
    pub retry: Vec<Duration>,
    /// Per-request timeout, connection to the end of the response body.
    pub timeout: Duration,
    /// Which addresses may be called: by default public ones only (see [`Destinations`]).
    pub destinations: Destinations,
    /// How long a claimed delivery stays ours (must exceed `timeout`). A process that dies
    /// mid-attempt leaves the delivery to another once it runs out, which sends it again with the
    /// same `webhook-id`: delivery is at least once.
    pub lease: Duration,
    /// Pause of both loops when there is nothing to do.
    pub idle: Duration,
    /// Deliveries in flight at once per process, all endpoints together.
    pub parallel: usize,
    /// Deliveries in flight at once per process to any one endpoint, so a slow endpoint cannot
    /// take every slot from the others.
    pub per_endpoint: usize,
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
            destinations: Destinations::default(),
            lease: s(60),
            idle: Duration::from_millis(200),
            parallel: 16,
            per_endpoint: 4,
            batch: 200,
            retention: s(30 * 24 * 3600),
            disable_after: s(5 * 24 * 3600),
        }
    }
}

impl WebhookConfig {
    /// Refuses settings that cannot work: a lease no longer than the request timeout would let a
    /// second process send a message while the first is still sending it.
    pub fn validate(&self) -> Result<(), String> {
        if self.lease <= self.timeout {
            return Err(format!(
                "the webhook lease ({} ms) must be longer than the webhook timeout ({} ms)",
                self.lease.as_millis(),
                self.timeout.as_millis()
            ));
        }
        if self.parallel == 0 || self.per_endpoint == 0 {
            return Err("webhook concurrency must be at least 1".into());
        }
        Ok(())
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

/// Fans out the outbox and delivers the messages: both loops of one process.
pub struct WebhookWorker {
    app: App,
    renderers: Vec<Arc<dyn WebhookRenderer>>,
    http: reqwest::Client,
    owner: String,
    cfg: WebhookConfig,
    /// Deliveries in flight per endpoint in this process, for [`WebhookConfig::per_endpoint`].
    in_flight: Mutex<HashMap<i64, usize>>,
}

impl WebhookWorker {
    /// A worker identified as `owner` (unique per process) in delivery leases.
    pub fn new(app: App, owner: impl Into<String>, cfg: WebhookConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            // A redirect is an answer, not an instruction: following it would reach a destination
            // nobody checked.
            .redirect(reqwest::redirect::Policy::none())
            // Through a proxy the proxy would resolve the name, out of the resolver's sight.
            .no_proxy()
            .dns_resolver(Arc::new(VettedResolver(cfg.destinations.clone())))
            .user_agent(concat!("Entrepot-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|e| {
                // Only a broken TLS backend gets here; without the vetted resolver nothing may be sent.
                tracing::error!(error = %e, "webhook HTTP client could not be built; deliveries will fail");
                reqwest::Client::builder().dns_resolver(Arc::new(Nowhere)).build().unwrap_or_default()
            });
        WebhookWorker { app, renderers: vec![], http, owner: owner.into(), cfg, in_flight: Mutex::default() }
    }

    /// Adds a dialect's renderer.
    pub fn with_renderer(mut self, r: Arc<dyn WebhookRenderer>) -> Self {
        self.renderers.push(r);
        self
    }

    /// Fans out one batch of outbox events; returns how many events it read.
    pub async fn fan_out_once(&self) -> Result<usize, CoreError> {
        let events = self.app.events_to_fan_out(self.cfg.batch).await?;
        let mut skip = vec![];
        let mut endpoints: HashMap<ClientId, Vec<Webhook>> = HashMap::new();
        for e in &events {
            let wanted: Vec<&Arc<dyn WebhookRenderer>> = self.renderers.iter().filter(|r| r.matches(e)).collect();
            let Some(client) = e.client_id.as_ref().filter(|_| !wanted.is_empty()) else {
                skip.push(e.id.clone());
                continue;
            };
            if !endpoints.contains_key(client) {
                endpoints.insert(client.clone(), self.app.active_webhooks(client).await?);
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
                match r.render(&self.app, e, &mine).await {
                    Ok(d) => deliveries.extend(d),
                    // What the event is about is gone: there is nothing left to tell.
                    Err(CoreError::NotFound { .. }) => {}
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
            } else if self.app.fan_out_event(e, &deliveries).await? {
                tracing::debug!(event = %e.id, kind = %e.kind, messages = deliveries.len(), "webhooks queued");
            }
        }
        self.app.skip_events(&skip).await?;
        Ok(events.len())
    }

    /// Claims one due delivery and attempts it; `false` when none was due.
    pub async fn deliver_once(&self) -> Result<bool, CoreError> {
        let Some(job) = ClaimLoop::claim(self).await? else {
            return Ok(false);
        };
        ClaimLoop::work(self, job).await;
        Ok(true)
    }

    /// Endpoints this process already has `per_endpoint` deliveries in flight to.
    fn busy_endpoints(&self) -> Vec<i64> {
        let map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        map.iter().filter(|(_, n)| **n >= self.cfg.per_endpoint.max(1)).map(|(w, _)| *w).collect()
    }

    fn started(&self, webhook: i64) {
        *self.in_flight.lock().unwrap_or_else(|p| p.into_inner()).entry(webhook).or_default() += 1;
    }

    fn ended(&self, webhook: i64) {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&webhook) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&webhook);
            }
        }
    }

    /// One HTTP attempt of a claimed delivery, and its outcome recorded.
    async fn attempt(&self, d: Delivery, w: Webhook) {
        let outcome = self.post(&d, &w).await;
        tracing::info!(
            delivery = d.id, webhook = w.id, attempt = d.attempts, status = outcome.status.as_str(),
            code = ?outcome.response_code, error = ?outcome.error, "webhook attempt"
        );
        match self.app.finish_attempt(d.id, &self.owner, &outcome).await {
            Ok(true) if outcome.status == DeliveryStatus::Failed => {
                match self.app.disable_if_failing(w.id, self.cfg.disable_after.as_millis() as i64).await {
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
        // Addresses written in the URL are not resolved, so the resolver never sees them.
        if let Err(refused) = self.cfg.destinations.check_before_connect(&url) {
            return give_up(format!("refused: {refused}"));
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
            Ok(r) => {
                let code = r.status().as_u16();
                let retry_after = r
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let (body, read_error) = if r.status().is_redirection() || r.status().is_informational() {
                    // Not followed, and not shown: what a redirect says points somewhere else.
                    (None, Some(format!("HTTP {code}: redirects are not followed")))
                } else {
                    read_capped(r).await
                };
                (Some(code), body, read_error, code == 429, retry_after.filter(|_| code == 429 || code == 503))
            }
            Err(e) => {
                if let Some(refused) = refusal(&e) {
                    return give_up(format!("refused: {refused}"));
                }
                (None, None, Some(error_chain(&e)), e.is_timeout(), None)
            }
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
            match w.app.prune_webhook_deliveries(before).await {
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

/// The first [`RESPONSE_BODY_CAP`] bytes of a response body, read no further (a receiver cannot
/// make the server hold more), and an error if reading failed.
async fn read_capped(mut r: reqwest::Response) -> (Option<String>, Option<String>) {
    let mut body = Vec::new();
    let mut read_error = None;
    while body.len() < RESPONSE_BODY_CAP {
        match r.chunk().await {
            Ok(Some(c)) => body.extend_from_slice(&c[..c.len().min(RESPONSE_BODY_CAP - body.len())]),
            Ok(None) => break,
            Err(e) => {
                read_error = Some(format!("reading the response: {e}"));
                break;
            }
        }
    }
    (Some(String::from_utf8_lossy(&body).into_owned()), read_error)
}

/// The destination refusal behind a failed request, if that is why it failed.
fn refusal(e: &reqwest::Error) -> Option<&Refused> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<Refused>() {
            return Some(r);
        }
        cause = c.source();
    }
    None
}

/// A resolver that resolves nothing: the fallback client must not reach any name unchecked.
struct Nowhere;

impl reqwest::dns::Resolve for Nowhere {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async { Err("the webhook HTTP client is not configured".into()) })
    }
}

/// Releases an endpoint's in-flight slot however the attempt ends (a panic included).
struct Slot<'a>(&'a WebhookWorker, i64);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.ended(self.1);
    }
}

#[async_trait]
impl ClaimLoop for WebhookWorker {
    type Job = (Delivery, Webhook);
    async fn claim(&self) -> Result<Option<(Delivery, Webhook)>, CoreError> {
        let busy = self.busy_endpoints();
        let job = self.app.claim_delivery_except(&self.owner, self.cfg.lease.as_millis() as i64, &busy).await?;
        if let Some((_, w)) = &job {
            self.started(w.id);
        }
        Ok(job)
    }
    async fn work(&self, (d, w): (Delivery, Webhook)) {
        let _slot = Slot(self, w.id);
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
}
